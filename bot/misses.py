"""Group logged misses by similarity so a maintainer sees each gap once (`skillcert kb misses`)."""
from __future__ import annotations

from rapidfuzz import fuzz

SIMILAR = 60


def group_misses(misses: list[dict]) -> list[dict]:
    groups: list[dict] = []
    for m in misses:
        text = m["text"].strip()
        if not text:
            continue
        for g in groups:
            if fuzz.token_set_ratio(text, g["text"]) >= SIMILAR or fuzz.partial_ratio(text, g["text"]) >= 80:
                g["count"] += 1
                g["items"].append(m)
                if text != g["text"] and text not in g["others"]:
                    g["others"].append(text)
                break
        else:
            groups.append({"text": text, "count": 1, "others": [], "best_guess": m.get("best_guess"),
                           "score": m.get("score") or 0.0, "items": [m]})
    return sorted(groups, key=lambda g: -g["count"])
