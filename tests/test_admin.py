"""The maintainers' console (/admin) through a real uvicorn process on 127.0.0.1: credentials,
the inbox, teaching with the regression guard, hot reload in other running processes, feedback,
usage, exports and privacy. Each site runs on a copy of the project's sources in a temporary
folder, so teaching never touches the repository."""
from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from conftest import ROOT, run_cli

TOKEN = "test-token-0123456789abcdef"
PASSWORD = "correct horse 42"
MISS = "省里管这事的处室叫啥"          # not covered today; belongs to `contacts`
REWORDED = "省里负责这事的处室叫啥"     # a close wording never taught
BREAKS = "晚上能打电话问吗"            # as "not covered" it would break holdout2 g038 (这事儿可以打电话问谁)


def make_root(tmp: Path, kb_path: Path) -> Path:
    root = tmp / "site"
    for sub in ("knowledge", "intents", "templates"):
        shutil.copytree(ROOT / sub, root / sub)
    shutil.copytree(ROOT / "tests" / "data", root / "tests" / "data")
    shutil.copy2(ROOT / "config.toml", root / "config.toml")
    (root / "var").mkdir()
    shutil.copy(kb_path, root / "var" / "kb.sqlite")  # newer than the copied sources: not rebuilt
    return root


def site_env(root: Path) -> dict:
    from bot.auth import hash_password

    e = dict(os.environ)
    for k in list(e):
        if k.startswith("SKILLCERT_"):
            del e[k]
    e.update({
        "SKILLCERT_HOME": str(root), "SKILLCERT_KB": str(root / "var" / "kb.sqlite"),
        "SKILLCERT_DB": str(root / "var" / "state.sqlite"), "SKILLCERT_CONFIG": str(root / "config.toml"),
        "SKILLCERT_ADMIN_PASSWORD_HASH": hash_password(PASSWORD), "SKILLCERT_ADMIN_TOKEN": TOKEN,
        "SKILLCERT_ADMIN_ACCOUNTS": "ann:pii:" + hash_password("ann's password"),
        "PYTHONIOENCODING": "utf-8",
    })
    return e


