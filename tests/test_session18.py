"""Session 18's own mends, on the real engine over the real knowledge base: an A-not-A modal is a question, not a
negation; a permission asked as an obligation is answered no; 报 before 表 is a verb."""
from __future__ import annotations

import pytest

from bot import frame
from bot.engine import Engine, asks_must
from bot.kb import KBError, _check_statements


@pytest.fixture(scope="module")
def engine(kb):
    return Engine(kb)


@pytest.mark.parametrize("q", ["换了联系人需不需要重新报附件3", "调整工种需不需要报附件3", "调整工种用不用报附件3",
                               "换了联系人要不要重新报附件3", "机构信息改了要重新报表吗", "联系电话变了需要重报吗"])
def test_an_a_not_a_modal_asks_it_does_not_say_no_need(engine, q):
    """"需不需要重新报" holds the characters of "不需要重新报" (注7's "no need to re-file?" statement, answered 不行):
    statements read the modal once, so the question gets 注7's / 3.2's 需要."""
    a = engine.answer(q)
    assert a.verdict == "yes" and a.clauses[0] in ("att3.n7", "3.2") and a.text.startswith("需要"), (q, a.verdict, a.text[:40])


def test_modal_said_once():
    assert frame.modal_said_once("需不需要重新报附件3") == "需要重新报附件3"
    assert frame.modal_said_once("可不可以不填") == "可以不填"  # the asked omission stays
    assert frame.modal_said_once("不需要重新报") == "不需要重新报"  # a plain negation stays
    assert frame.modal_said_once("要不要先有社评") == "要先有社评"


@pytest.mark.parametrize("q", ["附件2必须加其他内容吗", "工作方案一定要写第七部分吗", "工作方案需不需要写模板以外的内容",
                               "Do we have to add extra content to the work plan?"])
def test_a_permission_asked_as_an_obligation_is_answered_no(engine, q):
    """附件2 第七部分: 各评价机构可根据自身情况增加内容 — allowed, not required."""
    a = engine.answer(q)
    assert a.verdict == "no" and a.clauses[0] == "att2", (q, a.verdict, a.clauses)
    assert a.text.startswith(("不是必须的", "No, it is not required")), a.text[:40]


@pytest.mark.parametrize("q", ["工作方案能加模板以外的内容吗", "Can we add extra content to the work plan?"])
def test_the_same_permission_asked_as_a_permission_stays_yes(engine, q):
    a = engine.answer(q)
    assert a.verdict == "yes" and a.clauses[0] == "att2"


def test_asks_must():
    assert asks_must("附件2必须加其他内容吗", "zh") and not asks_must("附件2能加其他内容吗", "zh")
    assert asks_must("Do we have to add pages?", "en") and not asks_must("Can we add pages?", "en")


def test_kb_build_refuses_may_on_a_no_statement(tmp_path):
    clauses = {"att2": {}}
    bad = {"statement": [{"clause": "att2", "verdict": "no", "may": True, "when": ["附件2"]}]}
    with pytest.raises(KBError, match="may"):
        _check_statements(bad, clauses, tmp_path / "statements.toml")
    _check_statements({"statement": [{"clause": "att2", "verdict": "yes", "may": True, "when": ["附件2"]}]}, clauses,
                      tmp_path / "statements.toml")


def test_a_denied_provincial_affiliation_reads_as_municipal(kb):
    """The notice writes to 各市人社局 and 省属技工院校: a school that says it is not 省属 files through its city (the
    agency inferred); "not 市属" infers nothing (it may be 县属, 民办…)."""
    from bot.text import facts_in

    assert facts_in("我们不是省属的，附件3报哪", kb.lexicon).get("affiliation") == "municipal"
    assert "affiliation" not in facts_in("我们不是市属的，附件3报哪", kb.lexicon)
    assert "affiliation" not in facts_in("我们不是省属的，是县属的", kb.lexicon)
    assert facts_in("我们是市属的，不是省属的", kb.lexicon).get("affiliation") == "municipal"


def test_an_opening_describing_our_school_after_women_shi_is_noted(engine):
    """"您好，我们是青岛的一所市属技师学院": 市属 before 技工院校 describes the asker's own school (not another party's)."""
    a = engine.answer("您好，我们是青岛的一所市属技师学院")
    assert a.clauses == [] and a.verdict is None and "市属" in a.text and "没有规定" not in a.text


