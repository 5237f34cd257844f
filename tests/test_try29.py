"""try29's engine findings (a new user's report, /work/try29-report): corrections that come with a question
(English and Chinese, 省属/市属 among them), the affiliation shown by "what do you have on us", a sentence said twice
in one answer, a qualified school that cannot meet one occupation's standard, facts about the school next door,
markdown pasted into a question, and a subject word alone. The single questions are in tests/data/probe-own43.jsonl."""
import pytest

from bot.engine import dedupe_paragraphs
from bot.text import clean, strip_pasted_markup
from talk import chat, facts


@pytest.mark.parametrize("text, want", [
    ("Sorry, correction: we are a municipal school, not provincial.", "municipal"),
    ("We are a provincial school, not a municipal one.", "provincial"),
    ("我们是市属技工学校，不是省属的", "municipal"),
    ("我们不是市属的，是省属技工学校", "provincial"),
    ("我们是省属的", "provincial"),
])
def test_an_affiliation_denied_is_not_the_schools(kb, text, want):
    assert facts(kb, text).get("affiliation") == want


@pytest.mark.parametrize("text", [
    "Can we certify the students of the school next door that has no qualification?",
    "May we certify students of another school which does not hold the student qualification?",
])
def test_a_fact_of_the_school_next_door_is_that_schools(kb, text):
    assert "student_cert_qualified" not in facts(kb, text)


def test_a_school_describing_itself_keeps_its_facts(kb):
    assert facts(kb, "Can a school that is still applying for the student qualification certify its students itself?") \
        .get("student_cert_qualified") is False


@pytest.mark.parametrize("lines, ack, agency", [
    (["We are a provincial technical school with both qualifications and both classes.",
      "Sorry, correction: we are a municipal school, not provincial. Where do we send 附件3 then?"],
     "Corrected: municipal (市属) school.", "a municipal (市属) school probably files"),
    (["我们是省属技工学校，有学生认定资格", "更正：我们是市属的，不是省属的。附件3交到哪"],
     "已更正：市属技工院校。", "市属技工院校可能报所在市"),
])
def test_a_correction_of_the_affiliation_with_a_question(app, lines, ack, agency):
    *_, answer = chat(app, "aff-" + lines[0][:4], *lines)
    assert answer.startswith(ack), answer[:200]
    assert agency in answer and "省属技工院校可能报省" not in answer and "a provincial (省属) school probably" not in answer


@pytest.mark.parametrize("lines, ack", [
    (["我们有社评资质，只开了高级技工班", "更正：我们其实也开了预备技师班，那老师能认定几级"], "已更正：开办预备技师班。"),
    (["We have the social org qualification and run both classes.",
      "Correction: we do not have the social org qualification. Can we certify teachers at level 2?"],
     "Corrected: no social training evaluation organisation qualification."),
    (["我们没有社评资质", "纠正一下：我们有社评资质，能面向社会人员认定吗"], "已更正：已有社会培训评价组织资质。"),
])
def test_a_correction_with_a_question_is_acknowledged(app, lines, ack):
    *_, answer = chat(app, "corr-" + lines[1][:6], *lines)
    assert answer.startswith(ack), answer[:200]


def test_a_correction_that_changes_nothing_kept_is_not_acknowledged(app):
    [answer] = chat(app, "corr-new", "更正：我们有社评资质，能面向社会人员认定吗")
    assert not answer.startswith("已更正")  # nothing was kept before: nothing is corrected


def test_what_do_you_have_on_us_shows_the_affiliation(app):
    *_, shown = chat(app, "aff-show", "我们是市属技校，有学生认定资格，没有社评资质，只开了高级技工班", "你记的是啥")
    assert shown.startswith("本次对话记下的贵校情况：市属技工院校，已取得学生认定资格")
    *_, shown_en = chat(app, "aff-show-en", "We are a provincial school and hold the student qualification.",
                        "what do you have on us?")
    assert "provincial (省属) school" in shown_en


def test_what_to_do_first_says_each_sentence_once(app):
    *_, first = chat(app, "dup1", "我们是市属技校，有学生认定资格，没有社评资质，只开了高级技工班", "老师能认定二级吗", "那我们得先干啥")
    said = first.split("依据〔")[0]
    assert said.count("申报社会培训评价组织资质：向省或市") == 1
    assert said.count("请与联系人确认") == 1
    assert "取得资质后" in said and "/checklist" in said  # what the second paragraph adds is kept


