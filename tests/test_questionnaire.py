"""The questionnaire as a state machine: order, skip logic, validation, back, edit."""
import itertools

import pytest

from bot import questionnaire as qn
from bot.eligibility import check

GOALS = ["certify_students", "certify_teachers", "certify_social_persons", "apply_social_org", "adjust_scope"]


def walk(kb, facts: dict, goals: list[str], affiliation="municipal"):
    """Answer only what is asked, from `facts`; return the state at the first form question, and the keys asked."""
    state = qn.new_state("zh")
    qn.advance(state, kb)
    asked = []
    while state["pending"] not in ("summary",) and not state["pending"].startswith(("org.", "occ.")):
        key = state["pending"]
        asked.append(key)
        if key == "goals":
            state = qn.answer(state, ",".join(str(GOALS.index(g) + 1) for g in goals), kb)
        elif key == "affiliation":
            state = qn.answer(state, "省属" if affiliation == "provincial" else "市属", kb)
        elif key == "institution_type":
            state = qn.answer(state, {"technical_school": "1", "enterprise": "2"}[facts[key]], kb)
        else:
            state = qn.answer(state, "是" if facts[key] else "否", kb)
    return state, asked


def outcome(kb, answers):
    result = check(answers, kb)
    return ({k: (c["status"], tuple(c.get("levels", []))) for k, c in result["capabilities"].items()},
            [(a["id"], tuple(a["documents"])) for a in result["actions"]])


BOOLS = ["student_cert_qualified", "social_org_qualified", "runs_prep_technician_class", "runs_senior_class",
         "has_segmented_students"]


def profiles():
    for values in itertools.product([True, False], repeat=len(BOOLS)):
        yield {"institution_type": "technical_school", **dict(zip(BOOLS, values))}
    yield {"institution_type": "enterprise", **{k: False for k in BOOLS}}


def goal_sets():
    for g in GOALS:
        yield [g]
    yield ["apply_social_org", "certify_teachers"]
    yield GOALS


def test_the_questionnaire_skips_what_cannot_change_the_outcome(kb):
    for facts in profiles():
        for goals in goal_sets():
            state, asked = walk(kb, facts, goals)
            answers = {k: v for k, v in state["answers"].items() if not k.startswith("_")}
            base = outcome(kb, answers)
            for key in BOOLS:
                if key in asked:
                    continue
                for flipped in (True, False):  # whatever the skipped fact is, the result is the same
                    assert outcome(kb, {**answers, key: flipped}) == base, (facts, goals, key)
            if "affiliation" not in asked:
                assert all(not a["submit_to"] or "省或市" in a["submit_to"] for a in check(answers, kb)["actions"])


def test_non_school_answers_one_question_and_everything_is_not_applicable(kb):
    state, asked = walk(kb, {"institution_type": "enterprise"}, ["apply_social_org"])
    assert asked == ["institution_type"]
    result = check(qn.final_answers(state), kb)
    assert {c["status"] for c in result["capabilities"].values()} == {"not_applicable"}


def test_unqualified_school_is_asked_about_classes_but_not_segments(kb):
    # 2.3's class condition decides whether teachers are not_allowed or can_apply, qualified or not
    facts = {"institution_type": "technical_school", "student_cert_qualified": False, "social_org_qualified": False,
             "runs_prep_technician_class": False, "runs_senior_class": True}
    _, asked = walk(kb, facts, ["certify_students"])
    assert asked == ["institution_type", "student_cert_qualified", "social_org_qualified",
                     "runs_prep_technician_class", "runs_senior_class", "goals"]


def test_where_to_file_is_asked_only_when_something_is_filed(kb):
    facts = {"institution_type": "technical_school", "student_cert_qualified": True, "social_org_qualified": True,
             "runs_prep_technician_class": True, "runs_senior_class": True, "has_segmented_students": False}
    _, asked = walk(kb, facts, ["certify_teachers"])
    assert "affiliation" not in asked
    _, asked = walk(kb, facts, ["adjust_scope"])
    assert "affiliation" in asked


def full_state(kb):
    facts = {"institution_type": "technical_school", "student_cert_qualified": True, "social_org_qualified": False,
             "runs_prep_technician_class": True, "runs_senior_class": True, "has_segmented_students": False}
    state, _ = walk(kb, facts, ["apply_social_org"], "provincial")
    return state


