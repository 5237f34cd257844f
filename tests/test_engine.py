"""The answer engine, in process: grounded answers, verdicts, follow-ups, abstention, bad input."""
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

QUOTE = re.compile(r"“[^”]+”")


def test_answer_cites_and_quotes_its_clause(engine, kb):
    a = engine.answer("我们能给老师认定二级吗？")
    assert a.intent == "teacher_certification"
    assert a.clauses[0] == "2.3"
    assert a.verdict == "conditional"
    assert "〔2.3〕" in a.text
    assert kb.clauses["2.3"]["text"] in a.text  # the clause, verbatim
    assert "社会培训评价组织资质" in a.text and "预备技师班" in a.text  # names the facts it depends on


def test_verdict_with_a_profile_is_definite(engine):
    yes = engine.answer("我们能给老师认定二级吗", profile={"social_org_qualified": True, "runs_senior_class": True,
                                                   "runs_prep_technician_class": False})
    no = engine.answer("我们能给老师认定二级吗", profile={"student_cert_qualified": True, "social_org_qualified": False})
    assert yes.verdict == "yes" and "按贵校情况" in yes.text
    assert no.verdict == "no" and "2.1" in no.clauses  # says how to get there


def test_level_outside_the_rule_is_a_no(engine):
    a = engine.answer("给教师认定一级可以吗")
    assert (a.verdict, a.clauses[0]) == ("no", "2.3")


def test_english_question_gets_an_english_answer_with_chinese_terms_and_quote(engine, kb):
    a = engine.answer("Can teachers at our school be certified at level 3?")
    assert a.lang == "en" and a.verdict == "conditional"
    assert "social training evaluation organisation" in a.text and "社会培训评价组织" in a.text
    assert kb.clauses["2.3"]["text"] in a.text
    assert not re.search(r"[\u4e00-\u9fff]{12,}", a.text.split("Source")[0].replace(kb.clauses["2.3"]["text"], ""))


def test_not_covered_says_so_suggests_topics_and_gives_contacts(engine):
    a = engine.answer("认定一次收多少钱")
    assert a.clauses == [] and a.verdict is None and a.intent is None and not a.covered
    assert "没有规定" in a.text
    assert "0531-86914920" in a.text and "0531-86018851" in a.text
    assert 1 <= len(a.suggestions) <= 3
    e = engine.answer("How much does the exam cost?")
    assert e.lang == "en" and "does not cover" in e.text and "0531" in e.text


def test_followups_resolve_against_the_previous_turn(engine):
    first = engine.answer("我们能给老师认定二级吗？")
    second = engine.answer("那一级呢？", state=first.state)
    assert (second.intent, second.verdict) == ("teacher_certification", "no")
    en1 = engine.answer("Can we certify teachers at level 3?")
    en2 = engine.answer("what about level 1?", state=en1.state)
    assert (en2.clauses[0], en2.verdict, en2.lang) == ("2.3", "no", "en")
    s1 = engine.answer("认定工种要调整怎么弄")
    s2 = engine.answer("交到哪里？", state=s1.state)
    assert s2.clauses == ["3.2"]
    a1 = engine.answer("申报社评组织要交什么材料")
    a2 = engine.answer("交到哪里？", state=a1.state)
    assert a2.clauses == ["2.2"]


def test_followup_to_another_group_switches_topic(engine):
    first = engine.answer("能给老师认定二级吗")
    second = engine.answer("那学生呢", state=first.state)
    assert second.clauses[0] == "1.1"


def test_small_talk_has_no_clauses(engine):
    for q in ("你好", "谢谢", "Hello"):
        a = engine.answer(q)
        assert a.clauses == [] and a.verdict is None and a.intent in ("greeting", "thanks")


def test_ocr_forms_and_typos_are_understood(engine):
    assert engine.answer("预各技师班的学生按什么认定").clauses[0] == "1.1"
    assert engine.answer("社平组织咋申报").clauses[0] in ("2.1", "2.2")


