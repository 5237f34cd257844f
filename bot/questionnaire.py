"""The eligibility questionnaire as a pure state machine over knowledge/questionnaire.toml.

`state` is a JSON-able dict (kept by the channel in SQLite after every step):
    answers   the SPEC questionnaire keys answered so far (org.*, occupations …)
    pending   what is being asked: a question key, "occ.<field>", "more_occ", "summary", "reuse", or None
    history   keys answered, in order (for "back")
    draft     the occupation being entered
    editing   set while changing one answer from the summary
    lang      zh | en
Nothing here does I/O; `bot/dialogue.py` turns prompts into messages and buttons.
"""
from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field

from . import validate as v
from .answers import validate_answers
from .eligibility import needs_documents, needs_filing, planned_actions
from .kb import KnowledgeBase
from .text import normalize_zh

REQUIRED_TEXT_TYPES = {"text", "longtext", "credit_code", "phone", "email", "occupation_code", "levels", "count"}
SKIP_WORDS = {"跳过", "略过", "无", "没有", "不填", "空", "-", "—", "skip", "none", "n/a", "na", "/"}
DONE_WORDS = {"完成", "好了", "好", "确定", "ok", "done", "finish", "完毕", "就这些"}
MAX_OCCUPATIONS = 50
ROW_CHANGED = "row_changed."  # pending "row_changed.<i>": which cells of occupation row i (marked 修改) changed
OCC_PICK = "occ_pick."  # pending "occ_pick.<i>": which part of occupation row i to change (from the summary)
OCC_REMOVE = "_remove"  # the occ_pick option that takes the row off the list
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_BRACKETED = re.compile(r"\s*\([^()]*\)")  # "Provincial (省属)", "Occupation code (…, e.g. 6-31-01-03)": the bracketed part

TYPE_VALIDATORS = {
    "text": v.text, "longtext": v.long_text, "credit_code": v.credit_code, "phone": v.phone, "email": v.email,
    "occupation_code": v.occupation_code, "levels": v.levels, "count": v.count, "yesno": v.yes_no,
}


@dataclass
class Prompt:
    key: str
    text: str
    options: list[tuple[str, str]] = field(default_factory=list)  # (label, value)
    kind: str = "text"  # text | yesno | choice | multi | summary
    selected: list[str] = field(default_factory=list)  # multi: values chosen so far
    optional: bool = False  # may be skipped


class Invalid(ValueError):
    """The answer does not fit; the message says why (the question is asked again)."""


_BILINGUAL = re.compile(r"^(?P<zh>.*?)\s*\((?P<en>[^()（）]*[A-Za-z][^()（）]*)\)\s*$", re.S)


def localize(message: str, lang: str) -> str:
    """Validators say "中文 (English)": keep the user's language only."""
    m = _BILINGUAL.match(message)
    if not m or not re.search(r"[\u4e00-\u9fff]", m.group("zh")):
        return message
    if lang == "en":
        en = m.group("en").strip()
        return en[:1].upper() + en[1:] + ("" if en.endswith(".") else ".")
    return m.group("zh").strip()


# ------------------------------------------------------------------ state helpers


def new_state(lang: str = "zh", profile: dict | None = None, said: dict | None = None) -> dict:
    """`said`: facts the user stated in the chat (no profile yet): offered to confirm, not asked again."""
    state = {"answers": {}, "pending": None, "history": [], "draft": {}, "editing": None, "lang": lang,
             "multi": []}
    if profile:
        state["saved"] = profile
        state["pending"] = "reuse"
    elif said:
        state["saved"] = said
        state["from_chat"] = True
        state["pending"] = "reuse"
    else:
        advance(state, None)
    return state


def chat_facts(facts: dict | None, kb: KnowledgeBase) -> dict:
    """The questionnaire's answers among the facts said in the chat (engine state "facts"); a school's
    facts mean a 技工院校 (the questions about them are asked only of one)."""
    out = {}
    for q in questions(kb):
        key = q["key"]
        if key.startswith("org.") or key == "goals" or key not in (facts or {}):
            continue
        value = facts[key]
        if q["type"] == "yesno" and isinstance(value, bool):
            out[key] = value
        elif q["type"] == "choice" and value in [o["value"] for o in q["options"]]:
            out[key] = value
    if out and "institution_type" not in out:
        out = {"institution_type": "technical_school"} | out
    return out


def get(answers: dict, key: str):
    if key.startswith("org."):
        return answers.get("org", {}).get(key[4:])
    return answers.get(key)


def put(answers: dict, key: str, value) -> None:
    if key.startswith("org."):
        org = answers.setdefault("org", {})
        if value in (None, ""):
            org.pop(key[4:], None)
        else:
            org[key[4:]] = value
    else:
        answers[key] = value


def drop(answers: dict, key: str) -> None:
    if key.startswith("org."):
        answers.get("org", {}).pop(key[4:], None)
    else:
        answers.pop(key, None)


def has(answers: dict, key: str) -> bool:
    if key.startswith("org."):
        return key[4:] in answers.get("org", {}) or key in answers.get("_skipped", [])
    return key in answers


def holds(condition: str, answers: dict, kb: KnowledgeBase) -> bool:
    if " or " in condition:
        return any(holds(part, answers, kb) for part in condition.split(" or "))
    c = condition.strip()
    if c == "filing":
        return needs_filing(answers, kb)
    if c == "documents":
        return needs_documents(answers, kb)
    if c == "att1":
        return needs_att1(answers, kb)
    if c.startswith("goals has "):
        wanted = set(c[len("goals has "):].split("|"))
        return bool(wanted & set(answers.get("goals") or []))
    if c.startswith("not "):
        return answers.get(c[4:].strip()) is False
    if "!=" in c:
        key, value = (x.strip() for x in c.split("!=", 1))
        return str(answers.get(key)) != value
    if "==" in c:
        key, value = (x.strip() for x in c.split("==", 1))
        return str(answers.get(key)) == value
    return answers.get(c) is True


