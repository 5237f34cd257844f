"""The chat page in a real browser (Debian's Chromium, Selenium 4) against the real `skillcert web` process.

Skipped, with the reason, only when Chromium or its driver is not installed. The screenshots in docs/
(phone 390×844 and desktop, Chinese and English) are taken here."""
from __future__ import annotations

import http.server
import sqlite3
import threading

import pytest

from browser import Browser, missing
from conftest import ROOT
from webflow import step_for
from webserver import WebServer

pytestmark = pytest.mark.skipif(missing() is not None, reason=missing() or "")
DOCS = ROOT / "docs"
WAIT = 30


@pytest.fixture(scope="module")
def server(kb_path, tmp_path_factory):
    import os

    tmp = tmp_path_factory.mktemp("web-browser")
    env = dict(os.environ, SKILLCERT_KB=str(kb_path), SKILLCERT_DB=str(tmp / "state.sqlite"),
               SKILLCERT_HOME=str(ROOT), PYTHONIOENCODING="utf-8")
    frame_from = EmbedHost().start()
    s = WebServer(env, tmp, {"frame_ancestors": [frame_from.origin]}).start()
    s.state_db = tmp / "state.sqlite"
    s.embed_host = frame_from
    yield s
    s.stop()
    frame_from.stop()


@pytest.fixture
def browser():
    b = Browser(390, 844)
    yield b
    b.quit()


class EmbedHost:
    """A school's site on another origin: one page with the <script> tag of /embed.js."""

    def __init__(self):
        self.embed_src = ""
        host = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                body = (f'<!doctype html><html><head><meta charset="utf-8"><title>某技工学校</title></head>'
                        f'<body><h1>某技工学校</h1><p>学校网站正文。</p>'
                        f'<script src="{host.embed_src}" defer></script></body></html>').encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *a):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def start(self):
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def stop(self):
        self.httpd.shutdown()


# ---------------------------------------------------------------- page helpers

def wait(driver, condition, timeout=WAIT, what="condition"):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(lambda d: condition(d), message=what)


def idle(d):
    """No request in flight: the send button is enabled again."""
    return d.execute_script("return !document.getElementById('send').disabled && !document.querySelector('.thinking')")


def bot_messages(d):
    from selenium.webdriver.common.by import By

    return d.find_elements(By.CSS_SELECTOR, "#log .msg.bot:not(.note):not(.welcome)")


def type_message(d, text):
    from selenium.webdriver.common.by import By

    n = len(bot_messages(d))
    box = d.find_element(By.ID, "input")
    box.send_keys(text)
    d.find_element(By.ID, "send").click()
    wait(d, lambda d: idle(d) and len(bot_messages(d)) > n, what=f"answer to {text!r}")
    return bot_messages(d)[n:]


def click_and_wait(d, element, more=True):
    n = len(bot_messages(d))
    element.click()
    wait(d, lambda d: idle(d) and (len(bot_messages(d)) > n or not more), what="reply to a click")
    return bot_messages(d)[n:]


def last_prompt(d):
    return bot_messages(d)[-1]


def take_step(d, msg, kind, value):
    """One questionnaire step as webflow.step_for says: tap a button, type an answer, or tick options then 完成."""
    if kind == "tap":
        click_and_wait(d, enabled_button(msg, value))
    elif kind == "type":
        type_message(d, value)
    else:
        for option in value:
            click_and_wait(d, enabled_button(msg, option), more=False)
            msg = last_prompt(d)
        click_and_wait(d, enabled_button(msg, "完成"))


def enabled_button(msg, label):
    from selenium.webdriver.common.by import By

    for b in msg.find_elements(By.CSS_SELECTOR, ".answer-buttons button"):
        if b.find_element(By.CSS_SELECTOR, ".label").text.strip() == label and b.is_enabled():
            return b
    raise AssertionError(f"no button {label!r} in {msg.text!r}")


def open_page(d, server, lang=None):
    d.get(server.url + "/" + (f"?lang={lang}" if lang else ""))
    wait(d, lambda d: d.execute_script("return document.readyState") == "complete")


def user_of(server, d) -> str:
    from bot.channels.web.app import user_key

    sid = d.get_cookie("skillcert_sid")["value"]
    return user_key(sid)


# ---------------------------------------------------------------- tests

