"""The eligibility rules, as a table: profile → expected status of each capability (openfisca-style:
test cases are data, each rule cites its clause)."""
import pytest

from bot import rules

SCHOOL = {"institution_type": "technical_school"}
FULL = {**SCHOOL, "student_cert_qualified": True, "social_org_qualified": True,
        "runs_prep_technician_class": True, "runs_senior_class": True}
STUDENT_ONLY = {**SCHOOL, "student_cert_qualified": True, "social_org_qualified": False,
                "runs_prep_technician_class": False, "runs_senior_class": True}
NOTHING = {**SCHOOL, "student_cert_qualified": False, "social_org_qualified": False,
           "runs_prep_technician_class": False, "runs_senior_class": False}
STUDENT_CLASS_ONLY = {**NOTHING, "runs_senior_class": True}
SOCIAL_NO_CLASS = {**FULL, "runs_prep_technician_class": False, "runs_senior_class": False}
ENTERPRISE = {"institution_type": "enterprise", "student_cert_qualified": False, "social_org_qualified": False}

TABLE = [
    # profile, capability, status, levels
    (FULL, "certify_students", "allowed", [5, 4, 3, 2]),
    (STUDENT_ONLY, "certify_students", "allowed", [5, 4, 3]),
    (NOTHING, "certify_students", "can_apply", []),
    (ENTERPRISE, "certify_students", "not_applicable", []),
    (FULL, "certify_teachers", "allowed", [2, 3]),
    (STUDENT_ONLY, "certify_teachers", "can_apply", [2, 3]),
    (NOTHING, "certify_teachers", "not_allowed", [2, 3]),  # no class (2.3)
    (STUDENT_CLASS_ONLY, "certify_teachers", "can_apply", [2, 3]),  # both qualifications to apply for
    (SOCIAL_NO_CLASS, "certify_teachers", "not_allowed", [2, 3]),
    (ENTERPRISE, "certify_teachers", "not_applicable", []),
    (FULL, "certify_social_persons", "allowed", []),
    (STUDENT_ONLY, "certify_social_persons", "can_apply", []),
    (NOTHING, "certify_social_persons", "can_apply", []),
    (ENTERPRISE, "certify_social_persons", "not_applicable", []),
    (FULL, "apply_social_org", "already_has", []),
    (STUDENT_ONLY, "apply_social_org", "allowed", []),
    (NOTHING, "apply_social_org", "can_apply", []),
    (ENTERPRISE, "apply_social_org", "not_applicable", []),
    (FULL, "entrust_students", "not_applicable", []),
    (NOTHING, "entrust_students", "allowed", []),
    (ENTERPRISE, "entrust_students", "not_applicable", []),
    (FULL, "adjust_scope", "allowed", []),
    (STUDENT_ONLY, "adjust_scope", "allowed", []),
    (NOTHING, "adjust_scope", "can_apply", []),
    (ENTERPRISE, "adjust_scope", "not_applicable", []),
]


@pytest.mark.parametrize("profile, capability, status, levels", TABLE)
def test_status_table(profile, capability, status, levels):
    out = rules.evaluate(capability, profile)
    assert out.status == status
    assert out.levels == levels
    assert not out.needs


def test_every_capability_and_status_has_words_and_clauses(kb):
    for profile, capability, status, _ in TABLE:
        entry = kb.rules_text[capability][status]
        assert entry["clauses"] and entry["zh"] and entry["en"]


@pytest.mark.parametrize("level, status", [(1, "not_allowed"), (4, "not_allowed"), (5, "not_allowed"),
                                           (2, "allowed"), (3, "allowed")])
def test_teachers_only_at_levels_2_and_3(level, status):
    assert rules.certify_teachers(FULL, level).status == status


def test_unknown_facts_make_the_answer_conditional_and_name_them():
    out = rules.certify_teachers({})
    assert out.status == "conditional"
    assert out.needs == ["social_org_qualified", "runs_prep_technician_class", "runs_senior_class"]
    assert rules.verdict(out) == "conditional"
    assert rules.certify_teachers({}, level=1).status == "not_allowed"  # level 1 is never allowed


def test_student_levels_follow_the_classes():
    assert rules.certify_students(STUDENT_ONLY, level=2).status == "not_allowed"  # no 预备技师班
    assert rules.certify_students(FULL, level=2).status == "allowed"
    assert rules.certify_students(FULL, level=1).status == "not_allowed"
    assert rules.certify_students({"student_cert_qualified": True}, level=3).needs == ["runs_senior_class"]


def test_verdicts_read_each_capability_the_right_way():
    assert rules.verdict(rules.apply_social_org(STUDENT_ONLY)) == "yes"   # may apply
    assert rules.verdict(rules.certify_teachers(STUDENT_ONLY)) == "no"    # not now
    assert rules.verdict(rules.entrust_students(NOTHING)) == "yes"
    assert rules.verdict(rules.apply_social_org(NOTHING)) == "no"        # student qualification first
    assert rules.verdict(rules.certify_teachers(NOTHING)) == "no"        # no class: never


def test_facts_only_a_question_states(kb):
    """truth_table.toml R8: "not started yet" and "below the standards" are read from questions only."""
    held = {"student_cert_qualified": True, "social_org_qualified": False}
    out = rules.apply_social_org({**held, "student_cert_started": False})
    assert out.status == "not_allowed" and rules.verdict(out) == "no"
    assert rules.apply_social_org(held).status == "allowed"  # the questionnaire's school: started is assumed
    assert rules.entrust_students({**held, "below_standard": True}).status == "allowed"
    assert rules.entrust_students(held).status == "not_applicable"
    # neither fact changes what the qualification itself allows
    assert rules.certify_students({**held, "student_cert_started": False}).status == "allowed"


def test_one_class_reading_is_marked_as_ours_before_and_after_applying(kb):
    """2.3 says "开办预备技师班、高级技工班": whether one of the two is enough is our reading, said both when the
    school holds 社评资质 (allowed) and when it has yet to apply (can_apply) — try28: the can_apply text promised
    二级、三级 flatly to a school running only 高级技工班."""
    from bot.eligibility import reason_text

    for social, status in ((True, "allowed"), (False, "can_apply")):
        facts = {**STUDENT_ONLY, "social_org_qualified": social}
        out = rules.certify_teachers(facts)
        assert out.status == status
        zh, _ = reason_text(kb, out, facts, "zh")
        en, _ = reason_text(kb, out, facts, "en")
        assert "请与联系人确认" in zh and "confirm with the contacts" in en
        both = {**facts, "runs_prep_technician_class": True}
        assert "请与联系人确认" not in reason_text(kb, rules.certify_teachers(both), both, "zh")[0]