def needs_att1(answers: dict, kb: KnowledgeBase) -> bool:
    """附件1 is among the documents (applying as 社会培训评价组织): only then are its own fields asked
    (注册登记机构, 法定代表人, 信用代码, 每个工种的评价经历 …; try28 saw them asked for a scope change)."""
    return any("att1" in a.get("documents", []) for a in planned_actions(answers, kb))


def real_fields(draft: dict | None) -> bool:
    """The draft holds an answer (not only "skipped" marks)."""
    return any(not k.startswith("_") for k in (draft or {}))


def questions(kb: KnowledgeBase) -> list[dict]:
    return kb.questionnaire.get("question", [])


def occupation_fields(kb: KnowledgeBase) -> list[dict]:
    return kb.questionnaire.get("occupation", [])


def holds_draft(f: dict, draft: dict, kb: KnowledgeBase) -> bool:
    """`draft_when`: a condition on the occupation being entered (e.g. "change == 修改")."""
    return all(holds(c, draft, kb) for c in f.get("draft_when", []))


def applies(q: dict, answers: dict, kb: KnowledgeBase) -> bool:
    return all(holds(c, answers, kb) for c in q.get("when", []))


def unmarked_rows(answers: dict) -> list[int]:
    """Occupation rows marked 修改 whose changed cells are not known (an uploaded 附件3 without yellow
    cells): note 7 wants those cells yellow, so the questionnaire asks, as it does for a typed row."""
    return [i for i, o in enumerate(answers.get("occupations") or [])
            if o.get("change") == "修改" and not o.get("changed") and not o.get("_skip_changed")]


def next_key(state: dict, kb: KnowledgeBase) -> str | None:
    """The first question that applies and is not answered; then occupations; then the summary."""
    answers = state["answers"]
    for q in questions(kb):
        if applies(q, answers, kb) and not has(answers, q["key"]):
            return q["key"]
    if needs_documents(answers, kb):
        if state.get("draft") or not answers.get("occupations"):
            for f in occupation_fields(kb):
                draft = state.get("draft", {})
                if f["key"] not in draft and "_skip_" + f["key"] not in draft and applies(f, answers, kb) \
                        and holds_draft(f, draft, kb):
                    return "occ." + f["key"]
            return "occ.commit"
        rows = unmarked_rows(answers)
        if rows:
            return ROW_CHANGED + str(rows[0])
        if not state.get("occ_done"):
            return "more_occ"
    return "summary"


def restore_kept(state: dict, kb: KnowledgeBase) -> None:
    """Facts the user confirmed (from the chat) that apply again are answered, not asked."""
    answers = state["answers"]
    for q in questions(kb):
        key = q["key"]
        if key in (state.get("kept") or {}) and not has(answers, key) and applies(q, answers, kb):
            put(answers, key, state["kept"][key])
            if key not in state["history"]:
                state["history"].append(key)


def advance(state: dict, kb: KnowledgeBase | None) -> None:
    if kb is None:
        state["pending"] = "institution_type"
        return
    if state.get("kept"):
        restore_kept(state, kb)
    key = next_key(state, kb)
    if key == "occ.commit":
        commit_draft(state)
        key = next_key(state, kb)
    if state.get("editing") and key in ("summary", "more_occ"):
        state["editing"] = None
        key = "summary"
    state["pending"] = key


def commit_draft(state: dict) -> None:
    draft = state.get("draft") or {}
    index = state.pop("occ_index", None)
    state.pop("edit_current", None)
    occs = state["answers"].setdefault("occupations", [])
    if index is not None and 0 <= index < len(occs):  # a row changed from the summary: in its place
        if draft.get("change") != "修改":
            draft.pop("changed", None)
            draft.pop("_skip_changed", None)
        occs[index] = draft
        state["draft"] = {}
        return
    if draft:
        occs.append(draft)
    state["draft"] = {}
    state["occ_done"] = False


def prune(state: dict, kb: KnowledgeBase) -> None:
    """Drop answers to questions that no longer apply (after an answer changed)."""
    answers = state["answers"]
    for q in questions(kb):
        if has(answers, q["key"]) and not applies(q, answers, kb):
            drop(answers, q["key"])
            skipped = answers.get("_skipped", [])
            if q["key"] in skipped:
                skipped.remove(q["key"])
    if not needs_documents(answers, kb):
        answers.pop("occupations", None)
        state["draft"] = {}
    kept = state.get("kept") or {}
    state["history"] = [k for k in state["history"]
                        if k.startswith(("occ", ROW_CHANGED)) or has(answers, k) or k in kept]


# ------------------------------------------------------------------ prompts


def _question(kb: KnowledgeBase, key: str) -> dict:
    if key.startswith(ROW_CHANGED):
        key = "occ.changed"
    if key.startswith("occ."):
        for f in occupation_fields(kb):
            if "occ." + f["key"] == key:
                return f
    for q in questions(kb):
        if q["key"] == key:
            return q
    raise KeyError(key)


