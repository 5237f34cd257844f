"""try30's non-engine findings: the check list's 附件3 step, the questionnaire's estimate, two phone numbers,
the web page's over-long paste, terminal words, the console (inbox, teach refusal, topic list, a compound's
uncovered part logged) and the documents' details (场地、设备, room to sign, 附件3 note 5's quotes)."""
import io
import re

import pytest

from bot import questionnaire as qn
from bot import validate as v
from bot.answers import validate_answers
from bot.dialogue import Dialogue
from bot.documents import render_documents
from test_dialogue import press

ATT1 = "附件1-社会培训评价组织基本情况表.docx"
ATT3 = "附件3-评价机构信息与认定范围清单.xlsx"
P10 = {"institution_type": "technical_school", "affiliation": "provincial", "student_cert_qualified": True,
       "social_org_qualified": False, "runs_prep_technician_class": True, "runs_senior_class": True,
       "has_segmented_students": True, "goals": ["certify_students", "certify_teachers", "apply_social_org"],
       "org": {"name": "山东省泉城技师学院", "address": "济南市历城区工业北路88号", "credit_code": "12370000MB2851637Q",
               "contact": "李秀梅", "phone": "0531-88776655", "email": "jwc@qcjsxy.edu.cn", "legal_rep": "张建国"},
       "occupations": [{"name": "车工", "code": "6-18-01-01", "levels": [4, 3, 2]}]}


# ------------------------------------------------------------------ A.8 附件3 among the application steps


def test_the_checklist_does_not_present_att3_as_part_of_the_application(kb):
    text = render_documents(validate_answers(P10), kb)["checklist.md"].decode()
    steps = text.split("## 步骤", 1)[1].split("\n## ", 1)[0]
    apply_step = steps.split("- [ ] **申报社会培训评价组织资质**", 1)[1].split("\n- [ ] **", 1)[0]
    assert "附件1" in apply_step and "附件2" in apply_step and "附件3" not in apply_step
    att3_step = next(line for line in steps.splitlines() if line.startswith("- [ ] **") and "附件3" in line)
    assert "不是申报资质的材料" in att3_step and "2.2只要求附件1、附件2" in att3_step
    assert "〔att3、2.2、3.2〕" in att3_step and "2.1" not in att3_step
    block = steps.split(att3_step, 1)[1].split("\n- [ ] **", 1)[0]
    assert "  - 报送：" not in block and "  - 如需报送：省或市" in block  # not worded as a filing of the application
    assert ATT3 in block  # SPEC: the .xlsx is still made when applying


# ------------------------------------------------------------------ B.11 the estimate


def _total(replies):
    m = re.search(r"第 (\d+) / 约 (\d+) 步", replies[-1].text)
    return int(m.group(2)) if m else None


def test_the_estimate_does_not_grow_after_facts_said_in_the_chat_and_grows_as_the_prompt_says(app):
    """try30: facts said in the chat, /check, 是 (keep them), 是 to 3+2 → 约 36 → 约 37; the occupation prompt
    said 约 4 步 and the total grew by 7."""
    d = Dialogue(app)
    d.handle_text("p10", "我们是省属技师学院，已取得学生认定资格，还没有社评资质，开了预师班，也开了高技班")
    replies = d.handle_text("p10", "/check")
    totals, grew = [], []
    replies = press(d, "p10", replies, "是")
    totals.append(_total(replies))
    replies = press(d, "p10", replies, "是")  # 3+2
    totals.append(_total(replies))
    for label in ("为本校学生认定", "为本校教师认定二级、三级", "申报社会培训评价组织资质", "完成"):
        replies = press(d, "p10", replies, label)
    totals.append(_total(replies))
    added = 0
    for _ in range(60):
        q = app.store.get_state("p10")["q"]
        if q is None or q["pending"] == "summary":
            break
        p = qn.prompt(q, app.kb)
        answer = {"org.name": "学校", "org.address": "济南", "org.credit_code": "123701004950034562",
                  "org.contact": "李华", "org.phone": "0531-88881234", "org.email": "a@b.cn", "occ.name": "电工",
                  "occ.code": "6-31-01-03", "occ.levels": "5、4、3", "occ.assessed_count": "12"}.get(q["pending"])
        if q["pending"] == "more_occ":
            said = int(re.search(r"每个工种约 (\d+) 步", p.text).group(1))
            answer = "是" if not added else "否"
            added += 1
        elif answer is None:
            answer = "跳过" if p.optional else ("是" if p.kind == "yesno" else "x")
        before = [t for t in totals if t is not None][-1]
        replies = d.handle_text("p10", answer)
        totals.append(_total(replies))
        if totals[-1] is None:
            continue
        if q["pending"] == "more_occ" and answer == "是":
            grew.append((said, totals[-1] - before))
        else:
            assert totals[-1] <= before, totals
    assert app.store.get_state("p10")["q"]["pending"] == "summary"
    assert totals[0] == totals[1], totals
    assert grew and all(said == growth for said, growth in grew), grew


