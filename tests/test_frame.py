"""Reading a question into a frame: stated facts, asked elements, statements, who asks about whom."""
import re

import pytest

from bot import frame
from bot.text import class_facts, facts_in, normalize_zh


def norm(kb, text):
    return normalize_zh(text, kb.lexicon)


@pytest.mark.parametrize("text, expected", [
    ("咱学校社评资质拿到了，可是只办了中级工班，高技班和预备技师班都没开",
     {"social_org_qualified": True, "runs_prep_technician_class": False, "runs_senior_class": False}),
    ("我校已是社评组织，预备技师班、高级技工班都有在办",
     {"social_org_qualified": True, "runs_prep_technician_class": True, "runs_senior_class": True}),
    ("我们只有学生认定资格，没申报社评", {"student_cert_qualified": True, "social_org_qualified": False}),
    ("我们学生认定已经搞了两年了", {"student_cert_qualified": True}),
    ("我们这边条件一直达不到标准", {"student_cert_qualified": False}),
    ("社评资质有，可学校就办了中级班", {"social_org_qualified": True, "runs_prep_technician_class": False,
                                   "runs_senior_class": False}),
])
def test_facts_stated_in_a_question(kb, text, expected):
    facts = facts_in(text, kb.lexicon, norm(kb, text))
    assert {k: facts.get(k) for k in expected} == expected


@pytest.mark.parametrize("text, key", [
    ("想委托一家培训公司给我们学生认定，人家没社评资质", "social_org_qualified"),
    ("我们技校没认定资格，本校老师想认定，能去有社评资质的技校认定吗", "social_org_qualified"),
    ("委托给一家没有社评资质的公司行吗", "social_org_qualified"),
])
def test_facts_about_another_party_are_not_the_askers(kb, text, key):
    assert key not in facts_in(text, kb.lexicon, norm(kb, text))


def test_asking_whether_is_not_stating():
    assert class_facts("有没有高级技工班") == {}


@pytest.mark.parametrize("text, kind", [
    ("申报截止到哪天", "when"), ("批下来要多久", "duration"), ("注册资金最低多少", "amount"),
    ("一个工种最少要多少学生", "minimum"), ("在哪个网站上报", "website"), ("江苏是怎么规定的", "province"),
    ("二级能对应职称吗", "equivalence"), ("什么是职业技能等级认定", "definition"), ("帮我写个总结", "writing"),
])
def test_asked_elements_the_notice_does_not_supply(kb, text, kind):
    ask = frame.unsupplied_ask(kb.asks, [norm(kb, text), text.lower()])
    assert ask is not None and ask.kind == kind


@pytest.mark.parametrize("text", ["这个通知是哪天发的", "3+2的学生什么时候参加认定", "人社职司便函〔2019〕52号是什么文件",
                                  "网址那栏能空着吗", "老师最高能认定几级"])
def test_asked_elements_the_notice_does_supply(kb, text):
    assert frame.unsupplied_ask(kb.asks, [norm(kb, text), text.lower()]) is None


@pytest.mark.parametrize("text, clause, verdict", [
    ("场地那栏不附权属证明行不行", "att1.n3", "no"), ("场地设备要附权属证明吗", "att1.n3", "yes"),
    ("级别之间能用逗号吗", "att3.n5", "no"), ("同一职业的几行要合并单元格吗", "att3.n6", "no"),
    ("换了联系人要不要重新报附件3", "att3.n7", "yes"), ("改过的单元格能标红吗", "att3.n7", "no"),
    ("工作方案能加模板以外的内容吗", "att2", "yes"), ("搞人才评价能以营利为目的吗", "att1.pledge", "no"),
    ("金蓝领学员可以优先认定吗", None, None),
])
def test_statements_of_the_notice(kb, text, clause, verdict):
    st = frame.statement_for(kb.statements, [norm(kb, text), text.lower()])
    assert (st.clause, st.verdict) == (clause, verdict) if clause else st is None


@pytest.mark.parametrize("text, about, action", [
    ("我们有社评资质，能给别的技校的学生认定吗", "other_students", "serve"),
    ("我们学校有社评资质，能给别的技校的老师认定吗", "other_teachers", "serve"),
    ("能给金蓝领培训的学员认定吗", "trainees", "serve"),
    ("本校老师能去有社评资质的技校认定吗", "own_teachers", "elsewhere"),
    ("学生认定能委托别的学校吗", "own_students", "entrust"),
    ("能自己给本校学生搞认定吗", "own_students", "self"),
    ("学生能直接在本校认定吗", "", ""),
])
def test_who_asks_about_whom(kb, text, about, action):
    n = norm(kb, text)
    groups = [g for w, g in (("教师", "teacher"), ("学生", "student")) if w in n]
    w = frame.who_and_what([n, text.lower()], groups)
    assert (w.about, w.action) == (about, action)


