"""try28's engine findings (a new user's report, /work/try28-report): the facts a class list after 只有 states,
English facts whose "no" spread or whose "we have … qualification" was read as the student qualification, a
supposition kept as a fact, "为啥" / "更正：…" / "你记的是啥" in a real chat, follow-ups for the form after a scope
change or entrusting, compound halves that contradicted, and /check's wording for a school with one class."""
import pytest

from bot.answers import validate_answers
from bot.documents import render_documents
from bot.eligibility import check, check_text
from talk import chat, facts


@pytest.mark.parametrize("text, want", [
    ("我们是省属技工学校，没有社评资质，只有中级工班跟高级工班",
     {"social_org_qualified": False, "runs_prep_technician_class": False, "runs_senior_class": True}),
    ("学校仅有高级工班与中级工班", {"runs_prep_technician_class": False, "runs_senior_class": True}),
    ("咱们就中级工班和高级工班", {"runs_prep_technician_class": False, "runs_senior_class": True}),
    ("我们只办了预备技师班", {"runs_prep_technician_class": True, "runs_senior_class": False}),
    ("只办了中级班", {"runs_prep_technician_class": False, "runs_senior_class": False}),
    ("We have no social org qualification and run only senior worker classes.",
     {"social_org_qualified": False, "runs_senior_class": True, "runs_prep_technician_class": False}),
    ("We have no social training evaluation qualification and only run senior worker classes.",
     {"social_org_qualified": False, "runs_senior_class": True, "runs_prep_technician_class": False}),
    ("We only run intermediate and senior worker classes and hold the student certification qualification.",
     {"student_cert_qualified": True, "runs_senior_class": True, "runs_prep_technician_class": False}),
    ("We don't run a preparatory class and we run a senior class",
     {"runs_prep_technician_class": False, "runs_senior_class": True}),
    ("We don't have preparatory or senior classes", {"runs_prep_technician_class": False, "runs_senior_class": False}),
])
def test_facts_of_class_lists_and_english_negations(kb, text, want):
    got = facts(kb, text)
    assert {k: got.get(k) for k in want} == want, got
    if "student" not in text and "学生" not in text:
        assert "student_cert_qualified" not in got  # "we have no … qualification" is not the student one held


def test_only_a_class_named_for_students_is_not_the_schools_list(kb):
    assert "runs_prep_technician_class" not in facts(kb, "只有高级工班的学生能认定三级吗")


def test_a_supposition_is_answered_as_supposed_and_not_kept(app):
    first, supposed, later, shown = chat(app, "p5",
                                         "您好 我们是省属技工学校，没有社评资质，只有中级工班跟高级工班",
                                         "我们又没有预备技师班，等有了社评资质能给老师评二级吗",
                                         "那能给学生评几级",
                                         "你记的是啥")
    assert "开办高级技工班" in first and "未开办高级技工班" not in first
    assert "假设已有社会培训评价组织资质" in supposed
    assert "按贵校情况（已有社会培训评价组织资质" not in supposed and "已有社会培训评价组织资质，未开办" not in supposed
    assert "已有社会培训评价组织资质" not in later  # the next question is asked of the school as it is
    assert "无社会培训评价组织资质" in shown and "开办高级技工班" in shown
    state = app.store.get_state("p5")["topic"]["facts"]
    assert state["social_org_qualified"] is False and state["runs_senior_class"] is True


def test_an_english_supposition_keeps_the_facts_stated_outside_it(app):
    [a, b] = chat(app, "en1", "Can we certify our teachers at level 3 once we get 社评资质? We run both preparatory technician and senior classes.",
                  "And right now, can we certify social learners?")
    assert a.startswith("Supposing social training evaluation organisation qualification held")
    assert "Yes" in a
    assert "It depends" in b or "once the school holds" in b
    kept = app.store.get_state("en1")["topic"]["facts"]
    assert "social_org_qualified" not in kept and kept["runs_senior_class"] is True


def test_why_gives_the_reason_of_the_answer_before(app):
    verdict, why = chat(app, "w1", "技工院校可以给本校老师认定一级吗", "为啥")
    assert "不可以" in verdict
    assert why.startswith("上一个回答的理由") and "一级" in why and "〔2.3〕" in why and "没有规定" not in why
    [_, why_en] = chat(app, "w2", "Can a technician college certify its students at level 1?", "why?")
    assert why_en.startswith("The reason for the answer before") and "[1.1]" in why_en


def test_why_after_a_not_covered_answer_explains_nothing_older(app, engine):
    a = engine.answer("技工院校可以给本校老师认定一级吗")
    b = engine.answer("认定收费标准是多少", state=a.state)
    c = engine.answer("为啥", state=b.state)
    assert not c.clauses  # the answer before covered nothing: no reason of an older answer is given


def test_a_correction_is_acknowledged_as_a_statement(app):
    _, _, corrected, shown = chat(app, "c1", "我们有社评资质，两个班都开了", "能给老师评三级吗",
                                  "更正：我们没有社评资质", "我们现在有啥资质你记的是啥")
    assert corrected.startswith("已更正：无社会培训评价组织资质")
    assert "无社会培训评价组织资质" in shown
    assert app.store.get_state("c1")["topic"]["facts"]["social_org_qualified"] is False


def test_nothing_stored_is_said_so(app):
    [shown] = chat(app, "n1", "What do you have on us?")
    assert "noted nothing" in shown


