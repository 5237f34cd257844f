"""The eligibility rules against tests/data/truth_table.toml, a table written from the notice
independently of bot/rules.py (openfisca-style: the cases are data, each row cites its clause).

Every combination of the facts is tried: institution_type (技工院校 / other / not given) and the
five yes/no facts each true, false or unknown. The table must give exactly one row per capability
and combination (so it is complete and has no overlaps); bot.rules must agree with every
combination, bot.eligibility.check with every combination it can be given (a fact left out of an
answers file counts as false there), and the real `skillcert check --json` with at least one
combination of every row."""
import itertools
import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from bot import rules
from bot.eligibility import check, reason_text

TABLE = tomllib.loads((Path(__file__).parent / "data" / "truth_table.toml").read_text(encoding="utf-8"))
BOOLS = ("student_cert_qualified", "social_org_qualified", "runs_prep_technician_class", "runs_senior_class",
         "has_segmented_students")
TYPES = ("technical_school", "other", "missing")
SCHOOL_TYPES = ["technical_school", "missing"]
ALL_GOALS = ["certify_students", "certify_teachers", "certify_social_persons", "apply_social_org", "adjust_scope"]
PHONES = ("0531-86914920", "0531-86018851")
NOTICE_WORDS = "省或市人力资源社会保障部门职业技能等级认定工作机构"


def combos(values=(True, False, "unknown")):
    for kind in TYPES:
        for vals in itertools.product(values, repeat=len(BOOLS)):
            yield {"institution_type": kind, **dict(zip(BOOLS, vals))}


def matches(row: dict, combo: dict) -> bool:
    when = {"institution_type": SCHOOL_TYPES, **row.get("when", {})}
    for key, want in when.items():
        allowed = want if isinstance(want, list) else [want]
        if combo[key] not in allowed:
            return False
    return True


def facts_of(combo: dict) -> dict:
    """The rules' facts: unknown is absent; "other" is an enterprise."""
    facts = {k: v for k, v in combo.items() if v != "unknown" and k != "institution_type"}
    if combo["institution_type"] != "missing":
        facts["institution_type"] = "enterprise" if combo["institution_type"] == "other" else "technical_school"
    return facts


def case_rows(capability: str, combo: dict, level: int | None = None) -> list[dict]:
    rows = [r for r in TABLE["case"] if r["capability"] in (capability, "*") and matches(r, combo)]
    if level is None:
        return rows
    level_rows = [r for r in TABLE["level_case"] if r["capability"] == capability and level in r["levels"]
                  and matches(r, combo)]
    if capability == "certify_teachers" and level in rules.TEACHER_LEVELS:
        return rows  # R2: at level 2 or 3 the cases of certify_teachers hold
    return [r for r in rows if r["capability"] == "*"] + level_rows


def expected(capability: str, combo: dict, level: int | None = None) -> dict:
    rows = case_rows(capability, combo, level)
    assert len(rows) == 1, (capability, level, combo, [r["id"] for r in rows])
    return rows[0]


def also_rows(capability: str, combo: dict) -> list[dict]:
    return [r for r in TABLE.get("also", []) if r["capability"] == capability and matches(r, combo)]


# ------------------------------------------------------------------ the table itself


def test_the_table_gives_exactly_one_row_per_capability_and_combination():
    for combo in combos():
        for cap in rules.CAPABILITIES:
            expected(cap, combo)
        for cap in ("certify_students", "certify_teachers"):
            for level in range(1, 6):
                expected(cap, combo, level)


def test_every_row_cites_a_clause_and_is_reached():
    reached = set()
    for combo in combos():
        for cap in rules.CAPABILITIES:
            reached.add(expected(cap, combo)["id"])
        for cap in ("certify_students", "certify_teachers"):
            for level in range(1, 6):
                reached.add(expected(cap, combo, level)["id"])
    for row in TABLE["case"] + TABLE["level_case"] + TABLE.get("also", []):
        assert row.get("clause"), row["id"]
    assert {r["id"] for r in TABLE["case"] + TABLE["level_case"]} == reached


# ------------------------------------------------------------------ bot.rules, every combination


