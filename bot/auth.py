"""Maintainers' credentials for the console (/admin), all from the environment.

- `SKILLCERT_ADMIN_PASSWORD` (plain) or `SKILLCERT_ADMIN_PASSWORD_HASH` (scrypt, made by
  `python -m bot.auth`): the password of the account `admin`; its roles in `SKILLCERT_ADMIN_ROLES`
  (comma-separated, e.g. `pii`).
- `SKILLCERT_ADMIN_ACCOUNTS`: more accounts, whitespace-separated `name:roles:hash` entries
  (roles joined with `+`, may be empty), e.g. `alice:pii:scrypt$16384$8$1$…  bob::scrypt$…`.
- `SKILLCERT_ADMIN_TOKEN`: the bearer token for scripts on /admin/api/ (roles in
  `SKILLCERT_ADMIN_TOKEN_ROLES`).

Pure functions over a mapping like `os.environ`; nothing is read from files.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import re
import sys
from dataclasses import dataclass

N, R, P = 2 ** 14, 8, 1
_HASH = re.compile(r"^scrypt\$(\d+)\$(\d+)\$(\d+)\$([0-9a-f]+)\$([0-9a-f]+)$")
NAME = re.compile(r"^[A-Za-z0-9_.\-]{1,40}$")


@dataclass(frozen=True)
class Account:
    name: str
    roles: frozenset
    secret: str  # "scrypt$…" hash or the plain password


def hash_password(password: str, salt: bytes | None = None) -> str:
    salt = salt or os.urandom(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=N, r=R, p=P, dklen=32)
    return f"scrypt${N}${R}${P}${salt.hex()}${digest.hex()}"


def verify_password(password: str, secret: str) -> bool:
    m = _HASH.match(secret or "")
    if m:
        n, r, p = (int(x) for x in m.groups()[:3])
        if n > 2 ** 20 or r > 32 or p > 16:
            return False
        salt, want = bytes.fromhex(m.group(4)), bytes.fromhex(m.group(5))
        got = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=len(want),
                             maxmem=256 * 1024 * 1024)
        return hmac.compare_digest(got, want)
    if not secret:
        return False
    return hmac.compare_digest(password.encode("utf-8"), secret.encode("utf-8"))


def _roles(text: str, sep: str) -> frozenset:
    return frozenset(r.strip() for r in (text or "").split(sep) if r.strip())


def accounts(environ=None) -> dict[str, Account]:
    env = os.environ if environ is None else environ
    out: dict[str, Account] = {}
    secret = env.get("SKILLCERT_ADMIN_PASSWORD_HASH") or env.get("SKILLCERT_ADMIN_PASSWORD") or ""
    if secret:
        out["admin"] = Account("admin", _roles(env.get("SKILLCERT_ADMIN_ROLES", ""), ","), secret)
    for entry in (env.get("SKILLCERT_ADMIN_ACCOUNTS") or "").split():
        parts = entry.split(":", 2)
        if len(parts) == 3 and NAME.match(parts[0]) and _HASH.match(parts[2]):
            out[parts[0]] = Account(parts[0], _roles(parts[1], "+"), parts[2])
    return out


def check_login(name: str, password: str, environ=None) -> Account | None:
    acc = accounts(environ).get((name or "").strip() or "admin")
    if acc is None:
        verify_password(password or "", hash_password("x", b"0" * 16))  # same work for unknown names
        return None
    return acc if verify_password(password or "", acc.secret) else None


def check_token(token: str, environ=None) -> Account | None:
    env = os.environ if environ is None else environ
    want = env.get("SKILLCERT_ADMIN_TOKEN") or ""
    if len(want) < 16 or not token:  # a short token is refused rather than trusted
        return None
    if hmac.compare_digest(token.encode("utf-8"), want.encode("utf-8")):
        return Account("token", _roles(env.get("SKILLCERT_ADMIN_TOKEN_ROLES", ""), ","), "")
    return None


def main() -> int:
    """`python -m bot.auth`: reads a password (twice on a terminal) and prints its scrypt hash."""
    import getpass

    if sys.stdin.isatty():
        pw = getpass.getpass("password: ")
        if pw != getpass.getpass("again: "):
            print("the two passwords differ", file=sys.stderr)
            return 2
    else:
        pw = sys.stdin.readline().rstrip("\n")
    if len(pw) < 8:
        print("password: at least 8 characters", file=sys.stderr)
        return 2
    print(hash_password(pw))
    return 0


if __name__ == "__main__":
    sys.exit(main())
