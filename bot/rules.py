"""Eligibility rules of the notice, one function per capability.

Pure logic: a dict of facts about the school (SPEC's questionnaire keys; a missing key is
unknown) goes in, an `Outcome` comes out. The same functions give the `check` verdict, the
questionnaire's result and the yes/no verdicts of `ask`. Each outcome names its clauses; the
words of each reason live in knowledge/rules.toml under `<capability>.<status>`.

Each rule is written for known facts (`_decide_*`); `_resolve` handles unknown ones by trying
every value they can take: when all give the same status, that is the answer (an unknown that
cannot change it does not matter); otherwise the outcome is `conditional` and `needs` names the
unknown facts that change it. tests/data/truth_table.toml is the notice's table these rules are
checked against (readings of ambiguous clauses are stated there).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from itertools import product

TECHNICAL_SCHOOL = "technical_school"
STATUSES = ("allowed", "not_allowed", "can_apply", "already_has", "not_applicable", "conditional")
CAPABILITIES = (
    "certify_students",
    "certify_teachers",
    "certify_social_persons",
    "apply_social_org",
    "entrust_students",
    "adjust_scope",
)
BOOL_FACTS = (
    "student_cert_qualified",
    "social_org_qualified",
    "runs_prep_technician_class",
    "runs_senior_class",
    "has_segmented_students",
)
TEACHER_LEVELS = (2, 3)
STUDENT_LEVELS = (5, 4, 3, 2)  # 初级, 中级, 高级, 预备技师 (1.1)
# the class whose students are registered at a level (1.1): 高级 → 高级技工班, 预备技师 → 预备技师班
CLASS_OF_LEVEL = {3: "runs_senior_class", 2: "runs_prep_technician_class"}

S, O, P, H = "student_cert_qualified", "social_org_qualified", "runs_prep_technician_class", "runs_senior_class"


@dataclass
class Outcome:
    capability: str
    status: str
    levels: list[int] = field(default_factory=list)
    needs: list[str] = field(default_factory=list)  # unknown facts the answer depends on
    extra: dict = field(default_factory=dict)  # words for the reason template

    @property
    def key(self) -> str:
        return f"{self.capability}.{self.status}"


def _fact(facts: dict, key: str):
    """True, False or None (unknown)."""
    value = facts.get(key)
    return value if isinstance(value, bool) else None


def _not_school(facts: dict) -> bool:
    kind = facts.get("institution_type")
    return bool(kind) and kind != TECHNICAL_SCHOOL


# ------------------------------------------------------------------ the rules, for known facts
# `f` holds True/False for the facts the rule lists in READS; other facts as given (maybe None).

def _decide_certify_students(f: dict, level: int | None) -> Outcome:
    name = "certify_students"
    if level is not None:
        if level not in STUDENT_LEVELS:  # 1.1's levels stop at 预备技师 (二级)
            return Outcome(name, "not_allowed", [level])
        cls = CLASS_OF_LEVEL.get(level)
        if cls and not f[cls]:  # no students registered at that level
            return Outcome(name, "not_allowed", [level], extra={"missing_class": cls})
    if not f[S]:
        return Outcome(name, "can_apply", [level] if level else [])  # 3.1: apply for the qualification
    levels = [level] if level else [n for n in STUDENT_LEVELS if n not in CLASS_OF_LEVEL or f[CLASS_OF_LEVEL[n]]]
    return Outcome(name, "allowed", levels, extra={"segmented": _fact(f, "has_segmented_students") is True})


def _decide_certify_teachers(f: dict, level: int | None) -> Outcome:
    name = "certify_teachers"
    if level is not None and level not in TEACHER_LEVELS:
        return Outcome(name, "not_allowed", [level], extra={"bad_level": True})
    levels = [level] if level else list(TEACHER_LEVELS)
    if not (f[P] or f[H]):  # 2.3's class condition: no application can supply it
        return Outcome(name, "not_allowed", levels, extra={"no_class": True})
    classes = [k for k in (P, H) if f[k]]
    if not f[O]:
        return Outcome(name, "can_apply", levels, extra={"student": _fact(f, S), "classes": classes,
                                                         "one_class": len(classes) == 1})
    return Outcome(name, "allowed", levels, extra={"classes": classes, "one_class": len(classes) == 1})


def _decide_certify_social_persons(f: dict, level: int | None) -> Outcome:
    name = "certify_social_persons"
    if f[O]:
        return Outcome(name, "allowed")
    return Outcome(name, "can_apply", extra={"student": _fact(f, S)})


def _decide_apply_social_org(f: dict, level: int | None) -> Outcome:
    name = "apply_social_org"
    if _fact(f, O):  # asking whether one may apply presupposes not holding it: unknown = not held
        return Outcome(name, "already_has")
    if f[S] and f.get("student_cert_started") is False:  # 2.1: "已开展学生职业技能等级认定工作的技工院校"
        return Outcome(name, "not_allowed", extra={"not_started": True})
    if f[S]:
        return Outcome(name, "allowed")
    return Outcome(name, "can_apply")  # 2.1 needs the student qualification first (3.1)


def _decide_entrust_students(f: dict, level: int | None) -> Outcome:
    name = "entrust_students"
    if f[S] and f.get("below_standard") is True:  # 3.1: "取得资格之前或无法达到标准要求的，可委托"
        return Outcome(name, "allowed", extra={"below_standard": True})
    return Outcome(name, "not_applicable" if f[S] else "allowed")


def _decide_adjust_scope(f: dict, level: int | None) -> Outcome:
    name = "adjust_scope"
    if f[S] or f[O]:  # 3.2: either qualification has a scope to change
        return Outcome(name, "allowed")
    return Outcome(name, "can_apply")


# capability → (the rule for known facts, the facts whose value can change its status)
DECIDE = {
    "certify_students": (_decide_certify_students, (S, P, H)),
    "certify_teachers": (_decide_certify_teachers, (O, P, H)),
    "certify_social_persons": (_decide_certify_social_persons, (O,)),
    "apply_social_org": (_decide_apply_social_org, (S,)),
    "entrust_students": (_decide_entrust_students, (S,)),
    "adjust_scope": (_decide_adjust_scope, (S, O)),
}


def _common_extra(outs: list[Outcome]) -> dict:
    """The template words every branch agrees on (lists: what all of them hold)."""
    extra = {}
    for key, value in outs[0].extra.items():
        values = [o.extra.get(key) for o in outs]
        if isinstance(value, list):
            extra[key] = [v for v in value if all(v in (w or []) for w in values)]
        elif all(v == value for v in values):
            extra[key] = value
    return extra


def _resolve(name: str, facts: dict, level: int | None) -> Outcome:
    if _not_school(facts):  # the notice is addressed to 技工院校
        return Outcome(name, "not_applicable", extra={"not_school": True})
    decide, reads = DECIDE[name]
    unknown = [k for k in reads if _fact(facts, k) is None]
    branches: dict[tuple, Outcome] = {}
    for values in product((True, False), repeat=len(unknown)):
        f = {**facts, **dict(zip(unknown, values))}
        for k in reads:
            f[k] = _fact(f, k)
        branches[values] = decide(f, level)
    outs = list(branches.values())
    first = outs[0]
    if all(o.status == first.status for o in outs):
        levels = [n for n in first.levels if all(n in o.levels for o in outs)]
        return Outcome(name, first.status, levels, [], _common_extra(outs))
    needs = []
    for i, key in enumerate(unknown):
        if any(branches[v].status != branches[v[:i] + (not v[i],) + v[i + 1:]].status for v in branches):
            needs.append(key)
    levels = []
    for o in outs:
        levels += [n for n in o.levels if n not in levels]
    extra = _common_extra(outs)
    verdicts = {VERDICT_OF_STATUS[o.status] for o in outs}
    if len(verdicts) == 1:  # e.g. "not now" whichever way the unknown goes
        extra["verdict"] = verdicts.pop()
    return Outcome(name, "conditional", levels, needs, extra)


def certify_students(facts: dict, level: int | None = None) -> Outcome:
    """1.1 (and 1.2, 3.1): certify the school's own students at their registered level."""
    return _resolve("certify_students", facts, level)


