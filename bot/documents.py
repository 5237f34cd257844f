"""Pre-filled application documents (SPEC: `checklist` output) from the templates in templates/.

`render_documents()` builds every file in memory (name → bytes) from validated answers;
`write_documents()` writes them into a folder only once all of them were built, so a failure
leaves nothing half-written.
"""
from __future__ import annotations

import datetime as dt
import io
import os
from pathlib import Path

import jinja2

from . import validate as v
from .config import project_root
from .eligibility import CAPABILITY_WORDS, READING_NOTE, check, status_word
from .kb import KnowledgeBase

YELLOW = "FFFF00"
# Latin letters and digits beside 宋体 (try27): a name the reader's machine lacks makes LibreOffice draw them
# in its fallback (DejaVu Sans), visibly larger than the Chinese beside them; Chinese official forms set
# them in Times New Roman (LibreOffice: its metric twin Liberation Serif), at the cell's own size.
LATIN_FONT = "Times New Roman"
CHANGE_WORDS = ("增加", "修改", "删除")
ATT1_FIELDS = [("name", "单位名称"), ("address", "地址"), ("credit_code", "统一社会信用代码"),
               ("registrar", "注册登记机构"), ("legal_rep", "法定代表人"), ("capital", "注册资金"),
               ("contact", "联系人"), ("title", "职务"), ("phone", "联系电话"), ("email", "电子邮箱")]
OPTIONAL_FIELDS = {"short_name", "website"}  # 附件3 note 2: only 简称 and 网址 are optional
ATT1_TEXTS = [("strengths", "三、组织优势、专业优势等情况"), ("premises", "四、场地、设备等情况"),
              ("staff", "五、专职人员和考评人员等情况")]
ATT1_BLANK_ROWS = 6  # the notice's form has rows 1 to 6, then "..."
ATT3_FIELDS = [("name", "机构名称"), ("short_name", "机构简称（非必填）"), ("filing_no", "备案号"),
               ("contact", "联系人"), ("phone", "联系电话"), ("email", "邮箱"), ("website", "网址（非必填）"),
               ("address", "地址")]
INSTITUTION_TYPES = ("enterprise", "industry_association", "university", "technical_school", "private_training")


def templates_dir() -> Path:
    return Path(os.environ.get("SKILLCERT_TEMPLATES") or project_root() / "templates")


def attachment(kb: KnowledgeBase, att_id: str) -> dict:
    return next(a for a in kb.facts["attachment"] if a["id"] == att_id)


def occupation_rows(answers: dict) -> list[dict]:
    rows = []
    for i, o in enumerate(answers.get("occupations", []), 1):
        has_std = o.get("has_standard")
        name, work_type = o.get("name", ""), o.get("work_type", "")
        rows.append({
            "no": i, "name": name, "code": o.get("code", ""), "work_type": work_type,
            # 附件1 has one 职业（工种）名称 column: 车工 / 数控车工
            "name_type": f"{name} / {work_type}" if work_type and work_type != name else name,
            "changed": o.get("changed", []),
            "change_note": _change_note(o),
            "levels": v.levels_text(o.get("levels", [])),
            "has_standard": "" if has_std is None else ("有" if has_std else "无"),
            "experience": o.get("experience", ""),
            "assessed_count": "" if o.get("assessed_count") is None else str(o["assessed_count"]),
            "change": o.get("change", ""),
        })
    return rows


OCC_CELL_WORDS = {"name": "职业名称", "code": "职业编号", "work_type": "工种/职业方向", "levels": "级别"}


def _change_note(o: dict) -> str:
    """The checklist's 变更 column: 修改（级别）, or what is still to be marked."""
    change = o.get("change", "")
    if change != "修改":
        return change
    if o.get("changed"):
        return "修改（" + "、".join(OCC_CELL_WORDS[k] for k in o["changed"]) + "，已涂黄）"
    return "修改【待补充：改了哪几格，请在附件3中涂黄】"