def test_question_answer_with_verdict_and_clause(server, browser):
    d = browser.driver
    open_page(d, server)
    answer = type_message(d, "我们能给老师认定二级吗？")[-1]
    from selenium.webdriver.common.by import By

    verdict = answer.find_element(By.CSS_SELECTOR, ".verdict")
    assert verdict.find_element(By.CSS_SELECTOR, ".badge").text == "有条件"
    assert answer.find_elements(By.CSS_SELECTOR, ".bubble > *")[0] == verdict  # the verdict stands first
    clause = answer.find_element(By.CSS_SELECTOR, "details.clause")
    assert clause.find_element(By.TAG_NAME, "summary").text.startswith("依据〔2.3〕")
    assert "对本校相应专业教师开展职业技能等级二级、三级的认定" in clause.find_element(By.TAG_NAME, "blockquote").text
    clause.find_element(By.TAG_NAME, "summary").click()  # collapsible
    assert clause.get_attribute("open") is None
    assert d.get_cookie("skillcert_sid")["httpOnly"] is True
    assert d.execute_script("return document.cookie") == ""  # the session cookie is out of the page's reach


def test_html_typed_by_a_user_is_shown_not_run(server, browser):
    d = browser.driver
    open_page(d, server)
    evil = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script><b>粗体</b>'
    type_message(d, evil)
    from selenium.webdriver.common.by import By

    mine = d.find_elements(By.CSS_SELECTOR, "#log .msg.user .bubble")[-1]
    assert mine.text == evil
    assert d.execute_script("return window.pwned") is None
    assert not d.find_elements(By.CSS_SELECTOR, "#log img, #log script, #log b")


def test_thumbs_up_is_recorded(server, browser):
    d = browser.driver
    open_page(d, server)
    answer = type_message(d, "学生能认定到几级？")[-1]
    from selenium.webdriver.common.by import By

    up = answer.find_element(By.CSS_SELECTOR, ".feedback .fb.up")
    up.click()
    wait(d, lambda d: idle(d) and d.find_elements(By.CSS_SELECTOR, ".msg.note.thanks"), what="thanks")
    assert "谢谢" in d.find_elements(By.CSS_SELECTOR, ".msg.note.thanks")[-1].text
    with sqlite3.connect(server.state_db) as db:
        rows = db.execute("select intent, value from feedback where user = ?", (user_of(server, d),)).fetchall()
    assert rows == [("student_levels", 1)]
    assert not up.is_enabled()


def test_did_you_mean_chips_and_contacts(server, browser):
    d = browser.driver
    open_page(d, server)
    from selenium.webdriver.common.by import By

    answer = type_message(d, "申请")[-1]
    chips = answer.find_elements(By.CSS_SELECTOR, ".chips .chip") or []
    if chips:  # a vague word may get "did you mean" topics
        reply = click_and_wait(d, chips[0])[-1]
        assert reply.find_elements(By.CSS_SELECTOR, "details.clause")
    reply = click_and_wait(d, d.find_element(By.ID, "btn-contacts"))[-1]  # contacts: one tap
    tel = reply.find_elements(By.CSS_SELECTOR, "a.tel")
    assert {a.get_attribute("href") for a in tel} >= {"tel:053186914920", "tel:053186018851"}


def answer_questionnaire(d, wrong_first: dict | None = None, edit: dict | None = None):
    """Click and type through /check like a user; returns the message with the download links."""
    from selenium.webdriver.common.by import By

    wrong_first = dict(wrong_first or {})
    edit = dict(edit or {})
    click_and_wait(d, d.find_element(By.CSS_SELECTOR, ".welcome [data-send='/check']"))
    for _ in range(60):
        msg = last_prompt(d)
        if msg.find_elements(By.CSS_SELECTOR, "a.file"):
            return msg
        text = msg.find_element(By.CSS_SELECTOR, ".bubble").text
        if edit and "确认无误" in text:  # edit one line from the summary, then confirm
            words, new_value = edit.popitem()
            line = next(li for li in msg.find_elements(By.CSS_SELECTOR, "li") if words in li.text)
            asked = click_and_wait(d, line.find_element(By.CSS_SELECTOR, "button.edit"))[-1]
            assert words in asked.text and "当前" in asked.text
            type_message(d, new_value)
            continue
        kind, value = step_for(text, [x.text.strip() for x in msg.find_elements(By.CSS_SELECTOR, ".answer-buttons .label")])
        label = d.find_element(By.ID, "progress-label").text
        assert label.startswith("第 ") and " / 约 " in label and label.endswith(" 步"), label
        if kind == "tap":
            click_and_wait(d, enabled_button(msg, value))
        elif kind == "type":
            for words, bad in list(wrong_first.items()):
                if words in text:
                    del wrong_first[words]
                    retry = type_message(d, bad)
                    assert "请重新回答" in retry[0].text and words in retry[-1].text  # re-asked, with the reason
            type_message(d, value)
        else:
            for option in value:
                click_and_wait(d, enabled_button(msg, option), more=False)
                msg = last_prompt(d)
                ticked = [b.text for b in msg.find_elements(By.CSS_SELECTOR, ".toggle.on")]
                assert any(option in t for t in ticked)
            click_and_wait(d, enabled_button(msg, "完成"))
    raise AssertionError("the questionnaire did not end")


