"""The real `skillcert web` process on 127.0.0.1 (port 0: the port it picked is read from its stderr)."""
from __future__ import annotations

import re
import signal
import subprocess
import threading
import time
import tomllib
from pathlib import Path

import httpx

from conftest import ROOT, skillcert_cmd


def toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, str):
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(v, list):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    raise TypeError(v)


def write_config(path: Path, web: dict) -> Path:
    """The project's config.toml with [web] settings replaced by `web`."""
    with open(ROOT / "config.toml", "rb") as f:
        data = tomllib.load(f)
    data["web"] = {**data.get("web", {}), **web}
    lines = []
    for section, values in data.items():
        lines.append(f"[{section}]")
        lines += [f"{k} = {toml_value(v)}" for k, v in values.items()]
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


class WebServer:
    def __init__(self, env: dict, tmp_path: Path, web: dict | None = None, workers: int = 1):
        self.env = env
        self.config = write_config(tmp_path / "web-config.toml", {"rate_per_session_per_minute": 1000,
                                                                  "rate_per_address_per_minute": 10000,
                                                                  **(web or {})})
        self.workers = workers
        self.lines: list[str] = []
        self.proc: subprocess.Popen | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "WebServer":
        cmd = skillcert_cmd() + ["--config", str(self.config), "web", "--port", "0"]
        if self.workers > 1:
            cmd += ["--workers", str(self.workers)]
        self.proc = subprocess.Popen(cmd, env=self.env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                     text=True, encoding="utf-8", errors="replace")
        found = threading.Event()

        def drain():
            for line in self.proc.stderr:
                self.lines.append(line.rstrip("\n"))
                m = re.search(r"listening on http://127\.0\.0\.1:(\d+)", line)
                if m:
                    self.port = int(m.group(1))
                    found.set()

        threading.Thread(target=drain, daemon=True).start()
        if not found.wait(60):
            self.stop()
            raise RuntimeError("skillcert web did not start:\n" + "\n".join(self.lines))
        started = sum("Application startup complete" in x for x in self.lines)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:  # every worker has loaded the knowledge base
            started = sum("Application startup complete" in x for x in self.lines)
            if started >= self.workers:
                break
            if self.proc.poll() is not None:
                raise RuntimeError("skillcert web exited:\n" + "\n".join(self.lines))
            time.sleep(0.05)
        assert httpx.get(self.url + "/healthz", timeout=30).json() == {"ok": True}
        return self

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)

    def log(self) -> str:
        return "\n".join(self.lines)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def client(server: WebServer, **kw) -> httpx.Client:
    return httpx.Client(base_url=server.url, timeout=60, **kw)


def say(c: httpx.Client, text: str | None = None, button: str | None = None, **kw) -> list[dict]:
    payload = {"text": text} if button is None else {"button": button}
    r = c.post("/api/message", json=payload, **kw)
    assert r.status_code == 200, (r.status_code, r.text)
    return r.json()["replies"]


def buttons(replies: list[dict]) -> list[dict]:
    return [b for r in replies for b in r["buttons"]]


def tap(c: httpx.Client, replies: list[dict], label: str) -> list[dict]:
    data = next(b["data"] for b in buttons(replies) if b["label"] == label)
    return say(c, button=data)
