"""The questionnaire in the chat (issue 9): progress, pasted blocks, an uploaded 附件3, items 三–五,
org.changed, messages in the user's language, what was typed kept as typed, files per user."""
import io
import re
from pathlib import Path

import pytest
from openpyxl import Workbook

from bot import questionnaire as qn
from bot import userfiles
from bot.answers import validate_answers
from bot.dialogue import Dialogue
from bot.documents import render_documents
from conftest import ROOT, run_cli
from test_dialogue import FLOW, press, run_flow

ATT3 = "附件3-评价机构信息与认定范围清单.xlsx"


def text_of(replies) -> str:
    return "\n".join(r.text for r in replies)


def at_name(d, user, lang="zh"):
    """Through the eligibility questions (apply_social_org) to the first form question."""
    replies = run_flow(d, user, FLOW[:9])
    assert app_pending(d, user) == "org.name"
    return replies


def app_pending(d, user):
    return d.app.store.get_state(user)["q"]["pending"]


def test_every_question_shows_the_step_and_an_estimate(app):
    d = Dialogue(app)
    replies = d.handle_text("p1", "/check")
    assert "（第 1 / 约 " in replies[-1].text
    replies = at_name(d, "p1")
    n, total = map(int, re.search(r"第 (\d+) / 约 (\d+) 步", replies[-1].text).groups())
    assert n == 9 and 25 <= total <= 40  # name, address … 三 to 五, one occupation, the summary
    replies = d.handle_text("p1", "泉城高级技工学校")
    n2, total2 = map(int, re.search(r"第 (\d+) / 约 (\d+) 步", replies[-1].text).groups())
    assert n2 == n + 1 and total2 == total


def test_english_step_counter_and_english_only_messages(app):
    state = qn.new_state("en")
    qn.advance(state, app.kb)
    assert qn.prompt(state, app.kb).text.startswith("(Step 1 of about ")
    with pytest.raises(qn.Invalid) as e:
        qn.answer(state, "9", app.kb)
    assert str(e.value) == "There is no option 9: reply with a number from 1 to 5."
    state = {**state, "pending": "org.phone", "answers": {"goals": ["apply_social_org"]}}
    with pytest.raises(qn.Invalid) as e:
        qn.answer(state, "12345", app.kb)
    assert str(e.value).startswith("Not a phone number")
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in str(e.value))  # no Chinese in an English session


def test_out_of_range_option_names_the_valid_numbers(app):
    d = Dialogue(app)
    d.handle_text("p3", "/check")
    replies = d.handle_text("p3", "7")
    assert "没有第 7 项：请回复 1 到 5 之间的编号" in replies[0].text


def test_a_pasted_block_answers_several_fields_after_confirmation(app):
    d = Dialogue(app)
    at_name(d, "p4")
    block = ("名称：泉城（高级）技工学校\n地址：济南市历城区工业北路１００号\n"
             "信用代码：123701004950034562 联系电话：0531-88881234\nemail: jwc@qc.edu.cn")
    replies = d.handle_text("p4", block)
    shown = replies[-1].text
    assert "泉城（高级）技工学校" in shown and "0531-88881234" in shown and "jwc@qc.edu.cn" in shown
    assert [b.label for b in replies[-1].buttons[0]] == ["是", "否"]
    assert "name" not in app.store.get_state("p4")["q"]["answers"].get("org", {})  # not before "yes"
    replies = press(d, "p4", replies, "是")
    org = app.store.get_state("p4")["q"]["answers"]["org"]
    assert org == {"name": "泉城（高级）技工学校", "address": "济南市历城区工业北路１００号",
                   "credit_code": "123701004950034562", "phone": "0531-88881234", "email": "jwc@qc.edu.cn"}
    assert app_pending(d, "p4") == "org.short_name"  # the first field still missing