@pytest.mark.parametrize("bad", ["", "   ", "\x00\x01\x02", "😀😀😀", "？？？", "<script>alert(1)</script>",
                                 "'; drop table sessions; --", "{{ 7*7 }}", "%s%s%s", "\u202e\u200b", "技" * 10000])
def test_bad_input_gets_a_normal_reply(engine, bad):
    a = engine.answer(bad)
    assert isinstance(a.text, str) and a.text
    if bad == "{{ 7*7 }}":
        assert not re.search(r"(?<!\d)49(?!\d)", a.text)  # user text is never evaluated as a template


def test_long_input_is_cut_and_says_so(engine):
    a = engine.answer("老师能认定几级" + "啊" * 9000)
    assert "开头和结尾共 500 个字" in a.text


def test_a_long_paste_keeps_its_facts_and_its_question(engine):
    """try26: a 700-character paste whose question comes last was answered on its first 500 characters."""
    context = "我们是市属技工院校，社评资质还没有，开了预备技师班。" + "学校情况介绍，专业设置齐全，师资力量雄厚。" * 30
    a = engine.answer(context + "请问能给自己学校的老师认定技师吗？")
    assert a.clauses[:1] == ["2.3"] and a.verdict == "no" and "开头和结尾" in a.text


def test_non_string_question_is_handled(engine):
    assert engine.answer(None).text
    assert engine.answer(12345).text


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gets_an_answer_or_a_plain_not_covered(engine, text):
    a = engine.answer(text)
    assert a.text
    assert a.lang in ("zh", "en")
    assert a.verdict in (None, "yes", "no", "conditional")
    if a.clauses:
        assert a.intent is not None
    else:
        assert a.verdict is None
    assert set(a.to_json()) == {"id", "question", "lang", "intent", "score", "clauses", "verdict", "answer"}


def test_a_new_question_is_not_taken_for_a_followup(engine):
    first = engine.answer("where do we submit the application?")
    second = engine.answer("can we certify teachers at level 3?", state=first.state)
    assert (second.clauses[0], second.verdict) == ("2.3", "conditional")
    first = engine.answer("申报社评组织要交什么材料")
    second = engine.answer("能给老师认定三级吗", state=first.state)
    assert second.clauses[0] == "2.3"


def test_english_verdict_reads_as_sentences(engine):
    a = engine.answer("Can we certify teachers at level 1?")
    assert a.text.startswith("No. Teachers")


def test_a_known_school_gets_its_own_answer_to_an_open_question(engine):
    profile = {"institution_type": "technical_school", "student_cert_qualified": True,
               "runs_prep_technician_class": False, "runs_senior_class": True}
    a = engine.answer("学生能认定到几级", profile=profile)
    assert a.verdict is None and a.clauses[0] == "1.1"
    assert "按贵校情况" in a.text and "三级/高级工" in a.text.split("\n")[0] and "二级/技师" not in a.text.split("\n")[0]
    plain = engine.answer("学生能认定到几级")
    assert "按贵校情况" not in plain.text


def test_facts_stated_in_the_question_count(engine):
    a = engine.answer("我们是市属技校，申报材料交哪")
    assert "所在市人力资源社会保障局" in a.text
    b = engine.answer("我们学校有没有认定资格，能申报社评组织吗")  # a question, not a statement
    assert b.verdict == "conditional"


def test_a_turn_that_only_states_facts_is_noted_with_what_they_decide(engine):
    """try27: "更正一下：我们已经取得学生认定资格了" asked nothing: no policy answer on a topic it resembles, but
    the facts noted (kept for the conversation) and the capabilities they decide, each with its clauses."""
    a = engine.answer("更正一下：我们已经取得学生职业技能等级认定资格了")
    assert a.verdict is None and a.text.startswith("记下了")
    assert "为本校学生认定：可以〔1.1〕" in a.text and "面向社会人员" not in a.text  # undecided: not listed
    assert a.clauses[0] == "1.1" and a.state["facts"]["student_cert_qualified"] is True
    b = engine.answer("能给本校学生认定吗", state=a.state)
    assert b.verdict == "yes"
    # a statement that wants something, or one after a question, is not merely noted
    assert not engine.answer("我们有学生认定资格，想给外校学生认定").text.startswith("记下了")
    q = engine.answer("我们能给社会人员认定吗")
    assert not engine.answer("我们已经有社评资质了", state=q.state).text.startswith("记下了")