def test_questionnaire_clicked_through_to_a_downloaded_xlsx(server, browser):
    import openpyxl
    from selenium.webdriver.common.by import By

    d = browser.driver
    open_page(d, server)
    msg = answer_questionnaire(d, wrong_first={"统一社会信用代码": "12345"}, edit={"单位名称": "泉城第二高级技工学校"})
    links = {a.text.split("\n")[-1]: a for a in msg.find_elements(By.CSS_SELECTOR, "a.file")}
    name = "附件3-评价机构信息与认定范围清单.xlsx"
    assert set(links) >= {"checklist.md", "附件1-社会培训评价组织基本情况表.docx", "附件2-职业技能等级认定工作方案.docx", name}
    assert d.find_element(By.ID, "formbar").is_displayed() is False  # the questionnaire is over
    checklist = bot_messages(d)[-2]  # checklist.md, drawn from its Markdown
    for part in ("h3.md-h", ".md-table table td", "li.task .box", "li strong"):
        assert checklist.find_elements(By.CSS_SELECTOR, part), part
    assert "|---" not in checklist.text and "## " not in checklist.text
    d.execute_script("arguments[0].scrollIntoView({block: 'end'})", msg)
    d.save_screenshot(str(DOCS / "web-phone-zh-documents.png"))
    links[name].click()
    target = browser.downloads / name
    wait(d, lambda d: target.exists() and target.stat().st_size > 0 and not list(browser.downloads.glob("*.crdownload")),
         what="the download")
    wb = openpyxl.load_workbook(target)
    cells = [str(c.value) for row in wb.active.iter_rows() for c in row if c.value is not None]
    assert "泉城第二高级技工学校" in cells and "电工" in cells and "5、4、3" in cells  # the edited name
    # another browser (another session) cannot fetch the same file
    href = links[name].get_attribute("href")
    import httpx

    assert httpx.get(href).status_code == 404


def test_reload_mid_questionnaire_shows_the_conversation_and_goes_on(server, browser):
    from selenium.webdriver.common.by import By

    d = browser.driver
    open_page(d, server)
    click_and_wait(d, d.find_element(By.CSS_SELECTOR, ".welcome [data-send='/check']"))
    click_and_wait(d, enabled_button(last_prompt(d), "技工院校"))
    before = d.find_element(By.ID, "progress-label").text
    assert before.startswith("第 2 / 约")
    d.refresh()
    wait(d, lambda d: d.execute_script("return document.readyState") == "complete" and bot_messages(d))
    assert d.find_element(By.ID, "formbar").is_displayed()
    assert d.find_element(By.ID, "progress-label").text == before
    assert "学生职业技能等级认定资格" in last_prompt(d).text
    assert not any(b.is_enabled() for m in bot_messages(d)[:-1]
                   for b in m.find_elements(By.CSS_SELECTOR, ".answer-buttons button"))  # old prompts stay stale
    click_and_wait(d, enabled_button(last_prompt(d), "是"))
    assert d.find_element(By.ID, "progress-label").text.startswith("第 3 / 约")


def test_upload_a_filled_attachment_3(server, browser, kb, tmp_path):
    from selenium.webdriver.common.by import By

    from test_web_api import sheet_bytes

    path = tmp_path / "附件3-我们的工种.xlsx"
    path.write_bytes(sheet_bytes(kb))
    d = browser.driver
    open_page(d, server)
    n = len(bot_messages(d))
    d.find_element(By.ID, "file").send_keys(str(path))
    wait(d, lambda d: idle(d) and len(bot_messages(d)) > n, what="the upload's reply")
    text = "\n".join(m.text for m in bot_messages(d)[n:])
    assert "附件3-我们的工种.xlsx" in text and "电工" in text
    assert "附件3-我们的工种.xlsx" in d.find_elements(By.CSS_SELECTOR, "#log .msg.user")[-1].text


