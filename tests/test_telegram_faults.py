"""Telegram under hostile input and faults (issue 10): commands for other bots, taps and the rate
limit, group prompts, repeated updates, failed sends (500, 429, an outage during a long poll)."""
from __future__ import annotations

import time

import pytest

from test_telegram import RunningBot, ask, fake, running, settings  # noqa: F401  (fixtures)


@pytest.fixture
def fast_retry():
    return {"admin_ids": [42], "rate_limit_per_minute": 60, "outgoing_max_rate": 0, "send_retry_seconds": 60,
            "send_retry_first": 0.05}


def run_bot(app, fake, settings):
    return RunningBot(app, fake, settings).start()


def test_commands_for_another_bot_are_not_ours(app, fake, settings):
    bot = run_bot(app, fake, settings)
    try:
        group = -2001
        ask(fake, 50, "@skillcert_test_bot 学生能认定几级", chat_type="supergroup", chat_id=group)
        assert app.store.count_rows("tg:50") > 0
        for text in ("/forget@other_bot", "/forget@OtherBot now"):
            fake.send_text(50, text, chat_type="supergroup", chat_id=group)
        fake.send_text(50, "/forget@other_bot")  # in a private chat too
        ask(fake, 51, "/help", chat_type="supergroup", chat_id=group)  # a later update was handled …
        ask(fake, 51, "/help")
        assert app.store.count_rows("tg:50") > 0  # … and the other bot's /forget erased nothing
        assert not any("已删除" in t for t in fake.texts_to(group) + fake.texts_to(50))
        assert "已删除" in ask(fake, 50, "/forget@skillcert_test_bot", chat_type="supergroup", chat_id=group)
        assert app.store.count_rows("tg:50") == 0
    finally:
        bot.stop()


def test_taps_count_against_the_rate_limit(app, fake):
    bot = run_bot(app, fake, {"rate_limit_per_minute": 3, "outgoing_max_rate": 0})
    try:
        for _ in range(10):
            fake.press(60, "t:teacher_certification")
        assert fake.wait_for(lambda: len(fake.sent("answerCallbackQuery")) >= 10)
        time.sleep(0.3)
        assert sum("〔2.3〕" in t for t in fake.texts_to(60)) == 3
        slow = [c for c in fake.sent("answerCallbackQuery") if "太快" in (c.get("text") or "")]
        assert len(slow) == 7
    finally:
        bot.stop()


def test_feedback_is_stored_once_per_user_and_answer(running, fake, app):
    for data in ["f:+:teacher_certification"] * 5 + ["f:-:teacher_certification"]:
        fake.press(61, data)
    assert fake.wait_for(lambda: len(fake.sent("answerCallbackQuery")) >= 6)

    def rows():
        return app.store.conn.execute("select intent, value from feedback where user = 'tg:61'").fetchall()
    fake.wait_for(lambda: rows() == [("teacher_certification", -1)])  # the last write may follow its pop-up
    assert rows() == [("teacher_certification", -1)]


