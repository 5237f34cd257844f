"""Generated documents, read back with python-docx and openpyxl; the check and checklist commands."""
import json

import pytest
from docx import Document
from openpyxl import load_workbook

from bot.answers import read_answers_file, validate_answers
from bot.documents import render_documents, write_documents
from conftest import ROOT, run_cli

ATT1 = "附件1-社会培训评价组织基本情况表.docx"
ATT2 = "附件2-职业技能等级认定工作方案.docx"
ATT3 = "附件3-评价机构信息与认定范围清单.xlsx"

ANSWERS = {
    "institution_type": "technical_school", "affiliation": "municipal", "student_cert_qualified": True,
    "social_org_qualified": True, "runs_prep_technician_class": True, "runs_senior_class": False,
    "has_segmented_students": False, "goals": ["adjust_scope"],
    "org": {"name": "烟台蓝海技师学院", "short_name": "蓝海技院", "address": "烟台市莱山区", "credit_code": "123701004950034562",
            "contact": "王芳", "title": "科长", "phone": "0535-6651234", "email": "kz@lanhai.edu.cn", "filing_no": "S370600001"},
    "occupations": [
        {"name": "电工", "code": "6-31-01-03", "levels": [5, 4, 3], "change": ""},
        {"name": "焊工", "code": "6-18-02-04", "work_type": "焊工", "levels": [4, 3], "change": "修改",
         "changed": ["levels"]},
        {"name": "车工", "code": "6-18-01-01", "levels": [5, 4, 3, 2], "change": "增加"},
        {"name": "钳工", "code": "6-20-01-01", "levels": [5], "change": "删除"},
    ],
}


def cells_text(doc) -> str:
    return "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)


@pytest.fixture
def example(tmp_path, kb):
    answers = read_answers_file(ROOT / "examples" / "answers.toml")
    files = write_documents(answers, kb, tmp_path / "out")
    return answers, {p.name: p for p in files}


def test_file_names_follow_the_spec(example):
    _, files = example
    assert set(files) == {"checklist.md", ATT1, ATT2, ATT3}


def test_att1_has_every_answer_in_its_cell(example):
    answers, files = example
    doc = Document(files[ATT1])
    text = cells_text(doc)
    for value in answers["org"].values():
        assert value in text
    grid = [[c.text for c in r.cells] for r in doc.tables[1].rows]
    assert grid[2] == ["1", "电工", "6-31-01-03", "有", "2018年至今", "120", "5、4、3"]
    assert grid[3] == ["2", "焊工", "6-18-02-04", "有", "2019年至今", "85", "5、4、3、2"]
    assert len(grid) == 2 + 6 + 1  # header rows, the form's six numbered rows (two filled), its "..." row
    assert [r[0] for r in grid[4:]] == ["3", "4", "5", "6", "..."] and set(grid[5][1:]) == {""}
    assert "技工院校  ☑" in text and "企    业  □" in text
    assert "法定代表人（签字）" in text and "诚信承诺" in text
    assert "{{" not in text and "{%" not in text


def test_att2_outline_has_the_seven_parts_and_the_school(example):
    _, files = example
    paras = [p.text for p in Document(files[ATT2]).paragraphs]
    assert "泉城高级技工学校" in paras
    for head in ("一、总体规划、工作计划", "二、组织机构及职责", "四、评价流程及考核工作规则", "七、其他"):
        assert head in paras
    assert any("电工（6-31-01-03）：5、4、3级" in p for p in paras)


def test_att3_body_type_of_a_school_still_applying_is_technical_school(tmp_path, kb):
    """try26: a school without 社评资质 that applies for it was filled in as a 社会培训评价组织 already."""
    answers = validate_answers({**ANSWERS, "social_org_qualified": False, "goals": ["apply_social_org"]})
    write_documents(answers, kb, tmp_path)
    assert load_workbook(tmp_path / ATT3).active["B5"].value == "技工院校"


def test_att3_rows_levels_and_yellow_changes(tmp_path, kb):
    answers = validate_answers(ANSWERS)
    write_documents(answers, kb, tmp_path)
    ws = load_workbook(tmp_path / ATT3).active
    assert ws["A1"].value == "附件3"  # try28: labelled as the notice's attachment
    assert ws["B3"].value == "烟台蓝海技师学院" and ws["B4"].value == "蓝海技院" and ws["D4"].value == "S370600001"
    assert ws["B5"].value == "社会培训评价组织"
    assert ws["D6"].value == "0535-6651234" and ws["B7"].value == "kz@lanhai.edu.cn" and ws["D7"].value is None
    rows = {ws.cell(r, 1).value: r for r in range(11, 15)}
    assert [ws.cell(rows["电工"], c).value for c in range(1, 6)] == ["电工", "6-31-01-03", None, "5、4、3", None]
    assert ws.cell(rows["车工"], 4).value == "5、4、3、2"
    yellow = lambda r, c: ws.cell(r, c).fill.fill_type == "solid" and ws.cell(r, c).fill.fgColor.rgb.endswith("FFFF00")
    for name, remark in (("焊工", "修改"), ("车工", "增加"), ("钳工", "删除")):
        r = rows[name]
        assert ws.cell(r, 5).value == remark
    # note 7: only the changed cells are yellow: 焊工's levels; an added or deleted row as a whole
    assert [yellow(rows["焊工"], c) for c in range(1, 6)] == [False, False, False, True, False]
    for name in ("车工", "钳工"):
        assert [yellow(rows[name], c) for c in range(1, 6)] == [True, True, True, True, False]
    assert all(ws.cell(rows["电工"], c).fill.fill_type is None for c in range(1, 6))  # unchanged: not yellow
    assert ws.cell(15, 1).value is None  # nothing after the last occupation row
    assert any("注：" == ws.cell(r, 1).value for r in range(15, 19))  # the notes moved down, intact


