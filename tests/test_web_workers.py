"""Two `skillcert web` worker processes on one state database: conversations are neither lost nor mixed."""
from __future__ import annotations

import json
import re
import sqlite3
import threading
from pathlib import Path

import httpx
import pytest

from bot.channels.web.app import user_key
from webserver import WebServer, buttons

YESNO = ["social_org_qualified", "runs_prep_technician_class", "runs_senior_class", "has_segmented_students"]


def fresh_connection_client(server, cookie: str | None = None) -> httpx.Client:
    """No keep-alive: every request is a new connection, which either worker may accept."""
    c = httpx.Client(base_url=server.url, timeout=60, limits=httpx.Limits(max_keepalive_connections=0))
    if cookie:
        c.cookies.set("skillcert_sid", cookie)
    return c


def post(c: httpx.Client, **payload) -> list[dict]:
    r = c.post("/api/message", json=payload)
    assert r.status_code == 200, r.text
    return r.json()["replies"]


def tap(c, replies, label):
    return post(c, button=next(b["data"] for b in buttons(replies) if b["label"] == label))


@pytest.fixture
def two_workers(env, tmp_path):
    with WebServer(env, tmp_path, workers=2) as s:
        s.state_db = Path(env["SKILLCERT_DB"])
        yield s


def test_two_workers_keep_every_conversation_whole_and_apart(two_workers):
    s = two_workers
    n = 16
    results: dict[int, tuple[str, dict]] = {}
    errors: list[BaseException] = []

    def one_session(i: int):
        try:
            with fresh_connection_client(s) as c:
                replies = post(c, text="/check")
                replies = tap(c, replies, "技工院校")
                replies = tap(c, replies, "是")  # student_cert_qualified
                expected = {}
                for bit, key in enumerate(YESNO):  # each session answers its own pattern
                    value = expected[key] = bool((i >> bit) & 1)
                    replies = tap(c, replies, "是" if value else "否")
                assert "想做哪些事" in replies[-1]["text"]
                results[i] = (user_key(c.cookies["skillcert_sid"]), expected)
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=one_session, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, errors[:3]
    assert len(results) == n
    with sqlite3.connect(s.state_db) as db:
        for i, (user, expected) in results.items():
            state = json.loads(db.execute("select state from sessions where user = ?", (user,)).fetchone()[0])
            answers = state["q"]["answers"]
            assert {k: answers[k] for k in expected} == expected, i
            assert state["q"]["pending"] == "goals"
        assert db.execute("select count(distinct user) from sessions").fetchone()[0] == n
    pids = set(re.findall(r"web\[(\d+)\] message", s.log()))
    assert len(pids) == 2, f"requests were not spread over both workers: {pids}"


def test_same_session_taps_on_two_workers_at_once_lose_nothing(two_workers):
    """Five option taps of one session sent at once to two workers: each tap reported as taken is in the
    final state (each dialogue step is one BEGIN IMMEDIATE transaction in bot/store.py; before that,
    both workers could apply a tap to the same state read and one update was lost)."""
    s = two_workers
    for _ in range(20):
        with fresh_connection_client(s) as c:
            replies = post(c, text="/check")
            replies = tap(c, replies, "技工院校")
            for _ in range(5):
                replies = tap(c, replies, "是")
            toggles = [b["data"] for b in buttons(replies) if b["kind"] == "toggle"]
            cookie = c.cookies["skillcert_sid"]
        taken: list[str] = []
        barrier = threading.Barrier(len(toggles))

        def tap_one(data):
            with fresh_connection_client(s, cookie) as c2:
                barrier.wait()
                replies = post(c2, button=data)
                if any(b["kind"] == "toggle" for b in buttons(replies)):
                    taken.append(data)  # not "stale": the tap was applied

        threads = [threading.Thread(target=tap_one, args=(d,)) for d in toggles]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        with sqlite3.connect(s.state_db) as db:
            state = json.loads(db.execute("select state from sessions where user = ?",
                                          (user_key(cookie),)).fetchone()[0])
        assert len(state["q"]["multi"]) == len(taken), (state["q"]["multi"], taken)
