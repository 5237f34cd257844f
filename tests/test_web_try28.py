"""try28 on the web page, in a real Chromium against the real `skillcert web` process: one 修改 per summary
item and per 工种 (a multi-line answer's lines get none), an occupation changed from the summary, codes
kept whole in the desktop check list, questionnaire taps not rate-limited, a refused message marked."""
from __future__ import annotations

import sqlite3

import pytest

from browser import Browser, missing
from conftest import ROOT
from test_web_browser import (DOCS, bot_messages, click_and_wait, enabled_button, idle, last_prompt, open_page,
                              take_step, type_message, wait)
from webflow import step_for
from webserver import WebServer

pytestmark = pytest.mark.skipif(missing() is not None, reason=missing() or "")
STRENGTHS = "1. 承担省级技能大赛电工赛项3次；\n2. 参与编写省级电工实训教材2部；\n3. 近三年培训考核评价8000余人次。"


def start(kb_path, tmp, web=None):
    import os

    env = dict(os.environ, SKILLCERT_KB=str(kb_path), SKILLCERT_DB=str(tmp / "state.sqlite"),
               SKILLCERT_HOME=str(ROOT), PYTHONIOENCODING="utf-8", SKILLCERT_FILES=str(tmp / "files"))
    s = WebServer(env, tmp, web).start()
    s.state_db = tmp / "state.sqlite"
    return s


@pytest.fixture(scope="module")
def server(kb_path, tmp_path_factory):
    s = start(kb_path, tmp_path_factory.mktemp("web-try28"))
    yield s
    s.stop()


def send_text(d, text):
    """Type a text with line breaks (the box keeps them; Enter alone would send)."""
    from selenium.webdriver.common.by import By

    n = len(bot_messages(d))
    box = d.find_element(By.ID, "input")
    d.execute_script("arguments[0].value = arguments[1]", box, text)
    d.find_element(By.ID, "send").click()
    wait(d, lambda d: idle(d) and len(bot_messages(d)) > n, what=f"answer to {text[:20]!r}")
    return bot_messages(d)[n:]


def to_summary(d):
    from selenium.webdriver.common.by import By

    click_and_wait(d, d.find_element(By.CSS_SELECTOR, ".welcome [data-send='/check']"))
    occupations = [("车工", "6-18-01-01", "5、4、3、2"), ("电工", "6-31-01-03", "5、4、3")]
    for _ in range(80):
        msg = last_prompt(d)
        text = msg.find_element(By.CSS_SELECTOR, ".bubble").text
        if "确认无误" in text:
            return msg
        labels = [x.text.strip() for x in msg.find_elements(By.CSS_SELECTOR, ".answer-buttons .label")]
        if "第三项" in text:
            send_text(d, STRENGTHS)
            continue
        if "职业（工种）名称" in text:
            name, code, levels = occupations.pop()
            type_message(d, name)
            type_message(d, code)
            click_and_wait(d, enabled_button(last_prompt(d), "跳过"))
            type_message(d, levels)
            continue
        if "还要再添加一个工种" in text:
            click_and_wait(d, enabled_button(msg, "是" if occupations else "否"))
            continue
        kind, value = step_for(text, labels)
        take_step(d, msg, kind, value)
    raise AssertionError("no summary")


