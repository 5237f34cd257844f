"""What the maintainers' console shows: misses grouped, feedback, usage, the engine's reading of a
question, exports; and its own records (sessions, failed logins, audit, handled misses).

The queries read the state database the channels write (bot/store.py); the aggregation, the
explanation and the charts are plain functions. Rows older than `[privacy] keep_days` are never
shown, and a user's rows go with `/forget` (they live in the store's user tables).
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import html
import io
import re
import secrets
import time
from collections import Counter, defaultdict

from .misses import group_misses
from .text import clean, clause_refs, detect_lang, facts_in, groups_in, levels_in, strip_courtesy

SCHEMA = """
create table if not exists admin_sessions (
  token text primary key, name text not null, roles text not null, csrf text not null,
  created real not null, expires real not null, address text
);
create table if not exists admin_failures (key text primary key, count integer not null, last real not null);
create table if not exists admin_audit (
  id integer primary key, time real not null, who text not null, action text not null, detail text
);
create table if not exists miss_marks (text text primary key, action text not null, who text, time real not null);
"""
CHANNELS = {"tg": "telegram", "terminal": "terminal", "cli": "cli", "web": "web"}
FREE_FAILURES = 3  # wrong passwords before the waits start
MAX_WAIT = 900.0


def channel_of(user: str) -> str:
    m = re.match(r"[a-z]+", user or "")
    return CHANNELS.get(m.group(0), m.group(0)) if m else "other"


def day(t: float) -> str:
    return dt.datetime.fromtimestamp(t, dt.timezone.utc).strftime("%Y-%m-%d")


def stamp(t: float | None) -> str:
    return dt.datetime.fromtimestamp(t, dt.timezone.utc).strftime("%Y-%m-%d %H:%M") if t else ""


class Console:
    def __init__(self, app, settings: dict | None = None):
        self.app = app
        sections = getattr(app.config, "sections", {}) or {}
        self.settings = {**sections.get("admin", {}), **(settings or {})}
        privacy = sections.get("privacy", {})
        self.keep_days = self.settings.get("keep_days", privacy.get("keep_days"))
        self.session_minutes = float(self.settings.get("session_minutes", 480))
        self.store.conn.executescript(SCHEMA)
        self.store.conn.commit()

    @property
    def store(self):
        return self.app.store

    def _since(self) -> float:
        if not self.keep_days:
            return 0.0
        return time.time() - float(self.keep_days) * 86400

    # ------------------------------------------------------------ sessions and logins

    def new_session(self, name: str, roles, address: str = "") -> tuple[str, str]:
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
        now = time.time()
        self.store._write("insert into admin_sessions(token, name, roles, csrf, created, expires, address) "
                          "values(?,?,?,?,?,?,?)", (_h(token), name, ",".join(sorted(roles)), csrf, now,
                                                    now + self.session_minutes * 60, address))
        self.store._write("delete from admin_sessions where expires < ?", (now,))
        return token, csrf

    def session(self, token: str) -> dict | None:
        if not token:
            return None
        rows = self.store._read("select name, roles, csrf, expires from admin_sessions where token = ?", (_h(token),))
        if not rows or rows[0][3] < time.time():
            return None
        name, roles, csrf, _ = rows[0]
        return {"name": name, "roles": set(filter(None, roles.split(","))), "csrf": csrf}

    def end_session(self, token: str) -> None:
        self.store._write("delete from admin_sessions where token = ?", (_h(token or ""),))

    def login_wait(self, key: str) -> float:
        """Seconds to wait before the next attempt for this name/address (0: go ahead)."""
        rows = self.store._read("select count, last from admin_failures where key = ?", (key,))
        if not rows or rows[0][0] < FREE_FAILURES:
            return 0.0
        count, last = rows[0]
        wait = min(MAX_WAIT, 2.0 ** (count - FREE_FAILURES + 1))
        return max(0.0, last + wait - time.time())

    def login_failed(self, key: str) -> None:
        self.store._write("insert into admin_failures(key, count, last) values(?, 1, ?) on conflict(key) "
                          "do update set count = count + 1, last = excluded.last", (key, time.time()))

    def login_ok(self, key: str) -> None:
        self.store._write("delete from admin_failures where key = ?", (key,))

    # ------------------------------------------------------------ audit

    def audit(self, who: str, action: str, detail: str = "") -> None:
        self.store._write("insert into admin_audit(time, who, action, detail) values(?,?,?,?)",
                          (time.time(), who, action, detail[:2000]))

    def audit_rows(self, limit: int = 200) -> list[dict]:
        rows = self.store._read("select time, who, action, detail from admin_audit order by id desc limit ?", (limit,))
        return [{"time": stamp(t), "who": w, "action": a, "detail": d} for t, w, a, d in rows]

    # ------------------------------------------------------------ misses

    def misses(self, pii: bool = False, limit: int = 2000) -> list[dict]:
        """Unanswered and low-confidence questions not yet handled, grouped by similarity, each group
        with its count, first/last seen, channels, examples and the engine's best guess now."""
        rows = self.store._read(
            "select m.user, m.time, m.text, m.best_guess, m.score from misses m "
            "left join miss_marks k on k.text = m.text "
            "where m.time >= ? and (k.time is null or m.time > k.time) order by m.id desc limit ?",
            (self._since(), limit))
        items = [{"user": u, "time": t, "text": x, "best_guess": g, "score": s} for u, t, x, g, s in rows]
        out = []
        for g in group_misses(items):
            members = g["items"]
            guess, score = self.best_guess(g["text"])
            texts = list(dict.fromkeys(m["text"] for m in members))
            group = {
                "text": g["text"], "count": g["count"], "examples": texts[:10], "texts": texts,
                "first_seen": stamp(min(m["time"] for m in members)), "last_seen": stamp(max(m["time"] for m in members)),
                "channels": sorted({channel_of(m["user"]) for m in members}),
                "best_guess": guess, "score": round(score, 3),
                "answered_as": g["best_guess"],  # the topic given at the time (low confidence), or None
            }
            if pii:
                group["users"] = sorted({m["user"] for m in members})
            out.append(group)
        return out

    def best_guess(self, text: str) -> tuple[str | None, float]:
        e = explain(self.app.engine, text)
        for t in e["top"]:
            if not t["out_of_scope"] and not self.app.kb.intents[t["intent"]].smalltalk:
                return t["intent"], t["score"]
        return None, 0.0

    def mark(self, texts: list[str], action: str, who: str) -> int:
        now = time.time()
        n = 0
        for t in texts:
            if isinstance(t, str) and t.strip():
                self.store._write("insert into miss_marks(text, action, who, time) values(?,?,?,?) on conflict(text) "
                                  "do update set action = excluded.action, who = excluded.who, time = excluded.time",
                                  (t, action, who, now))
                n += 1
        return n

    # ------------------------------------------------------------ feedback

    def feedback(self, pii: bool = False) -> dict:
        since = self._since()
        rows = self.store._read("select id, user, time, intent, value from feedback where time >= ? order by time", (since,))
        per_topic: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        per_day: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for _, _, t, intent, v in rows:
            per_topic[intent or "-"][0 if v > 0 else 1] += 1
            per_day[day(t)][0 if v > 0 else 1] += 1
        down = []
        for fid, user, t, intent, v in rows:
            if v >= 0:
                continue
            q = self.store._read("select text from questions where user = ? and intent is ? and time <= ? "
                                 "order by time desc limit 1", (user, intent, t))
            item = {"time": stamp(t), "intent": intent, "question": q[0][0] if q else "", "channel": channel_of(user)}
            if pii:
                item["user"] = user
            down.append(item)
        topics = [{"intent": k, "up": u, "down": d} for k, (u, d) in sorted(per_topic.items(), key=lambda kv: -sum(kv[1]))]
        return {"topics": topics, "days": [{"day": k, "up": u, "down": d} for k, (u, d) in sorted(per_day.items())],
                "down": list(reversed(down))}

    # ------------------------------------------------------------ usage

    def usage(self) -> dict:
        since = self._since()
        per_day: Counter = Counter()
        per_channel: Counter = Counter()
        per_day_channel: dict[str, Counter] = defaultdict(Counter)
        covered = 0
        rows = self.store._read("select user, time, covered from questions where time >= ?", (since,))
        for user, t, c in rows:
            ch = channel_of(user)
            per_day[day(t)] += 1
            per_channel[ch] += 1
            per_day_channel[day(t)][ch] += 1
            covered += c
        events = self.store._read("select user, kind, detail from events where time >= ?", (since,))
        kinds = Counter(k for _, k, _ in events)
        documents = sum(int(d or 0) for _, k, d in events if k == "documents" and (d or "").isdigit())
        gave_up: Counter = Counter(d or "?" for _, k, d in events if k == "check_cancel")
        for user, state in self.store._read("select user, state from sessions where updated >= ?", (since,)):
            try:
                import json

                q = (json.loads(state) or {}).get("q") or {}
            except ValueError:
                continue
            if q.get("pending"):
                gave_up[str(q["pending"])] += 1  # left in the middle (or still at it)
        steps = {q.get("key"): q.get("zh", "") for sec in ("question", "occupation")
                 for q in self.app.kb.questionnaire.get(sec, []) if isinstance(q, dict)}
        return {
            "questions": len(rows), "covered": covered,
            "days": [{"day": d, "count": n} for d, n in sorted(per_day.items())],
            "channels": [{"channel": c, "count": n} for c, n in per_channel.most_common()],
            "questionnaire": {"started": kinds["check_start"], "completed": kinds["check_done"],
                              "cancelled": kinds["check_cancel"]},
            "gave_up_at": [{"step": s, "question": steps.get(s, ""), "count": n} for s, n in gave_up.most_common()],
            "documents": {"runs": kinds["documents"], "files": documents},
        }

    # ------------------------------------------------------------ exports

    def export_rows(self, what: str, pii: bool = False) -> tuple[list[str], list[list]]:
        if what == "misses":
            head = ["count", "question", "other wordings", "first seen", "last seen", "channels", "best guess", "score"]
            if pii:
                head.append("users")
            rows = []
            for g in self.misses(pii=pii):
                row = [g["count"], g["text"], " | ".join(g["texts"][1:]), g["first_seen"], g["last_seen"],
                       ", ".join(g["channels"]), g["best_guess"] or "", g["score"]]
                if pii:
                    row.append(", ".join(g["users"]))
                rows.append(row)
            return head, rows
        fb = self.feedback(pii=pii)
        head = ["time", "topic", "question", "channel"] + (["user"] if pii else [])
        rows = [[d["time"], d["intent"] or "", d["question"], d["channel"]] + ([d["user"]] if pii else [])
                for d in fb["down"]]
        return head, rows