def test_clear_my_data_erases_session_and_files(server, browser):
    from selenium.webdriver.common.by import By

    d = browser.driver
    open_page(d, server)
    type_message(d, "学生能认定到几级？")
    user = user_of(server, d)
    with sqlite3.connect(server.state_db) as db:
        assert db.execute("select count(*) from questions where user = ?", (user,)).fetchone()[0] == 1
    d.find_element(By.ID, "btn-menu").click()
    d.find_element(By.ID, "btn-clear").click()
    d.find_element(By.ID, "clear-yes").click()
    wait(d, lambda d: idle(d) and bot_messages(d), what="the /forget reply")
    assert "已删除" in bot_messages(d)[-1].text
    with sqlite3.connect(server.state_db) as db:
        for table in ("sessions", "questions", "feedback", "profiles", "web_files"):
            assert db.execute(f"select count(*) from {table} where user = ?", (user,)).fetchone()[0] == 0, table


def test_embed_script_opens_the_chat_from_an_allowed_origin(server, browser):
    from selenium.webdriver.common.by import By

    d = browser.driver
    browser.set_size(1280, 860)
    server.embed_host.embed_src = server.url + "/embed.js"
    d.get(server.embed_host.origin + "/")
    button = wait(d, lambda d: d.find_elements(By.ID, "skillcert-embed-button"), what="the floating button")[0]
    button.click()
    frame = wait(d, lambda d: d.find_elements(By.CSS_SELECTOR, "#skillcert-embed-panel iframe"))[0]
    d.switch_to.frame(frame)
    wait(d, lambda d: d.find_elements(By.ID, "input"), what="the chat in the frame")
    answer = type_message(d, "我们能给老师认定二级吗？")[-1]
    assert "依据〔2.3〕" in answer.text
    d.switch_to.default_content()


# ---------------------------------------------------------------- screenshots

def questionnaire_to_goals(d, lang):
    """/check, then the answers up to the multi-choice goals, one goal ticked."""
    from selenium.webdriver.common.by import By

    click_and_wait(d, d.find_element(By.CSS_SELECTOR, ".welcome [data-send='/check']"))
    first = {"zh": "技工院校", "en": "technical school (技工院校)"}[lang]
    click_and_wait(d, enabled_button(last_prompt(d), first))
    yes, no = {"zh": ("是", "否"), "en": ("Yes (是)", "No (否)")}[lang]  # try27: English buttons in English
    for _ in range(4):
        click_and_wait(d, enabled_button(last_prompt(d), yes))
    click_and_wait(d, enabled_button(last_prompt(d), no))
    goal = {"zh": "申报社会培训评价组织资质", "en": "apply as a social training evaluation organisation"}[lang]
    click_and_wait(d, enabled_button(last_prompt(d), goal), more=False)


def assert_fits(d, width):
    """Nothing sticks out sideways: the page is as wide as the viewport, every block inside it."""
    from selenium.webdriver.common.by import By

    assert d.execute_script("return document.documentElement.scrollWidth") <= width
    for el in d.find_elements(By.CSS_SELECTOR, "#log .bubble, #log button, .top, .top button, .composer, .formbar"):
        r = d.execute_script("const r = arguments[0].getBoundingClientRect(); return [r.left, r.right];", el)
        assert r[0] >= 0 and r[1] <= width + 0.5, (el.get_attribute("class"), el.text, r)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("width,height,name", [(390, 844, "phone"), (1280, 860, "desktop")])
def test_screenshots(server, browser, lang, width, height, name):
    from selenium.webdriver.common.by import By

    d = browser.driver
    browser.set_size(width, height)
    open_page(d, server, lang)
    assert d.find_element(By.ID, "send").text == ("发送" if lang == "zh" else "Send")
    q = "我们能给老师认定二级吗？" if lang == "zh" else "Can we certify teachers at level 2?"
    type_message(d, q)
    d.execute_script("arguments[0].scrollIntoView({block: 'start'})",
                     d.find_elements(By.CSS_SELECTOR, "#log .msg.user")[-1])
    assert_fits(d, width)
    d.save_screenshot(str(DOCS / f"web-{name}-{lang}-answer.png"))
    questionnaire_to_goals(d, lang)
    assert d.find_element(By.ID, "formbar").is_displayed()
    assert_fits(d, width)
    d.save_screenshot(str(DOCS / f"web-{name}-{lang}-form.png"))


