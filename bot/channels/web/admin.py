"""The maintainers' console: the routes mounted at /admin by the web app (SPEC: Web).

`routes(app, settings)` returns Starlette routes relative to the mount. Pages use a session
cookie (HttpOnly, SameSite=Strict, server-side session that expires) and a CSRF token in every
form; scripts use `Authorization: Bearer $SKILLCERT_ADMIN_TOKEN` on /admin/api/. Without valid
credentials every path answers 401 (API) or redirects to the login page, and shows nothing.
The logic lives in bot/console.py, bot/teach.py and bot/auth.py; this file only translates.
"""
from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote, urlsplit

import jinja2
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from ... import auth
from ...console import Console, explain, svg_bars, to_csv, to_xlsx
from ...teach import OUT_OF_SCOPE, Ineffective, Refused, TeachError, teach

BASE = "/admin"
COOKIE = "skillcert_admin"
MAX_BODY = 64 * 1024
HERE = Path(__file__).resolve().parent
_env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(HERE / "templates")), autoescape=True)
HEADERS = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self' data:; "
                               "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
}


INBOX_CUT = 200  # try30: a 4,000-character paste made one inbox row 2,300 px tall; the rest behind "显示全文"


def refused_text(question: str, intent: str, broken: list[dict], labels: dict) -> str:
    """Why a teach was refused, in words a maintainer can act on (try29: "would break 1 labelled
    question(s): g069 … (not covered → application_materials)" told a non-programmer nothing)."""
    def name(n):
        return "“not covered” (不在通知范围)" if n in (None, "", OUT_OF_SCOPE) else f"“{labels.get(n, n)}” ({n})"

    target = name(intent)
    lines = []
    for b in broken[:5]:
        lines.append(f"“{b['question']}” is now answered with {name(b['before'])}; after this it would get {name(b['after'])}")
    more = f" (and {len(broken) - 5} more)" if len(broken) > 5 else ""
    ids = ", ".join(str(b.get("id", "")) for b in broken[:20])
    return (f"Refused, nothing was taught: “{question}” → {target}. It is worded so much like questions the bot already answers "
            f"correctly that teaching it would change their answers: " + "; ".join(lines) + more
            + ". Nothing was changed. What you can do: teach a longer wording that names what is special about this "
              "question (e.g. add “截止” or “deadline”), or leave it; for a whole kind of question (deadlines, fees) "
              "ask a maintainer to add a pattern to knowledge/asks.toml. 没有保存：这句话和已经答对的问题太像，教了会改变它们的答案；"
              "请换一个更具体的说法再教，或交给维护人员在 knowledge/asks.toml 里加规则。"
            + f" (labelled question ids: {ids})")


def ineffective_text(question: str, intent: str, got: str | None, labels: dict) -> str:
    """try30: "Not taught: not taught: even with this phrasing the question would get `not covered` (other signals
    win; see Try it)" told a non-programmer nothing: one prefix, the console's words (中文 first), what to do next."""
    q = question if len(question) <= 60 else question[:60] + "…"
    if intent == OUT_OF_SCOPE:
        zh_now, en_now = f"仍会按“{labels.get(got, got)}”回答", f"would still be answered with “{labels.get(got, got)}”"
        zh_want, en_want = "“不在通知范围”", "“not covered”"
    else:
        zh_now = "仍会回答“通知里没有规定”" if not got else f"仍会按“{labels.get(got, got)}”回答"
        en_now = "would still get “the notice does not cover this”" if not got else \
            f"would still be answered with “{labels.get(got, got)}”"
        zh_want, en_want = f"“{labels.get(intent, intent)}”", f"“{labels.get(intent, intent)}”"
    return (f"没有保存：把“{q}”归入{zh_want}后，机器人{zh_now}——这句话里别的词对答案的影响更大。什么都没有改。"
            f"可以这样做：① 点这一行的“how is it read?”，看机器人怎样读这句话；② 换一个更完整的说法（说出主题里的关键词，"
            f"如“申报社评要准备什么材料”）再归入；③ 这类问题通知里确实没有规定的，点“不在通知范围”；④ 都不行就点“忽略”，"
            f"或把这句话转给维护人员。\nNot saved: taught as {en_want}, “{q}” {en_now}; other words in it weigh more. "
            f"Nothing was changed. Next: open “how is it read?”, teach a fuller wording that names the topic, "
            f"or mark it Not covered, or pass it to a maintainer.")


