"""try28, the dialogue side (a new user's report): the questionnaire through bot/dialogue.py over a real SQLite store,
the terminal as a real process in a pseudo-terminal, documents read back."""
from __future__ import annotations

import io
import os
import re
import select
import subprocess
import sys
import time

import pytest
from openpyxl import Workbook

from bot import questionnaire as qn
from bot import validate as v
from bot.dialogue import Dialogue
from bot.wrap import wrap, width
from conftest import ROOT, skillcert_cmd
from test_dialogue import press

# a 市属 school with both qualifications changing its scope (P4): only 附件3 and the check list
SCOPE = [("btn", "技工院校"), ("btn", "是"), ("btn", "是"), ("btn", "是"), ("btn", "是"), ("btn", "否"),
         ("btn", "调整认定职业（工种）、等级"), ("btn", "完成"), ("btn", "市属")]
ORG = ["青岛市技师学院", "跳过", "青岛市市北区1号", "王丽", "0532-88881234", "jw@qdjx.edu.cn", "跳过", "跳过", "跳过"]


def run(d, user, steps, replies=None):
    replies = replies or d.handle_text(user, "/check")
    for kind, value in steps:
        replies = press(d, user, replies, value) if kind == "btn" else d.handle_text(user, value)
    return replies


def text_of(replies) -> str:
    return "\n".join(r.text for r in replies)


def q_of(d, user) -> dict:
    return d.app.store.get_state(user)["q"]


def occupation(d, user, replies, name, code, levels, change):
    replies = d.handle_text(user, name)
    replies = d.handle_text(user, code)
    replies = press(d, user, replies, "跳过")
    replies = d.handle_text(user, levels)
    return d.handle_text(user, change)


def to_summary(d, user):
    """P4's way: scope change, the organisation, three occupations (增加, 删除, 增加), then the summary."""
    replies = run(d, user, SCOPE)
    for value in ORG:
        replies = press(d, user, replies, "跳过") if value == "跳过" else d.handle_text(user, value)
    asked = [q_of(d, user)["pending"]]
    replies = occupation(d, user, replies, "电工", "6-31-01-03", "5、4、3", "新加的")
    replies = press(d, user, replies, "是")
    replies = occupation(d, user, replies, "焊工", "6-18-02-04", "中级工、高级工", "删除")
    replies = press(d, user, replies, "是")
    replies = occupation(d, user, replies, "车工", "6-18-01-01", "5、4", "增加")
    replies = press(d, user, replies, "否")
    assert q_of(d, user)["pending"] == "summary", text_of(replies)
    return replies, asked


# ---------------------------------------------------------------- B10: only the fields the documents use

def test_a_scope_change_asks_no_attachment_1_fields_and_a_deleted_row_no_history(app):
    d = Dialogue(app)
    replies, _ = to_summary(d, "s1")
    answers = q_of(d, "s1")["answers"]
    history = q_of(d, "s1")["history"]
    for key in ("org.credit_code", "org.registrar", "org.legal_rep", "org.capital", "org.title"):
        assert key not in history and key.split(".")[1] not in answers["org"]
    assert not {"occ.has_standard", "occ.experience", "occ.assessed_count"} & set(history)
    assert [o["change"] for o in answers["occupations"]] == ["增加", "删除", "增加"]  # 新加的 → 增加
    assert answers["occupations"][1]["levels"] == [4, 3]  # 中级工、高级工
    files = {name for r in d.handle_text("s1", "确认") for name, _ in r.files}
    assert files == {"checklist.md", "附件3-评价机构信息与认定范围清单.xlsx"}


def test_applying_as_social_org_asks_the_attachment_1_fields_but_not_for_a_deleted_row(app):
    state = {"answers": {"institution_type": "technical_school", "student_cert_qualified": True,
                         "social_org_qualified": False, "runs_prep_technician_class": True, "runs_senior_class": True,
                         "has_segmented_students": False, "goals": ["apply_social_org", "adjust_scope"],
                         "affiliation": "provincial"}}
    assert qn.needs_att1(state["answers"], app.kb)
    asked = [q["key"] for q in qn.questions(app.kb) if qn.applies(q, state["answers"], app.kb)]
    assert {"org.credit_code", "org.registrar", "org.legal_rep", "org.title"} <= set(asked)
    deleted = {"name": "焊工", "code": "6-18-02-04", "levels": [4], "change": "删除"}
    added = {**deleted, "change": "增加"}
    fields = lambda draft: [f["key"] for f in qn.occupation_fields(app.kb)  # noqa: E731
                            if qn.applies(f, state["answers"], app.kb) and qn.holds_draft(f, draft, app.kb)]
    assert "experience" not in fields(deleted) and "assessed_count" not in fields(deleted)
    assert {"has_standard", "experience", "assessed_count"} <= set(fields(added))


