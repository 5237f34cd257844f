"""try29, the dialogue side: the questionnaire's language by one rule, English answers at choice prompts,
no 附件1 questions without 附件1, facts confirmed from the chat kept, 附件1 data in the summary.
Through bot/dialogue.py over a real SQLite store (the app fixture)."""
from __future__ import annotations

from bot import questionnaire as qn
from bot import validate as v
from bot.dialogue import Dialogue
from test_dialogue import press

P7_SAID = ["你好，我们是淄博市的一所市属技工学校，有学生认定资格，没有社评资质。我们想给本校老师做职业技能等级认定，可以吗？",
           "我们开了高级技工班，没开预备技师班"]


def q_of(d, user) -> dict:
    return d.app.store.get_state(user)["q"]


def text_of(replies) -> str:
    return "\n".join(r.text for r in replies)


def step_of(replies) -> int:
    return [r.progress for r in replies if r.progress][-1][0]


# ---------------------------------------------------------------- bug 13: confirmed facts, step, language

def test_a_fact_confirmed_from_the_chat_is_not_asked_again_and_the_step_moves(app):
    d = Dialogue(app)
    for said in P7_SAID:
        d.handle_text("p7", said)
    d.handle_text("p7", "wat about level 1 for teachers?")  # one English question in a Chinese chat
    replies = d.handle_text("p7", "/check")
    assert q_of(d, "p7")["lang"] == "zh", text_of(replies)  # the chat's language, not the last question's
    assert "市属" in text_of(replies)
    replies = press(d, "p7", replies, "是")
    first = step_of(replies)
    replies = d.handle_text("p7", "没有")  # 3+2 students
    assert step_of(replies) == first + 1  # try29: stayed at 第 7 步
    replies = d.handle_text("p7", "2,4,5")
    replies = d.handle_text("p7", "完成")
    q = q_of(d, "p7")
    assert q["answers"]["affiliation"] == "municipal"
    assert q["pending"] == "org.name" and "省属还是市属" not in text_of(replies)
    assert "affiliation" not in [k for k in q["history"][q["history"].index("goals"):]]


def test_the_questionnaire_opens_in_the_language_most_of_the_chat_was_in(app):
    d = Dialogue(app)
    d.handle_text("en1", "Can we certify teachers at level 2?")
    d.handle_text("en1", "what do we file to become a social training evaluation organisation?")
    d.handle_text("en1", "老师能认定几级")
    d.handle_text("en1", "/check")
    assert q_of(d, "en1")["lang"] == "en"


# ---------------------------------------------------------------- bug 11: one rule for the language

def start_en(d, user):
    d.handle_text(user, "Can we certify teachers at level 2?")
    replies = d.handle_text(user, "/check")
    assert q_of(d, user)["lang"] == "en"
    return replies


def test_bare_words_never_flip_the_language_other_language_words_at_a_choice_do(app):
    d = Dialogue(app)
    start_en(d, "l1")
    d.handle_text("l1", "technical school")
    for word in ("是", "yes", "1"):
        d.handle_text("l1", word)
        assert q_of(d, "l1")["lang"] == "en", word  # try29: one 是 switched the form to Chinese
    d.handle_text("l1", "否")  # prep classes
    assert q_of(d, "l1")["lang"] == "en"
    d.handle_text("l1", "是")  # senior classes
    d.handle_text("l1", "没有")  # 3+2: a colloquial no, said the same way in either language
    assert q_of(d, "l1")["lang"] == "en"
    d.handle_text("l1", "5")
    d.handle_text("l1", "done")
    assert q_of(d, "l1")["pending"] == "affiliation"
    replies = d.handle_text("l1", "市属")  # Chinese words at a choice: the user switched
    assert q_of(d, "l1")["lang"] == "zh" and q_of(d, "l1")["answers"]["affiliation"] == "municipal"
    assert "单位名称" in text_of(replies)
    d.handle_text("l1", "/back")
    replies = d.handle_text("l1", "provincial")  # and back (try29: "provincial" did not switch it back)
    assert q_of(d, "l1")["lang"] == "en" and q_of(d, "l1")["answers"]["affiliation"] == "provincial"
    assert replies[-1].text.isascii() or "Step" in replies[-1].text