def prompt(state: dict, kb: KnowledgeBase) -> Prompt:
    lang = state["lang"]
    key = state["pending"]
    if key == "reuse" and state.get("from_chat"):
        # try28: /check asked again what the user had just said in the chat
        return Prompt("reuse", ("您在对话中已经说过：\n" if lang == "zh" else "You told me in this chat:\n")
                      + summary_text(state["saved"], kb, lang)
                      + ("\n\n这些都对吗？选“是”沿用，只问其余的问题；选“否”逐题重新回答。" if lang == "zh" else
                         "\n\nIs that right? \"yes\" keeps it and asks only the rest; \"no\" asks every question."),
                      yes_no_options(lang), "yesno")
    if key == "reuse":
        return Prompt("reuse", ("找到贵校上次的答案：\n" if lang == "zh" else "I have your previous answers:\n")
                      + summary_text(state["saved"], kb, lang)
                      + ("\n\n沿用这些答案吗？" if lang == "zh" else "\n\nUse these answers?"),
                      yes_no_options(lang), "yesno")
    if key == "more_occ":
        n = len(state["answers"].get("occupations", []))
        k = occupation_steps(state, kb)
        return Prompt(key, f"已录入 {n} 个工种。还要再添加一个工种吗？（每个工种约 {k} 步）" if lang == "zh"
                      else f"{n} occupation(s) entered. Add another one? (about {k} steps each)",
                      yes_no_options(lang), "yesno")
    if key == "summary":
        return Prompt(key, summary_text(state["answers"], kb, lang) +
                      ("\n\n确认无误请点“确认”（或回复“确认”）；要修改第几项，回复“改 3”" +
                       ("；改工种回复“改 工种2”" if state["answers"].get("occupations") else "") + "；/back 返回上一题。"
                       if lang == "zh" else
                       "\n\nReply \"confirm\" if all is right; \"edit 3\" changes item 3" +
                       ("; \"edit occupation 2\" changes an occupation" if state["answers"].get("occupations") else "")
                       + "; /back goes back."),
                      [("确认" if lang == "zh" else "confirm", "confirm")], "summary")
    if key == "block":
        return Prompt(key, block_text(state, kb), yes_no_options(lang), "yesno")
    if key.startswith(OCC_PICK):
        return _pick_prompt(state, kb, int(key[len(OCC_PICK):]))
    q = _question(kb, key)
    text = q[lang]
    if key.startswith("occ."):
        n = len(state["answers"].get("occupations", [])) + 1
        if state.get("occ_index") is not None:
            n = state["occ_index"] + 1
        text = (f"【工种 {n}】" if lang == "zh" else f"[Occupation {n}] ") + text
    elif key.startswith(ROW_CHANGED):
        n = int(key[len(ROW_CHANGED):])
        occ = state["answers"]["occupations"][n]
        row = " / ".join(x for x in (occ.get("name", ""), occ.get("code", ""), occ.get("work_type", ""),
                                    v.levels_text(occ.get("levels", []))) if x)
        text = (f"【工种 {n + 1}：{row}，备注“修改”，表中没有涂黄的单元格】" if lang == "zh" else
                f"[Occupation {n + 1}: {row}, marked 修改, no cell filled yellow in the sheet] ") + text
    text = step_text(state, kb) + "\n" + text
    current = (None if key.startswith(ROW_CHANGED) else state["draft"].get(key[4:]) if key.startswith("occ.")
               else get(state["answers"], key))
    if state.get("occ_index") is not None and key.startswith("occ."):
        current = state.get("edit_current")
    if state.get("editing") and current not in (None, "", []):
        text += (f"\n（当前：{display(current, q, lang)}）" if lang == "zh" else f"\n(now: {display(current, q, lang)})")
    t = q["type"]
    if t == "yesno":
        return Prompt(key, text, yes_no_options(lang), "yesno")
    if t in ("choice", "multi"):
        opts = [(o[lang], o["value"]) for o in q["options"]]
        text += "\n" + "\n".join(f"{i}. {label}" for i, (label, _) in enumerate(opts, 1))
        if t == "multi":
            if q.get("optional"):
                text += "\n" + ("（都没有变化可点“跳过”）" if lang == "zh" and key == "org.changed" else
                                 "（可“跳过”）" if lang == "zh" else "(optional: \"skip\")")
            chosen = [label for label, value in opts if value in state.get("multi", [])]
            if chosen:
                text += "\n" + (f"已选：{'；'.join(chosen)}。可继续选（再选一次取消），选好后回复“完成”。" if lang == "zh" else
                                 f"Chosen: {', '.join(chosen)}. Choose more (again to untick), then \"done\".")
            elif "1,4" not in q[lang]:
                text += "\n" + ("也可输入编号（如 1,2），再回复“完成”。" if lang == "zh" else
                                 "Or type numbers (e.g. 1,2), then \"done\".")
            return Prompt(key, text, opts, "multi", list(state.get("multi", [])), bool(q.get("optional")))
        return Prompt(key, text, opts, "choice")
    if q.get("optional"):
        return Prompt(key, text, [("跳过" if lang == "zh" else "skip", "skip")], "text", optional=True)
    return Prompt(key, text, [], "text")


def _field_label(f: dict, lang: str) -> str:
    label = f[lang].split("？")[0].split("?")[0]
    if lang == "en":  # "Occupation code (classification format, e.g. 6-31-01-03)" → "Occupation code"
        label = _BRACKETED.sub("", label).strip()
    return label.replace("这一行是增加、修改还是删除", "增加/修改/删除").replace("Is this row added, modified or deleted",
                                                                     "added / modified / deleted")


def pick_options(state: dict, kb: KnowledgeBase, index: int) -> list[tuple[str, str, str]]:
    """(label, field key, current value shown) for each part of occupation row `index` the school may change."""
    occ = state["answers"]["occupations"][index]
    out = []
    for f in occupation_fields(kb):
        if not applies(f, state["answers"], kb) or not holds_draft(f, occ, kb):
            continue
        value = occ.get(f["key"])
        out.append((_field_label(f, state["lang"]), f["key"],
                    "" if value in (None, "", []) else display(value, f, state["lang"])))
    return out


def _pick_prompt(state: dict, kb: KnowledgeBase, index: int) -> Prompt:
    lang = state["lang"]
    occ = state["answers"]["occupations"][index]
    opts = pick_options(state, kb, index)
    name = occ.get("name", "")
    head = (f"修改工种 {index + 1}（{name}）的哪一项？" if lang == "zh" else
            f"Which part of occupation {index + 1} ({name}) do you want to change?")
    lines = [f"{i}. {label}" + (f"（当前：{cur}）" if lang == "zh" else f" (now: {cur})") * bool(cur)
             for i, (label, _, cur) in enumerate(opts, 1)]
    remove = "从清单中去掉这个工种" if lang == "zh" else "take this occupation off the list"
    lines.append(f"{len(opts) + 1}. {remove}")
    options = [(label, key) for label, key, _ in opts] + [(remove, OCC_REMOVE)]
    tail = "（/back 返回汇总）" if lang == "zh" else "(/back returns to the summary)"
    return Prompt(OCC_PICK + str(index), head + "\n" + "\n".join(lines) + "\n" + tail, options, "choice")


