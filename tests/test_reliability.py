"""Reliability (issue 10): no input crashes a channel, no answer is dropped or lands in the wrong
field, stored data ages out. Real SQLite files and real processes throughout."""
from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.dialogue import Dialogue

# ---------------------------------------------------------------- 1. multi-turn sessions

TURNS = ["学生能认定几级", "省属", "市属", "那一级呢？", "老师呢", "能给老师认定二级吗？", "what about level 1?", "交到哪里？",
         "学生呢", "3+2呢", "技师", "我们是省属的", "二级", "?", "呢", "那", "and students?", "附件1", "预备技师班呢",
         "我们还没有资格", "谢谢", "/check", "是", "否", "/cancel"]
TURN = st.one_of(st.sampled_from(TURNS), st.text(max_size=40),
                 st.text(st.characters(blacklist_categories=()), max_size=12))  # lone surrogates too


def test_short_follow_up_matching_no_topic_does_not_crash(engine):
    first = engine.answer("学生能认定几级")
    second = engine.answer("省属", state=first.state)
    assert second.text


@settings(max_examples=150, deadline=None)
@given(turns=st.lists(TURN, min_size=2, max_size=6))
def test_any_sequence_of_turns_through_the_engine(engine, turns):
    state: dict = {}
    for t in turns:
        a = engine.answer(t, state=state)
        assert a.text and (a.verdict is None or a.clauses)
        state = a.state


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(turns=st.lists(TURN, min_size=2, max_size=6))
def test_any_sequence_of_turns_through_the_dialogue(app, turns):
    d = Dialogue(app)
    app.store.forget("turns")
    for t in turns:
        replies = d.handle_text("turns", t)
        assert replies and all(r.text for r in replies)


# ---------------------------------------------------------------- 2. ask --jsonl: one line in, one line out

def run_bytes(args, env, stdin: bytes, timeout=120):
    import subprocess

    from conftest import ROOT, skillcert_cmd

    return subprocess.run(skillcert_cmd() + args, input=stdin, capture_output=True, env=env, timeout=timeout, cwd=ROOT)


def test_jsonl_bad_lines_never_stop_the_batch(env):
    good = json.dumps({"id": "ok", "question": "能给老师认定三级吗"}, ensure_ascii=False).encode()
    lines = [
        b'{"id": "s1", "question": "\\ud800\\u80fd\\u7ed9\\u8001\\u5e08\\u8ba4\\u5b9a\\u4e09\\u7ea7\\u5417"}',
        b'{"id": "\\udfff", "question": "x"}',
        b"[" * 50000 + b"]" * 50000,
        b'{"id": 1, "question": "\xff\xfe\xe4\xb8"}',
        b'{"id": NaN, "question": "a"}',
        b'{"id": Infinity, "question": "a"}',
        b'{"id": "big", "question": 1e999}',
        b"",
        b"   ",
        good,
    ]
    p = run_bytes(["ask", "--jsonl"], env, b"\n".join(lines) + b"\n")
    assert p.returncode == 0, p.stderr
    out_text = p.stdout.decode("utf-8")  # valid UTF-8
    outs = [json.loads(x, parse_constant=lambda c: pytest.fail(f"non-strict JSON {c}")) for x in out_text.splitlines()]
    assert len(outs) == len(lines)
    assert outs[0]["id"] == "s1" and outs[0]["clauses"] and "\ud800" not in outs[0]["question"]
    assert "error" not in outs[1] and outs[1]["id"] != "\udfff"
    assert "line 3" in outs[2]["error"] and outs[2]["id"] is None
    assert "UTF-8" in outs[3]["error"]
    assert "id" in outs[4]["error"] and outs[4]["id"] is None
    assert "id" in outs[5]["error"] and outs[5]["id"] is None
    assert "question" in outs[6]["error"] and outs[6]["id"] == "big"
    assert "empty" in outs[7]["error"] and "empty" in outs[8]["error"]
    assert outs[9]["id"] == "ok" and outs[9]["clauses"]


