"""End to end: the real python-telegram-bot Application (and the real `skillcert telegram` process)
against a fake Bot API server on 127.0.0.1."""
from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import threading
import time

import pytest

from bot.app import App
from bot.channels.telegram import RateLimit, build_application, split_text
from conftest import ROOT, skillcert_cmd
from fakebot import FakeBotAPI

TOKEN = "123456:TEST-token-abcdefghijklmnopqrstuv"


class RunningBot:
    """The Application polling the fake server, in a thread with its own event loop."""

    def __init__(self, app: App, fake: FakeBotAPI, settings: dict):
        self.application = build_application(app, TOKEN, fake.base_url, settings)
        self.loop = asyncio.new_event_loop()
        self.stopped = threading.Event()
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        asyncio.set_event_loop(self.loop)
        self.loop.run_until_complete(self._main())

    async def _main(self):
        app = self.application
        await app.initialize()
        if app.post_init:
            await app.post_init(app)
        await app.start()
        await app.updater.start_polling(poll_interval=0.0, timeout=1, allowed_updates=["message", "callback_query",
                                                                                         "edited_message"])
        self.ready.set()
        while not self.stopped.is_set():
            await asyncio.sleep(0.02)
        await app.updater.stop()
        await app.stop()
        await app.shutdown()

    def start(self):
        self.thread.start()
        assert self.ready.wait(20)
        return self

    def stop(self):
        self.stopped.set()
        self.thread.join(20)


@pytest.fixture
def fake():
    f = FakeBotAPI(TOKEN).start()
    yield f
    f.stop()


@pytest.fixture
def settings():
    return {"admin_ids": [42], "rate_limit_per_minute": 60, "max_message_chars": 4000, "outgoing_max_rate": 0}


@pytest.fixture
def running(app, fake, settings):
    bot = RunningBot(app, fake, settings).start()
    yield bot
    bot.stop()


def reply_count(fake, chat_id):
    return len(fake.sent("sendMessage", chat_id)) + len(fake.sent("sendDocument", chat_id))


def ask(fake, uid, text, n=1, **kw):
    before = reply_count(fake, kw.get("chat_id") or uid)
    fake.send_text(uid, text, **kw)
    assert fake.wait_for(lambda: reply_count(fake, kw.get("chat_id") or uid) >= before + n), f"no reply to {text!r}"
    time.sleep(0.05)
    return fake.texts_to(kw.get("chat_id") or uid)[-1] if fake.texts_to(kw.get("chat_id") or uid) else ""


def tap(fake, uid, label, n=1):
    keyboard = fake.last_keyboard(uid)
    data = next(b["callback_data"] for row in keyboard for b in row if b["text"].replace("✅ ", "") == label)
    before = reply_count(fake, uid) + len(fake.sent("editMessageText", uid))
    fake.press(uid, data, {"message_id": 1, "date": int(time.time()), "chat": {"id": uid, "type": "private"},
                           "from": {"id": 7000001, "is_bot": True, "first_name": "S"}, "text": "question",
                           "reply_markup": {"inline_keyboard": keyboard}})
    assert fake.wait_for(lambda: reply_count(fake, uid) + len(fake.sent("editMessageText", uid)) >= before + n), \
        (label, fake.texts_to(uid)[-2:])
    time.sleep(0.05)


def test_start_registers_commands_and_greets(running, fake):
    assert fake.wait_for(lambda: fake.sent("setMyCommands"))
    commands = fake.sent("setMyCommands")[0]["commands"]
    assert {c["command"] for c in commands} >= {"start", "help", "check", "checklist", "contact", "cancel", "forget"}
    assert "政策助手" in ask(fake, 1, "/start")


def test_question_gets_answer_with_citation_in_html(running, fake):
    text = ask(fake, 2, "我们能给老师认定二级吗？")
    assert "〔2.3〕" in text and "社会培训评价组织资质" in text
    sent = fake.sent("sendMessage", 2)[-1]
    assert sent["parse_mode"] == "HTML"
    buttons = [b["callback_data"] for row in sent["reply_markup"]["inline_keyboard"] for b in row]
    assert "f:+:teacher_certification" in buttons  # 👍/👎 under the answer


def test_english_question_gets_english_answer(running, fake):
    text = ask(fake, 3, "Can we certify our teachers at level 3?", lang="en")
    assert "social training evaluation organisation" in text and "[2.3]" in text


def test_markup_is_escaped(running, fake):
    text = ask(fake, 4, "<script>alert(1)</script> 老师能认定几级")
    assert "<script>" not in text