@pytest.mark.parametrize("text, expected", [
    ("注册的是中级工层次的学生，能直接认定高级工吗", (4, 3)), ("学生注册的预备技师层次，直接认定预备技师级别可以不", (2, 2)),
    ("初级班的教学计划读完了，认定初级没问题吧", (5, 5)), ("学生能认定几级", (None, None)),
])
def test_registered_training_level(kb, text, expected):
    assert frame.registered_level(norm(kb, text)) == expected


def test_compound_questions_are_split_statements_kept_with_their_question(engine):
    split = lambda t: frame.split_questions(t, "zh", engine._is_question)
    assert split("哪天发的，依据哪些文件") == ["哪天发的", "依据哪些文件"]
    assert split("我们有社评资质，只办了高级技工班，老师能认定三级吗") == ["我们有社评资质，只办了高级技工班，老师能认定三级吗"]
    assert split("发文日期和联系人电话分别是什么") == ["发文日期分别是什么", "联系人电话分别是什么"]


def test_compound_answer_cites_both_parts_first_asked_first(engine):
    a = engine.answer("这文啥时候发的？根据的哪些文件？")
    assert a.clauses[:2] == ["meta", "preamble"] and "2021" in a.text and "90号" in a.text


def test_not_covered_names_the_missing_element_and_the_related_clause_only_as_context(engine):
    a = engine.answer("申报社评资质截止到什么时候")
    assert a.clauses == [] and a.verdict is None and a.intent is None
    assert "没有规定" in a.text and "仅供参考" in a.text


def test_a_verdict_the_unknown_facts_cannot_change_is_definite(engine):
    a = engine.answer("没有社评资质能给社会人员认定吗")
    assert a.verdict == "no" and a.clauses[0] == "2.1"


def test_short_followup_that_matches_nothing_does_not_crash(engine):
    first = engine.answer("学生能认定几级")
    a = engine.answer("省属", state=first.state)
    assert a.text


@pytest.mark.parametrize("text, expected", [
    ("我们社评资质刚批下来，高级技工班一直有", {"social_org_qualified": True, "runs_senior_class": True}),
    ("学校有预备技师班，但社评资质还在审批", {"runs_prep_technician_class": True, "social_org_qualified": False}),
    ("我校学生认定资格尚未取得", {"student_cert_qualified": False}),
])
def test_facts_in_any_word_order(kb, text, expected):
    facts = facts_in(text, kb.lexicon, norm(kb, text))
    assert {k: facts.get(k) for k in expected} == expected


def test_facts_in_english_statements(kb):
    from bot.text import normalize_en

    text = "We hold the social org qualification but run no senior or preparatory technician classes."
    facts = facts_in(text, kb.lexicon, normalize_en(text, kb.lexicon))
    assert (facts["social_org_qualified"], facts["runs_senior_class"], facts["runs_prep_technician_class"]) == \
        (True, False, False)


def test_a_question_segment_states_no_fact(kb):
    assert "social_org_qualified" not in facts_in("我们能申报社评吗", kb.lexicon, norm(kb, "我们能申报社评吗"))


@pytest.mark.parametrize("text, verdict", [
    ("同一职业的工种不用合并单元格对吧", "yes"), ("附件3不用涂黄吧", "no"), ("附件1的第四项不需要附权属证明吧", "no"),
    ("是不是不能给老师认定一级", "yes"), ("同一职业的工种要合并单元格吗", "no"),
])
def test_confirmations_of_negated_propositions(engine, text, verdict):
    assert engine.answer(text).verdict == verdict


@pytest.mark.parametrize("text, verdict", [
    ("有社评资质的技校 也不是不能给金蓝领培训学员做认定吧", "yes"),  # a double negative reads as the positive
    ("附件2工作方案也不是不能加模板以外的内容吧", "yes"),
    ("是不是不能给老师认定一级", "yes"),  # 是不是 + 不能 is no double negative
    ("附件2难道不能增加内容吗", "yes"),  # rhetorical: surely it can
])
def test_double_negatives(engine, text, verdict):
    assert engine.answer(text).verdict == verdict