def test_a_block_with_english_labels_and_ascii_colons(app):
    d = Dialogue(app)
    at_name(d, "p5")
    d.handle_text("p5", "Name: Quancheng Technician College; Address: 100 Gongye Rd, Jinan; Contact: Li Hua")
    d.handle_text("p5", "yes")
    org = app.store.get_state("p5")["q"]["answers"]["org"]
    assert org["name"] == "Quancheng Technician College" and org["address"] == "100 Gongye Rd, Jinan"
    assert org["contact"] == "Li Hua"


def test_a_block_with_a_bad_field_saves_nothing_and_names_the_field(app):
    d = Dialogue(app)
    at_name(d, "p6")
    replies = d.handle_text("p6", "名称：泉城技校\n信用代码：123701004950034563\n电话：12345")
    text = text_of(replies)
    assert "统一社会信用代码" in text and "校验位" in text and "联系电话" in text
    assert "没有保存任何一项" in text
    assert app.store.get_state("p6")["q"]["answers"].get("org", {}) == {}
    assert app_pending(d, "p6") == "org.name"


def test_no_answer_to_the_block_keeps_the_question(app):
    d = Dialogue(app)
    at_name(d, "p7")
    d.handle_text("p7", "名称：泉城技校 地址：济南")
    d.handle_text("p7", "否")
    assert app_pending(d, "p7") == "org.name" and not app.store.get_state("p7")["q"]["answers"].get("org")


def test_typed_text_is_stored_as_typed_through_the_chat(app):
    d = Dialogue(app)
    at_name(d, "p8")
    d.handle_text("p8", "泉城（高级）技工学校，１号")
    assert app.store.get_state("p8")["q"]["answers"]["org"]["name"] == "泉城（高级）技工学校，１号"


def test_a_direction_character_typed_in_the_chat_is_refused_with_a_reason(app):
    d = Dialogue(app)
    at_name(d, "p9")
    replies = d.handle_text("p9", "泉城\u202e技校")
    assert "U+202E" in replies[0].text and "请重新回答" in replies[0].text
    assert "name" not in app.store.get_state("p9")["q"]["answers"].get("org", {})


def test_items_three_to_five_are_asked_and_skippable(app):
    d = Dialogue(app)
    replies = run_flow(d, "p10", FLOW[:21])
    assert "组织优势" in replies[-1].text and any(b.label == "跳过" for row in replies[-1].buttons for b in row)
    d.handle_text("p10", "承担省级竞赛裁判工作")
    replies = press(d, "p10", d.handle_text("p10", "/back") and d.handle_text("p10", "承担省级竞赛裁判工作"), "跳过")
    assert "专职人员和考评人员" in replies[-1].text
    org = app.store.get_state("p10")["q"]["answers"]["org"]
    assert org["strengths"] == "承担省级竞赛裁判工作" and "premises" not in org


def test_adjust_scope_asks_which_organisation_fields_changed(app):
    d = Dialogue(app)
    flow = [("btn", "技工院校"), ("btn", "是"), ("btn", "是"), ("btn", "是"), ("btn", "是"), ("btn", "否"),
            ("btn", "调整认定职业（工种）、等级"), ("btn", "完成"), ("btn", "市属")]
    replies = run_flow(d, "p11", flow)
    for _ in range(20):
        q = app.store.get_state("p11")["q"]
        if q["pending"] == "org.changed":
            break
        p = qn.prompt(q, app.kb)
        replies = d.handle_text("p11", {"org.name": "学校", "org.address": "济南", "org.credit_code": "123701004950034562",
                                        "org.contact": "李华", "org.phone": "0531-88881234",
                                        "org.email": "a@b.cn"}.get(q["pending"], "跳过" if p.optional else "x"))
    assert app.store.get_state("p11")["q"]["pending"] == "org.changed"
    assert "哪些机构信息变了" in replies[-1].text
    replies = press(d, "p11", replies, "联系电话")
    replies = press(d, "p11", replies, "完成")
    assert app.store.get_state("p11")["q"]["answers"]["org"]["changed"] == ["phone"]