# ------------------------------------------------------------------ B.15 two phone numbers


@pytest.mark.parametrize("raw, kept", [
    ("0531-88776655 / 13805310000", "0531-88776655 / 13805310000"),
    ("0531-88776655、13805310000", "0531-88776655、13805310000"),
    ("0531 88776655，138 0531 0000", "0531-88776655，13805310000"),
    ("13805310000;0531-86914920-123", "13805310000;0531-86914920-123"),
    ("0531-88776655；13805310000", "0531-88776655；13805310000"),
])
def test_two_phone_numbers_are_accepted_and_written_as_given(raw, kept):
    assert v.phone(raw) == kept


@pytest.mark.parametrize("raw", ["0531-88776655 / 12345", "/ 13805310000", "0531-88776655 / 13805310000 / 13905310000",
                                 "13805310000 /", "a / b"])
def test_a_bad_part_or_more_than_two_numbers_is_refused(raw):
    with pytest.raises(ValueError, match="电话"):
        v.phone(raw)


def test_two_phone_numbers_reach_both_documents(kb):
    from docx import Document
    from openpyxl import load_workbook

    answers = validate_answers({**P10, "org": {**P10["org"], "phone": "0531-88776655 / 13805310000"}})
    files = render_documents(answers, kb)
    doc = Document(io.BytesIO(files[ATT1]))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "0531-88776655 / 13805310000" in cells
    ws = load_workbook(io.BytesIO(files[ATT3])).active
    assert "0531-88776655 / 13805310000" in [c.value for row in ws.iter_rows() for c in row]


# ------------------------------------------------------------------ B.17 shell words in the terminal chat


def test_shell_words_in_the_terminal_chat_are_commands_not_questions(env, tmp_path):
    import sqlite3

    from conftest import run_cli

    p = run_cli(["chat"], dict(env, SKILLCERT_FILES=str(tmp_path)), stdin="clear\ncls\n社评怎么申报\nexit\n技师是几级\n")
    assert p.returncode == 0 and "Traceback" not in p.stderr
    assert p.stdout.count("已清屏") == 2 and "does not cover" not in p.stdout and "没有规定" not in p.stdout
    assert "附件1" in p.stdout and "技师是几级" not in p.stdout.split("附件1", 1)[1]  # exit left before the next line
    assert p.stdout.rstrip().endswith("再见！Bye!")
    with sqlite3.connect(env["SKILLCERT_DB"]) as db:
        logged = [r[0] for r in db.execute("select text from misses")] + [r[0] for r in db.execute("select text from questions")]
    assert not {"clear", "cls", "exit"} & set(logged), logged


# ------------------------------------------------------------------ C.20 a compound's uncovered part reaches the inbox


def test_the_uncovered_part_of_a_compound_question_is_logged_as_a_miss(env, tmp_path):
    import sqlite3
    from pathlib import Path

    from webserver import WebServer, client, say

    with WebServer(env, tmp_path) as s, client(s) as c:
        replies = say(c, "附件1必须用A4纸打印吗，联系人电话多少")
        assert "【附件1必须用A4纸打印吗】" in replies[0]["text"] and "〔contacts〕" in replies[0]["text"]
        say(c, "社评咋申报，材料交给谁")  # every part covered: nothing logged
        say(c, "Must attachment 1 be printed on A4 paper, and what is the contacts' phone number?")
    with sqlite3.connect(Path(env["SKILLCERT_DB"])) as db:
        misses = [r[0] for r in db.execute("select text from misses order by id")]
        asked = [r[0] for r in db.execute("select text from questions order by id")]
    assert misses == ["附件1必须用A4纸打印吗", "Must attachment 1 be printed on A4 paper"], misses
    assert len(asked) == 3  # the usage counts stay one per question


