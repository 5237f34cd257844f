"""Telegram channel benchmark: the real `skillcert telegram` process against the fake Bot API
server (tests/fakebot.py) on 127.0.0.1, fed a burst of updates from many users.

    python benchmarks/bench_telegram.py [--users 300] [--per-user 5]

Reports updates handled per second (burst pushed → last reply sent), the median and p95 added
latency (update pushed → its reply sent, including the long-poll round trip), and the bot
process's peak RSS. The outgoing rate limiter is off here (Telegram itself allows ~30 messages/s
overall; with `outgoing_max_rate = 30` the bot paces itself to that).
"""
from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from fakebot import FakeBotAPI  # noqa: E402

QUESTIONS = ["我们能给老师认定二级吗？", "学生能认定到几级", "申报社评组织要交哪些材料", "附件3网址可以不填吗",
             "Can we certify teachers at level 3?", "认定考试收费多少", "那一级呢？", "调整认定工种报什么"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--users", type=int, default=300)
    ap.add_argument("--per-user", type=int, default=5)
    ap.add_argument("--steady", type=float, default=0.0,
                    help="push at this many updates per second instead of all at once (latency at a given load)")
    a = ap.parse_args()
    token = "123456:BENCH-token-abcdefghijklmnopqrst"
    fake = FakeBotAPI(token, max_poll=1.0).start()
    tmp = Path(tempfile.mkdtemp())
    config = tmp / "config.toml"
    config.write_text((ROOT / "config.toml").read_text(encoding="utf-8")
                      .replace("outgoing_max_rate = 30", "outgoing_max_rate = 0")
                      .replace("rate_limit_per_minute = 20", "rate_limit_per_minute = 1000")
                      .replace('knowledge_db = "var/kb.sqlite"', f'knowledge_db = "{ROOT / "var" / "kb.sqlite"}"')
                      .replace('state_db = "var/skillcert.sqlite"', f'state_db = "{tmp / "state.sqlite"}"'),
                      encoding="utf-8")
    env = dict(os.environ, TELEGRAM_BOT_TOKEN=token, TELEGRAM_BASE_URL=fake.base_url, SKILLCERT_CONFIG=str(config),
               SKILLCERT_HOME=str(ROOT))
    exe = shutil.which("skillcert") or str(Path(sys.executable).parent / "skillcert")
    cmd = os.environ.get("BENCH_BOT_CMD", f"{exe} telegram").split()
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        assert fake.wait_for(lambda: fake.sent("getUpdates"), timeout=60), "the bot did not start"
        # warm-up: one message
        fake.send_text(1, "你好")
        assert fake.wait_for(lambda: fake.texts_to(1), timeout=30)
        total = a.users * a.per_user
        pushed: dict[int, list[float]] = {}
        t0 = time.monotonic()
        n = 0
        for i in range(a.per_user):
            for u in range(a.users):
                uid = 10_000 + u
                if a.steady:
                    delay = t0 + n / a.steady - time.monotonic()
                    if delay > 0:
                        time.sleep(delay)
                fake.send_text(uid, QUESTIONS[(u + i) % len(QUESTIONS)], lang="en" if (u + i) % len(QUESTIONS) == 4 else "zh")
                pushed.setdefault(uid, []).append(time.monotonic())
                n += 1

        def replied() -> int:
            return sum(1 for m, p, _ in list(fake.calls) if m == "sendMessage" and int(p.get("chat_id", 0)) >= 10_000)

        ok = fake.wait_for(lambda: replied() >= total, timeout=300, interval=0.01)
        elapsed = time.monotonic() - t0
        latencies = []
        by_chat: dict[int, list[float]] = {}
        for m, p, t in fake.calls:
            if m == "sendMessage" and int(p.get("chat_id", 0)) >= 10_000:
                by_chat.setdefault(int(p["chat_id"]), []).append(t)
        for uid, times in pushed.items():
            for sent, got in zip(times, by_chat.get(uid, [])):
                latencies.append(got - sent)
    finally:
        proc.send_signal(signal.SIGINT)
        _, status, usage = os.wait4(proc.pid, 0)
        fake.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    latencies.sort()
    mode = f"steady {a.steady:.0f}/s" if a.steady else "burst"
    print(f"users {a.users}, updates {total} ({mode}), all answered: {ok}")
    print(f"| updates/s | median added latency ms | p95 ms | bot peak RSS MB |")
    print(f"|---|---|---|---|")
    print(f"| {total / elapsed:.0f} | {statistics.median(latencies) * 1000:.1f} | "
          f"{latencies[int(0.95 * (len(latencies) - 1))] * 1000:.1f} | {usage.ru_maxrss / 1024:.0f} |")
    import resource

    me = resource.getrusage(resource.RUSAGE_SELF)
    print(f"CPU seconds: bot process {usage.ru_utime + usage.ru_stime:.1f}, fake server and driver "
          f"{me.ru_utime + me.ru_stime:.1f}, wall {elapsed:.1f}")


if __name__ == "__main__":
    main()