def test_dedupe_keeps_quotes_and_compound_parts():
    quote = "依据〔2.1〕x：\n“已开展学生职业技能等级认定工作的技工院校，可按照……申报社会培训评价组织资质。”"
    text = "学校已开展学生职业技能等级认定工作，可以申报社会培训评价组织资质。\n\n" \
           "已开展学生职业技能等级认定工作的技工院校，可以申报社会培训评价组织资质。取得后可面向社会人员认定。\n\n" + quote
    out = dedupe_paragraphs(text)
    assert out.count("可以申报社会培训评价组织资质") == 1 and "取得后可面向社会人员认定" in out and out.endswith(quote)
    parts = "【第一问】\n甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未。\n\n【第二问】\n甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未。"
    assert dedupe_paragraphs(parts) == parts
    en = "No. Teachers of your own school can be certified at levels 2 and 3 only. Level 1 is not among them."
    assert dedupe_paragraphs(en) == en  # sentences keep their spaces


@pytest.mark.parametrize("profile_facts, question, want", [
    ({"student_cert_qualified": True}, "我们焊工专业达不到标准，能委托别的机构认定学生吗", "无法达到标准要求的"),
    ({"student_cert_qualified": True}, "We cant meet the standard for welding. Can we entrust another school with those students?",
     "cannot meet the standards"),
])
def test_a_qualified_school_below_one_standard_is_3_1s_second_case(engine, profile_facts, question, want):
    profile = {"institution_type": "technical_school", "social_org_qualified": False, **profile_facts}
    a = engine.answer(question, profile=profile)
    assert a.verdict == "yes" and a.clauses[0] == "3.1" and want in a.text
    assert "未取得学生认定资格" not in a.text and "no student certification qualification" not in a.text


@pytest.mark.parametrize("raw, want", [
    ("<img src=x onerror=alert(1)> **bold** [link](http://evil.example) 老师能认定二级吗", "bold 老师能认定二级吗"),
    ("[附件3](http://x.example)级别怎么填", "附件3级别怎么填"),
    ("附件3网址写http://www.school.edu.cn行吗", "附件3网址写 行吗"),
    ("`附件1` 要盖章吗", "附件1 要盖章吗"),
])
def test_pasted_markup_is_not_the_question(raw, want):
    assert strip_pasted_markup(clean(raw)) == want


def test_questionnaire_answers_keep_their_addresses():
    assert clean("http://www.qdjx.edu.cn/index.php?id=3") == "http://www.qdjx.edu.cn/index.php?id=3"


@pytest.mark.parametrize("question, lang", [
    ("<img src=x onerror=alert(1)> **bold** [link](http://evil.example) 老师能认定二级吗", "zh"),
    ("<script>alert(1)</script>老师能认定二级吗", "zh"),
    ("**Can we certify teachers at level 2?** [more](https://x.y)", "en"),
])
def test_markup_changes_neither_the_answer_nor_its_language(engine, question, lang):
    a = engine.answer(question)
    assert a.lang == lang and a.clauses[:1] == ["2.3"] and a.verdict == "conditional"


@pytest.mark.parametrize("question, clause", [("\ud800老师", "2.3"), ("老师", "2.3"), ("教师？", "2.3"), ("学生", "1.1")])
def test_a_subject_word_alone_is_its_topic_not_the_greeting(app, question, clause):
    from bot.text import scrub
    a = app.engine.answer(scrub(question))
    assert a.intent != "greeting" and a.clauses[:1] == [clause]


@pytest.mark.parametrize("question", ["老师好", "您好", "hi", "老师您好"])
def test_a_greeting_is_still_a_greeting(engine, question):
    assert engine.answer(question).intent == "greeting"


def test_an_english_attachment_1_answer_is_numbered_one_part_a_line(engine):
    a = engine.answer("What goes in attachment 1?")
    lines = [x for x in a.text.split("\n") if x[:2] in {f"{i}." for i in range(1, 10)}]
    assert [x[:2] for x in lines] == ["1.", "2.", "3.", "4.", "5.", "6."]