# ------------------------------------------------------------------ C.18, C.19, C.21 the console


@pytest.fixture
def console_site(tmp_path, kb_path):
    """The console on a copy of the sources; the regression guard answers a few labelled questions only."""
    from test_admin import Site, make_root, site_env

    root = make_root(tmp_path, kb_path)
    small = root / "small-labelled"
    small.mkdir()
    (small / "few.jsonl").write_text("\n".join((root / "tests" / "data" / "cases.jsonl").read_text(encoding="utf-8")
                                               .splitlines()[:3]) + "\n", encoding="utf-8")
    config = (root / "config.toml").read_text(encoding="utf-8")
    (root / "config.toml").write_text(config.replace('labelled = "tests/data"', 'labelled = "small-labelled"'),
                                      encoding="utf-8")
    s = Site(root, site_env(root))
    yield s
    s.stop()


def test_the_inbox_cuts_a_long_question_and_lists_the_topics_in_the_notices_order(console_site):
    from test_admin import ask_in_chat

    long = "我们学校的情况是这样的：" + "实训楼和设备都齐全，" * 380 + "附件1必须用A4纸打印吗"
    assert 3500 < len(long) <= 4000
    ask_in_chat(console_site, "web:1", long)
    c, _ = console_site.login()
    page = c.get("/admin/").text
    row = page.split('<tr class="group">', 1)[1].split("</tr>", 1)[0]
    shown = row.split('<span class="q">', 1)[1].split("</span>", 1)[0]
    full = row.split('<div class="full">', 1)[1].split("</div>", 1)[0]  # the rest, one click away
    assert len(full) >= 1000 and full.startswith("我们学校的情况")
    assert shown == full[:200] + "…"
    assert f"显示全文（共 {len(full)} 字）" in row
    assert full not in row.split("<details", 1)[0].split('name="question"', 1)[0]
    options = row.split('<select name="intent"', 1)[1].split("</select>", 1)[0].split("<option ")[2:]
    firsts = [o.split("〔", 1)[1].split("〕", 1)[0] for o in options if "〔" in o]
    order = ["1.1", "1.2", "2.1", "2.2", "2.3", "3.1", "3.2", "3.3", "3.4", "3.5"]
    numbered = [f for f in firsts if f in order]
    assert numbered == sorted(numbered, key=order.index) and len(set(numbered)) >= 8, firsts
    assert any("〔2.2〕" in o and "(application_materials)" in o for o in options)
    assert [o for o in options if "〔" not in o] == options[len(firsts):]  # topics citing no clause last


def test_a_teach_that_would_not_change_the_answer_is_said_in_plain_words(console_site):
    from test_admin import ask_in_chat

    question = "what do I need?"
    ask_in_chat(console_site, "web:2", question)
    c, csrf = console_site.login()
    r = c.post("/admin/inbox", data={"csrf": csrf, "question": question, "text": question, "intent": "application_materials",
                                "action": "assign"})
    assert r.status_code == 303
    page = c.get(r.headers["location"]).text
    flash = page.split('id="flash">', 1)[1].split("</div>", 1)[0]
    assert 'class="flash bad"' in page
    assert flash.startswith("没有保存：") and flash.lower().count("not taught") == 0 and "other signals" not in flash
    assert "可以这样做" in flash and "how is it read?" in flash and "不在通知范围" in flash  # what to do next
    assert "`" not in flash
    assert "what do I need?" in c.get("/admin/").text.split('id="misses"', 1)[1]  # still in the inbox


# ------------------------------------------------------------------ D. the documents' details