def test_form_facts_and_occupations_then_summary(kb):
    state = full_state(kb)
    assert state["pending"] == "org.name"
    script = [("泉城高级技工学校", "org.short_name"), ("跳过", "org.address"), ("济南市", "org.credit_code"),
              ("123701004950034562", "org.registrar"), ("跳过", "org.legal_rep"), ("张明", "org.capital"),
              ("skip", "org.contact"), ("李华", "org.title"), ("处长", "org.phone"), ("0531-88881234", "org.email"),
              ("a@b.cn", "org.website"), ("跳过", "org.strengths"),
              ("承担省级竞赛裁判工作", "org.premises"), ("跳过", "org.staff"), ("skip", "occ.name"), ("电工", "occ.code"), ("6-31-01-03", "occ.work_type"),
              ("跳过", "occ.levels"), ("5、4、3", "occ.has_standard"), ("有", "occ.experience"),
              ("2018年至今", "occ.assessed_count"), ("120", "more_occ"), ("否", "summary")]
    for text, expected_next in script:
        state = qn.answer(state, text, kb)
        assert state["pending"] == expected_next, (text, state["pending"])
    answers = qn.final_answers(state)
    assert answers["org"]["credit_code"] == "123701004950034562"
    assert "short_name" not in answers["org"]
    assert answers["occupations"] == [{"name": "电工", "code": "6-31-01-03", "levels": [5, 4, 3], "has_standard": True,
                                       "experience": "2018年至今", "assessed_count": 120}]
    summary = qn.prompt(state, kb).text
    assert "泉城高级技工学校" in summary and "电工 / 6-31-01-03 / 5、4、3" in summary


@pytest.mark.parametrize("pending, bad, reason", [
    ("org.credit_code", "123701004950034563", "校验位"),
    ("org.credit_code", "12345", "18位"),
    ("org.phone", "86914920", "区号"),
    ("org.email", "not-an-email", "邮箱"),
    ("occ.code", "6310", "6-31-01-03"),
    ("occ.levels", "5、4、6", "6"),
    ("occ.assessed_count", "一百二十", "整数"),
])
def test_a_wrong_answer_is_refused_with_the_reason_and_changes_nothing(kb, pending, bad, reason):
    state = full_state(kb)
    state["pending"] = pending
    with pytest.raises(qn.Invalid, match=reason):
        qn.answer(state, bad, kb)
    assert state["pending"] == pending


def test_back_returns_to_the_previous_question_and_forgets_its_answer(kb):
    state = full_state(kb)
    state = qn.answer(state, "泉城高级技工学校", kb)
    state = qn.back(state, kb)
    assert state["pending"] == "org.name" and "name" not in state["answers"].get("org", {})
    state = qn.back(state, kb)
    assert state["pending"] == "affiliation"


def test_edit_from_the_summary_then_back_to_the_summary(kb):
    state = full_state(kb)
    for text in ["泉城高级技工学校", "跳过", "济南市", "123701004950034562", "跳过", "张明", "跳过", "李华", "处长",
                 "0531-88881234", "a@b.cn", "跳过", "跳过", "跳过", "跳过", "电工", "6-31-01-03", "跳过", "5、4、3", "有", "跳过", "跳过", "否"]:
        state = qn.answer(state, text, kb)
    assert state["pending"] == "summary"
    items = [k for k, _ in qn.summary_items(state["answers"], kb)]
    n = items.index("org.phone") + 1
    state = qn.edit(state, n, kb)
    assert state["pending"] == "org.phone" and "0531-88881234" in qn.prompt(state, kb).text
    state = qn.answer(state, "13912345678", kb)
    assert state["pending"] == "summary" and state["answers"]["org"]["phone"] == "13912345678"


def test_changing_a_fact_drops_answers_that_no_longer_apply(kb):
    state = full_state(kb)
    items = [k for k, _ in qn.summary_items(state["answers"], kb)]
    state = qn.edit(state, items.index("student_cert_qualified") + 1, kb)
    state = qn.answer(state, "否", kb)
    assert "has_segmented_students" not in state["answers"]  # asked only of qualified schools (1.2)
    assert state["answers"]["runs_senior_class"] is True  # still applies (2.3)
    assert state["answers"]["social_org_qualified"] is False


def test_choices_accept_numbers_labels_and_loose_words(kb):
    state = qn.new_state("zh")
    qn.advance(state, kb)
    for text in ("1", "技工院校", "技校", "technical school (技工院校)"):
        assert qn.answer(state, text, kb)["answers"]["institution_type"] == "technical_school"
    with pytest.raises(qn.Invalid):
        qn.answer(state, "9", kb)