def edit_occupation(state: dict, number: int, kb: KnowledgeBase) -> dict:
    """"改 工种2" at the summary (try28: occupations could only be reached by /back, 17 steps, which
    threw the later ones away): ask which part of that row to change."""
    occs = state["answers"].get("occupations") or []
    if not 1 <= number <= len(occs):
        raise Invalid(f"没有工种 {number}。" if state["lang"] == "zh" else f"There is no occupation {number}.")
    new = copy.deepcopy(state)
    new["pending"] = OCC_PICK + str(number - 1)
    return new


def _answer_pick(new: dict, raw: str, kb: KnowledgeBase) -> dict:
    index = int(new["pending"][len(OCC_PICK):])
    prompt_ = _pick_prompt(new, kb, index)
    q = {"type": "choice", "options": [{"value": value, "zh": label, "en": label} for label, value in prompt_.options]}
    value = parse(q, raw, new["lang"])
    occs = new["answers"]["occupations"]
    if value == OCC_REMOVE:
        occs.pop(index)
        new["pending"] = "summary"
        return new
    draft = copy.deepcopy(occs[index])
    new["edit_current"] = draft.pop(value, None)
    draft.pop("_skip_" + value, None)
    if value == "changed":  # a multi-choice: the cells ticked so far stay ticked
        new["multi"] = list(new["edit_current"] or [])
    new["draft"] = draft
    new["occ_index"] = index
    new["editing"] = "occ." + value
    new["pending"] = "occ." + value
    return new


ALL_GOALS = ["certify_students", "certify_teachers", "certify_social_persons", "apply_social_org", "adjust_scope"]


def progress(state: dict, kb: KnowledgeBase) -> tuple[int, int]:
    """(this step, about how many in all): steps taken plus the questions that still apply.

    Facts not known yet count the longest way: goals not chosen yet count as all of them (so an
    answer can only rule questions out: try27 saw 约 32 → 约 8 → 约 32, because the stand-in goal
    stopped needing documents once 社评资质 was answered), and a row's follow-up questions
    (`draft_when`, e.g. which cells of a 修改 row changed) count until the row says otherwise. The
    total grows only when the user adds another occupation (the prompt says by how much)."""
    real, pending = state["answers"], state.get("pending")
    answers = {"institution_type": "technical_school", "student_cert_qualified": True, "social_org_qualified": False,
               "runs_prep_technician_class": True, "runs_senior_class": True, "has_segmented_students": False,
               "goals": ALL_GOALS, "affiliation": "provincial"}
    answers = {k: x for k, x in answers.items() if k not in real} | real
    if not real.get("goals"):
        answers["goals"] = ALL_GOALS
    done = len(state.get("history", []))
    kept = state.get("kept") or {}  # try30: a fact said in the chat and kept is in `history` already (done)
    left = sum(1 for q in questions(kb)
               if q["key"] != pending and applies(q, answers, kb) and not has(real, q["key"]) and q["key"] not in kept)
    if needs_documents(answers, kb) and pending != "summary":
        draft = state.get("draft") or {}
        fields = [f for f in occupation_fields(kb) if applies(f, answers, kb)
                  and _may_apply(f, draft, kb)]
        if draft or (pending or "").startswith("occ."):
            left += sum(1 for f in fields if "occ." + f["key"] != pending and f["key"] not in draft
                        and "_skip_" + f["key"] not in draft) + 1
        elif not real.get("occupations"):
            left += len(fields) + 1
        elif not state.get("occ_done") and pending != "more_occ":
            left += 1
        left += sum(1 for i in unmarked_rows(real) if ROW_CHANGED + str(i) != pending)
    if pending != "summary":
        left += 1  # the summary to confirm
    return done + 1, done + 1 + left


def _may_apply(f: dict, draft: dict, kb: KnowledgeBase) -> bool:
    """A row's follow-up question counts until the row's answer it depends on rules it out."""
    for c in f.get("draft_when", []):
        key = c.split("==", 1)[0].strip()
        if key in draft and not holds(c, draft, kb):
            return False
    return True


def occupation_steps(state: dict, kb: KnowledgeBase) -> int:
    """About how many questions one more occupation takes: what `progress` adds when one is added (try30:
    the prompt said 约 4 and the total grew by 7, the follow-ups a new row may still need were left out)."""
    answers = state["answers"]
    return sum(1 for f in occupation_fields(kb) if applies(f, answers, kb) and _may_apply(f, {}, kb))


def step_text(state: dict, kb: KnowledgeBase) -> str:
    n, total = progress(state, kb)
    return f"（第 {n} / 约 {total} 步）" if state["lang"] == "zh" else f"(Step {n} of about {total})"


def yes_no_options(lang: str) -> list[tuple[str, str]]:
    """SPEC: buttons labelled 是 and 否 (typed yes/no work too); in English the word comes first (try27)."""
    return [("是", "yes"), ("否", "no")] if lang == "zh" else [("Yes (是)", "yes"), ("No (否)", "no")]


def display(value, q: dict | None, lang: str) -> str:
    if isinstance(value, bool):
        return ("是" if value else "否") if lang == "zh" else ("yes" if value else "no")
    if isinstance(value, list):
        if q and q.get("options"):  # option names may contain 、
            labels = {o["value"]: o[lang] for o in q["options"]}
            return "；".join(labels.get(x, str(x)) for x in value)
        return v.levels_text(value) if all(isinstance(x, int) for x in value) else "、".join(map(str, value))
    if q and q.get("options"):
        for o in q["options"]:
            if o["value"] == value:
                return o[lang]
    return str(value)


def summary_items(answers: dict, kb: KnowledgeBase) -> list[tuple[str, dict]]:
    items = []
    for q in questions(kb):
        if has(answers, q["key"]) and get(answers, q["key"]) not in (None, ""):
            items.append((q["key"], q))
    return items