class Site:
    def __init__(self, root: Path, env: dict):
        self.root, self.env = root, env
        self.proc = subprocess.Popen([sys.executable, str(ROOT / "tests" / "admin_server.py")], env=env, cwd=root,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        if not line.strip().isdigit():
            self.proc.kill()
            raise RuntimeError("server did not start: " + line + self.proc.stderr.read())
        self.url = f"http://127.0.0.1:{int(line)}"

    def client(self, token: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        # teaching checks every labelled question (~5,000) twice: minutes on a loaded 2-core machine
        return httpx.Client(base_url=self.url, headers=headers, follow_redirects=False, timeout=300)

    def login(self, name="admin", password=PASSWORD) -> tuple[httpx.Client, str]:
        c = self.client()
        r = c.post("/admin/login", data={"name": name, "password": password, "next": "/admin/"})
        assert r.status_code == 303, r.text
        page = c.get("/admin/").text
        csrf = page.split('name="csrf" value="', 1)[1].split('"', 1)[0]
        return c, csrf

    def db(self) -> sqlite3.Connection:
        return sqlite3.connect(self.root / "var" / "state.sqlite")

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture
def site(tmp_path, kb_path):
    root = make_root(tmp_path, kb_path)
    s = Site(root, site_env(root))
    yield s
    s.stop()


def ask_in_chat(site: Site, user: str, text: str) -> str | None:
    """Ask as a user of the chat: through the web page's API when the web app has it (returns the
    reply's text), else through the dialogue in another process (same state database)."""
    with site.client() as c:
        r = c.post("/api/message", json={"text": text})
        if r.status_code == 200:
            return "\n".join(x.get("text", "") for x in r.json().get("replies", []))
    env = {k: site.env[k] for k in ("SKILLCERT_HOME", "SKILLCERT_KB", "SKILLCERT_DB", "SKILLCERT_CONFIG")}
    code = ("import sys; from bot.app import App; from bot.dialogue import Dialogue; "
            "d = Dialogue(App.from_config()); [d.handle_text(sys.argv[1], t) for t in sys.argv[2:]]")
    p = subprocess.run([sys.executable, "-c", code, user, text], env={**os.environ, **env}, cwd=ROOT,
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    return None


def admin_paths() -> list[tuple[str, str]]:
    return [("GET", p) for p in ("/admin", "/admin/", "/admin/feedback", "/admin/usage", "/admin/try?q=x",
                                 "/admin/audit", "/admin/export/misses.csv", "/admin/export/feedback.xlsx",
                                 "/admin/api/misses", "/admin/api/feedback", "/admin/api/usage",
                                 "/admin/api/explain?q=x", "/admin/api/topics", "/admin/nothing-here",
                                 "/admin/api/nothing")] + \
        [("POST", p) for p in ("/admin/inbox", "/admin/api/teach", "/admin/api/dismiss", "/admin/logout")]


# ---------------------------------------------------------------- credentials


def test_without_credentials_every_admin_path_shows_nothing(site):
    ask_in_chat(site, "web:someone", MISS)
    before = (site.root / "intents" / "contacts.toml").read_bytes()
    for token in (None, "wrong-token-0123456789abcdef", ""):
        with site.client(token) as c:
            c.cookies.set("skillcert_admin", "forged-session", path="/admin")
            for method, path in admin_paths():
                r = c.request(method, path, json={"question": MISS, "intent": "contacts"})
                assert r.status_code in (401, 303, 307), (method, path, r.status_code)
                if r.status_code == 303:
                    assert r.headers["location"].startswith("/admin/login")
                elif r.status_code == 307:  # /admin → /admin/, then the login
                    assert c.get(r.headers["location"]).status_code == 303
                assert MISS not in r.text and "contacts" not in r.text
    assert (site.root / "intents" / "contacts.toml").read_bytes() == before


def test_login_session_expiry_and_logout(site):
    c = site.client()
    r = c.post("/admin/login", data={"name": "admin", "password": "not it"})
    assert r.status_code == 401 and "Wrong name or password" in r.text and "skillcert_admin" not in r.headers.get("set-cookie", "")
    r = c.post("/admin/login", data={"name": "admin", "password": PASSWORD, "next": "https://evil.example/"})
    assert r.status_code == 303 and r.headers["location"] == "/admin/"  # never an open redirect
    cookie = r.headers["set-cookie"]
    assert "HttpOnly" in cookie and "samesite=strict" in cookie.lower()
    assert c.get("/admin/").status_code == 200
    with site.db() as db:
        db.execute("update admin_sessions set expires = 0")
    r = c.get("/admin/")
    assert r.status_code == 303 and "/admin/login" in r.headers["location"]
    c2, csrf = site.login()
    assert c2.post("/admin/logout", data={"csrf": csrf}).status_code == 303
    assert c2.get("/admin/usage").status_code == 303
    with site.db() as db:
        actions = [a for (a,) in db.execute("select action from admin_audit order by id")]
    assert actions[:3] == ["login_failed", "login", "login"] and "logout" in actions


def test_repeated_wrong_passwords_are_slowed_down(site):
    c = site.client()
    for _ in range(3):
        assert c.post("/admin/login", data={"name": "admin", "password": "guess"}).status_code == 401
    r = c.post("/admin/login", data={"name": "admin", "password": PASSWORD})
    assert r.status_code == 429 and "wait" in r.text and "set-cookie" not in r.headers
    with site.db() as db:  # the wait is over (as if time had passed): the right password works again
        db.execute("update admin_failures set last = 0")
    assert c.post("/admin/login", data={"name": "admin", "password": PASSWORD}).status_code == 303


def test_form_posts_need_the_csrf_token(site):
    ask_in_chat(site, "web:a", MISS)
    c, csrf = site.login()
    r = c.post("/admin/inbox", data={"action": "dismiss", "text": MISS})
    assert r.status_code == 403
    r = c.post("/admin/api/teach", json={"question": MISS, "intent": "contacts"})
    assert r.status_code == 403
    assert MISS in c.get("/admin/").text  # still there, nothing taught
    evil = {"Origin": "http://evil.example"}  # another site's page posting with the maintainer's cookie
    assert c.post("/admin/inbox", data={"action": "dismiss", "text": MISS, "csrf": csrf}, headers=evil).status_code == 403
    assert site.client().post("/admin/login", data={"password": PASSWORD}, headers=evil).status_code == 403
    assert MISS in c.get("/admin/").text
    r = c.post("/admin/inbox", data={"action": "dismiss", "text": MISS, "csrf": csrf}, headers={"Origin": site.url})
    assert r.status_code == 303 and MISS not in c.get("/admin/").text


# ---------------------------------------------------------------- the loop: miss → teach → answered


def test_a_miss_taught_is_answered_at_once_by_other_running_processes(site, tmp_path):
    other = Site(site.root, site.env)  # a second server on the same knowledge base, started before
    try:
        ask_in_chat(site, "web:s1", MISS)
        ask_in_chat(site, "tg:42", MISS + "？")
        api = site.client(TOKEN)
        groups = api.get("/admin/api/misses").json()["groups"]
        g = next(g for g in groups if g["text"].startswith(MISS[:6]))
        assert g["count"] == 2 and "web" in g["channels"]
        assert g["examples"] and "best_guess" in g and "score" in g and g["first_seen"] and g["last_seen"]
        assert "users" not in g  # no user ids without the pii role
        with other.client(TOKEN) as o:
            assert o.get("/admin/api/explain", params={"q": MISS}).json()["covered"] is False

        r = api.post("/admin/api/teach", json={"question": MISS, "intent": "contacts", "texts": g["texts"]})
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["changed"] and body["now"]["clauses"][0] == "contacts" and body["checked"] > 400

        with other.client(TOKEN) as o:  # the other process, not restarted
            for q in (MISS, REWORDED):
                e = o.get("/admin/api/explain", params={"q": q}).json()
                assert e["covered"] and e["clauses"][0] == "contacts", (q, e["why"])
        for q in (MISS, REWORDED):  # the chat page of the other process, when the web app is there
            reply = ask_in_chat(other, "web:s2", q)
            assert reply is None or "〔contacts〕" in reply, reply
        for q in (MISS, REWORDED):  # a new `skillcert ask` process
            out = json.loads(run_cli(["ask", "--json", q], site.env).stdout)
            assert out["clauses"][:1] == ["contacts"], out
        source = (site.root / "intents" / "contacts.toml").read_text(encoding="utf-8")
        assert f'"{MISS}", # taught' in source and "by token" in source
        assert source.startswith((ROOT / "intents" / "contacts.toml").read_text(encoding="utf-8").split("\nzh =")[0])
        rebuilt = dict(site.env, SKILLCERT_KB=str(tmp_path / "rebuilt.sqlite"))  # `kb build` reads it
        assert run_cli(["kb", "build"], rebuilt).returncode == 0
        assert json.loads(run_cli(["ask", "--json", MISS], rebuilt).stdout)["intent"] == "contacts"
        assert not [g for g in api.get("/admin/api/misses").json()["groups"] if g["text"].startswith(MISS[:6])]
        with site.db() as db:
            who, detail = db.execute("select who, detail from admin_audit where action = 'teach'").fetchone()
        assert who == "token" and MISS in detail
    finally:
        other.stop()


def test_the_regression_guard_refuses_a_phrasing_that_breaks_a_labelled_question(site):
    kb_file = site.root / "var" / "kb.sqlite"
    before = (kb_file.stat().st_mtime_ns, (site.root / "intents" / "_out_of_scope.toml").read_bytes())
    api = site.client(TOKEN)
    r = api.post("/admin/api/teach", json={"question": BREAKS, "intent": "out_of_scope"})
    assert r.status_code == 409
    broken = r.json()["broken"]
    assert any(b["id"] == "g038" and b["before"] == "contacts" and b["after"] == "not covered" for b in broken)
    assert (kb_file.stat().st_mtime_ns, (site.root / "intents" / "_out_of_scope.toml").read_bytes()) == before
    assert api.get("/admin/api/explain", params={"q": "这事儿可以打电话问谁"}).json()["intent"] == "contacts"
    # a harmless "not covered" goes through
    r = api.post("/admin/api/teach", json={"question": "证书遗失如何补发", "intent": "out_of_scope"})
    assert r.status_code == 200 and r.json()["now"]["covered"] is False
    assert api.get("/admin/api/explain", params={"q": "证书遗失如何补发"}).json()["covered"] is False


@pytest.mark.parametrize("body,needle", [
    (b"not json", "not JSON"),
    (b"[1,2]", "JSON object"),
    (json.dumps({"question": "", "intent": "contacts"}).encode(), "question"),
    (json.dumps({"question": "🙂🙂", "intent": "contacts"}).encode(), "question"),
    (json.dumps({"question": "x" * 300, "intent": "contacts"}).encode(), "longer"),
    (json.dumps({"question": "有问题找谁2", "intent": "no_such_topic"}).encode(), "unknown topic"),
    (json.dumps({"question": "有问题找谁2"}).encode(), "intent"),
    (json.dumps({"question": 5, "intent": "contacts"}).encode(), "string"),
    (json.dumps({"question": "有问题找谁", "intent": "greeting"}).encode(), "already"),
    (b"{" + b" " * 70000 + b"}", "too large"),
])
def test_bad_teach_requests_get_a_clear_400_and_change_nothing(site, body, needle):
    before = {p.name: p.read_bytes() for p in (site.root / "intents").glob("*.toml")}
    r = site.client(TOKEN).post("/admin/api/teach", content=body, headers={"content-type": "application/json"})
    assert r.status_code in (400, 413) and needle in r.json()["error"], r.text
    assert {p.name: p.read_bytes() for p in (site.root / "intents").glob("*.toml")} == before


# ---------------------------------------------------------------- views, exports, privacy


def test_feedback_usage_exports_and_privacy(site):
    from openpyxl import load_workbook

    env = {k: site.env[k] for k in ("SKILLCERT_HOME", "SKILLCERT_KB", "SKILLCERT_DB", "SKILLCERT_CONFIG")}
    code = """
import sys
from bot.app import App
from bot.dialogue import Dialogue
d = Dialogue(App.from_config())
d.handle_text("tg:7", "有问题找谁"); d.handle_button("tg:7", "f:-:contacts")
d.handle_text("web:8", "我们能给老师认定二级吗"); d.handle_button("web:8", "f:+:teacher_certification")
d.handle_text("web:8", "=HYPERLINK(1)考试费用多少钱")
d.handle_text("tg:9", "/check"); d.handle_text("tg:9", "/cancel"); d.handle_text("tg:10", "/check")
"""
    p = subprocess.run([sys.executable, "-c", code], env={**os.environ, **env}, cwd=ROOT, capture_output=True,
                       text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    api = site.client(TOKEN)
    fb = api.get("/admin/api/feedback").json()
    assert {"intent": "contacts", "up": 0, "down": 1} in fb["topics"]
    assert fb["down"][0]["question"] == "有问题找谁" and "user" not in fb["down"][0]
    u = api.get("/admin/api/usage").json()
    assert u["questions"] == 3 and {c["channel"] for c in u["channels"]} == {"telegram", "web"}
    assert u["questionnaire"]["started"] == 2 and u["questionnaire"]["cancelled"] == 1 and u["gave_up_at"]
    c, _ = site.login()
    for page in ("/admin/feedback", "/admin/usage"):
        html = c.get(page).text
        assert "<svg" in html and "tg:7" not in html and "web:8" not in html and "<script" not in html
        assert "<style" not in html and 'style="' not in html and 'href="/static/admin.css"' in html
    assert "tg:7" not in c.get("/admin/export/feedback.csv").text
    csv_text = c.get("/admin/export/misses.csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK(1)考试费用多少钱" in csv_text  # not run as a formula
    wb = load_workbook(io.BytesIO(c.get("/admin/export/misses.xlsx").content))
    cells = [cell for row in wb.active.iter_rows() for cell in row if cell.value == "=HYPERLINK(1)考试费用多少钱"]
    assert cells and cells[0].data_type == "s"
    # the pii role sees who asked; /forget from any channel removes the user from everything shown
    ann, _ = site.login("ann", "ann's password")
    assert "tg:7" in ann.get("/admin/feedback").text and "web:8" in ann.get("/admin/").text
    assert "tg:7" in ann.get("/admin/export/feedback.csv").text
    p = subprocess.run([sys.executable, "-c", "from bot.app import App; from bot.dialogue import Dialogue; "
                        "d = Dialogue(App.from_config()); d.handle_text('tg:7', '/forget'); d.handle_text('web:8', '/forget')"],
                       env={**os.environ, **env}, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    assert api.get("/admin/api/feedback").json() == {"topics": [], "days": [], "down": []}
    assert "HYPERLINK" not in ann.get("/admin/").text and "tg:7" not in ann.get("/admin/feedback").text
    assert api.get("/admin/api/usage").json()["questions"] == 0


def test_try_it_shows_how_a_question_is_read(site):
    api = site.client(TOKEN)
    e = api.get("/admin/api/explain", params={"q": "我们能给老师认定二级吗？"}).json()
    assert e["intent"] == "teacher_certification" and e["verdict"] == "conditional" and e["clauses"][0] == "2.3"
    assert e["slots"]["levels"] and e["tokens"] and e["norm"] and len(e["top"]) == 5 and "abstain_below" in e["why"]
    e = api.get("/admin/api/explain", params={"q": "今天天气怎么样"}).json()
    assert e["covered"] is False and "not covered" in e["why"]
    c, _ = site.login()
    html = c.get("/admin/try", params={"q": "<b>能给老师认定二级吗</b>"}).text
    assert "&lt;b&gt;" in html and "<b>能给" not in html and "teacher_certification" in html


def test_rows_older_than_keep_days_are_not_shown(app):
    import time

    from bot.console import Console

    app.store.log_question("tg:1", "认定考试收费多少钱", "zh", None, 0.1, False)
    app.store.log_question("tg:2", "今天天气好吗", "zh", None, 0.1, False)
    app.store._write("update misses set time = ? where text = '认定考试收费多少钱'", (time.time() - 40 * 86400,))
    assert [g["text"] for g in Console(app, {"keep_days": 30}).misses()] == ["今天天气好吗"]
    assert {g["text"] for g in Console(app).misses()} == {"今天天气好吗", "认定考试收费多少钱"}