def test_the_goals_summary_is_a_list(app):
    answers = {"institution_type": "technical_school", "goals": ["certify_teachers", "apply_social_org"]}
    text = qn.summary_text(answers, app.kb, "zh")
    assert "\n   - 为本校教师认定二级、三级\n   - 申报社会培训评价组织资质" in text


def test_help_lists_every_command_of_the_readme(app):
    d = Dialogue(app)
    text = d.handle_text("p12", "/help")[0].text
    for command in ("/check", "/checklist", "/contact", "/cancel", "/back", "/forget", "/upload", "/quit", "/help"):
        assert command in text, command
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"`(/[a-z]+)", readme.split("## Using it")[1].split("\n\n")[1]))
    assert listed and listed <= set(re.findall(r"/[a-z]+", text)), listed


# ------------------------------------------------------------------ an uploaded 附件3


def att3_bytes(kb, occupations) -> bytes:
    answers = validate_answers({"institution_type": "technical_school", "social_org_qualified": True,
                                "student_cert_qualified": True, "goals": ["adjust_scope"],
                                "org": {"name": "学校"}, "occupations": occupations})
    return render_documents(answers, kb)[ATT3]


def test_an_uploaded_att3_becomes_the_occupation_list(app):
    d = Dialogue(app)
    data = att3_bytes(app.kb, [{"name": "车工", "code": "6-18-01-01", "work_type": "数控车工", "levels": [4, 3],
                                "change": "增加"},
                               {"name": "电工", "code": "6-31-01-03", "levels": [5, 4, 3]}])
    replies = d.handle_file("p13", "附件3.xlsx", data)
    assert "读入 2 个工种" in replies[0].text and "车工 / 6-18-01-01 / 数控车工 / 4、3 / 增加" in replies[0].text
    occs = app.store.get_profile("p13")["occupations"]
    assert occs[0] == {"name": "车工", "code": "6-18-01-01", "work_type": "数控车工", "levels": [4, 3], "change": "增加"}


def test_an_upload_during_the_questionnaire_fills_the_occupations(app):
    d = Dialogue(app)
    run_flow(d, "p14", FLOW[:24])  # at the first occupation
    assert app_pending(d, "p14") == "occ.name"
    replies = d.handle_file("p14", "清单.xlsx", att3_bytes(app.kb, [{"name": "焊工", "levels": [5]}]))
    assert app_pending(d, "p14") == "summary" and "焊工" in replies[-1].text


def test_an_uploaded_sheet_with_bad_rows_names_every_row_and_reads_nothing(app):
    wb = Workbook()
    ws = wb.active
    ws.append(["开展职业技能等级认定范围"])
    ws.append(["职业名称", "职业编号", "工种/职业方向", "级别", "备注"])
    ws.append(["电工", "6-31-01-03", None, "5、4、3", None])    # row 3: fine
    ws.append(["车工", "618", None, "4", None])                  # row 4: bad code
    ws.append(["钳工", None, None, "6", "增加"])                 # row 5: no level 6
    ws.append([None, None, None, "3", None])                     # row 6: no name
    buf = io.BytesIO()
    wb.save(buf)
    d = Dialogue(app)
    text = d.handle_file("p15", "a.xlsx", buf.getvalue())[0].text
    assert "第 4 行 职业编号" in text and "第 5 行 级别" in text and "第 6 行 职业名称" in text
    assert "第 3 行" not in text and "没有读入任何一行" in text
    assert not app.store.get_profile("p15")


def test_files_that_are_not_a_filled_att3_get_a_clear_message(app):
    d = Dialogue(app)
    for name, data, words in (("a.xlsx", b"not a zip", "读不了"), ("a.xlsx", b"", "空"),
                              ("a.pdf", b"%PDF", ".xlsx"), ("a.xlsx", _empty_workbook(), "职业名称")):
        replies = d.handle_file("p16", name, data)
        assert words in replies[0].text, name
    assert not app.store.get_profile("p16")