# ---------------------------------------------------------------- B6: free text takes only answers

@pytest.mark.parametrize("text", ["备案号是啥？我们不知道", "这个填什么", "登记机构怎么查", "要填全称吗", "填学校名字吗。"])
def test_a_question_at_a_free_text_prompt_is_not_saved(app, text):
    d = Dialogue(app)
    run(d, "b6", SCOPE)
    replies = d.handle_text("b6", text)
    assert "没有当作答案保存" in replies[0].text
    assert "单位名称" in replies[-1].text and q_of(d, "b6")["pending"] == "org.name"
    assert "name" not in q_of(d, "b6")["answers"].get("org", {})
    assert "〔" in text_of(replies) or "/cancel" in text_of(replies)  # answered, or told how to ask


@pytest.mark.parametrize("bad, says", [("1", "不像名称"), ("😀😀", "只有符号或表情"), ("abc", "不像名称")])
def test_an_occupation_name_needs_chinese_characters(app, bad, says):
    d = Dialogue(app)
    replies = run(d, "b6n", SCOPE)
    for value in ORG:
        replies = press(d, "b6n", replies, "跳过") if value == "跳过" else d.handle_text("b6n", value)
    assert q_of(d, "b6n")["pending"] == "occ.name"
    replies = d.handle_text("b6n", bad)
    assert says in replies[0].text and "请重新回答" in replies[0].text
    assert q_of(d, "b6n")["pending"] == "occ.name" and not q_of(d, "b6n")["draft"]
    d.handle_text("b6n", "电工")
    assert q_of(d, "b6n")["draft"]["name"] == "电工"


def test_emoji_only_short_name_is_refused_and_real_checks_stay(app):
    d = Dialogue(app)
    replies = run(d, "b6e", SCOPE)
    d.handle_text("b6e", "青岛市技师学院")
    replies = d.handle_text("b6e", "😀😀")
    assert "只有符号或表情" in replies[0].text and q_of(d, "b6e")["pending"] == "org.short_name"
    d.handle_text("b6e", "青岛技院")
    d.handle_text("b6e", "青岛市市北区1号")
    d.handle_text("b6e", "王丽")
    replies = d.handle_text("b6e", "12345")
    assert "请重新回答" in replies[0].text and q_of(d, "b6e")["pending"] == "org.phone"


# ---------------------------------------------------------------- B7: occupations from the summary

def test_summary_edits_one_occupation_and_keeps_the_others(app):
    d = Dialogue(app)
    replies, _ = to_summary(d, "b7")
    assert "改 工种2" in replies[-1].text
    replies = d.handle_text("b7", "改 工种2")
    assert "修改工种 2（焊工）" in replies[-1].text and "认定级别（当前：4、3）" in replies[-1].text
    replies = press(d, "b7", replies, "认定级别")
    assert "【工种 2】" in replies[-1].text and "当前：4、3" in replies[-1].text
    replies = d.handle_text("b7", "技师")
    occs = q_of(d, "b7")["answers"]["occupations"]
    assert [o["name"] for o in occs] == ["电工", "焊工", "车工"] and occs[1]["levels"] == [2]
    assert q_of(d, "b7")["pending"] == "summary" and "工种 2: 焊工 / 6-18-02-04 / 2 / 删除" in replies[-1].text
    # a changed remark asks which cells; the summary names them in Chinese (try28: 修改（levels）)
    d.handle_text("b7", "改 工种 3")
    replies = d.handle_text("b7", "增加/修改/删除")
    replies = d.handle_text("b7", "修改")
    assert q_of(d, "b7")["pending"] == "occ.changed"
    replies = press(d, "b7", replies, "级别")
    replies = press(d, "b7", replies, "完成")
    assert "工种 3: 车工 / 6-18-01-01 / 5、4 / 修改（级别）" in replies[-1].text and "levels" not in replies[-1].text
    # /back at the pick returns to the summary unchanged; the row can be taken off the list
    d.handle_text("b7", "改 工种1")
    replies = d.handle_text("b7", "/back")
    assert q_of(d, "b7")["pending"] == "summary" and len(q_of(d, "b7")["answers"]["occupations"]) == 3
    replies = d.handle_text("b7", "改 工种1")
    replies = press(d, "b7", replies, "从清单中去掉这个工种")
    assert [o["name"] for o in q_of(d, "b7")["answers"]["occupations"]] == ["焊工", "车工"]
    assert "没有工种 9" in d.handle_text("b7", "改 工种9")[0].text


