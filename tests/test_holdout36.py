"""fix39 (holdout36): the mechanisms behind its first-sight failures, each asked in words other than the set's own
(the set itself is tests/data/holdout36.jsonl): long messages that describe the school first and then ask."""
import pytest

from bot import frame
from talk import facts


@pytest.mark.parametrize("text", ["预备技师班、高级技工班一直在招生", "两个班都在招生", "预备技师班和高级技工班都正在招"])
def test_classes_taking_students_are_run(kb, text):
    f = facts(kb, text)
    assert f.get("runs_prep_technician_class") is True and f.get("runs_senior_class") is True


def test_we_are_a_college_with_the_student_qualification(kb):
    assert facts(kb, "We're a city technical school with the student certification qualification.") \
        .get("student_cert_qualified") is True
    assert facts(kb, "We are a school without the student certification qualification.") \
        .get("student_cert_qualified") is not True


@pytest.mark.parametrize("text, asked", [
    ("We hold the student qualification only. A factory wants us to certify its employees. Is that allowed?",
     "A factory wants us to certify its employees. Is that allowed?"),
    ("已经开展学生认定三年了，想申报社评资质，可以吗", "想申报社评资质，可以吗"),
    ("我们有学生认定资格，可以吗", ""),  # one statement before: the whole question is the question
])
def test_a_bare_ask_is_read_with_the_segment_before(engine, text, asked):
    assert frame.question_part(text, "en" if text[:1].isascii() else "zh", engine._is_question) == asked


@pytest.mark.parametrize("question, clauses, verdict", [
    ("学校有社评资质，两个班都在招生，本校老师能认定三级吗", ["2.3"], "yes"),
    ("认定老师二级三级，是不是要求我们开办预备技师班", ["2.3"], "yes"),
    ("市人社局是不是只搞随机抽查", ["3.5"], "no"),
    ("我们有学生认定资格也有社评资质，把焊工等级从4、3调整成4、3、2，自己改了就行吧", ["3.2"], "no"),
    ("我们两种资格都有，学校是不是要按49号和50号文件做好制度建设和组织实施", ["3.4"], "yes"),
    ("We're a municipal school with the student certification qualification. Our senior class students are registered "
     "with us and finished the teaching plan. Can we certify them directly?", ["1.1"], "yes"),
    ("We have the student qualification but never applied for social_org. A company wants us to certify its "
     "employees. Are we allowed to?", ["2.1"], "no"),
    ("我校没有学生认定资格，也没有社评资质，能自己组织学生的等级认定吗", ["3.1"], "no"),
    ("这个通知适用于市属的技工学校吗", ["meta"], "yes"),
    ("We are a municipal school. The notice is addressed to provincial schools only. Does it apply to us?", ["meta"], "yes"),
    ("这个通知主送市属技工院校吗", ["meta"], "no"),
    ("We have both qualifications. We want to change our levels from 5,4,3 to 5,4,3,2. Can we just do it ourselves "
     "without reporting?", ["3.2"], "no"),
    ("Our college holds the social training evaluation qualification. A training institution's trainees want to be "
     "certified by us. Is that allowed?", ["3.3"], "yes"),
])
def test_yes_no_after_the_school_is_described(engine, question, clauses, verdict):
    a = engine.answer(question)
    assert a.clauses[:len(clauses)] == clauses and a.verdict == verdict, (a.clauses, a.verdict, a.text[:200])


@pytest.mark.parametrize("question, first", [
    ("我们学校学生认定资格、社评资质都没有，接下来该做什么", "3.1"),
    ("我们有学生认定资格，但没有社评资质，下一步应该怎么做", "2.1"),
    ("省职业能力建设处的联系人叫什么", "contacts"),
])
def test_what_next_and_whom_to_call(engine, question, first):
    a = engine.answer(question)
    assert a.clauses[:1] == [first] and a.verdict is None, (a.clauses, a.text[:200])


@pytest.mark.parametrize("question", [
    "委托别的学校给学生认定，要签合同吗？合同模板有吗",
    "我们在济南，市人社局认定机构地址在哪？联系电话呢？",
    "办预备技师班需要什么条件？招生对象有哪些？",
    "附件1里电子邮箱我们没有，该填什么",
    "信用代码总共有几位",
    "WPS里怎么把单元格填充成黄色",
    "我们想取得学生认定资格，具体要满足哪些标准？",
])
def test_near_domain_questions_are_not_covered(engine, question):
    a = engine.answer(question)
    assert a.clauses == [] and a.verdict is None, (a.clauses, a.text[:200])


def test_the_marking_of_attachment3_in_excel_is_note7(engine):
    assert engine.answer("附件3在excel里怎么把修改的格子标黄").clauses[:1] == ["att3.n7"]
