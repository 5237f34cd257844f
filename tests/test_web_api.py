"""The web channel's HTTP API against the real `skillcert web` process on 127.0.0.1 (SPEC: Web)."""
from __future__ import annotations

import io
import json
import re
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import httpx
import pytest

from bot.channels.web.app import user_key
from conftest import ROOT
from webflow import step_for
from webserver import WebServer, buttons, client, say, tap

WEB = ROOT / "bot" / "channels" / "web"


@pytest.fixture
def server(env, tmp_path):
    with WebServer(env, tmp_path) as s:
        s.state_db = Path(env["SKILLCERT_DB"])
        yield s


def rows(db: Path, table: str, user: str) -> int:
    with sqlite3.connect(db) as c:
        return c.execute(f"select count(*) from {table} where user = ?", (user,)).fetchone()[0]


def session_user(c: httpx.Client) -> str:
    return user_key(c.cookies["skillcert_sid"])


def test_page_embed_and_static_are_served_with_strict_headers(server):
    with client(server) as c:
        page = c.get("/")
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        assert 'src="/static/chat.js"' in page.text and "<script>" not in page.text  # no inline script
        csp = page.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'self'" in csp and "unsafe-inline" not in csp
        assert page.headers["x-content-type-options"] == "nosniff"
        assert "set-cookie" not in page.headers  # looking at the page stores nothing
        js = c.get("/embed.js")
        assert js.status_code == 200 and "javascript" in js.headers["content-type"] and "iframe" in js.text
        for name in ("chat.js", "chat.css"):
            assert c.get(f"/static/{name}").status_code == 200
    # everything the page needs comes from the server itself: no CDN, no web fonts
    for f in list((WEB / "static").iterdir()) + list((WEB / "templates").iterdir()):
        text = f.read_text(encoding="utf-8")
        assert not re.search(r"(src|href)\s*=\s*[\"']?(https?:)?//", text), f
        assert "@import" not in text and "@font-face" not in text and "innerHTML" not in text, f


def test_answer_json_cookie_and_follow_up(server):
    with client(server) as c:
        r = c.post("/api/message", json={"text": "我们能给老师认定二级吗？"})
        assert r.status_code == 200
        cookie = r.headers["set-cookie"]
        assert "HttpOnly" in cookie and "samesite=lax" in cookie.lower() and "secure" not in cookie.lower()
        reply = r.json()["replies"][0]
        assert set(reply) >= {"text", "buttons", "files"}
        assert "〔2.3〕" in reply["text"] and reply["verdict"] == "conditional"
        assert {b["data"] for b in reply["feedback"]} == {"f:+:teacher_certification", "f:-:teacher_certification"}
        # same cookie: the follow-up is resolved against the conversation
        assert "〔1.1〕" in say(c, "学生能认定到几级？")[0]["text"]
        assert "〔2.3〕" in say(c, "那老师呢？")[0]["text"]
        assert say(c, "那一级呢？")[0]["verdict"] == "no"  # about teachers: the topic before
    with client(server) as fresh:  # a new session does not share it
        # (fix37: "那老师呢？" alone is the teacher topic now, not the greeting: the follow-up tells the sessions apart)
        assert say(fresh, "那一级呢？")[0].get("verdict") is None


def test_feedback_is_stored(server):
    with client(server) as c:
        say(c, "学生能认定到几级？")
        thanks = say(c, button="f:-:student_levels")
        assert "谢谢" in thanks[0]["text"]
        with sqlite3.connect(server.state_db) as db:
            assert db.execute("select intent, value from feedback where user = ?",
                              (session_user(c),)).fetchall() == [("student_levels", -1)]


def run_questionnaire(c: httpx.Client) -> list[dict]:
    replies = say(c, "/check")
    assert replies[-1]["progress"]["step"] == 1 and replies[-1]["progress"]["total"] >= 20
    for _ in range(60):
        last = replies[-1]
        if last["files"]:
            return last["files"]
        kind, value = step_for(last["text"], [b["label"] for b in last["buttons"]])
        if kind == "tap":
            replies = tap(c, replies, value)
        elif kind == "type":
            replies = say(c, value)
        else:
            for option in value:
                replies = tap(c, replies, option)
                assert [b for b in buttons(replies) if b["label"] == option][0]["selected"] is True
            replies = tap(c, replies, "完成")
    raise AssertionError("the questionnaire did not end")