def test_back_past_the_occupations_keeps_them_and_says_so(app):
    d = Dialogue(app)
    to_summary(d, "b7b")
    d.handle_text("b7b", "/back")  # the summary → "add another?"
    replies = d.handle_text("b7b", "/back")  # past the occupations
    assert "已录入的 3 个工种都保留着" in replies[0].text and "改 工种N" in replies[0].text
    q = q_of(d, "b7b")
    assert len(q["answers"]["occupations"]) == 3 and not q["pending"].startswith("occ.")
    replies = d.handle_text("b7b", "/back")
    while q_of(d, "b7b")["pending"] != "summary":  # answer again what was undone: the occupations are still there
        pending = q_of(d, "b7b")["pending"]
        replies = d.handle_text("b7b", "否" if pending == "more_occ" else "跳过" if "跳过" in replies[-1].text
                                else {"org.email": "jw@qdjx.edu.cn", "org.phone": "0532-88881234"}.get(pending, "王丽"))
    assert [o["name"] for o in q_of(d, "b7b")["answers"]["occupations"]] == ["电工", "焊工", "车工"]


# ---------------------------------------------------------------- B16: smaller things

@pytest.mark.parametrize("word, value", [("办了", True), ("都办了", True), ("有", True), ("要", True),
                                         ("没", False), ("没办", False), ("不要", False)])
def test_colloquial_yes_no(word, value):
    assert v.yes_no(word) is value


def test_levels_by_name_and_duplicates_reported():
    assert v.levels("中级工、高级工") == [4, 3] and v.levels("技师") == [2] and v.levels("高级技师、技师") == [2, 1]
    assert v.levels("初级工,中级工") == [5, 4] and v.levels("五级、四级") == [5, 4]
    with pytest.raises(ValueError, match="3 写了不止一次"):
        v.levels("5、4、3、3")


def test_multi_choice_echo_and_where_to_file_inference(app):
    d = Dialogue(app)
    replies = run(d, "b16", SCOPE[:6])
    replies = press(d, "b16", replies, "为本校教师认定二级、三级")
    replies = press(d, "b16", replies, "调整认定职业（工种）、等级")
    assert "已选：为本校教师认定二级、三级；调整认定职业（工种）、等级" in replies[-1].text
    replies = press(d, "b16", replies, "完成")
    assert "推断" in replies[-1].text and "省属还是市属" in replies[-1].text


def test_check_offers_the_facts_said_in_the_chat(app):
    d = Dialogue(app)
    d.handle_text("b16c", "我们是技师学院，有学生认定资格和社评资质，开了预备技师班")
    replies = d.handle_text("b16c", "/check")
    assert "您在对话中已经说过" in replies[-1].text and "社会培训评价组织资质：是" in replies[-1].text
    replies = press(d, "b16c", replies, "是")
    q = q_of(d, "b16c")
    assert q["answers"]["student_cert_qualified"] is True and q["answers"]["social_org_qualified"] is True
    assert q["pending"] not in ("institution_type", "student_cert_qualified", "social_org_qualified")
    d.handle_text("b16c", "/cancel")
    replies = d.handle_text("b16c", "/check")
    press(d, "b16c", replies, "否")
    assert q_of(d, "b16c")["pending"] == "institution_type" and not q_of(d, "b16c")["answers"]


def test_uploaded_attachment_3_fills_the_organisation_block(app):
    wb = Workbook()
    ws = wb.active
    ws.append(["附件3"])
    ws.append(["评价机构信息与认定范围清单"])
    ws.append(["机构名称", "青岛市技师学院", None, None, "备注"])
    ws.append(["机构简称", "青岛技院", "备案号", "QD2021-01"])
    ws.append(["联系人", "王丽", "联系电话", "0532-88881234"])
    ws.append(["邮箱", "not-an-email", "网址", None])
    ws.append(["职业名称", "职业编号", "工种/职业方向", "级别", "备注"])
    ws.append(["电工", "6-31-01-03", None, "5、4、3", "增加"])
    buf = io.BytesIO()
    wb.save(buf)
    d = Dialogue(app)
    replies = d.handle_file("up", "附件3.xlsx", buf.getvalue())
    assert "机构信息：机构名称：青岛市技师学院" in replies[0].text and "联系人：王丽" in replies[0].text
    org = app.store.get_profile("up")["org"]
    assert org == {"name": "青岛市技师学院", "short_name": "青岛技院", "filing_no": "QD2021-01", "contact": "王丽",
                   "phone": "0532-88881234"}  # the bad e-mail is left out, to be asked


