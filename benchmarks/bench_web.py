"""Web channel benchmark: N concurrent sessions against the real `skillcert web` process on 127.0.0.1.

Each session is one keep-alive connection sending questions (from tests/data/questions.jsonl, in turn)
one after the other, as a browser does, with its own session cookie. Prints messages/s, median and
p99 latency, the server's peak RSS (all its processes) and the machine's load before the run.

    .venv/bin/python benchmarks/bench_web.py                    # 40 sessions × 50 messages
    .venv/bin/python benchmarks/bench_web.py --sessions 80 --messages 30 --workers 2
    .venv/bin/python benchmarks/bench_web.py --rate 300 --messages 100   # latency at a steady 300 messages/s
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def questions() -> list[str]:
    lines = (ROOT / "tests" / "data" / "questions.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(x)["question"] for x in lines if x.strip()]


def write_config(folder: Path) -> Path:
    with open(ROOT / "config.toml", "rb") as f:
        data = tomllib.load(f)
    data.setdefault("web", {}).update({"rate_per_session_per_minute": 0, "rate_per_address_per_minute": 0})
    out = []
    for section, values in data.items():
        out.append(f"[{section}]")
        out += [f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in values.items()]
    path = folder / "config.toml"
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


def start_server(folder: Path, workers: int) -> tuple[subprocess.Popen, int, list[str]]:
    exe = shutil.which("skillcert", path=str(Path(sys.executable).parent))
    base = [exe] if exe else [sys.executable, "-m", "bot.cli"]
    cmd = base + ["--config", str(write_config(folder)), "web", "--port", "0", "--workers", str(workers)]
    env = dict(os.environ, SKILLCERT_DB=str(folder / "state.sqlite"), SKILLCERT_HOME=str(ROOT))
    env.setdefault("SKILLCERT_KB", str(ROOT / "var" / "kb.sqlite"))
    # build the knowledge base first (if stale), in its own process: the server's RSS is then what serving takes
    subprocess.run(base + ["kb", "build"], env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    lines: list[str] = []
    port = threading.Event()
    found = {}

    def drain():
        for line in proc.stderr:
            lines.append(line)
            m = re.search(r"listening on http://127\.0\.0\.1:(\d+)", line)
            if m:
                found["port"] = int(m.group(1))
                port.set()

    threading.Thread(target=drain, daemon=True).start()
    if not port.wait(120):
        proc.kill()
        raise SystemExit("server did not start:\n" + "".join(lines))
    while sum("Application startup complete" in x for x in lines) < workers:
        if proc.poll() is not None:
            raise SystemExit("server exited:\n" + "".join(lines))
        time.sleep(0.05)
    return proc, found["port"], lines


def family(pid: int) -> list[int]:
    pids = [pid]
    try:
        pids += [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        pass
    return pids


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of the server and its workers."""
    total = 0
    for p in family(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            pass
    return total / os.sysconf("SC_CLK_TCK")


def peak_rss_mb(pid: int) -> float:
    """VmHWM of the process and its children (the workers), in MB."""
    total = 0
    for p in family(pid):
        try:
            status = Path(f"/proc/{p}/status").read_text()
            total += int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1))
        except (OSError, AttributeError):
            pass
    return total / 1024


async def session(port: int, texts: list[str], latencies: list[float], errors: list[str],
                  interval: float = 0.0, offset: float = 0.0) -> None:
    """Send the texts one after another; with `interval`, one every `interval` seconds (open loop:
    the schedule does not wait for slow answers, a late one is sent at once)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    cookie = ""
    loop = asyncio.get_running_loop()
    start = loop.time() + offset
    try:
        for k, text in enumerate(texts):
            if interval:
                delay = start + k * interval - loop.time()
                if delay > 0:
                    await asyncio.sleep(delay)
            body = json.dumps({"text": text}, ensure_ascii=False).encode()
            head = (f"POST /api/message HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
                    f"Content-Length: {len(body)}\r\n" + (f"Cookie: {cookie}\r\n" if cookie else "") + "\r\n")
            t0 = time.perf_counter()
            writer.write(head.encode() + body)
            await writer.drain()
            status_line = await reader.readline()
            length = 0
            while True:
                line = await reader.readline()
                if line in (b"\r\n", b""):
                    break
                name, _, value = line.decode("latin-1").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
                elif name.lower() == "set-cookie" and not cookie:
                    cookie = value.strip().split(";")[0]
            payload = await reader.readexactly(length)
            latencies.append(time.perf_counter() - t0)
            if b" 200 " not in status_line or b'"replies"' not in payload:
                errors.append(status_line.decode("latin-1").strip())
    finally:
        writer.close()


async def run_load(port: int, sessions: int, messages: int, rate: float = 0.0) -> tuple[float, list[float], list[str]]:
    qs = questions()
    latencies: list[float] = []
    errors: list[str] = []
    plans = [[qs[(i * 7 + j) % len(qs)] for j in range(messages)] for i in range(sessions)]
    interval = sessions / rate if rate else 0.0
    t0 = time.perf_counter()
    await asyncio.gather(*(session(port, plan, latencies, errors, interval, interval * i / sessions)
                           for i, plan in enumerate(plans)))
    return time.perf_counter() - t0, latencies, errors


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sessions", type=int, default=40)
    ap.add_argument("--messages", type=int, default=50, help="messages per session")
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--warmup", type=int, default=5, help="messages per session before measuring")
    ap.add_argument("--rate", type=float, default=0.0,
                    help="offered load in messages/s over all sessions (default 0: each sends as soon as answered)")
    args = ap.parse_args()
    load = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        proc, port, _ = start_server(Path(tmp), args.workers)
        try:
            asyncio.run(run_load(port, args.sessions, args.warmup))
            cpu0 = cpu_seconds(proc.pid)
            elapsed, lat, errors = asyncio.run(run_load(port, args.sessions, args.messages, args.rate))
            cpu = cpu_seconds(proc.pid) - cpu0
            rss = peak_rss_mb(proc.pid)
        finally:
            proc.terminate()
            proc.wait(30)
    lat.sort()
    n = len(lat)
    p99 = lat[min(n - 1, int(n * 0.99))]
    print(f"machine: {os.cpu_count()} cores, load average before the run {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f}")
    load_kind = f"offered {args.rate:.0f} messages/s" if args.rate else "back to back"
    print(f"{args.sessions} sessions × {args.messages} messages ({load_kind}), {args.workers} worker(s): "
          f"{n} messages in {elapsed:.2f} s")
    print(f"  {n / elapsed:.0f} messages/s   median {statistics.median(lat) * 1000:.1f} ms   "
          f"p99 {p99 * 1000:.1f} ms   max {lat[-1] * 1000:.1f} ms   server peak RSS {rss:.0f} MB   errors {len(errors)}")
    print(f"  server CPU {cpu * 1000 / max(n, 1):.2f} ms per message")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