def base_of(request: Request) -> str:
    """Where the console is mounted (/admin, or /prefix/admin behind a proxy's root path)."""
    root = str(request.scope.get("root_path") or "").rstrip("/")
    return root if root.endswith(BASE) else root + BASE


class Who:
    def __init__(self, name: str, roles, csrf: str | None = None, token: bool = False):
        self.name, self.roles, self.csrf, self.token = name, set(roles), csrf, token

    @property
    def pii(self) -> bool:
        return "pii" in self.roles


def routes(app, settings: dict | None = None) -> list:
    console = Console(app, (settings or {}).get("admin") if isinstance((settings or {}).get("admin"), dict) else None)
    environ = (settings or {}).get("environ")  # tests may pass their own environment; default os.environ

    # -------------------------------------------------------- helpers

    def who(request: Request) -> Who | None:
        header = request.headers.get("authorization", "")
        if header.lower().startswith("bearer "):
            acc = auth.check_token(header[7:].strip(), environ)
            return Who(acc.name, acc.roles, token=True) if acc else None
        s = console.session(request.cookies.get(COOKIE, ""))
        return Who(s["name"], s["roles"], s["csrf"]) if s else None

    def page(template: str, request: Request, w: Who | None, status: int = 200, **ctx) -> HTMLResponse:
        base = base_of(request)
        body = _env.get_template(template).render(base=base, static=base[:-len(BASE)] + "/static", who=w,
                                                  path=request.url.path, **ctx)
        return HTMLResponse(body, status_code=status, headers=HEADERS)

    def jerror(message: str, status: int = 400, **extra) -> JSONResponse:
        return JSONResponse({"error": message, **extra}, status_code=status, headers=HEADERS)

    def unauthorised(request: Request) -> Response:
        base = base_of(request)
        if request.url.path.startswith(base + "/api/"):
            return JSONResponse({"error": "unauthorised: log in or send Authorization: Bearer <token>"},
                                status_code=401, headers={**HEADERS, "WWW-Authenticate": "Bearer"})
        nxt = request.url.path if request.method == "GET" else base + "/"
        return RedirectResponse(f"{base}/login?next={quote(nxt)}", status_code=303, headers=HEADERS)

    def guarded(handler, csrf: bool = False):
        async def endpoint(request: Request) -> Response:
            w = who(request)
            if w is None:
                return unauthorised(request)
            if request.method == "POST" and not w.token:
                if not _same_origin(request):
                    return jerror("cross-origin request refused", 403)
                if request.headers.get("content-length", "0").isdigit() and \
                        int(request.headers.get("content-length", "0")) > MAX_BODY:
                    return jerror("request too large", 413)
                sent = request.headers.get("x-csrf-token")
                if sent is None and "form" in request.headers.get("content-type", ""):
                    sent = (await request.form()).get("csrf")
                if not sent or sent != w.csrf:
                    return jerror("missing or wrong CSRF token; reload the page", 403)
            try:
                return await handler(request, w)
            except Exception as e:  # never a traceback to the browser
                return jerror(f"internal error: {type(e).__name__}", 500)
        return endpoint

    async def read_json(request: Request):
        body = await request.body()
        if len(body) > MAX_BODY:
            raise TeachError("request too large")
        try:
            data = json.loads(body or b"null")
        except (ValueError, UnicodeDecodeError):
            raise TeachError("body: not JSON") from None
        if not isinstance(data, dict):
            raise TeachError("body: must be a JSON object")
        return data

    def do_teach(w: Who, question, intent, texts=None) -> dict:
        labelled = console.settings.get("labelled")  # [admin] labelled: another folder of *.jsonl sets
        if labelled and not Path(labelled).is_absolute():
            labelled = Path(app.config.root) / labelled
        result = teach(app, question, intent, by=w.name, labelled=labelled)
        console.mark(list(texts or []) + [result.get("question") or question], "taught:" + str(intent), w.name)
        console.audit(w.name, "teach", json.dumps({"question": question, "intent": intent, "file": result["file"],
                                                   "changed": result["changed"]}, ensure_ascii=False))
        return result

    def topics() -> list[tuple[str, str]]:
        """The topics in the notice's order (try30: in no useful order): by their first clause as the notice
        runs (1.1 … 3.5, then the attachments and their notes), topics citing no clause last."""
        kb = app.kb
        order = {c: i for i, c in enumerate(kb.clauses)}

        def key(x):
            clauses = kb.intents[x[0]].clauses
            return (min((order.get(c, len(order)) for c in clauses), default=len(order) + 1), x[1])

        return sorted(((n, it.topic_zh) for n, it in kb.intents.items() if not it.out_of_scope and not it.smalltalk),
                      key=key)

    def clause_of() -> dict[str, str]:
        """A topic's first clause, shown before it in the assign list."""
        return {n: (it.clauses[0] if it.clauses else "") for n, it in app.kb.intents.items()}

    # -------------------------------------------------------- login

    async def login_form(request: Request) -> Response:
        if who(request):
            return RedirectResponse(base_of(request) + "/", status_code=303, headers=HEADERS)
        return page("admin_login.html", request, None, next=_safe_next(request.query_params.get("next"), base_of(request)))

    async def login(request: Request) -> Response:
        if not _same_origin(request):
            return jerror("cross-origin request refused", 403)
        form = await request.form()
        name = str(form.get("name") or "admin").strip()[:40] or "admin"
        password = str(form.get("password") or "")[:200]
        base = base_of(request)
        nxt = _safe_next(form.get("next"), base)
        address = request.client.host if request.client else "?"
        keys = (f"name:{name}", f"addr:{address}")
        wait = max(console.login_wait(k) for k in keys)
        if wait > 0:
            return page("admin_login.html", request, None, status=429, next=nxt, name=name,
                        error=f"Too many wrong passwords: wait {int(wait) + 1} s and try again.")
        acc = await run_in_threadpool(auth.check_login, name, password, environ)
        if acc is None:
            for k in keys:
                console.login_failed(k)
            console.audit(name, "login_failed", address)
            return page("admin_login.html", request, None, status=401, next=nxt, name=name,
                        error="Wrong name or password.")
        for k in keys:
            console.login_ok(k)
        token, _ = console.new_session(acc.name, acc.roles, address)
        console.audit(acc.name, "login", address)
        resp = RedirectResponse(nxt, status_code=303, headers=HEADERS)
        resp.set_cookie(COOKIE, token, max_age=int(console.session_minutes * 60), httponly=True, samesite="strict",
                        path=base, secure=request.url.scheme == "https")
        return resp

    async def logout(request: Request, w: Who) -> Response:
        console.end_session(request.cookies.get(COOKIE, ""))
        console.audit(w.name, "logout")
        resp = RedirectResponse(base_of(request) + "/login", status_code=303, headers=HEADERS)
        resp.delete_cookie(COOKIE, path=base_of(request))
        return resp

    # -------------------------------------------------------- pages

    async def inbox(request: Request, w: Who) -> Response:
        groups = await run_in_threadpool(console.misses, w.pii)
        flash = request.query_params.get("msg", "")
        t = topics()
        return page("admin_inbox.html", request, w, groups=groups, topics=t, labels=dict(t), flash=flash[:2000],
                    clause_of=clause_of(), cut=INBOX_CUT)

    async def inbox_act(request: Request, w: Who) -> Response:
        form = await request.form()
        action = form.get("action")
        texts = [t for t in form.getlist("text") if isinstance(t, str)][:200]
        question = str(form.get("question") or (texts[0] if texts else ""))
        if action == "dismiss":
            console.mark(texts, "dismissed", w.name)
            console.audit(w.name, "dismiss", json.dumps(texts, ensure_ascii=False))
            msg = f"Dismissed: {question}"
        else:
            intent = OUT_OF_SCOPE if action == "out_of_scope" else str(form.get("intent") or "")
            if not intent:  # try29: the best guess was preselected; now the topic is an explicit choice
                msg = f"没有归入 · Not taught: 请先在列表里选一个主题，再点“归入”。Choose a topic for “{question[:INBOX_CUT]}” first."
                return RedirectResponse(f"{base_of(request)}/?msg={quote(msg)}", status_code=303, headers=HEADERS)
            try:
                r = await run_in_threadpool(do_teach, w, question, intent, texts)
                now = r.get("now") or {}
                msg = (f"Taught: “{question}” → {intent} ({r['file']}); it now answers "
                       f"{now.get('intent') or 'not covered'} {' '.join(now.get('clauses') or [])}; "
                       f"{r['checked']} labelled questions checked, none broken."
                       if r["changed"] else f"Already taught: {question}")
            except Refused as e:
                msg = refused_text(question, intent, e.broken, dict(topics()))
                console.audit(w.name, "teach_refused", json.dumps({"question": question, "intent": intent,
                                                                   "broken": len(e.broken)}, ensure_ascii=False))
            except Ineffective as e:
                msg = ineffective_text(question, intent, e.got, dict(topics()))
            except TeachError as e:
                msg = f"没有归入 · Not taught: {e}"
        return RedirectResponse(f"{base_of(request)}/?msg={quote(msg)}", status_code=303, headers=HEADERS)

    async def feedback_page(request: Request, w: Who) -> Response:
        fb = await run_in_threadpool(console.feedback, w.pii)
        chart = svg_bars([(d["day"], [d["up"], d["down"]]) for d in fb["days"]], ["helpful", "not helpful"],
                         ["#3a8f4c", "#c0392b"], title="feedback per day")
        return page("admin_feedback.html", request, w, fb=fb, chart=chart, labels=dict(topics()))

    async def usage_page(request: Request, w: Who) -> Response:
        u = await run_in_threadpool(console.usage)
        days = svg_bars([(d["day"], [d["count"]]) for d in u["days"]], ["questions"], ["#2f6db5"],
                        title="questions per day")
        channels = svg_bars([(c["channel"], [c["count"]]) for c in u["channels"]], ["questions"], ["#8e6bb8"],
                            width=360, title="questions per channel")
        return page("admin_usage.html", request, w, u=u, days_chart=days, channels_chart=channels)

    async def try_page(request: Request, w: Who) -> Response:
        q = request.query_params.get("q", "")[:500]
        result = await run_in_threadpool(explain, app.engine, q) if q.strip() else None
        return page("admin_try.html", request, w, q=q, r=result)

    async def audit_page(request: Request, w: Who) -> Response:
        return page("admin_audit.html", request, w, rows=console.audit_rows())

    async def export(request: Request, w: Who) -> Response:
        what, fmt = request.path_params["what"], request.path_params["fmt"]
        if what not in ("misses", "feedback") or fmt not in ("csv", "xlsx"):
            return jerror("unknown export", 404)
        head, rows = await run_in_threadpool(console.export_rows, what, w.pii)
        console.audit(w.name, "export", f"{what}.{fmt}")
        if fmt == "csv":
            body, mime = to_csv(head, rows), "text/csv; charset=utf-8"
        else:
            body = to_xlsx(head, rows, what)
            mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return Response(body, media_type=mime, headers={**HEADERS,
                        "Content-Disposition": f'attachment; filename="skillcert-{what}.{fmt}"'})

    # -------------------------------------------------------- JSON API

    async def api_misses(request: Request, w: Who) -> Response:
        groups = await run_in_threadpool(console.misses, w.pii)
        return JSONResponse({"groups": groups}, headers=HEADERS)

    async def api_teach(request: Request, w: Who) -> Response:
        try:
            data = await read_json(request)
            question, intent = data.get("question"), data.get("intent")
            if not isinstance(intent, str) or not intent:
                raise TeachError('intent: a topic name or "out_of_scope"')
            result = await run_in_threadpool(do_teach, w, question, intent, data.get("texts") or [])
        except Ineffective as e:
            return jerror(str(e), 409, broken=[])
        except TeachError as e:
            return jerror(str(e), 400)
        except Refused as e:
            console.audit(w.name, "teach_refused", json.dumps({"question": data.get("question"), "intent": data.get("intent"),
                                                               "broken": len(e.broken)}, ensure_ascii=False))
            return jerror(str(e), 409, broken=e.broken)
        return JSONResponse(result, headers=HEADERS)

    async def api_dismiss(request: Request, w: Who) -> Response:
        try:
            data = await read_json(request)
        except TeachError as e:
            return jerror(str(e))
        texts = data.get("texts") or ([data["question"]] if isinstance(data.get("question"), str) else [])
        if not isinstance(texts, list) or not texts:
            return jerror("texts: a list of the questions to dismiss")
        n = console.mark([t for t in texts if isinstance(t, str)][:200], "dismissed", w.name)
        console.audit(w.name, "dismiss", json.dumps(texts[:200], ensure_ascii=False))
        return JSONResponse({"ok": True, "dismissed": n}, headers=HEADERS)

    async def api_explain(request: Request, w: Who) -> Response:
        q = request.query_params.get("q", "")
        if not q.strip():
            return jerror("q: empty")
        r = await run_in_threadpool(explain, app.engine, q[:500])
        return JSONResponse(r, headers=HEADERS)

    async def api_feedback(request: Request, w: Who) -> Response:
        return JSONResponse(await run_in_threadpool(console.feedback, w.pii), headers=HEADERS)

    async def api_usage(request: Request, w: Who) -> Response:
        return JSONResponse(await run_in_threadpool(console.usage), headers=HEADERS)

    async def api_topics(request: Request, w: Who) -> Response:
        co = clause_of()
        return JSONResponse({"topics": [{"intent": n, "topic": t, "clause": co[n]} for n, t in topics()] +
                             [{"intent": OUT_OF_SCOPE, "topic": "not covered"}]}, headers=HEADERS)

    async def not_found(request: Request, w: Who) -> Response:
        if request.url.path.startswith(base_of(request) + "/api/"):
            return jerror("not found", 404)
        return page("admin_base.html", request, w, status=404, title="Not found")

    return [
        Route("/login", login_form, methods=["GET"]),
        Route("/login", login, methods=["POST"]),
        Route("/logout", guarded(logout), methods=["POST"]),
        Route("/", guarded(inbox), methods=["GET"]),
        Route("/inbox", guarded(inbox_act), methods=["POST"]),
        Route("/feedback", guarded(feedback_page), methods=["GET"]),
        Route("/usage", guarded(usage_page), methods=["GET"]),
        Route("/try", guarded(try_page), methods=["GET"]),
        Route("/audit", guarded(audit_page), methods=["GET"]),
        Route("/export/{what}.{fmt}", guarded(export), methods=["GET"]),
        Route("/api/misses", guarded(api_misses), methods=["GET"]),
        Route("/api/teach", guarded(api_teach), methods=["POST"]),
        Route("/api/dismiss", guarded(api_dismiss), methods=["POST"]),
        Route("/api/explain", guarded(api_explain), methods=["GET"]),
        Route("/api/feedback", guarded(api_feedback), methods=["GET"]),
        Route("/api/usage", guarded(api_usage), methods=["GET"]),
        Route("/api/topics", guarded(api_topics), methods=["GET"]),
        Route("/{rest:path}", guarded(not_found), methods=["GET", "POST", "PUT", "DELETE", "PATCH"]),
    ]


def _safe_next(value, base: str = BASE) -> str:
    """Only a path inside the console: never an open redirect."""
    v = str(value or "")
    if v.startswith(base + "/") and not v.startswith("//") and "\\" not in v and "://" not in v and ":" not in v[:10]:
        return v
    return base + "/"


def _same_origin(request: Request) -> bool:
    """A browser's POST names its page's origin: it must be this site (no header: not a browser form)."""
    origin = request.headers.get("origin")
    if not origin:
        return True
    hosts = {request.headers.get("host", ""), request.headers.get("x-forwarded-host", "")} - {""}
    return urlsplit(origin).netloc in hosts