def summary_text(answers: dict, kb: KnowledgeBase, lang: str) -> str:
    lines = []
    items = summary_items(answers, kb)
    for i, (key, q) in enumerate(items, 1):
        label = q[lang].split("？")[0].split("?")[0]
        value = get(answers, key)
        if isinstance(value, list) and q.get("options"):  # goal names contain 、: one per line
            labels = {o["value"]: o[lang] for o in q["options"]}
            shown = "".join(f"\n   - {labels.get(x, x)}" for x in value)
        elif isinstance(value, str) and "\n" in value:
            shown = value.replace("\n", "\n   ")
        else:
            shown = display(value, q, lang)
        lines.append(f"{i}. {label}：{shown}" if lang == "zh" else f"{i}. {label}: {shown}")
    cells = {o["value"]: o[lang] for f in occupation_fields(kb) if f["key"] == "changed" for o in f["options"]}
    for j, occ in enumerate(answers.get("occupations", []), 1):
        # try28: "修改（levels）": the cells' names, not the internal keys
        changed = ("、" if lang == "zh" else ", ").join(cells.get(x, x) for x in occ.get("changed") or [])
        parts = [occ.get("name", ""), occ.get("code", ""), occ.get("work_type", ""),
                 v.levels_text(occ.get("levels", [])),
                 occ.get("change", "") + (("（" + changed + "）" if lang == "zh" else f" ({changed})") if changed else "")]
        parts += _att1_parts(occ, lang)  # try29: 附件1's 评价经历/人数 could not be checked before 确认
        lines.append(("工种" if lang == "zh" else "occupation") + f" {j}: " + " / ".join(p for p in parts if p))
    return "\n".join(lines) if lines else ("（还没有答案）" if lang == "zh" else "(no answers yet)")


def _att1_parts(occ: dict, lang: str) -> list[str]:
    """The row's 附件1 columns, when they were asked: 有无职业标准, 评价经历时间, 评价人数."""
    out = []
    if isinstance(occ.get("has_standard"), bool):
        out.append(("有职业标准或评价规范" if occ["has_standard"] else "无职业标准或评价规范") if lang == "zh" else
                   ("standard: yes" if occ["has_standard"] else "standard: no"))
    if occ.get("experience"):
        out.append(("评价经历：" if lang == "zh" else "assessed since: ") + str(occ["experience"]))
    if occ.get("assessed_count") is not None and occ.get("assessed_count") != "":
        out.append(("评价人数：" if lang == "zh" else "assessed: ") + str(occ["assessed_count"]))
    return out


# ------------------------------------------------------------------ answering


def parse(q: dict, raw: str, lang: str, lexicon=None):
    text = (raw or "").strip()
    t = q["type"]
    if not text:
        raise Invalid("请回答这个问题。" if lang == "zh" else "Please answer the question.")
    if q.get("optional") and text.lower() in SKIP_WORDS:
        return None
    if t in REQUIRED_TEXT_TYPES and text.lower() in SKIP_WORDS:
        # try27: "跳过" at the credit code got "应为18位，现在是2位"; say it is required and how to leave
        raise Invalid("这一项必填，不能跳过。要改上一题请输入 /back，暂不填写可以 /cancel 退出问卷（已保存的答案不受影响）。"
                      if lang == "zh" else "This one is required and cannot be skipped. /back goes to the previous "
                      "question; /cancel leaves the questionnaire (saved answers are kept).")
    if t in ("choice", "multi"):
        opts = q["options"]

        def out_of_range(token: str) -> Invalid:
            # try29: the multi prompt shows 完成/跳过 too, so "reply 1 to 8" alone was wrong
            tail = ""
            if t == "multi":
                tail = ("，选好后回复“完成”" + ("；都没有可回复“跳过”" if q.get("optional") else "")) if lang == "zh" \
                    else (", then \"done\"" + (" (or \"skip\" for none)" if q.get("optional") else ""))
            if token.isdigit():
                return Invalid(f"没有第 {int(token)} 项：请回复 1 到 {len(opts)} 之间的编号{tail}。" if lang == "zh" else
                               f"There is no option {int(token)}: reply with a number from 1 to {len(opts)}{tail}.")
            return Invalid((f"“{token}”不是选项之一，请回复 1 到 {len(opts)} 之间的编号{tail}。" if lang == "zh" else
                            f"\"{token}\" is not one of the options; reply with a number from 1 to {len(opts)}{tail}."))

        def pick(token: str):
            token = token.strip()
            if token.isdigit():
                if 1 <= int(token) <= len(opts):
                    return opts[int(token) - 1]["value"]
                raise out_of_range(token)
            for o in opts:
                if token in (o["value"], o["zh"], o["en"]) or token.lower() == o["en"].lower():
                    return o["value"]
            for o in opts:  # other words for it (新加的 → 增加, delete → 删除)
                if token in o.get("aliases", ()) or token.lower() in _en_names(o):
                    return o["value"]
            bare = _strip_en_filler(token)  # "the levels", "delete it" (try29)
            if bare and bare != token.lower():
                for o in opts:
                    if bare in _en_names(o):
                        return o["value"]
            loose = normalize_zh(token, lexicon) if lexicon else token  # 技校 → 技工院校
            for o in opts:  # a label written loosely ("技校", "省属的")
                if o["zh"] and (o["zh"] in loose or (len(loose) >= 2 and loose in o["zh"])):
                    return o["value"]
            raise out_of_range(token)

        if t == "choice":
            return pick(text)
        if not HAN.search(text):  # English words: whole labels first ("short name", "the levels", "name and phone")
            return _english_multi(text, opts, pick)
        parts = [p for p in re.split(r"[,，、;；\s]+", text) if p]
        out = []
        for p in parts:
            # "联系人和电话换了" names two options (try28 ticked only 联系人): every one named counts
            named = [o["value"] for o in opts if not p.isdigit() and p not in (o["value"], o["zh"], o["en"])
                     and any(w and w in p for w in [o["zh"], *o.get("aliases", ())])]
            out += named if len(named) > 1 else [pick(p)]
        return out
    validator = TYPE_VALIDATORS[t]
    try:
        value = validator(text)
    except ValueError as e:
        raise Invalid(localize(str(e), lang)) from None
    if t in ("text", "longtext"):
        plausible(q, value, lang)
    return value


