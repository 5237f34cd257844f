"""try29, maintainers' data: a facts.toml value the notice also states, edited in one file only, is named
by `skillcert kb build` (a real process over a copy of the sources), which still builds; uploaded
附件3 rows and answers files name every problem of a row."""
from __future__ import annotations

import io
import shutil
import subprocess

from openpyxl import Workbook

from bot.answers import AnswersError, validate_answers
from bot.occupation_sheet import SheetError, read_sheet
from conftest import ROOT, skillcert_cmd


def test_kb_build_warns_when_a_fact_differs_from_its_clause_and_still_builds(tmp_path, env):
    root = tmp_path / "home"
    for d in ("knowledge", "intents"):
        shutil.copytree(ROOT / d, root / d)
    shutil.copy(ROOT / "config.toml", root / "config.toml")
    facts = root / "knowledge" / "facts.toml"
    text = facts.read_text(encoding="utf-8")
    facts.write_text(text.replace('phone = "0531-86018851"', 'phone = "0531-86018899"')
                     .replace('code = "鲁人社字〔2020〕50号"', 'code = "鲁人社字〔2020〕51号"'), encoding="utf-8")
    e = dict(env, SKILLCERT_HOME=str(root), SKILLCERT_KB=str(tmp_path / "kb.sqlite"))
    p = subprocess.run(skillcert_cmd() + ["kb", "build"], env=e, capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    assert (tmp_path / "kb.sqlite").is_file()
    assert "王伟超" in p.stderr and "0531-86018899" in p.stderr and "contacts" in p.stderr and "0531—86018851" in p.stderr
    assert "鲁人社字〔2020〕51号" in p.stderr and "`2.1`" in p.stderr
    # the shipped data has none
    e = dict(env, SKILLCERT_KB=str(tmp_path / "kb2.sqlite"))
    p = subprocess.run(skillcert_cmd() + ["kb", "build"], env=e, capture_output=True, text=True, timeout=300)
    assert p.returncode == 0 and "warning" not in p.stderr, p.stderr


def sheet(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["序号", "职业名称", "职业编号", "工种/职业方向", "级别", "备注"])
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_an_uploaded_row_with_three_problems_names_all_three():
    data = sheet([[1, "电工", "6-31-01-03", "", "5、4、3", "增加"], [2, "=1+1", "12-34", "", "6", "增加"]])
    try:
        read_sheet(data, "zh")
    except SheetError as e:
        msg = str(e)
    else:
        raise AssertionError("a bad row was read")
    lines = [x for x in msg.splitlines() if x.startswith("第 3 行")]
    assert len(lines) == 3, msg
    assert any("职业名称" in x for x in lines) and any("职业编号" in x for x in lines) and any("级别" in x for x in lines)


def test_an_answers_file_row_names_every_problem():
    try:
        validate_answers({"occupations": [{"name": "电工", "code": "x", "levels": [6]}, {"name": "焊工", "levels": "9"}]})
    except AnswersError as e:
        msg = str(e)
    else:
        raise AssertionError("bad rows accepted")
    assert "occupations[1].code" in msg and "occupations[1].levels" in msg and "occupations[2].levels" in msg


def test_a_taught_phrasing_keeps_its_full_width_question_mark():
    from bot.teach import check_question

    assert check_question(" 增加职业之前必须先取得社评资质吗？ ") == "增加职业之前必须先取得社评资质吗？"
    assert check_question("老师<b>能</b>认定二级吗？") == "老师 能 认定二级吗?"  # markup taken out: the cleaned text
