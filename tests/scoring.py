"""The scoring rules of ../shared/eval/score_ask.py, as a function over in-process answers,
plus verdict accuracy and per-tag figures."""
from __future__ import annotations

from collections import Counter, defaultdict


def matches(cited: str, expected: list[str]) -> bool:
    return any(cited == e or cited.startswith(e + ".") for e in expected)


def score(engine, rows: list[dict]) -> dict:
    sessions: dict[str, dict] = {}
    full = n_in = oos_ok = n_oos = v_ok_n = v_n = 0
    tags: dict[str, Counter] = defaultdict(Counter)
    failures = []
    for r in rows:
        state = sessions.get(r["session"], {}) if r.get("session") else {}
        ans = engine.answer(r["question"], state=state, profile=r.get("profile") or {}, qid=r["id"])
        if r.get("session"):
            sessions[r["session"]] = ans.state
        tag = r.get("tag") or ("in-scope" if r["clauses"] else "out-of-scope")
        tags[tag]["n"] += 1
        if not r["clauses"]:
            n_oos += 1
            ok = not ans.clauses and ans.verdict is None
            oos_ok += ok
            tags[tag]["ok"] += ok
            if not ok:
                failures.append((r["id"], r["question"], "should abstain", ans.intent))
            continue
        n_in += 1
        c_ok = bool(ans.clauses) and matches(ans.clauses[0], r["clauses"])
        v_ok = not r.get("verdict") or ans.verdict in r["verdict"]
        if r.get("verdict"):
            v_n += 1
            v_ok_n += v_ok
        low = ans.text.lower()
        m_ok = all(any(k.lower() in low for k in g) for g in r.get("must") or [])
        if r.get("lang") == "en" or (r["question"][:1].isascii() and r["question"][:1].isalpha()):
            m_ok = m_ok and ans.lang == "en"
        ok = c_ok and v_ok and m_ok
        full += ok
        tags[tag]["ok"] += ok
        if not ok:
            failures.append((r["id"], r["question"], f"clauses={ans.clauses} verdict={ans.verdict}", ans.intent))
    return {"full": full / max(n_in, 1), "oos": oos_ok / max(n_oos, 1), "n_in": n_in, "n_oos": n_oos,
            "full_n": full, "oos_n": oos_ok, "verdict_ok": v_ok_n, "verdict_n": v_n,
            "verdict": v_ok_n / max(v_n, 1), "tags": {t: (c["ok"], c["n"]) for t, c in sorted(tags.items())},
            "failures": failures}