def test_holding_the_qualification_and_not_having_started_are_two_facts(engine):
    """try27: "有学生认定资格但还没开展过认定" holds the qualification (1.1: yes) and has not carried out
    certification yet (2.1: may not apply as a social training evaluation organisation yet)."""
    assert engine.answer("我们有学生认定资格但还没开展过学生认定，能申报社评资质吗").verdict == "no"
    assert engine.answer("我们学校有学生认定资格，但还没开展过认定，能给本校学生认定吗").verdict == "yes"
    # alone, "not started" still reads as not holding the qualification (3.1)
    assert "未取得学生认定资格" in engine.answer("我们还没开展过学生认定，能申报社评吗").text


def test_a_bare_yes_or_number_asks_nothing_but_answers_what_the_answer_before_depended_on(engine):
    """try27: "是", "2" or "5" typed after an answer got 3.1, "3+2" and 注5; they ask nothing of the notice. After an
    answer that depends on one fact, "没有" / "是" gives that fact and the question before is answered again."""
    for bare in ("是", "2", "5", "否"):
        a = engine.answer(bare)
        assert a.clauses == [] and a.verdict is None and "问题写完整" in a.text, bare
    first = engine.answer("能委托别人给我们学生认定吗")
    assert first.verdict == "conditional"
    again = engine.answer("没有", state=first.state)
    assert again.verdict == "yes" and again.clauses[0] == "3.1"
    assert again.state["facts"]["student_cert_qualified"] is False
    assert engine.answer("有的", state=first.state).verdict == "no"


def test_noted_facts_keep_what_only_a_question_states_and_where_to_file_is_2_2_for_applications(engine):
    """Review of session 15: a statement-only turn keeps "not carried out yet" (2.1) for the next question;
    where to file an application is 2.2, a scope change 3.2."""
    a = engine.answer("我们学校有学生认定资格，但还没开展过认定")
    assert "申报社会培训评价组织资质：不可以" in a.text and a.state["facts"]["student_cert_started"] is False
    assert engine.answer("能申报社评资质吗", state=a.state).verdict == "no"
    assert engine.answer("申报社评资质，材料交到哪里").clauses[0] == "2.2"
    assert engine.answer("调整认定范围的材料交到哪里").clauses[0] == "3.2"


# fix34: mechanisms found on holdout33, each in a wording of its own (not the set's)
@pytest.mark.parametrize("question, clause, verdict", [
    ("中级班的学生能按照三级认定吗", "1.1", "no"),  # the level asked before 认定 (按…认定)
    ("想多开一个工种，直接开展可以吗", "3.2", "no"),  # one more 工种 is a scope change, filed for review
    ("调整认定范围，发个函告知一下就行吧", "3.2", "no"),  # a letter is not 附件3 for 审核
    ("高级技工班只开了数控专业，能给机电专业老师认定二级吗", "2.3", "no"),  # not 相应专业教师
    ("是不是要优先给我们自己的学生认定", "3.3", "no"),  # 3.3's first groups are not the school's own students
    ("光有社评资质能给老师认定吗", "2.3", "no"),  # the classes too
    ("是不是没有社评资质就没法给老师认定了", "2.3", "yes"),  # the negated proposition confirmed as asked
    ("能给社会人员认定吗，我们社评资质去年就批了", "2.1", "yes"),  # a fact after the question
    ("We run no preparatory class and no senior class. We have social_org. Can we certify teachers?", "2.3", "no"),
])
def test_fix34_mechanisms(engine, question, clause, verdict):
    a = engine.answer(question)
    assert (a.clauses[:1], a.verdict) == ([clause], verdict), a.text