def test_answers_say_things_once_and_the_box_has_no_idle_scroll_bar(server, browser):
    """try26: the verdict badge was followed by the same word ("不可以 不可以。…"), the "did you mean" topics
    came twice (a numbered list in the text and the buttons), and the empty input box showed scroll arrows."""
    from selenium.webdriver.common.by import By

    d = browser.driver
    d.set_window_size(390, 844)
    open_page(d, server)
    box = d.find_element(By.ID, "input")
    assert d.execute_script("return arguments[0].scrollHeight <= arguments[0].clientHeight + 1 "
                            "&& getComputedStyle(arguments[0]).overflowY === 'hidden'", box)
    answer = type_message(d, "老师能认定一级吗")[-1]
    verdict = answer.find_element(By.CSS_SELECTOR, ".verdict p")
    badge = verdict.find_element(By.CSS_SELECTOR, ".badge").text
    assert badge == "不可以" and verdict.text.startswith("不可以") and not verdict.text[len(badge):].strip().startswith("不可以")
    answer = type_message(d, "认定要交多少钱")[-1]
    assert answer.find_elements(By.CSS_SELECTOR, ".chips .chip")
    assert "您是不是想问" not in answer.find_element(By.CSS_SELECTOR, ".bubble").text
    assert "附件1" not in answer.find_element(By.CSS_SELECTOR, ".bubble").text.split("联系")[0]  # no unrelated clause


def test_phone_summary_keeps_its_numbering_and_the_checklist_table_fits(server, browser):
    """try27 at 390 px: the summary's goals sub-list sat as a bullet list between items 7 and 8 (the numbered
    list broken in two), and the check list's 职业（工种）table was cut off at the right edge."""
    from selenium.webdriver.common.by import By

    d = browser.driver
    browser.set_size(390, 844)
    open_page(d, server)
    click_and_wait(d, d.find_element(By.CSS_SELECTOR, ".welcome [data-send='/check']"))
    for _ in range(60):
        msg = last_prompt(d)
        text = msg.find_element(By.CSS_SELECTOR, ".bubble").text
        if "确认无误" in text:
            break
        kind, value = step_for(text, [x.text.strip() for x in msg.find_elements(By.CSS_SELECTOR, ".answer-buttons .label")])
        take_step(d, msg, kind, value)
    bubble = last_prompt(d).find_element(By.CSS_SELECTOR, ".bubble")
    lists = bubble.find_elements(By.CSS_SELECTOR, ":scope > ol")
    assert len(lists) == 1, [o.text for o in lists]  # one numbered list, the goals inside their item
    goals = next(li for li in lists[0].find_elements(By.CSS_SELECTOR, ":scope > li") if "想做哪些事" in li.text)
    assert "申报社会培训评价组织资质" in goals.find_element(By.CSS_SELECTOR, "ul.sub").text
    numbers = d.execute_script("return Array.from(arguments[0].children).map(li => li.value)", lists[0])
    assert numbers == list(range(1, len(numbers) + 1))
    d.execute_script("arguments[0].scrollIntoView({block: 'start'})", goals)
    d.save_screenshot(str(DOCS / "web-phone-zh-summary.png"))
    click_and_wait(d, enabled_button(last_prompt(d), "确认"))
    checklist = bot_messages(d)[-2]
    occupations = next(t for t in checklist.find_elements(By.CSS_SELECTOR, ".md-table")
                       if "6-31-01-03" in t.text)
    box = checklist.find_element(By.CSS_SELECTOR, ".bubble")
    inside = d.execute_script(
        "const b = arguments[1].getBoundingClientRect();"
        "return Array.from(arguments[0].querySelectorAll('td')).filter(td => td.offsetParent)"
        ".every(td => { const r = td.getBoundingClientRect(); return r.left >= b.left - 0.5 && r.right <= b.right + 0.5; })",
        occupations, box)
    assert inside and d.execute_script("return arguments[0].scrollWidth <= arguments[0].clientWidth", occupations)
    shown = d.execute_script(  # each value under its column's name (drawn by CSS before the value)
        "return Array.from(arguments[0].querySelectorAll('td')).filter(td => td.offsetParent)"
        ".map(td => getComputedStyle(td, '::before').content.replace(/\"/g, '') + td.textContent)", occupations)
    for words in ("职业编码：6-31-01-03", "级别：5、4、3", "职业（工种）名称：电工"):
        assert words in shown, shown
    d.execute_script("arguments[0].scrollIntoView({block: 'center'})", occupations)
    d.save_screenshot(str(DOCS / "web-phone-zh-checklist-table.png"))
    assert_fits(d, 390)