def _h(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


# ---------------------------------------------------------------- pure helpers


def explain(engine, question: str) -> dict:
    """How the engine reads a question: normalised text, tokens, slots, the five best topics
    (matcher score and after the slot adjustments), the verdict and why."""
    text = clean(question if isinstance(question, str) else "")[:500]
    if not text or not any(ch.isalnum() for ch in text):
        return {"question": text, "empty": True, "top": [], "why": "empty question"}
    lang = detect_lang(text)
    core = strip_courtesy(text) if lang == "zh" else text
    m = engine.matcher.match(core, lang)
    slots = {"levels": levels_in(m.norm, lang), "groups": groups_in(m.norm, lang),
             "facts": facts_in(text, engine.kb.lexicon), "refs": clause_refs(m.norm)}
    raw = dict(m.ranking)
    ranking = engine._adjust(m.ranking, slots, m.norm)
    ans = engine.answer(text)
    s = engine.settings
    top = [{"intent": n, "topic": engine.topic(n, "zh"), "score": round(sc, 3), "match": round(raw.get(n, 0.0), 3),
            "out_of_scope": engine.kb.intents[n].out_of_scope, "clauses": engine.kb.intents[n].clauses}
           for n, sc in ranking[:5]]
    best = ranking[0] if ranking else (None, 0.0)
    best_in = max((sc for n, sc in ranking if not engine.kb.intents[n].out_of_scope), default=0.0)
    best_oos = max((sc for n, sc in ranking if engine.kb.intents[n].out_of_scope), default=0.0)
    if ans.covered and ans.clauses:
        why = f"best topic {ans.intent} scores {ans.score:.3f} ≥ abstain_below {s['abstain_below']}"
    elif ans.covered:
        why = f"small talk ({ans.intent})"
    elif best[0] is None:
        why = "no known word: nothing matched"
    elif engine.kb.intents[best[0]].out_of_scope or best_oos > best_in + s["out_of_scope_margin"]:
        why = (f"an out-of-scope phrasing scores {best_oos:.3f}, within {-s['out_of_scope_margin']} of the best "
               f"topic ({best_in:.3f}): not covered")
    elif best[1] < s["abstain_below"]:
        why = f"best topic {best[0]} scores {best[1]:.3f} < abstain_below {s['abstain_below']}: not covered"
    else:
        why = "not covered"
    return {"question": text, "lang": lang, "norm": m.norm, "tokens": m.tokens, "slots": slots, "top": top,
            "intent": ans.intent, "clauses": ans.clauses, "verdict": ans.verdict, "covered": ans.covered,
            "score": round(ans.score, 3), "why": why, "answer": ans.text}


def svg_bars(data: list[tuple[str, list[float]]], series: list[str], colors: list[str], width: int = 640,
             height: int = 180, title: str = "") -> str:
    """A small stacked bar chart as inline SVG (no script, no external file)."""
    esc = html.escape
    if not data:
        return f'<svg class="chart" width="{width}" height="40" role="img" aria-label="{esc(title)}">' \
               f'<text x="8" y="24" fill="#666">no data yet</text></svg>'
    left, bottom, top = 36, 28, 12
    plot_h = height - bottom - top
    peak = max(sum(v) for _, v in data) or 1
    bw = max(4.0, (width - left - 8) / len(data))
    parts = [f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'role="img" aria-label="{esc(title)}">',
             f'<line x1="{left}" y1="{top + plot_h}" x2="{width - 4}" y2="{top + plot_h}" stroke="#999"/>',
             f'<text x="{left - 4}" y="{top + 8}" font-size="10" text-anchor="end" fill="#555">{peak:g}</text>',
             f'<text x="{left - 4}" y="{top + plot_h}" font-size="10" text-anchor="end" fill="#555">0</text>']
    step = max(1, len(data) // 8)
    for i, (label, values) in enumerate(data):
        x = left + i * bw
        y = top + plot_h
        for v, c, name in zip(values, colors, series):
            h = plot_h * v / peak
            if h > 0:
                y -= h
                parts.append(f'<rect x="{x + 1:.1f}" y="{y:.1f}" width="{bw - 2:.1f}" height="{h:.1f}" fill="{c}">'
                             f'<title>{esc(label)} {esc(name)}: {v:g}</title></rect>')
        if i % step == 0:
            short = label[5:] if re.match(r"^\d{4}-\d\d-\d\d$", label) else label[:14]
            parts.append(f'<text x="{x + bw / 2:.1f}" y="{height - 10}" font-size="10" text-anchor="middle" '
                         f'fill="#555">{esc(short)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def to_csv(head: list[str], rows: list[list]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(head)
    for r in rows:  # a cell starting with = + - @ is not run as a formula by a spreadsheet
        w.writerow([("'" + v) if isinstance(v, str) and v[:1] in ("=", "+", "-", "@") else v for v in r])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")  # BOM: Excel opens Chinese CSV correctly


def to_xlsx(head: list[str], rows: list[list], title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    ws.append(head)
    for c in ws[1]:
        c.font = Font(bold=True)
    for r in rows:
        ws.append([None if isinstance(v, str) else v for v in r])
        for cell, v in zip(ws[ws.max_row], r):
            if isinstance(v, str):
                cell.value = v
                cell.data_type = "s"  # text, never a formula
    for col, width in zip("ABCDEFGHI", (10, 40, 40, 18, 18, 14, 24, 8, 20)):
        ws.column_dimensions[col].width = width
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