@pytest.mark.parametrize("q", ["省属学校只能报省厅吗", "Are provincial schools required to file with the province only?"])
def test_only_the_province_is_answered_no(engine, q):
    """The notice names the province's or the city's agency (2.2, 3.2) for every filing: "only the province?" is no."""
    a = engine.answer(q)
    assert a.verdict == "no" and a.clauses[:2] == ["2.2", "3.2"], (a.verdict, a.clauses)


# ---------------------------------------------------------------- session 18's review of own18 + fix39


@pytest.mark.parametrize("q, verdict", [
    ("I want to certify teachers at level 1. We have the social org qualification. Can we?", "no"),
    ("We want to certify our teachers at level 2. We have the student certification qualification, no social org status. Can we?", "no"),
    ("想给社会人员认定。我们只有学生认定资格，没社评。行吗？", "no"),
    ("附件3只报市人社局就可以了吧？", "yes"),
    ("申报材料只交给市人社局可以吗？", "yes"),
    ("我们是市属技校，通知主送了各省属技工院校，是不是不包括我们？", "no"),
    ("附件1必须加行吗？", "no"),
    ("附件2一定得加其他内容吗？", "no"),
    ("工作方案是否应当增加模板以外的内容？", "no"),
])
def test_review_wrong_verdicts_mended(engine, q, verdict):
    a = engine.answer(q)
    assert a.verdict == verdict, (q, a.verdict, a.clauses, a.text[:60])


@pytest.mark.parametrize("q", ["市属企业适用这个通知吗？", "Does the notice apply to a city-run training company?",
                               "双随机抽查只是市人社局搞吗？", "我们是企业，是不是要按照谁评价谁发证谁负责的原则？",
                               "我们学校没有学生认定资格也没有社评资质，是不是要按49号、50号文件做好制度建设？"])
def test_review_no_verdict_the_notice_does_not_give(engine, q):
    assert engine.answer(q).verdict is None, q


def test_review_facts_of_another_party_or_an_unopened_class(kb):
    from bot.text import facts_in

    assert facts_in("We are a municipal school working with a college holding the student certification qualification.",
                    kb.lexicon).get("student_cert_qualified") is not True
    assert facts_in("我们就是一所有学生认定资格的学校隔壁的技校", kb.lexicon).get("student_cert_qualified") is not True
    assert facts_in("预备技师班还在招生筹备阶段，还没开班", kb.lexicon).get("runs_prep_technician_class") is not True
    assert "affiliation" not in facts_in("我们不是省属的，是部属的技工院校", kb.lexicon)


def test_review_a_may_flip_leaves_no_contrary_yes_below(engine):
    a = engine.answer("Must we add rows to attachment 1?")
    assert a.verdict == "no" and "\n\nYes." not in a.text


# ---------------------------------------------------------------- session 18's second review (fix40, fix41)


@pytest.mark.parametrize("q, verdict, first", [
    ("领导让我核对一下，这个通知是2021年8月2日印发的吗", "no", "meta"),  # 8月2日 is in 8月12日's characters, not its date
    ("我们学校以前就有社评资质，开了高级技工班，老师能认定三级吗", "yes", "2.3"),  # 以前就有: held, not "before approval"
    ("社评资质我们之前就拿到了，也开了高级技工班，能给老师认定三级吗", "yes", "2.3"),
    ("社评资质批下来前，我们老师可以先找外校认定吗", "yes", "3.3"),  # fix40's reading still holds
    ("我们是一家制造企业，附件1机构性质勾技工院校对吗", "no", "att1"),
    ("三级就是高级工，我们老师能认定三级吗？我们有社评资质，开了高级技工班", "yes", "2.3"),
    ("我校有社评资质，可以帮外校认定吗", "yes", "3.3"),
])
def test_second_review_mends(engine, q, verdict, first):
    a = engine.answer(q)
    assert a.verdict == verdict and a.clauses[:1] == [first], (q, a.verdict, a.clauses, a.text[:50])


def test_a_training_company_is_not_told_to_tick_enterprise(engine):
    a = engine.answer("我们是培训公司，附件1机构性质勾民办职业培训机构对吗")
    assert a.verdict != "no" and "勾“企业”" not in a.text
