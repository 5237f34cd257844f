"""The web channel (`skillcert web`): a thin adapter over bot/dialogue.py, served by Starlette + uvicorn.

    GET  /              the chat page (static/chat.js renders the replies from plain text)
    GET  /embed.js      one <script> tag: a floating button opening the page in an iframe
    POST /api/message   {"text": ...} | {"button": ...}  ->  {"replies": [...], "form": {...}}
    GET  /files/<token>/<name>   a generated document, for the session that made it, until it expires
    /admin/...          the maintainers' console (admin.py)

The conversation is keyed by a random session id in an HttpOnly cookie; the dialogue's user key is
"web:" + a hash of it, so the state database never holds the cookie itself. All conversation state
is in the shared SQLite state database (several workers can serve one database); generated files
are kept there too (table web_files) until they expire or the user clears their data.
"""
from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import os
import re
import secrets
import sqlite3
import threading
import time
from pathlib import Path
from urllib.parse import quote, urlsplit

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ...app import App
from ...dialogue import MAX_INPUT_CHARS
from ...dialogue import CONFIRM_WORDS, Dialogue, Reply
from ...ratelimit import RateLimit
from . import admin

log = logging.getLogger("skillcert.web")
HERE = Path(__file__).resolve().parent
SID_RE = re.compile(r"^[A-Za-z0-9_-]{32,64}$")
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")