def body_type(answers: dict) -> str:
    """附件3 note 1: 用人单位 / 社会培训评价组织 / 技工院校. A school that holds 社评资质 files as a 社会培训评价组织;
    one that does not (even while applying for it, try26) is what it is today, a 技工院校 (附件1, too, has a
    技工院校 tick "技工院校"). The notice does not say which a school holding both picks: the check list says so."""
    if answers.get("social_org_qualified"):
        return "社会培训评价组织"
    return "技工院校" if answers.get("institution_type", "technical_school") == "technical_school" else "用人单位"


def documents_needed(result: dict) -> list[str]:
    needed: list[str] = []
    for a in result["actions"]:
        for d in a["documents"]:
            if d not in needed:
                needed.append(d)
    return needed


# ------------------------------------------------------------------ each file


def render_att1(answers: dict) -> bytes:
    from docxtpl import DocxTemplate

    tpl = DocxTemplate(templates_dir() / "附件1-社会培训评价组织基本情况表.docx")
    kind = answers.get("institution_type", "technical_school")
    org = {k: "" for k, _ in ATT1_FIELDS} | {"strengths": "", "premises": "", "staff": ""}
    org.update(answers.get("org", {}))
    rows = occupation_rows(answers)
    # keep the form's blank rows to fill by hand (at least six, numbered), then its "..." row
    rows += [{"no": n, "name_type": ""} for n in range(len(rows) + 1, ATT1_BLANK_ROWS + 1)]
    rows.append({"no": "...", "name_type": ""})
    tpl.render({"org": org, "rows": rows,
                "box": {k: ("☑" if k == kind else "□") for k in INSTITUTION_TYPES}}, autoescape=True)
    _latin_font_docx(tpl)
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()


def render_att2(answers: dict) -> bytes:
    from docxtpl import DocxTemplate

    tpl = DocxTemplate(templates_dir() / "附件2-职业技能等级认定工作方案.docx")
    tpl.render({"org": {"name": answers.get("org", {}).get("name", "")}, "rows": occupation_rows(answers)},
               autoescape=True)
    _latin_font_docx(tpl)
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()


def _latin_font_docx(tpl) -> None:
    """Word picks a run's font per script: Latin letters and digits (w:ascii, w:hAnsi) in LATIN_FONT,
    Chinese (w:eastAsia) as the template says, at the run's own size."""
    from docx.oxml.ns import qn

    doc = tpl.docx if getattr(tpl, "docx", None) is not None else tpl
    roots = [doc.element.body] + [st.element for st in doc.styles]
    for root in roots:
        for rpr in root.iter(qn("w:rPr")):
            fonts = rpr.find(qn("w:rFonts"))
            if fonts is None:
                fonts = rpr.makeelement(qn("w:rFonts"), {})
                rpr.insert(0, fonts)
            for attr in ("w:ascii", "w:hAnsi"):
                fonts.set(qn(attr), LATIN_FONT)
            for attr in ("w:asciiTheme", "w:hAnsiTheme"):
                fonts.attrib.pop(qn(attr), None)


