"""try27's findings on documents and the questionnaire: an uploaded 附件3 with a 修改 row (its yellow cells
read, or the row asked about, as the chat asks), one yellow rule on every path, Latin text in a font of its
own beside 宋体, what of 附件2 the school must still write, and the questionnaire's messages and estimate."""
import io
import re

from openpyxl import Workbook, load_workbook
from openpyxl.styles import PatternFill

from bot import questionnaire as qn
from bot.answers import validate_answers
from bot.dialogue import Dialogue
from bot.documents import render_documents
from test_dialogue import FLOW, press, run_flow

ATT3 = "附件3-评价机构信息与认定范围清单.xlsx"
YELLOW = PatternFill(fill_type="solid", start_color="FFFF00", end_color="FFFF00")
FACTS = {"institution_type": "technical_school", "affiliation": "municipal", "student_cert_qualified": True,
         "social_org_qualified": True, "runs_prep_technician_class": True, "runs_senior_class": True,
         "has_segmented_students": False, "goals": ["adjust_scope"],
         "org": {"name": "临沂市工业技工学校", "address": "临沂市兰山区沂蒙路200号", "credit_code": "123701004950034562",
                 "contact": "赵磊", "phone": "0539-8301234", "email": "lyjg@126.com", "filing_no": "鲁PJ-2021-0033",
                 "changed": ["phone"]}}


def filled_att3(rows, yellow=()) -> bytes:
    """A 附件3 as a school fills it by hand: rows (name, code, work type, levels, remark); `yellow`
    lists (row index, column index) cells the school filled yellow."""
    wb = Workbook()
    ws = wb.active
    ws.append(["评价机构信息与认定范围清单"])
    ws.append(["职业名称", "职业编号", "工种/职业方向", "级别", "备注"])
    for row in rows:
        ws.append(list(row))
    for r, c in yellow:
        ws.cell(row=3 + r, column=1 + c).fill = YELLOW
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


ROWS = [("电工", "6-31-01-03", None, "5、4、3", "增加"), ("焊工", "6-18-02-04", None, "5、4", "修改")]


def occupation_fills(data: bytes) -> dict[str, list[bool]]:
    """Row name → which of the four occupation cells are yellow, read back from the .xlsx."""
    ws = load_workbook(io.BytesIO(data)).active
    header = next(r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=1).value == "职业名称")
    out = {}
    for r in range(header + 1, ws.max_row + 1):
        name = ws.cell(row=r, column=1).value
        if not name or str(name).startswith("注"):
            break
        out[name] = [ws.cell(row=r, column=c).fill.fill_type == "solid"
                     and ws.cell(row=r, column=c).fill.fgColor.rgb.endswith("FFFF00") for c in range(1, 5)]
    return out


def documents_of(replies) -> dict[str, bytes]:
    return {name: data for r in replies for name, data in r.files}


# ------------------------------------------------------------------ 1. an uploaded 修改 row


def test_yellow_cells_of_an_uploaded_modified_row_are_the_changed_cells(app):
    d = Dialogue(app)
    app.store.set_profile("u1", FACTS)
    replies = d.handle_file("u1", "附件3.xlsx", filled_att3(ROWS, yellow=[(1, 3)]))  # 焊工's 级别 yellow
    assert "修改（级别，已涂黄）" in replies[0].text
    assert app.store.get_profile("u1")["occupations"][1]["changed"] == ["levels"]
    files = documents_of(d.handle_text("u1", "/checklist"))
    assert occupation_fills(files[ATT3])["焊工"] == [False, False, False, True]


def test_an_uploaded_modified_row_without_yellow_is_asked_about_before_the_documents(app):
    d = Dialogue(app)
    app.store.set_profile("u2", FACTS)
    replies = d.handle_file("u2", "附件3.xlsx", filled_att3(ROWS))
    said = "\n".join(r.text for r in replies)
    assert "修改（未涂黄）" in said and "焊工 备注“修改”，但表中没有涂黄的单元格" in said
    replies = d.handle_text("u2", "/checklist")
    assert not documents_of(replies)  # not yet: which cells changed?
    assert "焊工 / 6-18-02-04 / 5、4" in replies[-1].text and "改了哪几格" in replies[-1].text
    replies = press(d, "u2", replies, "级别")
    replies = press(d, "u2", replies, "完成")
    assert app.store.get_state("u2")["q"]["pending"] == "summary"
    files = documents_of(press(d, "u2", replies, "确认"))
    fills = occupation_fills(files[ATT3])
    assert fills == {"电工": [True] * 4, "焊工": [False, False, False, True]}
    assert "修改（级别，已涂黄）" in files["checklist.md"].decode()