def test_a_chinese_name_at_an_english_text_prompt_and_skip_keep_the_language(app):
    d = Dialogue(app)
    start_en(d, "l2")
    for word in ("technical school", "yes", "yes", "yes", "yes", "no", "5", "done", "provincial"):
        d.handle_text("l2", word)
    assert q_of(d, "l2")["pending"] == "org.name"
    d.handle_text("l2", "山东省泉城技师学院")
    assert q_of(d, "l2")["lang"] == "en"
    d.handle_text("l2", "skip")  # short name
    d.handle_text("l2", "跳过")
    assert q_of(d, "l2")["lang"] == "en"


# ---------------------------------------------------------------- bug 11: English answers understood

def to_occupation(d, user, lang_words=("technical school", "yes", "yes", "yes", "yes", "no", "5", "done", "provincial")):
    start_en(d, user)
    for word in lang_words:
        d.handle_text(user, word)
    for value in ("山东省泉城技师学院", "skip", "济南市历城区工业北路100号", "Zhang Wei", "13905310000",
                  "zhangwei@qcjsxy.edu.cn", "skip", "SD-JD-2020-015"):
        d.handle_text(user, value)
    assert q_of(d, user)["pending"] == "org.changed"


def test_english_words_at_the_choice_prompts(app):
    d = Dialogue(app)
    to_occupation(d, "e1")
    replies = d.handle_text("e1", "12")
    assert "1 to 8" in text_of(replies) and "done" in text_of(replies)  # the done/skip buttons are named too
    replies = d.handle_text("e1", "nothing changed")
    q = q_of(d, "e1")
    assert q["pending"] == "occ.name", text_of(replies)
    assert "org.changed" in q["answers"].get("_skipped", [])
    for value in ("电工", "6310103", "skip", "levels 4, 3 and 2"):
        replies = d.handle_text("e1", value)
    assert q_of(d, "e1")["draft"]["levels"] == [4, 3, 2], text_of(replies)
    replies = d.handle_text("e1", "delete")
    assert q_of(d, "e1")["pending"] == "more_occ", text_of(replies)
    assert q_of(d, "e1")["answers"]["occupations"][0]["change"] == "删除"
    d.handle_text("e1", "yes")
    for value in ("焊工", "6-18-02-04", "skip", "5,4,3", "modified"):
        d.handle_text("e1", value)
    assert q_of(d, "e1")["pending"] == "occ.changed"
    replies = d.handle_text("e1", "the levels")  # try29: "the" is not one of the options
    assert q_of(d, "e1")["multi"] == ["levels"], text_of(replies)
    d.handle_text("e1", "done")
    assert q_of(d, "e1")["answers"]["occupations"][1]["changed"] == ["levels"]
    assert q_of(d, "e1")["lang"] == "en"


def test_chinese_none_at_the_organisation_changes_is_a_skip(app):
    d = Dialogue(app)
    to_occupation(d, "e2")
    d.handle_text("e2", "好像都没变")
    assert q_of(d, "e2")["pending"] == "occ.name"
    assert q_of(d, "e2")["lang"] == "zh"  # Chinese words at a choice prompt: the user switched


def test_english_multi_names_several_options_and_refuses_a_stray_word(app):
    q = qn._question(app.kb, "org.changed")
    assert qn.parse(q, "contact person and phone", "en") == ["contact", "phone"]
    assert qn.parse(q, "short name, 3", "en") == ["short_name", "filing_no"]
    try:
        qn.parse(q, "the colour", "en")
    except qn.Invalid as e:
        assert "colour" in str(e) and "skip" in str(e)
    else:
        raise AssertionError("a stray word was accepted")


# ---------------------------------------------------------------- bug 12: no 附件1 questions without 附件1

