"""try29 on the web page, in a real Chromium against the real `skillcert web` process: a Chinese
questionnaire on the English page has Chinese 修改 buttons (the summary in one language), English answers
at the choice prompts; a bearer token under 16 characters is named at start-up."""
from __future__ import annotations

import pytest

from browser import Browser, missing
from test_web_browser import DOCS, click_and_wait, last_prompt, open_page, take_step, type_message
from test_web_try28 import start
from webflow import step_for

pytestmark = pytest.mark.skipif(missing() is not None, reason=missing() or "")


@pytest.fixture(scope="module")
def server(kb_path, tmp_path_factory):
    s = start(kb_path, tmp_path_factory.mktemp("web-try29"))
    yield s
    s.stop()


@pytest.mark.parametrize("width,height", [(390, 844), (1280, 900)])
def test_a_chinese_summary_on_the_english_page_has_chinese_edit_buttons(server, width, height):
    from selenium.webdriver.common.by import By

    b = Browser(width, height)
    try:
        d = b.driver
        open_page(d, server, "en")
        type_message(d, "老师能认定几级")
        type_message(d, "学生怎么认定")
        type_message(d, "/check")  # the chat was Chinese: the questionnaire is Chinese, whatever the page
        for _ in range(60):
            msg = last_prompt(d)
            text = msg.find_element(By.CSS_SELECTOR, ".bubble").text
            if "确认无误" in text:
                break
            assert "Step" not in text, text
            kind, value = step_for(text, [x.text.strip() for x in msg.find_elements(By.CSS_SELECTOR, ".answer-buttons .label")])
            take_step(d, msg, kind, value)
        bubble = last_prompt(d).find_element(By.CSS_SELECTOR, ".bubble")
        labels = {e.text.strip() for e in bubble.find_elements(By.CSS_SELECTOR, "button.edit")}
        assert labels == {"修改"}, labels  # try29: "Edit" beside a Chinese summary
        assert d.find_element(By.ID, "progress-label").text.startswith("第 ")  # the step line too
        sent = [e.get_attribute("data-text") for e in bubble.find_elements(By.CSS_SELECTOR, "button.edit")]
        assert sent and all(x.startswith("改 ") for x in sent)
        d.execute_script("arguments[0].scrollIntoView({block: 'start'})", bubble)
        d.save_screenshot(str(DOCS / f"web-try29-summary-{width}.png"))
        replies = click_and_wait(d, bubble.find_elements(By.CSS_SELECTOR, "button.edit")[0])
        assert "当前" in replies[-1].text  # the edit prompt, still in Chinese
    finally:
        b.quit()


def test_a_short_bearer_token_is_named_at_start_up(kb_path, tmp_path):
    import os

    from webserver import WebServer
    from conftest import ROOT

    env = dict(os.environ, SKILLCERT_KB=str(kb_path), SKILLCERT_DB=str(tmp_path / "state.sqlite"),
               SKILLCERT_HOME=str(ROOT), PYTHONIOENCODING="utf-8", SKILLCERT_FILES=str(tmp_path / "files"),
               SKILLCERT_ADMIN_TOKEN="tok29secret")
    s = WebServer(env, tmp_path).start()
    try:
        assert "SKILLCERT_ADMIN_TOKEN has 11 characters" in s.log() and "at least 16" in s.log()
    finally:
        s.stop()
