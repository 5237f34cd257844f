"""The state database: conversations, school profiles, logged questions, feedback.

Plain `sqlite3` (standard library) so that a one-shot `skillcert ask` starts fast; every write
is committed at once, so a killed process loses nothing it had acknowledged.

Several processes may share one file (the web channel's workers, a Telegram bot and a terminal):
`transaction()` makes a dialogue step atomic — one `BEGIN IMMEDIATE` … `COMMIT` around reading
the state and writing it back, so two steps of one user never interleave.
"""
from __future__ import annotations

import contextlib
import errno
import json
import logging
import os
import sqlite3
import threading
import time
from pathlib import Path

log = logging.getLogger("skillcert.store")
DAY = 86400.0

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
create table if not exists files (id integer primary key, user text not null, time real not null, path text not null);
create index if not exists files_user on files(user);
create table if not exists seen (key text primary key, time real not null);
create table if not exists prompts (chat text not null, message text not null, user text not null, time real not null,
  primary key (chat, message));
create table if not exists meta (key text primary key, value text not null);
create table if not exists events (
  id integer primary key, user text not null, time real not null, kind text not null, detail text
);
create index if not exists events_user on events(user);
"""
USER_TABLES = ("sessions", "profiles", "questions", "misses", "feedback", "files", "prompts", "events")
AGED_TABLES = ("questions", "misses", "feedback", "prompts", "events")  # deleted after [privacy] keep_days
SEEN_DAYS = 1.0  # handled update ids are kept a day (Telegram may restart its numbering after a quiet week)

# SQLite's primary result codes, in plain words
_SQLITE_WORDS = {5: "locked by another process", 6: "locked by another process", 8: "read-only (no permission to write)",
                 10: "disk I/O error (the disk may be full or failing)", 11: "the file is damaged",
                 13: "disk full", 14: "cannot open the file (missing folder or no permission)",
                 23: "no permission", 26: "not an SQLite database"}
_ERRNO_WORDS = {errno.ENOSPC: "disk full", errno.EDQUOT: "disk quota exceeded", errno.EACCES: "no permission",
                errno.EPERM: "no permission", errno.EROFS: "read-only file system",
                errno.ENOTDIR: "a file is in the way of its folder", errno.EISDIR: "it is a folder, not a file",
                errno.EEXIST: "a file is in the way of its folder"}


def describe_error(e: BaseException, path=None) -> str:
    """A storage error in plain words: "disk full" rather than "disk I/O error". With the file's
    `path`, vague SQLite errors (cannot open, I/O error, read-only) are told apart by looking at it."""
    if isinstance(e, sqlite3.Error):
        code = getattr(e, "sqlite_errorcode", None)
        primary = code & 0xFF if code is not None else None
        if path is not None and primary in (None, 8, 10, 13, 14):
            seen = _look_at(Path(path))
            if seen:
                return seen
        if primary in _SQLITE_WORDS:
            return _SQLITE_WORDS[primary]
        return str(e)
    if isinstance(e, OSError) and e.errno in _ERRNO_WORDS:
        return _ERRNO_WORDS[e.errno]
    return str(e) or type(e).__name__


def _look_at(path: Path) -> str | None:
    try:
        if path.is_dir():
            return "it is a folder, not a file"
        folder = path.parent
        st = os.statvfs(folder)
        if st.f_flag & os.ST_RDONLY:
            return "read-only file system"
        if st.f_bavail * st.f_frsize < 1 << 20:
            return "disk full"
        if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
            return "no permission to write"
    except OSError:
        return None
    return None


class StoreError(Exception):
    """The state database failed; the message names the file and the cause in plain words."""


def warn(path, what: str, e: BaseException) -> None:
    log.warning("skillcert: warning: state database %s: %s (%s)", path, describe_error(e, path), what)

MAX_LOGGED_CHARS = 2000


class Store:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()  # one connection per Store; a transaction holds it
        self._depth = 0
        self._after_commit: list = []  # work that must wait for the outermost COMMIT (file deletion, checkpoint)
        # autocommit mode: statements outside `transaction()` commit at once
        self.conn = sqlite3.connect(str(path), check_same_thread=False, timeout=30, isolation_level=None)
        try:
            self.conn.execute("pragma journal_mode=wal")
            self.conn.execute("pragma synchronous=normal")
            self.conn.execute("pragma secure_delete=on")  # deleted rows are overwritten, not left on disk
            self.conn.executescript(SCHEMA)
        except BaseException:
            self.conn.close()
            raise

    def close(self) -> None:
        with self._lock:
            self.conn.close()

    @contextlib.contextmanager
    def transaction(self):
        """One atomic step: `BEGIN IMMEDIATE` (waits for other writers, up to 30 s) … `COMMIT`;
        nested uses join the outer one; an exception rolls it back."""
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield self
                finally:
                    self._depth -= 1
                return
            self.conn.execute("begin immediate")
            self._depth = 1
            try:
                yield self
            except BaseException:
                self._depth = 0
                self._after_commit.clear()
                if self.conn.in_transaction:
                    self.conn.rollback()
                raise
            self._depth = 0
            if self.conn.in_transaction:
                self.conn.commit()
            todo, self._after_commit = self._after_commit, []
            for job in todo:
                job()

    def after_commit(self, job) -> None:
        """Run `job` once the current transaction has committed (at once outside one)."""
        with self._lock:
            if self._depth:
                self._after_commit.append(job)
                return
        job()

    def _write(self, sql: str, args=()) -> int:
        with self._lock:
            return self.conn.execute(sql, args).lastrowid

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
        with self.transaction():
            now = time.time()
            self.conn.execute("insert into questions(user, time, text, lang, intent, score, covered) values(?,?,?,?,?,?,?)",
                              (user, now, text, lang, intent, score, int(covered)))
            if not covered or low_confidence:
                self.conn.execute("insert into misses(user, time, text, best_guess, score) values(?,?,?,?,?)",
                                  (user, now, text, intent, score))

    def log_miss(self, user: str, text: str, best_guess: str | None, score: float) -> None:
        """A miss that is not a question of its own: the uncovered part of a compound question (try30)."""
        self._write("insert into misses(user, time, text, best_guess, score) values(?,?,?,?,?)",
                    (user, time.time(), text[:MAX_LOGGED_CHARS], best_guess, score))

    def misses(self, limit: int = 500) -> list[dict]:
        rows = self._read("select time, text, best_guess, score from misses order by id desc limit ?", (limit,))
        return [{"time": t, "text": x, "best_guess": g, "score": s} for t, x, g, s in rows]

    def add_feedback(self, user: str, intent: str | None, value: int) -> bool:
        """One rating per user and answer (topic): a second tap replaces the first. True if new."""
        with self.transaction():
            old = self.conn.execute("delete from feedback where user = ? and intent is ?", (user, intent)).rowcount
            self.conn.execute("insert into feedback(user, time, intent, value) values(?,?,?,?)",
                              (user, time.time(), intent, 1 if value > 0 else -1))
        return not old

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
        """Erase every row about this user and the files made for them; the WAL is checkpointed and
        truncated so that nothing of it stays on disk (secure_delete overwrites the pages).
        Returns how many rows went."""
        n = 0
        with self.transaction():
            paths = [p for (p,) in self.conn.execute("select path from files where user = ?", (user,))]
            for table in USER_TABLES:
                n += self.conn.execute(f"delete from {table} where user = ?", (user,)).rowcount

        def cleanup():
            for p in paths:
                _remove(p)
            self.checkpoint()

        self.after_commit(cleanup)
        return n

    def users_like(self, prefix: str) -> list[str]:
        """User keys equal to `prefix` or starting with `prefix:` (e.g. every terminal chat)."""
        like = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + ":%"
        keys: set[str] = set()
        for table in USER_TABLES:
            keys.update(u for (u,) in self._read(f"select distinct user from {table} where user = ? "
                                                 f"or user like ? escape '\\'", (prefix, like)))
        return sorted(keys)

    def checkpoint(self) -> None:
        with self._lock:
            try:
                self.conn.execute("pragma wal_checkpoint(truncate)").fetchall()
            except sqlite3.Error as e:  # another process is reading: the next checkpoint will do
                log.info("wal checkpoint skipped: %s", e)

    # generated files (documents), so that /forget and retention remove them too
    def add_file(self, user: str, path: str | Path) -> None:
        self._write("insert into files(user, time, path) values(?,?,?)", (user, time.time(), str(path)))

    def files_of(self, user: str) -> list[str]:
        return [p for (p,) in self._read("select path from files where user = ? order by id", (user,))]

    # updates already handled (a messenger delivering one twice)
    def first_time(self, key: str) -> bool:
        """Record `key`; False if it was recorded before."""
        return self._write_count("insert or ignore into seen(key, time) values(?, ?)", (key, time.time())) == 1

    def _write_count(self, sql: str, args=()) -> int:
        with self._lock:
            return self.conn.execute(sql, args).rowcount

    # who a message with buttons in a group chat was for (only that user's taps count)
    def set_prompt_owner(self, chat, message, user: str) -> None:
        self._write("insert or replace into prompts(chat, message, user, time) values(?,?,?,?)",
                    (str(chat), str(message), user, time.time()))

    def prompt_owner(self, chat, message) -> str | None:
        rows = self._read("select user from prompts where chat = ? and message = ?", (str(chat), str(message)))
        return rows[0][0] if rows else None

    # small settings kept between runs (the terminal's last chat)
    def get_meta(self, key: str) -> str | None:
        rows = self._read("select value from meta where key = ?", (key,))
        return rows[0][0] if rows else None

    def set_meta(self, key: str, value: str) -> None:
        self._write("insert into meta(key, value) values(?, ?) on conflict(key) do update set value = excluded.value",
                    (key, value))

    # retention ([privacy] keep_days)
    def prune(self, keep_days: float, now: float | None = None) -> int:
        """Delete logged questions, misses, feedback, handled-update ids and generated files older than
        `keep_days`. Returns the number of rows deleted."""
        if not keep_days or keep_days <= 0:
            return 0
        cutoff = (now or time.time()) - keep_days * DAY
        n = 0
        with self.transaction():
            paths = [p for (p,) in self.conn.execute("select path from files where time < ?", (cutoff,))]
            for table in AGED_TABLES + ("files",):
                n += self.conn.execute(f"delete from {table} where time < ?", (cutoff,)).rowcount
            self.conn.execute("delete from seen where time < ?", ((now or time.time()) - SEEN_DAYS * DAY,))

        def cleanup():
            for p in paths:
                _remove(p)
            if n:
                self.checkpoint()

        self.after_commit(cleanup)
        return n

    def count_rows(self, user: str) -> int:
        return sum(self._read(f"select count(*) from {t} where user = ?", (user,))[0][0] for t in USER_TABLES)


def _remove(path: str) -> None:
    p = Path(path)
    try:
        p.unlink(missing_ok=True)
        if RUN_FOLDER.fullmatch(p.parent.name) and p.parent.is_dir() and not any(p.parent.iterdir()):
            p.parent.rmdir()  # the per-run folder, once empty
    except OSError as e:
        log.warning("could not delete %s: %s", p, describe_error(e))


RUN_FOLDER = __import__("re").compile(r"\d{8}-\d{6}")  # the per-run folders channels write into


def prune_dir(folder: str | Path, keep_days: float, now: float | None = None) -> int:
    """Delete generated files older than `keep_days` under `folder`: only files inside per-run
    folders (`<user>/20260101-120000/…`, as channels write them), so a files root pointed at a
    folder holding other things never loses them; per-run folders left empty go too.
    Returns the number of files deleted."""
    folder = Path(folder)
    if not keep_days or keep_days <= 0 or not folder.is_dir():
        return 0
    cutoff = (now or time.time()) - keep_days * DAY
    n = 0
    for run in folder.glob("*/*"):
        if not (run.is_dir() and RUN_FOLDER.fullmatch(run.name)):
            continue
        for p in run.rglob("*"):
            try:
                if p.is_file() and p.stat().st_mtime < cutoff:
                    p.unlink()
                    n += 1
            except OSError as e:
                log.warning("could not delete %s: %s", p, describe_error(e))
        try:
            if not any(run.rglob("*")):
                run.rmdir()
        except OSError:
            pass
    return n
