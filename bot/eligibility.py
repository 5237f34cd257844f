"""The eligibility verdict for a filled questionnaire (SPEC: `check` JSON), from bot/rules.py.

Pure: answers and the knowledge base in, a dict out. A fact the questionnaire did not ask is
false (it was skipped because it cannot change the result, or the answers file left it out).
"""
from __future__ import annotations

import functools

import jinja2

from . import rules
from .kb import KnowledgeBase

SPEC_CAPABILITIES = ("certify_students", "certify_teachers", "certify_social_persons", "apply_social_org",
                     "entrust_students", "adjust_scope")
FILING_ACTIONS = ("apply_social_org", "file_scope", "adjust_scope")
_jinja = jinja2.Environment(autoescape=False, undefined=jinja2.ChainableUndefined)


@functools.lru_cache(maxsize=512)
def template(source: str) -> jinja2.Template:
    return _jinja.from_string(source)


def facts_of(answers: dict) -> dict:
    facts = {k: answers.get(k) for k in ("institution_type", "affiliation")}
    if not facts["institution_type"]:
        facts["institution_type"] = rules.TECHNICAL_SCHOOL
    for key in rules.BOOL_FACTS:
        facts[key] = bool(answers.get(key, False))
    return facts


def _agency_parts(kb: KnowledgeBase, affiliation: str | None, lang: str) -> dict:
    a = kb.facts["agency"]
    sfx = "" if lang == "zh" else "_en"
    key = affiliation if affiliation in ("provincial", "municipal") else "unknown"
    sep = "；" if lang == "zh" else "; "
    contacts = sep.join(a["contact" + sfx].format(**c) for c in kb.facts["contact"])
    return {"notice": a["notice" + sfx], "guess": a[f"guess_{key}{sfx}"], "confirm": a["confirm" + sfx],
            "contacts": contacts}


def agency_text(kb: KnowledgeBase, affiliation: str | None, lang: str) -> str:
    """Where to file, inside a sentence: the notice's words, then our inference marked as such."""
    sfx = "" if lang == "zh" else "_en"
    return kb.facts["agency"]["inline" + sfx].format(**_agency_parts(kb, affiliation, lang))


def submit_to_text(kb: KnowledgeBase, affiliation: str | None, lang: str) -> str:
    """Where to file, standing alone (check's `submit_to`, checklist.md): the notice's words, our
    inference marked as such, and the two contacts to confirm with."""
    sfx = "" if lang == "zh" else "_en"
    return kb.facts["agency"]["full" + sfx].format(**_agency_parts(kb, affiliation, lang))


def reason_text(kb: KnowledgeBase, outcome: rules.Outcome, facts: dict, lang: str) -> tuple[str, list[str]]:
    entry = kb.rules_text[outcome.capability][outcome.status]
    names = {l["n"]: l[lang] for l in kb.facts["level"]}
    classes = outcome.extra.get("classes", [])
    ctx = {
        **outcome.extra,
        "levels_zh": "、".join(names[n] for n in outcome.levels) if lang == "zh" else "",
        "levels_en": ", ".join(names[n] for n in outcome.levels) if lang == "en" else "",
        "agency_zh": agency_text(kb, facts.get("affiliation"), "zh"),
        "agency_en": agency_text(kb, facts.get("affiliation"), "en"),
        "classes_zh": "、".join(n for k, n in (("runs_prep_technician_class", "预备技师班"),
                                             ("runs_senior_class", "高级技工班")) if k in classes),
        "classes_en": " and ".join(n for k, n in (("runs_prep_technician_class", "preparatory technician classes"),
                                                 ("runs_senior_class", "senior worker classes")) if k in classes),
        "missing_class": {"runs_senior_class": "高级技工班", "runs_prep_technician_class": "预备技师班"}.get(
            outcome.extra.get("missing_class", ""), ""),
    }
    clauses = list(entry["clauses"])
    if outcome.status == "conditional" and outcome.extra.get("verdict"):  # "no" (or "yes") either way
        clauses = list(entry.get("clauses_" + outcome.extra["verdict"], clauses))
    if outcome.extra.get("segmented") and "1.2" not in clauses:
        clauses.append("1.2")
    return template(entry[lang]).render(**ctx).strip(), clauses