@pytest.mark.parametrize("text, expected", [
    ("社评资质还没申请下来", False), ("社评资质批文还没下来", False),  # not yet obtained: "not now"
    ("等社评资质申下来以后，这两个工种能对社会人员认定吗", True),  # a question about the time after it is obtained
])
def test_not_yet_and_once_obtained(kb, text, expected):
    assert facts_in(text, kb.lexicon, norm(kb, text)).get("social_org_qualified") is expected


@pytest.mark.parametrize("text, clause, verdict", [
    ("学生教学计划还没修完，学校是有认定资格的，能不能先给他认定了再说？", "1.1", "no"),
    ("学籍注册在别的学校的学生 在我们这儿跟班上课 能按本校学生直接给他认定吗", "1.1", "no"),
    ("申报材料要是有不实的地方 按承诺是不是要自愿退出申报", "att1.pledge", "yes"),
    ("预备技师班、高级技工班都开了，但社评资质还没申请下来，能先给老师认定吗", "2.3", "no"),
    ("认定出了差错，主体责任在人社部门吧，学校不用担责吧", "3.4", "no"),
    ("Can our school run skill level certification for people from society, not only for our own students?", "2.1", "conditional"),
])
def test_wrong_direction_classes_of_holdout7(engine, text, clause, verdict):
    a = engine.answer(text)
    assert (a.clauses[:1], a.verdict) == ([clause], verdict)


def test_an_asked_element_whose_subject_is_in_an_earlier_segment(engine):
    assert engine.answer("分段注册的学生比如3+2 啥时候认定").clauses[:1] == ["1.2"]
    assert engine.answer("新型学徒制是什么意思 具体怎么搞").clauses == []


@pytest.mark.parametrize("text, verdict", [
    ("附件3修改的地方也不是非要涂黄吧", "no"), ("附件3级别之间也不是一定要用顿号吧", "no"),  # negated necessity
    ("诚信承诺里没有要求接受公众监督吧", "no"),
    ("Teachers can't be certified at level 1, right?", "yes"),  # English confirmations turned round too
    ("We don't need to attach proof of ownership for the premises, do we?", "no"),
])
def test_negated_necessity_and_english_confirmations(engine, text, verdict):
    assert engine.answer(text).verdict == verdict


def test_english_confirmation_does_not_say_right_no(engine):
    text = engine.answer("Teachers can't be certified at level 1, right?").text
    assert text.startswith("Right. ") and not text.startswith("Right. No")


def test_a_word_of_the_glossary_inside_another_word_is_not_replaced(kb):
    assert "社会人员" not in norm(kb, "需要多少名专职工作人员")


def test_unless_otherwise_not_reads_as_a_requirement(engine):
    assert engine.answer("除非有社评资质，否则不能面向社会人员认定，对吧").verdict == "yes"
    assert engine.answer("Unless we hold the social qualification, we cannot certify the public, right?").verdict == "yes"


def _labelled_texts(kb, step=1):
    import json
    from pathlib import Path

    texts = []
    for f in sorted((Path(__file__).parent / "data").glob("*.jsonl")):
        for line in f.read_text(encoding="utf-8").splitlines()[::step]:
            if line.strip():
                q = json.loads(line)["question"]
                texts += [norm(kb, q), q]
    return texts


def test_the_tables_index_never_hides_a_row(kb):
    """`Table.rows_for` (one scan of the text for the strings the asks' and statements' patterns need) is a
    necessary condition: over the labelled questions, as normalised and as typed, each ask one of whose
    patterns matches and each statement all of whose patterns match is among the rows it selects, and it
    selects few rows (else it is not worth having)."""
    selected = total = 0
    for t in _labelled_texts(kb, 2):
        asks = kb.asks.rows_for([t], every=False)
        assert asks == sorted(asks)
        assert {i for i, a in enumerate(kb.asks) if any(frame.search(p, [t]) for p in a.when)} <= set(asks), t
        statements = kb.statements.rows_for([t], every=True)
        assert {i for i, s in enumerate(kb.statements) if all(frame.search(p, [t]) for p in s.when)} <= set(statements), t
        selected += len(asks) + len(statements)
        total += len(kb.asks) + len(kb.statements)
    assert total > 100000 and selected < total * 0.1