def test_forget_counts_the_generated_files(app, tmp_path):
    from bot.channels.terminal import show

    d = Dialogue(app)
    replies, _ = to_summary(d, "terminal:f1")
    out = io.StringIO()
    show(d.handle_text("terminal:f1", "确认"), out, app.store, "terminal:f1", cols=0)
    assert "checklist.md" in out.getvalue()
    replies = d.handle_text("terminal:f1", "/forget")
    assert "2 个生成的文件" in replies[0].text  # checklist.md and 附件3, both gone
    assert not app.store.files_of("terminal:f1")


# ---------------------------------------------------------------- B13: the user's language

def test_chinese_answers_switch_an_english_questionnaire_to_chinese(app):
    d = Dialogue(app)
    d.handle_text("en1", "Can we certify our teachers at level 3?")
    replies = d.handle_text("en1", "/check")
    assert "What kind of institution" in replies[-1].text
    replies = d.handle_text("en1", "技工院校")
    assert "学校是否已取得学生职业技能等级认定资格" in replies[-1].text
    replies = d.handle_text("en1", "否")
    assert "社会培训评价组织资质？" in replies[-1].text and "Does the school" not in replies[-1].text


def test_a_message_without_words_is_answered_in_the_page_language(app):
    d = Dialogue(app)
    replies = d.handle_text("w1", "<script>alert(1)</script>", lang_hint="zh")
    assert re.search(r"[\u4e00-\u9fff]", replies[0].text) and "not covered" not in replies[0].text.lower()


# ---------------------------------------------------------------- B15: the terminal's width

LONG = ("按贵校情况（未取得学生认定资格，已有社会培训评价组织资质，未开办预备技师班）：不可以。学校可以先申报社会培训"
        "评价组织资质，“取得后”即可，输入 /checklist 可生成预填好的表格，/check 重新判断。The school holds the social "
        "training evaluation organisation qualification; code 6-31-01-03, levels 5、4、3。\n"
        "  → /tmp/skillcert/files/terminal_x/20261127-155000/附件1-社会培训评价组织基本情况表.docx")


@pytest.mark.parametrize("cols", [80, 40])
def test_wrap_keeps_commands_words_paths_and_punctuation(cols):
    out = wrap(LONG, cols)
    lines = out.split("\n")
    path = next(x for x in lines if "/tmp/" in x)
    assert path.split()[-1] == "/tmp/skillcert/files/terminal_x/20261127-155000/附件1-社会培训评价组织基本情况表.docx"
    assert all(width(x) <= cols for x in lines if x is not path)
    assert not any(x.strip() and x.lstrip()[0] in "，。；：、”）" for x in lines)  # kinsoku
    assert not any(x.rstrip().endswith(("“", "（")) for x in lines)
    words = out.split()
    for token in ("/checklist", "/check", "evaluation", "organisation", "qualification;", "6-31-01-03", "5、4、3。"):
        assert any(token in w for w in words), token
    assert re.sub(r"\s+", "", out) == re.sub(r"\s+", "", LONG)  # nothing lost or added


def test_list_items_continue_under_their_text():
    out = wrap("12. 附件1 第三项：组织优势、专业优势等情况：参与编写省级电工实训教材2部", 30).split("\n")
    assert out[0].startswith("12. ") and all(x.startswith("    ") for x in out[1:])