def test_a_tap_on_another_users_prompt_changes_nothing(running, fake, app):
    group = -2002
    ask(fake, 70, "@skillcert_test_bot /check", chat_type="supergroup", chat_id=group, n=2)
    ask(fake, 70, "/check@skillcert_test_bot", chat_type="supergroup", chat_id=group, n=2)
    prompt = [p for p in fake.sent("sendMessage", group) if p.get("reply_markup")][-1]
    message = fake.sent_message(prompt)
    assert message["reply_to_message"]["from"]["id"] == 70  # the prompt answers user 70's message
    data = prompt["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    state70, state71 = app.store.get_state("tg:70"), app.store.get_state("tg:71")
    edits, sends = len(fake.sent("editMessageText")), len(fake.sent("sendMessage", group))
    fake.press(71, data, message)
    assert fake.wait_for(lambda: len(fake.sent("answerCallbackQuery")) >= 1)
    time.sleep(0.3)
    assert app.store.get_state("tg:70") == state70 and app.store.get_state("tg:71") == state71
    assert len(fake.sent("editMessageText")) == edits and len(fake.sent("sendMessage", group)) == sends
    fake.press(70, data, message)  # its owner's tap works
    assert fake.wait_for(lambda: len(fake.sent("editMessageText")) > edits)
    assert app.store.get_state("tg:70") != state70


def test_a_repeated_update_is_handled_once(running, fake, app):
    uid = 80
    ask(fake, uid, "/check", n=2)
    ask(fake, uid, "1")  # 技工院校
    n = fake.send_text(uid, "是")
    assert fake.wait_for(lambda: len(fake.texts_to(uid)) >= 4)
    before = app.store.get_state(f"tg:{uid}")
    fake.redeliver(n)
    ask(fake, uid, "/help")
    assert app.store.get_state(f"tg:{uid}")["q"]["answers"] == before["q"]["answers"]


def test_a_500_on_send_is_retried(app, fake, fast_retry):
    bot = run_bot(app, fake, fast_retry)
    try:
        fake.fail("sendMessage", 500, times=3)
        fake.send_text(90, "学生能认定几级")
        assert fake.wait_for(lambda: any("〔1.1〕" in t for t in fake.texts_to(90)), timeout=30)
        assert len(fake.failures("sendMessage")) == 3
    finally:
        bot.stop()


def test_a_429_waits_as_told(app, fake, fast_retry):
    bot = run_bot(app, fake, fast_retry)
    try:
        fake.fail("sendMessage", 429, times=1, retry_after=1)
        fake.send_text(91, "学生能认定几级")
        assert fake.wait_for(lambda: any("〔1.1〕" in t for t in fake.texts_to(91)), timeout=30)
        assert [f[2] for f in fake.failures("sendMessage")] == [429]
    finally:
        bot.stop()


def test_updates_fetched_during_an_outage_are_answered(app, fake, fast_retry):
    bot = run_bot(app, fake, fast_retry)
    try:
        ask(fake, 92, "/help")
        assert fake.wait_for(lambda: fake.calls and fake.calls[-1][0] == "getUpdates")
        time.sleep(0.1)  # a long poll is open
        fake.outage()
        for uid in (92, 93):
            fake.send_text(uid, "学生能认定几级")  # delivered by the poll that was open
        assert fake.wait_for(lambda: len(fake.failures("sendMessage")) >= 4, timeout=30)
        fake.recover()
        for uid in (92, 93):
            assert fake.wait_for(lambda: any("〔1.1〕" in t for t in fake.texts_to(uid)), timeout=60)
    finally:
        fake.recover()
        bot.stop()


def test_a_send_that_keeps_failing_is_given_up_and_logged(app, fake, fast_retry, caplog):
    bot = run_bot(app, fake, dict(fast_retry, send_retry_seconds=0.5))
    try:
        with caplog.at_level("ERROR", logger="skillcert.telegram"):
            fake.fail("sendMessage", 500, times=10_000)
            fake.send_text(94, "学生能认定几级")
            assert fake.wait_for(lambda: any("gave up" in r.getMessage() for r in caplog.records), timeout=30)
            fake.faults.clear()
            assert "〔1.1〕" in ask(fake, 94, "学生能认定几级")  # the bot goes on
    finally:
        bot.stop()


def test_admin_misses_in_a_group_go_to_a_private_chat(running, fake):
    ask(fake, 8, "认定考试收费标准是多少")
    group = -3001
    ask(fake, 42, "/misses@skillcert_test_bot", chat_type="supergroup", chat_id=group, n=1)
    assert fake.wait_for(lambda: any("收费" in t for t in fake.texts_to(42)))
    assert not any("收费" in t for t in fake.texts_to(group))


def test_lone_surrogates_from_telegram_are_cleaned(running, fake, app):
    assert "〔1.1〕" in ask(fake, 95, "\ud800学生能认定几级\udfff")
    n = len(fake.texts_to(95))
    fake.press(95, "a:1:\ud800")
    assert fake.wait_for(lambda: len(fake.texts_to(95)) > n)  # a notice, not a crash
    assert "〔1.1〕" in ask(fake, 95, "学生能认定几级")
    assert all("\ud800" not in t for (t,) in app.store.conn.execute("select text from questions"))


def test_a_tap_on_another_users_prompt_without_reply_info_changes_nothing(running, fake, app):
    """The prompt's owner is remembered when it is sent, whatever the tapped message carries."""
    group = -2003
    ask(fake, 72, "/check@skillcert_test_bot", chat_type="supergroup", chat_id=group, n=2)
    sent = [p for p in fake.sent("sendMessage", group) if p.get("reply_markup")][-1]
    results = [r for m, p, r in fake.results if m == "sendMessage" and p is sent]
    bare = {"message_id": results[0]["message_id"], "date": int(time.time()),
            "chat": {"id": group, "type": "supergroup"}, "from": {"id": 7000001, "is_bot": True, "first_name": "S"},
            "text": "question", "reply_markup": sent["reply_markup"]}
    data = sent["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    state72 = app.store.get_state("tg:72")
    edits = len(fake.sent("editMessageText"))
    fake.press(73, data, bare)
    assert fake.wait_for(lambda: any("其他用户" in (c.get("text") or "") for c in fake.sent("answerCallbackQuery")))
    assert app.store.get_state("tg:72") == state72 and not app.store.get_state("tg:73")
    assert len(fake.sent("editMessageText")) == edits
    fake.press(72, data, bare)
    assert fake.wait_for(lambda: app.store.get_state("tg:72") != state72)