def _display_width(text: str) -> int:
    """Width in Excel column units: CJK and full-width characters take two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _lines_needed(text: str, width: float, size: float = 11.0) -> int:
    """Lines a wrapped cell needs: column units are about one 11 pt Latin character wide."""
    usable = max(width - 1.5, 2) * 11.0 / size
    return sum(max(1, -(-_display_width(line) // int(usable))) for line in str(text).split("\n"))


def _text_cell(cell, value) -> None:
    """What the school typed goes in as text, never as a formula (=HYPERLINK(…), =1+1 stay as typed);
    runs of Latin letters and digits in LATIN_FONT, the rest in the cell's font, both at the cell's size."""
    cell.value = value if value not in ("", None) else None
    if isinstance(cell.value, str):
        cell.value = _latin_runs(cell.value, cell.font)
        cell.data_type = "s"


def _latin_runs(text: str, font):
    import re

    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    # a closing quote right after Latin text goes with it (try30: 附件3 note 5's 如“5、4、3” ended in ″ in LibreOffice:
    # a quote takes the script of the character before it, so it was drawn in the run's Latin fallback, DejaVu Sans)
    split = re.split(r"([\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?[”’]*)", text)
    parts = [(p, i % 2 == 1) for i, p in enumerate(split) if p]
    if not any(latin and p.strip() for p, latin in parts):
        return text
    size = font.sz if font and font.sz else 11
    name = font.name if font and font.name else "宋体"
    bold = bool(font and font.b)
    return CellRichText([TextBlock(InlineFont(rFont=LATIN_FONT if latin else name, sz=size, b=bold), p)
                         for p, latin in parts])


def _fit_rows(ws, first: int, last: int, line_pt: float = 15.0) -> None:
    """Row heights from the wrapped text (Excel does not grow rows by itself; LibreOffice keeps them)."""
    from openpyxl.utils import get_column_letter

    widths = {c: ws.column_dimensions[get_column_letter(c)].width or 9 for c in range(1, ws.max_column + 1)}
    merged = {}
    for rng in ws.merged_cells.ranges:
        merged[(rng.min_row, rng.min_col)] = sum(widths.get(c, 9) for c in range(rng.min_col, rng.max_col + 1))
    for r in range(first, last + 1):
        height = 0.0
        for cell in ws[r]:
            if cell.value in (None, ""):
                continue
            size = float(cell.font.sz) if cell.font and cell.font.sz else 11.0
            width = merged.get((r, cell.column), widths.get(cell.column, 9))
            height = max(height, _lines_needed(str(cell.value), width, size) * size * 1.35 + 5)
        ws.row_dimensions[r].height = round(max(height, line_pt + 3), 1)


def render_att3(answers: dict, kb: KnowledgeBase | None = None) -> bytes:
    from copy import copy

    from openpyxl import load_workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    from .answers import OCC_CELLS

    wb = load_workbook(templates_dir() / "附件3-评价机构信息与认定范围清单.xlsx")
    ws = wb.active
    org = answers.get("org", {})
    changed_org = set(org.get("changed", []))
    yellow = PatternFill(fill_type="solid", start_color=YELLOW, end_color=YELLOW)
    fields = ("name", "short_name", "filing_no", "contact", "phone", "email", "website", "address")
    values = {f"{{{{{k}}}}}": k for k in fields}
    occ_row = notes_row = None
    remarks: dict[int, list[str]] = {}
    for row in ws.iter_rows():
        for cell in row:
            if not isinstance(cell.value, str):
                continue
            if cell.value in values:
                key = values[cell.value]
                _text_cell(cell, org.get(key, ""))
                if key in changed_org:
                    cell.fill = yellow
                    remarks.setdefault(cell.row, []).append("修改")
            elif cell.value == "{{type}}":
                _text_cell(cell, body_type(answers))
            elif cell.value == "{{notes}}":
                notes_row = cell.row
            elif cell.value.startswith("{{occ."):
                occ_row = cell.row
    for r, words in remarks.items():  # 备注 of an organisation row that changed
        remark = ws.cell(row=r, column=5)
        if remark.value in (None, ""):
            remark.value = "修改"
    rows = occupation_rows(answers)
    last = occ_row or ws.max_row
    if occ_row is not None:
        template_cells = {c.column: c for c in ws[occ_row]}
        markers = {col: c.value for col, c in template_cells.items()}
        if len(rows) > 1:
            ws.insert_rows(occ_row + 1, len(rows) - 1)
            _shift_merged(ws, occ_row + 1, len(rows) - 1)
            if notes_row is not None:
                notes_row += len(rows) - 1
        for i, occ in enumerate(rows or [None]):
            r = occ_row + i
            for col, marker in markers.items():
                cell = ws.cell(row=r, column=col)
                src = template_cells[col]
                if i:
                    cell.font, cell.border, cell.alignment = copy(src.font), copy(src.border), copy(src.alignment)
                field_name = marker[len("{{occ."):-2] if isinstance(marker, str) and marker.startswith("{{occ.") else None
                _text_cell(cell, (occ.get(field_name) or None) if occ and field_name else None)
                if not occ or field_name not in OCC_CELLS:
                    continue
                # note 7: the cells that changed are yellow; an added or deleted row changed as a whole
                if occ["change"] in ("增加", "删除") or (occ["change"] == "修改" and field_name in occ["changed"]):
                    cell.fill = yellow
        last = occ_row + max(len(rows), 1) - 1
    if notes_row is not None and kb is not None:
        last = _write_notes(ws, notes_row, kb, Font, Alignment)
    label = ws["A1"]
    if isinstance(label.value, str):  # "附件3": its digit in LATIN_FONT like every other
        _text_cell(label, label.value)
    _fit_rows(ws, 3, last)
    ws.row_dimensions[1].height = 20  # "附件3", as the notice's attachment opens (try28)
    ws.row_dimensions[2].height = 36  # the title (16 pt) whole
    ws.page_margins.left = ws.page_margins.right = 0.5  # inches: the table and its notes on one page
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _shift_merged(ws, from_row: int, n: int) -> None:
    """openpyxl's insert_rows does not move merged ranges below the insertion: move them."""
    for rng in list(ws.merged_cells.ranges):
        if rng.min_row >= from_row:
            ws.merged_cells.remove(rng)
            rng.shift(0, n)
            ws.merged_cells.add(rng)