# (goal, the rules' status for it) → the actions to take, in order (knowledge/actions.toml)
ACTIONS_FOR = {
    ("certify_students", "allowed"): ("certify_students", "segmented_students", "duties"),
    ("certify_students", "can_apply"): ("obtain_student_qualification", "entrust_students"),
    ("certify_teachers", "allowed"): ("certify_teachers", "duties"),
    ("certify_teachers", "can_apply"): ("apply_social_org", "file_scope"),
    ("certify_social_persons", "allowed"): ("certify_social_persons", "duties"),
    ("certify_social_persons", "can_apply"): ("apply_social_org", "file_scope"),
    ("apply_social_org", "allowed"): ("apply_social_org", "file_scope"),
    ("apply_social_org", "can_apply"): ("obtain_student_qualification", "entrust_students"),
    ("adjust_scope", "allowed"): ("adjust_scope",),
    ("adjust_scope", "can_apply"): ("obtain_student_qualification",),
}
# what applying for 社评资质 becomes when the school may not apply yet (2.1: student qualification first)
APPLY_ACTIONS = ("apply_social_org", "file_scope")


def actions_for(outcomes: dict[str, rules.Outcome], goals: list[str], facts: dict) -> list[str]:
    """Action ids, in order, for the chosen goals."""
    ids: list[str] = []
    may_apply = outcomes["apply_social_org"].status == "allowed"
    for goal in goals:
        status = outcomes[goal].status if goal in outcomes else None
        for action in ACTIONS_FOR.get((goal, status), ()):
            if action == "segmented_students" and not facts.get("has_segmented_students"):
                continue
            if action in APPLY_ACTIONS and not may_apply:
                action = "obtain_student_qualification"
            if action not in ids:
                ids.append(action)
    return ids


def check(answers: dict, kb: KnowledgeBase, lang: str = "zh") -> dict:
    facts = facts_of(answers)
    outcomes = rules.evaluate_all(facts)
    caps = {}
    for name in SPEC_CAPABILITIES:
        o = outcomes[name]
        reason, clauses = reason_text(kb, o, facts, lang)
        entry = {"status": o.status}
        if name in ("certify_students", "certify_teachers"):
            entry["levels"] = o.levels if o.status == "allowed" else []
        entry["clauses"] = clauses
        entry["reason"] = reason
        if o.extra.get("one_class"):  # try28: one of 预备技师班/高级技工班 run: enough only on our reading of 2.3
            entry["our_reading"] = True
        caps[name] = entry
    goals = answers.get("goals") or []
    actions = []
    for aid in actions_for(outcomes, goals, facts):
        a = kb.actions[aid]
        actions.append({
            "id": aid,
            "title": a[lang],
            "documents": list(a.get("documents", [])),
            "submit_to": submit_to_text(kb, facts.get("affiliation"), lang) if a.get("submit") else "",
            "clauses": list(a["clauses"]),
        })
    return {"capabilities": caps, "actions": actions}


def planned_actions(answers: dict, kb: KnowledgeBase) -> list[dict]:
    """The actions' entries of knowledge/actions.toml for these answers (no reasons rendered)."""
    facts = facts_of(answers)
    return [kb.actions[a] for a in actions_for(rules.evaluate_all(facts), answers.get("goals") or [], facts)]


def needs_filing(answers: dict, kb: KnowledgeBase) -> bool:
    return any(a.get("submit") for a in planned_actions(answers, kb))


def needs_documents(answers: dict, kb: KnowledgeBase) -> bool:
    return any(a.get("documents") for a in planned_actions(answers, kb))