def test_no_attachment_1_questions_when_no_attachment_1_is_made(app):
    d = Dialogue(app)
    d.handle_text("n1", "/check")
    for label in ("技工院校", "是", "是", "是", "是", "否"):
        d.handle_text("n1", label)
    d.handle_text("n1", "4,5")  # apply as 社评 (already held) and change the scope
    d.handle_text("n1", "完成")
    d.handle_text("n1", "省属")
    replies = d.handle_text("n1", "名称：山东省泉城技师学院 地址：济南市历城区工业北路100号 信用代码：123700004950034562 "
                                  "联系人：张伟 电话：13905310000 邮箱：zw@qcjsxy.edu.cn")
    assert "统一社会信用代码" in text_of(replies) and "不保存" in text_of(replies)  # said, not silently dropped
    d.handle_text("n1", "是")
    asked = []
    for _ in range(12):
        pending = q_of(d, "n1")["pending"]
        asked.append(pending)
        if pending.startswith("occ."):
            break
        d.handle_text("n1", "跳过")
    assert not {"org.strengths", "org.premises", "org.staff", "org.credit_code"} & set(asked), asked


# ---------------------------------------------------------------- the summary shows 附件1's data per 工种

def test_the_summary_shows_each_occupations_attachment_1_data(app):
    d = Dialogue(app)
    d.handle_text("s1", "/check")
    for label in ("技工院校", "是", "否", "否", "是", "否", "4", "完成", "市属"):
        d.handle_text("s1", label)
    d.handle_text("s1", "名称：淄博市工业技工学校 地址：淄博市张店区华光路88号 信用代码：12370300MB28500019 "
                        "联系人：李红 电话：0533-2181234 邮箱：lihong@zbgyjx.cn")
    d.handle_text("s1", "是")
    while not q_of(d, "s1")["pending"].startswith("occ."):
        d.handle_text("s1", "跳过")
    for value in ("数控车工", "6-18-01-01", "跳过", "5、4、3", "是", "2016年至今", "1,200"):
        replies = d.handle_text("s1", value)
        assert "请重新回答" not in text_of(replies), (value, text_of(replies))
    replies = d.handle_text("s1", "否")
    assert q_of(d, "s1")["pending"] == "summary", text_of(replies)
    line = next(x for x in text_of(replies).splitlines() if x.startswith("工种 1"))
    assert "评价经历：2016年至今" in line and "评价人数：1200" in line and "有职业标准" in line


def test_counts_with_thousands_separators():
    assert v.count("1,200") == 1200 and v.count("1，200人") == 1200
    for bad in ("1,20", "12,00", "-3"):
        try:
            v.count(bad)
        except ValueError:
            continue
        raise AssertionError(bad)


# ---------------------------------------------------------------- the terminal: checklist.md readable, paths whole

def test_the_terminal_shows_checklist_md_without_table_syntax_and_paths_whole(app, env, monkeypatch):
    import io
    import shutil
    import tempfile

    short = tempfile.mkdtemp(prefix="sc", dir="/tmp")  # a folder that fits 80 columns, as ~/.local/share/… does
    monkeypatch.setenv("SKILLCERT_FILES", short)

    from bot.answers import read_answers_file
    from bot.channels.terminal import show
    from bot.dialogue import Reply
    from bot.documents import render_documents
    from bot.wrap import width
    from conftest import ROOT

    answers = read_answers_file(next((ROOT / "examples").glob("*.toml")))
    files = render_documents(answers, app.kb)
    checklist = files["checklist.md"].decode("utf-8")
    assert "\n| " in checklist  # the file keeps its Markdown table
    buf = io.StringIO()
    show([Reply(checklist), Reply("已生成", files=list(files.items()))], buf, cols=80)
    lines = buf.getvalue().splitlines()
    assert not [x for x in lines if x.lstrip().startswith("|") or x.startswith("#") or "**" in x]
    assert any(x.startswith("• 为本校") or x.startswith("• ") and "结论：" in x for x in lines), lines[:40]
    assert all(width(x) <= 80 for x in lines), [x for x in lines if width(x) > 80]
    for name in files:  # every file's name whole on a line, under its folder
        assert any(x.strip() == name or x.strip().endswith("/" + name) for x in lines), name
    shutil.rmtree(short)