def test_summary_edit_buttons_one_per_item_and_occupation(server):
    from selenium.webdriver.common.by import By

    b = Browser(390, 844)
    try:
        d = b.driver
        open_page(d, server)
        summary = to_summary(d)
        bubble = summary.find_element(By.CSS_SELECTOR, ".bubble")
        items = bubble.find_elements(By.CSS_SELECTOR, ":scope > ol > li")
        occ_lines = bubble.find_elements(By.CSS_SELECTOR, "ul.occupations > li")
        edits = bubble.find_elements(By.CSS_SELECTOR, "button.edit")
        assert len(occ_lines) == 2 and len(edits) == len(items) + 2  # try28: 24 buttons for 22 items
        strengths = next(li for li in items if "第三项" in li.text)
        assert "参与编写省级电工实训教材2部" in strengths.text
        assert len(strengths.find_elements(By.CSS_SELECTOR, "button.edit")) == 1
        assert "修改（" not in bubble.text and "levels" not in bubble.text
        d.execute_script("arguments[0].scrollIntoView({block: 'start'})", strengths)
        d.save_screenshot(str(DOCS / "web-phone-zh-summary-multiline.png"))
        asked = click_and_wait(d, strengths.find_element(By.CSS_SELECTOR, "button.edit"))[-1]
        assert "第三项" in asked.text and "当前" in asked.text  # the question of that item, not question 2
        send_text(d, STRENGTHS.replace("8000", "9000"))
        # 工种 2 from its own 修改 button: which part, then the new levels; 工种 1 stays
        summary = last_prompt(d)
        line = next(li for li in summary.find_elements(By.CSS_SELECTOR, "ul.occupations > li") if "工种 2" in li.text)
        pick = click_and_wait(d, line.find_element(By.CSS_SELECTOR, "button.edit"))[-1]
        assert "修改工种 2（车工）" in pick.text
        asked = click_and_wait(d, enabled_button(pick, "认定级别"))[-1]
        assert "当前：5、4、3、2" in asked.text
        summary = type_message(d, "中级工、高级工")[-1]
        text = summary.find_element(By.CSS_SELECTOR, ".bubble").text
        assert "工种 1: 电工 / 6-31-01-03 / 5、4、3" in text and "工种 2: 车工 / 6-18-01-01 / 4、3" in text
        assert "9000" in text
        d.execute_script("arguments[0].scrollIntoView({block: 'end'})",
                         summary.find_element(By.CSS_SELECTOR, "ul.occupations"))
        d.save_screenshot(str(DOCS / "web-phone-zh-summary-occupations.png"))
        # the check list on a desktop: codes and level lists are not broken inside (try28: 6-31-01-|03)
        b.set_size(1280, 900)
        click_and_wait(d, enabled_button(last_prompt(d), "确认"))
        checklist = bot_messages(d)[-2]
        table = next(t for t in checklist.find_elements(By.CSS_SELECTOR, ".md-table") if "6-31-01-03" in t.text)
        lines = d.execute_script(
            "return Array.from(arguments[0].querySelectorAll('td')).filter(td => /^(\\d-\\d\\d-\\d\\d-\\d\\d|\\d(、\\d)+)$/"
            ".test(td.textContent.trim())).map(td => { const r = document.createRange(); r.selectNodeContents(td);"
            " const tops = new Set(Array.from(r.getClientRects()).map(x => Math.round(x.top))); return tops.size; })",
            table)
        assert lines and all(n == 1 for n in lines), lines
        d.execute_script("arguments[0].scrollIntoView({block: 'center'})", table)
        d.save_screenshot(str(DOCS / "web-desktop-zh-checklist-table.png"))
        # "清除我的数据" counts the four downloads it deletes (try28: "0 generated files")
        d.find_element(By.ID, "btn-menu").click()
        d.find_element(By.ID, "btn-clear").click()
        d.find_element(By.ID, "clear-yes").click()  # the page empties its log, then shows the reply
        wait(d, lambda d: idle(d) and any("已删除" in m.text for m in bot_messages(d)), what="the /forget reply")
        assert "4 个生成的文件" in bot_messages(d)[-1].text
        with sqlite3.connect(server.state_db) as db:
            assert db.execute("select count(*) from web_files").fetchone()[0] == 0
    finally:
        b.quit()


def test_questionnaire_taps_are_not_rate_limited_and_a_refused_message_is_marked(kb_path, tmp_path):
    from selenium.webdriver.common.by import By

    server = start(kb_path, tmp_path, {"rate_per_session_per_minute": 4, "rate_buttons_per_session_per_minute": 120})
    b = Browser(390, 844)
    try:
        d = b.driver
        open_page(d, server)
        click_and_wait(d, d.find_element(By.CSS_SELECTOR, ".welcome [data-send='/check']"))  # typed: 1 of 4
        for label in ("技工院校", "是", "是", "是", "是", "否"):  # six taps, more than the typed budget
            click_and_wait(d, enabled_button(last_prompt(d), label))
        assert not d.find_elements(By.CSS_SELECTOR, ".msg.note.error")
        refused = None
        for i in range(8):  # typed messages: the budget runs out
            n = len(d.find_elements(By.CSS_SELECTOR, ".msg.note.error"))
            box = d.find_element(By.ID, "input")
            box.send_keys(f"能给学生认定几级{i}")
            d.find_element(By.ID, "send").click()
            wait(d, lambda d: idle(d), what="reply")
            if len(d.find_elements(By.CSS_SELECTOR, ".msg.note.error")) > n:
                refused = d.find_elements(By.CSS_SELECTOR, "#log .msg.user")[-1]
                break
        assert refused is not None and i >= 2
        assert "failed" in refused.get_attribute("class")
        assert refused.find_element(By.CSS_SELECTOR, "button.retry").text == "重试"
        assert "未发送" in refused.text
        d.execute_script("arguments[0].scrollIntoView({block: 'end'})", refused)
        d.save_screenshot(str(tmp_path / "phone-refused.png"))
    finally:
        b.quit()
        server.stop()