def test_the_tables_index_reads_upper_case_and_several_texts(kb):
    """Anchors are read in the lower-cased text, literal words in the text as it is; several texts are one."""
    t = frame.Table(kb.asks)  # a table of its own: the index is built for it
    text = "WHICH WEBSITE do we use"
    matching = {i for i, a in enumerate(t) if any(frame.search(p, [text]) for p in a.when)}
    assert matching and matching <= set(t.rows_for([text], every=False))
    one = set(t.rows_for(["申报截止到哪天"], every=False)) | set(t.rows_for(["在哪个网站上报"], every=False))
    assert set(t.rows_for(["申报截止到哪天", "在哪个网站上报"], every=False)) == one
    assert frame.Table().rows_for(["anything"], every=False) == []


def test_the_fact_patterns_gate_never_hides_a_fact(kb):
    """`facts_in` searches only the fact patterns its gate lets through: over every labelled question (as
    normalised and as typed), each fact pattern that matches is let through, and most are not."""
    gate = kb.lexicon.fact_gate()
    let = total = 0
    for t in _labelled_texts(kb):
        can = gate.possible([t])
        for pattern, _, _ in kb.lexicon.fact_patterns:
            if pattern.search(t):
                assert pattern.pattern in can, (pattern.pattern, t)
        let += len(can)
        total += len(kb.lexicon.fact_patterns)
    assert total > 100000 and let < total * 0.3


def test_an_ask_or_statement_list_answers_as_the_indexed_table(kb):
    """A plain list of rows (a caller's own selection) is read as its table: the same first row."""
    for text in ("申报截止到哪天", "场地那栏不附权属证明行不行", "江苏是怎么规定的"):
        texts = [norm(kb, text), text.lower()]
        assert frame.unsupplied_ask(list(kb.asks), texts) is frame.unsupplied_ask(kb.asks, texts)
        assert frame.statement_for(list(kb.statements), texts) is frame.statement_for(kb.statements, texts)


def test_the_strings_every_match_contains_never_hide_a_match(kb):
    """`_found` skips an expression when the text holds none of the strings every match of it contains
    (`compute_anchors`, read by `kb build` for the knowledge and the reading code's expressions): over the
    labelled questions (as normalised and as typed, upper case too), no skipped expression would have matched."""
    from bot import lazyre

    texts = _labelled_texts(kb, 5)
    patterns = sorted(kb.patterns) + [p for p in lazyre._ALL if frame.anchors(p) is not None]
    checked = skipped = 0
    for p in patterns:
        got = frame.anchors(p)
        if got is None:
            continue
        flags = re.I if isinstance(p, str) else p.flags
        compiled = re.compile(p if isinstance(p, str) else p.pattern, flags)
        for t in texts:
            closed = not any(a in t.lower() for a in got)
            checked += 1
            skipped += closed
            assert not (closed and compiled.search(t)), (getattr(p, "pattern", p), t)
    assert checked > 100000 and skipped > checked * 0.7
    assert frame.compute_anchors(r"批次|截止|\d+号(文件)?") == {"批次", "截止", "号"}  # no common start, a word in each


def test_warming_compiles_the_knowledge_and_changes_no_answer(kb):
    from bot.engine import Engine

    questions = ["我们能给老师认定二级吗", "附件3级别之间能用逗号吗", "申报截止到哪天", "can we certify teachers at level 2?"]
    cold = [Engine(kb).answer(q).to_json() for q in questions]
    warm = Engine(kb)
    warm.warm()
    assert all(frame.rx(p) is not None for p in kb.patterns if frame.literals(p) is None)
    assert frame.rx.cache_info().currsize >= sum(frame.literals(p) is None for p in kb.patterns)
    assert [warm.answer(q).to_json() for q in questions] == cold


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_NEG_ALPHABET = st.sampled_from(list("不没有无未尚学生资质认定"))


@settings(max_examples=400, deadline=None)
@given(word=st.text(_NEG_ALPHABET, min_size=1, max_size=3), text=st.text(_NEG_ALPHABET, max_size=40))
def test_a_word_said_only_negated_is_read_as_the_expression_would(word, text):
    """`_without_negated` removes "negation + word" as `re.sub` of the negations' alternation would (the first
    negation in order that the word follows, left to right, matches not overlapping), without compiling one
    expression per word."""
    expected = re.sub(frame._NEGATED_IN_CLAUSE + re.escape(word), "", text)
    assert frame._without_negated(word, text) == expected