DEFAULTS = {
    "host": "127.0.0.1",
    "port": 8000,
    "workers": 1,
    "root_path": "",
    "proxy_headers": True,
    "forwarded_allow_ips": "127.0.0.1",
    "frame_ancestors": [],
    "allowed_origins": [],
    "file_expiry_minutes": 60,
    "max_body_bytes": 16384,
    "max_upload_bytes": 2_100_000,
    "rate_per_session_per_minute": 30,
    # questionnaire buttons (是/否, 跳过, options, 完成) count on their own, higher budget: try28 clicked
    # through at a normal pace and hit the 30 a minute meant for typed messages
    "rate_buttons_per_session_per_minute": 120,
    "rate_per_address_per_minute": 300,
    "log_texts": False,
    "access_log": False,
    "cookie_name": "skillcert_sid",
    "cookie_max_age_days": 30,
}
TEXTS = {
    "zh": {"slow": "您发得太快了，请 {s} 秒后再试。", "sorry": "抱歉，处理您的消息时出错了，请再试一次。",
           "origin": "请求来源不被允许。", "json": "请发送 JSON：{{\"text\": \"…\"}} 或 {{\"button\": \"…\"}}。",
           "too_large": "请求太大了（超过 {n} 字节）。", "file": "文件不存在、已过期，或不属于这个会话。",
           "upload": "请用 Content-Type: application/octet-stream 上传文件本身，文件名放在 X-Filename 头里。"},
    "en": {"slow": "You're sending messages too fast; please wait {s} seconds.",
           "sorry": "Sorry, something went wrong with your message; please try again.",
           "origin": "Requests from this origin are not allowed.",
           "json": "Send JSON: {{\"text\": \"...\"}} or {{\"button\": \"...\"}}.",
           "too_large": "The request is too large (over {n} bytes).",
           "file": "No such file, or it has expired, or it belongs to another session.",
           "upload": "Upload the file itself with Content-Type: application/octet-stream and its name in X-Filename."},
}
CONTENT_TYPES = {".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                 ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                 ".md": "text/markdown; charset=utf-8"}


ASCII_NAMES = {  # the plain `filename` fallback of a download (filename* carries the Chinese name)
    "附件1": "attachment1-social-training-org-basic-info",
    "附件2": "attachment2-certification-work-plan",
    "附件3": "attachment3-institution-info-and-scope-list",
}


def ascii_filename(name: str) -> str:
    """附件3-评价机构信息与认定范围清单.xlsx → attachment3-institution-info-and-scope-list.xlsx (try27: dropping
    the Chinese left "3-.xlsx"); any other name keeps its ASCII letters, digits and . _ - (never a quote)."""
    stem, suffix = Path(name).stem, re.sub(r"[^A-Za-z0-9.]", "", Path(name).suffix)
    m = re.match(r"附件\s*(\d+)", stem)
    if m:
        slug = ASCII_NAMES.get(f"附件{m.group(1)}", f"attachment{m.group(1)}")
    else:
        slug = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-.") or "file"
    return slug + suffix


ORIGIN_RE = re.compile(r"^https?://[A-Za-z0-9.-]+(:\d{1,5})?$|^https?://\[[0-9A-Fa-f:]+\](:\d{1,5})?$")


class SettingsError(ValueError):
    """A wrong value in config.toml [web]: the message names the key."""


def settings_with_defaults(settings: dict | None) -> dict:
    s = {**DEFAULTS, **(settings or {})}
    s["root_path"] = str(s.get("root_path") or "").rstrip("/")
    if s["root_path"] and not re.fullmatch(r"(/[A-Za-z0-9._~-]+)+", s["root_path"]):
        raise SettingsError(f"root_path: {s['root_path']!r} is not a path like \"/skillcert\"")
    for key in ("frame_ancestors", "allowed_origins"):
        if not isinstance(s[key], list):
            raise SettingsError(f"{key}: a list of origins such as [\"https://www.example.edu.cn\"]")
        for origin in s[key]:
            if not isinstance(origin, str) or not ORIGIN_RE.match(origin.rstrip("/")):
                raise SettingsError(f"{key}: {origin!r} is not an origin such as \"https://www.example.edu.cn\"")
        s[key] = [o.rstrip("/") for o in s[key]]
    for key in ("port", "workers", "max_body_bytes", "rate_per_session_per_minute", "rate_per_address_per_minute",
                "rate_buttons_per_session_per_minute",
                "file_expiry_minutes", "cookie_max_age_days", "max_upload_bytes"):
        if isinstance(s[key], bool) or not isinstance(s[key], (int, float)) or s[key] < 0:
            raise SettingsError(f"{key}: {s[key]!r} is not a number ≥ 0")
    return s


def user_key(sid: str) -> str:
    return "web:" + hashlib.sha256(sid.encode()).hexdigest()[:32]




class FileStore:
    """Generated documents, in the state database, readable only with the owner's user key."""

    SCHEMA = ("create table if not exists web_files (token text primary key, user text not null, "
              "name text not null, data blob not null, created real not null);"
              "create index if not exists web_files_user on web_files(user);")

    def __init__(self, path: Path, expiry_minutes: float):
        self.expiry = float(expiry_minutes) * 60
        self._lock = threading.Lock()
        self.conn = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
        self.conn.execute("pragma journal_mode=wal")
        self.conn.executescript(self.SCHEMA)
        self.conn.commit()

    def add(self, user: str, name: str, data: bytes) -> str:
        token = secrets.token_urlsafe(24)
        now = time.time()
        with self._lock:
            self.conn.execute("delete from web_files where created < ?", (now - self.expiry,))
            self.conn.execute("insert into web_files(token, user, name, data, created) values(?,?,?,?,?)",
                              (token, user, name, data, now))
            self.conn.commit()
        return token

    def get(self, user: str, token: str) -> tuple[str, bytes] | None:
        with self._lock:
            row = self.conn.execute("select name, data from web_files where token = ? and user = ? and created >= ?",
                                    (token, user, time.time() - self.expiry)).fetchone()
        return (row[0], row[1]) if row else None

    def forget(self, user: str) -> int:
        with self._lock:
            n = self.conn.execute("delete from web_files where user = ?", (user,)).rowcount
            self.conn.commit()
        return n

    def count(self, user: str) -> int:
        with self._lock:
            return self.conn.execute("select count(*) from web_files where user = ?", (user,)).fetchone()[0]

    def close(self) -> None:
        with self._lock:
            self.conn.close()


def button_kind(data: str) -> str:
    return {"a": "choice", "m": "toggle", "d": "done", "c": "confirm", "t": "topic", "f": "feedback"}.get(
        data.split(":", 1)[0], "other")


class SecurityHeaders:
    """Pure ASGI middleware: CSP (frame-ancestors from config), nosniff, referrer policy on every response."""

    def __init__(self, app, frame_ancestors: list[str]):
        self.app = app
        ancestors = " ".join(["'self'", *frame_ancestors])
        csp = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
               f"connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors {ancestors}")
        self.headers = [(b"content-security-policy", csp.encode()), (b"x-content-type-options", b"nosniff"),
                        (b"referrer-policy", b"same-origin"),
                        (b"permissions-policy", b"camera=(), microphone=(), geolocation=()")]

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = list(message["headers"]) + self.headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class WebChannel:
    def __init__(self, app: App, settings: dict | None = None):
        self.app = app
        self.settings = settings_with_defaults(settings)
        self.dialogue = Dialogue(app)
        self.files = FileStore(app.config.state_db, self.settings["file_expiry_minutes"])
        self.dialogue.forget_hooks.append(self.files)  # "clear my data": the downloads go, counted
        self.session_rate = RateLimit(self.settings["rate_per_session_per_minute"])
        self.button_rate = RateLimit(self.settings["rate_buttons_per_session_per_minute"])
        self.address_rate = RateLimit(self.settings["rate_per_address_per_minute"])
        self.locks: dict[str, asyncio.Lock] = {}
        self.max_body = int(self.settings["max_body_bytes"])
        self.cookie = str(self.settings["cookie_name"])
        self.allowed_origins = {o.rstrip("/") for o in self.settings["allowed_origins"]}
        import jinja2

        env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True)
        self.page = env.get_template("index.html")
        self.embed_js = (HERE / "static" / "embed.js").read_text(encoding="utf-8")

    # ------------------------------------------------------------ helpers

    def base(self, request: Request) -> str:
        return str(request.scope.get("root_path") or "").rstrip("/")

    @staticmethod
    def lang_of(request: Request, payload: dict | None = None) -> str:
        hint = (payload or {}).get("lang")
        if hint in ("zh", "en"):
            return hint
        return "en" if request.headers.get("accept-language", "").lower().startswith("en") else "zh"

    def error(self, status: int, key: str, lang: str, **kw) -> JSONResponse:
        headers = {"Cache-Control": "no-store"}
        if "s" in kw:
            headers["Retry-After"] = str(kw["s"])
        return JSONResponse({"error": TEXTS[lang][key].format(**kw)}, status_code=status, headers=headers)

    def origin_ok(self, request: Request) -> bool:
        """CSRF defence: a browser always sends Origin on a POST from script; it must be this site."""
        origin = request.headers.get("origin")
        if origin is None:
            return True  # not a browser (curl, scripts); cookies cannot be forged cross-site without Origin
        origin = origin.rstrip("/")
        if origin in self.allowed_origins:
            return True
        parts = urlsplit(origin)
        return bool(parts.netloc) and parts.netloc == request.headers.get("host", "")

    def session(self, request: Request) -> tuple[str, bool]:
        sid = request.cookies.get(self.cookie, "")
        if SID_RE.match(sid):
            return sid, False
        return secrets.token_urlsafe(32), True

    def set_cookie(self, response: Response, request: Request, sid: str) -> None:
        https = request.url.scheme == "https"
        framed = bool(self.settings["frame_ancestors"])
        response.set_cookie(self.cookie, sid, max_age=int(float(self.settings["cookie_max_age_days"]) * 86400),
                            path=(self.base(request) or "") + "/", httponly=True, secure=https,
                            samesite="none" if (https and framed) else "lax")

    def client_address(self, request: Request) -> str:
        return request.client.host if request.client else "-"

    async def read_body(self, request: Request, limit: int | None = None) -> bytes | None:
        """The body, or None when it is over the limit (checked as it arrives)."""
        limit = self.max_body if limit is None else limit
        length = request.headers.get("content-length")
        if length and (not length.isdigit() or int(length) > limit):
            return None
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                return None
            chunks.append(chunk)
        return b"".join(chunks)

    def lock_for(self, user: str) -> asyncio.Lock:
        lock = self.locks.get(user)
        if lock is None:
            if len(self.locks) > 10000:  # forget idle locks
                for k in [k for k, v in self.locks.items() if not v.locked()]:
                    del self.locks[k]
            lock = self.locks[user] = asyncio.Lock()
        return lock

    def reply_json(self, user: str, reply: Reply, base: str) -> dict:
        buttons = []
        for row in reply.buttons:
            for b in row:
                kind = button_kind(b.data)
                item = {"label": b.label, "data": b.data, "kind": kind}
                if kind == "toggle":
                    item["selected"] = b.label.startswith("✅")
                    item["label"] = b.label.removeprefix("✅ ")
                buttons.append(item)
        files = []
        for name, data in reply.files:
            token = self.files.add(user, name, data)
            files.append({"name": name, "url": f"{base}/files/{token}/{quote(name)}", "size": len(data)})
        out = {"text": reply.text, "buttons": buttons, "files": files}
        if reply.intent:
            out["intent"] = reply.intent
            out["feedback"] = [{"label": "👍", "data": f"f:+:{reply.intent}"},
                               {"label": "👎", "data": f"f:-:{reply.intent}"}]
        if reply.verdict:
            out["verdict"] = reply.verdict
        if reply.progress:
            out["progress"] = {"step": reply.progress[0], "total": reply.progress[1]}
            if reply.lang in ("zh", "en"):  # the step line in the questionnaire's language
                out["progress"]["lang"] = reply.lang
        if any(b["kind"] == "confirm" for b in buttons):
            out["summary"] = True
            if reply.lang in ("zh", "en"):  # try29: a Chinese summary had English "Edit" buttons
                out["lang"] = reply.lang
        return out

    # ------------------------------------------------------------ endpoints

    async def index(self, request: Request) -> Response:
        lang = request.query_params.get("lang")
        lang = lang if lang in ("zh", "en") else ""
        html = self.page.render(base=self.base(request), lang=lang, embed=request.query_params.get("embed") == "1",
                                max_chars=MAX_INPUT_CHARS)
        return HTMLResponse(html, headers={"Cache-Control": "no-cache"})

    async def embed(self, request: Request) -> Response:
        return Response(self.embed_js, media_type="text/javascript; charset=utf-8",
                        headers={"Cache-Control": "public, max-age=300", "Cross-Origin-Resource-Policy": "cross-origin"})

    async def health(self, request: Request) -> Response:
        return JSONResponse({"ok": True})

    async def message(self, request: Request) -> Response:
        started = time.perf_counter()
        lang = self.lang_of(request)
        if not self.origin_ok(request):
            return self.error(403, "origin", lang)
        body = await self.read_body(request)
        if body is None:
            return self.error(400, "too_large", lang, n=self.max_body)
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        try:
            payload = json.loads(body.decode("utf-8")) if ctype == "application/json" else None
        except (UnicodeDecodeError, ValueError):
            payload = None
        if not isinstance(payload, dict):
            return self.error(400, "json", lang)
        lang = self.lang_of(request, payload)
        text, button = payload.get("text"), payload.get("button")
        if (text is None) == (button is None) or not isinstance(text if button is None else button, str):
            return self.error(400, "json", lang)
        sid, new = self.session(request)
        user = user_key(sid)
        form_tap = button is not None and button[:2] in ("a:", "m:", "d:", "c:")
        per_session = self.button_rate if form_tap else self.session_rate
        wait = per_session.check(user) or self.address_rate.check(self.client_address(request))
        if wait:
            response = self.error(429, "slow", lang, s=wait)
            if new:
                self.set_cookie(response, request, sid)
            return response
        base = self.base(request)
        forget = text is not None and text.strip().lower() == "/forget"
        async with self.lock_for(user):
            if self.quick(text, button):  # a question or a tap: ~1 ms, cheaper than a thread hop
                replies, form = self._handle(user, text, button, lang, base)
            else:  # commands and confirmations may render documents: off the event loop
                replies, form = await run_in_threadpool(self._handle, user, text, button, lang, base)
        response = JSONResponse({"replies": replies, "form": form}, headers={"Cache-Control": "no-store"})
        if new or forget:  # after "clear my data" the browser gets a new session id too
            self.set_cookie(response, request, secrets.token_urlsafe(32) if forget else sid)
        ms = (time.perf_counter() - started) * 1000
        what = ("text " + json.dumps(text, ensure_ascii=False)) if self.settings["log_texts"] and text is not None \
            else ("button " + json.dumps(button[:40]) if button is not None else f"text {len(text)} chars")
        log.info("message session=%s %s replies=%d %.1f ms", user[4:12], what, len(replies), ms)
        return response

    async def upload(self, request: Request) -> Response:
        """A file from the user (a filled 附件3 .xlsx): the body is the file, its name in X-Filename."""
        from urllib.parse import unquote

        lang = self.lang_of(request)
        if request.query_params.get("lang") in ("zh", "en"):
            lang = request.query_params["lang"]
        if not self.origin_ok(request):
            return self.error(403, "origin", lang)
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        # not a type a cross-site form can send: a browser would have to ask first (CORS preflight)
        if ctype not in ("application/octet-stream", CONTENT_TYPES[".xlsx"]):
            return self.error(400, "upload", lang)
        limit = int(self.settings["max_upload_bytes"])
        data = await self.read_body(request, limit)
        if data is None:
            return self.error(400, "too_large", lang, n=limit)
        name = unquote(request.headers.get("x-filename", ""))[:200] or "file.xlsx"
        sid, new = self.session(request)
        user = user_key(sid)
        wait = self.session_rate.check(user) or self.address_rate.check(self.client_address(request))
        if wait:
            return self.error(429, "slow", lang, s=wait)
        base = self.base(request)

        def handle():
            replies = self.dialogue.handle_file(user, name, data, lang_hint=lang)
            q = self.app.store.get_state(user).get("q") or {}
            return [self.reply_json(user, r, base) for r in replies], {"active": bool(q.get("pending"))}

        async with self.lock_for(user):
            replies, form = await run_in_threadpool(handle)
        response = JSONResponse({"replies": replies, "form": form}, headers={"Cache-Control": "no-store"})
        if new:
            self.set_cookie(response, request, sid)
        log.info("upload session=%s %d bytes replies=%d", user[4:12], len(data), len(replies))
        return response

    @staticmethod
    def quick(text, button) -> bool:
        if button is not None:
            return not button.startswith("c:")
        body = text.strip().lower()
        return not body.startswith("/") and body not in CONFIRM_WORDS and len(text) <= 1000

    def _handle(self, user: str, text, button, lang: str, base: str) -> tuple[list[dict], dict]:
        if button is not None:
            replies = self.dialogue.handle_button(user, button, lang_hint=lang)
        else:
            replies = self.dialogue.handle_text(user, text, lang_hint=lang)
        out = [self.reply_json(user, r, base) for r in replies]
        q = self.app.store.get_state(user).get("q") or {}
        return out, {"active": bool(q.get("pending"))}

    async def file(self, request: Request) -> Response:
        token = request.path_params["token"]
        sid = request.cookies.get(self.cookie, "")
        found = self.files.get(user_key(sid), token) if SID_RE.match(sid) and TOKEN_RE.match(token) else None
        if not found:
            return self.error(404, "file", self.lang_of(request))
        name, data = found
        ctype = CONTENT_TYPES.get(Path(name).suffix.lower(), "application/octet-stream")
        ascii_name = ascii_filename(name)
        return Response(data, media_type=ctype, headers={
            "Content-Disposition": f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}",
            "Cache-Control": "private, no-store"})

    async def server_error(self, request: Request, exc: Exception) -> Response:
        log.error("error %s: %s", type(exc).__name__, exc, exc_info=exc)
        return self.error(500, "sorry", "zh")