def test_an_upload_during_the_questionnaire_asks_about_a_modified_row(app):
    d = Dialogue(app)
    run_flow(d, "u3", FLOW[:24])  # at the first occupation
    replies = d.handle_file("u3", "清单.xlsx", filled_att3(ROWS))
    assert app.store.get_state("u3")["q"]["pending"] == qn.ROW_CHANGED + "1"
    assert "改了哪几格" in replies[-1].text
    replies = d.handle_text("u3", "跳过")  # skippable, as in the chat: the check list then says what is missing
    assert app.store.get_state("u3")["q"]["pending"] == "summary"
    files = documents_of(d.handle_text("u3", "确认"))
    assert "修改【待补充：改了哪几格，请在附件3中涂黄】" in files["checklist.md"].decode()


def test_back_from_the_row_question_forgets_the_answer(app, kb):
    state = qn.new_state("zh", {**FACTS, "occupations": [{"name": "焊工", "levels": [5], "change": "修改"}]})
    state = qn.answer(state, "yes", kb)
    assert state["pending"] == qn.ROW_CHANGED + "0"
    state = qn.finish_multi(qn.select(state, "1,4", kb), kb)
    assert state["answers"]["occupations"][0]["changed"] == ["name", "levels"] and state["pending"] == "summary"
    state = qn.back(qn.back(state, kb), kb)
    assert state["pending"] == qn.ROW_CHANGED + "0" and "changed" not in state["answers"]["occupations"][0]


# ------------------------------------------------------------------ 2. one yellow rule on every path


def test_added_and_deleted_rows_are_yellow_across_all_four_cells_on_every_path(app, kb):
    """The rule (附件3 note 7, SPEC): a 修改 row's changed cells; an added or deleted row changed as a whole, so
    its four cells, the empty 工种 cell too. The same from an answers file, a typed row and an uploaded sheet."""
    answers = validate_answers({**FACTS, "occupations": [{"name": "电工", "code": "6-31-01-03", "levels": [5, 4, 3],
                                                          "change": "增加"}]})
    from_file = occupation_fills(render_documents(answers, kb)[ATT3])
    d = Dialogue(app)
    app.store.set_profile("u4", FACTS)
    d.handle_file("u4", "a.xlsx", filled_att3(ROWS[:1]))
    uploaded = occupation_fills(documents_of(d.handle_text("u4", "/checklist"))[ATT3])
    state = qn.new_state("zh", FACTS)
    state = qn.answer(state, "yes", kb)
    state = {**state, "pending": "occ.name", "occ_done": False}
    for text in ("电工", "6-31-01-03", "跳过", "5、4、3", "增加"):
        state = qn.answer(state, text, kb)
    typed = occupation_fills(render_documents(qn.final_answers(state), kb)[ATT3])
    assert from_file == uploaded == typed == {"电工": [True, True, True, True]}


# ------------------------------------------------------------------ 5. questionnaire


def test_skip_at_a_required_field_says_it_is_required_and_how_to_leave(app):
    d = Dialogue(app)
    run_flow(d, "u5", FLOW[:12])
    assert app.store.get_state("u5")["q"]["pending"] == "org.credit_code"
    text = d.handle_text("u5", "跳过")[0].text
    assert "必填" in text and "/back" in text and "/cancel" in text and "18位" not in text
    assert app.store.get_state("u5")["q"]["pending"] == "org.credit_code"


def test_english_yes_no_buttons_are_in_english(app):
    d = Dialogue(app)
    replies = d.handle_text("u6", "/check", lang_hint="en")
    replies = press(d, "u6", replies, "technical school (技工院校)")
    labels = [b.label for r in replies for row in r.buttons for b in row]
    assert labels == ["Yes (是)", "No (否)"]
    replies = press(d, "u6", replies, "Yes (是)")
    assert app.store.get_state("u6")["q"]["answers"]["student_cert_qualified"] is True


def test_typed_numbers_at_a_multi_choice_tick_and_done_closes(app):
    """try27: "4,5" closed the question at once, so the next "9" (meant as the done button) became an
    occupation named "9". Typed options now tick like the buttons; "完成"/done closes."""
    d = Dialogue(app)
    replies = run_flow(d, "u7", FLOW[:6])  # at the goals
    replies = d.handle_text("u7", "4,5")
    q = app.store.get_state("u7")["q"]
    assert q["pending"] == "goals" and q["multi"] == ["apply_social_org", "adjust_scope"]
    assert "已选：申报社会培训评价组织资质；调整认定职业（工种）、等级" in replies[-1].text
    assert "✅ 申报社会培训评价组织资质" in [b.label for row in replies[-1].buttons for b in row]
    d.handle_text("u7", "5")  # again: unticked
    assert app.store.get_state("u7")["q"]["multi"] == ["apply_social_org"]
    d.handle_text("u7", "完成")
    assert app.store.get_state("u7")["q"]["answers"]["goals"] == ["apply_social_org"]


