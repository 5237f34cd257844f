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
from .eligibility import CAPABILITY_WORDS, check, status_word
from .kb import KnowledgeBase

YELLOW = "FFFF00"
CHANGE_WORDS = ("增加", "修改", "删除")
ATT1_FIELDS = [("name", "单位名称"), ("address", "地址"), ("credit_code", "统一社会信用代码"),
               ("registrar", "注册登记机构"), ("legal_rep", "法定代表人"), ("capital", "注册资金"),
               ("contact", "联系人"), ("title", "职务"), ("phone", "联系电话"), ("email", "电子邮箱")]
OPTIONAL_FIELDS = {"short_name", "website", "filing_no", "capital", "registrar"}
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
        rows.append({
            "no": i, "name": o.get("name", ""), "code": o.get("code", ""), "work_type": o.get("work_type", ""),
            "levels": v.levels_text(o.get("levels", [])),
            "has_standard": "" if has_std is None else ("有" if has_std else "无"),
            "experience": o.get("experience", ""),
            "assessed_count": "" if o.get("assessed_count") is None else str(o["assessed_count"]),
            "change": o.get("change", ""),
        })
    return rows


def body_type(answers: dict, result: dict | None = None) -> str:
    """附件3 note 1: 用人单位 / 社会培训评价组织 / 技工院校."""
    applying = result is not None and any(a["id"] == "apply_social_org" for a in result["actions"])
    if answers.get("social_org_qualified") or applying or "apply_social_org" in (answers.get("goals") or []):
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
    tpl.render({"org": org, "rows": occupation_rows(answers),
                "box": {k: ("☑" if k == kind else "□") for k in INSTITUTION_TYPES}}, autoescape=True)
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()


def render_att2(answers: dict) -> bytes:
    from docxtpl import DocxTemplate

    tpl = DocxTemplate(templates_dir() / "附件2-职业技能等级认定工作方案.docx")
    tpl.render({"org": {"name": answers.get("org", {}).get("name", "")}, "rows": occupation_rows(answers)},
               autoescape=True)
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()


def render_att3(answers: dict, result: dict | None = None) -> bytes:
    from copy import copy

    from openpyxl import load_workbook
    from openpyxl.styles import PatternFill

    wb = load_workbook(templates_dir() / "附件3-评价机构信息与认定范围清单.xlsx")
    ws = wb.active
    org = answers.get("org", {})
    values = {f"{{{{{k}}}}}": org.get(k, "") for k in ("name", "short_name", "filing_no", "contact", "phone",
                                                       "email", "website", "address")}
    values["{{type}}"] = body_type(answers, result)
    occ_row = None
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value in values:
                cell.value = values[cell.value] or None
            elif isinstance(cell.value, str) and cell.value.startswith("{{occ."):
                occ_row = cell.row
    if occ_row is not None:
        template_cells = {c.column: c for c in ws[occ_row]}
        markers = {col: c.value for col, c in template_cells.items()}
        rows = occupation_rows(answers)
        if len(rows) > 1:
            ws.insert_rows(occ_row + 1, len(rows) - 1)
            _shift_merged(ws, occ_row + 1, len(rows) - 1)
        yellow = PatternFill(fill_type="solid", start_color=YELLOW, end_color=YELLOW)
        for i, occ in enumerate(rows or [None]):
            r = occ_row + i
            for col, marker in markers.items():
                cell = ws.cell(row=r, column=col)
                src = template_cells[col]
                if i:
                    cell.font, cell.border, cell.alignment = copy(src.font), copy(src.border), copy(src.alignment)
                field_name = marker[len("{{occ."):-2] if isinstance(marker, str) and marker.startswith("{{occ.") else None
                cell.value = (occ.get(field_name) or None) if occ and field_name else None
                if occ and occ["change"] in CHANGE_WORDS:
                    cell.fill = yellow
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


def render_checklist(answers: dict, kb: KnowledgeBase, result: dict) -> bytes:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(templates_dir()), autoescape=False,
                             trim_blocks=False, keep_trailing_newline=True)
    org = answers.get("org", {})
    caps = []
    for name, c in result["capabilities"].items():
        caps.append({"title": CAPABILITY_WORDS["zh"][name], "status": status_word(name, c["status"], "zh"),
                     "levels": "、".join(f"{n}级" for n in c.get("levels", [])), "clauses": "、".join(c["clauses"]),
                     "reason": c["reason"]})
    actions = []
    for a in result["actions"]:
        spec = kb.actions[a["id"]]
        actions.append({
            "title": a["title"], "clauses": "、".join(a["clauses"]), "submit_to": a["submit_to"],
            "documents": [{"title": f"附件{attachment(kb, d)['no']}《{attachment(kb, d)['title']}》",
                           "file": attachment(kb, d)["file"]} for d in a["documents"]],
            "proofs": [{"text": p["zh"], "clause": p["clause"]} for p in spec.get("proofs", [])],
        })
    needed = documents_needed(result)
    docs = []
    if "att1" in needed:
        docs.append({"title": "附件1 社会培训评价组织基本情况表",
                     "fields": [{"label": label, "value": org.get(k, ""), "optional": k in OPTIONAL_FIELDS}
                                for k, label in ATT1_FIELDS]})
    if "att3" in needed:
        docs.append({"title": "附件3 评价机构信息与认定范围清单",
                     "fields": [{"label": label, "value": org.get(k, ""), "optional": k in OPTIONAL_FIELDS}
                                for k, label in ATT3_FIELDS]
                     + [{"label": "机构类型", "value": body_type(answers, result)}]})
    text = env.get_template("checklist.md.j2").render(
        facts=kb.facts, org=org, capabilities=caps, actions=actions, documents=docs,
        occupations=occupation_rows(answers), today=dt.date.today().isoformat())
    return text.encode("utf-8")


# ------------------------------------------------------------------ all of them


def render_documents(answers: dict, kb: KnowledgeBase) -> dict[str, bytes]:
    result = check(answers, kb)
    files = {"checklist.md": render_checklist(answers, kb, result)}
    needed = documents_needed(result)
    if "att1" in needed:
        files[attachment(kb, "att1")["file"]] = render_att1(answers)
    if "att2" in needed:
        files[attachment(kb, "att2")["file"]] = render_att2(answers)
    if "att3" in needed:
        files[attachment(kb, "att3")["file"]] = render_att3(answers, result)
    return files


def write_documents(answers: dict, kb: KnowledgeBase, out: Path) -> list[Path]:
    files = render_documents(answers, kb)  # everything built before anything is written
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in files.items():
        path = out / name
        tmp = path.with_name(path.name + ".part")
        tmp.write_bytes(data)
        os.replace(tmp, path)
        written.append(path)
    return written