def create_app(app: App, settings: dict | None = None) -> Starlette:
    settings = dict(settings or {})
    if getattr(app.config, "privacy", {}).get("log_texts"):  # [privacy] log_texts = true covers the web too
        settings["log_texts"] = True
    channel = WebChannel(app, settings)
    s = channel.settings
    routes = [
        Route("/", channel.index, methods=["GET"]),
        Route("/embed.js", channel.embed, methods=["GET"]),
        Route("/healthz", channel.health, methods=["GET"]),
        Route("/api/message", channel.message, methods=["POST"]),
        Route("/api/upload", channel.upload, methods=["POST"]),
        Route("/files/{token}/{name}", channel.file, methods=["GET"]),
        Mount("/static", app=StaticFiles(directory=HERE / "static"), name="static"),
        Mount("/admin", routes=admin.routes(app, s)),
    ]
    web = Starlette(routes=routes, exception_handlers={Exception: channel.server_error})
    web.state.channel = channel
    web.add_middleware(SecurityHeaders, frame_ancestors=[str(x) for x in s["frame_ancestors"]])
    return web


def setup_logging() -> None:
    import sys

    if not log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s web[%(process)d] %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False


def factory() -> Starlette:
    """For uvicorn workers (an import string): the config from $SKILLCERT_CONFIG like the CLI."""
    setup_logging()
    app = App.from_config(os.environ.get("SKILLCERT_CONFIG") or None)
    app.kb  # load the knowledge base and open the state database before serving
    app.engine.warm()  # patterns and templates compiled before the first visitor, not on them
    app.store
    return create_app(app, app.config.web)