def test_the_estimate_never_grows_except_when_another_occupation_is_added(app):
    """try27 saw 约 32 → 约 8 → 约 32 → 约 40 → 约 41. Now it only shrinks, except right after "add another
    occupation" (whose prompt says by how much)."""
    for facts in ([("btn", "技工院校"), ("btn", "是"), ("btn", "是"), ("btn", "是"), ("btn", "是"), ("btn", "否"),
                   ("btn", "调整认定职业（工种）、等级"), ("btn", "完成"), ("btn", "省属")],
                  FLOW[:9]):
        d = Dialogue(app)
        user = f"u8-{len(facts)}-{facts[2][1]}"
        replies = d.handle_text(user, "/check")
        totals = []
        for kind, value in facts:
            replies = press(d, user, replies, value) if kind == "btn" else d.handle_text(user, value)
            m = re.search(r"第 (\d+) / 约 (\d+) 步", replies[-1].text)
            if m:
                totals.append(int(m.group(2)))
        # then the form, one occupation marked 修改 with its cells, a second one
        for _ in range(40):
            q = app.store.get_state(user)["q"]
            if q is None or q["pending"] == "summary":
                break
            p = qn.prompt(q, app.kb)
            answer = {"org.name": "学校", "org.address": "济南", "org.credit_code": "123701004950034562",
                      "org.contact": "李华", "org.phone": "0531-88881234", "org.email": "a@b.cn",
                      "occ.name": "电工", "occ.code": "6-31-01-03", "occ.levels": "5、4、3", "occ.change": "修改",
                      "occ.assessed_count": "12"}.get(q["pending"])
            if q["pending"] == "more_occ":
                answer = "否"
            elif p.kind == "multi":
                d.handle_text(user, "1")
                answer = "完成"
            elif answer is None:
                answer = "跳过" if p.optional else ("是" if p.kind == "yesno" else "1" if p.kind == "choice" else "x")
            replies = d.handle_text(user, answer)
            m = re.search(r"第 (\d+) / 约 (\d+) 步", replies[-1].text)
            if m:
                totals.append(int(m.group(2)))
        assert totals == sorted(totals, reverse=True), totals
        assert app.store.get_state(user)["q"]["pending"] == "summary"


# ------------------------------------------------------------------ 3. Latin text beside 宋体


def test_att3_latin_runs_have_their_own_font_at_the_cells_size(kb):
    answers = validate_answers({**FACTS, "occupations": [{"name": "电工", "code": "6-31-01-03", "levels": [5, 4, 3]}]})
    ws = load_workbook(io.BytesIO(render_documents(answers, kb)[ATT3]), rich_text=True).active
    cells = {str(c.value): c for row in ws.iter_rows() for c in row if c.value is not None}
    for text in ("0539-8301234", "6-31-01-03", "5、4、3", "临沂市兰山区沂蒙路200号"):
        cell = cells[text]
        runs = [(b.font.rFont, b.font.sz, b.text) for b in cell.value]
        assert all(size == cell.font.sz == 11 for _, size, _ in runs), runs
        assert all((font == "Times New Roman") == t.isascii() for font, _, t in runs), runs
    plain = load_workbook(io.BytesIO(render_documents(answers, kb)[ATT3])).active
    assert "0539-8301234" in [c.value for row in plain.iter_rows() for c in row]  # read back as plain text


# ------------------------------------------------------------------ 4. what of 附件2 the school must write


def test_the_checklist_names_every_part_of_att2_the_school_must_still_write(kb):
    from docx import Document

    answers = validate_answers({**FACTS, "social_org_qualified": False, "goals": ["apply_social_org"],
                                "occupations": [{"name": "电工", "code": "6-31-01-03", "levels": [5, 4, 3]}]})
    files = render_documents(answers, kb)
    att2 = "附件2-职业技能等级认定工作方案.docx"
    paragraphs = [p.text.strip() for p in Document(io.BytesIO(files[att2])).paragraphs]
    prompted = [paragraphs[i - 1] for i, p in enumerate(paragraphs) if p.startswith(("（请填写：", "（请补充："))
                and re.match(r"^[一二三四五六七]、", paragraphs[i - 1])]
    prompted += [h for h in paragraphs if h.startswith("三、")]  # its prompt follows the occupation lines
    assert len(set(prompted)) >= 6
    checklist = files["checklist.md"].decode()
    assert "## 附件2 职业技能等级认定工作方案：报送前须由学校撰写" in checklist
    assert "**报送前须由学校撰写**：一、二、三、四、五、六部分" in checklist
    for heading in set(prompted):
        assert re.search(r"- \[ \] 【待(撰写|补充)】" + re.escape(heading) + "：", checklist), heading
    assert "（可选）七、其他" in checklist
