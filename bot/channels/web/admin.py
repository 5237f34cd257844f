"""The maintainers' console under /admin — a placeholder: a login page, and 401 for every other path.

The full console (issue 11) replaces this module with the same entry point, `routes(app, settings)`.
Credentials only from the environment: SKILLCERT_ADMIN_PASSWORD_HASH (pbkdf2_sha256$iterations$salt$hexdigest)
or SKILLCERT_ADMIN_PASSWORD, and SKILLCERT_ADMIN_TOKEN for scripts.
"""
from __future__ import annotations

import hashlib
import hmac
import os

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse
from starlette.routing import Route

LOGIN_PAGE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>维护控制台登录</title></head>
<body><h1>维护控制台 / Maintainers' console</h1><p>{message}</p>
<form method="post" action="login"><label>密码 / password <input type="password" name="password" autocomplete="current-password"></label>
<button type="submit">登录 / log in</button></form></body></html>"""


def check_password(given: str) -> bool:
    """True when `given` matches the password (or its hash) from the environment; False if none is set."""
    stored_hash = os.environ.get("SKILLCERT_ADMIN_PASSWORD_HASH", "")
    if stored_hash:
        try:
            algo, iterations, salt, digest = stored_hash.split("$")
            if algo != "pbkdf2_sha256":
                return False
            mine = hashlib.pbkdf2_hmac("sha256", given.encode(), salt.encode(), int(iterations)).hex()
        except ValueError:
            return False
        return hmac.compare_digest(mine, digest)
    password = os.environ.get("SKILLCERT_ADMIN_PASSWORD", "")
    return bool(password) and hmac.compare_digest(given.encode(), password.encode())


def routes(app, settings: dict) -> list:
    async def login_page(request: Request):
        return HTMLResponse(LOGIN_PAGE.format(message="请登录。Please log in."), status_code=401)

    async def login(request: Request):
        body = (await request.body())[:4096].decode("utf-8", "replace")
        from urllib.parse import parse_qs

        given = (parse_qs(body).get("password") or [""])[0]
        if check_password(given):
            return HTMLResponse(LOGIN_PAGE.format(message="密码正确，但此版本尚未安装控制台。"), status_code=501)
        return HTMLResponse(LOGIN_PAGE.format(message="密码不对。Wrong password."), status_code=401)

    async def denied(request: Request):
        if request.url.path.rstrip("/").endswith("/admin") or "/api/" not in request.url.path:
            return HTMLResponse(LOGIN_PAGE.format(message="请登录。Please log in."), status_code=401)
        return JSONResponse({"error": "login required"}, status_code=401)

    every = ["GET", "POST", "PUT", "PATCH", "DELETE"]
    return [Route("/login", login_page, methods=["GET"]), Route("/login", login, methods=["POST"]),
            Route("/{path:path}", denied, methods=every)]