def test_fix34_facts_after_a_question_mark_and_a_salutation(engine, kb):
    from bot.text import facts_in, normalize_zh
    q = "难道没有社评资质就不能给本校学生认定了？我们学生认定资格是有的"
    assert facts_in(q, kb.lexicon, normalize_zh(q, kb.lexicon)).get("student_cert_qualified") is True
    a = engine.answer("老师您好🙏 我们有社评资质，能给职业培训机构的学员认定吗？")  # 老师 addresses the person asked
    assert (a.clauses[:1], a.verdict) == (["3.3"], "yes")
    assert engine.answer("老师认定二级要几年教龄").clauses == []  # a personal condition the notice does not set


@pytest.mark.parametrize("q", ["技工院校教师能兼职吗", "技校生可以入党吗", "技工院校学生可以出国吗", "技校学生有没有医保",
                               "高级技师可以带徒弟吗", "我们是技工学校，想问一下：技校学生有没有医保"])
def test_a_question_whose_only_words_of_the_notice_name_its_subject_is_not_covered(engine, q):
    # fix33: 学生/教师/技工院校 say whom it is about; what is asked of them (兼职, 入党) is not the notice's
    a = engine.answer(q)
    assert (a.clauses, a.verdict) == ([], None)


@pytest.mark.parametrize("q, clause", [("学生能认定吗", "1.1"), ("技工院校教师能认定吗", "2.3"), ("本校学生能直接认定吗", "1.1"),
                                       ("老师三级能认吗", "2.3"), ("给教师认定一级可以吗", "2.3")])
def test_a_subject_with_a_word_of_certification_is_still_answered(engine, q, clause):
    a = engine.answer(q)
    assert a.clauses and a.clauses[0] == clause


@pytest.mark.parametrize("q", ["孩子在技校读书，初中毕业读技校是什么文凭", "我们是技工学校，想问一下：什么是职业技能鉴定?"])
def test_a_statement_of_whom_it_is_about_does_not_make_the_question_the_notices(engine, q):
    # fix33: the asking segment, read alone, is what the notice does not cover (a diploma, a definition)
    a = engine.answer(q)
    assert (a.clauses, a.verdict) == ([], None)


@pytest.mark.parametrize("q", ["有社评资质的学校可以申请贷款吗", "没有认定资格的学校可以申请助学贷款吗", "金蓝领学员可以办理户口吗"])
def test_a_yes_no_question_whose_predicate_the_notice_never_speaks_of_is_not_covered(engine, q):
    # fix33: whoever the subject is (facts about it included), "申请贷款" is not the notice's: no 'yes' from 3.1 or 2.1
    a = engine.answer(q)
    assert (a.clauses, a.verdict) == ([], None)


@pytest.mark.parametrize("q, clause", [("有社评资质的学校可以给社会人员认定吗", "2.1"), ("没有认定资格的学校可以委托别的学校认定吗", "3.1")])
def test_a_predicate_of_certification_keeps_its_answer(engine, q, clause):
    a = engine.answer(q)
    assert clause in a.clauses and a.verdict is not None


def test_a_template_with_nothing_for_jinja_is_kept_as_the_text_it_renders_to(engine):
    """`Engine.template` keeps a reply or answer text with no {{ }}, {% %} or {# #} as it is (stripped): Jinja
    renders each of them to that very text."""
    import jinja2

    env = jinja2.Environment(autoescape=False, undefined=jinja2.ChainableUndefined, keep_trailing_newline=False)
    sources = [v for lang in ("zh", "en") for v in engine.kb.replies[lang].values()]
    sources += [t for i in engine.kb.intents.values() for t in (i.answer_zh, i.answer_en)]
    plain = [s for s in sources if isinstance(s, str) and isinstance(engine.template(s), str)]
    assert len(plain) > 50
    for s in plain:
        assert engine.render(s) == env.from_string(s).render(facts=engine.kb.facts).strip() == engine.template(s)
    assert not isinstance(engine.template("{{ x }}\r\n"), str) and not isinstance(engine.template("a\r\nb"), str)
    assert engine.render(" 好的\n") == "好的"
