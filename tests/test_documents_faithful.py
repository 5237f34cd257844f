"""Documents a school can file as they are (issue 9): each test reproduces one defect found when the
generated files were read back and laid next to the notice's forms."""
import json
import re

import pytest
from docx import Document
from openpyxl import load_workbook

from bot.answers import AnswersError, validate_answers
from bot.documents import att3_notes, render_documents, write_documents
from conftest import ROOT, run_cli

ATT1 = "附件1-社会培训评价组织基本情况表.docx"
ATT2 = "附件2-职业技能等级认定工作方案.docx"
ATT3 = "附件3-评价机构信息与认定范围清单.xlsx"

BASE = {"institution_type": "technical_school", "affiliation": "provincial", "student_cert_qualified": True,
        "social_org_qualified": False, "runs_prep_technician_class": True, "runs_senior_class": True,
        "has_segmented_students": False, "goals": ["apply_social_org"]}
ADJUST = {**BASE, "social_org_qualified": True, "goals": ["adjust_scope"]}


def docs(kb, answers) -> dict:
    return render_documents(validate_answers(answers), kb)


def sheet(tmp_path, kb, answers):
    write_documents(validate_answers(answers), kb, tmp_path)
    return load_workbook(tmp_path / ATT3).active


def all_text(doc) -> str:
    return "\n".join([p.text for p in doc.paragraphs] +
                     [c.text for t in doc.tables for r in t.rows for c in r.cells])


def find(ws, value):
    return next(c for row in ws.iter_rows() for c in row if c.value == value)


def test_a_value_starting_with_equals_is_text_not_a_formula(tmp_path, kb):
    link = '=HYPERLINK("http://evil.example","点此")'
    ws = sheet(tmp_path, kb, {**ADJUST, "org": {"name": "=1+1", "address": link},
                              "occupations": [{"name": "=SUM(A1:A9)", "levels": [5], "change": "增加"}]})
    for value in ("=1+1", link, "=SUM(A1:A9)"):
        cell = find(ws, value)
        assert cell.data_type == "s", value  # openpyxl would store it as a formula ("f")
    # and in the file itself: a shared/inline string, no <f> element
    import zipfile

    xml = zipfile.ZipFile(tmp_path / ATT3).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml
    # an inline string (its Latin run in a font of its own, try27): Excel shows it, never evaluates it
    assert re.search(r'<is>(?:<r>(?:<rPr>.*?</rPr>)?)?<t>=HYPERLINK\(', xml)


def test_typed_punctuation_and_full_width_digits_are_kept_as_typed(kb):
    name = "泉城（高级）技工学校，一校；１２３"
    files = docs(kb, {**BASE, "org": {"name": name, "address": "济南市１号（东门）"},
                      "occupations": [{"name": "电工（维修）", "levels": [5]}]})
    assert name in files["checklist.md"].decode()
    import io

    d1 = all_text(Document(io.BytesIO(files[ATT1])))
    assert name in d1 and "济南市１号（东门）" in d1 and "电工（维修）" in d1
    assert name in all_text(Document(io.BytesIO(files[ATT2])))


def test_att3_keeps_typed_text(tmp_path, kb):
    ws = sheet(tmp_path, kb, {**ADJUST, "org": {"name": "蓝海（烟台）技师学院，１号"}})
    assert find(ws, "蓝海（烟台）技师学院，１号")


def test_att1_keeps_the_work_type(kb):
    import io

    files = docs(kb, {**BASE, "occupations": [{"name": "车工", "work_type": "数控车工", "code": "6-18-01-01",
                                               "levels": [5, 4]},
                                              {"name": "电工", "work_type": "电工", "levels": [5]}]})
    grid = [[c.text for c in r.cells] for r in Document(io.BytesIO(files[ATT1])).tables[1].rows]
    assert grid[2][1] == "车工 / 数控车工"
    assert grid[3][1] == "电工"  # a work type equal to the occupation is not repeated