def certify_teachers(facts: dict, level: int | None = None) -> Outcome:
    """2.3: with 社评资质 and a 预备技师班 or 高级技工班, the school's teachers at levels 2 and 3."""
    return _resolve("certify_teachers", facts, level)


def certify_social_persons(facts: dict, level: int | None = None) -> Outcome:
    """2.1: with 社评资质, people outside the school in the filed occupations and levels."""
    return _resolve("certify_social_persons", facts, level)


def apply_social_org(facts: dict, level: int | None = None) -> Outcome:
    """2.1, 2.2: a school already certifying students may apply for 社评资质."""
    return _resolve("apply_social_org", facts, level)


def entrust_students(facts: dict, level: int | None = None) -> Outcome:
    """3.1: before it qualifies, a school may entrust a qualified body with its students."""
    return _resolve("entrust_students", facts, level)


def adjust_scope(facts: dict, level: int | None = None) -> Outcome:
    """3.2: a qualified school files changes of its occupations and levels (附件3)."""
    return _resolve("adjust_scope", facts, level)


RULES = {
    "certify_students": certify_students,
    "certify_teachers": certify_teachers,
    "certify_social_persons": certify_social_persons,
    "apply_social_org": apply_social_org,
    "entrust_students": entrust_students,
    "adjust_scope": adjust_scope,
}

# How a capability's status reads as the verdict of a yes/no question.
VERDICT_OF_STATUS = {
    "allowed": "yes",
    "already_has": "yes",
    "not_allowed": "no",
    "can_apply": "no",
    "not_applicable": "no",
    "conditional": "conditional",
}


def evaluate(capability: str, facts: dict, level: int | None = None) -> Outcome:
    return RULES[capability](facts, level)


def evaluate_all(facts: dict) -> dict[str, Outcome]:
    return {name: rule(facts) for name, rule in RULES.items()}


def verdict(outcome: Outcome) -> str:
    """yes / no / conditional. A conditional outcome whose every possibility reads the same way
    (e.g. "not now", whether applying would help or not) gets that verdict."""
    if outcome.status == "conditional":
        return outcome.extra.get("verdict", "conditional")
    return VERDICT_OF_STATUS[outcome.status]