def test_not_covered_offers_topics_as_buttons(running, fake):
    ask(fake, 5, "认定考试收费标准是多少")
    keyboard = fake.last_keyboard(5)
    assert any(b["callback_data"].startswith("t:") for row in keyboard for b in row)
    topic = next(b for row in keyboard for b in row if b["callback_data"].startswith("t:"))
    fake.press(5, topic["callback_data"])
    assert fake.wait_for(lambda: "依据〔" in fake.texts_to(5)[-1])


def test_whole_check_by_taps_ends_with_documents(running, fake):
    uid = 6
    ask(fake, uid, "/check", n=2)
    for label in ["技工院校", "是", "否", "是", "是", "否"]:
        tap(fake, uid, label)
    tap(fake, uid, "申报社会培训评价组织资质")
    assert any("✅ 申报社会培训评价组织资质" == b["text"] for row in fake.sent("editMessageText", uid)[-1]
               ["reply_markup"]["inline_keyboard"] for b in row)  # the toggle redrew the same message
    tap(fake, uid, "完成", n=2)
    tap(fake, uid, "省属", n=3)
    for text in ["泉城高级技工学校"]:
        ask(fake, uid, text)
    tap(fake, uid, "跳过")
    for text in ["济南市历城区", "123701004950034562", "山东省事业单位登记管理局", "张明"]:
        ask(fake, uid, text)
    tap(fake, uid, "跳过")
    for text in ["李华", "处长", "0531-88881234", "jwc@qc.edu.cn"]:
        ask(fake, uid, text)
    for _ in range(4):  # website, then 附件1 items 三 to 五
        tap(fake, uid, "跳过")
    for text in ["电工", "6-31-01-03"]:
        ask(fake, uid, text)
    tap(fake, uid, "跳过")
    ask(fake, uid, "5、4、3")
    tap(fake, uid, "是")
    ask(fake, uid, "2018年至今")
    ask(fake, uid, "120")
    tap(fake, uid, "否")
    tap(fake, uid, "确认", n=5)
    assert fake.wait_for(lambda: len(fake.sent("sendDocument", uid)) == 4)
    names = {d["document"]["filename"] for d in fake.sent("sendDocument", uid)}
    assert names == {"checklist.md", "附件1-社会培训评价组织基本情况表.docx", "附件2-职业技能等级认定工作方案.docx",
                     "附件3-评价机构信息与认定范围清单.xlsx"}
    docx = next(d["document"]["content"] for d in fake.sent("sendDocument", uid) if d["document"]["filename"].startswith("附件1"))
    assert docx[:2] == b"PK"
    assert any("申报材料清单" in t for t in fake.texts_to(uid))  # the check list as a message too
    edits = [e["text"] for e in fake.sent("editMessageText", uid)]
    assert any(t.endswith("→ 是") for t in edits)  # the answered question keeps its text, loses its buttons


def test_forget_leaves_no_row_for_that_user(running, fake, app):
    ask(fake, 7, "学生能认定几级")
    ask(fake, 7, "/check", n=2)
    fake.press(7, "f:+:student_levels")
    assert fake.wait_for(lambda: app.store.count_rows("tg:7") >= 4)  # question, session, check_start event, feedback
    assert "已删除" in ask(fake, 7, "/forget")
    assert app.store.count_rows("tg:7") == 0


def test_thirty_users_at_once_each_get_their_own_answer(running, fake):
    questions = {100 + i: ("能给老师认定二级吗" if i % 3 == 0 else "附件3网址可以不填吗" if i % 3 == 1
                           else "Which forms do we submit to apply?") for i in range(30)}
    for uid, q in questions.items():
        fake.send_text(uid, q, lang="en" if q.isascii() else "zh")
    assert fake.wait_for(lambda: all(fake.texts_to(uid) for uid in questions), timeout=30)
    for uid, q in questions.items():
        [text] = fake.texts_to(uid)
        expected = "〔2.3〕" if "老师" in q else "〔att3.n2〕" if "网址" in q else "[2.2]"
        assert expected in text, (uid, q, text[:80])


def test_admin_stats_only_for_admins(running, fake):
    ask(fake, 8, "能给老师认定二级吗")
    text = ask(fake, 8, "/stats")
    assert "提问" not in text and "不认识" in text
    text = ask(fake, 42, "/stats")
    assert "提问" in text and "热门主题" in text
    assert "未答好" in ask(fake, 42, "/misses") or "没有" in fake.texts_to(42)[-1]