def test_att1_keeps_the_forms_blank_rows_and_the_checklist_marks_the_table(kb):
    import io

    files = docs(kb, BASE)  # no occupations yet
    grid = [[c.text for c in r.cells] for r in Document(io.BytesIO(files[ATT1])).tables[1].rows]
    assert [r[0] for r in grid[2:]] == ["1", "2", "3", "4", "5", "6", "..."]
    assert all(set(r[1:]) == {""} for r in grid[2:])
    text = files["checklist.md"].decode()
    section = text.split("## 职业（工种）")[1]
    assert "【待补充】" in section.split("##")[0]


def test_att3_carries_all_seven_notes_verbatim(tmp_path, kb):
    ws = sheet(tmp_path, kb, ADJUST)
    values = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    notes = att3_notes(kb)
    assert len(notes) == 7 and notes[2].startswith("3.职业编码采用") and notes[3].startswith("4.职业下设工种的")
    for note in notes:
        assert note in values, note
    assert "注：" in values


def test_att3_layout_title_long_values_and_wrapping(tmp_path, kb):
    website = "https://www." + "verylongschoolname" * 4 + ".edu.cn/zhaosheng/index.html"
    address = "济南市历城区" + "工业北路一百号院内" * 20
    ws = sheet(tmp_path, kb, {**ADJUST, "org": {"name": "学校", "website": website, "address": address[:200],
                                                "phone": "0531-88881234"},
                              "occupations": [{"name": "电工" * 40, "levels": [5], "change": "增加"}]})
    assert ws["A1"].value == "附件3" and ws.row_dimensions[2].height >= 30  # the label, then the 16 pt title fits its row
    web, addr, occ = find(ws, website), find(ws, address[:200]), find(ws, "电工" * 40)
    for cell in (web, addr, occ):
        assert cell.alignment.wrap_text
    phone = find(ws, "0531-88881234")
    assert web.column == phone.column and web.row != phone.row
    assert ws.row_dimensions[web.row].height > 30  # grown to hold the wrapped website
    assert ws.row_dimensions[addr.row].height > 60  # 200 characters over five lines and more
    assert ws.row_dimensions[occ.row].height > 30


def test_att1_headers_break_where_the_notice_breaks_them_and_cells_are_centred(kb):
    import io

    from docx.enum.table import WD_ALIGN_VERTICAL

    doc = Document(io.BytesIO(docs(kb, {**BASE, "occupations": [{"name": "电工", "levels": [5]}]})[ATT1]))
    header = [c.text for c in doc.tables[1].rows[1].cells]
    assert header[1] == "职业（工种）名称" and header[3] == "有无职业标准\n或评价规范"
    for table in doc.tables[:2]:
        for row in table.rows[1:]:
            for cell in row.cells:
                assert cell.vertical_alignment == WD_ALIGN_VERTICAL.CENTER


def test_att2_part_three_has_one_line_per_occupation(kb):
    import io

    files = docs(kb, {**BASE, "org": {"name": "学校"},
                      "occupations": [{"name": "电工", "code": "6-31-01-03", "levels": [5, 4]},
                                      {"name": "车工", "work_type": "数控车工", "levels": [4]}]})
    paras = [p.text for p in Document(io.BytesIO(files[ATT2])).paragraphs]
    assert "1. 电工（6-31-01-03）：5、4级；" in paras
    assert "2. 车工，数控车工：4级；" in paras


def test_yellow_only_on_changed_cells_organisation_fields_included(tmp_path, kb):
    ws = sheet(tmp_path, kb, {**ADJUST, "org": {"name": "蓝海技师学院", "phone": "0535-6651234",
                                                "email": "a@b.cn", "contact": "王芳", "changed": ["phone"]},
                              "occupations": [{"name": "电工", "levels": [5, 4], "change": ""}]})
    yellow = [c.coordinate for row in ws.iter_rows() for c in row
              if c.fill.fill_type == "solid" and c.fill.fgColor.rgb.endswith("FFFF00")]
    phone = find(ws, "0535-6651234")
    assert yellow == [phone.coordinate]
    assert ws.cell(phone.row, 5).value == "修改"


