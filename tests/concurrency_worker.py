"""A worker process for tests/test_reliability.py: drives many users' dialogues on one state DB.

    python concurrency_worker.py form  USERS...   answers the whole questionnaire (FLOW) for each user,
                                                  one step of every user in turn
    python concurrency_worker.py noise USERS...   asks questions for the same users until `stop` exists
The paths come from SKILLCERT_KB / SKILLCERT_DB; a line "ok" (form: "ok <steps>") ends a clean run.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bot.app import App  # noqa: E402
from bot.dialogue import Dialogue  # noqa: E402
from test_dialogue import FLOW, press  # noqa: E402

NOISE = ["能给老师认定二级吗？", "联系电话是多少？", "这个通知是哪天发的？"]  # questions answered, never stored as answers


def main() -> int:
    role, stop, users = sys.argv[1], Path(sys.argv[2]), sys.argv[3:]
    d = Dialogue(App.from_config())
    if role == "form":
        last = {u: d.handle_text(u, "/check") for u in users}
        steps = 0
        for kind, value in FLOW:
            for u in users:
                replies = press(d, u, last[u], value) if kind == "btn" else d.handle_text(u, value)
                if any("请重新回答" in r.text for r in replies):
                    print(f"retry for {u} at {value}: {replies[0].text[:80]}", flush=True)
                    return 1
                last[u] = replies
                steps += 1
        print(f"ok {steps}", flush=True)
        return 0
    i = 0
    while not stop.exists():
        for u in users:
            d.handle_text(u, NOISE[i % len(NOISE)])
            i += 1
    print(f"ok {i}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