EN_FILLER = {"the", "a", "an", "it", "its", "this", "that", "one", "row", "only", "just", "please", "and", "both",
             "was", "were", "is", "are", "has", "have", "been", "cell", "cells", "changed", "change", "changes",
             "we", "our", "i", "to", "of", "in", "they", "all", "also", "too"}
NONE_CHANGED = re.compile(r"^(?:好像|应该|其实)?(?:都|全都|全|啥都|什么都)?(?:没|没有|未)(?:变|变化|改|改动|动)(?:过|化)?[了啊吧呀的]*$"
                          r"|^(?:nothing|none|no)(?:\s+(?:has|have))?(?:\s+(?:changed|change|changes))?$"
                          r"|^(?:no\s+changes?|unchanged|(?:all\s+)?(?:the\s+)?same|nothing\s+at\s+all)$", re.I)


def means_none(text: str) -> bool:
    """"nothing changed", "好像都没变" at an optional multi-choice: the same as 跳过 (try29: refused)."""
    return bool(NONE_CHANGED.match(re.sub(r"[\s。.!！~～,，]+$", "", (text or "").strip())))


def _en_names(o: dict) -> set[str]:
    """An option's English names: its label without the Chinese in brackets, and its ascii aliases."""
    names = {_BRACKETED.sub("", o["en"]).strip().lower()}
    names |= {a.lower() for a in o.get("aliases", ()) if a.isascii()}
    return names


def _strip_en_filler(token: str) -> str:
    return " ".join(w for w in re.split(r"\s+", token.lower().strip(" .!")) if w and w not in EN_FILLER)


def _english_multi(text: str, opts: list[dict], pick) -> list:
    """"the levels", "name and phone", "short name, 3": the options' English names found in the text
    (longest first, as whole words), then numbers; a word left over that is neither is refused."""
    rest = " " + text.lower() + " "
    found: list[tuple[int, str]] = []
    names = sorted(((n, o["value"]) for o in opts for n in _en_names(o) if n), key=lambda x: -len(x[0]))
    for name, value in names:
        whole = re.compile(r"(?<![a-z0-9-])" + re.escape(name) + r"(?![a-z0-9-])")
        found += [(m.start(), value) for m in whole.finditer(rest)]
        rest = whole.sub(lambda m: " " * len(m.group(0)), rest)  # (taken: a shorter name inside it is not found again)
    filler = []
    for m in re.finditer(r"[^\s,，、;；&+/]+", rest):
        word = m.group(0).strip(".!")
        if not word or word in EN_FILLER:
            filler.append(word)
            continue
        found.append((m.start(), pick(word)))  # a number, or "not one of the options" naming the word
    if not found and any(filler):
        pick(next(w for w in filler if w))  # review17: "all", "all changed" named nothing: refused by name, not re-asked in silence
    found.sort()
    return list(dict.fromkeys(value for _, value in found))


def plausible(q: dict, value: str, lang: str) -> None:
    """A name or text must hold words: emoji or punctuation alone is refused (try28: "😀😀" as 机构简称),
    and a name on a Chinese form (`han = true`) needs Chinese characters (try28: "1" as 工种 名称)."""
    if not re.search(r"[^\W_]", value):
        raise Invalid("这里要填文字，只有符号或表情不行。" if lang == "zh" else
                      "Please type words here: symbols or emoji alone will not do.")
    if q.get("han") and not HAN.search(value):
        raise Invalid(f"“{value[:20]}”不像名称：名称应含汉字（如 电工、山东省技师学院）。" if lang == "zh" else
                      f"\"{value[:20]}\" does not look like a name: it should contain Chinese characters "
                      "(e.g. 电工).")


def block_labels(kb: KnowledgeBase) -> dict[str, str]:
    """Label (as a school would write it, zh or en) → org question key, from `labels` in questionnaire.toml."""
    out = {}
    for q in questions(kb):
        for label in q.get("labels", []):
            out[label.lower()] = q["key"]
    return out


def block_fields(raw: str, kb: KnowledgeBase) -> dict[str, str] | None:
    """A pasted block `名称：… 地址：… 信用代码：…` (ascii colons and English labels too) → {key: text};
    None when the text does not start with such a label."""
    labels = block_labels(kb)
    if not labels:
        return None
    pattern = re.compile(r"(?:^|(?<=[\s，,;；|]))(" + "|".join(re.escape(x) for x in sorted(labels, key=len, reverse=True))
                         + r")\s*[:：]", re.I)
    text = (raw or "").strip()
    matches = list(pattern.finditer(text))
    if not matches or matches[0].start() != 0:
        return None
    out: dict[str, str] = {}
    for m, nxt in zip(matches, matches[1:] + [None]):
        value = text[m.end(): nxt.start() if nxt else len(text)].strip(" \t\r\n，,;；|")
        out[labels[m.group(1).lower()]] = value
    return out


def _short_label(q: dict, lang: str) -> str:
    labels = q.get("labels") or [q["key"]]
    if lang == "en":
        return next((x for x in labels if x.isascii()), labels[0])
    return labels[0]


def block_text(state: dict, kb: KnowledgeBase) -> str:
    lang = state["lang"]
    lines = [f"{_short_label(_question(kb, k), lang)}{'：' if lang == 'zh' else ': '}{display(val, None, lang)}"
             for k, val in state["block"].items()]
    head = "读到以下信息：" if lang == "zh" else "I read:"
    tail = "都对吗？回复“是”保存，“否”重新填写。" if lang == "zh" else "Is all of it right? \"yes\" saves it, \"no\" discards it."
    ignored = state.get("block_ignored") or []
    if ignored:
        lines.append(("（" + "、".join(ignored) + "：所选事项要生成的材料用不到，不保存）") if lang == "zh" else
                     "(" + ", ".join(ignored) + ": not used by the documents your goals make; not saved)")
    return head + "\n" + "\n".join(lines) + "\n\n" + tail