def test_adjusting_scope_writes_only_the_list_and_the_checklist(tmp_path, kb):
    files = render_documents(validate_answers(ANSWERS), kb)
    assert set(files) == {"checklist.md", ATT3}
    text = files["checklist.md"].decode("utf-8")
    assert "3.2" in text and "涂黄" in text and "所在市人力资源社会保障局" in text


def test_checklist_marks_what_is_missing(tmp_path, kb):
    answers = validate_answers({**ANSWERS, "goals": ["apply_social_org"], "social_org_qualified": False,
                                "org": {"name": "某技工学校"}})
    text = render_documents(answers, kb)["checklist.md"].decode("utf-8")
    assert "单位名称：某技工学校" in text and "统一社会信用代码：【待补充】" in text
    for clause in ("att1.n3", "att1.n4", "att1.pledge", "2.2"):
        assert clause in text
    assert "- [ ]" in text


def test_check_command_json(env):
    p = run_cli(["check", "--answers", str(ROOT / "examples" / "answers.toml"), "--json"], env)
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    caps = out["capabilities"]
    assert caps["certify_students"] == {**caps["certify_students"], "status": "allowed", "levels": [5, 4, 3, 2]}
    assert caps["certify_teachers"]["status"] == "can_apply"
    assert caps["apply_social_org"]["clauses"] == ["2.1", "2.2"]
    for cap in caps.values():
        assert cap["status"] in ("allowed", "not_allowed", "can_apply", "already_has", "not_applicable")
        assert cap["reason"] and cap["clauses"]
    apply = next(a for a in out["actions"] if a["id"] == "apply_social_org")
    assert apply["documents"] == ["att1", "att2"] and apply["clauses"][0] == "2.2"
    assert "省人力资源社会保障厅" in apply["submit_to"]


def test_checklist_command_writes_the_files(env, tmp_path):
    out = tmp_path / "docs"
    p = run_cli(["checklist", "--answers", str(ROOT / "examples" / "answers.toml"), "--out", str(out)], env)
    assert p.returncode == 0, p.stderr
    assert {f.name for f in out.iterdir()} == {"checklist.md", ATT1, ATT2, ATT3}


BAD = [
    ('credit_code = "x"', "[org]\ncredit_code = \"123701004950034563\"\n", "org.credit_code"),
    ("level 6", "[[occupations]]\nname = \"电工\"\nlevels = [5, 6]\n", "occupations[1].levels"),
    ("unknown key", "colour = \"red\"\n", "colour"),
    ("wrong type", "student_cert_qualified = \"yes\"\n", "student_cert_qualified"),
    ("bad enum", "goals = [\"fly\"]\n", "goals"),
    ("bad toml", "institution_type = \n", "TOML"),
    ("bad phone", "[org]\nphone = \"12345\"\n", "org.phone"),
    ("bad code", "[[occupations]]\nname = \"电工\"\ncode = \"631\"\n", "occupations[1].code"),
    ("negative count", "[[occupations]]\nname = \"电工\"\nassessed_count = -3\n", "occupations[1].assessed_count"),
    ("bad change", "[[occupations]]\nname = \"电工\"\nchange = \"改\"\n", "occupations[1].change"),
]


@pytest.mark.parametrize("label, content, field", BAD, ids=[b[0] for b in BAD])
def test_bad_answers_exit_2_name_the_field_and_write_nothing(env, tmp_path, label, content, field):
    f = tmp_path / "answers.toml"
    f.write_text(content, encoding="utf-8")
    out = tmp_path / "out"
    for args in (["check", "--answers", str(f)], ["checklist", "--answers", str(f), "--out", str(out)]):
        p = run_cli(args, env)
        assert p.returncode == 2, (label, p.stdout, p.stderr)
        assert field in p.stderr and "Traceback" not in p.stderr
        assert p.stdout == ""
    assert not out.exists()


def test_malformed_json_and_missing_file(env, tmp_path):
    f = tmp_path / "a.json"
    f.write_text("{\"goals\": [", encoding="utf-8")
    p = run_cli(["check", "--answers", str(f)], env)
    assert p.returncode == 2 and "JSON" in p.stderr
    p = run_cli(["check", "--answers", str(tmp_path / "nope.toml")], env)
    assert p.returncode == 2 and "no such file" in p.stderr
    b = tmp_path / "bin.toml"
    b.write_bytes(b"\xff\xfe\x00garbage")
    assert run_cli(["check", "--answers", str(b)], env).returncode == 2


def test_json_answers_work_like_toml(env, tmp_path):
    f = tmp_path / "a.json"
    f.write_text(json.dumps(ANSWERS, ensure_ascii=False), encoding="utf-8")
    p = run_cli(["check", "--answers", str(f), "--json"], env)
    assert p.returncode == 0 and json.loads(p.stdout)["actions"][0]["id"] == "adjust_scope"
