"""Reliability (issue 10): no input crashes a channel, no answer is dropped or lands in the wrong
field, stored data ages out. Real SQLite files and real processes throughout."""
from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.dialogue import Dialogue

# ---------------------------------------------------------------- 1. multi-turn sessions

TURNS = ["学生能认定几级", "省属", "市属", "那一级呢？", "老师呢", "能给老师认定二级吗？", "what about level 1?", "交到哪里？",
         "学生呢", "3+2呢", "技师", "我们是省属的", "二级", "?", "呢", "那", "and students?", "附件1", "预备技师班呢",
         "我们还没有资格", "谢谢", "/check", "是", "否", "/cancel"]
TURN = st.one_of(st.sampled_from(TURNS), st.text(max_size=40))


def test_short_follow_up_matching_no_topic_does_not_crash(engine):
    first = engine.answer("学生能认定几级")
    second = engine.answer("省属", state=first.state)
    assert second.text


@settings(max_examples=150, deadline=None)
@given(turns=st.lists(TURN, min_size=2, max_size=6))
def test_any_sequence_of_turns_through_the_engine(engine, turns):
    state: dict = {}
    for t in turns:
        a = engine.answer(t, state=state)
        assert a.text and (a.verdict is None or a.clauses)
        state = a.state


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(turns=st.lists(TURN, min_size=2, max_size=6))
def test_any_sequence_of_turns_through_the_dialogue(app, turns):
    d = Dialogue(app)
    app.store.forget("turns")
    for t in turns:
        replies = d.handle_text("turns", t)
        assert replies and all(r.text for r in replies)