def test_jsonl_a_huge_line_gets_an_error_and_little_memory(env):
    import subprocess
    import sys

    from conftest import ROOT, skillcert_cmd

    huge = b'{"id": "huge", "question": "' + "技".encode() * (10 * 1024 * 1024) + b'"}'  # 30 MB
    good = json.dumps({"id": "after", "question": "能给老师认定三级吗"}, ensure_ascii=False).encode()
    measure = ("import resource, subprocess, sys\n"
               "p = subprocess.run(sys.argv[1:], stdin=sys.stdin, stdout=subprocess.PIPE)\n"
               "sys.stdout.buffer.write(p.stdout)\n"
               "sys.stderr.write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))\n")
    p = subprocess.run([sys.executable, "-c", measure] + skillcert_cmd() + ["ask", "--jsonl"],
                       input=huge + b"\n" + good + b"\n", capture_output=True, env=env, timeout=300, cwd=ROOT)
    outs = [json.loads(x) for x in p.stdout.decode().splitlines()]
    assert len(outs) == 2
    assert "too long" in outs[0]["error"] and outs[1]["id"] == "after" and outs[1]["clauses"]
    peak_mb = int(p.stderr.decode().strip().splitlines()[-1]) / 1024
    assert peak_mb < 200, peak_mb


# ---------------------------------------------------------------- 3. the answer whatever the log does

def test_ask_answers_when_the_state_db_is_not_a_database(env, tmp_path):
    from conftest import run_cli

    bad = tmp_path / "state.sqlite"
    bad.write_bytes(b"this is not a database" * 100)
    p = run_cli(["ask", "我们能给老师认定二级吗？"], dict(env, SKILLCERT_DB=str(bad)))
    assert p.returncode == 0 and "〔2.3〕" in p.stdout
    assert str(bad) in p.stderr and "not an SQLite database" in p.stderr and "Traceback" not in p.stderr


def test_ask_answers_when_the_state_db_cannot_be_created(env, tmp_path):
    from conftest import run_cli

    blocker = tmp_path / "var"
    blocker.write_text("a file where the folder should be")
    for target in (blocker / "state.sqlite", tmp_path):  # under a file; a folder in place of the file
        p = run_cli(["ask", "--json", "能给老师认定二级吗"], dict(env, SKILLCERT_DB=str(target)))
        assert p.returncode == 0 and json.loads(p.stdout)["clauses"][0] == "2.3"
        assert str(target) in p.stderr and "warning" in p.stderr and "Traceback" not in p.stderr


def test_a_full_disk_is_named_and_the_answer_still_comes(app, caplog):
    store = app.store
    store.log_question("x", "warm up", "zh", None, 0.0, False)
    pages = store.conn.execute("pragma page_count").fetchone()[0]
    store.conn.execute(f"pragma max_page_count = {pages}")
    with caplog.at_level("WARNING"):
        for i in range(200):  # fill the last pages
            ans = app.ask("cli", "我们能给老师认定二级吗？" + "很长的问题" * 100, remember=False)
            assert "〔2.3〕" in ans.text
    assert any("disk full" in r.getMessage() and str(store.path) in r.getMessage() for r in caplog.records)


def test_terminal_input_that_is_not_utf8_gets_an_answer(env, tmp_path):
    p = run_bytes(["chat"], dict(env, SKILLCERT_FILES=str(tmp_path), LC_ALL="C", LANG="C", PYTHONIOENCODING=""),
                  b"\xff\xfe\xe5\xad\xa6\xe7\x94\x9f\xe8\x83\xbd\xe8\xae\xa4\xe5\xae\x9a\xe5\x87\xa0\xe7\xba\xa7\n/quit\n")
    assert p.returncode == 0 and b"Traceback" not in p.stderr
    assert "〔1.1〕".encode() in p.stdout  # the undecodable bytes dropped, the question answered


def test_ask_with_undecodable_argv_is_bad_input(env):
    import subprocess

    from conftest import ROOT, skillcert_cmd

    p = subprocess.run(skillcert_cmd() + [b"ask", b"\xff\xfe\xe8\x80"], capture_output=True, env=env, cwd=ROOT)
    assert p.returncode == 2 and b"UTF-8" in p.stderr and p.stdout == b""


@pytest.mark.parametrize("q", ["\u200b", "\u200b\u200c\ufeff", " \u2060 ", "\t"])
def test_ask_invisible_only_input_is_bad_input_like_whitespace(env, q):
    from conftest import run_cli

    p = run_cli(["ask", q], env)
    assert p.returncode == 2 and "question" in p.stderr and p.stdout == ""