def test_questionnaire_files_only_for_their_session_and_forget(server):
    import openpyxl

    with client(server) as c, client(server) as other:
        say(other, "你好")
        files = run_questionnaire(c)
        names = {f["name"] for f in files}
        assert names == {"checklist.md", "附件1-社会培训评价组织基本情况表.docx", "附件2-职业技能等级认定工作方案.docx",
                         "附件3-评价机构信息与认定范围清单.xlsx"}
        xlsx = next(f for f in files if f["name"].endswith(".xlsx"))
        got = c.get(xlsx["url"])
        assert got.status_code == 200 and "attachment" in got.headers["content-disposition"]
        assert "filename*=UTF-8''" in got.headers["content-disposition"]
        # try27: the plain fallback was "3-.xlsx"; it keeps the meaning in ASCII
        assert 'filename="attachment3-institution-info-and-scope-list.xlsx"' in got.headers["content-disposition"]
        wb = openpyxl.load_workbook(io.BytesIO(got.content))
        cells = [str(x.value) for row in wb.active.iter_rows() for x in row if x.value is not None]
        assert "泉城高级技工学校" in cells and "5、4、3" in cells
        docx = next(f for f in files if f["name"].startswith("附件1"))
        assert zipfile.ZipFile(io.BytesIO(c.get(docx["url"]).content)).testzip() is None
        # another session, or none, or a made-up token: 404, nothing shown
        assert other.get(xlsx["url"]).status_code == 404
        assert httpx.get(server.url + xlsx["url"]).status_code == 404
        assert c.get("/files/" + "A" * 32 + "/x.xlsx").status_code == 404
        user = session_user(c)
        assert rows(server.state_db, "web_files", user) == 4 and rows(server.state_db, "profiles", user) == 1
        # expired files are refused (their creation time moved back past file_expiry_minutes)
        with sqlite3.connect(server.state_db) as db:
            db.execute("update web_files set created = created - 3601 where name like '附件2%'")
        docx2 = next(f for f in files if f["name"].startswith("附件2"))
        assert c.get(docx2["url"]).status_code == 404
        # "clear my data": nothing about the session is left, generated files included
        old_sid = c.cookies["skillcert_sid"]
        gone = say(c, "/forget")
        assert "已删除" in gone[0]["text"]
        for table in ("sessions", "profiles", "questions", "misses", "feedback", "web_files"):
            assert rows(server.state_db, table, user) == 0, table
        assert c.cookies["skillcert_sid"] != old_sid  # a new session id from now on
        c.cookies.set("skillcert_sid", old_sid)
        assert c.get(xlsx["url"]).status_code == 404
        assert rows(server.state_db, "sessions", session_user(other)) == 1  # the other session is untouched


def test_wrong_entry_is_re_asked_with_the_reason(server):
    with client(server) as c:
        replies = say(c, "/check")
        replies = tap(c, replies, "技工院校")
        again = say(c, "也许吧")  # not 是/否
        assert "请重新回答" in again[0]["text"] and "是" in again[0]["text"]
        assert again[-1]["text"] == replies[-1]["text"] and again[-1]["progress"] == replies[-1]["progress"]
        back = say(c, "/back")
        assert "哪类机构" in back[-1]["text"]
        cancelled = say(c, "/cancel")
        assert "已取消" in cancelled[0]["text"]
        assert c.post("/api/message", json={"text": "你好"}).json()["form"] == {"active": False}


@pytest.mark.parametrize("body,ctype", [
    (b"not json", "application/json"),
    (b"[1, 2]", "application/json"),
    (b"{}", "application/json"),
    (b'{"text": 5}', "application/json"),
    (b'{"text": "a", "button": "b"}', "application/json"),
    (b'{"button": null}', "application/json"),
    (b"\xff\xfe{", "application/json"),
    (b'{"text": "hi"}', "text/plain"),
    (b'{"text": "' + b"x" * 20000 + b'"}', "application/json"),
])
def test_bad_requests_get_400_with_error_and_change_nothing(server, body, ctype):
    with client(server) as c:
        r = c.post("/api/message", content=body, headers={"Content-Type": ctype})
        assert r.status_code == 400 and isinstance(r.json()["error"], str) and r.json()["error"]
        assert "Traceback" not in r.text
        assert "set-cookie" not in r.headers
    with sqlite3.connect(server.state_db) as db:
        assert db.execute("select count(*) from sessions").fetchone()[0] == 0


