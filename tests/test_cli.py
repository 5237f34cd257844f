"""The `skillcert` command as a real process: output formats, exit codes, batch mode, misses."""
import json

from conftest import run_cli


def test_ask_prints_the_answer(env):
    p = run_cli(["ask", "我们能给老师认定二级吗？"], env)
    assert p.returncode == 0
    assert "〔2.3〕" in p.stdout and p.stderr == ""


def test_ask_json_has_the_contract_fields(env):
    p = run_cli(["ask", "--json", "can we certify teachers at level 2?"], env)
    assert p.returncode == 0
    out = json.loads(p.stdout)
    assert set(out) == {"id", "question", "lang", "intent", "score", "clauses", "verdict", "answer"}
    assert out["lang"] == "en" and out["clauses"][0] == "2.3" and out["verdict"] == "conditional"


def test_ask_with_a_profile_file(env, tmp_path):
    f = tmp_path / "p.toml"
    f.write_text("social_org_qualified = true\nruns_prep_technician_class = true\n", encoding="utf-8")
    out = json.loads(run_cli(["ask", "--json", "--profile", str(f), "能给老师认定技师吗"], env).stdout)
    assert out["verdict"] == "yes"


def test_ask_empty_question_is_bad_input(env):
    p = run_cli(["ask", "  "], env)
    assert p.returncode == 2 and "question" in p.stderr and p.stdout == ""


def test_jsonl_keeps_order_sessions_profiles_and_reports_bad_lines(env):
    lines = [
        json.dumps({"id": "a", "question": "能给老师认定三级吗", "session": "s"}, ensure_ascii=False),
        "this is not json",
        json.dumps({"id": "b", "question": "那一级呢？", "session": "s"}, ensure_ascii=False),
        json.dumps({"id": "c", "question": 42}),
        json.dumps({"id": "d", "question": "能给老师认定三级吗", "profile": {"social_org_qualified": True,
                                                                   "runs_senior_class": True}}, ensure_ascii=False),
        json.dumps({"id": "e", "question": "学生呢", "profile": {"student_cert_qualified": "yes"}}, ensure_ascii=False),
        "[1, 2]",
        "",
        json.dumps({"id": "f", "question": ""}),
    ]
    p = run_cli(["ask", "--jsonl"], env, stdin="\n".join(lines) + "\n")
    assert p.returncode == 0, p.stderr
    outs = [json.loads(x) for x in p.stdout.splitlines()]
    assert [o.get("id") for o in outs] == ["a", None, "b", "c", "d", "e", None, None, "f"]
    assert outs[0]["verdict"] == "conditional" and outs[2]["verdict"] == "no"
    assert "line 2" in outs[1]["error"] and "question" in outs[3]["error"]
    assert outs[4]["verdict"] == "yes"
    assert "student_cert_qualified" in outs[5]["error"]
    assert "empty line" in outs[7]["error"]  # one line out per line in, blank ones too
    assert outs[8]["clauses"] == [] and outs[8]["answer"]


def test_kb_build_and_misses(env, tmp_path):
    env = dict(env, SKILLCERT_KB=str(tmp_path / "kb.sqlite"))
    p = run_cli(["kb", "build"], env)
    assert p.returncode == 0 and "intents" in p.stdout
    for q in ("认定考试一次多少钱", "认定考试收费多少钱", "今天天气好吗"):
        assert run_cli(["ask", q], env).returncode == 0
    p = run_cli(["kb", "misses"], env)
    assert p.returncode == 0
    assert "认定考试" in p.stdout and "天气" in p.stdout
    assert "   2 ×" in p.stdout  # the two fee questions are one group