def run(config_path: str | None = None, host: str | None = None, port: int | None = None,
        workers: int | None = None) -> int:
    import socket
    import sys

    import uvicorn

    if config_path:
        os.environ["SKILLCERT_CONFIG"] = str(Path(config_path).resolve())
    app = App.from_config(config_path)
    try:
        s = settings_with_defaults(app.config.web)
    except SettingsError as e:
        print(f"skillcert web: config.toml [web] {e}", file=sys.stderr)
        return 2
    host = host or s["host"]
    port = int(s["port"] if port is None else port)
    workers = int(workers or s["workers"])
    setup_logging()
    from ...kb import build, is_stale

    token = os.environ.get("SKILLCERT_ADMIN_TOKEN") or ""
    if token and len(token) < 16:  # try29: a short token was refused with 401 and not a word at start-up
        print(f"skillcert web: SKILLCERT_ADMIN_TOKEN has {len(token)} characters; tokens shorter than 16 are refused "
              "(every /admin/api/ call gets 401). Set one of at least 16 characters, e.g. "
              "python -c \"import secrets; print(secrets.token_urlsafe(24))\".", file=sys.stderr)
    if workers > 1 and is_stale(app.config.root, app.config.knowledge_db):
        build(app.config.root, app.config.knowledge_db)  # once, before the workers start (each loads it)
    config = uvicorn.Config("bot.channels.web.app:factory", factory=True, host=host, port=port, workers=workers,
                            root_path=s["root_path"], proxy_headers=bool(s["proxy_headers"]),
                            forwarded_allow_ips=s["forwarded_allow_ips"], access_log=bool(s["access_log"]),
                            server_header=False, log_level="info", timeout_graceful_shutdown=5)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as e:
        print(f"skillcert web: cannot listen on {host}:{port}: {e.strerror}", file=sys.stderr)
        return 1
    sock.listen(2048)
    sock.set_inheritable(True)
    bound = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    print(f"skillcert web: listening on http://{shown}:{bound}{s['root_path']}/ ({workers} worker"
          f"{'s' if workers > 1 else ''})", file=sys.stderr, flush=True)
    if workers > 1:
        from uvicorn.supervisors import Multiprocess

        Multiprocess(config, sockets=[sock]).run()
    else:  # this process serves: the app built here, no second copy of the knowledge base
        app.kb, app.engine, app.store
        config.app, config.factory = create_app(app, app.config.web), False
        uvicorn.Server(config).run(sockets=[sock])
    return 0
