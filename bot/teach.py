"""Teaching a question to a topic (or to "not covered") from the console, safely.

What is taught is written where a maintainer would write it by hand: appended to the `zh` (or
`en`) list of `intents/<topic>.toml` (`intents/_out_of_scope.toml` for "not covered"), with a
comment saying who taught it and when; tomlkit keeps the file's comments and order, and
`skillcert kb build` reads it like any other phrasing.

The regression guard: the candidate knowledge base is built from a copy of the sources into a
temporary file and the labelled question sets (`tests/data/*.jsonl`) are answered with it; a
question answered correctly before (top clause, verdict, abstention) and wrongly after refuses
the change, with the list. Otherwise the source file and then the knowledge base file are
replaced atomically; every process serving that knowledge base sees the new file at its next
question (`App.kb` checks the file), without a restart.
"""
from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import shutil
import tempfile
import threading
import unicodedata
from contextlib import contextmanager
from pathlib import Path

from . import lazyre
from .engine import Engine
from .kb import KBError, build, load
from .text import clean, detect_lang

OUT_OF_SCOPE = "out_of_scope"
MAX_QUESTION = 200
_lock = threading.Lock()
_baseline: dict = {}


class TeachError(ValueError):
    """Bad input: the message says what is wrong; nothing was changed."""


class Ineffective(TeachError):
    """Even with the new phrasing the question would not get that answer: nothing was changed.
    `got`: the topic it would get instead (None: not covered)."""

    def __init__(self, message: str, got: str | None = None):
        super().__init__(message)
        self.got = got


class Refused(Exception):
    """The regression guard: these labelled questions would be answered wrongly."""

    def __init__(self, broken: list[dict]):
        super().__init__(f"refused: it would break {len(broken)} labelled question(s)")
        self.broken = broken


