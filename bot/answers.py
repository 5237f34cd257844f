"""Questionnaire answers (SPEC: Questionnaire answers): reading and validating them.

The same validation serves answers files (`check`, `checklist`, `ask --profile`), the `profile`
of `ask --jsonl` and the chat questionnaire. Errors name the field and the problem.
"""
from __future__ import annotations

import json
import tomllib
from pathlib import Path

from . import validate as v

INSTITUTION_TYPES = ("technical_school", "enterprise", "industry_association", "university", "private_training")
AFFILIATIONS = ("provincial", "municipal")
GOALS = ("certify_students", "certify_teachers", "certify_social_persons", "apply_social_org", "adjust_scope")
BOOLS = ("student_cert_qualified", "social_org_qualified", "runs_prep_technician_class", "runs_senior_class",
         "has_segmented_students")
ORG_FIELDS = {
    "name": v.text, "short_name": v.text, "address": v.text, "credit_code": v.credit_code, "registrar": v.text,
    "legal_rep": v.text, "capital": v.text, "contact": v.text, "title": v.text, "phone": v.phone,
    "email": v.email, "website": v.text, "filing_no": v.text,
    # free text of 附件1 items 三 to 五
    "strengths": v.long_text, "premises": v.long_text, "staff": v.long_text,
    "changed": None,  # adjust_scope: which of the fields above changed (yellow in 附件3)
}
# org fields 附件3 shows (and so can mark as changed)
ATT3_ORG_FIELDS = ("name", "short_name", "filing_no", "contact", "phone", "email", "website", "address")
OCC_CELLS = ("name", "code", "work_type", "levels")
CHANGES = ("", "增加", "修改", "删除")
OCC_FIELDS = {
    "name": v.text, "code": v.occupation_code, "work_type": v.text, "levels": v.levels,
    "has_standard": v.yes_no, "experience": v.text, "assessed_count": v.count, "change": None, "changed": None,
}
MAX_OCCUPATIONS = 200
MAX_FILE_BYTES = 1_000_000


class AnswersError(ValueError):
    """Names the field and what is wrong with it. `problems`: every (field, message) found, when
    several were (try29: a row with a bad code and a bad level was reported for its code only)."""

    def __init__(self, message: str = "", problems: list[tuple[str, str]] | None = None):
        super().__init__(message)
        self.problems = problems or [tuple(message.split(": ", 1)) if ": " in message else ("", message)]


def _enum(field: str, value, allowed) -> str:
    if not isinstance(value, str) or value not in allowed:
        raise AnswersError(f"{field}: {value!r} is not one of {', '.join(allowed)}")
    return value


def _find_bad_strings(data, path: str = "") -> None:
    """A lone surrogate (JSON "\\ud800") anywhere, keys included: bad input naming the field."""
    if isinstance(data, dict):
        for key, value in data.items():
            name = f"{path}.{key}" if path else str(key)
            if isinstance(key, str) and any(0xD800 <= ord(c) <= 0xDFFF for c in key):
                safe = key.encode("utf-8", "backslashreplace").decode("utf-8")
                raise AnswersError(f"{path + '.' if path else ''}{safe}: the key contains a lone surrogate "
                                   "(invalid character; 含有无效字符)")
            _find_bad_strings(value, name)
    elif isinstance(data, list):
        for i, value in enumerate(data, 1):
            _find_bad_strings(value, f"{path}[{i}]")
    elif isinstance(data, str):
        for c in data:
            if 0xD800 <= ord(c) <= 0xDFFF:
                raise AnswersError(f"{path}: 含有无效字符 U+{ord(c):04X}（孤立的代理项，文件的编码有误）"
                                   f" (contains an invalid character U+{ord(c):04X}: a lone surrogate)")


def _changed_list(field: str, value, allowed) -> list[str]:
    if isinstance(value, str):
        value = [value] if value else []
    if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
        raise AnswersError(f"{field}: must be a list of field names, e.g. [\"phone\"]")
    bad = [x for x in value if x not in allowed]
    if bad:
        raise AnswersError(f"{field}: {', '.join(map(repr, bad))} is not a field 附件3 shows "
                           f"(known: {', '.join(allowed)})")
    return [x for x in allowed if x in value]