@pytest.mark.parametrize("first, then, want", [
    ("我们想在认定范围里加俩职业，再删一个，咋弄", "要交啥表", ["3.2"]),
    ("我们想调整认定范围", "发到哪", ["3.2"]),
    ("我们还没有学生认定资格，能委托别的学校给学生认定吗", "要交啥表", []),
    ("我们还没有学生认定资格，能委托别的学校给学生认定吗", "报哪里", []),
])
def test_the_form_asked_after_a_scope_change_or_entrusting(engine, first, then, want):
    a = engine.answer(first)
    b = engine.answer(then, state=a.state)
    assert b.clauses[:1] == want, b.text[:200]
    if want:
        assert "附件3" in b.text and "附件1" not in b.text.split("依据")[0]


@pytest.mark.parametrize("question, clause", [
    ("机构类型填啥，我们填技工院校还是社会培训评价组织", "att3.n1"),
    ("交给谁？省里还是市里", "2.2"),
])
def test_a_question_and_its_choices_get_one_answer(engine, question, clause):
    a = engine.answer(question)
    assert a.clauses[0] == clause and "【" not in a.text and "没有规定，我不能替政策作答" not in a.text


@pytest.mark.parametrize("question, reason, not_reason", [
    ("老师认定二级需要几年工作经验", "工作年限", "时限"),
    ("技工学校和技师学院有啥区别", "区别", "职称"),
    ("我们学校能不能直接开预备技师班", "开办", "培养层次"),
    ("民办职业培训学校能按这个通知给学生认定吗", "职业培训机构", "取决于"),
])
def test_not_covered_with_its_own_reason(engine, question, reason, not_reason):
    a = engine.answer(question)
    assert a.clauses == [] and a.verdict is None
    said = a.text.split("\n\n")[1]  # the reason line, after "not covered"
    assert reason in said and not_reason not in said


def test_the_level_asked_for_comes_first(engine):
    a = engine.answer("预备技师班学生毕业能认定到几级")
    assert a.text.startswith("注册预备技师培养层次的学生") and a.text.index("二级") < a.text.index("- 初级")


def test_a_level_after_entrusting_is_the_registered_level_rule(engine):
    profile = {"institution_type": "technical_school", "student_cert_qualified": False, "social_org_qualified": False,
               "runs_prep_technician_class": False, "runs_senior_class": True}
    a = engine.answer("Can other schools with 社评资质 certify our students at level 3?", profile=profile)
    b = engine.answer("what about level 2?", state=a.state, profile=profile)
    assert b.clauses[0] == "1.1" and b.verdict == "no"


def test_who_issues_after_entrusting_is_the_body_entrusted(engine):
    a = engine.answer("我们没有学生认定资格，能委托有社评资质的学校认定吗")
    b = engine.answer("委托了以后证书谁发的", state=a.state)
    assert b.clauses[0] == "3.4" and "受委托" in b.text and "本工具对3.4的理解" in b.text


def test_a_later_edition_of_the_classification_is_not_a_flat_yes(engine):
    a = engine.answer("职业编码按哪个版本的大典填？2022版的行不行")
    assert a.clauses[0] == "att3.n3" and a.verdict == "conditional" and "2015" in a.text


ONE_CLASS = {"institution_type": "technical_school", "affiliation": "provincial", "student_cert_qualified": True,
             "social_org_qualified": False, "runs_prep_technician_class": False, "runs_senior_class": True,
             "has_segmented_students": False, "goals": ["certify_teachers"], "org": {"name": "某技工学校"}}


def test_check_and_checklist_say_one_class_is_our_reading(kb):
    answers = validate_answers(ONE_CLASS)
    result = check(answers, kb)
    assert result["capabilities"]["certify_teachers"].get("our_reading") is True
    line = next(x for x in check_text(result, kb).splitlines() if x.startswith("• 为本校教师认定"))
    assert "本工具理解" in line
    text = render_documents(answers, kb)["checklist.md"].decode("utf-8")
    row = next(x for x in text.splitlines() if x.startswith("| 为本校教师认定"))
    assert "本工具理解" in row
    both = validate_answers({**ONE_CLASS, "runs_prep_technician_class": True})
    assert "our_reading" not in check(both, kb)["capabilities"]["certify_teachers"]


def test_where_to_file_after_a_scope_change_is_3_2(engine):
    a = engine.answer("我们想在认定范围里加俩职业，再删一个，咋弄")
    b = engine.answer("我们是市属的，那报青岛市人社局就行吧", state=a.state)
    assert b.clauses[0] == "3.2" and b.verdict == "yes" and "附件1" not in b.text.split("依据")[0]


def test_the_forms_for_a_school_that_cannot_apply_yet(engine):
    a = engine.answer("要交啥表", profile={"student_cert_qualified": False, "social_org_qualified": False})
    assert a.text.startswith("按贵校情况（未取得学生认定资格），现在还不能申报") and "2.1" in a.clauses


def test_an_english_correction_and_what_is_kept(app):
    _, corrected, shown = chat(app, "en2", "We hold the social org qualification and run both classes.",
                               "Correction: we have no social org qualification.", "What do you have on us?")
    assert corrected.startswith("Corrected: no social training evaluation organisation qualification")
    assert "no social training evaluation organisation qualification" in shown and "preparatory technician classes" in shown