def labelled_rows(root: Path, folder: str | Path | None = None) -> list[dict]:
    folder = Path(folder) if folder else root / "tests" / "data"
    rows = []
    for path in sorted(folder.glob("*.jsonl")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                r = json.loads(line)
                r["_set"] = f"{path.name}:{n}"
                rows.append(r)
    return rows


def _ok(r: dict, ans) -> bool:
    if not r.get("clauses"):
        return not ans.clauses and ans.verdict is None
    top = ans.clauses[0] if ans.clauses else ""
    c_ok = any(top == e or top.startswith(e + ".") for e in r["clauses"])
    return c_ok and (not r.get("verdict") or ans.verdict in r["verdict"])


def evaluate(engine: Engine, rows: list[dict]) -> dict[str, tuple[bool, str | None, list]]:
    """Per labelled question: (correct, intent, clauses). Sessions are followed as in the scoring."""
    sessions: dict[str, dict] = {}
    out = {}
    for r in rows:
        state = sessions.get(r["session"], {}) if r.get("session") else {}
        ans = engine.answer(r["question"], state=state, profile=r.get("profile") or {}, qid=r.get("id"))
        if r.get("session"):
            sessions[r["session"]] = ans.state
        out[r["_set"]] = (_ok(r, ans), ans.intent, ans.clauses)
    return out


def check_question(question) -> str:
    if not isinstance(question, str):
        raise TeachError("question: must be a string")
    q = clean(question).strip()
    if not q or not any(ch.isalnum() for ch in q):
        raise TeachError("question: empty")
    if len(q) > MAX_QUESTION:
        raise TeachError(f"question: longer than {MAX_QUESTION} characters")
    if "\n" in q or "\r" in q:
        raise TeachError("question: one line only")
    # try29: "…社评资质吗？" was stored with an ASCII "?": the phrasing is kept as typed (full-width
    # punctuation and all) when cleaning only folded its width; matching folds it anyway
    typed = " ".join(question.split())
    if unicodedata.normalize("NFKC", typed) == q:
        return typed
    return q


def target_of(kb, intent) -> str:
    if intent == OUT_OF_SCOPE:
        return "_out_of_scope"
    if not isinstance(intent, str) or intent not in kb.intents or kb.intents[intent].out_of_scope:
        raise TeachError(f"intent: unknown topic {intent!r} (a topic name, or \"out_of_scope\")")
    return intent


@contextmanager
def _file_lock(path: Path):
    path.parent.mkdir(parents=True, exist_ok=True)
    with _lock, open(path, "a+") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def _with_phrasing(source: str, lang: str, question: str, comment: str) -> str:
    import tomlkit

    doc = tomlkit.parse(source)
    if lang not in doc:
        doc[lang] = tomlkit.array()
    arr = doc[lang]
    arr.add_line(question, indent="  ", comment=comment)
    return tomlkit.dumps(doc)


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def teach(app, question, intent, by: str = "admin", labelled: str | Path | None = None) -> dict:
    """Add `question` as a phrasing of `intent` ("out_of_scope": not covered). Returns what the
    question is answered with now; raises TeachError (bad input) or Refused (the guard)."""
    question = check_question(question)
    kb = app.kb
    target = target_of(kb, intent)
    lang = detect_lang(question)
    root, db = Path(app.config.root), Path(app.config.knowledge_db)
    for p in kb.phrasings:
        if p["text"] == question:
            if p["intent"] == target:
                return {"ok": True, "changed": False, "intent": intent, "file": f"intents/{target}.toml",
                        "note": "already a phrasing of this topic"}
            raise TeachError(f"question: already a phrasing of `{p['intent']}` (intents/{p['intent']}.toml); edit it there")
    rows = labelled_rows(root, labelled)
    with _file_lock(db.with_name(db.name + ".teach.lock")):
        kb = app.kb  # another process may have taught something meanwhile
        path = root / "intents" / f"{target}.toml"
        when = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        new_source = _with_phrasing(path.read_text(encoding="utf-8"), lang, question, f"taught {when} by {by}")
        candidate = db.with_name(f".{db.stem}.candidate{os.getpid()}.sqlite")
        try:
            with tempfile.TemporaryDirectory(prefix="skillcert-teach-") as tmp:
                for sub in ("knowledge", "intents"):
                    (Path(tmp) / sub).mkdir()
                    for f in (root / sub).glob("*.toml"):
                        shutil.copy2(f, Path(tmp) / sub / f.name)
                (Path(tmp) / "intents" / path.name).write_text(new_source, encoding="utf-8")
                try:
                    build(Path(tmp), candidate)
                except KBError as e:
                    raise TeachError(str(e).replace(tmp, str(root))) from None
                new_kb = load(Path(tmp), candidate, rebuild=False)
            new_engine = Engine(new_kb, app.config.matching)
            new_engine.warm()  # thousands of labelled questions follow: compile the patterns once, first
            engine = app.engine
            if _baseline.get("engine") is not engine or _baseline.get("labelled") != str(labelled):
                _baseline.update(engine=engine, labelled=str(labelled), result=evaluate(engine, rows))
            before = _baseline["result"]
            after = evaluate(new_engine, rows)
            broken = []
            for r in rows:
                was, now = before[r["_set"]], after[r["_set"]]
                if was[0] and not now[0]:
                    broken.append({"id": r.get("id"), "question": r["question"], "set": r["_set"].split(":")[0],
                                   "expected": r.get("clauses") or "not covered",
                                   "before": was[1] or "not covered", "after": now[1] or "not covered"})
            if broken:
                raise Refused(broken)
            ans = new_engine.answer(question)
            if (ans.covered if target == "_out_of_scope" else ans.intent != intent):
                raise Ineffective(f"not taught: even with this phrasing the question would get "
                                  f"`{ans.intent if ans.covered else 'not covered'}` (other signals win; see Try it)",
                                  got=ans.intent if ans.covered else None)
            _write_atomic(path, new_source)
            os.utime(candidate)  # newer than the source just written: not stale
            os.replace(candidate, db)
            codes = lazyre.codes_path(candidate)
            if codes is not None and codes.exists():
                os.replace(codes, lazyre.codes_path(db))  # the compiled expressions go with the knowledge base
        finally:
            if candidate.exists():
                candidate.unlink()
            codes = lazyre.codes_path(candidate)
            if codes is not None and codes.exists():
                codes.unlink()
    return {"ok": True, "changed": True, "intent": intent, "file": f"intents/{target}.toml", "lang": lang,
            "checked": len(rows), "now": {"intent": ans.intent, "clauses": ans.clauses, "covered": ans.covered,
                                          "score": round(ans.score, 3)}}