def _empty_workbook() -> bytes:
    buf = io.BytesIO()
    Workbook().save(buf)
    return buf.getvalue()


# ------------------------------------------------------------------ files per user, /forget


def test_user_files_live_outside_the_checkout(monkeypatch, tmp_path):
    monkeypatch.delenv("SKILLCERT_FILES", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert userfiles.user_dir("terminal") == tmp_path / "data" / "skillcert" / "files" / "terminal"
    assert userfiles.user_dir("tg:42").name == "tg_42"
    odd = userfiles.user_dir("../../etc")
    assert odd.parent == tmp_path / "data" / "skillcert" / "files" and ".." not in odd.name


def test_terminal_upload_and_forget_deletes_the_generated_files(env, tmp_path, kb):
    sheet = tmp_path / "附件3.xlsx"
    sheet.write_bytes(att3_bytes(kb, [{"name": "焊工", "code": "6-18-02-04", "levels": [5, 4]}]))
    earlier = Path(env["SKILLCERT_FILES"]) / "terminal" / "20260101-000000"
    earlier.mkdir(parents=True)
    (earlier / "checklist.md").write_text("an earlier run", encoding="utf-8")
    script = "\n".join([f"/upload {sheet}", "/upload /no/such/file.xlsx", "/forget", "/quit"]) + "\n"
    p = run_cli(["chat"], env, stdin=script, timeout=120)
    assert p.returncode == 0 and "Traceback" not in p.stderr
    assert "读入 1 个工种" in p.stdout and "读不了文件" in p.stdout and "1 个生成的文件" in p.stdout
    assert not earlier.exists() and not (ROOT / "skillcert-files").exists()


def test_forget_deletes_the_users_generated_files(app, tmp_path):
    d = Dialogue(app)
    folder = userfiles.user_dir("p17") / "20260101-000000"
    folder.mkdir(parents=True)
    (folder / "checklist.md").write_text("x", encoding="utf-8")
    other = userfiles.user_dir("p18")
    other.mkdir(parents=True)
    replies = d.handle_text("p17", "/forget")
    assert "1 个生成的文件" in replies[0].text
    assert not userfiles.user_dir("p17").exists() and other.exists()


def test_a_modified_occupation_row_asks_which_cells_changed(app, kb):
    facts = {"institution_type": "technical_school", "student_cert_qualified": True, "social_org_qualified": True,
             "runs_prep_technician_class": True, "runs_senior_class": True, "has_segmented_students": False,
             "goals": ["adjust_scope"], "affiliation": "municipal",
             "_skipped": [q["key"] for q in qn.questions(kb) if q["key"].startswith("org.")]}
    state = {"answers": facts,
             "pending": "occ.name", "history": [], "draft": {}, "editing": None, "lang": "zh", "multi": []}
    for text in ("车工", "6-18-01-01", "数控车工", "4、3", "修改"):
        state = qn.answer(state, text, kb)
    assert state["pending"] == "occ.changed" and "改了哪几格" in qn.prompt(state, kb).text
    state = qn.answer(state, "4", kb)
    assert state["answers"]["occupations"][-1]["changed"] == ["levels"]
    # an unchanged or added row is not asked
    state = {**state, "pending": "occ.name", "draft": {}, "occ_done": False}
    for text in ("电工", "6-31-01-03", "跳过", "5", "增加"):
        state = qn.answer(state, text, kb)
    assert state["pending"] == "more_occ"


def test_the_checklist_says_what_a_modified_row_still_needs(kb):
    answers = validate_answers({"institution_type": "technical_school", "student_cert_qualified": True,
                                "social_org_qualified": True, "goals": ["adjust_scope"],
                                "occupations": [{"name": "车工", "levels": [4], "change": "修改", "changed": ["levels"]},
                                                {"name": "电工", "levels": [5], "change": "修改"}]})
    text = render_documents(answers, kb)["checklist.md"].decode()
    assert "修改（级别，已涂黄）" in text and "修改【待补充：改了哪几格" in text
