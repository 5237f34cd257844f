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


# ---------------------------------------------------------------- 2. ask --jsonl: one line in, one line out

def run_bytes(args, env, stdin: bytes, timeout=120):
    import subprocess

    from conftest import ROOT, skillcert_cmd

    return subprocess.run(skillcert_cmd() + args, input=stdin, capture_output=True, env=env, timeout=timeout, cwd=ROOT)


def test_jsonl_bad_lines_never_stop_the_batch(env):
    good = json.dumps({"id": "ok", "question": "能给老师认定三级吗"}, ensure_ascii=False).encode()
    lines = [
        b'{"id": "s1", "question": "\\ud800\\u80fd\\u7ed9\\u8001\\u5e08\\u8ba4\\u5b9a\\u4e09\\u7ea7\\u5417"}',
        b'{"id": "\\udfff", "question": "x"}',
        b"[" * 50000 + b"]" * 50000,
        b'{"id": 1, "question": "\xff\xfe\xe4\xb8"}',
        b'{"id": NaN, "question": "a"}',
        b'{"id": Infinity, "question": "a"}',
        b'{"id": "big", "question": 1e999}',
        b"",
        b"   ",
        good,
    ]
    p = run_bytes(["ask", "--jsonl"], env, b"\n".join(lines) + b"\n")
    assert p.returncode == 0, p.stderr
    out_text = p.stdout.decode("utf-8")  # valid UTF-8
    outs = [json.loads(x, parse_constant=lambda c: pytest.fail(f"non-strict JSON {c}")) for x in out_text.splitlines()]
    assert len(outs) == len(lines)
    assert outs[0]["id"] == "s1" and outs[0]["clauses"] and "\ud800" not in outs[0]["question"]
    assert "error" not in outs[1] and outs[1]["id"] != "\udfff"
    assert "line 3" in outs[2]["error"] and outs[2]["id"] is None
    assert "UTF-8" in outs[3]["error"]
    assert "id" in outs[4]["error"] and outs[4]["id"] is None
    assert "id" in outs[5]["error"] and outs[5]["id"] is None
    assert "question" in outs[6]["error"] and outs[6]["id"] == "big"
    assert "empty" in outs[7]["error"] and "empty" in outs[8]["error"]
    assert outs[9]["id"] == "ok" and outs[9]["clauses"]


def test_jsonl_a_huge_line_gets_an_error_and_little_memory(env):
    import subprocess
    import sys

    from conftest import ROOT, skillcert_cmd

    huge = b'{"id": "huge", "question": "' + "技".encode() * (10 * 1024 * 1024) + b'"}'  # 30 MB
    good = json.dumps({"id": "after", "question": "能给老师认定三级吗"}, ensure_ascii=False).encode()
    measure = ("import resource, subprocess, sys\n"
               "p = subprocess.run(sys.argv[1:], stdin=sys.stdin, stdout=subprocess.PIPE)\n"
               "sys.stdout.buffer.write(p.stdout)\n"
               "sys.stderr.write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))\n")
    p = subprocess.run([sys.executable, "-c", measure] + skillcert_cmd() + ["ask", "--jsonl"],
                       input=huge + b"\n" + good + b"\n", capture_output=True, env=env, timeout=300, cwd=ROOT)
    outs = [json.loads(x) for x in p.stdout.decode().splitlines()]
    assert len(outs) == 2
    assert "too long" in outs[0]["error"] and outs[1]["id"] == "after" and outs[1]["clauses"]
    peak_mb = int(p.stderr.decode().strip().splitlines()[-1]) / 1024
    assert peak_mb < 200, peak_mb