def chat_in_a_terminal(env, cols: int, lines: list[str]) -> str:
    """`skillcert chat` in a pseudo-terminal of `cols` columns; returns what it printed."""
    import fcntl
    import pty
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, cols, 0, 0))
    env = {k: x for k, x in env.items() if k not in ("COLUMNS", "LINES")}
    p = subprocess.Popen(skillcert_cmd() + ["chat"], env=env, cwd=ROOT, stdin=slave, stdout=slave, stderr=slave,
                         close_fds=True)
    os.close(slave)
    out = b""

    def read_until(pred, limit=120):
        nonlocal out
        end = time.monotonic() + limit
        while time.monotonic() < end and not pred(out):
            r, _, _ = select.select([master], [], [], 1)
            if r:
                try:
                    out += os.read(master, 65536)
                except OSError:
                    break

    read_until(lambda o: o.count(b"> ") >= 1)
    for line in lines:
        n = out.count(b"> ")
        os.write(master, (line + "\n").encode())
        read_until(lambda o: o.count(b"> ") > n or p.poll() is not None)
    os.write(master, b"/quit\n")
    p.wait(60)
    read_until(lambda o: b"Bye" in o, 5)
    os.close(master)
    return out.decode("utf-8", "replace").replace("\r\n", "\n")


@pytest.mark.skipif(sys.platform == "win32", reason="a POSIX pseudo-terminal")
@pytest.mark.parametrize("cols", [80, 40])
def test_terminal_chat_fits_the_window(env, cols):
    out = chat_in_a_terminal(env, cols, ["学校没有预备技师班，能给老师评二级吗？", "/check"])
    printed = [x for x in out.split("\n") if not x.startswith("> ")]  # the echo of what was typed is the terminal's
    assert "/check" in out and "〔" in out
    assert all(width(x) <= cols for x in printed), [x for x in printed if width(x) > cols]
    assert not any(x.strip() and x.lstrip()[0] in "，。；：、”）" for x in printed)
    assert any("/check" in x.split() or "/check" in x for x in printed)


def test_one_typed_phrase_can_tick_several_options(app):
    d = Dialogue(app)
    replies = run(d, "b16m", SCOPE)
    for value in ORG[:-1]:
        replies = press(d, "b16m", replies, "跳过") if value == "跳过" else d.handle_text("b16m", value)
    assert q_of(d, "b16m")["pending"] == "org.changed"
    replies = d.handle_text("b16m", "联系人和电话换了")
    assert q_of(d, "b16m")["multi"] == ["contact", "phone"]
    assert "已选：联系人；联系电话" in replies[-1].text


# ---------------------------------------------------------------- documents, rendered by LibreOffice

@pytest.mark.slow
def test_att1_fits_one_page_and_att3_is_labelled(kb, tmp_path):
    """try28: 附件1's notes 3–4 spilled onto an otherwise empty second page; 附件3 had no "附件3" label."""
    import shutil

    from bot.answers import validate_answers
    from bot.documents import write_documents

    if not (shutil.which("soffice") and shutil.which("pdftotext")):
        pytest.skip("LibreOffice (soffice) or pdftotext not installed")
    answers = validate_answers({
        "institution_type": "technical_school", "student_cert_qualified": True, "social_org_qualified": False,
        "runs_prep_technician_class": True, "runs_senior_class": True, "has_segmented_students": False,
        "goals": ["apply_social_org"], "affiliation": "provincial",
        "org": {"name": "山东省泉城技师学院", "address": "济南市历城区工业北路100号", "credit_code": "123701004950034562",
                "registrar": "山东省事业单位登记管理局", "legal_rep": "张明", "capital": "5000万元", "contact": "李华",
                "title": "处长", "phone": "0531-88881234", "email": "jwc@qc.edu.cn",
                "strengths": "1. 承担省级技能大赛电工赛项3次；\n2. 参与编写省级电工实训教材2部；\n3. 近三年培训考核评价8000余人次。",
                "premises": "实训楼2栋，设备800台套。", "staff": "专职人员12人，考评员45人。"},
        "occupations": [{"name": "电工", "code": "6-31-01-03", "levels": [5, 4, 3], "has_standard": True},
                        {"name": "车工", "code": "6-18-01-01", "work_type": "数控车工", "levels": [5, 4, 3, 2]}]})
    write_documents(answers, kb, tmp_path)
    profile = tmp_path / "lo-profile"
    names = ["附件1-社会培训评价组织基本情况表.docx", "附件3-评价机构信息与认定范围清单.xlsx"]
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), *[str(tmp_path / n) for n in names]], check=True,
                   capture_output=True, timeout=300)
    att1, att3 = (subprocess.run(["pdftotext", "-layout", str(tmp_path / (n.rsplit(".", 1)[0] + ".pdf")), "-"],
                                 capture_output=True, text=True, check=True).stdout for n in names)
    assert att1.rstrip("\f").count("\f") == 0 and "4.第五项中应提供社保材料" in att1  # one page, notes on it
    assert att3.lstrip().startswith("附件3")
