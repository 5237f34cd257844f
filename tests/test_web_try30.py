"""try30 on the web page, in a real Chromium against the real `skillcert web` process: a paste over the
server's 4,000 characters is kept in the box and said (it was cut silently by maxlength=4000)."""
from __future__ import annotations

import os

import pytest

from browser import Browser, missing
from test_web_browser import bot_messages, idle, open_page, type_message, wait
from test_web_try28 import start

pytestmark = pytest.mark.skipif(missing() is not None, reason=missing() or "")
SHOTS = os.environ.get("SKILLCERT_SHOTS")  # a folder for the screenshots a reviewer looks at (not docs/)


@pytest.fixture(scope="module")
def server(kb_path, tmp_path_factory):
    s = start(kb_path, tmp_path_factory.mktemp("web-try30"))
    yield s
    s.stop()


@pytest.mark.parametrize("width,height", [(390, 844), (1280, 900)])
def test_a_paste_over_the_limit_is_said_and_kept_not_cut(server, width, height):
    from selenium.webdriver.common.by import By

    b = Browser(width, height)
    try:
        d = b.driver
        open_page(d, server)
        box = d.find_element(By.ID, "input")
        assert box.get_attribute("maxlength") is None
        pasted = "背景说明。" * 1000 + "社评怎么申报？"  # 5,007 characters, the question at the end
        d.execute_script("arguments[0].value = arguments[1];"
                         "arguments[0].dispatchEvent(new Event('input', {bubbles: true}))", box, pasted)
        note = d.find_element(By.ID, "toolong")
        assert note.is_displayed() and "5007" in note.text and "4000" in note.text, note.text
        if SHOTS:
            d.save_screenshot(os.path.join(SHOTS, f"web-toolong-{width}.png"))
        n = len(bot_messages(d))
        d.find_element(By.ID, "send").click()
        wait(d, idle)
        assert box.get_attribute("value") == pasted  # nothing lost, nothing sent
        assert len(bot_messages(d)) == n and not d.find_elements(By.CSS_SELECTOR, "#log .msg.user")
        assert note.is_displayed() and "不能发送" in note.text
        d.execute_script("arguments[0].value = arguments[1];"
                         "arguments[0].dispatchEvent(new Event('input', {bubbles: true}))", box, "")
        assert not note.is_displayed()
        replies = type_message(d, "社评怎么申报？")
        assert "附件1" in replies[-1].text
        assert not note.is_displayed()
        assert d.execute_script("return document.documentElement.scrollWidth") <= width
    finally:
        b.quit()