def assert_outcome(row: dict, out: rules.Outcome, where: str):
    assert out.status == row["status"], f"{where}: {row['id']} wants {row['status']}, got {out.status}"
    if "levels" in row:
        assert sorted(out.levels) == sorted(row["levels"]), f"{where}: {row['id']} levels {out.levels}"
    if row["status"] == "conditional":
        assert set(out.needs) == set(row["needs"]), f"{where}: {row['id']} needs {out.needs}"
    else:
        assert not out.needs, where


def assert_reason(row: dict, reason: str, clauses: list[str], where: str):
    for word in row.get("reason_has", []):
        assert word in reason, f"{where}: {row['id']}: {word!r} not in {reason!r}"
    for cid in row.get("clauses_has", []):
        assert cid in clauses, f"{where}: {row['id']}: {cid} not in {clauses}"


def test_rules_agree_with_the_table_on_every_combination(kb):
    for combo in combos():
        facts = facts_of(combo)
        for cap in rules.CAPABILITIES:
            where = f"{cap} {combo}"
            out = rules.evaluate(cap, facts)
            assert_outcome(expected(cap, combo), out, where)
            reason, clauses = reason_text(kb, out, facts, "zh")
            assert reason and clauses, where
            for row in [expected(cap, combo)] + also_rows(cap, combo):
                assert_reason(row, reason, clauses, where)
            assert reason_text(kb, out, facts, "en")[0], where
            assert rules.verdict(out) in ("yes", "no", "conditional")


def test_rules_agree_with_the_table_for_one_level(kb):
    for combo in combos():
        facts = facts_of(combo)
        for cap in ("certify_students", "certify_teachers"):
            for level in range(1, 6):
                row = expected(cap, combo, level)
                out = rules.evaluate(cap, facts, level)
                assert out.status == row["status"], f"{cap} level {level} {combo}: {row['id']} got {out.status}"
                if row["status"] == "conditional":
                    assert set(out.needs) == set(row["needs"]), (cap, level, combo, out.needs)
                assert reason_text(kb, out, facts, "zh")[0]


def test_a_verdict_that_is_no_either_way_is_no():
    """Without 社评资质 and with the classes unknown: can_apply or not_allowed, both "not now"."""
    out = rules.certify_teachers({"social_org_qualified": False})
    assert out.status == "conditional" and rules.verdict(out) == "no"
    assert set(out.needs) == {"runs_prep_technician_class", "runs_senior_class"}


# ------------------------------------------------------------------ check: library and real CLI


def answers_of(combo: dict, goals: list[str]) -> dict:
    answers = {k: v for k, v in combo.items() if v != "unknown" and k != "institution_type"}
    if combo["institution_type"] != "missing":
        answers["institution_type"] = "enterprise" if combo["institution_type"] == "other" else "technical_school"
    answers["affiliation"] = "municipal"
    answers["goals"] = goals
    return answers


def check_against_table(result: dict, combo: dict, goals: list[str], where: str) -> set[str]:
    """Asserts a check result; returns the ids of the rows it exercised."""
    used = set()
    caps = result["capabilities"]
    assert set(caps) >= {"certify_students", "certify_teachers", "certify_social_persons", "apply_social_org",
                         "entrust_students"}
    for cap, got in caps.items():
        row = expected(cap, combo)
        used.add(row["id"])
        assert got["status"] == row["status"], f"{where}: {cap}: {row['id']} wants {row['status']}, got {got['status']}"
        if "levels" in row and cap in ("certify_students", "certify_teachers"):
            assert sorted(got["levels"]) == sorted(row["levels"]), f"{where}: {cap} levels {got['levels']}"
        for r in [row] + also_rows(cap, combo):
            assert_reason(r, got["reason"], got["clauses"], f"{where}: {cap}")
            used.add(r["id"])
    ids = [a["id"] for a in result["actions"]]
    for row in TABLE["action_case"]:
        if row["goals"] == goals and matches(row, combo):
            used.add(row["id"])
            for aid in row.get("must", []):
                assert aid in ids, f"{where}: {row['id']}: {aid} missing from {ids}"
            for aid in row.get("must_not", []):
                assert aid not in ids, f"{where}: {row['id']}: {aid} should not be in {ids}"
    for a in result["actions"]:
        if a["documents"]:
            assert NOTICE_WORDS in a["submit_to"] and "请与联系人确认" in a["submit_to"], a
    return used


def known_combos():
    """Combinations check can be given: every fact true or false (a left-out fact counts as false)."""
    return list(combos((True, False)))


