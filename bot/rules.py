"""Eligibility rules of the notice, one function per capability.

Pure logic: a dict of facts about the school (SPEC's questionnaire keys; a missing key is
unknown) goes in, an `Outcome` comes out. The same functions give the `check` verdict, the
questionnaire's result and the yes/no verdicts of `ask`. Each outcome names its clauses; the
words of each reason live in knowledge/rules.toml under `<capability>.<status>`.
"""
from __future__ import annotations

from dataclasses import dataclass, field

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


def student_levels(facts: dict) -> tuple[list[int], list[str]]:
    """Levels a qualified school certifies its students at (1.1), and the class facts still unknown."""
    levels, needs = [5, 4], []
    for level, key in ((3, "runs_senior_class"), (2, "runs_prep_technician_class")):
        value = _fact(facts, key)
        if value is None:
            needs.append(key)
            levels.append(level)  # possible, depends on the class
        elif value:
            levels.append(level)
    return levels, needs


def certify_students(facts: dict, level: int | None = None) -> Outcome:
    name = "certify_students"
    if _not_school(facts):
        return Outcome(name, "not_applicable")
    qualified = _fact(facts, "student_cert_qualified")
    levels, class_needs = student_levels(facts)
    if level is not None:
        if level == 1:
            return Outcome(name, "not_allowed", [level])
        class_key = {3: "runs_senior_class", 2: "runs_prep_technician_class"}.get(level)
        if class_key and _fact(facts, class_key) is False:
            return Outcome(name, "not_allowed", [level], extra={"missing_class": class_key})
    if qualified is False:
        return Outcome(name, "can_apply")
    needs = []
    if qualified is None:
        needs.append("student_cert_qualified")
    if level is not None:
        class_key = {3: "runs_senior_class", 2: "runs_prep_technician_class"}.get(level)
        if class_key in class_needs:
            needs.append(class_key)
        levels = [level]
    if needs:
        return Outcome(name, "conditional", levels, needs)
    return Outcome(name, "allowed", sorted(levels, reverse=True),
                   extra={"segmented": bool(_fact(facts, "has_segmented_students"))})


def certify_teachers(facts: dict, level: int | None = None) -> Outcome:
    name = "certify_teachers"
    if level is not None and level not in TEACHER_LEVELS:
        return Outcome(name, "not_allowed", [level], extra={"bad_level": True})
    if _not_school(facts):
        return Outcome(name, "not_applicable")
    levels = [level] if level else list(TEACHER_LEVELS)
    social = _fact(facts, "social_org_qualified")
    student = _fact(facts, "student_cert_qualified")
    prep = _fact(facts, "runs_prep_technician_class")
    senior = _fact(facts, "runs_senior_class")
    if social is False:
        if student is False:
            return Outcome(name, "not_allowed", levels)
        return Outcome(name, "can_apply", levels)  # not now: the qualification comes first
    if prep is False and senior is False:
        return Outcome(name, "not_allowed", levels, extra={"no_class": True})
    needs = []
    if social is None:
        needs.append("social_org_qualified")
    if not (prep or senior):
        unknown = [k for k, v in (("runs_prep_technician_class", prep), ("runs_senior_class", senior)) if v is None]
        needs += ["runs_prep_or_senior_class"] if len(unknown) == 2 else unknown
    if needs:
        return Outcome(name, "conditional", levels, needs)
    classes = [k for k, v in (("runs_prep_technician_class", prep), ("runs_senior_class", senior)) if v]
    return Outcome(name, "allowed", levels, extra={"classes": classes})


def certify_social_persons(facts: dict, level: int | None = None) -> Outcome:
    name = "certify_social_persons"
    if _not_school(facts):
        return Outcome(name, "not_applicable")
    social = _fact(facts, "social_org_qualified")
    student = _fact(facts, "student_cert_qualified")
    if social is True:
        return Outcome(name, "allowed")
    if social is False and student is True:
        return Outcome(name, "can_apply")
    if social is False and student is False:
        return Outcome(name, "not_allowed")
    return Outcome(name, "conditional", needs=["social_org_qualified"])


def apply_social_org(facts: dict, level: int | None = None) -> Outcome:
    name = "apply_social_org"
    if _not_school(facts):
        return Outcome(name, "not_applicable")
    social = _fact(facts, "social_org_qualified")
    student = _fact(facts, "student_cert_qualified")
    if social is True:
        return Outcome(name, "already_has")
    if student is True:
        return Outcome(name, "can_apply")
    if student is False:
        return Outcome(name, "not_allowed")
    return Outcome(name, "conditional", needs=["student_cert_qualified"])


def entrust_students(facts: dict, level: int | None = None) -> Outcome:
    name = "entrust_students"
    if _not_school(facts):
        return Outcome(name, "not_applicable")
    student = _fact(facts, "student_cert_qualified")
    if student is False:
        return Outcome(name, "allowed")
    if student is True:
        return Outcome(name, "not_applicable")
    return Outcome(name, "conditional", needs=["student_cert_qualified"])


def adjust_scope(facts: dict, level: int | None = None) -> Outcome:
    name = "adjust_scope"
    if _not_school(facts):
        return Outcome(name, "not_applicable")
    student = _fact(facts, "student_cert_qualified")
    social = _fact(facts, "social_org_qualified")
    if student or social:
        return Outcome(name, "allowed")
    if student is False and social is False:
        return Outcome(name, "not_applicable")
    return Outcome(name, "conditional", needs=[k for k, v in (("student_cert_qualified", student),
                                                            ("social_org_qualified", social)) if v is None])


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


# For the question "may we apply?", being able to apply is a yes.
VERDICT_OVERRIDES = {("apply_social_org", "can_apply"): "yes"}


def verdict(outcome: Outcome) -> str:
    return VERDICT_OVERRIDES.get((outcome.capability, outcome.status), VERDICT_OF_STATUS[outcome.status])