@pytest.mark.parametrize("text", ["\ud800", "能给老师认定二级吗\udfff", "\udcff\udcfe", "a\ud83d"])
def test_lone_surrogates_are_cleaned_at_the_dialogue(app, text):
    d = Dialogue(app)
    for replies in (d.handle_text("sur", text), d.handle_button("sur", text), d.handle_text("sur", "/check"),
                    d.handle_text("sur", text)):
        assert replies and all(r.text.encode("utf-8") for r in replies)
    app.store.conn.execute("select text from questions").fetchall()


def test_ask_on_a_really_full_disk(env, tmp_path):
    """A tiny real file system (tmpfs) filled up; skipped where mounting is not allowed."""
    import subprocess

    from conftest import run_cli

    mnt = tmp_path / "tiny"
    mnt.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=192k", "tmpfs", str(mnt)], capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        db = mnt / "state.sqlite"
        e = dict(env, SKILLCERT_DB=str(db))
        assert run_cli(["ask", "你好"], e).returncode == 0  # the database exists
        import os

        fd = os.open(mnt / "filler", os.O_WRONLY | os.O_CREAT)
        try:
            while os.write(fd, b"\0" * 4096):
                pass
        except OSError:
            pass  # the disk is full
        finally:
            os.close(fd)
        p = run_cli(["ask", "我们能给老师认定二级吗？" + "长" * 1500], e)
        assert p.returncode == 0 and "〔2.3〕" in p.stdout
        assert "disk full" in p.stderr and str(db) in p.stderr, p.stderr
        subprocess.run(["mount", "-o", "remount,ro", str(mnt)], check=True)  # now read-only
        p = run_cli(["ask", "我们能给老师认定二级吗？"], e)
        assert p.returncode == 0 and "〔2.3〕" in p.stdout
        assert "read-only" in p.stderr and str(db) in p.stderr, p.stderr
    finally:
        subprocess.run(["umount", str(mnt)])


# ---------------------------------------------------------------- 7. state under concurrency