def att3_notes(kb: KnowledgeBase) -> list[str]:
    """附件3's seven notes, verbatim from knowledge/notice.toml (one source)."""
    return [kb.clauses[f"att3.n{i}"]["text"].strip() for i in range(1, 8)]


def _write_notes(ws, row: int, kb: KnowledgeBase, Font, Alignment) -> int:
    for rng in list(ws.merged_cells.ranges):
        if rng.min_row >= row:
            ws.merged_cells.remove(rng)
    lines = ["注："] + att3_notes(kb)
    for i, text in enumerate(lines):
        r = row + i
        cell = ws.cell(row=r, column=1)
        cell.font = Font(name="宋体", size=10)
        _text_cell(cell, text)
        cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="left")
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=5)
    return row + len(lines) - 1


def att2_to_write(docx: bytes) -> list[dict]:
    """The parts of a generated 附件2 the school still has to write: each heading (一、… 七、) with the
    prompts under it, "（请填写：…）" (to write), "（请补充：…）" (to complete) or a bare "（…）" (optional).
    Read from the generated file itself, so the check list follows the template."""
    import re

    from docx import Document

    doc = Document(io.BytesIO(docx))
    parts: list[dict] = []
    heading = None
    for p in doc.paragraphs:
        text = p.text.strip()
        if re.match(r"^[一二三四五六七八九十]+、", text):
            heading = text
            continue
        m = re.fullmatch(r"（(?:(请填写|请补充)：)?(.+?)）", text)
        if heading and m:
            kind = {"请填写": "write", "请补充": "complete"}.get(m.group(1) or "", "optional")
            parts.append({"section": heading, "what": m.group(2).rstrip("。"), "kind": kind})
    return parts


