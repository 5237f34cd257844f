"""Review of session 16's change: what the try28 fixes must not catch (a genuine question read as "what do you
have on us", a certification question about a described group declined as subject-only, a supposition or a
supposed correction kept as a fact, a web address refused as a question, a forged choice button)."""
import pytest

from bot.dialogue import Dialogue
from test_dialogue import press
from test_try28_dialogue import ORG, SCOPE, q_of, run


@pytest.mark.parametrize("question", ["你知道我们什么时候可以申报社评资质吗", "您了解我们什么情况下能给老师认定吗",
                                      "认定过程要记录哪些信息", "附件3要保存什么信息"])
def test_genuine_questions_are_not_read_as_asking_for_the_facts_kept(engine, question):
    assert engine.answer(question).clauses, question


@pytest.mark.parametrize("question", ["你记的是啥", "我们现在有啥资质你记的是啥", "您记下了我们哪些情况？"])
def test_asking_for_the_facts_kept_still_shows_them(engine, question):
    a = engine.answer(question)
    assert not a.clauses and "记下" in a.text and "贵校" in a.text, a.text


@pytest.mark.parametrize("question", ["青年教师能评二级吗", "骨干教师能考技师吗", "一线教师能评三级吗"])
def test_a_described_group_asked_about_certification_is_answered(engine, question):
    a = engine.answer(question)
    assert a.clauses[:1] == ["2.3"] and a.verdict, (question, a.clauses, a.verdict)


@pytest.mark.parametrize("question", ["技工院校教师能兼职吗", "高级技师可以带徒弟吗"])
def test_a_subject_with_a_foreign_predicate_is_still_declined(engine, question):
    assert not engine.answer(question).clauses


@pytest.mark.parametrize("turns, kept", [
    (["我们没有社评资质", "那等有了社评资质能给老师评二级吗"], {"social_org_qualified": False}),
    (["若有社评资质，能给老师评二级吗"], {}),
    (["一旦有了社评资质，能面向社会人员认定吗"], {}),
    (["我们有社评资质", "更正：假如我们没有社评资质"], {"social_org_qualified": True}),
])
def test_suppositions_are_never_kept(engine, turns, kept):
    state = {}
    for t in turns:
        state = engine.answer(t, state=state).state
    assert {k: v for k, v in (state.get("facts") or {}).items() if k == "social_org_qualified"} == kept


def _to_website(d, user):
    replies = run(d, user, SCOPE)
    for value in ORG:
        if q_of(d, user)["pending"] == "org.website":
            return replies
        replies = press(d, user, replies, "跳过") if value == "跳过" else d.handle_text(user, value)
    raise AssertionError("never reached the website prompt")


def test_a_web_address_with_a_query_is_saved_as_the_website(app):
    d = Dialogue(app)
    _to_website(d, "r16")
    d.handle_text("r16", "http://www.qdjx.edu.cn/index.php?id=3")
    assert q_of(d, "r16")["answers"]["org"]["website"] == "http://www.qdjx.edu.cn/index.php?id=3"


def test_a_forged_choice_index_changes_nothing(app):
    d = Dialogue(app)
    d.handle_text("r16b", "/check")
    q = q_of(d, "r16b")
    before = dict(q["answers"])
    replies = d.handle_button("r16b", f"a:{q.get('step', 0)}:-1")
    assert q_of(d, "r16b")["answers"] == before and q_of(d, "r16b")["pending"] == q["pending"]
    assert replies and replies[0].text
