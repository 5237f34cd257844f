"""A filled 附件3 (.xlsx) uploaded as the school's occupation list: read with openpyxl, every row
validated like an answers file, errors reported with the sheet's row numbers. Pure: bytes in."""
from __future__ import annotations

import io
import zipfile

from .answers import CHANGES, OCC_CELLS, AnswersError, validate_occupation
from .documents import ATT3_FIELDS
from .questionnaire import HAN, localize

MAX_BYTES = 2_000_000
MAX_ROWS = 200
HEADERS = {"职业名称": "name", "职业编号": "code", "职业编码": "code", "工种/职业方向": "work_type", "工种": "work_type",
           "职业方向": "work_type", "级别": "levels", "备注": "change"}
LABELS = {"name": ("职业名称", "occupation name"), "code": ("职业编号", "code"), "work_type": ("工种/职业方向", "work type"),
          "levels": ("级别", "levels"), "change": ("备注", "remark")}


class SheetError(ValueError):
    """The file cannot be used; the message (in the user's language) says why."""


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


# the 附件3 organisation block's labels, as the generated 附件3 writes them (documents.ATT3_FIELDS), and 电子邮箱
ORG_LABELS = {label.replace("（非必填）", ""): key for key, label in ATT3_FIELDS} | {"电子邮箱": "email"}


def read_occupations(data: bytes, lang: str = "zh") -> list[dict]:
    return read_sheet(data, lang)[0]


def _org(rows, yellow, header_at: int) -> dict:
    """The organisation block above the occupation table (机构名称, 联系人, 电话 …; try28: it was
    ignored and had to be typed again). A value that does not pass its check is left out; a yellow
    value cell is a changed one (note 7)."""
    from . import validate as v

    checks = {"phone": v.phone, "email": v.email}
    org: dict = {}
    changed = []
    for i in range(header_at):
        row = rows[i]
        for j, cell in enumerate(row):
            key = ORG_LABELS.get(_cell_text(cell).replace(" ", "").rstrip("：:（非必填）").replace("（非必填", ""))
            if not key or key in org:
                continue
            for k in range(j + 1, len(row)):
                text = _cell_text(row[k])
                if not text:
                    continue
                if text.replace(" ", "") in ORG_LABELS:
                    break
                try:
                    value = checks.get(key, v.text)(text)
                except ValueError:
                    break
                org[key] = value
                if yellow and yellow[i][k]:
                    changed.append(key)
                break
    if changed:
        org["changed"] = changed
    return org


def read_sheet(data: bytes, lang: str = "zh") -> tuple[list[dict], dict]:
    """(the occupations, the organisation block) of a filled 附件3."""
    zh = lang == "zh"
    if not data:
        raise SheetError("文件是空的。" if zh else "The file is empty.")
    if len(data) > MAX_BYTES:
        raise SheetError(f"文件太大（超过 {MAX_BYTES // 1_000_000} MB）。" if zh else
                         f"The file is too large (over {MAX_BYTES // 1_000_000} MB).")
    try:
        from openpyxl import load_workbook

        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as e:
        raise SheetError("读不了这个文件：请上传 Excel .xlsx 格式的附件3。" if zh else
                         "I cannot read that file: please send 附件3 as an Excel .xlsx file.") from e
    try:
        for ws in wb.worksheets:
            cells = list(ws.iter_rows(max_row=2000, max_col=30))
            rows = [tuple(getattr(c, "value", None) for c in row) for row in cells]
            header_at, columns = None, {}
            for i, row in enumerate(rows):
                names = [_cell_text(c).replace(" ", "") for c in row]
                if "职业名称" in names:
                    header_at = i
                    columns = {j: HEADERS[n] for j, n in enumerate(names) if n in HEADERS}
                    break
            if header_at is None:
                continue
            yellow = [tuple(_is_yellow(c) for c in row) for row in cells]
            return _rows(rows, header_at, columns, zh, yellow), _org(rows, yellow, header_at)
    finally:
        wb.close()
    raise SheetError("表中没有找到“职业名称”表头：请上传附件3《评价机构信息与认定范围清单》。" if zh else
                     "No \"职业名称\" header found: please send 附件3 (评价机构信息与认定范围清单).")


