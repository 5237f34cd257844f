"""Session 17's review: what its second reading of the day's change found and mended (the real engine over the
real knowledge base; the questionnaire through bot/dialogue.py over a real SQLite store)."""
from __future__ import annotations

import sys
import threading

import pytest

from bot import frame
from bot import questionnaire as qn
from bot.dialogue import Dialogue
from bot.engine import Engine, dedupe_paragraphs


@pytest.fixture(scope="module")
def engine(kb):
    return Engine(kb)


def test_a_short_opening_does_not_make_later_sentences_repeats(engine):
    """fix37's de-duplication kept a short "可以。"/"不是。" as a sentence seen, and any later sentence holding its
    characters was dropped: the teachers' answer lost its explanation and its "请与联系人确认"."""
    assert "通知不是按省属市属区分" in dedupe_paragraphs("不是。\n\n通知不是按省属市属区分的，省或市均可。")
    a = engine.answer("我们学校有高级技工班，没有预备技师班，社评资质也有，老师能认定三级吗")
    head = a.text.split("\n\n")[0]
    assert a.verdict == "yes" and "本校相应专业教师" in head and "请与联系人确认" in head
    a = engine.answer("第四项场地能不能附权属证明")
    assert "通知没有列明哪些材料可以作为权属证明" in a.text


def test_may_is_never_turned_into_must(engine):
    """附件2: 各评价机构可根据自身情况增加内容 — adding is allowed, not required: the answer never opens "需要"."""
    for q in ("附件2必须加其他内容吗", "附件2工作方案需要增加其他内容吗", "附件1写不下需要增页吗"):
        assert not engine.answer(q).text.startswith("需要"), q


def test_a_schools_own_teachers_of_its_college_programmes_are_not_other_schools_teachers(engine):
    for q in ("我们学校本科的老师能认定二级吗", "我们技师学院里高职的老师能认定二级吗"):
        a = engine.answer(q)
        assert a.clauses[:1] == ["2.3"], (q, a.text[:80])
    assert engine.answer("高职院校的老师能认定二级吗").clauses == []  # another kind of school: not the notice's


def test_a_teacher_of_a_major_that_runs_the_class_is_not_cross_major(engine):
    a = engine.answer("我们数控和焊接专业都开了预备技师班，焊接专业以外的数控老师也能认定吗")
    assert a.verdict != "no", a.text[:120]
    assert engine.answer("可以跨专业给老师认定吗").verdict == "no"


def test_whether_a_school_issues_certificates_itself_depends_on_its_qualification(engine):
    a = engine.answer("学校可以自己发证吗")
    assert a.verdict == "conditional" and a.clauses[:1] == ["3.4"]
    assert engine.answer("我们没有学生认定资格，可以自己发证吗").verdict == "no"


def test_many_strings_are_looked_for_safely_from_several_threads():
    """The web channel answers in a thread pool: an automaton is shared only once it is built (it was stored
    before its words were added: "Not an Aho-Corasick automaton yet" in one run of ten)."""
    errors = []
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        for round_ in range(20):
            strings = frozenset(f"词{round_}-{i}" for i in range(3000))  # (a long build: a wide window)
            start = threading.Barrier(4)

            def look():
                start.wait()
                try:
                    frame._contains_any(strings, "这里没有那些词")
                except Exception as e:  # noqa: BLE001 - any error is the finding
                    errors.append(e)

            threads = [threading.Thread(target=look) for _ in range(4)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
    finally:
        sys.setswitchinterval(interval)
    assert not errors, errors[:1]


def test_a_word_that_names_no_option_is_refused_by_name_at_a_multi_prompt(app):
    q = qn._question(app.kb, "org.changed")
    for said in ("all", "all changed"):
        with pytest.raises(qn.Invalid) as e:
            qn.parse(q, said, "en")
        assert "all" in str(e.value)


def test_one_stray_english_word_does_not_switch_a_chinese_questionnaire(app):
    d = Dialogue(app)
    d.handle_text("z1", "/check")
    assert d.app.store.get_state("z1")["q"]["lang"] == "zh"
    d.handle_text("z1", "CNC")  # not an option's English name: refused, in Chinese
    assert d.app.store.get_state("z1")["q"]["lang"] == "zh"
    d.handle_text("z1", "technical school")  # an option's English name: the user switched
    assert d.app.store.get_state("z1")["q"]["lang"] == "en"


def test_an_opening_that_only_says_provincial_or_municipal_is_noted(engine):
    """"我们是省属技工学校" as a first message was answered "not covered"; it is noted and kept (it decides the agency
    inferred for filing); after an answer, "不对，我们是市属的" still re-asks that answer's question (try26)."""
    a = engine.answer("我们是省属技工学校")
    assert a.text.startswith("记下了") and "省属" in a.text and a.clauses == []
    assert a.state["facts"]["affiliation"] == "provincial"
    shown = engine.answer("你记的是啥", state=a.state)
    assert "省属" in shown.text
    asked = engine.answer("申报材料交给谁")
    again = engine.answer("不对，我们是市属的", state=asked.state)
    assert again.clauses[:1] == ["2.2"] and "市属技工院校可能报所在市" in again.text