def test_two_processes_on_one_state_db_keep_every_answer_in_its_field(env, tmp_path):
    """One process answers the questionnaire for many users while another asks questions for the
    same users (a web page's two workers): each profile is exactly what its user typed."""
    import subprocess
    import sys

    from bot.app import App
    from conftest import ROOT
    from test_dialogue import FLOW

    users = [f"w{i}" for i in range(4)]
    stop = tmp_path / "stop"
    worker = str(ROOT / "tests" / "concurrency_worker.py")
    noises = [subprocess.Popen([sys.executable, worker, "noise", str(stop)] + users[i:] + users[:i], env=env,
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for i in (0, 1)]
    form = subprocess.run([sys.executable, worker, "form", str(stop)] + users, env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    stop.touch()
    for noise in noises:
        n_out, n_err = noise.communicate(timeout=120)
        assert noise.returncode == 0 and n_out.startswith("ok"), n_err
        assert int(n_out.split()[1]) > 0, n_out
    assert form.returncode == 0 and form.stdout.startswith("ok"), form.stdout + form.stderr
    typed = [v for k, v in FLOW if k == "text"]
    app = App.from_config()
    for u in users:
        p = app.store.get_profile(u)
        assert p.get("org") and p.get("occupations"), (u, p)
        org, occ = p["org"], p["occupations"][0]
        assert (org["name"], org["address"], org["credit_code"], org["registrar"], org["legal_rep"],
                org["contact"], org["title"], org["phone"], org["email"]) == tuple(typed[:9]), (u, p)
        assert (occ["name"], occ["code"], occ["levels"], occ["experience"], occ["assessed_count"]) == \
            ("电工", "6-31-01-03", [5, 4, 3], "2018年至今", 120)
        assert not org.get("capital") and not org.get("short_name")


def test_each_terminal_chat_has_its_own_conversation_unless_resumed(env, tmp_path):
    from conftest import run_cli

    e = dict(env, SKILLCERT_FILES=str(tmp_path / "files"))
    first = run_cli(["chat"], e, stdin="/check\n1\n/quit\n")
    assert "学生职业技能等级认定资格" in first.stdout  # question 2 of the questionnaire
    resumed = run_cli(["chat", "--resume"], e, stdin="/back\n/quit\n")
    assert "贵单位属于哪类机构" in resumed.stdout  # the last chat's questionnaire, one step back
    other = run_cli(["chat"], e, stdin="1\n/quit\n")  # another window: its "1" is not an answer to the first
    assert "学生职业技能等级认定资格" not in other.stdout and "贵单位属于哪类机构" not in other.stdout
    assert first.returncode == other.returncode == resumed.returncode == 0


def test_a_repeated_update_key_is_ignored(app):
    assert app.store.first_time("tg:1") and not app.store.first_time("tg:1") and app.store.first_time("tg:2")


# ---------------------------------------------------------------- 8. privacy

def test_old_logs_feedback_and_files_age_out(app, tmp_path):
    import os
    import time

    from bot.store import prune_dir

    store = app.store
    old = time.time() - 200 * 86400
    f_old, f_new = tmp_path / "20250101-000000" / "old.docx", tmp_path / "20260101-000000" / "new.docx"
    for f in (f_old, f_new):
        f.parent.mkdir()
        f.write_bytes(b"PK")
    for t, f in ((old, f_old), (time.time(), f_new)):
        store.conn.execute("insert into questions(user, time, text, lang, intent, score, covered) "
                           "values('u', ?, 'q', 'zh', null, 0, 0)", (t,))
        store.conn.execute("insert into misses(user, time, text) values('u', ?, 'q')", (t,))
        store.conn.execute("insert into feedback(user, time, intent, value) values('u', ?, 'x', 1)", (t,))
        store.conn.execute("insert into files(user, time, path) values('u', ?, ?)", (t, str(f)))
    assert store.prune(180) == 4
    for table in ("questions", "misses", "feedback", "files"):
        assert store.conn.execute(f"select count(*) from {table}").fetchone()[0] == 1
    assert not f_old.exists() and not f_old.parent.exists() and f_new.exists()
    stray = tmp_path / "terminal_x" / "20250102-000000" / "stray.xlsx"  # a channel's run, not in the database
    stray.parent.mkdir(parents=True)
    mine = tmp_path / "notes.txt"  # not a channel's run folder: never touched
    mine.write_text("x")
    os.utime(mine, (old, old))
    stray.write_bytes(b"PK")
    os.utime(stray, (old, old))
    assert prune_dir(tmp_path, 180) == 1 and not stray.exists() and f_new.exists() and mine.exists()


def test_retention_runs_at_start_and_daily(env, tmp_path):
    import time

    from bot.app import App
    from bot.store import Store

    s = Store(env["SKILLCERT_DB"])
    s.conn.execute("insert into questions(user, time, text, lang, intent, score, covered) values('u', ?, 'q', 'zh', null, 0, 0)",
                   (time.time() - 181 * 86400,))
    s.close()
    app = App.from_config()
    d = Dialogue(app)
    assert app.store.conn.execute("select count(*) from questions where user = 'u'").fetchone()[0] == 0  # at start
    app.store.conn.execute("insert into questions(user, time, text, lang, intent, score, covered) values('u', ?, 'q', 'zh', null, 0, 0)",
                           (time.time() - 181 * 86400,))
    d.handle_text("v", "你好")
    assert app.store.conn.execute("select count(*) from questions where user = 'u'").fetchone()[0] == 1
    app._last_prune -= 86400 + 1  # a day later
    d.handle_text("v", "你好")
    assert app.store.conn.execute("select count(*) from questions where user = 'u'").fetchone()[0] == 0


def test_forget_leaves_nothing_on_disk(app, tmp_path):
    from pathlib import Path

    marker = "独一无二的标记问题ZQX"
    d = Dialogue(app)
    d.handle_text("gone", marker)
    f = tmp_path / "made" / "附件1.docx"
    f.parent.mkdir()
    f.write_bytes(b"PK")
    app.store.add_file("gone", f)
    assert app.store.conn.execute("pragma secure_delete").fetchone()[0] == 1
    d.handle_text("gone", "/forget")
    assert not f.exists()
    db = Path(app.store.path)
    wal = Path(str(db) + "-wal")
    data = db.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
    assert marker.encode() not in data
    assert not wal.exists() or wal.stat().st_size == 0


def test_terminal_files_are_recorded_and_forgotten(env, tmp_path):
    from conftest import run_cli
    from test_terminal import SCRIPT

    files = tmp_path / "files"
    e = dict(env, SKILLCERT_FILES=str(files))
    p = run_cli(["chat"], e, stdin=SCRIPT.replace("/quit", "/forget\n/quit"), timeout=120)
    assert p.returncode == 0 and "已删除" in p.stdout
    assert not [f for f in files.rglob("*") if f.is_file()]  # /forget took the generated documents too


def test_debug_logs_carry_no_message_text(env, tmp_path):
    import subprocess

    from conftest import ROOT, skillcert_cmd
    from fakebot import FakeBotAPI
    from test_telegram import TOKEN, stop_process

    marker = "机密问题ZQX学生能认定几级"
    for log_texts in ("false", "true"):
        fake = FakeBotAPI(TOKEN).start()
        config = tmp_path / f"config-{log_texts}.toml"
        config.write_text((ROOT / "config.toml").read_text(encoding="utf-8")
                          .replace('log_level = "INFO"', 'log_level = "DEBUG"')
                          .replace("log_texts = false", f"log_texts = {log_texts}")
                          .replace('knowledge_db = "var/kb.sqlite"', f'knowledge_db = "{env["SKILLCERT_KB"]}"')
                          .replace('state_db = "var/skillcert.sqlite"', f'state_db = "{tmp_path / log_texts / "s.sqlite"}"'),
                          encoding="utf-8")
        e = dict(env, TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_BASE_URL=fake.base_url, SKILLCERT_CONFIG=str(config))
        e.pop("SKILLCERT_DB")
        e.pop("SKILLCERT_KB")
        p = subprocess.Popen(skillcert_cmd() + ["telegram"], env=e, cwd=ROOT, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
        try:
            assert fake.wait_for(lambda: fake.sent("getUpdates") or p.poll() is not None, timeout=30)
            assert p.poll() is None, p.communicate()[1]
            fake.send_text(500, marker)
            assert fake.wait_for(lambda: fake.texts_to(500), timeout=30)
        finally:
            err = stop_process(p)
            fake.stop()
        assert "DEBUG" in err
        assert (marker in err) == (log_texts == "true"), err[-2000:]


# ---------------------------------------------------------------- 9. small items

def test_a_stale_kb_tmp_file_is_removed_at_the_next_start(env, tmp_path):
    import os

    from bot.kb import load
    from conftest import ROOT

    kb_path = tmp_path / "kb.sqlite"
    e = dict(env, SKILLCERT_KB=str(kb_path))
    from conftest import run_cli

    assert run_cli(["kb", "build"], e).returncode == 0
    stale = tmp_path / "kb.tmp999999"  # what a killed `kb build` leaves (that pid is gone)
    stale.write_bytes(b"half a database")
    mine = tmp_path / f"kb.tmp{os.getpid()}"  # a build still running
    mine.write_bytes(b"in progress")
    load(ROOT, kb_path)
    assert not stale.exists() and mine.exists()


def test_old_generated_files_are_swept_at_the_first_message(env, tmp_path, monkeypatch):
    import os
    import time

    from bot import userfiles
    from bot.app import App

    monkeypatch.setenv("SKILLCERT_FILES", str(tmp_path / "files"))
    old = userfiles.user_dir("terminal_abc") / "20250101-000000" / "checklist.md"
    new = userfiles.user_dir("tg_1") / "20260101-000000" / "checklist.md"
    for f in (old, new):
        f.parent.mkdir(parents=True)
        f.write_text("x", encoding="utf-8")
    t = time.time() - 181 * 86400
    os.utime(old, (t, t))
    Dialogue(App.from_config()).handle_text("someone", "你好")
    assert not old.exists() and not old.parent.exists() and new.exists()


def test_chat_on_a_broken_state_db_is_one_plain_line(env, tmp_path):
    from conftest import run_cli

    bad = tmp_path / "state.sqlite"
    bad.write_bytes(b"not a database" * 100)
    p = run_cli(["chat"], dict(env, SKILLCERT_DB=str(bad), SKILLCERT_FILES=str(tmp_path)), stdin="你好\n")
    assert p.returncode == 1 and "Traceback" not in p.stderr
    assert p.stderr.strip() == f"skillcert: state database {bad}: not an SQLite database"
