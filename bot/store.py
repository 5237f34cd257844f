"""The state database: conversations, school profiles, logged questions, feedback.

Plain `sqlite3` (standard library) so that a one-shot `skillcert ask` starts fast; every write
is committed at once, so a killed process loses nothing it had acknowledged.
"""
from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path

SCHEMA = """
create table if not exists sessions (user text primary key, state text not null, updated real not null);
create table if not exists profiles (user text primary key, answers text not null, updated real not null);
create table if not exists questions (
  id integer primary key, user text not null, time real not null, text text not null,
  lang text, intent text, score real, covered integer not null
);
create index if not exists questions_user on questions(user);
create table if not exists misses (
  id integer primary key, user text not null, time real not null, text text not null,
  best_guess text, score real
);
create index if not exists misses_user on misses(user);
create table if not exists feedback (
  id integer primary key, user text not null, time real not null, intent text, value integer not null
);
create index if not exists feedback_user on feedback(user);
create table if not exists events (
  id integer primary key, user text not null, time real not null, kind text not null, detail text
);
create index if not exists events_user on events(user);
"""
USER_TABLES = ("sessions", "profiles", "questions", "misses", "feedback", "events")
MAX_LOGGED_CHARS = 2000


class Store:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self.conn = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
        self.conn.execute("pragma journal_mode=wal")
        self.conn.execute("pragma synchronous=normal")
        self.conn.executescript(SCHEMA)
        self.conn.commit()

    def close(self) -> None:
        with self._lock:
            self.conn.close()

    def _write(self, sql: str, args=()) -> int:
        with self._lock:
            cur = self.conn.execute(sql, args)
            self.conn.commit()
            return cur.lastrowid

    def _read(self, sql: str, args=()) -> list[tuple]:
        with self._lock:
            return self.conn.execute(sql, args).fetchall()

    # conversation state (last topic, questionnaire position)
    def get_state(self, user: str) -> dict:
        rows = self._read("select state from sessions where user = ?", (user,))
        return json.loads(rows[0][0]) if rows else {}

    def set_state(self, user: str, state: dict) -> None:
        self._write("insert into sessions(user, state, updated) values(?, ?, ?) "
                    "on conflict(user) do update set state = excluded.state, updated = excluded.updated",
                    (user, json.dumps(state, ensure_ascii=False), time.time()))

    # the school's questionnaire answers
    def get_profile(self, user: str) -> dict:
        rows = self._read("select answers from profiles where user = ?", (user,))
        return json.loads(rows[0][0]) if rows else {}

    def set_profile(self, user: str, answers: dict) -> None:
        self._write("insert into profiles(user, answers, updated) values(?, ?, ?) "
                    "on conflict(user) do update set answers = excluded.answers, updated = excluded.updated",
                    (user, json.dumps(answers, ensure_ascii=False), time.time()))

    # questions asked and the ones the bot could not answer well
    def log_question(self, user: str, text: str, lang: str, intent: str | None, score: float, covered: bool,
                     low_confidence: bool = False) -> None:
        text = text[:MAX_LOGGED_CHARS]
        with self._lock:
            now = time.time()
            self.conn.execute("insert into questions(user, time, text, lang, intent, score, covered) values(?,?,?,?,?,?,?)",
                              (user, now, text, lang, intent, score, int(covered)))
            if not covered or low_confidence:
                self.conn.execute("insert into misses(user, time, text, best_guess, score) values(?,?,?,?,?)",
                                  (user, now, text, intent, score))
            self.conn.commit()

    def misses(self, limit: int = 500) -> list[dict]:
        rows = self._read("select time, text, best_guess, score from misses order by id desc limit ?", (limit,))
        return [{"time": t, "text": x, "best_guess": g, "score": s} for t, x, g, s in rows]

    def add_feedback(self, user: str, intent: str | None, value: int) -> None:
        self._write("insert into feedback(user, time, intent, value) values(?,?,?,?)",
                    (user, time.time(), intent, 1 if value > 0 else -1))

    def log_event(self, user: str, kind: str, detail: str = "") -> None:
        """Usage events for the console: check_start, check_done, check_cancel, documents."""
        self._write("insert into events(user, time, kind, detail) values(?,?,?,?)", (user, time.time(), kind, detail))

    def stats(self) -> dict:
        total = self._read("select count(*) from questions")[0][0]
        missed = self._read("select count(*) from misses")[0][0]
        top = self._read("select intent, count(*) n from questions where intent is not null "
                         "group by intent order by n desc limit 5")
        fb = self._read("select intent, sum(value > 0), sum(value < 0) from feedback group by intent order by intent")
        users = self._read("select count(distinct user) from questions")[0][0]
        return {"questions": total, "misses": missed, "users": users, "top_topics": top,
                "feedback": [(i, int(u or 0), int(d or 0)) for i, u, d in fb]}

    def forget(self, user: str) -> int:
        """Erase every row about this user. Returns how many rows went."""
        n = 0
        with self._lock:
            for table in USER_TABLES:
                n += self.conn.execute(f"delete from {table} where user = ?", (user,)).rowcount
            self.conn.commit()
        return n

    def count_rows(self, user: str) -> int:
        return sum(self._read(f"select count(*) from {t} where user = ?", (user,))[0][0] for t in USER_TABLES)