def _answer_block(new: dict, key: str, fields: dict[str, str], kb: KnowledgeBase) -> dict:
    lang = new["lang"]
    good: dict = {}
    errors = []
    ignored: list[str] = []
    for k, raw in fields.items():
        q = _question(kb, k)
        label = _short_label(q, lang)
        if not applies(q, new["answers"], kb):
            ignored.append(label)  # a field this school's documents do not need (try29: dropped without a word)
            continue
        if not raw:
            errors.append(f"{label}：没有填写内容" if lang == "zh" else f"{label}: nothing after the label")
            continue
        try:
            value = parse(q, raw, lang)
        except Invalid as e:
            errors.append(f"{label}{'：' if lang == 'zh' else ': '}{e}")
            continue
        if value is not None:
            good[k] = value
    if errors:
        raise Invalid(("以下内容不对，没有保存任何一项：\n" if lang == "zh" else "Not saved, because of:\n")
                      + "\n".join(errors))
    if not good:
        raise Invalid("没有读到需要填写的信息。" if lang == "zh" else "I found nothing this form needs.")
    new["block"] = good
    new["block_ignored"] = ignored
    new["block_return"] = key
    new["pending"] = "block"
    return new


def answer(state: dict, raw: str, kb: KnowledgeBase) -> dict:
    """Apply one answer to the pending question. Raises Invalid (state unchanged) when it does not fit."""
    new = copy.deepcopy(state)
    lang = new["lang"]
    key = new["pending"]
    if key == "reuse" and new.pop("from_chat", None):
        if not _is_yes_no(raw):
            new["from_chat"] = True
            _bad_yes_no(lang)
        said = new.pop("saved", {})
        if v.yes_no(raw):
            new["answers"] = dict(said)
            new["history"] = [k for k in said]
            # try29: 市属, confirmed here, was dropped by the next answer (affiliation applies only once
            # the goals are known) and asked again: confirmed facts are kept until they apply
            new["kept"] = dict(said)
        advance(new, kb)
        return new
    if key == "reuse":
        if not _is_yes_no(raw):
            _bad_yes_no(lang)
        if v.yes_no(raw):
            new["answers"] = validate_answers(copy.deepcopy(new.pop("saved")), partial=True)
            # optional fields left blank last time were skipped, not forgotten
            new["answers"]["_skipped"] = [q["key"] for q in questions(kb)
                                          if q.get("optional") and not has(new["answers"], q["key"])]
            new["occ_done"] = True
            new["pending"] = "summary"
            rows = unmarked_rows(new["answers"])
            if rows and needs_documents(new["answers"], kb):  # an uploaded 修改 row: which cells changed?
                new["pending"] = ROW_CHANGED + str(rows[0])
        else:
            new.pop("saved", None)
            advance(new, kb)
        return new
    if key == "more_occ":
        if not _is_yes_no(raw):
            _bad_yes_no(lang)
        if v.yes_no(raw):
            if len(new["answers"].get("occupations", [])) >= MAX_OCCUPATIONS:
                raise Invalid(f"最多 {MAX_OCCUPATIONS} 个工种。" if lang == "zh" else
                              f"At most {MAX_OCCUPATIONS} occupations.")
            new["occ_done"] = False
            new["draft"] = {}
            new["pending"] = "occ." + occupation_fields(kb)[0]["key"]
            return new
        new["occ_done"] = True
        advance(new, kb)
        return new
    if key.startswith(OCC_PICK):
        return _answer_pick(new, raw, kb)
    if key == "summary":
        raise Invalid("请回复“确认”，或“改 N”修改第 N 项。" if lang == "zh" else "Reply \"confirm\", or \"edit N\".")
    if key == "block":
        if not _is_yes_no(raw):
            _bad_yes_no(lang)
        block = new.pop("block", {})
        new.pop("block_ignored", None)
        new["pending"] = new.pop("block_return", None)
        if not v.yes_no(raw):
            return new
        skipped = new["answers"].get("_skipped", [])
        for k, value in block.items():
            put(new["answers"], k, value)
            if k in skipped:
                skipped.remove(k)
            if k not in new["history"]:
                new["history"].append(k)
        prune(new, kb)
        advance(new, kb)
        return new
    q = _question(kb, key)
    if key.startswith("org.") and q["type"] not in ("longtext", "multi", "choice"):
        fields = block_fields(raw, kb)
        if fields is not None and list(fields) == [key]:
            raw = fields[key]  # "地址：济南市…" at the address question
        elif fields is not None:
            return _answer_block(new, key, fields, kb)
    if q["type"] == "multi":
        values = parse(q, raw, lang, kb.lexicon)
        new["multi"] = []
        return _store(new, key, values, kb)
    value = parse(q, raw, lang, kb.lexicon)
    return _store(new, key, value, kb)


def toggle(state: dict, value: str, kb: KnowledgeBase) -> dict:
    """A tap on a multi-choice option: select or unselect it."""
    new = copy.deepcopy(state)
    q = _question(kb, new["pending"])
    if value not in [o["value"] for o in q["options"]]:
        raise Invalid("这个选项已过期。" if new["lang"] == "zh" else "That option is out of date.")
    chosen = new.setdefault("multi", [])
    if value in chosen:
        chosen.remove(value)
    else:
        chosen.append(value)
    return new


def select(state: dict, raw: str, kb: KnowledgeBase) -> dict:
    """Typed options at a multi-choice question ("4,5", "联系电话") tick or untick them, as tapping the
    buttons does; "完成"/"done" (or the done button) closes the question. try27: "4,5" closed it at
    once, so the "9" typed next (meant as the done button) became the occupation name "9"."""
    new = copy.deepcopy(state)
    q = _question(kb, new["pending"])
    values = parse(q, raw, new["lang"], kb.lexicon)
    if values is None:
        raise Invalid("")  # a skip word: not a selection
    chosen = new.setdefault("multi", [])
    for value in dict.fromkeys(values):
        if value in chosen:
            chosen.remove(value)
        else:
            chosen.append(value)
    return new


