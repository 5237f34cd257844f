"""Wiring: configuration, knowledge base, engine and state store, built once per process."""
from __future__ import annotations

import sqlite3
import logging
import os
import re
import threading
from dataclasses import dataclass, field

from .config import Config, load_config
from .engine import Answer, Engine
from .kb import KnowledgeBase, load
from .text import scrub

STORE_ERRORS = (sqlite3.Error, OSError)

# a part of a compound answer: "【part】" (or "[part]") on a line of its own, then its text up to the next part
COMPOUND_PART = re.compile(r"(?m)^(?:【([^】\n]{1,400})】|\[([^\]\n]{1,400})\])\n(.*?)(?=^(?:【[^】\n]{1,400}】|\[[^\]\n]{1,400}\])$|\Z)", re.S)
LOW_CONFIDENCE_BAND = 0.1  # answered, but within this of the abstain threshold: logged as a miss too


@dataclass
class App:
    config: Config
    _store: object = field(default=None, repr=False)
    _kb: KnowledgeBase | None = field(default=None, repr=False)
    _kb_sig: tuple | None = field(default=None, repr=False)
    _engine: Engine | None = field(default=None, repr=False)
    _reload: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def from_config(cls, path=None) -> "App":
        return cls(load_config(path))

    @property
    def kb(self) -> KnowledgeBase:
        """The knowledge base, read again when its file was replaced (`kb build`, a topic taught in
        the console by this or another process): one stat per access, no restart needed."""
        sig = _signature(self.config.knowledge_db)
        if self._kb is None or sig != self._kb_sig:
            with self._reload:
                sig = _signature(self.config.knowledge_db)
                if self._kb is None or sig != self._kb_sig:
                    kb = load(self.config.root, self.config.knowledge_db)
                    after = _signature(self.config.knowledge_db)
                    self._kb, self._kb_sig = kb, (after if after == sig else sig)
        return self._kb

    @property
    def engine(self) -> Engine:
        kb = self.kb
        engine = self._engine
        if engine is None or engine.kb is not kb:
            engine = self._engine = Engine(kb, self.config.matching)
        return engine

    _last_prune: float = field(default=0.0, repr=False)
    _last_sweep: float = field(default=0.0, repr=False)

    @property
    def store(self):
        if self._store is None:
            from .store import Store

            self._store = Store(self.config.state_db)
            self.prune()  # retention at start
        return self._store

    def prune(self) -> None:
        """Delete what is older than [privacy] keep_days (logs, misses, feedback, generated files)."""
        import time

        from .store import warn

        self._last_prune = time.monotonic()
        try:
            self.store.prune(float(self.config.privacy.get("keep_days", 180) or 0))
        except STORE_ERRORS as e:
            warn(self.config.state_db, "old records not deleted", e)

    def prune_if_due(self) -> None:
        """Retention once a day in long-running processes (the messenger, the web page), and the
        channels' generated files (bot/userfiles.py) at the first message and once a day."""
        import time

        if time.monotonic() - self._last_prune >= 86400:
            self.prune()
        if not self._last_sweep or time.monotonic() - self._last_sweep >= 86400:
            from . import userfiles
            from .store import prune_dir

            self._last_sweep = time.monotonic()
            prune_dir(userfiles.files_root(), float(self.config.privacy.get("keep_days", 180) or 0))

    def ask(self, user: str, question: str, profile: dict | None = None, remember: bool = True,
            state: dict | None = None, lang_hint: str | None = None) -> Answer:
        """Answer and log; with `remember`, the conversation state (read here unless the caller
        already has it) is kept for follow-ups."""
        from .store import warn

        question = scrub(question)
        full = (state if state is not None else self.store.get_state(user)) if remember else {}
        store_ok = True
        if profile is None:
            try:
                profile = self.store.get_profile(user)
            except STORE_ERRORS as e:  # the answer does not depend on the log: answer without a profile
                warn(self.config.state_db, "answered without the school profile, question not logged", e)
                profile, store_ok = {}, False
        before = full.get("topic", {})
        ans = self.engine.answer(question, state=before, profile=profile, lang_hint=lang_hint)
        if remember:
            full["topic"] = ans.state
            self.store.set_state(user, full)
        if store_ok and question and question.strip():
            low = ans.covered and ans.intent and ans.clauses and \
                ans.score < self.engine.settings["abstain_below"] + LOW_CONFIDENCE_BAND
            try:
                self.store.log_question(user, question, ans.lang, ans.intent, ans.score, ans.covered, bool(low))
                for part in self.uncovered_parts(question, ans, before, profile):  # try30 C.20
                    self.store.log_miss(user, part.question, part.intent, part.score)
            except STORE_ERRORS as e:  # a full disk or a read-only file must not cost the user the answer
                warn(self.config.state_db, "question not logged", e)
        return ans

    def uncovered_parts(self, question: str, ans: Answer, state: dict, profile: dict | None) -> list[Answer]:
        """try30: the part of a compound answer that the notice does not cover ("附件1必须用A4纸打印吗，联系人电话多少":
        【附件1必须用A4纸打印吗】 …没有规定) never reached the inbox, the whole question being answered. Each 【part】
        of a covered answer that quotes no clause and is not covered when asked alone is returned, for the inbox."""
        if not ans.covered:
            return []  # the whole question is logged as a miss already
        out = []
        for zh, en, body in COMPOUND_PART.findall(ans.text):
            part = (zh or en).strip()
            if not part or part not in question or any(m in body for m in ("依据〔", "Source [")):
                continue
            try:
                alone = self.engine.answer(part, state=state, profile=profile)
            except Exception as e:  # noqa: BLE001 (the user has the answer already; the inbox can do without this part)
                logging.getLogger("skillcert").warning("skillcert: warning: part %r not checked for the inbox (%s: %s)",
                                                       part[:40], type(e).__name__, e)
                continue
            if not alone.covered:
                alone.question = part
                out.append(alone)
        return out


def _signature(path) -> tuple | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)