def test_eligibility_check_agrees_with_the_table(kb):
    goal_sets = [ALL_GOALS] + [r["goals"] for r in TABLE["action_case"]]
    for combo in known_combos():
        for goals in goal_sets:
            check_against_table(check(answers_of(combo, goals), kb), combo, goals, f"check {combo} {goals}")


def test_a_fact_left_out_of_the_answers_counts_as_false(kb):
    for combo in known_combos():
        if combo["institution_type"] != "technical_school":
            continue
        falses = [k for k in BOOLS if combo[k] is False]
        given = answers_of(combo, ALL_GOALS)
        left_out = {k: v for k, v in given.items() if k not in falses}
        assert check(left_out, kb) == check(given, kb)


def cli_runs():
    """A few real runs that together exercise every row check can reach: one per action row,
    then, greedily, combinations reaching rows not yet covered."""
    runs, covered = [], set()

    def rows_of(combo, goals):
        ids = {expected(cap, combo)["id"] for cap in rules.CAPABILITIES}
        ids |= {r["id"] for cap in rules.CAPABILITIES for r in also_rows(cap, combo)}
        ids |= {r["id"] for r in TABLE["action_case"] if r["goals"] == goals and matches(r, combo)}
        return ids

    candidates = known_combos()
    for row in TABLE["action_case"]:
        combo = next(c for c in candidates if matches(row, c))
        runs.append((combo, row["goals"]))
        covered |= rows_of(combo, row["goals"])
    reachable = set().union(*(rows_of(c, ALL_GOALS) for c in candidates))
    while reachable - covered:
        combo = max(candidates, key=lambda c: len(rows_of(c, ALL_GOALS) - covered))
        runs.append((combo, ALL_GOALS))
        covered |= rows_of(combo, ALL_GOALS)
    return runs


def test_real_cli_check_agrees_with_the_table(tmp_path):
    exe = Path(sys.executable).with_name("skillcert")
    used = set()
    for i, (combo, goals) in enumerate(cli_runs()):
        path = tmp_path / f"answers{i}.json"
        path.write_text(json.dumps(answers_of(combo, goals), ensure_ascii=False), encoding="utf-8")
        proc = subprocess.run([str(exe), "check", "--answers", str(path), "--json"], capture_output=True,
                              text=True, encoding="utf-8", timeout=120)
        assert proc.returncode == 0, proc.stderr
        used |= check_against_table(json.loads(proc.stdout), combo, goals, f"cli {combo} {goals}")
    # every row that check can reach (no unknown facts needed) was exercised by the real CLI
    reachable = set()
    for combo in known_combos():
        for cap in rules.CAPABILITIES:
            reachable.add(expected(cap, combo)["id"])
            reachable |= {r["id"] for r in also_rows(cap, combo)}
    reachable |= {r["id"] for r in TABLE["action_case"]}
    assert reachable <= used, reachable - used


# ------------------------------------------------------------------ where to file (2.2, 3.2)


@pytest.mark.parametrize("affiliation, guess", [
    ("provincial", "省属技工院校可能报省人力资源社会保障厅"),
    ("municipal", "市属技工院校可能报所在市人力资源社会保障局"),
    (None, "省属技工院校可能报省人力资源社会保障厅的、市属技工院校可能报所在市人力资源社会保障局"),
])
def test_submit_to_gives_the_notices_words_then_the_inference_marked_then_the_contacts(kb, affiliation, guess):
    answers = {"institution_type": "technical_school", "student_cert_qualified": True,
               "social_org_qualified": False, "goals": ["apply_social_org", "adjust_scope"]}
    if affiliation:
        answers["affiliation"] = affiliation
    result = check(answers, kb)
    filed = [a for a in result["actions"] if a["documents"]]
    assert filed
    for a in filed:
        text = a["submit_to"]
        assert text.startswith(NOTICE_WORDS)
        assert text.index(NOTICE_WORDS) < text.index("推断") < text.index(guess) < text.index("请与联系人确认")
        assert all(p in text for p in PHONES) and "于金" in text and "王伟超" in text
    en = check(answers, kb, "en")
    for a in en["actions"]:
        if a["documents"]:
            assert "inference" in a["submit_to"] and all(p in a["submit_to"] for p in PHONES)
