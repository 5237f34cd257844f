"""Questions about the forms' parts, fields and make-up (holdout13's mechanisms): real knowledge base, real engine."""
import pytest

from bot import frame
from bot.text import is_yes_no


@pytest.mark.parametrize("question, form, n, m", [
    ("附件2工作方案第一部分是组织机构及职责对吧", "att2", 1, 2),
    ("我们在写工作方案，第一部分是组织机构及职责对吧", "att2", 1, 2),
    ("附件1第四项是场地设备吧", "att1", 4, 4),
    ("承诺书第三条是接受监督吧", "att1.pledge", 3, 3),
])
def test_a_part_named_by_number_and_by_words_is_compared(kb, question, form, n, m):
    claim = frame.form_part_claim(kb.facts["form_part"], [question.lower()], [question.split("，")[-1].lower()])
    assert claim is not None and claim[:3] == (form, n, m)


@pytest.mark.parametrize("question", [
    "附件1第四项是场地，要附权属证明吧",  # the asking segment asks about the proof
    "承诺书第二条是说把经济效益放在首位？",  # no part named by its words
    "附件1第二部分那个表只有6行",  # no claim that a part is another
])
def test_no_claim_about_a_part(kb, question):
    ask = question.split("，")[-1]
    assert frame.form_part_claim(kb.facts["form_part"], [question], [ask]) is None


@pytest.mark.parametrize("question, verdict, clause", [
    ("附件2工作方案第一部分是组织机构及职责对吧", "no", "att2"),
    ("Is section 1 of the work plan the safeguards?", "no", "att2"),
    ("附件2第四部分是评价流程吧", "yes", "att2"),
    ("承诺书第二条是说把经济效益放在首位？", "no", "att1.pledge"),
    ("附件1第二部分那个表只有6行，我们有9个工种，是不是最多只能报6个？", "no", "att1.n1"),
    ("附件3的工种栏可以留空吗", "conditional", "att3.n4"),
    ("工种名称用1999年版大典的行吗", "no", "att3.n4"),
    ("附件3里有备案号这一项吧", "yes", "att3"),
    ("附件3中职业下没有工种的，工种那一栏写无可以吗", "no", "att3.n4"),
])
def test_verdicts_on_the_forms(engine, question, verdict, clause):
    a = engine.answer(question)
    assert (a.verdict, a.clauses[:1]) == (verdict, [clause]), a.text


@pytest.mark.parametrize("question, clause", [
    ("What supporting documents go with section 5 (full-time staff and assessors) of 附件1?", "att1.n4"),
    ("What documents go with the staff section of attachment 1?", "att1.n4"),
    ("附件3认定范围表格有哪几列", "att3"),
    ("附件3哪些栏可以不填", "att3.n2"),
    ("级别以什么为准来填", "att3.n5"),
    ("调整清单是我们学校自己报，还是由市人社局替我们报？", "3.2"),
])
def test_what_a_question_about_a_form_is_about(engine, question, clause):
    assert engine.answer(question).clauses[:1] == [clause]


@pytest.mark.parametrize("question", [
    "工作方案对字体字号有什么要求？仿宋三号吗", "材料要胶装还是骑马钉装订", "纸质申报材料一共要交几份",
    "附件3有没有现成的Excel模板", "申报材料需要加盖骑缝章吗", "材料可以邮寄吗，邮寄地址是哪", "题库资源从哪里获取",
    "附件1的联系人必须是中层干部吗", "Is there a page limit for the work plan (附件2)?", "怎么在Word里给文档加页码",
])
def test_the_forms_make_up_is_not_covered(engine, question):
    a = engine.answer(question)
    assert a.clauses == [] and a.verdict is None


def test_a_lease_is_not_said_to_count_as_proof_of_ownership(engine):
    a = engine.answer("场地是租的，租赁合同能当权属证明吗")
    assert a.verdict is None and "权属证明" in a.text and ("没有列明" in a.text or "没有说明" in a.text)


def test_rows_counted_and_dashes():
    assert not is_yes_no("附件1第二部分那个表只有6行", "zh")
    assert is_yes_no("承诺书第二条是说把经济效益放在首位？", "zh")
    assert is_yes_no("Attachment 2 is only a template - may we add our own sections to the work plan?", "en")