def test_rate_limit_answers_politely(app, fake):
    bot = RunningBot(app, fake, {"rate_limit_per_minute": 3, "outgoing_max_rate": 0}).start()
    try:
        for i in range(5):
            fake.send_text(9, f"学生能认定几级{i}")
        assert fake.wait_for(lambda: len(fake.texts_to(9)) >= 5)
        texts = fake.texts_to(9)
        assert sum("太快" in t for t in texts) == 2 and sum("〔1.1〕" in t for t in texts) == 3
    finally:
        bot.stop()


@pytest.mark.parametrize("kind", ["long", "emoji", "sticker", "photo", "edited", "forged", "stale", "empty_data"])
def test_bad_updates_never_crash_the_bot(running, fake, kind):
    uid = 300
    if kind == "long":
        fake.send_text(uid, "技" * 10000)
    elif kind == "emoji":
        fake.send_text(uid, "😀😀😀")
    elif kind == "sticker":
        fake.send_raw_message(uid, {"sticker": {"file_id": "s", "file_unique_id": "s", "type": "regular",
                                                "width": 1, "height": 1, "is_animated": False, "is_video": False}})
    elif kind == "photo":
        fake.send_raw_message(uid, {"photo": [{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}]})
    elif kind == "edited":
        fake.send_text(uid, "老师能认定几级", edited=True)
    elif kind == "forged":
        fake.press(uid, "a:99999:yes")
    elif kind == "stale":
        fake.press(uid, "m:1:" + "9" * 40)
    elif kind == "empty_data":
        fake.press(uid, "")
    time.sleep(0.5)
    # the bot is alive and answers the next message (a late reply to the bad update may come first)
    answered = sum("〔1.1〕" in t for t in fake.texts_to(uid))
    fake.send_text(uid, "学生能认定几级")
    assert fake.wait_for(lambda: sum("〔1.1〕" in t for t in fake.texts_to(uid)) > answered)
    if kind in ("sticker", "photo"):
        assert any("文字" in t for t in fake.texts_to(uid))
    if kind == "long":
        assert any("太长" in t for t in fake.texts_to(uid))


def test_group_chat_answers_only_when_addressed(running, fake):
    group = -1001
    fake.send_text(11, "学生能认定几级", chat_type="supergroup", chat_id=group)
    time.sleep(0.6)
    assert not fake.texts_to(group)
    ask(fake, 11, "@skillcert_test_bot 学生能认定几级", chat_type="supergroup", chat_id=group)
    assert "〔1.1〕" in fake.texts_to(group)[-1]
    ask(fake, 11, "那老师呢", chat_type="supergroup", chat_id=group, reply_to_bot=True)
    assert len(fake.texts_to(group)) == 2


def test_a_failing_call_is_logged_and_the_bot_goes_on(running, fake, caplog):
    fake.fail_methods["sendMessage"] = 400
    fake.send_text(12, "学生能认定几级")
    time.sleep(0.8)
    assert "〔1.1〕" in ask(fake, 12, "学生能认定几级")


def test_split_text_keeps_paragraphs_and_limit():
    text = "\n\n".join(["段落" * 300] * 10)
    parts = split_text(text, 4000)
    assert all(len(p) <= 4000 for p in parts) and "".join(parts).replace("\n", "") == text.replace("\n", "")
    assert split_text("x" * 9000, 4000) == ["x" * 4000, "x" * 4000, "x" * 1000]


def test_rate_limit_window():
    r = RateLimit(2)
    assert r.check("u", 0) == 0 and r.check("u", 1) == 0 and r.check("u", 2) > 0
    assert r.check("u", 61) == 0


# ---------------------------------------------------------------- the real process