def render_checklist(answers: dict, kb: KnowledgeBase, result: dict, att2: bytes | None = None) -> bytes:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(templates_dir()), autoescape=False,
                             trim_blocks=False, keep_trailing_newline=True)
    env.filters["cell"] = lambda x: str(x or "").replace("|", "\\|")  # a | typed in a name keeps the table
    env.filters["truncate_section"] = lambda x: str(x).split("、", 1)[0]  # "一、总体规划…" → "一"
    org = answers.get("org", {})
    caps = []
    for name, c in result["capabilities"].items():
        caps.append({"title": CAPABILITY_WORDS["zh"][name],
                     "status": status_word(name, c["status"], "zh") + (READING_NOTE["zh"] if c.get("our_reading") else ""),  # try28
                     "levels": "、".join(f"{n}级" for n in c.get("levels", [])), "clauses": "、".join(c["clauses"]),
                     "reason": c["reason"]})
    actions = []
    for a in result["actions"]:
        spec = kb.actions[a["id"]]
        actions.append({
            "title": a["title"], "clauses": "、".join(a["clauses"]), "submit_to": a["submit_to"],
            "submit_label": (spec.get("submit_label") or {}).get("zh", "报送"),  # try30: 附件3 when applying
            "documents": [{"title": f"附件{attachment(kb, d)['no']}《{attachment(kb, d)['title']}》",
                           "file": attachment(kb, d)["file"]} for d in a["documents"]],
            "proofs": [{"text": p["zh"], "clause": p["clause"]} for p in spec.get("proofs", [])],
        })
    needed = documents_needed(result)
    docs = []
    if "att1" in needed:
        docs.append({"title": "附件1 社会培训评价组织基本情况表",
                     "fields": [{"label": label, "value": org.get(k, ""), "optional": k in OPTIONAL_FIELDS}
                                for k, label in ATT1_FIELDS]
                     + [{"label": label, "value": f"已填写（{len(org[k])}字，见附件1）" if org.get(k) else ""}
                        for k, label in ATT1_TEXTS]})
    if "att3" in needed:
        docs.append({"title": "附件3 评价机构信息与认定范围清单",
                     "fields": [{"label": label, "value": org.get(k, ""), "optional": k in OPTIONAL_FIELDS}
                                for k, label in ATT3_FIELDS]
                     + [{"label": "机构类型", "value": body_type(answers)
                         + "（注1可选“用人单位”“社会培训评价组织”“技工院校”；通知未规定技工院校取得社评资质后选哪一项，此处是我们的推断，请与联系人确认）"}]
                     + ([{"label": "已变更的机构信息（附件3中涂黄、备注“修改”）",
                          "value": "、".join(dict(ATT3_FIELDS)[k].replace("（非必填）", "")
                                            for k in org["changed"])}] if org.get("changed") else [])})
    to_write = att2_to_write(att2) if att2 else []
    text = env.get_template("checklist.md.j2").render(
        facts=kb.facts, org=org, capabilities=caps, actions=actions, documents=docs, att2_parts=to_write,
        att2_file=attachment(kb, "att2")["file"],
        occupations=occupation_rows(answers), needs_occupations=bool({"att1", "att3"} & set(needed)),
        today=dt.date.today().isoformat())
    return text.encode("utf-8")


# ------------------------------------------------------------------ all of them


def render_documents(answers: dict, kb: KnowledgeBase) -> dict[str, bytes]:
    result = check(answers, kb)
    needed = documents_needed(result)
    att2 = render_att2(answers) if "att2" in needed else None
    files = {"checklist.md": render_checklist(answers, kb, result, att2)}
    if "att1" in needed:
        files[attachment(kb, "att1")["file"]] = render_att1(answers)
    if att2 is not None:
        files[attachment(kb, "att2")["file"]] = att2
    if "att3" in needed:
        files[attachment(kb, "att3")["file"]] = render_att3(answers, kb)
    return files


def output_names(kb: KnowledgeBase) -> set[str]:
    """Every file name `checklist` may write (what --force may replace)."""
    return {"checklist.md"} | {a["file"] for a in kb.facts["attachment"]}


def write_documents(answers: dict, kb: KnowledgeBase, out: Path, replace: set[str] | None = None) -> list[Path]:
    """Write the files into `out`. Files named in `replace` that this run does not write (an earlier
    run's 附件1 when the goals changed) are removed, so no stale file stays beside the new ones."""
    files = render_documents(answers, kb)  # everything built before anything is written
    out.mkdir(parents=True, exist_ok=True)
    for name in sorted((replace or set()) - set(files)):
        (out / name).unlink(missing_ok=True)
    written = []
    for name, data in files.items():
        path = out / name
        tmp = path.with_name(path.name + ".part")
        tmp.write_bytes(data)
        os.replace(tmp, path)
        written.append(path)
    return written