P10_FULL = {**P10, "org": {**P10["org"], "registrar": "山东省事业单位登记管理局", "capital": "3,500万元", "title": "教务处副处长",
                           "strengths": "1. 2015年起开展学生职业技能等级认定，累计认定1.2万人次；\n2. 参与编制《数控车工》行业评价规范；\n"
                                        "3. 连续三届承办省职业技能大赛。",
                           "premises": "实训楼2.3万平方米，数控车床、加工中心等设备480台套（权属证明另附）",
                           "staff": "专职人员12人，考评员86人，质量督导员6人"},
            "occupations": [{"name": "车工", "code": "6-18-01-01", "work_type": "数控车工", "levels": [4, 3, 2],
                             "has_standard": True, "experience": "2016年至今", "assessed_count": 1260},
                            {"name": "电工", "code": "6-31-01-03", "levels": [5, 4, 3, 2], "has_standard": True,
                             "experience": "2019年至今", "assessed_count": 380}]}


def test_att1_says_premises_and_equipment_and_leaves_room_to_sign(kb):
    from docx import Document

    doc = Document(io.BytesIO(render_documents(validate_answers(P10_FULL), kb)[ATT1]))
    cells = [c for t in doc.tables for row in t.rows for c in row.cells]
    texts = [c.text for c in cells]
    assert "四、场地、设备等情况" in texts and not any("场地 设备" in t for t in texts)
    pledge = next(c for c in cells if c.text.startswith("六、诚信承诺"))
    lines = [p.text.strip() for p in pledge.paragraphs]
    sign = next(i for i, x in enumerate(lines) if x.startswith("法定代表人（签字）"))
    seal = next(i for i, x in enumerate(lines) if x.startswith("单位名称（盖章）"))
    assert seal - sign >= 3 and lines[sign + 1:seal] == [""] * (seal - sign - 1)  # two blank lines to sign on
    assert lines[seal].endswith("山东省泉城技师学院") and lines[-1].replace(" ", "") == "年月日" and lines[-2] == ""
    assert kb.clauses["att1"]["text"].count("四、场地、设备等情况") == 1


def test_att3_note_5s_closing_quote_goes_with_the_digit_before_it(kb):
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(render_documents(validate_answers(P10_FULL), kb)[ATT3]), rich_text=True).active
    note5 = next(c.value for row in ws.iter_rows() for c in row if "如“5、4、3”" in str(c.value))
    runs = [(b.font.rFont, b.text) for b in note5]
    assert ("Times New Roman", "3”") in runs, runs  # not left to a fallback font after Latin text
    assert all(font == "Times New Roman" for font, text in runs if text[:1].isascii() and text.strip()), runs
    assert "".join(t for _, t in runs) == kb.clauses["att3.n5"]["text"].strip()  # still verbatim


@pytest.mark.slow
def test_rendered_att1_is_one_page_with_room_to_sign_and_att3_note_5_has_no_fallback_quote(kb, tmp_path):
    import shutil
    import subprocess

    from bot.documents import write_documents
    from test_render_pdf import text_fonts, words

    if not (shutil.which("soffice") and shutil.which("pdftotext") and shutil.which("pdftohtml")):
        pytest.skip("LibreOffice or poppler not installed")
    write_documents(validate_answers(P10_FULL), kb, tmp_path)
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path / 'lo'}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(tmp_path / ATT1), str(tmp_path / ATT3)],
                   check=True, capture_output=True, timeout=300)
    att1 = words(tmp_path / (ATT1[:-5] + ".pdf"))
    assert {w[0] for w in att1} == {0}, "附件1 runs onto a second page"
    sign = next(w for w in att1 if "签字" in w[5])
    seal = next(w for w in att1 if "盖章" in w[5])
    line = sign[4] - sign[2]
    assert seal[2] - sign[4] > 1.5 * line, (sign, seal)  # about two empty lines between them (was none)
    assert any("场地、设备等情况" in w[5] for w in att1)
    pieces = text_fonts(tmp_path / (ATT3[:-5] + ".pdf"))
    quote = [(f, t) for f, t in pieces if "”" in t and ("3" in t or "，以最新" in t)]
    assert quote and not [f for f, _ in quote if "DejaVu" in f], pieces