def start_process(env):
    return subprocess.Popen(skillcert_cmd() + ["telegram"], env=env, cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def stop_process(p) -> str:
    """Stop the bot as Ctrl-C does (SIGINT), killing it if it hangs; return its stderr."""
    p.send_signal(signal.SIGINT)
    try:
        _, err = p.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        p.kill()
        _, err = p.communicate()
    return err


def test_process_restart_mid_questionnaire_resumes(env, fake):
    env = dict(env, TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_BASE_URL=fake.base_url)
    p = start_process(env)
    try:
        assert fake.wait_for(lambda: fake.sent("getUpdates"), timeout=30)
        fake.send_text(20, "/check")
        assert fake.wait_for(lambda: len(fake.texts_to(20)) >= 2, timeout=20)
        tap(fake, 20, "技工院校")
        tap(fake, 20, "是")
        keyboard = fake.last_keyboard(20)  # 社会培训评价组织资质? [是][否]
        p.send_signal(signal.SIGKILL)
        p.wait(10)
        p = start_process(env)
        yes = next(b["callback_data"] for row in keyboard for b in row if b["text"] == "是")
        before = len(fake.texts_to(20))
        fake.press(20, yes)
        assert fake.wait_for(lambda: len(fake.texts_to(20)) > before, timeout=30)
        assert "预备技师班" in fake.texts_to(20)[-1]  # continued at the next question
    finally:
        err = stop_process(p)
    assert TOKEN not in err and "Traceback" not in err


@pytest.mark.parametrize("token, message", [("", "not set"), ("not-a-token", "does not look like")])
def test_missing_or_malformed_token_is_one_line(env, token, message):
    env = dict(env, TELEGRAM_BOT_TOKEN=token)
    p = subprocess.run(skillcert_cmd() + ["telegram"], env=env, cwd=ROOT, capture_output=True, text=True, timeout=30)
    assert p.returncode == 2 and message in p.stderr and len(p.stderr.strip().splitlines()) == 1


def test_refused_token_is_one_line(env, fake):
    env = dict(env, TELEGRAM_BOT_TOKEN="999999:REFUSED-token-abcdefghijklmnop", TELEGRAM_BASE_URL=fake.base_url)
    p = subprocess.run(skillcert_cmd() + ["telegram"], env=env, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert p.returncode == 2 and "refused the token" in p.stderr and "Traceback" not in p.stderr
    assert "REFUSED-token" not in p.stderr


def test_webhook_mode_process(env, fake, tmp_path):
    """The real process in webhook mode: setWebhook with the secret, updates POSTed to it, replies sent."""
    import json
    import socket
    import urllib.error
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = tmp_path / "config.toml"
    config.write_text((ROOT / "config.toml").read_text(encoding="utf-8")
                      .replace('mode = "polling"', 'mode = "webhook"')
                      .replace("webhook_port = 8443", f"webhook_port = {port}")
                      .replace('webhook_url = ""', f'webhook_url = "http://127.0.0.1:{port}"')
                      .replace('knowledge_db = "var/kb.sqlite"', f'knowledge_db = "{env["SKILLCERT_KB"]}"')
                      .replace('state_db = "var/skillcert.sqlite"', f'state_db = "{tmp_path / "state.sqlite"}"'),
                      encoding="utf-8")
    env = dict(env, TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_BASE_URL=fake.base_url, SKILLCERT_CONFIG=str(config),
               TELEGRAM_WEBHOOK_SECRET="s3cret-Token_1")
    p = start_process(env)
    try:
        assert fake.wait_for(lambda: fake.sent("setWebhook"), timeout=30)
        hook = fake.sent("setWebhook")[0]
        assert hook["url"] == f"http://127.0.0.1:{port}/telegram" and hook["secret_token"] == "s3cret-Token_1"
        update = {"update_id": 1, "message": {"message_id": 5, "date": int(time.time()), "text": "学生能认定几级",
                                              "chat": {"id": 31, "type": "private"},
                                              "from": {"id": 31, "is_bot": False, "first_name": "W"}}}

        def post(secret):
            req = urllib.request.Request(f"http://127.0.0.1:{port}/telegram", data=json.dumps(update).encode(),
                                         headers={"Content-Type": "application/json",
                                                  "X-Telegram-Bot-Api-Secret-Token": secret})
            try:
                return urllib.request.urlopen(req, timeout=10).status
            except urllib.error.HTTPError as e:
                return e.code
            except (urllib.error.URLError, ConnectionError):
                return None  # not listening yet: setWebhook may come before the server is up

        assert fake.wait_for(lambda: post("wrong") == 403, timeout=20)  # the server is up; a bad secret is refused
        assert post("s3cret-Token_1") == 200
        assert fake.wait_for(lambda: any("〔1.1〕" in t for t in fake.texts_to(31)), timeout=20)
    finally:
        err = stop_process(p)
    assert TOKEN not in err and "Traceback" not in err


def test_a_document_sent_in_the_chat_becomes_the_occupation_list(running, fake, app, kb):
    from test_questionnaire_chat import att3_bytes

    uid = 61
    data = att3_bytes(kb, [{"name": "车工", "code": "6-18-01-01", "work_type": "数控车工", "levels": [4, 3]}])
    fake.send_document(uid, "附件3-评价机构信息与认定范围清单.xlsx", data)
    assert fake.wait_for(lambda: any("读入 1 个工种" in t for t in fake.texts_to(uid)))
    assert fake.sent("getFile")
    assert app.store.get_profile(f"tg:{uid}")["occupations"][0]["work_type"] == "数控车工"
    fake.send_document(uid, "notes.xlsx", b"not a spreadsheet")
    assert fake.wait_for(lambda: any("读不了这个文件" in t for t in fake.texts_to(uid)))