def _is_yellow(cell) -> bool:
    """附件3 note 7: a changed cell is filled yellow. Any solid fill with high red and green and low
    blue counts (FFFF00, FFFF99, Excel's and WPS's yellows), by RGB or by the legacy palette index."""
    fill = getattr(cell, "fill", None)
    if fill is None or fill.fill_type != "solid" or fill.fgColor is None:
        return False
    color = fill.fgColor
    rgb = None
    if color.type == "rgb" and isinstance(color.rgb, str):
        rgb = color.rgb[-6:]
    elif color.type == "indexed" and isinstance(color.indexed, int):
        from openpyxl.styles.colors import COLOR_INDEX

        if 0 <= color.indexed < len(COLOR_INDEX):
            rgb = COLOR_INDEX[color.indexed][-6:]
    if not rgb:
        return False
    try:
        r, g, b = (int(rgb[k:k + 2], 16) for k in (0, 2, 4))
    except ValueError:
        return False
    return r >= 0xC0 and g >= 0xC0 and b <= 0xA0


def _rows(rows, header_at: int, columns: dict[int, str], zh: bool, yellow=None) -> list[dict]:
    found, errors = [], []
    yellow = yellow or []
    for i, row in enumerate(rows[header_at + 1:], start=header_at + 2):  # Excel row numbers
        cells = {field: _cell_text(row[j]) if j < len(row) else "" for j, field in columns.items()}
        first = _cell_text(row[0]) if row else ""
        if first.startswith(("注", "Note")):
            break
        if not any(cells.values()):
            continue
        if len(found) + len(errors) >= MAX_ROWS:
            errors.append(f"最多 {MAX_ROWS} 行。" if zh else f"At most {MAX_ROWS} rows.")
            break
        occ = {k: x for k, x in cells.items() if x}
        change = occ.pop("change", "")
        occ["change"] = change if change in CHANGES else ""
        if occ["change"] == "修改":  # the cells the school already filled yellow are the ones that changed
            marks = yellow[i - 1] if i - 1 < len(yellow) else ()
            occ["changed"] = [f for f in OCC_CELLS
                              if any(fld == f and j < len(marks) and marks[j] for j, fld in columns.items())]
        problems, row = [], None
        try:
            row = validate_occupation(occ, i)
        except AnswersError as e:
            problems = list(e.problems)
        if occ.get("name") and not any(f.endswith(".name") for f, _ in problems) and not HAN.search(occ["name"]):
            # 附件3 is a Chinese form: a name without Chinese ("=1+1", "😀") is refused, as the questionnaire does
            problems.insert(0, (f"occupations[{i}].name",
                                "职业名称应含汉字，如 电工 (an occupation name should contain Chinese characters, e.g. 电工)"))
        if not problems:
            found.append(row)
        for field, message in problems:  # every problem of the row (try29: only the first was named)
            key = field.rsplit(".", 1)[-1] if "." in field else "name"
            label = LABELS.get(key, (key, key))[0 if zh else 1]
            errors.append(f"第 {i} 行 {label}：{localize(message, 'zh')}" if zh else
                          f"Row {i}, {label}: {localize(message, 'en')}")
    if errors:
        head = "附件3 中有以下问题，没有读入任何一行：\n" if zh else "附件3 has these problems; nothing was read in:\n"
        raise SheetError(head + "\n".join(errors[:30]) + ("\n…" if len(errors) > 30 else ""))
    if not found:
        raise SheetError("表中“职业名称”下面还没有填写职业。" if zh else "There are no occupations under \"职业名称\".")
    return found