def test_odd_but_valid_input_gets_a_clear_answer(server):
    with client(server) as c:
        for text in ("", "   ", "😀😀😀", "a\x00b\x07c", "<script>alert(1)</script>", "长" * 4001):
            r = c.post("/api/message", json={"text": text})
            assert r.status_code == 200, (text[:20], r.text)
            assert r.json()["replies"][0]["text"]
        assert "太长" in say(c, "长" * 4001)[0]["text"]
        for data in ("", "zz", "a:99:yes", "f:+:no_such_topic", "t:" + "x" * 500):
            r = c.post("/api/message", json={"button": data})
            assert r.status_code == 200 and r.json()["replies"][0]["text"]
        assert c.get("/api/message").status_code == 405


def test_cross_site_post_is_refused(server):
    with client(server) as c:
        r = c.post("/api/message", json={"text": "你好"}, headers={"Origin": "http://evil.example"})
        assert r.status_code == 403 and r.json()["error"]
        ok = c.post("/api/message", json={"text": "你好"}, headers={"Origin": server.url})
        assert ok.status_code == 200


def test_rate_limits_per_session_and_per_address(env, tmp_path):
    web = {"rate_per_session_per_minute": 3, "rate_per_address_per_minute": 6}
    with WebServer(env, tmp_path, web) as s:
        with client(s) as c:
            for _ in range(3):
                say(c, "你好")
            r = c.post("/api/message", json={"text": "你好"})
            assert r.status_code == 429 and "太快" in r.json()["error"] and int(r.headers["retry-after"]) >= 1
            en = c.post("/api/message", json={"text": "hi", "lang": "en"})
            assert en.status_code == 429 and "too fast" in en.json()["error"]
        # new sessions from the same address: the address limit (6) counts every request
        codes = [httpx.post(s.url + "/api/message", json={"text": "你好"}).status_code for _ in range(4)]
        assert codes[:1] == [200] and codes[-1] == 429
        # behind the proxy, each forwarded client address has its own budget
        other = httpx.post(s.url + "/api/message", json={"text": "你好"}, headers={"X-Forwarded-For": "203.0.113.9"})
        assert other.status_code == 200


def test_behind_a_proxy_under_a_path_prefix(env, tmp_path):
    web = {"root_path": "/skillcert", "frame_ancestors": ["https://www.school.example"]}
    with WebServer(env, tmp_path, web) as s:
        with client(s) as c:  # nginx strips the prefix and forwards the rest
            page = c.get("/", headers={"X-Forwarded-Proto": "https"})
            assert 'src="/skillcert/static/chat.js"' in page.text and 'data-base="/skillcert"' in page.text
            assert "frame-ancestors 'self' https://www.school.example" in page.headers["content-security-policy"]
            r = c.post("/api/message", json={"text": "/check"}, headers={"X-Forwarded-Proto": "https"})
            cookie = r.headers["set-cookie"].lower()
            assert "secure" in cookie and "samesite=none" in cookie and "path=/skillcert/" in cookie
            # the page's own origin (as the browser saw it) is accepted
            ok = c.post("/api/message", json={"text": "你好"}, headers={"Origin": s.url, "X-Forwarded-Proto": "https"})
            assert ok.status_code == 200


def test_logs_carry_no_message_text_unless_configured(env, tmp_path):
    secret = "我们学校的秘密问题"
    with WebServer(env, tmp_path) as s:
        with client(s) as c:
            say(c, secret)
    assert "message session=" in s.log() and secret not in s.log()
    with WebServer(env, tmp_path, {"log_texts": True}) as s:
        with client(s) as c:
            say(c, secret)
    assert secret in s.log()


