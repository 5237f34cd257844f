"""Answer engine benchmark: skillcert's engine against a plain BM25-over-clauses baseline.

    python benchmarks/bench_answer.py [--questions tests/data/questions.jsonl] [--runs 5]

Each system runs in its own child process (so peak RSS is its own) over the labelled set:
top-1 clause accuracy, full-correct rate (score_ask rules), out-of-scope abstention, median
and p99 latency per question. Then the wall time of a one-shot `skillcert ask` process.
Needs `pip install -e ".[bench]"` (rank-bm25). Prints a Markdown table for the README.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))


def percentile(values, p):
    values = sorted(values)
    k = min(len(values) - 1, max(0, round(p / 100 * (len(values) - 1))))
    return values[k]


def child_engine(rows):
    import warnings

    warnings.filterwarnings("ignore")
    from bot.app import App
    from scoring import matches

    t0 = time.perf_counter()
    app = App.from_config()
    engine = app.engine
    engine.warm()  # as the long-running channels and `ask --jsonl` do: patterns and templates compiled, tokenizer loaded
    load = time.perf_counter() - t0
    sessions, lat, top1, full, n_in, oos_ok, n_oos, v_ok, v_n = {}, [], 0, 0, 0, 0, 0, 0, 0
    for r in rows:
        st = sessions.get(r.get("session"), {}) if r.get("session") else {}
        t = time.perf_counter()
        a = engine.answer(r["question"], state=st, profile=r.get("profile") or {})
        lat.append(time.perf_counter() - t)
        if r.get("session"):
            sessions[r["session"]] = a.state
        if not r["clauses"]:
            n_oos += 1
            oos_ok += not a.clauses and a.verdict is None
            continue
        n_in += 1
        c = bool(a.clauses) and matches(a.clauses[0], r["clauses"])
        v = not r.get("verdict") or a.verdict in r["verdict"]
        m = all(any(k.lower() in a.text.lower() for k in g) for g in r.get("must") or [])
        top1 += c
        full += c and v and m
        if r.get("verdict"):
            v_n += 1
            v_ok += v
    return {"load_s": load, "lat": lat, "top1": top1 / n_in, "full": full / n_in, "oos": oos_ok / n_oos,
            "verdict_ok": v_ok, "verdict_n": v_n}


def child_bm25(rows):
    import logging
    import warnings

    warnings.filterwarnings("ignore")
    import jieba
    from rank_bm25 import BM25Okapi

    from bot.kb import read_sources
    from scoring import matches

    jieba.setLogLevel(logging.WARNING)
    t0 = time.perf_counter()
    src = read_sources(ROOT)
    ids = list(src["clauses"])
    docs = [jieba.lcut_for_search(src["clauses"][i]["title_zh"] + src["clauses"][i]["text"]) for i in ids]
    bm25 = BM25Okapi(docs)
    load = time.perf_counter() - t0
    # abstain threshold: the best single cut-off over this very set (an optimistic baseline)
    scored = []
    lat = []
    for r in rows:
        t = time.perf_counter()
        s = bm25.get_scores(jieba.lcut_for_search(r["question"]))
        best = max(range(len(ids)), key=lambda i: s[i])
        lat.append(time.perf_counter() - t)
        scored.append((r, ids[best], s[best]))
    best_cut, best_val = 0.0, -1.0
    for cut in sorted({sc for _, _, sc in scored}):
        ok = sum(bool((not r["clauses"] and sc < cut) or (r["clauses"] and sc >= cut and matches(c, r["clauses"])))
                 for r, c, sc in scored)
        if ok > best_val:
            best_cut, best_val = cut, ok
    n_in = sum(1 for r in rows if r["clauses"])
    n_oos = len(rows) - n_in
    top1 = sum(1 for r, c, sc in scored if r["clauses"] and matches(c, r["clauses"]))
    covered = sum(1 for r, c, sc in scored if r["clauses"] and sc >= best_cut and matches(c, r["clauses"]))
    oos = sum(1 for r, c, sc in scored if not r["clauses"] and sc < best_cut)
    # BM25 gives no verdict and writes no answer: "full" counts clause-correct questions with no verdict or must-mention
    full = sum(1 for r, c, sc in scored if r["clauses"] and sc >= best_cut and matches(c, r["clauses"])
               and not r.get("verdict") and not r.get("must"))
    return {"load_s": load, "lat": lat, "top1": top1 / n_in, "full": full / n_in, "oos": oos / max(n_oos, 1),
            "covered_top1": covered / n_in}


def run_child(kind: str, questions: str) -> dict:
    p = subprocess.run([sys.executable, __file__, "--child", kind, "--questions", questions],
                       capture_output=True, text=True, cwd=ROOT, timeout=600)
    if p.returncode != 0:
        raise SystemExit(p.stderr)
    return json.loads(p.stdout.strip().splitlines()[-1])


def one_shot(runs: int) -> dict:
    exe = shutil.which("skillcert", path=str(Path(sys.executable).parent)) or shutil.which("skillcert")
    walls, rss = [], []
    for _ in range(runs):
        t = time.perf_counter()
        p = subprocess.Popen([exe, "ask", "我们能给老师认定二级吗？"], stdout=subprocess.DEVNULL, cwd=ROOT)
        _, status, usage = os.wait4(p.pid, 0)  # this child's own peak RSS
        walls.append(time.perf_counter() - t)
        assert status == 0
        rss.append(usage.ru_maxrss / 1024)
    return {"median_s": statistics.median(walls), "max_s": max(walls), "peak_rss_mb": max(rss)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--questions", default=str(ROOT / "tests" / "data" / "questions.jsonl"))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--also", nargs="*", default=[str(ROOT / "tests" / "data" / "holdout5.jsonl")],
                    help="further labelled sets: full-correct and verdict accuracy of the engine")
    ap.add_argument("--child")
    a = ap.parse_args()
    rows = [json.loads(x) for x in Path(a.questions).read_text(encoding="utf-8").splitlines() if x.strip()]
    if a.child:
        out = child_engine(rows) if a.child == "engine" else child_bm25(rows)
        out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(out))
        return
    exe = shutil.which("skillcert", path=str(Path(sys.executable).parent)) or shutil.which("skillcert") or "skillcert"
    subprocess.run([exe, "kb", "build"], cwd=ROOT, capture_output=True)
    shot = one_shot(a.runs)
    res = {k: run_child(k, a.questions) for k in ("engine", "bm25")}
    print(f"questions: {len(rows)} from {os.path.relpath(a.questions, ROOT)}; machine: {os.cpu_count()} cores\n")
    print("| system | top-1 clause | full-correct | out-of-scope abstained | median ms/question | p99 ms/question | load s | peak RSS MB |")
    print("|---|---|---|---|---|---|---|---|")
    for name, label in (("engine", "skillcert engine"), ("bm25", "BM25 over clauses (jieba + rank-bm25)")):
        r = res[name]
        print(f"| {label} | {r['top1']:.1%} | {r['full']:.1%} | {r['oos']:.1%} | {statistics.median(r['lat']) * 1000:.3f} "
              f"| {percentile(r['lat'], 99) * 1000:.3f} | {r['load_s']:.2f} | {r['peak_rss_mb']:.0f} |")
    e = res["engine"]
    print(f"\nverdict accuracy (yes/no questions, skillcert engine): {e['verdict_ok']}/{e['verdict_n']} "
          f"({e['verdict_ok'] / max(e['verdict_n'], 1):.1%}); BM25 gives no verdicts")
    for extra in a.also:
        r = run_child("engine", extra)
        print(f"{os.path.relpath(extra, ROOT)}: full-correct {r['full']:.1%}, verdicts {r['verdict_ok']}/{r['verdict_n']} "
              f"({r['verdict_ok'] / max(r['verdict_n'], 1):.1%}), out-of-scope abstained {r['oos']:.1%}, "
              f"median {statistics.median(r['lat']) * 1000:.3f} ms/question")
    print(f"\none-shot `skillcert ask` process: median {shot['median_s']:.3f} s, max {shot['max_s']:.3f} s "
          f"over {a.runs} runs, peak RSS {shot['peak_rss_mb']:.0f} MB")


if __name__ == "__main__":
    main()