def test_org_changed_names_only_fields_of_att3():
    with pytest.raises(AnswersError, match=r"org\.changed"):
        validate_answers({"org": {"changed": ["colour"]}})
    assert validate_answers({"org": {"changed": ["email", "phone"]}})["org"]["changed"] == ["phone", "email"]


def test_checklist_optional_fields_follow_note_2(kb):
    text = docs(kb, {**ADJUST, "org": {"name": "学校"}})["checklist.md"].decode()
    assert "备案号：【待补充】" in text
    assert "机构简称（非必填）：（空，非必填）" in text and "网址（非必填）：（空，非必填）" in text
    text = docs(kb, {**BASE, "org": {"name": "学校"}})["checklist.md"].decode()
    assert "注册登记机构：【待补充】" in text and "注册资金：【待补充】" in text


@pytest.mark.parametrize("value, word", [("济南市\n历城区", "换行"), ("济南市\t历城区", "制表符"),
                                         ("济南\u202e市", "U+202E"), ("济南\u200b市", "U+200B"),
                                         ("济南\x07市", "U+0007")])
def test_line_breaks_and_invisible_characters_are_refused_with_a_clear_message(value, word):
    with pytest.raises(AnswersError) as e:
        validate_answers({"org": {"address": value}})
    assert str(e.value).startswith("org.address:") and word in str(e.value)
    with pytest.raises(AnswersError, match=r"occupations\[1\]\.name"):
        validate_answers({"occupations": [{"name": value}]})


def test_multi_line_fields_and_emoji_sequences_are_kept():
    out = validate_answers({"org": {"staff": "专职人员12人\n考评人员30人", "name": "👩‍💻学校"}})["org"]
    assert out["staff"] == "专职人员12人\n考评人员30人" and out["name"] == "👩‍💻学校"


def test_a_lone_surrogate_in_an_answers_file_is_bad_input(env, tmp_path):
    f = tmp_path / "a.json"
    f.write_text('{"org": {"address": "济南\\ud800市"}}', encoding="utf-8")
    for args in (["check", "--answers", str(f)], ["checklist", "--answers", str(f), "--out", str(tmp_path / "o")]):
        p = run_cli(args, env)
        assert p.returncode == 2, p.stderr
        assert "org.address" in p.stderr and "Traceback" not in p.stderr and "UnicodeEncodeError" not in p.stderr
    assert not (tmp_path / "o").exists()


def test_checklist_refuses_a_non_empty_folder_and_force_leaves_no_stale_file(env, tmp_path):
    out = tmp_path / "out"
    apply_ = tmp_path / "apply.json"
    apply_.write_text(json.dumps(BASE), encoding="utf-8")
    adjust = tmp_path / "adjust.json"
    adjust.write_text(json.dumps(ADJUST), encoding="utf-8")
    assert run_cli(["checklist", "--answers", str(apply_), "--out", str(out)], env).returncode == 0
    assert ATT1 in {f.name for f in out.iterdir()}
    (out / "checklist.md").write_text("hand-edited", encoding="utf-8")
    (out / "盖章扫描件.pdf").write_bytes(b"%PDF")
    p = run_cli(["checklist", "--answers", str(adjust), "--out", str(out)], env)
    assert p.returncode == 2 and "--force" in p.stderr and "not empty" in p.stderr
    assert (out / "checklist.md").read_text(encoding="utf-8") == "hand-edited"  # nothing written
    p = run_cli(["checklist", "--answers", str(adjust), "--out", str(out), "--force"], env)
    assert p.returncode == 0, p.stderr
    # 附件1/2 of the earlier run are gone, the school's own file stays, and the command said so
    assert {f.name for f in out.iterdir()} == {"checklist.md", ATT3, "盖章扫描件.pdf"}
    assert ATT1 in p.stderr and "removed" in p.stderr and "replaced" in p.stderr


def test_checklist_out_empty_string_is_bad_input(env, tmp_path):
    p = run_cli(["checklist", "--answers", str(ROOT / "examples" / "answers.toml"), "--out", ""], env)
    assert p.returncode == 2 and "--out" in p.stderr
    assert not (ROOT / "checklist.md").exists()