def test_admin_needs_login(server):
    with client(server, follow_redirects=False) as c:
        for path in ("/admin", "/admin/", "/admin/api/misses", "/admin/anything"):
            r = c.get(path)
            assert r.status_code in (401, 302, 303, 307), (path, r.status_code)
            assert "misses" not in r.text.lower() or r.status_code == 401
        r = c.post("/admin/api/teach", json={"question": "x", "intent": "out_of_scope"})
        assert r.status_code == 401
        r = c.get("/admin/api/misses", headers={"Authorization": "Bearer wrong"})
        assert r.status_code == 401


def test_internal_error_answers_json_without_traceback(app):
    """A failure inside the dialogue (forced here) gives a polite 500 JSON, never a traceback."""
    import asyncio

    from bot.channels.web.app import create_app

    web = create_app(app, {})

    def broken(*a, **k):
        raise RuntimeError("disk on fire")

    web.state.channel.dialogue.handle_text = broken
    async def post():
        transport = httpx.ASGITransport(app=web, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            return await c.post("/api/message", json={"text": "你好"})

    r = asyncio.run(post())
    assert r.status_code == 500 and r.json()["error"] and "disk on fire" not in r.text and "Traceback" not in r.text


def test_static_files_ship_in_the_wheel(tmp_path):
    """A non-editable install has the page: static/ and templates/ are package data."""
    out = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
                          "-w", str(tmp_path), str(ROOT)], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    wheel = next(tmp_path.glob("skillcert-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for f in ("static/chat.js", "static/chat.css", "static/embed.js", "templates/index.html", "app.py", "admin.py"):
        assert f"bot/channels/web/{f}" in names


@pytest.mark.parametrize("web,key", [({"frame_ancestors": ["*; script-src *"]}, "frame_ancestors"),
                                     ({"root_path": "skillcert"}, "root_path"),
                                     ({"rate_per_session_per_minute": "many"}, "rate_per_session_per_minute")])
def test_wrong_web_settings_are_named_and_nothing_starts(env, tmp_path, web, key):
    from conftest import run_cli
    from webserver import write_config

    config = write_config(tmp_path / "bad.toml", web)
    out = run_cli(["--config", str(config), "web", "--port", "0"], env, timeout=60)
    assert out.returncode == 2 and key in out.stderr and "Traceback" not in out.stderr


def sheet_bytes(kb) -> bytes:
    """A filled 附件3 as the documents module writes it (for examples/answers.toml)."""
    from bot.answers import read_answers_file
    from bot.documents import render_documents

    files = render_documents(read_answers_file(str(ROOT / "examples" / "answers.toml")), kb)
    return next(data for name, data in files.items() if name.endswith(".xlsx"))


def test_upload_of_a_filled_attachment_3(server, kb):
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    with client(server) as c:
        r = c.post("/api/upload", content=sheet_bytes(kb),
                   headers={"Content-Type": xlsx, "X-Filename": "%E9%99%84%E4%BB%B63.xlsx"})
        assert r.status_code == 200, r.text
        text = "\n".join(x["text"] for x in r.json()["replies"])
        assert "附件3.xlsx" in text and "电工" in text and "已保存" in text
        with sqlite3.connect(server.state_db) as db:
            profile = json.loads(db.execute("select answers from profiles where user = ?",
                                            (session_user(c),)).fetchone()[0])
        assert profile["occupations"][0]["name"] == "电工"
        bad = c.post("/api/upload", content=b"PK not really", headers={"Content-Type": xlsx, "X-Filename": "x.xlsx"})
        assert bad.status_code == 200 and bad.json()["replies"][0]["text"]
        how = c.post("/api/upload", content=b"hello", headers={"Content-Type": "application/octet-stream",
                                                                "X-Filename": "notes.txt"})
        assert "附件3" in how.json()["replies"][0]["text"]
        for headers, body, status in (({"Content-Type": "multipart/form-data; boundary=x"}, b"--x--", 400),
                                      ({"Content-Type": "text/plain"}, b"x", 400),
                                      ({"Content-Type": xlsx}, b"x" * 2_200_000, 400),
                                      ({"Content-Type": xlsx, "Origin": "http://evil.example"}, b"x", 403)):
            r = c.post("/api/upload", content=body, headers=headers)
            assert r.status_code == status and r.json()["error"], headers