STATUS_WORDS = {
    "zh": {"allowed": "可以", "not_allowed": "不可以", "can_apply": "需先申请", "already_has": "已具备",
           "not_applicable": "不适用"},
    "en": {"allowed": "allowed", "not_allowed": "not allowed", "can_apply": "apply first",
           "already_has": "already held", "not_applicable": "not applicable"},
}
CAPABILITY_WORDS = {
    "zh": {"certify_students": "为本校学生认定", "certify_teachers": "为本校教师认定二级、三级",
           "certify_social_persons": "面向社会人员认定", "apply_social_org": "申报社会培训评价组织资质",
           "entrust_students": "委托其他机构为学生认定", "adjust_scope": "调整认定职业（工种）、等级"},
    "en": {"certify_students": "certify your students", "certify_teachers": "certify your teachers at levels 2 and 3",
           "certify_social_persons": "certify people outside the school",
           "apply_social_org": "apply as a social training evaluation organisation",
           "entrust_students": "entrust another body with your students", "adjust_scope": "change your certified scope"},
}


# try28: the status of 2.3 for a school running one of the two classes is our reading, said beside the status too
READING_NOTE = {"zh": "（本工具理解：开办其中一种班即可，请与联系人确认）", "en": " (our reading: one of the two classes is enough; please confirm)"}


def status_word(capability: str, status: str, lang: str) -> str:
    if capability == "apply_social_org" and status == "allowed":
        return "可以申报" if lang == "zh" else "may apply"
    return STATUS_WORDS[lang][status]


def check_text(result: dict, kb: KnowledgeBase, lang: str = "zh") -> str:
    """The verdict as a message: one line per capability, then the actions."""
    lines = ["评估结果：" if lang == "zh" else "What your school may do:"]
    for name, cap in result["capabilities"].items():
        status = status_word(name, cap["status"], lang) + (READING_NOTE[lang] if cap.get("our_reading") else "")
        levels = ""
        if cap.get("levels"):
            levels = ("（" + "、".join(f"{n}级" for n in cap["levels"]) + "）") if lang == "zh" else \
                f" (levels {', '.join(map(str, cap['levels']))})"
        cite = "、".join(cap["clauses"]) if lang == "zh" else ", ".join(cap["clauses"])
        lines.append(f"• {CAPABILITY_WORDS[lang][name]}：{status}{levels}〔{cite}〕\n  {cap['reason']}" if lang == "zh"
                     else f"• {CAPABILITY_WORDS[lang][name]}: {status}{levels} [{cite}]\n  {cap['reason']}")
    if result["actions"]:
        lines.append("\n下一步：" if lang == "zh" else "\nNext steps:")
        for i, a in enumerate(result["actions"], 1):
            docs = ""
            if a["documents"]:
                names = [f"附件{d[-1]}" if lang == "zh" else f"attachment {d[-1]}" for d in a["documents"]]
                docs = ("，材料：" + "、".join(names)) if lang == "zh" else (", documents: " + ", ".join(names))
            where = ""
            if a["submit_to"]:  # the full wording (inference, contacts) once, below the list
                notice = kb.facts["agency"]["notice" if lang == "zh" else "notice_en"]
                label = (kb.actions.get(a["id"], {}).get("submit_label") or {}).get(lang)  # try30: 附件3 when applying
                where = (f"，{label}，报{notice}" if label else f"，报{notice}") if lang == "zh" else \
                    (f", {label}: file with {notice}" if label else f", file with {notice}")
            if lang == "zh":
                lines.append(f"{i}. {a['title']}{docs}{where}〔{'、'.join(a['clauses'])}〕")
            else:
                lines.append(f"{i}. {a['title']}{docs}{where} [{', '.join(a['clauses'])}]")
        submit_to = next((a["submit_to"] for a in result["actions"] if a["submit_to"]), "")
        if submit_to:
            lines.append(("\n报送单位：" if lang == "zh" else "\nWhere to file: ") + submit_to)
    return "\n".join(lines)