def validate_answers(data: dict, partial: bool = False) -> dict:
    """Clean and check answers. Blank optional values are dropped (the document leaves them blank)."""
    if not isinstance(data, dict):
        raise AnswersError("answers: expected a table/object of questionnaire keys")
    _find_bad_strings(data)
    out: dict = {}
    known = {"institution_type", "affiliation", "goals", "org", "occupations", *BOOLS}
    for key in data:
        if key not in known:
            raise AnswersError(f"{key}: unknown key (known: {', '.join(sorted(known))})")
    if "institution_type" in data:
        out["institution_type"] = _enum("institution_type", data["institution_type"], INSTITUTION_TYPES)
    if "affiliation" in data and data["affiliation"] not in ("", None):
        out["affiliation"] = _enum("affiliation", data["affiliation"], AFFILIATIONS)
    for key in BOOLS:
        if key in data:
            if not isinstance(data[key], bool):
                raise AnswersError(f"{key}: must be true or false, not {data[key]!r}")
            out[key] = data[key]
    if "goals" in data:
        goals = data["goals"]
        if isinstance(goals, str):
            goals = [goals]
        if not isinstance(goals, list):
            raise AnswersError("goals: must be a list")
        out["goals"] = []
        for g in goals:
            g = _enum("goals", g, GOALS)
            if g not in out["goals"]:
                out["goals"].append(g)
    if "org" in data:
        org = data["org"]
        if not isinstance(org, dict):
            raise AnswersError("org: must be a table of fields")
        out["org"] = {}
        for key, value in org.items():
            if key not in ORG_FIELDS:
                raise AnswersError(f"org.{key}: unknown field (known: {', '.join(ORG_FIELDS)})")
            if value in ("", None) or value == []:
                continue
            if key == "changed":
                out["org"]["changed"] = _changed_list("org.changed", value, ATT3_ORG_FIELDS)
                continue
            try:
                out["org"][key] = ORG_FIELDS[key](value)
            except ValueError as e:
                raise AnswersError(f"org.{key}: {e}") from None
    if "occupations" in data:
        occs = data["occupations"]
        if not isinstance(occs, list):
            raise AnswersError("occupations: must be a list of tables ([[occupations]])")
        if len(occs) > MAX_OCCUPATIONS:
            raise AnswersError(f"occupations: at most {MAX_OCCUPATIONS}")
        out["occupations"], problems = [], []
        for i, o in enumerate(occs, 1):
            try:
                out["occupations"].append(validate_occupation(o, i))
            except AnswersError as e:
                problems += e.problems
        if problems:  # every problem of every row, each on its line
            raise AnswersError("\n".join(f"{f}: {m}" for f, m in problems), problems)
    return out


def validate_occupation(occ, i: int = 1) -> dict:
    if not isinstance(occ, dict):
        raise AnswersError(f"occupations[{i}]: must be a table of fields")
    out = {}
    problems: list[tuple[str, str]] = []  # every field's problem, not only the first (try29)
    for key, value in occ.items():
        field = f"occupations[{i}].{key}"
        if key not in OCC_FIELDS:
            problems.append((field, f"unknown field (known: {', '.join(OCC_FIELDS)})"))
            continue
        if key == "change":
            if value not in CHANGES:
                problems.append((field, f"{value!r} is not one of \"\", 增加, 修改, 删除"))
                continue
            out[key] = value
            continue
        try:
            if key == "changed":
                if value not in ("", None, []):
                    out[key] = _changed_list(field, value, OCC_CELLS)
                continue
            if value in ("", None) or value == []:
                if key == "levels" and value == []:
                    problems.append((field, "give at least one level, e.g. [5, 4, 3]"))
                continue
            out[key] = OCC_FIELDS[key](value)
        except AnswersError as e:
            problems += e.problems
        except ValueError as e:
            problems.append((field, str(e)))
    if not out.get("name") and not any(f.endswith(".name") for f, _ in problems):
        problems.insert(0, (f"occupations[{i}].name", "缺少职业名称 (the occupation needs a name)"))
    if problems:
        raise AnswersError("\n".join(f"{f}: {m}" for f, m in problems), problems)
    return out


def read_answers_file(path: str | Path, partial: bool = False) -> dict:
    p = Path(path)
    if not p.is_file():
        raise AnswersError(f"--answers: no such file: {p}")
    raw = p.read_bytes()
    if len(raw) > MAX_FILE_BYTES:
        raise AnswersError(f"--answers: {p} is larger than {MAX_FILE_BYTES} bytes")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise AnswersError(f"--answers: {p} is not UTF-8 text") from None
    if p.suffix.lower() == ".json" or (p.suffix.lower() != ".toml" and text.lstrip().startswith("{")):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as e:
            raise AnswersError(f"--answers: {p} is not valid JSON: {e.msg} at line {e.lineno} column {e.colno}") from None
    else:
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as e:
            raise AnswersError(f"--answers: {p} is not valid TOML: {e}") from None
    return validate_answers(data, partial=partial)
