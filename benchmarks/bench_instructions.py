"""Instructions per question, counted by valgrind's callgrind: a figure the machine's load does not move.

    python benchmarks/bench_instructions.py [--questions tests/data/questions.jsonl] [ROOT ...]

Wall and CPU times on a shared virtual machine drift by ±30% within minutes, so a change of 10% can only be
told by alternating runs many times. Callgrind counts the instructions a process executes instead; the same
code on the same questions gives the same count to within 0.1%. For each ROOT (a checkout of skillcert,
default: this one) it runs two processes under callgrind with the same Python: one builds the engine, warms
it and answers every question once (a first pass, as `bench_answer.py` times it), the other only builds and
warms; the difference divided by the number of questions is the count per question. PYTHONHASHSEED is fixed
so that set and dict orders (hence the work done) are the same in every run. Needs `valgrind` (Debian:
`apt install valgrind`); each process takes ≈ 40 s under it.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, sys, warnings
warnings.filterwarnings("ignore")
sys.path.insert(0, ".")
from bot.app import App
engine = App.from_config().engine
engine.warm()
if sys.argv[1] == "answer":
    for line in open(sys.argv[2], encoding="utf-8"):
        row = json.loads(line)
        engine.answer(row["question"], state={}, profile=row.get("profile") or {})
"""


def instructions(root: Path, mode: str, questions: Path) -> int:
    env = {**os.environ, "PYTHONHASHSEED": "0", "PYTHONDONTWRITEBYTECODE": "1"}
    run = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, "-c", CHILD,
                          mode, str(questions)], cwd=root, env=env, capture_output=True, text=True)
    found = re.search(r"Collected\s*:\s*(\d+)", run.stderr)
    if run.returncode != 0 or not found:
        raise SystemExit(f"callgrind failed in {root} ({mode}):\n{run.stderr[-2000:]}")
    return int(found.group(1))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("roots", nargs="*", type=Path, default=[ROOT])
    ap.add_argument("--questions", type=Path, default=ROOT / "tests" / "data" / "questions.jsonl")
    args = ap.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (Debian: apt install valgrind)")
    questions = args.questions.resolve()
    n = sum(1 for line in open(questions, encoding="utf-8") if line.strip())
    print(f"| checkout | instructions per question ({n} questions, first pass after warm) |")
    print("|---|---|")
    for root in args.roots:
        per = (instructions(root, "answer", questions) - instructions(root, "warm", questions)) / n
        print(f"| {root} | {per / 1e6:.2f} M |")


if __name__ == "__main__":
    main()
