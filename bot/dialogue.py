"""The dialogue, independent of any channel: a user's text or button data in, replies out.

Channels (terminal, Telegram, later WeCom/DingTalk/Feishu/web) only turn `Reply` objects into
their own messages, buttons and file uploads. All state lives in the app's SQLite store,
written after every step, so a restarted process continues where the user was.

Button data (≤ 64 bytes, Telegram's limit):
    a:<step>:<value>   answer the pending question      m:<step>:<i>   toggle option i (multi)
    d:<step>           multi-choice done                 c:<step>       confirm the summary
    t:<intent>         a "did you mean" topic            f:<+|->:<intent>  feedback on an answer
A button whose step is not the current one is stale: it changes nothing.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import questionnaire as qn
from . import userfiles
from .answers import AnswersError
from .app import App
from .eligibility import check, check_text
from .text import clean, detect_lang, is_yes_no, scrub

MAX_INPUT_CHARS = 4000
EDIT_RE = re.compile(r"^\s*(?:改|修改|edit|change)\s*第?\s*(\d{1,3})\s*项?\s*$", re.I)
EDIT_OCC_RE = re.compile(r"^\s*(?:改|修改|edit|change)\s*第?\s*(?:工种|occupation|occ\.?)\s*(\d{1,3})\s*$", re.I)
# a message at a free-text prompt that asks something (try28: "备案号是啥？我们不知道" was saved as 注册登记机构)
QUESTION_FORM = re.compile(r"[?？]|是啥|啥是|什么|怎么|咋|为啥|为什么|哪里|哪儿|哪个|哪些|是不是|能不能|可不可以|要不要|"
                           r"有没有|(?:多少|几个)[\s。.!！~～]*$|(?:吗|呢|么|嘛)[\s。.!！~～]*$")
# review16: a web address's query ("…index.php?id=3") or an e-mail is an answer, not a question mark
ADDRESS = re.compile(r"(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.I)
WORDS = re.compile(r"[A-Za-z]{2,}")
HAN_CHARS = re.compile(r"[\u4e00-\u9fff]")
MARKUP = re.compile(r"<[^<>]{0,200}>|[A-Za-z_$][\w$.]*\([^()]{0,200}\)")  # tags and code calls: alert(1)


def wordless(text: str) -> bool:
    """No Chinese and no word outside markup and code ("<script>alert(1)</script>"): no language of its own."""
    bare = MARKUP.sub(" ", text)
    return not HAN_CHARS.search(bare) and not WORDS.search(bare)
CONFIRM_WORDS = {"确认", "确定", "没问题", "对", "生成", "confirm", "ok", "yes", "是"}
BACK_WORDS = {"返回", "上一题", "上一步", "back", "/back"}
CANCEL_WORDS = {"取消", "退出问卷", "cancel", "/cancel"}


@dataclass
class Button:
    label: str
    data: str


@dataclass
class Reply:
    text: str
    buttons: list[list[Button]] = field(default_factory=list)  # rows of buttons
    files: list[tuple[str, bytes]] = field(default_factory=list)  # (file name, content)
    intent: str | None = None  # the topic answered (channels may offer 👍/👎 on it)
    verdict: str | None = None  # yes | no | conditional for a yes/no answer (channels may show it as a badge)
    progress: tuple[int, int] | None = None  # questionnaire prompt: (step, estimated total)
    lang: str | None = None  # questionnaire prompt: its language (the web's 修改/Edit buttons follow it)


TEXTS = {
    "zh": {
        "start": "您好！我是技工院校职业技能等级认定政策助手，依据山东省人社厅2021年8月12日的通知回答问题，每个回答都注明条款并引用原文。\n\n"
                 "直接提问即可，例如：“我们能给老师认定二级吗？”\n/check 判断学校能做什么并生成申报材料；/help 查看全部命令。\n"
                 "(English works too: \"Can we certify teachers at level 2?\")",
        "check_intro": "好的，开始资格问卷。随时可以 /back 返回上一题、/cancel 取消。",
        "cancelled": "已取消问卷。已保存的学校情况不受影响；/check 可以重新开始。",
        "nothing_to_cancel": "当前没有进行中的问卷。",
        "forgot": "已删除我保存的关于您的全部信息（{n} 条记录：学校情况、会话、提问记录和评价；{f} 个生成的文件）。",
        "stale": "这个按钮已过期，请按最新的问题回答。",
        "unknown_button": "无法识别这个按钮，请重新输入。",
        "retry": "{error}\n请重新回答：",
        "verdict_done": "以上结论已保存为贵校情况，之后的提问会按贵校情况回答。需要修改可随时 /check。",
        "forms_intro": "下面填写申报材料需要的信息（可选项回复“跳过”）。也可以一次粘贴多项，如“名称：… 地址：… 信用代码：…”；"
                       "已有填好的附件3（.xlsx）可直接发送，作为工种清单。",
        "upload_how": "把填好的附件3《评价机构信息与认定范围清单》（.xlsx）作为文件发给我，即读入其中的工种（终端里用 /upload 文件路径）。",
        "upload_read": "已从 {name} 读入 {n} 个工种：\n{rows}",
        "upload_saved": "已保存为贵校的工种清单。/checklist 生成申报材料，/check 补充其他信息。",
        "upload_bad": "{error}",
        "upload_unmarked": "注意：{names} 备注“修改”，但表中没有涂黄的单元格（附件3注7：修改的单元格要涂黄）。"
                           "/checklist 时我会先问改了哪几格；也可以在表中把改动的单元格涂黄后重新发送。",
        "generated": "已生成申报材料：{files}\n核对后按清单报送。",
        "no_documents": "按贵校的答案，所选事项没有需要报送的申报材料。",
        "checklist_needs_check": "还没有贵校的问卷答案，先回答几个问题：",
        "too_long": "消息太长了（超过 {n} 字），请分开发送。",
        "empty": "请输入问题或命令，/help 查看用法。",
        "unknown_command": "不认识这个命令。/help 查看可用命令。",
        "thanks_feedback": "谢谢您的评价！",
        "back_none": "已经是第一题了。",
        "question_in_form": "（问卷还在进行中，回答上面的问题即可继续。）",
        "looks_like_question": "这句话看起来是一个问题，没有当作答案保存。",
        "ask_after_form": "问卷进行中只能回答当前的问题：要提问，请先完成问卷，或输入 /cancel 退出问卷（已填的答案会保留）后再问。",
        "not_docs_ready": "问卷还没完成，继续回答：",
    },
    "en": {
        "start": "Hello! I answer questions on the Shandong notice of 12 August 2021 on skill-level certification by technical schools, citing and quoting its clauses.\n\n"
                 "Just ask, e.g. \"Can we certify teachers at level 2?\"\n/check works out what your school may do and pre-fills the documents; /help lists the commands.",
        "check_intro": "Let's start the questionnaire. /back goes back one question, /cancel stops.",
        "cancelled": "Questionnaire cancelled. Your saved school profile is kept; /check starts again.",
        "nothing_to_cancel": "There is no questionnaire in progress.",
        "forgot": "I erased everything I stored about you ({n} records: school profile, conversation, questions and ratings; {f} generated files).",
        "stale": "That button is out of date; please answer the latest question.",
        "unknown_button": "I don't recognise that button; please type your answer.",
        "retry": "{error}\nPlease answer again:",
        "verdict_done": "Saved as your school's profile: my answers will take it into account. /check to change it.",
        "forms_intro": "Now the details for the application documents (reply \"skip\" for optional ones). You may paste "
                       "several at once, e.g. \"name: … address: … credit code: …\"; a filled 附件3 (.xlsx) sent as a file "
                       "becomes your occupation list.",
        "upload_how": "Send your filled 附件3 (评价机构信息与认定范围清单, .xlsx) as a file and I read its occupations "
                      "(in the terminal: /upload PATH).",
        "upload_read": "Read {n} occupation(s) from {name}:\n{rows}",
        "upload_saved": "Saved as your school's occupation list. /checklist makes the documents; /check fills in the rest.",
        "upload_bad": "{error}",
        "upload_unmarked": "Note: {names} marked 修改 but no cell is filled yellow (附件3 note 7: changed cells are "
                           "yellow). /checklist first asks which cells changed; or fill them yellow and send the file again.",
        "generated": "Your documents: {files}\nCheck them, then file them as the checklist says.",
        "no_documents": "With your answers, the chosen goals need no application documents.",
        "checklist_needs_check": "I have no questionnaire answers for your school yet; a few questions first:",
        "too_long": "That message is too long (over {n} characters); please split it.",
        "empty": "Please type a question or a command; /help lists them.",
        "unknown_command": "Unknown command. /help lists the commands.",
        "thanks_feedback": "Thanks for your feedback!",
        "back_none": "This is the first question.",
        "question_in_form": "(The questionnaire is still open: answer the question above to go on.)",
        "looks_like_question": "That looks like a question, so I did not save it as the answer.",
        "ask_after_form": "While the questionnaire is open I can only take the answer to its question: finish it, or "
                          "/cancel (your answers so far are kept), then ask.",
        "not_docs_ready": "The questionnaire is not finished yet:",
    },
}


def count_files(store, users) -> int:
    """The generated files kept for these users (recorded in the store or in their folders), each once:
    /forget says how many it deletes (try28: it said 0 after deleting a checklist.md)."""
    from pathlib import Path

    paths = set()
    for user in users:
        paths.update(str(Path(p).resolve()) for p in store.files_of(user) if Path(p).is_file())
        folder = userfiles.user_dir(user)
        if folder.is_dir():
            paths.update(str(p.resolve()) for p in folder.rglob("*") if p.is_file())
    return len(paths)


class Dialogue:
    def __init__(self, app: App):
        self.app = app
        # channels that keep generated files elsewhere (the web's download store) add an object with
        # count(user) and forget(user), so /forget counts and deletes them (try28: "0 generated files" after four)
        self.forget_hooks: list = []

    @property
    def kb(self):
        return self.app.kb

    # ------------------------------------------------------------ entry points

    def handle_text(self, user: str, text, lang_hint: str | None = None) -> list[Reply]:
        """One step: the text is cleaned of what no channel can carry (lone surrogates), and the state
        is read and written back in one transaction, so concurrent steps of a user never interleave."""
        user, text = scrub(user), scrub(text)
        self.app.prune_if_due()
        with self.app.store.transaction():
            return self._handle_text(user, text, lang_hint)

    def handle_button(self, user: str, data: str, lang_hint: str | None = None) -> list[Reply]:
        user, data = scrub(user), scrub(data)
        self.app.prune_if_due()
        with self.app.store.transaction():
            return self._handle_button(user, data, lang_hint)

    def _handle_text(self, user: str, text, lang_hint: str | None = None) -> list[Reply]:
        raw = text if isinstance(text, str) else ""
        state = self.app.store.get_state(user)
        lang = self._lang(raw, state, lang_hint)
        if len(raw) > MAX_INPUT_CHARS:
            return [Reply(self.t(lang, "too_long", n=MAX_INPUT_CHARS))]
        body = clean(raw)
        if not body:
            return [Reply(self.t(lang, "empty"))]
        if body.startswith("/"):
            return self.command(user, body, state, lang)
        q = state.get("q")
        if q and q.get("pending"):
            self._follow_lang(q, body)
            lang = q.get("lang", lang)
            # the answer is stored as typed (（），１２３ stay so); the cleaned text is only for matching words
            return self._questionnaire_text(user, state, body, lang, typed=raw.strip())
        if not wordless(body):
            counts = state.setdefault("langs", {})
            counts[lang] = counts.get(lang, 0) + 1
        return [self._answer(user, body, lang, state=state)]

    def handle_file(self, user: str, name: str, data: bytes, lang_hint: str | None = None) -> list[Reply]:
        """A file sent by the user (any channel): a filled 附件3 .xlsx becomes the occupation list."""
        user, name = scrub(user), scrub(name)
        self.app.prune_if_due()
        with self.app.store.transaction():
            return self._handle_file(user, name, data, lang_hint)

    def _handle_file(self, user: str, name: str, data: bytes, lang_hint: str | None = None) -> list[Reply]:
        from .occupation_sheet import SheetError, read_sheet

        state = self.app.store.get_state(user)
        q = state.get("q")
        lang = (q or {}).get("lang") or state.get("lang") or lang_hint or "zh"
        name = name if isinstance(name, str) and name.strip() else "file.xlsx"
        if not name.lower().endswith((".xlsx", ".xlsm")):
            return [Reply(self.t(lang, "upload_how"))]
        try:
            occupations, org = read_sheet(data if isinstance(data, bytes) else b"", lang)
        except SheetError as e:
            replies = [Reply(self.t(lang, "upload_bad", error=str(e)))]
            return replies + ([self._prompt_reply(q)] if q and q.get("pending") else [])
        rows = "\n".join(
            f"{i}. " + " / ".join(x for x in (o["name"], o.get("code", ""), o.get("work_type", ""),
                                               "、".join(map(str, o.get("levels", []))), self._change_word(o, lang))
                                   if x)
            for i, o in enumerate(occupations, 1))
        read = Reply(self.t(lang, "upload_read", n=len(occupations), name=name[:80], rows=rows)
                     + self._org_read(org, lang))
        if q and q.get("pending"):
            q["answers"]["occupations"] = occupations
            if org:  # the organisation block of the sheet fills what is not answered yet
                have = q["answers"].setdefault("org", {})
                for k, value in org.items():
                    have.setdefault(k, value)
            q["draft"], q["occ_done"] = {}, True
            q["history"] = [k for k in q.get("history", []) if not k.startswith("occ.")]
            if q["pending"].startswith(("occ.", qn.ROW_CHANGED)) or q["pending"] in ("more_occ", "summary"):
                qn.advance(q, self.kb)
            q["step"] = q.get("step", 0) + 1
            self.app.store.set_state(user, state)
            return [read, self._prompt_reply(q)]
        profile = dict(self.app.store.get_profile(user) or {})
        profile["occupations"] = occupations
        if org:
            profile["org"] = {**org, **(profile.get("org") or {})}
        self.app.store.set_profile(user, profile)
        unmarked = qn.unmarked_rows(profile)
        if unmarked:  # note 7: which cells of a 修改 row changed? /check and /checklist ask
            names = "、".join(occupations[i]["name"] for i in unmarked)
            return [read, Reply(self.t(lang, "upload_saved")), Reply(self.t(lang, "upload_unmarked", names=names))]
        return [read, Reply(self.t(lang, "upload_saved"))]

    @staticmethod
    def _org_read(org: dict, lang: str) -> str:
        from .documents import ATT3_FIELDS

        labels = dict(ATT3_FIELDS)
        shown = [f"{labels[k].replace('（非必填）', '')}：{org[k]}" for k, _ in ATT3_FIELDS if org.get(k)]
        if not shown:
            return ""
        return ("\n机构信息：" if lang == "zh" else "\nOrganisation: ") + ("；" if lang == "zh" else "; ").join(shown)

    @staticmethod
    def _change_word(o: dict, lang: str) -> str:
        change = o.get("change", "")
        if change != "修改":
            return change
        if not o.get("changed"):
            return "修改（未涂黄）" if lang == "zh" else "修改 (no cell yellow)"
        from .documents import OCC_CELL_WORDS

        return "修改（" + "、".join(OCC_CELL_WORDS[k] for k in o["changed"]) + "，已涂黄）"

    def _handle_button(self, user: str, data: str, lang_hint: str | None = None) -> list[Reply]:
        state = self.app.store.get_state(user)
        lang = (state.get("q") or {}).get("lang") or state.get("lang") or lang_hint or "zh"
        data = data if isinstance(data, str) else ""
        parts = data.split(":")
        kind = parts[0] if parts else ""
        if kind == "t" and len(parts) == 2 and parts[1] in self.kb.intents and not self.kb.intents[parts[1]].out_of_scope:
            topic = self.kb.intents[parts[1]]
            question = topic.topic_zh if lang == "zh" else topic.topic_en
            return [self._answer(user, question, lang, state=state)]
        if kind == "f" and len(parts) == 3 and parts[1] in "+-" and parts[1] and parts[2] in self.kb.intents:
            self.app.store.add_feedback(user, parts[2], 1 if parts[1] == "+" else -1)
            return [Reply(self.t(lang, "thanks_feedback"))]
        q = state.get("q")
        if kind in ("a", "m", "d", "c") and len(parts) >= 2:
            if not q or not q.get("pending") or parts[1] != str(q.get("step", 0)):
                return [Reply(self.t(lang, "stale"))]
            try:
                if kind == "a" and len(parts) == 3:
                    return self._advance(user, state, lambda s: self._answer_value(s, parts[2]), lang)
                if kind == "m" and len(parts) == 3 and parts[2].isdigit():
                    return self._toggle(user, state, int(parts[2]), lang)
                if kind == "d":
                    return self._advance(user, state, lambda s: qn.finish_multi(s, self.kb), lang)
                if kind == "c" and q.get("pending") == "summary":
                    return self._confirm(user, state, lang)
            except (IndexError, ValueError):
                return [Reply(self.t(lang, "stale"))]
        return [Reply(self.t(lang, "unknown_button"))]

    # ------------------------------------------------------------ commands

    def command(self, user: str, body: str, state: dict, lang: str) -> list[Reply]:
        name = body.split()[0].split("@")[0].lower()
        if name in ("/start", "/help"):
            intent = "help" if name == "/help" else None
            text = self.t(lang, "start") if name == "/start" else self.app.engine.render(
                self.kb.intents["help"].answer_zh if lang == "zh" else self.kb.intents["help"].answer_en)
            return [Reply(text, intent=intent)]
        if name == "/contact":
            return [Reply(self.app.engine.contacts_text(lang) + "\n\n" + self.app.engine.quote("contacts", lang))]
        if name == "/check":
            if not (state.get("q") or {}).get("pending"):
                lang = self.chat_lang(state, lang)
            profile = self.app.store.get_profile(user)
            said = qn.chat_facts((state.get("topic") or {}).get("facts"), self.kb) if not profile else {}
            q = qn.new_state(lang, profile or None, said or None)
            if not profile and not said:
                qn.advance(q, self.kb)
            q["step"] = 1
            state["q"] = q
            self.app.store.set_state(user, state)
            self.app.store.log_event(user, "check_start")
            return [Reply(self.t(lang, "check_intro")), self._prompt_reply(q)]
        if name == "/checklist":
            return self._checklist(user, state, lang)
        if name == "/cancel":
            if state.get("q"):
                self.app.store.log_event(user, "check_cancel", str(state["q"].get("pending") or ""))
                state["q"] = None
                self.app.store.set_state(user, state)
                return [Reply(self.t(lang, "cancelled"))]
            return [Reply(self.t(lang, "nothing_to_cancel"))]
        if name == "/back":
            q = state.get("q")
            if not q or not q.get("pending"):
                return [Reply(self.t(lang, "nothing_to_cancel"))]
            if not q.get("history") and q.get("pending") != "summary":
                return [Reply(self.t(lang, "back_none")), self._prompt_reply(q)]
            return self._advance(user, state, lambda s: qn.back(s, self.kb), lang)
        if name == "/forget":
            f = count_files(self.app.store, [user])  # before the rows that record them go
            n = self.app.store.forget(user)
            userfiles.forget(user)  # the files a channel kept for this user
            f += sum(keeper.count(user) for keeper in self.forget_hooks)
            for keeper in self.forget_hooks:  # its own connection: after this transaction has let go
                self.app.store.after_commit(lambda k=keeper: k.forget(user))
            return [Reply(self.t(lang, "forgot", n=n, f=f))]
        if name == "/upload":
            return [Reply(self.t(lang, "upload_how"))]
        return [Reply(self.t(lang, "unknown_command"))]

    # ------------------------------------------------------------ questions and answers

    def _answer(self, user: str, text: str, lang: str, state: dict | None = None) -> Reply:
        # try28: "<script>alert(1)</script>" on the Chinese page was answered in English: a message with no
        # Chinese and hardly a word outside markup is answered in the page's (or conversation's) language
        hint = lang if wordless(text) else None
        ans = self.app.ask(user, text, state=state, lang_hint=hint)
        buttons = []
        if ans.suggestions:
            buttons = [[Button(self.app.engine.topic(n, ans.lang)[:64], f"t:{n}")] for n in ans.suggestions]  # topics are ≤ 56 characters: whole
        return Reply(ans.text, buttons, intent=ans.intent if ans.clauses else None, verdict=ans.verdict)

    def _questionnaire_text(self, user: str, state: dict, body: str, lang: str, typed: str | None = None) -> list[Reply]:
        typed = body if typed is None else typed
        q = state["q"]
        low = body.lower()
        if low in CANCEL_WORDS:
            return self.command(user, "/cancel", state, lang)
        if low in BACK_WORDS:
            return self.command(user, "/back", state, lang)
        pending = q["pending"]
        if pending == "summary":
            m = EDIT_RE.match(body)
            if m:
                return self._advance(user, state, lambda s: qn.edit(s, int(m.group(1)), self.kb), lang)
            m = EDIT_OCC_RE.match(body)
            if m:
                return self._advance(user, state, lambda s: qn.edit_occupation(s, int(m.group(1)), self.kb), lang)
            if low in CONFIRM_WORDS:
                return self._confirm(user, state, lang)
        prompt = qn.prompt(q, self.kb)
        if prompt.kind == "multi" and low in qn.DONE_WORDS:
            return self._advance(user, state, lambda s: qn.finish_multi(s, self.kb), lang)
        if prompt.kind == "text" and self._asks(body, q):
            # "能给老师认定二级吗？" typed at 地址, "备案号是啥？" at 注册登记机构 (try28): not saved; answered
            # when the notice covers it, else the user is told how to ask; then the prompt again
            replies = [Reply(self.t(q["lang"], "looks_like_question"))]
            if self._looks_like_question(body, prompt):
                replies += [self._answer(user, body, lang), Reply(self.t(q["lang"], "question_in_form"))]
            else:
                replies.append(Reply(self.t(q["lang"], "ask_after_form")))
            return replies + [self._prompt_reply(q)]
        if prompt.kind == "multi" and prompt.optional and qn.means_none(body):
            # "nothing changed", "好像都没变" (try29: refused as not an option): the same as 跳过
            return self._advance(user, state, lambda s: qn.answer(s, "skip", self.kb), lang)
        if prompt.kind == "multi" and low not in qn.SKIP_WORDS:
            # typed options tick them like the buttons do; "完成" closes the question (try27)
            try:
                new = qn.select(q, typed, self.kb)
            except qn.Invalid as e:
                if self._looks_like_question(body, prompt):
                    return [self._answer(user, body, lang), Reply(self.t(q["lang"], "question_in_form")),
                            self._prompt_reply(q)]
                return [Reply(self.t(q["lang"], "retry", error=str(e))), self._prompt_reply(q)]
            new["step"] = q.get("step", 0) + 1
            state["q"] = new
            self.app.store.set_state(user, state)
            return [self._prompt_reply(new)]
        try:
            return self._advance(user, state, lambda s: qn.answer(s, typed, self.kb), lang)
        except qn.Invalid as e:
            # a question asked in the middle of the questionnaire: answer it, then ask again
            if self._looks_like_question(body, prompt):
                return [self._answer(user, body, lang), Reply(self.t(q["lang"], "question_in_form")),
                        self._prompt_reply(q)]
            return [Reply(self.t(q["lang"], "retry", error=str(e))), self._prompt_reply(q)]

    def _asks(self, body: str, q: dict) -> bool:
        """A free-text answer that is a question. Long texts (附件1 三 to 五) only when they end as one."""
        try:
            long = qn._question(self.kb, q["pending"]).get("type") == "longtext"
        except KeyError:
            long = False
        if long and len(body) > 40:
            return bool(re.search(r"[?？]\s*$", body))
        return bool(QUESTION_FORM.search(ADDRESS.sub(" ", body)))

    def _follow_lang(self, q: dict, body: str) -> None:
        """The questionnaire speaks the language the user answers in, by one rule (try29 saw it flip on a
        bare 是 and on "skip", and not on "provincial"): it switches only where the answer is a choice or
        yes/no (a Chinese name typed at an English form field is the form's content, not a change of
        language), and only on words of the other language that are more than a universal token (是, yes,
        skip, 跳过, done, ok, numbers): "provincial", "delete", "nothing changed" → English; "市属",
        "好像都没变" → Chinese."""
        pending = q.get("pending") or ""
        options: list[dict] = []
        if body.startswith("/"):
            return
        if pending not in ("more_occ", "reuse", "block", "summary") and not pending.startswith(qn.OCC_PICK):
            try:
                question = qn._question(self.kb, pending)
            except KeyError:
                return
            kind = question.get("type")
            if kind not in ("yesno", "choice", "multi"):
                return
            options = question.get("options") or []
        if self._bare(body):
            return
        han = len(HAN_CHARS.findall(body))
        words = len(WORDS.findall(body))
        if q.get("lang") == "en" and han >= 1 and words == 0:
            q["lang"] = "zh"
        elif q.get("lang") == "zh" and han == 0 and words >= 1:
            # review17: one English word switches only if it is an option's English name ("provincial", "delete"):
            # a stray "all" or "CNC" at a Chinese prompt is refused in Chinese, the form stays Chinese
            if words >= 2 or not options or body.strip(" .!").lower() in {n for o in options for n in qn._en_names(o)}:
                q["lang"] = "en"

    @staticmethod
    def _bare(body: str) -> bool:
        """是, yes, 没有, skip, 跳过, done, ok, 确认, 1, "4,5": said the same way in either language."""
        low = body.strip().lower().rstrip("。.!！")
        if low in qn.SKIP_WORDS or low in qn.DONE_WORDS or low in CONFIRM_WORDS or qn._is_yes_no(low):
            return True
        return bool(re.fullmatch(r"[\d\s,，、;；]+", low))

    def chat_lang(self, state: dict, hint: str | None) -> str:
        """The conversation's language: the one most of the user's questions were in (the last one breaks
        a tie), else the page's. try29: /check opened in English after one English question in a Chinese
        chat."""
        counts = state.get("langs") or {}
        zh, en = counts.get("zh", 0), counts.get("en", 0)
        if zh != en:
            return "zh" if zh > en else "en"
        return (state.get("topic") or {}).get("lang") or hint or "zh"

    def _looks_like_question(self, body: str, prompt: qn.Prompt) -> bool:
        lang = detect_lang(body)
        if body.rstrip().endswith(("?", "？")) and prompt.kind == "text":
            return True  # no name, address or number ends with a question mark: answer it, even "not covered"
        if not (body.endswith(("?", "？")) or is_yes_no(body, lang) or re.search(r"吗|呢|怎么|什么|哪", body)):
            return False
        return self.app.engine.answer(body).covered

    def _answer_value(self, q: dict, value: str) -> dict:
        prompt = qn.prompt(q, self.kb)
        if value == "skip":
            return qn.answer(q, "skip", self.kb)
        if prompt.kind == "choice":
            idx = int(value) if value.isdigit() else -1  # review16: a forged "a:3:-1" picked the last option
            if not 0 <= idx < len(prompt.options):
                raise IndexError(value)  # the caller says the button is stale
            return qn.answer(q, prompt.options[idx][1], self.kb)
        return qn.answer(q, value, self.kb)

    def _toggle(self, user: str, state: dict, idx: int, lang: str) -> list[Reply]:
        q = state["q"]
        prompt = qn.prompt(q, self.kb)
        if prompt.kind != "multi" or not 0 <= idx < len(prompt.options):
            return [Reply(self.t(lang, "stale"))]
        state["q"] = qn.toggle(q, prompt.options[idx][1], self.kb)
        state["q"]["step"] = q.get("step", 0) + 1
        self.app.store.set_state(user, state)
        return [self._prompt_reply(state["q"])]

    def _advance(self, user: str, state: dict, step, lang: str) -> list[Reply]:
        q = state["q"]
        try:
            new = step(q)
        except qn.Invalid as e:
            return [Reply(self.t(q["lang"], "retry", error=str(e))), self._prompt_reply(q)]
        new["step"] = q.get("step", 0) + 1
        note = new.pop("note", None)  # e.g. /back past the occupations: they are kept
        replies: list[Reply] = [Reply(note)] if note else []
        verdict_now = self._facts_complete(new) and not new.get("verdict_shown")
        if verdict_now:
            new["verdict_shown"] = True
            answers = self._safe_answers(new)
            replies.append(Reply(check_text(check(answers, self.kb, new["lang"]), self.kb, new["lang"])))
            self.app.store.set_profile(user, answers)
            self.app.store.log_event(user, "check_done")
            if new["pending"] == "summary" and not self._needs_documents(new):
                replies.append(Reply(self.t(new["lang"], "verdict_done")))
                state["q"] = None
                self.app.store.set_state(user, state)
                return replies
            if new["pending"] != "summary":
                replies.append(Reply(self.t(new["lang"], "forms_intro")))
        state["q"] = new
        self.app.store.set_state(user, state)
        replies.append(self._prompt_reply(new))
        return replies

    def _facts_complete(self, q: dict) -> bool:
        """True once every eligibility question is answered (the form questions come after)."""
        pending = q.get("pending")
        if pending in (None, "reuse"):
            return False
        form_start = next((i for i, x in enumerate(qn.questions(self.kb)) if x["key"].startswith("org.")), None)
        keys = [x["key"] for x in qn.questions(self.kb)]
        if pending in keys:
            return form_start is not None and keys.index(pending) >= form_start
        return True  # occupations, more_occ, summary

    def _needs_documents(self, q: dict) -> bool:
        from .eligibility import needs_documents

        return needs_documents(q["answers"], self.kb)

    def _safe_answers(self, q: dict) -> dict:
        try:
            return qn.final_answers(q)
        except AnswersError:
            return {k: x for k, x in q["answers"].items() if not k.startswith("_")}

    def _confirm(self, user: str, state: dict, lang: str) -> list[Reply]:
        q = state["q"]
        if qn.next_key(q, self.kb) != "summary":  # the questionnaire changed since: ask what is missing
            qn.advance(q, self.kb)
            q["step"] = q.get("step", 0) + 1
            self.app.store.set_state(user, state)
            return [Reply(self.t(lang, "not_docs_ready")), self._prompt_reply(q)]
        answers = qn.final_answers(q)
        self.app.store.set_profile(user, answers)
        state["q"] = None
        self.app.store.set_state(user, state)
        return self._documents(answers, q["lang"], user)

    def _checklist(self, user: str, state: dict, lang: str) -> list[Reply]:
        profile = self.app.store.get_profile(user)
        q = state.get("q")
        if q and q.get("pending"):
            return [Reply(self.t(lang, "not_docs_ready")), self._prompt_reply(q)]
        lang = self.chat_lang(state, lang)
        facts_known = bool(profile) and "institution_type" in profile
        if facts_known and profile.get("occupations") and qn.unmarked_rows(profile) \
                and self._needs_documents({"answers": profile}):
            # an uploaded 修改 row without yellow cells: ask which cells changed first (附件3 note 7)
            q = qn.new_state(lang, profile)
            q = qn.answer(q, "yes", self.kb)
            q["verdict_shown"] = True
            q["step"] = 1
            state["q"] = q
            self.app.store.set_state(user, state)
            return [self._prompt_reply(q)]
        if not facts_known or (self._needs_documents({"answers": profile}) and not profile.get("occupations")):
            q = qn.new_state(lang)
            qn.advance(q, self.kb)
            if profile:  # keep what is known (the facts, or an uploaded 附件3), ask what is still missing
                q["answers"] = dict(profile)
                q["verdict_shown"] = facts_known
                q["occ_done"] = bool(profile.get("occupations"))
                qn.advance(q, self.kb)
            q["step"] = 1
            state["q"] = q
            self.app.store.set_state(user, state)
            return [Reply(self.t(lang, "checklist_needs_check")), self._prompt_reply(q)]
        return self._documents(profile, lang, user)

    def _documents(self, answers: dict, lang: str, user: str = "") -> list[Reply]:
        from .documents import render_documents

        files = render_documents(answers, self.kb)
        if user:
            self.app.store.log_event(user, "documents", str(len(files)))
        checklist = files["checklist.md"].decode("utf-8")
        attachments = [(name, data) for name, data in files.items()]
        if len(files) == 1:
            return [Reply(check_text(check(answers, self.kb, lang), self.kb, lang)),
                    Reply(self.t(lang, "no_documents"), files=attachments)]
        names = "、".join(files) if lang == "zh" else ", ".join(files)
        return [Reply(checklist), Reply(self.t(lang, "generated", files=names), files=attachments)]

    # ------------------------------------------------------------ rendering

    def _prompt_reply(self, q: dict) -> Reply:
        p = qn.prompt(q, self.kb)
        step = q.get("step", 0)
        rows: list[list[Button]] = []
        if p.kind == "yesno":
            rows = [[Button(label, f"a:{step}:{value}") for label, value in p.options]]
        elif p.kind == "choice":
            rows = [[Button(label, f"a:{step}:{i}")] for i, (label, _) in enumerate(p.options)]
        elif p.kind == "multi":
            rows = [[Button(("✅ " if value in p.selected else "") + label, f"m:{step}:{i}")]
                    for i, (label, value) in enumerate(p.options)]
            rows.append([Button("完成" if q["lang"] == "zh" else "done", f"d:{step}")])
            if p.optional:
                rows[-1].append(Button("跳过" if q["lang"] == "zh" else "skip", f"a:{step}:skip"))
        elif p.kind == "summary":
            rows = [[Button("确认" if q["lang"] == "zh" else "confirm", f"c:{step}")]]
        elif p.options:  # an optional text field: a skip button
            rows = [[Button(p.options[0][0], f"a:{step}:skip")]]
        return Reply(p.text, rows, progress=self._progress(q), lang=q.get("lang"))

    def _progress(self, q: dict) -> tuple[int, int] | None:
        return None if q.get("pending") in (None, "reuse") else qn.progress(q, self.kb)

    @staticmethod
    def t(lang: str, key: str, **kw) -> str:
        return TEXTS[lang if lang in TEXTS else "zh"][key].format(**kw)

    @staticmethod
    def _lang(raw: str, state: dict, hint: str | None) -> str:
        q = state.get("q")
        if q and q.get("pending"):
            return q.get("lang", "zh")
        body = clean(raw) if raw else ""
        if body and not body.startswith("/"):
            if wordless(body):  # "<script>…": no language of its own
                return hint or (state.get("topic") or {}).get("lang") or "zh"
            return detect_lang(body)
        return (state.get("topic") or {}).get("lang") or hint or "zh"