def finish_multi(state: dict, kb: KnowledgeBase) -> dict:
    if not state.get("multi"):
        optional = _question(kb, state["pending"]).get("optional")
        raise Invalid(("请至少选择一项" + ("，或点“跳过”。" if optional else "。")) if state["lang"] == "zh" else
                      "Choose at least one" + (", or \"skip\"." if optional else "."))
    new = copy.deepcopy(state)
    values = [o["value"] for o in _question(kb, new["pending"])["options"] if o["value"] in new["multi"]]
    new["multi"] = []
    return _store(new, new["pending"], values, kb)


def _store(new: dict, key: str, value, kb: KnowledgeBase) -> dict:
    if key.startswith(ROW_CHANGED):
        occ = new["answers"]["occupations"][int(key[len(ROW_CHANGED):])]
        if value:
            occ["changed"] = value
        else:  # skipped: the check list marks the row 待补充
            occ["_skip_changed"] = True
        new["history"].append(key)
        advance(new, kb)
        return new
    if key.startswith("occ."):
        field_name = key[4:]
        if value is None:
            new["draft"].pop(field_name, None)
            new["draft"]["_skip_" + field_name] = True
        else:
            new["draft"][field_name] = value
        if new.get("occ_index") is None:  # a row changed from the summary goes back there, not into history
            new["history"].append(key)
        advance(new, kb)
        return new
    if value is None:
        drop(new["answers"], key)
        skipped = new["answers"].setdefault("_skipped", [])
        if key not in skipped:
            skipped.append(key)
    else:
        put(new["answers"], key, value)
    if key in (new.get("kept") or {}):  # changed by the user: the new answer is the one kept
        new["kept"][key] = value
    if key not in new["history"]:
        new["history"].append(key)
    prune(new, kb)
    advance(new, kb)
    return new


def back(state: dict, kb: KnowledgeBase) -> dict:
    new = copy.deepcopy(state)
    new["editing"] = None
    if new["pending"] == "block":
        new.pop("block", None)
        new.pop("block_ignored", None)
        new["pending"] = new.pop("block_return", None)
        return new
    if new["pending"].startswith(OCC_PICK) or new.get("occ_index") is not None:  # leave the row as it was
        new["draft"] = {}
        new.pop("occ_index", None)
        new.pop("edit_current", None)
        new["pending"] = "summary"
        return new
    if new["pending"] == "summary" and new["answers"].get("occupations") and not new.get("draft"):
        new["occ_done"] = False
        new["pending"] = "more_occ"
        return new
    if not new["history"]:
        return new
    occs = new["answers"].get("occupations") or []
    if new["history"][-1].startswith("occ.") and occs and not real_fields(new.get("draft")):
        # try28: /back walked into the occupations already entered, undoing them one answer at a time,
        # and the later ones were lost. They stay: back goes to the question before them, and says so.
        while new["history"] and new["history"][-1].startswith(("occ.", ROW_CHANGED)):
            new["history"].pop()
        new["draft"] = {}
        n = len(occs)
        new["note"] = (f"已录入的 {n} 个工种都保留着；要改某个工种，请在最后的汇总中回复“改 工种N”。" if new["lang"] == "zh"
                       else f"The {n} occupation(s) entered are kept; to change one, reply \"edit occupation N\" "
                       "at the summary.")
        if not new["history"]:
            new["pending"] = "more_occ"
            new["occ_done"] = False
            return new
    key = new["history"].pop()
    while key in (new.get("kept") or {}) and not has(new["answers"], key) and new["history"]:
        key = new["history"].pop()  # a kept fact that does not apply now: not a question to go back to
    if key.startswith(ROW_CHANGED):
        occs = new["answers"].get("occupations") or []
        n = int(key[len(ROW_CHANGED):])
        if n < len(occs):
            occs[n].pop("changed", None)
            occs[n].pop("_skip_changed", None)
        new["pending"] = key
        return new
    if key.startswith("occ."):
        if not new.get("draft") and new["answers"].get("occupations"):
            new["draft"] = new["answers"]["occupations"].pop()
        new["draft"].pop(key[4:], None)
        new["draft"].pop("_skip_" + key[4:], None)
        new["pending"] = key
        return new
    drop(new["answers"], key)
    skipped = new["answers"].get("_skipped", [])
    if key in skipped:
        skipped.remove(key)
    new["pending"] = key
    return new


def edit(state: dict, number: int, kb: KnowledgeBase) -> dict:
    items = summary_items(state["answers"], kb)
    if not 1 <= number <= len(items):
        raise Invalid((f"没有第 {number} 项。" if state["lang"] == "zh" else f"There is no item {number}."))
    new = copy.deepcopy(state)
    new["pending"] = items[number - 1][0]
    new["editing"] = new["pending"]
    if new["pending"] == "goals":
        new["multi"] = list(new["answers"].get("goals", []))
    return new


def final_answers(state: dict) -> dict:
    """The answers in SPEC form (validated again: nothing wrong reaches a document)."""
    answers = {k: x for k, x in state["answers"].items() if not k.startswith("_")}
    occs = []
    for o in answers.get("occupations", []):
        occs.append({k: x for k, x in o.items() if not k.startswith("_")})
    if occs:
        answers["occupations"] = occs
    return validate_answers(answers)


def _is_yes_no(raw: str) -> bool:
    try:
        v.yes_no(raw)
        return True
    except ValueError:
        return False


def _bad_yes_no(lang: str):
    # try26: "哦不对，社评资质我们还没有" corrects the previous answer: say how to go back to it
    raise Invalid("请回答“是”或“否”。要改上一题的回答，请输入 /back。" if lang == "zh"
                  else "Please answer yes or no. To change your previous answer, type /back.")
