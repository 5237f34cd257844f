"""try30's engine findings (a new user's trial, /work/try30-report): a qualification "before it is approved" read as held
and kept for the session and /check, a teacher certified by another school, Chinese class and level names inside an
English question, a level asked after a topic, a level named twice, a teacher's own papers, a contact named as the
receiver, and compound answers (one answer for two parts, a not-covered part's reason). The single questions are in
tests/data/probe-try30.jsonl."""
import pytest

from bot.text import normalize_zh
from talk import chat, facts


def session(engine, *lines):
    state, out = {}, []
    for line in lines:
        a = engine.answer(line, state=state)
        out.append(a)
        state = a.state
    return out


@pytest.mark.parametrize("text, key", [
    ("社评资质批下来前，我们老师可以先找外校认定吗", "social_org_qualified"),
    ("社评资质审批前老师能认定吗", "social_org_qualified"),
    ("社评还在等批复，老师能认定吗", "social_org_qualified"),
    ("我们在等社评资质，老师能认定吗", "social_org_qualified"),
    ("社平没批下来，高技班老师能先评高级工不", "social_org_qualified"),
    ("学生认定资格拿到前能委托吗", "student_cert_qualified"),
    ("Before our social org qualification is approved, can another school certify our teachers?", "social_org_qualified"),
])
def test_a_qualification_not_yet_approved_is_not_held(kb, text, key):
    assert facts(kb, text).get(key) is False


@pytest.mark.parametrize("text", ["社评资质批下来后能给老师认定吗", "社评批下来了，能给老师认定吗", "我们社评资质去年就批了"])
def test_a_qualification_approved_is_held(kb, text):
    assert facts(kb, text).get("social_org_qualified") is True


def test_social_wage_is_not_the_qualification(kb):
    assert normalize_zh("社平工资是多少", kb.lexicon).startswith("社平工资")


def test_before_approval_is_kept_as_not_held_and_check_prefills_no(app):
    said, teachers, shown, check = chat(app, "t30-bug1", "社评资质批下来前，我们老师可以先找外校认定吗",
                                        "我们开了预师班，那能给本校老师认定二级吗", "你记的是啥", "/check")
    assert said.startswith("可以") and "已具备社会培训评价组织资质" not in said.split("取得社会培训评价组织资质的技工院校")[0]
    assert "外校教师的认定属于面向社会的认定" not in said  # the asker's teachers go elsewhere; the asker serves no one
    assert "不可以" in teachers and "已有社会培训评价组织资质" not in teachers
    assert "无社会培训评价组织资质" in shown and "已有社会培训评价组织资质" not in shown
    assert "社会培训评价组织资质：是" not in check


def test_another_school_certifying_me_in_a_conversation_is_3_3(engine):
    first, other = session(engine, "我是技校老师，学校只办中级工班，能认定二级吗",
                           "Another school (with 社评资质) — can it certify me, a teacher from a 市属 school, at level 2?")
    assert first.verdict == "no" and first.clauses[0] == "2.3"
    assert other.verdict == "yes" and other.clauses[0] == "3.3"


@pytest.mark.parametrize("question", [
    "I teach at a 市属 技校 that only runs 中级工班. Can I be certified 二级 / technician?",
    "Can a teacher at our school get level 2 if we only run 中级工班?",
])
def test_chinese_names_in_english_keep_the_facts(engine, kb, question):
    f = facts(kb, question)
    assert f.get("runs_prep_technician_class") is False and f.get("runs_senior_class") is False
    a = engine.answer(question)
    assert a.lang == "en" and a.clauses[0] == "2.3" and a.verdict == "no"


def test_which_level_after_a_students_question_is_the_students(engine):
    students, level = session(engine, "预师班的学生毕业能直接认定预备技师吗", "认几级")
    assert students.clauses[0] == "1.1" and level.clauses[0] == "1.1" and "二级/技师" in level.text


def test_a_compound_asks_its_level_of_the_students_after_a_teachers_question(engine):
    _, both = session(engine, "我们是省属技师学院，有学生认定资格，没社评，预师班和高技班都开着，能给本校老师认定技师吗",
                      "预师班的学生毕业能直接认定预备技师吗？认几级")
    assert both.clauses[0] == "1.1" and "2.3" not in both.clauses and "现在还不能" not in both.text


def test_level_one_named_by_number_and_name_after_a_teachers_yes(engine):
    _, one = session(engine, "我们有社评，开了预师班，能给老师认定吗", "一级高级技师能不能认")
    assert one.clauses[0] == "2.3" and one.verdict == "no"


def test_two_names_of_one_level_after_a_teachers_question(engine):
    _, same = session(engine, "能给本校老师认定技师吗", "那二级=技师是吧")
    assert same.intent == "level_names" and same.verdict == "yes" and same.text.startswith("是的")


@pytest.mark.parametrize("lines, what", [
    (["我是技校老师，学校只办中级工班，能认定二级吗", "那我需要准备什么"], "个人参加认定"),
    (["I'm a teacher at a 市属 技校, our school only runs 中级工班. Can I get certified at level 2 (技师)?",
      "what do I need to prepare?"], "teacher or student prepares"),
])
def test_a_teachers_own_papers_are_not_the_schools_application(engine, lines, what):
    *_, papers = session(engine, *lines)
    assert not papers.clauses and what in papers.text and "0531-86914920" in papers.text


def test_the_schools_application_named_before_supplies_the_papers(engine):
    _, papers = session(engine, "申报社评资质需要什么条件", "那我需要准备什么")
    assert papers.clauses[0] == "2.2"


def test_a_compound_answers_one_answer_once_and_quotes_a_clause_once(engine):
    a = engine.answer("社评咋申报，材料交给谁，省属的交省厅还是市局")
    assert "【材料交给谁；省属的交省厅还是市局】" in a.text
    assert a.text.count("依据〔2.2〕") == 1
    assert "省属技工院校可能报省人力资源社会保障厅的认定工作机构" in a.text  # the part that states 省属 answers


def test_a_not_covered_part_of_a_compound_keeps_its_reason_and_the_contacts(engine):
    a = engine.answer("附件3里备案号我们没有咋填，附件2有模板吗")
    part = a.text.split("【附件3里备案号我们没有咋填】")[1]
    assert "非必填" in part and a.text.count("0531-86914920") == 1 and a.text.rstrip().endswith("0531-86018851")
