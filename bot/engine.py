"""The answer engine: a question (with its session state and the school's profile) → an answer.

Pure: nothing here reads or writes files, databases or channels. The caller keeps the
returned `state` for the next turn of the same conversation.
"""
from __future__ import annotations

import difflib
import functools
import operator
import re
from dataclasses import dataclass, field

import jinja2
from rapidfuzz import fuzz

from . import frame, lazyre, rules
from . import text as text_mod
from .eligibility import CAPABILITY_WORDS, agency_text, reason_text, status_word, template as eligibility_template
from .kb import Intent, KnowledgeBase
from .lazyre import lazy, warm_all, warm_inline
from .matcher import Match, Matcher
from .text import (LEVEL_ZH, level_identity, MAX_QUESTION_CHARS, NOT_JI, shorten, STRONG_WH_ZH, WH_EN, WH_ZH, clause_refs, clean, detect_lang, facts_in, groups_in,
                   is_followup_form, is_terse_yes_no, is_yes_no, levels_in, normalize_en, normalize_zh, strip_courtesy, strip_pasted_markup,
                   strip_followup, to_simplified, unless_en)

# fix30: a question for a title or a name ("附件3的全称叫什么", "what is attachment 2 called")
_DOC_NUMBER = lazy(r"\d+号")
_OPENS_LATIN = lazy(r"\s*[A-Za-z]")
_ANY_NONE = lazy(r"(什么|啥|任何)[\u4e00-\u9fff]{0,4}?(都|也)(?=没|不|无)")  # fix30: "我们啥资质都没有" states
_QUOTED = lazy(r"[“\"「『][^”\"」』]*[”\"」』]")
FORM_TITLE = lazy(r"全称|标题|题目|名称|文件名|叫什么|叫啥|名字|\b(full name|title|called)\b", re.I)

DEFAULT_SETTINGS = {
    "abstain_below": 0.42,  # best score under this: not covered
    "out_of_scope_margin": -0.06,  # an out-of-scope phrasing within this of the best topic: not covered
    "suggest_above": 0.22,  # "did you mean" topics must score at least this
    "followup_below": 0.62,  # a short follow-up under this score keeps the previous topic
    "quote_clauses": 2,  # how many cited clauses are quoted in full
    "group_bonus": 0.08,  # the question names the topic's group (教师, 学生 …)
    "group_penalty": 0.12,  # the question names another group than the topic's
    "keyword_bonus": 0.12,  # the question contains one of the topic's keywords
    "reference_bonus": 0.3,  # the question names the clause ("附件1注4", "第二条第3项")
    "smalltalk_below": 0.7,  # greetings, thanks … need a close match; a weak one is "not covered"
    "question_part_sure": 0.75,  # without facts stated, the asking segment decides only when it matches this well
    "question_part_margin": 0.15,  # the asking segment's topic may score this much under the whole text's
}
PROFILE_KEYS = ("student_cert_qualified", "social_org_qualified", "runs_prep_technician_class", "runs_senior_class")
GREETING_WORD = lazy(r"好|在吗|在不在|哈喽|嗨|有人吗|早安|晚安|谢|\b(hello|hi|hey|good (morning|afternoon|evening)|thanks?)\b", re.I)
IMPLIED_QUAL_NAMED = lazy(r"资格|qualification")  # fix37: the student qualification named, not implied by 达不到标准
QUESTION_FACTS = ("student_cert_started", "below_standard")  # stated in questions only (truth_table.toml R8)


# fix41: a lead segment naming the notice's matter (who, what is certified, filed, entrusted) may condition the claim after it
# fix41: "想申保社会培训评价组织资质" (a typo of 申报), "社评资质申报的依据": applying for the 社评 qualification
APPLY_SOCIAL_LOOSE = lazy(r"申[报保请](成为)?社会培训评价组织|社会培训评价组织(的)?(资质|资格)?(的)?(申报|申请)")
LEAD_DOMAIN = lazy(r"认定|委托|申报|评价|鉴定|证书|发证|资质|资格|学生|教师|老师|附件|工种|职业|等级|级别|备案|社会|企业|公司|机构|培训|"
                   r"学徒|金蓝领|省属|市属|没有?|不|未|无|如果|要是|假如")


@dataclass
class Answer:
    id: str | None
    question: str
    lang: str
    intent: str | None
    score: float
    clauses: list[str]
    verdict: str | None
    text: str
    suggestions: list[str] = field(default_factory=list)  # intent names for "did you mean" buttons
    state: dict = field(default_factory=dict)
    covered: bool = True

    def to_json(self) -> dict:
        return {"id": self.id, "question": self.question, "lang": self.lang, "intent": self.intent,
                "score": round(self.score, 4), "clauses": self.clauses, "verdict": self.verdict,
                "answer": self.text}


# "第五项呢", "那老师呢": a short noun phrase with 呢 asks the same about it; "都开着呢", "还没批下来呢" state
ELLIPTIC_ZH = lazy(r"^\s*(那|那么|还有)?[^，,。；;]{1,8}呢\s*$")
# words that show a question is about the notice though few clause words say them
DOMAIN_EXTRA = ("电话", "发的", "发布", "印发", "哪天", "文件", "盖章", "签字", "证书", "考试", "考核")
# fix33: words that only name whom a question is about; with no other word of the notice, it asks nothing of it
SUBJECT_WORDS = frozenset("学生 教师 技工院校 学校 本校 我校 社会人员 技工学校 技师学院 孩子 家长 毕业 在读 "
                           "一级 二级 三级 四级 五级 企业 公司".split())  # a level names whom too: "高级技师可以带徒弟吗"
QUESTION_WORDS = lazy(r"^(有没有|是不是|能不能|可不可以|可以不可以|要不要|需不需要|行不行|会不会|用不用|怎么样|怎样|多少|哪里|哪儿|为什么|为啥|是否)$")
# fix33: verbs a foreign predicate may have ("申请贷款", "办理居住证", "开设新专业"); asking for an example or an explanation
# ("能举个例子吗") asks about what was said before
PREDICATE_VERBS = frozenset("申请 办理 参加 开设 开展 购买 获得 享受 设立 组织 提供 进行 使用 交流 加入".split())
EXPLAIN_WORDS = lazy(r"例子|举例|解释|说明|讲讲|讲解|试")
MODAL_ZH = lazy(r"可以|能否|能不能|可不可以|能|允许|允不允许|是否可以")
FUNCTION_CHARS = frozenset("能不可以会要吗呢吧么前后中行好个的了是有在办做去来得没给让把被就都也还再")
# review16: a level (text.LEVEL_ZH) named with a certifying verb ("能评二级", "能考技师"): the notice's rule of them
CERTIFY_VERB = lazy(r"认定|能评|可评|评上|能考|可考|考取|认证|鉴定|^(考|评|认)$")
CERTIFY_WORDS = lazy(r"认|评|考|级|证|鉴定|资格|资质|委托|申报|备案|认证|技能|职业|工种|培养|学籍|教学|层次|班")
PARTY_TOKEN = lazy(r"外校|别校|兄弟|隔壁|外市|外地|本市|外单位")  # try28: words naming another party
# fix33: "…，这一说法是否属实", "…真的假的": the asking segment checks what the statement before it says
CLAIM_CHECK = lazy(r"说法|属实|真的|假的|真假|是真|对吗|对不对|准确|正确|靠谱|没错|是这样")
# words too common to show that a question is about the notice
GENERIC_WORDS = frozenset("工作 情况 问题 有关 相关 进行 开展 要求 需要 可以 能够 一般 主要 具体 现在 目前 之前 以后 时候 方面 "
                          "方式 什么 怎么 如何 哪些 这个 那个 我们 你们 他们 自己 已经 还是 或者 以及 并且 没有 不能 能否 "
                          "是否 一下 一些 所有 各项 其他 其它 根据 按照 通过 利用 充分 切实 加强 做好 同时 进一步 全面 推动 "
                          "问一下 请问 谢谢 你好 应该 必须".split())
NEW_QUESTION_ZH = lazy(r"^\s*(还有|另外|此外|再问一下|还想问|顺便问一下|顺便问下|另)[，,：:\s]|"
                             r"^\s*(另外|此外|再问一下|顺便问一下|顺便问下)(?![的个些])(?=\S{4,})")  # fix19 "另外3+2的学生咋算"
# fix26: the same question asked again, with nothing of its own but the facts stated before it
# whether something must be done (again): "还要再申报吗", "do we need to apply again" (try27)
NEED_AGAIN = lazy(r"(还|再|重新)(要|需要|得|用)|需不需要|要不要|用不用|还得|是否(还|再)?需要|必须(要)?(再|重新)|"
                        r"\b(need|have|has) to\b.{0,20}\b(again|re-?apply|anew)\b|\bstill (need|have) to\b|"
                        r"\b(do|does) (we|it|the school) (still )?need to\b", re.I)
# a reply of one word or number that asks nothing ("是", "2", "嗯"); BARE_YES / BARE_NO: which way it answers
# (a bare "嗯" only acknowledges: it gives no fact)
_YES_WORDS = "是|是的|对|对的|没错|有|有的|yes|yep|y"
_NO_WORDS = "否|不是|没有|没|无|不|不对|no|nope|n"
_BARE_END = r")[。.!！~～]*\s*$"
BARE_REPLY = lazy(r"^\s*(" + _YES_WORDS + "|" + _NO_WORDS + r"|嗯+|\d{1,3}" + _BARE_END, re.I)
BARE_YES = lazy(r"^\s*(" + _YES_WORDS + _BARE_END, re.I)
BARE_NO = lazy(r"^\s*(" + _NO_WORDS + _BARE_END, re.I)
# a statement that says what the school wants or asks for help is not a bare statement of facts (try27)
STATEMENT_WANTS = lazy(r"想|打算|准备|希望|计划|要(?!求)|需要|请|帮|麻烦|咨询|问(一?下|问)|怎么|如何|哪|什么|啥|几|多少|多久|多长|吗|么|呢|[?？]")
REASK = lazy(r"(同样的|一样的|同一个|还是(刚才|上面|之前|前面)的?那个|刚才(的|那个)?)问题|"
                   r"^\s*(那|那么)?(现在|这样)?(还|又)?(能|可以|行)(吗|么|不)?[?？。]*\s*$|^\s*(那)?(还|又)?(能不能|可不可以|行不行)[?？。]*\s*$|"
                   r"\bsame question\b|^\s*(so|then|and)?,?\s*(can|could|may) (we|it|they)( still)?( do (it|that|so))?( then| now)?\s*\??\s*$|"
                   r"^\s*(is it|is that) still (possible|allowed|ok)\b", re.I)
# fix26: a supposition that names no fact ("如果有的话", "要是没有呢", "要是批下来了呢"): the fact of the turn before
SUPPOSE_ELLIPTIC = lazy(r"(如果|要是|假如|假设|万一|若是)(我们|学校|我校|咱们)?(?P<neg>没有?|无)?(有|拿到|取得|具备|批下来|下来|有了)?(了)?(的话|呢|[，,])|"
                              r"^\s*(and |but )?(what )?if (we|the school|our school) (?P<neg_en>didn't |don't |did not |do not )?"
                              r"(had|have|got|get|hold|held|obtain|obtained) (it|that|one|them|this)\b", re.I)
# fix26: the asker corrects what the question before was about
SUBJECT_CORRECTION = lazy(r"^\s*((不是|不对|错了)[，,。\s]*)?(我|我们)?(问的|说的|想问的|指的)(是|其实是)|^\s*((不是|不对)[，,。\s]*)?我是(说|问|指)|"
                                r"^\s*(no[,.]?\s*)?(sorry[,.]?\s*)?i (meant|mean|was asking about|was talking about)\b", re.I)
# fix26: a question of nothing but its asking words ("可以吗", "行不行", "Is that allowed?")
BARE_ASK = lazy(r"^\s*(那|那么|请问)?(这样|这么做|这样做)?(可以|行|能|可不可以|行不行|能不能|能行|成|允许)(吗|么|不|嘛)?[?？。]*\s*$|"
                      r"^\s*(is (that|this|it) (allowed|possible|ok|okay|permitted)|can we( do (that|this|it))?|may we|is that ok)\s*\??\s*$", re.I)
# fix26: an English follow-up asking its own wh-question ("what about level 1?" is not one)
OWN_WH_EN = lazy(r"^\s*(and |so |then )?(what|which|who|whom|whose|how|when|where|why)\b(?! about\b| if\b)", re.I)
# fix26: back from a supposition to the facts as they are
REALITY = lazy(r"现在|目前|眼下|实际(上)?|其实|真实情况|as (it|things) (is|are)|actually|right now|currently", re.I)
# fix26: a supposition states no fact for the rest of the conversation
HYPOTHETICAL = lazy(r"如果|要是|假如|假设|假使|倘使|万一|若是|倘若|若(?!干)|一旦|即使|即便|的话|(^|[，,。\s那])等(到)?(?!级)|等(到)?(我们|学校|社评|社会培训评价组织|资质|资格|拿到|取得|批|有)|"
                          r"(以后|之后|后)(呢|能|可以|行)|到时(候)?|将来|下(个)?学期|明年|打算|准备|计划|"
                          r"\b(if|suppose|supposing|assuming|what if|once|after we|when we (get|have|obtain|hold)|will|plan to|next (year|term|semester))\b", re.I)
# try28: a form or office asked after a scope change or entrusting, named for its own purpose ("申报社评要交啥表")
SCOPE_TOPICS = ("adjust_scope", "att3_form", "att3_changes")
FORM_PURPOSE = lazy(r"社会培训评价组织|申报|申请|资质|附件[123一二三]|工作方案|基本情况表|清单|调整|范围|工种|职业|social_org|\bappl(y|ication)|scope", re.I)
ENTRUST_FORM_ASK = frame.Ask("entrust_form", [], [], "3.1",
                             "通知只说尚未取得资格的学校可委托具备社会培训评价组织资质的其他技工院校、机构认定（3.1），没有规定委托或申请学生认定资格要填报的表格或报送单位。",
                             "The notice only says a school without the qualification may entrust a school or body holding the social "
                             "training evaluation organisation qualification (3.1); it names no form or office for entrusting or for "
                             "applying for the student certification qualification.")
# try28: teachers of another school ("老师是外校的", "别的学校的老师")
OTHER_TEACHERS = lazy(r"(外校|别的|其他|其它|兄弟|隔壁|另一|另外)(的)?(所|家)?(技工院校|院校)?(的)?(教师)|(教师)(是|为|属于)?(外校|别的技工院校|其他技工院校)|"
                      r"\b(teachers?|staff) (from|of|at) (another|other|a different) (school|college)|\bother (schools?'|colleges?') teachers\b", re.I)
# fix38: people of a school named without 教师 ("行政干部", "后勤人员", "our teaching staff", "I teach welding")
STAFF_WORDS = lazy(r"教的|教书|任教|授课|干部|后勤|行政|职工|员工|工作人员|专业|\b(teach|teaches|teaching|instructors?|staff|lecturers?|faculty)\b", re.I)
# try28: a question part offering the choices for the wh-question before it ("…填啥，我们填技工院校还是社会培训评价组织")
CHOICE_PART = lazy(r"^\s*(我们|咱们|我校|学校)?(应该|是)?(填|选|写|报|交|勾|选择)(成|为)?[^，,。？?]{1,12}还是[^，,。？?]{1,12}[?？吗呢]*\s*$|"
                   r"^\s*[^，,。？?\s]{1,4}还是[^，,。？?\s]{1,4}[?？吗呢]*\s*$|"
                   r"^\s*(the )?\w+( \w+)? or (the )?\w+( \w+)?\s*\?*\s*$", re.I)
WH_PART = lazy(r"啥|什么|哪|谁|怎么|如何|咋|\b(what|which|who|whom|where|how)\b", re.I)
# try28: "能认定到几级", "能拿几级证", "what level can they get": the level asked for
WHICH_LEVEL = lazy(r"(到|拿|考|认定|评|认|获得|取得)(到)?(几|哪个|哪一|什么|啥)(级|等级|级别)|(几|哪个|哪一)级(的)?(证|证书)|\b(what|which) level\b", re.I)
TRAINING_WORDS = {5: "初级", 4: "中级", 3: "高级", 2: "预备技师"}
TRAINING_WORDS_EN = {5: "junior (初级)", 4: "intermediate (中级)", 3: "senior (高级)", 2: "preparatory technician (预备技师)"}
LEVEL_WORDS = {"zh": {5: "五级/初级工", 4: "四级/中级工", 3: "三级/高级工", 2: "二级/技师"},
               "en": {5: "level 5 (junior worker)", 4: "level 4 (intermediate worker)", 3: "level 3 (senior worker)", 2: "level 2 (technician)"}}
AGENCY_NAMED = lazy(r"(报|交|提交|递交|报送)[^，,。？?]{0,8}(市|省)(人社局|人社厅|人力资源社会保障(局|厅|部门))|(报|交|提交|递交|报送)(给|到|去)?(市局|市里|省里|省厅|市级|省级)")
FORM_PURPOSE_2_2 = lazy(r"社会培训评价组织|附件[12一二]|基本情况表|工作方案|申报|social_org", re.I)
# try28: "为啥", "为什么呢", "why?", "why not?": the reason of the answer before
WHY_ONLY = lazy(r"^\s*(那|可是|但是?)?(这是)?(为啥|为什么|为何|凭啥|凭什么|咋回事|怎么回事|什么原因|啥原因|理由呢|依据呢|根据呢|原因呢)"
                r"(呀|啊|呢|嘞|哩|不行|不可以|可以|不能|能)?(呀|啊|呢)?[?？。!！\s]*$|^\s*(but |and |so )?why( not| is that| so| is it)?\s*[?!.]*\s*$", re.I)
# try28: "我们现在有啥资质你记的是啥", "what do you have on us?": the facts kept for the conversation
# (the whole message ends there: "你知道我们什么时候可以申报…" and "认定过程要记录哪些信息" are questions of their own, review16)
FACTS_SHOW = lazy(r"((你|您)(现在|目前)?(记|记录|存|保存|记住)(的|了|下|下来|住)?(的)?(是)?(我们|我校)?(的)?(啥|什么|哪些)(情况|信息|资质|事实)?|"
                  r"(你|您)(那边|这边)?(知道|了解)(我们|我校)(的)?(啥|什么|哪些)(情况)?|"
                  r"(你|您)(都|已经|现在)?(记下|记录|保存)(了)?(我们|我校)?(的)?(哪些|什么|啥)(情况|信息|资质|事实))[了的呀啊呢吗嘛\s?？。!！]*$|"
                  r"\bwhat (do|did) you (have|know|remember|store|keep|hold) (on|about) (us|our school)\b|"
                  r"\bwhat (facts|information|details) (do|did) you (have|keep|store|hold)\b", re.I)
# try28: "更正：…", "纠正一下…", "Correction: …": a statement that corrects the facts said before
CORRECTION = lazy(r"^\s*((sorry|oops|抱歉|不好意思|对不起|哦|噢)[,，!！.。\s]*)?(更正|纠正|修正|订正|改正|说错了|我说错了|刚才说错了|刚才说的不对|前面说错了|correction\b|to correct\b|i was wrong\b)", re.I)
# fix28: details of one kind an elliptic follow-up may swap ("级别用顿号隔开吗" → "逗号呢")
ELLIPTIC_KINDS = lazy(r"顿号|逗号|分号|句号|空格|斜杠|横杠|冒号")
STATIVE_NE = lazy(r"(着|了|的)呢\s*$|还(没|在|不)|正在")


class Engine:
    def __init__(self, kb: KnowledgeBase, settings: dict | None = None):
        self.kb = kb
        self.settings = {**DEFAULT_SETTINGS, **(settings or {})}
        self.matcher = Matcher(kb)
        self.jinja = jinja2.Environment(autoescape=False, undefined=jinja2.ChainableUndefined,
                                        keep_trailing_newline=False)
        self._templates: dict[str, jinja2.Template | str] = {}
        self._statements: dict[tuple, object] = {}
        self._clause_norms: dict[str, str] = {}
        self._domain_words: frozenset | None = None
        self._agency: dict[tuple, str] = {}
        self._quotes: dict[tuple[str, str], str] = {}

    def warm(self) -> None:
        """For long-running channels and batches: compile the knowledge patterns, the reply templates and
        the clause texts' normal forms now rather than on the first questions that need them (a one-shot
        `ask` skips this and compiles only what its question meets)."""
        frame.warm(self.kb.patterns)
        warm_all()  # the reading code's own expressions (bot/lazyre.py)
        warm_inline()  # and those it writes inline (`re.search(r"…", …)`)
        for p in [*frame.FORM_NAMED.values(), *frame.PART_FORMS.values(), *(x.get("when") for x in self.kb.facts.get("form_part", []))]:
            if isinstance(p, str):  # and those it takes from tables (the forms' names, their parts), as they are searched
                re.compile(p), re.compile(p, re.I)
        self.kb.asks.index(), self.kb.statements.index(), self.kb.lexicon.fact_gate()  # the one-scan gates (frame.Gate)
        sources = [v for lang in ("zh", "en") for v in (self.kb.replies.get(lang) or {}).values()]
        sources += [t for i in self.kb.intents.values() for t in (i.answer_zh, i.answer_en)]
        for source in sources:
            if isinstance(source, str):
                self.template(source)
        for entries in self.kb.rules_text.values():  # the rules' reasons (bot/eligibility.py)
            for entry in (entries.values() if isinstance(entries, dict) else ()):
                for lang in ("zh", "en"):
                    if isinstance(entry, dict) and isinstance(entry.get(lang), str):
                        eligibility_template(entry[lang])
        for cid in self.kb.clauses:
            self._clause_norm(cid)
        frame.warm(lazyre._ALL)  # (session 18: the reading code's expressions' automata too, see frame.warm)
        # (session 18: and the expressions made of table entries, compiled into `re`'s cache as they are searched: the
        # level words of `levels_in`, the topics' verdict conditions)
        for word in text_mod._LEVEL_WORDS:
            re.compile(word)
        for it in self.kb.intents.values():
            for v in it.verdicts or ():
                if isinstance(v, dict) and isinstance(v.get("if"), str):
                    try:
                        re.compile(v["if"], re.I)
                    except re.error:
                        pass
        for cid in self.kb.clauses:  # (session 18: the quotes of the notice, rendered once each, 52 of them in 201 questions)
            for lang in ("zh", "en"):
                try:
                    self.quote(cid, lang)
                except Exception:  # noqa: BLE001 - (a clause without a title in that language: as when first quoted)
                    self._quotes.pop((cid, lang), None)
        self._domain()
        self.answer("预热")

    # ------------------------------------------------------------ rendering

    def template(self, source: str) -> jinja2.Template | str:
        """A reply or answer template, compiled once; a text with nothing for Jinja to do (no {{ }}, {% %} or
        {# #}; no \\r, which Jinja reads as \\n) is kept as the text it renders to."""
        tpl = self._templates.get(source)
        if tpl is None:
            plain = "{" not in source and "\r" not in source
            tpl = self._templates[source] = source.strip() if plain else self.jinja.from_string(source)
        return tpl

    def render(self, source: str, **ctx) -> str:
        tpl = self.template(source)
        return tpl if isinstance(tpl, str) else tpl.render(facts=self.kb.facts, **ctx).strip()

    def reply(self, lang: str, key: str, **ctx) -> str:
        return self.render(self.kb.replies[lang][key], **ctx)

    def contacts_text(self, lang: str) -> str:
        lines = [self.reply(lang, "contacts_intro")]
        for c in self.kb.facts["contact"]:
            unit = c["unit"] if lang == "zh" else f"{c['unit_en']} ({c['unit']})"
            lines.append(f"- {c['name']}，{unit}，{c['phone']}" if lang == "zh" else f"- {c['name']}, {unit}, {c['phone']}")
        return "\n".join(lines)

    def agency(self, profile: dict, lang: str) -> str:
        aff = profile.get("affiliation")
        key = (aff if isinstance(aff, str) else None, lang)  # (what the text depends on: anything else reads as None)
        if key not in self._agency:
            self._agency[key] = agency_text(self.kb, key[0], lang)
        return self._agency[key]

    def quote(self, cid: str, lang: str) -> str:
        if (cid, lang) not in self._quotes:
            c = self.kb.clauses[cid]
            title = c["title_zh"] if lang == "zh" else c["title_en"]
            self._quotes[cid, lang] = self.reply(lang, "source", id=cid, title=title, text=c["text"])
        return self._quotes[cid, lang]

    def topic(self, name: str, lang: str) -> str:
        it = self.kb.intents[name]
        return it.topic_zh if lang == "zh" else it.topic_en

    def reason(self, outcome: rules.Outcome, profile: dict, lang: str) -> tuple[str, list[str]]:
        if not self.kb.rules_text.get(outcome.capability, {}).get(outcome.status):
            return "", []
        return reason_text(self.kb, outcome, profile, lang)

    # ------------------------------------------------------------ answering

    def answer(self, question, state: dict | None = None, profile: dict | None = None,
               qid: str | None = None, lang_hint: str | None = None) -> Answer:
        ans = self._answer(question, state, profile, qid, lang_hint)
        if ans.text and ans.clauses:
            ans.text = dedupe_paragraphs(ans.text)
        if isinstance(question, str) and CORRECTION.search(question):
            self._acknowledge_correction(question, ans, state or {}, profile or {})
        # try28: the reason of a covered answer (its first lines and clauses), for a "为啥"/"why?" after it
        if ans.clauses and ans.covered and ans.intent != "start_check":
            paras = [p for p in ans.text.split("\n\n") if p.strip()]
            head = [p for p in paras[:3] if not p.startswith(("依据〔", "Source [", "另见", "See also", "（问题较长", "(The question"))][:2]
            ans.state = {**ans.state, "last": {"clauses": list(ans.clauses[:2]), "head": "\n\n".join(head[:1])[:1200],
                                               "intent": ans.intent}}
        elif not ans.covered and isinstance(ans.state, dict):
            ans.state = {k: v for k, v in ans.state.items() if k != "last"}
        return ans

    def _acknowledge_correction(self, question: str, ans: Answer, state: dict, profile: dict) -> None:
        """fix37 (try29): "更正：我们其实也开了预备技师班，那老师能认定几级", "Sorry, correction: we are a municipal school,
        not provincial. Where do we send 附件3 then?": a correction that comes with a question is acknowledged too."""
        head = self.reply(ans.lang, "corrected", what="").split("{")[0].rstrip("：: 。.")
        if not ans.text or ans.text.lstrip().startswith(head[:3]):
            return
        lang = ans.lang
        norm = normalize_zh(question, self.kb.lexicon) if lang == "zh" else question.lower()
        kept = {**profile, **(state.get("facts") or {})}
        stated = {k: v for k, v in facts_in(question, self.kb.lexicon, norm).items() if k in PROFILE_KEYS + ("affiliation",)}
        fixed = [k for k, v in stated.items() if k in kept and kept[k] != v]
        if not fixed:
            return
        ans.text = self.reply(lang, "corrected", what=self._fact_words(stated, fixed, lang)) + "\n" + ans.text

    def _answer(self, question, state: dict | None = None, profile: dict | None = None,
                qid: str | None = None, lang_hint: str | None = None) -> Answer:
        state = dict(state or {})
        profile = dict(profile or {})
        raw = question if isinstance(question, str) else ""
        text = to_simplified(strip_pasted_markup(clean(raw)) or clean(raw))  # 嗎, 還沒有 … read like 吗, 还没有 from here on
        text = frame.on_behalf(text)  # "替兄弟学校问：他们还没有资格…" is asked as that school would ask it
        lang = lang_hint or (detect_lang(text) if text else state.get("lang", "zh"))  # fix27: lang_hint, a part of a compound
        if not text or not any(ch.isalnum() for ch in text):
            return Answer(qid, raw, lang, None, 0.0, [], None, self.reply(lang, "empty"), state=state)
        notes = []
        if len(text) > MAX_QUESTION_CHARS:
            text = shorten(text, MAX_QUESTION_CHARS)
            notes.append(self.reply(lang, "too_long", n=MAX_QUESTION_CHARS))
        # fix26: "不是，我问的是老师", "No, I meant our teachers.": the question before, about another subject
        explicit_followup = is_followup_form(text, lang) or bool(SUBJECT_CORRECTION.search(text) and state.get("intent"))
        asked_raw = state.get("asked_raw")
        if isinstance(asked_raw, str) and asked_raw and lang == "zh" and not self._is_question(text) \
                and isinstance(state.get("intent"), str) and state["intent"] in self.kb.intents \
                and self.kb.intents[state["intent"]].rule not in rules.RULES \
                and facts_in(text, self.kb.lexicon, normalize_zh(text, self.kb.lexicon)):
            # fix26: "我们有社评资质" after "我们能给企业新型学徒制学员认定吗" (conditional, 3.3): the question before,
            # now with the facts (a rule topic does this in the follow-up below)
            again = self.answer(text.strip().rstrip("。.") + "，" + asked_raw,
                                state={k: v for k, v in state.items() if k != "asked_raw"}, profile=profile, qid=qid)
            again.question = raw
            return again
        # try28: "为啥" after an answer: that answer's reason (its clause and quote), not a question of its own
        last = state.get("last")
        if WHY_ONLY.search(text) and isinstance(last, dict) and last.get("clauses"):
            cl = [c for c in last["clauses"] if c in self.kb.clauses]
            parts = notes + [self.reply(lang, "why_intro") + "\n" + str(last.get("head") or "")] + [self.quote(c, lang) for c in cl]
            return Answer(qid, raw, lang, last.get("intent"), 1.0, cl, None, "\n\n".join(p for p in parts if p),
                          state={**state, "lang": lang})
        # try28: "我们现在有啥资质你记的是啥", "what do you have on us?": the facts kept for this conversation
        if FACTS_SHOW.search(text):
            shown = {**profile, **{k: v for k, v in (state.get("facts") or {}).items() if k in PROFILE_KEYS + ("affiliation",)}}
            known = self._school_text(shown, lang)
            body = self.reply(lang, "facts_shown", profile_text=known) if known else self.reply(lang, "facts_none")
            return Answer(qid, raw, lang, None, 1.0, [], None, "\n\n".join(notes + [body]), state={**state, "lang": lang})
        # try28: "更正：我们没有社评资质" states a correction: acknowledged ("已更正：…") and kept, not the answer before again
        if CORRECTION.search(text) and not self._is_question(text) and not HYPOTHETICAL.search(text) \
                and not frame.question_part(text, lang, self._is_question):
            stated = {k: v for k, v in facts_in(text, self.kb.lexicon, normalize_zh(text, self.kb.lexicon) if lang == "zh" else text.lower()).items()
                      if k in PROFILE_KEYS + QUESTION_FACTS}
            if stated:
                noted = self._facts_noted(qid, raw, lang, stated, profile, state, notes)
                fixed = self._fact_words(stated, [k for k in stated if k in PROFILE_KEYS], lang)
                if fixed and (state.get("facts") or profile):  # something was kept before: that is what is corrected
                    noted.text = self.reply(lang, "corrected", what=fixed) + "\n" + noted.text
                noted.state = {k: v for k, v in noted.state.items() if k not in ("asked_raw", "said")}
                return noted
        if BARE_REPLY.search(text):
            # try27: "是", "2", "好的" typed after an answer ask nothing of the notice; after an answer that depends on
            # one fact ("取决于：学校是否已取得学生认定资格"), "是"/"没有" gives that fact and the question is answered again
            needs, asked_before = state.get("needs") or [], state.get("asked_raw")
            yes, no = BARE_YES.search(text), BARE_NO.search(text)
            if len(needs) == 1 and isinstance(asked_before, str) and asked_before and (yes or no):
                said = {**(state.get("facts") or {}), needs[0]: bool(yes)}
                again = self.answer(asked_before, state={**state, "facts": said, "needs": []},
                                    profile={**profile, needs[0]: bool(yes)}, qid=qid)
                again.question = raw
                again.state["facts"] = {**(again.state.get("facts") or {}), **said}
                return again
            return Answer(qid, raw, lang, None, 0.0, [], None, self.reply(lang, "bare_reply"), state=state)
        said_raw = state.get("said")
        if isinstance(said_raw, str) and said_raw and BARE_ASK.search(text):
            # fix26: "我们学校有社评资质，想给外校学生认定" then "可以吗": the statement before is what is asked
            again = self.answer(said_raw + ("，" if lang == "zh" else ". ") + text.strip(),
                                state={k: v for k, v in state.items() if k != "said"}, profile=profile, qid=qid)
            again.question = raw
            return again
        if lang == "zh" and not state.get("asked_raw") and not state.get("rule_asked") and not self._is_question(text) \
                and not STATEMENT_WANTS.search(text) and not HYPOTHETICAL.search(text) \
                and not frame.question_part(text, lang, self._is_question):
            all_stated = facts_in(text, self.kb.lexicon, normalize_zh(text, self.kb.lexicon))
            stated = {k: v for k, v in all_stated.items() if k in PROFILE_KEYS + QUESTION_FACTS}
            if all_stated.get("affiliation") and (stated or not state.get("intent")):
                # fix37 (try29): "我们是市属技校，…" keeps 市属 too; session 17: an opening that says only that ("我们是省属
                # 技工学校") is noted as well, not answered "not covered" (after an answer, "不对，我们是市属的" re-asks it)
                stated["affiliation"] = all_stated["affiliation"]
            if stated:  # try27: "更正一下：我们已经取得学生认定资格了" asks nothing: noted, and what it means for the school
                return self._facts_noted(qid, raw, lang, stated, profile, state, notes)
        core = strip_courtesy(text) if lang == "zh" else text
        m = self.matcher.match(strip_followup(core, lang) if explicit_followup else core, lang)
        if lang == "zh" and state.get("yes_no") and isinstance(state.get("norm"), str) \
                and ELLIPTIC_ZH.search(re.sub(r"[?？\s]+$", "", text)) and not STATIVE_NE.search(text):
            # fix22: "附件3的机构简称一定要填吗" → "网址呢？": the same yes/no question about the other field of that form
            swapped = frame.swap_field(self.kb.facts.get("field_words", []), state["norm"], m.norm)
            if swapped is not None:
                a = self.answer(swapped, state={"lang": lang}, profile=profile, qid=qid)
                if a.verdict is not None:
                    a.question = raw
                    return a
        if explicit_followup and lang == "zh" and state.get("yes_no") and isinstance(state.get("asked"), str):
            # fix28 (after fix22's form fields): "申报社评要交附件1吗" → "附件3呢", "级别用顿号吗" → "逗号呢": the question before, asked
            # again with the element named in the place of the one of its kind
            swapped = self._elliptic_swap(core, state["asked"])
            if swapped is not None:
                ans = self.answer(swapped, state=state, profile=profile, qid=qid)
                ans.question = raw
                return ans
        slots = {
            "levels": levels_in(m.norm, lang),
            "groups": frame.subject_groups([m.norm, text.lower()], groups_in(m.norm, lang)),
            "facts": facts_in(text, self.kb.lexicon, m.norm),
            "refs": clause_refs(m.norm) + self._document_refs(m.norm),
        }
        if slots["facts"].get("student_cert_qualified") is False and (slots["facts"].get("below_standard") is True
                                                                      or slots["facts"].get("student_cert_started") is False) \
                and not IMPLIED_QUAL_NAMED.search(m.norm + " " + text.lower()) \
                and "student_cert_qualified" in {**profile, **(state.get("facts") or {})}:
            # fix37 (try29): "焊工专业达不到标准" read alone as "not qualified" (text.facts_in) gives way to what the school
            # said or answered before: a qualified school that cannot meet one occupation's standard is 3.1's second case
            slots["facts"] = {k: v for k, v in slots["facts"].items() if k != "student_cert_qualified"}
        # try28: a supposition ("等有了社评资质能给老师评二级吗", "once we get 社评资质") is answered as supposed: its facts
        # hold for this question only, are not kept for the conversation, and are not shown as the school's; the facts
        # stated outside it ("我们又没有预备技师班，…") count and are kept
        supposed = self._supposed_keys(text, slots["facts"]) if HYPOTHETICAL.search(text) else set()
        own_facts = {k: v for k, v in slots["facts"].items() if k not in supposed and not k.startswith("_")}
        if not slots["facts"] and (sup := SUPPOSE_ELLIPTIC.search(text)):
            # fix26: "如果有的话能给社会人员认定吗" after "我们没有社评资质": the fact of the turn before, supposed the
            # other way round for this question only (a supposition is not kept: HYPOTHETICAL)
            have = not (sup.group("neg") or sup.group("neg_en"))
            before = (state.get("slots") or {}).get("facts") or state.get("facts") or {}  # the turn before, or all said
            slots["facts"] = {k: have for k, v in before.items() if k in PROFILE_KEYS and v is (not have)}
        quoted = self._quoted_clause(text, lang)
        if quoted and quoted not in slots["refs"]:
            slots["refs"].insert(0, quoted)  # "“相同职业和职业编码不需要进行单元格合并操作”啥意思": the clause quoted
        yes_no = is_yes_no(text, lang) or is_terse_yes_no(text, lang, slots["levels"])
        if yes_no and any(frame.REFUSE.search(t) for t in ([m.norm] if lang == "zh" else [m.norm, text.lower()])):
            yes_no = False  # "有社评资质的学校可以不给别的学校学生认定吗": whether a school may decline, the notice does not say
        texts = [m.norm] if lang == "zh" else [m.norm, text.lower()]  # patterns are written for the normalised text
        if not explicit_followup or len(m.tokens) > 3:
            compound = self._compound(qid, raw, core, lang, state, profile, notes)
            if compound is not None:
                return compound
        asked = frame.question_part(core, lang, self._is_question)
        # what is asked for is in the asking segment ("已经开展学生认定好几年了，想申报社评，可以吗")
        ask_texts = ([self._norm(asked, lang)] + ([asked.lower()] if lang == "en" else [])) if asked else texts
        ask = frame.unsupplied_ask(self.kb.asks, ask_texts, texts if asked else None)
        if ask is None and asked and frame.DEPENDENT_PART.search(asked):
            # "新型学徒制是什么意思 具体怎么搞": the last part takes its subject from the one before
            ask = frame.unsupplied_ask(self.kb.asks, texts)
        if ask is None and asked:
            # "…earlier pilot. Are those still valid now, or do students need new ones?": another segment that asks
            for seg in frame.question_segments(core, lang, self._is_question):
                if seg != asked:
                    ask = frame.unsupplied_ask(self.kb.asks, [self._norm(seg, lang)] + ([seg.lower()] if lang == "en" else []), texts)
                    if ask is not None:
                        break
        if ask is not None and (explicit_followup or (len(m.tokens) <= 3 and not slots["groups"] and not slots["refs"])) \
                and isinstance(state.get("norm"), str) and state.get("norm") \
                and frame.unsupplied_ask(self.kb.asks, ask_texts, [state["norm"] + "，" + texts[0]]) is None:
            ask = None  # fix26: "签字呢" after "附件1要盖章吗": its subject (附件1) is in the turn before, which supplies it
            # (fix29: also a short question that names no subject: "要盖章吗" after "…那个承诺谁签字")
        if ask is not None and quoted and ask.kind == "definition":
            ask = None  # what a quoted sentence of the notice means: that clause answers
        if ask is None:  # "我们是河北的技工学校，可以按这个通知申报吗": a school of another province
            ask = frame.other_province_ask(self.kb.asks, texts)
        if ask is None and asked:  # fix32: "…studies at a 中专 …, not a 技工学校. Can her school certify her?"
            ask = frame.subject_ask(self.kb.asks, texts)
        if ask is not None and ask.kind == "individual_materials" \
                and not set(slots["groups"] + list((state.get("slots") or {}).get("groups") or [])) & {"teacher", "student"}:
            ask = None  # try30: "我需要准备什么" is a teacher's or a student's own papers only when one of them asks
        if ask is not None:  # it asks for something no clause supplies: a date, an amount, a website …
            return self._not_covered(qid, raw, lang, m, notes, state, ask)
        ranking = self._adjust(m.ranking, slots, m.norm)
        if asked:  # "我们只有学生认定资格，没申报社评，本校老师能认定吗": the facts stated are not the question
            m2 = self.matcher.match(asked, lang)
            ranking2 = self._adjust(m2.ranking, slots, m.norm)
            top = ranking[0][1] if ranking else 0.0
            if ranking2 and ranking2[0][1] >= self.settings["abstain_below"] \
                    and not self.kb.intents[ranking2[0][0]].out_of_scope \
                    and not self.kb.intents[ranking2[0][0]].smalltalk \
                    and ((slots["facts"] and ranking2[0][1] >= top - self.settings["question_part_margin"])
                         or ranking2[0][1] >= max(top - 0.05, self.settings["question_part_sure"])) \
                    and not (slots["facts"] and self._keyword_lost(ranking[0][0], ranking2[0][0], m.norm)):
                ranking = ranking2
            elif lang == "zh" and (not m2.ranking or self.kb.intents[m2.ranking[0][0]].out_of_scope) and not slots["facts"] \
                    and not explicit_followup and not CLAIM_CHECK.search(asked) \
                    and len(self._foreign_words(m2.tokens)) >= 2 and self._statement(texts) is None:
                # fix33: "孩子在技校读书，初中毕业读技校是什么文凭": what is asked, read alone, is most like what the notice
                # does not cover; the statement before it names only whom it is about, not what is asked
                return self._not_covered(qid, raw, lang, m, notes, state)
        reg, _ = frame.registered_level(m.norm)
        if reg and "teacher" not in slots["groups"] and "student_levels" in self.kb.intents:
            # "注册的是高级工层次…": a registered training level is about students (1.1)
            top = ranking[0][1] if ranking else 0.0
            ranking = [("student_levels", max(top, self.settings["abstain_below"]))] + \
                [(n, sc) for n, sc in ranking if n != "student_levels"]
        rule_topic = {"teacher": "teacher_certification", "student": "student_levels"}.get(
            slots["groups"][0] if len(slots["groups"]) == 1 else "")
        if yes_no and slots["levels"] and rule_topic in self.kb.intents and ranking \
                and ranking[0][0] in (rule_topic, "level_names") and frame.CERTIFY_VERB.search(texts[-1]) \
                and not any(frame.ENTRUST.search(t) for t in ask_texts):
            # "老师可以认定五级吗": whether a group may be certified at a level is its rule's question (2.3, 1.1),
            # not what the level is called: the rule's topic leads and the level names step back
            sc = max(dict(ranking).get(rule_topic, 0.0), ranking[0][1])
            ranking = [(rule_topic, sc)] + sorted(
                ((n, x - (self.settings["group_penalty"] if n == "level_names" else 0.0)) for n, x in ranking
                 if n != rule_topic), key=lambda kv: kv[1], reverse=True)
        if ranking and ranking[0][0] in ("entrust_certification", "student_levels") and "apply_social_org" in self.kb.intents \
                and any(frame.APPLY_SOCIAL.search(t) for t in ask_texts):
            # "Can a school without the student qualification apply to be a social_org?": applying is asked, not entrusting
            sc = dict(ranking).get("apply_social_org", 0.0)
            if sc >= self.settings["abstain_below"]:
                ranking = [("apply_social_org", max(sc, ranking[0][1]))] + [(n, x) for n, x in ranking if n != "apply_social_org"]
        if yes_no and ranking and ranking[0][0] == "teacher_certification" and not slots["groups"] \
                and not any(STAFF_WORDS.search(t) for t in texts) and not slots["facts"]:
            # fix38: "学校可以自己认定吗" names no one: the teachers' rule (2.3) would answer for a group not asked about
            # (its phrasings are alike); the next topic answers, or none
            ranking = [(n, x) for n, x in ranking if n != "teacher_certification"]
        intent_name, score = ranking[0] if ranking else (None, 0.0)
        context = None
        own_route = False  # fix26: the question's own words chose its topic; a follow-up's facts do not take it back
        if lang == "zh" and "level_names" in self.kb.intents and level_identity(to_simplified(core)) \
                and not frame.CERTIFY_VERB.search(core):  # (session 18 review: "三级就是高级工，老师能认定三级吗" asks the rule)
            # try30: "那二级=技师是吧" after a teachers' question: the names of a level, not the teachers' rule again
            intent_name, score, own_route = "level_names", max(score, self.settings["abstain_below"]), True
        if not yes_no and score >= self.settings["abstain_below"] and (frame.OTHER_SCHOOL.search(texts[0])
                                                                        or frame.TRAINEES.search(texts[0])):
            # "外校学生来我校认定，我们需要有什么资质", "培训公司的学员…找什么样的学校": certifying for other
            # schools and for trainees is 3.3 (and 3.1)
            target = self._intent_for_clause("3.3")
            if target is not None and intent_name in ("student_levels", "teacher_certification", "certify_social_persons",
                                                      "apply_social_org"):
                intent_name = target.name
                # fix26: "外校老师怎么办" after "只能认定本校老师吗" asks its own question: 3.3, not 2.3 again
                # ("what about trainees…?" is still the question before, about them)
                own_route = bool((STRONG_WH_ZH if lang == "zh" else OWN_WH_EN).search(core))
        if not yes_no and score >= self.settings["suggest_above"]:
            asks_for = lambda p: _searched(p, ask_texts)  # noqa: E731
            review = asks_for(frame.REVIEW_ASK)  # (searched once for the two branches below, session 18)
            if review and any(frame.SCOPE_CHANGE.search(t) for t in texts):
                intent_name, score = self._routed("3.2", intent_name, score)  # fix27: "调整清单由谁负责审核": 3.2
            elif review and any(frame.APPLY_SOCIAL.search(t) or re.search(r"附件[12]|attachment[12]|申报材料|applications?\b", t, re.I)
                                                    for t in texts):
                intent_name, score = self._routed("2.2", intent_name, score)  # fix27: "Which body reviews applications for 社评 status?": 2.2
            elif asks_for(frame.COORDINATION_ASK):
                intent_name, score = self._routed("3.5", intent_name, score)  # fix27: "谁负责去协调技工院校跟企业": 3.5
            elif asks_for(frame.RESPONSIBILITY_ASK) and not asks_for(frame.OVERSIGHT):
                intent_name, score = self._routed("3.4", intent_name, score)  # "委托出去的话证书谁负责": 3.4
            elif asks_for(frame.MATERIALS_ASK) and any(frame.SCOPE_CHANGE_VERB.search(t) for t in texts):
                intent_name, score = self._routed("3.2", intent_name, score)  # fix29: "想加两个工种 要报啥": 附件3 (3.2)
            if slots["facts"].get("student_cert_qualified") is False and (asks_for(frame.WHO_CERTIFIES)
                                                                          or (asked and frame.WHAT_NOW.search(asked))) \
                    and "teacher" not in slots["groups"]:
                # "我们学校没有认定资格，那我们的等级认定谁来做": entrusting (3.1)
                intent_name, score = self._routed("3.1", intent_name, score)
            elif slots["facts"].get("student_cert_qualified") is True and slots["facts"].get("social_org_qualified") is False \
                    and asked and frame.WHAT_NOW.search(asked) and not slots["groups"]:
                # holdout36: "有学生认定资格，没有社评资质，下一步应该怎么做": the qualification the notice encourages it to
                # apply for next (2.1)
                intent_name, score = self._routed("2.1", intent_name, score)
            elif slots["facts"].get("social_org_qualified") is False and asks_for(frame.WHO_CERTIFIES) \
                    and "teacher" in slots["groups"] + list((state.get("slots") or {}).get("groups") or []):
                # fix26: a teacher whose school lacks 社评资质 ("要是我们学校没社评资质，我还能去哪儿认定"): schools holding
                # it certify technical schools' teachers first (3.3)
                intent_name, score = self._routed("3.3", intent_name, score)
                own_route = True
            if asks_for(frame.PLEDGE_ASK):
                intent_name, score = self._routed("att1.pledge", intent_name, score)  # fix32: "申请社评要签什么承诺"
            if asks_for(frame.PRIORITY_ASK):
                intent_name, score = self._routed("3.3", intent_name, score)  # "先给哪些人搞认定": whom first (3.3)
        if not yes_no and score >= self.settings["suggest_above"]:
            # "作为市局，收到调整清单，我们要做什么": a city bureau asking about its own part
            bc = frame.bureau_clause(texts)
            target = self._intent_for_clause(bc) if bc else None
            if target is not None:
                intent_name, score = target.name, max(score, self.settings["abstain_below"])
        if intent_name == "apply_social_org" and "application_materials" in self.kb.intents \
                and any(frame.MATERIALS_ASK.search(t) for t in ask_texts):
            intent_name = "application_materials"  # "what documents go with an application": 2.2
        first = self.kb.intents[intent_name].clauses[:1] if intent_name in self.kb.intents else []
        # fix28: also from 3.2's topic ("变更了认定范围，改动的格子怎么标": the marking asked, 注7)
        if first in (["att3"], ["3.2"]) and any(frame.MARKING.search(t) for t in ask_texts) and not yes_no \
                and (any(frame.SCOPE_CHANGE_VERB.search(t) for t in texts)
                     or any(re.search(r"涂|黄|底色|yellow|highlight", t, re.I) for t in ask_texts)) \
                and self._intent_for_clause("att3.n7"):  # fix27: "附3要涂黄的是哪些格": only 注7 speaks of colour
            target = self._intent_for_clause("att3.n7")  # "删掉一个工种 附件3上怎么标": how the change is marked (注7)
            intent_name, first = target.name, ["att3.n7"]
        if (first == ["att3"] or (first == ["att3.n7"] and not any(frame.MARKING.search(t) for t in texts))) \
                and (any(frame.SCOPE_CHANGE_VERB.search(t) for t in texts) or frame.ADJUST_LIST_FILED.search(text)):
            target = self._intent_for_clause("3.2")  # 附件3 filed to change the certified scope: 3.2 says when and how
            if target is not None:
                intent_name, first = target.name, ["3.2"]
        form = {"att1": "att1", "att2": "att2", "att3": "att3", "3.2": "att3"}.get(first[0]) if first else None
        if form is None and first and first[0].startswith("att") and "." in first[0]:
            form = first[0].split(".")[0]  # a note's topic ("机构类型怎么填" att3.n1): its form's fields
        if form is None:  # "level separator in att 3?": the one form the question names
            named = [k for k, p in frame.FORM_NAMED_I.items() if _searched(p, ask_texts)]
            if len(named) == 1:
                fc = frame.field_clause(self.kb.facts.get("form_field", []), named[0], ask_texts)
                target = self._intent_for_clause(fc) if fc else None
                if target is not None:
                    intent_name, score = target.name, max(score, self.settings["abstain_below"])
        if form:  # "附件3级别咋填", "变更认定范围备注写啥": the note on the field named answers, not the form's overview
            fc = frame.field_clause(self.kb.facts.get("form_field", []), form, ask_texts, strict=first[0] == "3.2")
            if fc is None and first[0] != "3.2":  # "机构性质有哪几种可选": a field of another form
                fc = frame.other_form_field(self.kb.facts.get("form_field", []), form, ask_texts)
            target = self._intent_for_clause(fc) if fc else None
            if target is not None:
                intent_name = target.name
        note = frame.part_note(self.kb.facts.get("form_part", []), texts, implied=first[0].startswith("att1.")) \
            if not yes_no and first and first[0].startswith("att1") else None
        if note is not None and self._intent_for_clause(note) is not None:
            intent_name = self._intent_for_clause(note).name  # fix13: "What documents go with section 5 of 附件1?"
            if score >= self.settings["suggest_above"]:
                # holdout21: "What proof do we attach for part 4 of 附件1?": the form's item named and its proof
                # asked is that item's note, however far the wording is from its phrasings
                score = max(score, self.settings["abstain_below"])
        columns = frame.columns_asked(ask_texts) if not yes_no else None
        if columns is not None and self._intent_for_clause(columns) is not None:
            intent_name = self._intent_for_clause(columns).name  # fix13: "附件3认定范围表格有哪几列": the form itself
        if intent_name == "submit_where" and (any(frame.SCOPE_CHANGE_VERB.search(t) for t in texts) or (
                any(frame.SCOPE_CHANGE.search(t) for t in texts) and not any(frame.APPLY_SOCIAL.search(t) for t in texts))):
            # "拟调整认定工种，应向哪个部门报送": 附件3 for review (3.2); but "认定范围内的职业申报社评资质交到哪里"
            # names the scope only as the occupations of a 社评 application (2.2)
            context = "adjust_scope"
        elif intent_name in frame.FILING_TOPICS and "submit_where" in self.kb.intents \
                and not any(re.search(r"遇到|问题|(?<!基本)情况(?!表)|咨询|请教|problem|question", t) for t in texts) \
                and score >= self.settings["abstain_below"] and any(frame.WHERE_TO_FILE.search(t) for t in texts):
            # "申报社评是交给省厅还是市局": where to file, for that topic
            context, intent_name = intent_name, "submit_where"
        elif intent_name == "notice_info" and "submit_where" in self.kb.intents \
                and any(re.search(r"附件|申报材料|attachments?\b", t) for t in texts) \
                and not any(re.search(r"遇到|问题|(?<!基本)情况(?!表)|咨询|请教|problem|question", t) for t in texts) \
                and score >= self.settings["abstain_below"] and any(frame.WHERE_TO_FILE.search(t) for t in texts):
            # fix29: "省属的 附件交哪": the attachments filed, not the notice's own addressees (meta)
            context, intent_name = "application_materials", "submit_where"

        if intent_name == "basis_documents" and "apply_social_org" in self.kb.intents \
                and any(frame.APPLY_SOCIAL.search(t) or APPLY_SOCIAL_LOOSE.search(t) for t in texts) \
                and not any(re.search(r"\d+\s*号|(通知|文件)(本身|的)?(依据|出台|制定)|this notice|the notice", t, re.I) for t in texts):
            # fix41 (holdout37): "我们学校想申报社会培训评价组织资质，依据的是哪个文件": the document that application
            # follows (2.1: 鲁人社字〔2020〕50号), not the notice's own basis
            intent_name = "apply_social_org"
        # follow-ups: "那一级呢？", "what about level 1?", "那学生呢？", "交到哪里？"
        party_lacks_social = False  # fix26: the party to be entrusted, named in an earlier turn, lacks 社评资质
        entrust_level = None  # try28: a level asked after entrusting
        party_unnamed = False  # fix26: a party to be entrusted named in a follow-up, its 社评资质 not said
        prev_name = state.get("intent")
        prev = self.kb.intents.get(prev_name) if isinstance(prev_name, str) else None
        asked_before = self.kb.intents.get(state.get("rule_asked")) if isinstance(state.get("rule_asked"), str) else None
        if prev is not None and not prev.smalltalk and asked_before is not None and asked_before is not prev \
                and slots["facts"] and yes_no and REASK.search(asked or core):
            prev = asked_before  # fix26: "Same question, can we?" is the last yes/no question on a rule, not the last topic
        if prev is not None and not prev.smalltalk and prev.name in SCOPE_TOPICS and yes_no and lang == "zh" \
                and isinstance(state.get("norm"), str) and state.get("norm") and (frame.WHERE_TO_FILE.search(texts[0]) or AGENCY_NAMED.search(texts[0])) \
                and not FORM_PURPOSE_2_2.search(texts[0]):
            texts = [state["norm"] + "，" + texts[0]] + texts[1:]  # try28: "那报青岛市人社局就行吧" after a scope change: 3.2's
        if prev is not None and not prev.smalltalk:
            prev_slots = state.get("slots") or {}
            if state.get("supposed") and (REALITY.search(text) or not explicit_followup
                                          or (slots["groups"] and slots["groups"] != prev_slots.get("groups"))):
                # try28: "那能给学生评几级" after "等有了社评资质能给老师评二级吗": another subject is asked of the school as it is
                # fix26: "那现在能给社会人员认定吗" after "如果有的话…": back to the facts as stated, not as supposed
                # (an elliptic follow-up, "那三级呢", goes on with the supposition)
                prev_slots = {**prev_slots, "facts": dict(state.get("facts") or {})}
            short = len(m.tokens) <= 3
            has_slots = bool(slots["levels"] or slots["groups"] or slots["facts"])
            if slots["facts"] and prev.rule in rules.RULES \
                    and ((state.get("yes_no") and not self._is_question(text)) or (yes_no and REASK.search(asked or core))):
                # "我们有社评资质，两个班都开了" after a conditional answer: the same question, now with the facts;
                # fix26: also asked again in so many words ("Sorry, correction: we run neither class. Same question,
                # can we?", "我们其实没开预备技师班，那还行吗")
                intent_name, score, yes_no = prev.name, max(score, self.settings["followup_below"]), True
                slots["facts"] = {**prev_slots.get("facts", {}), **slots["facts"]}
                slots["groups"] = slots["groups"] or list(prev_slots.get("groups", []))
                slots["levels"] = slots["levels"] or list(prev_slots.get("levels", []))
            elif prev.rule == "entrust_students" and not (slots["levels"] or slots["groups"]) \
                    and ((party := frame.party_status(texts)) is not None or frame.PARTY_ONLY.search(core)):
                # fix26: "那家公司要是有社评资质呢" after "能委托一家培训公司吗": the same question, the party's
                # qualification now said (with it: the rule on our own qualification; without it: no, 3.1);
                # "培训公司可以吗": another party, its qualification not said (conditional on it, 3.1)
                intent_name, score, yes_no = prev.name, max(score, self.settings["followup_below"]), True
                slots["facts"] = {**prev_slots.get("facts", {}), **slots["facts"]}
                slots["groups"] = list(prev_slots.get("groups", []))
                if party is None:
                    # fix29: "委托给没社评资质的学校行吗": the party's qualification said inside the party's own words
                    party = False if frame.third_party_unqualified(texts) else True if frame.third_party_qualified(texts) else None
                party_lacks_social = party is False
                party_unnamed = party is None
            elif not has_slots and frame.NEXT_STEP.search(core):
                # fix26: "那我们得先干啥" after a rule's "not yet": the qualification it lacks is applied for first
                # (no student qualification: 3.1; no 社评资质: 2.1/2.2); otherwise the same topic, another side of it
                intent_name, score = prev.name, max(score, self.settings["followup_below"])
                slots["facts"] = {**prev_slots.get("facts", {}), **slots["facts"]}
                slots["groups"] = list(prev_slots.get("groups", []))
                slots["levels"] = list(prev_slots.get("levels", []))
                if prev.rule in rules.RULES:
                    known = {**profile, **(state.get("facts") or {}), **slots["facts"]}
                    outcome = rules.evaluate(prev.rule, known, slots["levels"][0] if slots["levels"] else None)
                    lacks = [k for k in ("student_cert_qualified", "social_org_qualified") if known.get(k) is False]
                    if outcome.status == "can_apply" or (outcome.status == "conditional" and lacks):
                        # the student qualification comes first (2.1: schools already certifying students apply for 社评资质);
                        # a rule that no qualification can satisfy (not_allowed: no class for 2.3) keeps its topic
                        first_step = "3.1" if prev.rule in ("certify_students", "apply_social_org") \
                            or "student_cert_qualified" in lacks else "2.1"
                        intent_name, score = self._routed(first_step, intent_name, score)
            elif not has_slots and frame.GENERIC_FOLLOWUP.search(text):
                # "需要啥条件", "so what can it do?": the same topic, another side of it
                intent_name, score = prev.name, max(score, self.settings["followup_below"])
                slots["facts"] = {**prev_slots.get("facts", {}), **slots["facts"]}
                slots["groups"] = list(prev_slots.get("groups", []))
                slots["levels"] = list(prev_slots.get("levels", []))
            elif slots["facts"] and set(slots["facts"]) <= {"affiliation"} and not (slots["levels"] or slots["groups"]) \
                    and (short or explicit_followup
                         or (not self._is_question(text) and "agency_" in (prev.answer_zh or ""))):
                # 省属/市属 changes only where to file, so the same topic answers (its agency text reads the
                # affiliation): fix26 "如果我们是市属的呢" after "省属技工院校…材料交到哪里"; try26 "不对，我们是市属的"
                # stated after a topic that names the agency
                intent_name, score = prev.name, max(score, self.settings["followup_below"])
                context = state.get("context") if context is None else context
                slots["facts"] = {**prev_slots.get("facts", {}), **slots["facts"]}
                slots["groups"] = list(prev_slots.get("groups", []))
                slots["levels"] = list(prev_slots.get("levels", []))
                yes_no = yes_no or bool(state.get("yes_no"))
            elif intent_name in ("application_materials", "submit_where") and (short or explicit_followup) \
                    and not has_slots and not FORM_PURPOSE.search(m.norm) \
                    and (prev.name in SCOPE_TOPICS or prev.name == "entrust_certification"):
                # try28: "要交啥表", "发到哪", "报哪里" after a scope change are its 附件3 (3.2); after entrusting (or the
                # student qualification, 3.1) the notice names no form and no office: not covered, not 2.2's 附件1/附件2
                if prev.name == "entrust_certification":
                    return self._not_covered(qid, raw, lang, m, notes, state, ENTRUST_FORM_ASK)
                if intent_name == "application_materials":
                    intent_name, score = "adjust_scope", max(score, self.settings["followup_below"])
                else:
                    context, score = "adjust_scope", max(score, self.settings["abstain_below"])
            elif intent_name == "submit_where" and score >= self.settings["suggest_above"] and (short or explicit_followup):
                context, score = prev.name, max(score, self.settings["abstain_below"])
            elif slots["facts"] and not (slots["levels"] or slots["groups"]) and prev.rule not in rules.RULES \
                    and ranking and ranking[0][0] != prev.name and score >= self.settings["abstain_below"] \
                    and not self.kb.intents[ranking[0][0]].out_of_scope:
                pass  # "那要是学校压根没有认定资格呢" after a topic no fact changes: the fact's own topic answers
            elif ranking and ranking[0][0] != prev.name and ranking[0][1] >= self.settings["abstain_below"] \
                    and not self.kb.intents[ranking[0][0]].out_of_scope and not self.kb.intents[ranking[0][0]].smalltalk \
                    and lang == "zh" and any(len(k) >= 2 and (k in m.norm or k in core) and k not in prev.keywords
                                             for k in self.kb.intents[ranking[0][0]].keywords):
                pass  # fix41 (holdout37): "那3+2分段注册的学生呢" after students' levels: its own topic's keyword (1.2) decides
            elif has_slots and not own_route and (explicit_followup or (short and (score < self.settings["followup_below"]
                                                                   or intent_name == prev.name
                                                                   # "一级行不行" after a rule topic: a level alone is its follow-up
                                                                   or (yes_no and slots["levels"] and not slots["groups"]
                                                                       and prev.rule in rules.RULES)))) \
                    and not prev.name == "submit_where":
                if not yes_no and (state.get("yes_no") or (slots["levels"] and prev.rule in rules.RULES
                                                           and explicit_followup)) \
                        and not (STRONG_WH_ZH if lang == "zh" else OWN_WH_EN).search(core):  # fix26: "那学生怎么办" asks how
                    yes_no = True  # "那一级呢" after a rule topic asks whether that level is possible
                if not slots["levels"]:
                    slots["levels"] = list(prev_slots.get("levels", []))
                slots["facts"] = {**prev_slots.get("facts", {}), **slots["facts"]}
                # same question about another group ("那老师呢" after students, or after applying as a 社评
                # organisation, a topic of no group): the best topic for that group
                switched = slots["groups"] and not set(slots["groups"]) & set(prev.groups)
                if switched:
                    for name, sc in ranking:
                        if set(self.kb.intents[name].groups) & set(slots["groups"]):
                            intent_name, score = name, max(sc, self.settings["abstain_below"])
                            break
                else:
                    intent_name, score = prev.name, max(score, self.settings["followup_below"])
                    if not slots["groups"]:
                        slots["groups"] = list(prev_slots.get("groups", []))
                    if prev.rule == "entrust_students" and slots["levels"] and yes_no:
                        entrust_level = slots["levels"][0]  # try28: "what about level 2?" after entrusting: the level rule (1.1)
            if prev.clauses[:1] and prev.clauses[0].startswith("att1.") and (explicit_followup or short) and not yes_no:
                # holdout21: "What proof do we attach for part 4 of 附件1?" then "and for part 5?": the same
                # question about another item of 附件1 is that item's note
                note = frame.part_note(self.kb.facts.get("form_part", []), texts, implied=True, asked_before=True)
                target = self._intent_for_clause(note) if note else None
                if target is not None:
                    intent_name, score = target.name, max(score, self.settings["followup_below"])

        if lang == "zh" and intent_name in self.kb.intents and not self.kb.intents[intent_name].smalltalk \
                and not (prev is not None) and not (slots["levels"] or slots["groups"] or slots["facts"] or slots["refs"]) \
                and len(m.norm) >= 6 and not any(t in self._domain() or any(d in t for d in DOMAIN_EXTRA) for t in m.tokens) \
                and not any(d in m.norm for d in DOMAIN_EXTRA):  # fix27: "谁发的文啊这是": 发的 split by the segmenter
            return self._not_covered(qid, raw, lang, m, notes, state)  # "财务上怎么走账": no word of the notice
        if lang == "zh" and intent_name in self.kb.intents and not self.kb.intents[intent_name].smalltalk \
                and not (slots["refs"] or set(slots["facts"]) - {"institution_type", "affiliation"}) \
                and self._subject_only(m.tokens):
            return self._not_covered(qid, raw, lang, m, notes, state)  # fix33: "技工院校教师能兼职吗", "技校生可以入党吗"
        if lang == "zh" and yes_no and intent_name in self.kb.intents and not self.kb.intents[intent_name].smalltalk \
                and not slots["refs"] and self._foreign_predicate(m.norm) and self._statement(texts) is None:
            return self._not_covered(qid, raw, lang, m, notes, state)  # fix33: "有社评资质的学校可以申请贷款吗"
        best_oos = max((s for n, s in ranking if self.kb.intents[n].out_of_scope), default=0.0)
        best_in = max((s for n, s in ranking if not self.kb.intents[n].out_of_scope), default=0.0)
        if intent_name in self.kb.intents and self.kb.intents[intent_name].smalltalk \
                and score < self.settings["smalltalk_below"]:
            intent_name = None
        covered = (intent_name is not None and score >= self.settings["abstain_below"]
                   and not self.kb.intents[intent_name].out_of_scope
                   and not (best_oos > best_in + self.settings["out_of_scope_margin"] and context is None
                            and bool(ranking) and intent_name == ranking[0][0]))
        if yes_no and (not covered or self.kb.intents[intent_name].smalltalk) \
                and not (ranking and self.kb.intents[ranking[0][0]].out_of_scope):
            # a yes/no question that one of the notice's statements answers is covered, however it is worded
            st = self._statement(texts)
            target = self._intent_for_clause(st.clause) if st is not None else None
            if target is None and prev is not None and len(m.tokens) <= 6 and self._followup_statement(texts, state, prev):
                target = prev  # "用逗号隔开行不" then "用顿号行吗": the same topic's statement, its subject said before
            if target is not None:
                intent_name, score, covered = target.name, max(score, self.settings["abstain_below"]), True
            elif frame.contact_confirmed(self.kb.facts.get("contact", []), text) and "contacts" in self.kb.clauses:
                target = self._intent_for_clause("contacts")  # "Is Wang Weichao reachable at 0531-86018851?"
                if target is not None:
                    intent_name, score, covered = target.name, max(score, self.settings["abstain_below"]), True
        elliptic = explicit_followup and bool(state.get("yes_no")) \
            and not (STRONG_WH_ZH if lang == "zh" else OWN_WH_EN).search(core)  # "要是还没读完呢" after a yes/no question
        if (yes_no or elliptic) and (not covered or (elliptic and not yes_no and lang == "en" and intent_name == prev_name
                                                     and prev is not None and prev.clauses[:1]
                                                     and (named := re.findall(r"[\u4e00-\u9fff]{2,}", core))
                                                     and all(w in self.kb.clauses.get(prev.clauses[0], {}).get("text", "")
                                                             for w in named))) \
                and prev is not None and not prev.smalltalk and not prev.out_of_scope and prev.clauses:
            # fix41 (holdout37): "And the short name (机构简称)?" after "Is the website field mandatory?": covered by the
            # same topic, it is still the yes/no question before, asked of another field (Chinese: _elliptic_swap) that
            # the clause names in Chinese (not "What about the 备案号?", which note 2 does not make optional)
            # fix26: a yes/no follow-up whose subject is named only in the turn before ("附件3级别怎么写" → "用中文大写
            # 可以吗"; "3+2的学生什么时候认定" → "高职阶段读完了还能再认一次吗"): a statement of that topic's clause,
            # read on the question alone or with the turn before it, answers (out-of-scope look-alikes aside)
            before = state.get("norm") if isinstance(state.get("norm"), str) else ""
            for probe in [texts[0]] + ([before + "，" + texts[0]] if before else []):
                st = self._statement([probe] + texts[1:])
                target = (prev if prev.clauses[0] == st.clause else self._intent_for_clause(st.clause)) \
                    if st is not None and st.clause in prev.clauses else None
                if target is not None and probe is not texts[0] and lang == "en" \
                        and not all(w in self.kb.clauses.get(st.clause, {}).get("text", "")
                                    for w in re.findall(r"[\u4e00-\u9fff]{2,}", core)):
                    target = None  # fix41: "What about the 备案号?" after "Is the website field mandatory?": note 2 says
                    # nothing of 备案号; the statement read with the turn before would answer for the website
                if target is not None:
                    intent_name, score, covered, yes_no = target.name, max(score, self.settings["abstain_below"]), True, True
                    texts = [probe] + texts[1:]
                    break
        if not covered:
            return self._not_covered(qid, raw, lang, m, notes, state)

        intent = self.kb.intents[intent_name]
        # fix26: what the asker said about the school in earlier turns holds for the whole conversation ("我们有社评
        #资质…" then "Can we certify teachers from other technical schools too?"); a later statement corrects it
        # ("不对，我们还没有社评资质"); a supposition ("要是我们没社评资质呢") holds for its own question only
        said = dict(state.get("facts") or {})
        # try28: only what this turn states outside a supposition (not the facts a follow-up carries over from a
        # supposed turn before: "那能给学生评几级" after "等有了社评资质…")
        said.update(own_facts)
        new_state = {"intent": intent.name, "slots": slots, "yes_no": yes_no, "lang": lang, "facts": said,
                     # the words of this turn (fix26: with the turn before, for a follow-up that names no subject: "签字呢";
                     # a yes/no follow-up read with the turn before keeps both)
                     "norm": (texts[0] if texts[0] != m.norm else
                              (state["norm"] + "，" if explicit_followup and isinstance(state.get("norm"), str)
                               and state.get("norm") else "") + m.norm)[-160:],
                     "supposed": bool(HYPOTHETICAL.search(text)),
                     "rule_asked": intent.name if yes_no and intent.rule in rules.RULES else state.get("rule_asked"),
                     "asked_raw": raw if yes_no else "",  # fix26: the yes/no question, asked again with facts stated after it
                     # fix26: a turn that only states something, for a bare "可以吗" after it
                     "said": raw if not self._is_question(text) and not frame.question_part(core, lang, self._is_question) else ""}
        if context:
            new_state["context"] = context
        if yes_no and lang == "zh":
            new_state["asked"] = texts[0]  # fix28: the yes/no question asked, for an elliptic follow-up
        if intent.smalltalk:
            body = self.render(intent.answer_zh if lang == "zh" else intent.answer_en)
            return Answer(qid, raw, lang, intent.name, score, [], None, "\n".join(notes + [body]),
                          state={**state, "lang": lang})
        # what the question (and, fix26, the earlier turns) says about the school counts too
        facts = {**profile, **(state.get("facts") or {}), **slots["facts"]}
        if supposed & set(slots["facts"]):
            facts["_supposed"] = sorted(supposed & set(slots["facts"]))  # try28: shown as supposed, not as the school's
        ans = None
        if not yes_no and explicit_followup and intent.clauses:
            # "那教学计划没完成的呢" after "学生按什么层次认定": a statement of the same clause answers it
            st = self._statement(texts)
            yes_no = st is not None and st.clause == intent.clauses[0]
        if entrust_level is not None and "student_levels" in self.kb.intents:
            # try28: "what about level 2?" after "can other schools with 社评资质 certify our students at level 3?": not 3.1's
            # yes again: students are certified at their registered training level (1.1), whoever certifies them
            training = TRAINING_WORDS.get(entrust_level)
            runs = {2: facts.get("runs_prep_technician_class"), 3: facts.get("runs_senior_class")}.get(entrust_level)
            if training is None:
                verdict, head = "no", self.reply(lang, "entrust_level_none")
            elif runs is False:
                verdict, head = "no", self.reply(lang, "entrust_level_no_class", training=training, level=entrust_level)
            else:
                verdict, head = "conditional", self.reply(lang, "entrust_level_depends", training=training, level=entrust_level)
            ans = self._compose(qid, raw, lang, self.kb.intents["student_levels"], score, ["1.1", "3.1"], verdict, head,
                                facts, slots, notes, new_state)
        elif party_lacks_social and self._intent_for_clause("3.1") is not None:
            ans = self._compose(qid, raw, lang, self._intent_for_clause("3.1"), score, ["3.1"], "no",
                                self.reply(lang, "entrust_no_social"), facts, slots, notes, new_state)
        elif party_unnamed and facts.get("student_cert_qualified") is not True and self._intent_for_clause("3.1") is not None:
            ans = self._compose(qid, raw, lang, self._intent_for_clause("3.1"), score, ["3.1"], "conditional",
                                self.reply(lang, "entrust_depends_party"), facts, slots, notes, new_state)
        elif yes_no:
            special = self._frame_answer(qid, raw, lang, texts, slots, facts, score, notes, new_state, intent,
                                         ask_texts=ask_texts if asked else None)
            if isinstance(special, Answer):
                ans = special
            elif isinstance(special, Intent):
                intent = special
                new_state["intent"] = intent.name
            elif special is None and len(m.tokens) <= 6:
                st = self._followup_statement(texts, state, intent)
                if st is not None:  # holdout21: "附件3级别怎么填" then "用逗号隔开行不": no (注5)
                    new_state["norm"] = state["norm"] + " " + m.norm  # the subject carries on to the next follow-up
                    head = (st.say_zh if lang == "zh" else st.say_en) or \
                        self.reply(lang, {"yes": "yes_fixed", "no": "no_fixed"}[st.verdict])
                    ans = self._compose(qid, raw, lang, intent, score, [st.clause], st.verdict, head, facts, slots,
                                        notes, new_state)
        if ans is None:
            if intent.name == "responsibility" and context is None \
                    and (any(frame.ENTRUST.search(t) for t in texts) or state.get("intent") == "entrust_certification"):
                context = "entrust"  # try28: "委托了以后证书谁发的": who evaluates issues: the body entrusted (our reading of 3.4)
            if intent.name == "priority_groups" and context is None and any(OTHER_TEACHERS.search(t) for t in texts):
                context = "other_teachers"  # try28: "老师是外校的也能评吗": social certification in the filed scope, not 2.3
            ans = self._topic_answer(qid, raw, lang, intent, score, slots, yes_no, facts, context, notes, new_state, m)
        if yes_no and ans.verdict is None and ans.clauses[:1] == ["contacts"] \
                and len(frame.contacts_named(self.kb.facts.get("contact", []), text)) > 1:
            # "于金的电话是0531-86018851吗": a name, a unit and a number of two different contacts
            ans.verdict = "no"
            ans.text = self.reply(lang, "no_fixed") + ("" if lang == "zh" else " ") + ans.text
        elif yes_no and ans.verdict is None and ans.clauses[:1] == ["contacts"] \
                and frame.contact_confirmed(self.kb.facts.get("contact", []), text):
            # "Is Wang Weichao reachable at 0531-86018851?": that contact's own number
            ans.verdict = "yes"
            ans.text = self.reply(lang, "yes_fixed") + ("" if lang == "zh" else " ") + ans.text
        if ans.intent == "submit_where" and ans.clauses \
                and (named := frame.contacts_named(self.kb.facts.get("contact", []), text)):
            # try30: "社评申报表交到省就业中心王伟超那吗": a contact person named as the one who receives the papers
            c = self.kb.facts["contact"][min(named)]
            ans.text = self.reply(lang, "contact_not_agency", name=c["name"] if lang == "zh" else c.get("name_en", c["name"]),
                                  unit=c["unit"] if lang == "zh" else c.get("unit_en", c["unit"]), phone=c["phone"]) + "\n\n" + ans.text
            ans.clauses = ans.clauses + [x for x in ("contacts",) if x in self.kb.clauses and x not in ans.clauses]
        quote = frame.claim_quote(text) if yes_no and lang == "zh" else None
        if quote:  # "我局拟答复：“…”该表述与通知一致吗": the quote is weighed against the clauses, not the rules
            qn = self._norm(quote, lang)
            for cid in [c for c in ans.clauses[:3] if c in self.kb.clauses]:
                wrong = frame.contradicts(qn, self._clause_norm(cid), self.kb.tokens.zh)
                if wrong or frame.restates(qn, self._clause_norm(cid), self.kb.tokens.zh):
                    head = self.reply(lang, "claim_no", wrong=wrong) if wrong else self.reply(lang, "claim_yes")
                    self._settle(ans, "no" if wrong else "yes", cid, head + "\n\n")
                    break
        elif yes_no and lang == "zh" and ans.verdict in (None, "yes") and ans.clauses[:1] == ["3.3"] \
                and frame.PRIORITY_OWN_STUDENTS.search(text) and facts.get("student_cert_qualified") is not False:
            # fix34: "有社评资质的技工学校应该优先面向本校学生认定吗": 3.3's first are other schools' students (those
            # without the student qualification), teachers and trainees, not the school's own students
            self._settle(ans, "no", "3.3", self.reply(lang, "priority_not_own") + "\n\n")
        elif yes_no and lang == "zh" and ans.verdict is None and ans.clauses[:1] and ans.clauses[0] in self.kb.clauses \
                and (claim := (ask_texts[0] if asked and ask_texts[0] != m.norm and not slots["facts"]
                               and not frame.restates(m.norm, self._clause_norm(ans.clauses[0]), self.kb.tokens.zh)
                               and not LEAD_DOMAIN.search(m.norm[:max(0, m.norm.find(ask_texts[0]))] if ask_texts[0] in m.norm else m.norm)
                               # fix41 (holdout37): "学校领导让我核对一下，这个通知是2021年8月12日印发的吗": a lead that
                               # names nothing of the notice's matter (why one asks) leaves the asking segment the claim
                               else m.norm)
                     if not slots["facts"] or not facts_in(frame.SUBJECT_DESC.sub("", m.norm), self.kb.lexicon, frame.SUBJECT_DESC.sub("", m.norm))
                     # holdout36: "我们既给学生认定，也有社评资质，是不是要按49号、50号文件做好制度建设": the facts are
                     # stated before, the asking segment alone is the claim
                     # (session 18, review: only facts that leave the clause applying: not "我们是企业", not "没有…资格")
                     else ask_texts[0] if asked and ask_texts[0] != m.norm
                     and not any(v is False for v in slots["facts"].values())
                     and slots["facts"].get("institution_type") in (None, rules.TECHNICAL_SCHOOL)
                     and not facts_in(frame.SUBJECT_DESC.sub("", ask_texts[0]), self.kb.lexicon, frame.SUBJECT_DESC.sub("", ask_texts[0]))
                     else None) \
                and frame.restates(claim, self._clause_norm(ans.clauses[0]),
                                   self.kb.tokens.zh) \
                and frame.contradicts(claim, self._clause_norm(ans.clauses[0]), self.kb.tokens.zh) is None \
                and not frame.own_people_unsaid(text, self.kb.clauses[ans.clauses[0]]["text"]):  # fix34
            # "开展认定是不是要按鲁人社字2020 49号文件": the question restates what the clause says (session 18 review: all of
            # it: "通知是2021年8月2日印发的吗" holds the characters of 8月12日 but another date)
            ans.verdict = "yes"
            ans.text = self.reply(lang, "yes_fixed") + ans.text
        elif yes_no and lang == "zh" and ans.verdict in (None, "yes", "conditional"):
            # "申报社评资质应提交附件1和附件3，是否准确": the clause says all of it but one detail
            claims = [m.norm] + ([ask_texts[0]] if asked and ask_texts[0] != m.norm else []) \
                + [p for p in re.split(r"(?<=[？?])", m.norm) if p.endswith(("？", "?")) and p != m.norm][:1]
            for cid in [c for c in ans.clauses[:3] if c in self.kb.clauses]:
                # "通知落款是2021年9月1号？我记得是开学那天发的": the asking segment alone may be the claim
                wrong = next((w for w in (frame.contradicts(c, self._clause_norm(cid), self.kb.tokens.zh) for c in claims) if w), None)
                if wrong and any(frame.restates(m.norm, self._clause_norm(c), self.kb.tokens.zh) for c in self.kb.clauses):
                    break  # "开展认定要按鲁人社字2020 49号和50号文件吧": another clause says it all (3.4)
                if wrong:
                    self._settle(ans, "no", cid, self.reply(lang, "claim_no", wrong=wrong) + "\n\n")
                    break
            if ans.verdict is None and not slots["facts"]:
                # "级别以最新颁布的国家职业技能标准设置的级别为准吧": a clause after the first says it all (注5, not 注4)
                form = ans.clauses[0].split(".")[0] if ans.clauses and ans.clauses[0].startswith("att") else None
                siblings = [c for c in self.kb.clauses if form and (c == form or c.startswith(form + "."))]  # the form's other notes
                cid = next((c for c in ans.clauses[1:3] + siblings if c in self.kb.clauses and c != ans.clauses[0]
                            and frame.restates(m.norm, self._clause_norm(c), self.kb.tokens.zh)), None)
                if cid is not None:
                    self._settle(ans, "yes", cid, self.reply(lang, "yes_fixed"))
        elif yes_no and lang == "en" and ans.verdict is None and ans.clauses[:1] == ["meta"] \
                and (dated := frame.en_date_claim(text, 2021, 8, 12)) is not None:
            self._confirm_en(ans, dated)  # "Was the notice issued on 1 September 2021?"
        elif yes_no and lang == "en" and ans.verdict is None and ans.clauses[:1] and ans.clauses[0] in self.kb.clauses \
                and (edition := re.search(r"\b((?:19|20)\d\d) (edition|version)\b", text, re.I)) \
                and re.search(r"\d{4}年版", self._clause_norm(ans.clauses[0])):
            # "Is the occupation code based on the 2022 edition?": the clause names its edition
            self._confirm_en(ans, edition.group(1) + "年版" in self._clause_norm(ans.clauses[0]))
        elif yes_no and lang == "en" and ans.verdict is None and ans.clauses[:1] and ans.clauses[0] in ("att1", "att2", "att3") \
                and frame.en_count_claim(text) is not None:
            n, what = frame.en_count_claim(text)  # "Does attachment 1 have five parts?"
            form = ans.clauses[0]
            true_n = len([c for c in self.kb.clauses if re.fullmatch(re.escape(form) + r"\.n\d+", c)]) if what == "notes" \
                else len(frame._ITEM_SEP.findall(self._clause_norm(form)))
            if true_n:
                verdict = "yes" if n == true_n else "no"
                ans.verdict = verdict
                ans.text = self.reply(lang, f"count_{what}_{verdict}", form=self.reply(lang, "form_" + form), n=true_n) + "\n\n" + ans.text
        elif yes_no and lang == "en" and ans.verdict is None and ans.clauses[:1] and ans.clauses[0] in self.kb.clauses:
            # "Is 人社职司便函〔2019〕52号 one of the documents this notice is based on?": the Chinese words quoted
            # are the clause's own
            said = frame.quoted_cjk(text, self._clause_norm(ans.clauses[0]), lambda x: self._norm(x, "zh"))
            if said is not None:
                self._confirm_en(ans, said)
        if yes_no and ans.verdict in ("yes", "no"):
            st = self._statement(texts)
            consumed = (st.when + st.unless) if st is not None and ans.clauses[:1] == [st.clause] else []
            if frame.negated_confirmation(m.norm, consumed) if lang == "zh" else \
                    frame.negated_confirmation_en(unless_en(text.lower()), consumed):  # "不用合并单元格对吧": right, no need
                ans.verdict = "yes" if ans.verdict == "no" else "no"
                head = self.reply(lang, "confirm_" + ans.verdict)
                ans.text = head + re.sub(r"^(是的|不是)。", "", ans.text) if lang == "zh" else \
                    head.rstrip() + " " + re.sub(r"^(Yes|No)[.,]\s*", "", ans.text)  # "Right. Teachers …", not "Right. No."
            elif consumed and (frame.omission(m.norm, consumed) if lang == "zh" else
                               frame.omission(text.lower(), consumed, "en")):
                # "附件1可以不盖章吗": the statement says what is required; leaving it out is the opposite answer
                ans.verdict = "yes" if ans.verdict == "no" else "no"
                rest = re.sub(r"^(需要|要|是的|可以|不可以|不需要|不用)[。，,]|^(Yes|No)[.,]\s*", "", ans.text)
                head = self.reply(lang, "omit_" + ans.verdict)
                ans.text = head + rest if lang == "zh" else head.rstrip() + " " + rest
        if ans.state.get("asked_raw") and ans.verdict != "conditional":
            ans.state = {**ans.state, "asked_raw": ""}  # fix26: only a conditional answer is asked again with facts
        return ans

    # ------------------------------------------------------------ the frame: what the question states and asks

    @staticmethod
    @functools.lru_cache(maxsize=1024)  # (asked again of the same text by the engine's steps)
    def _is_question(seg: str) -> bool:
        lang = detect_lang(seg)
        if lang == "en":
            return bool(re.search(r"\?\s*$", seg) or WH_EN.search(seg) or is_yes_no(seg, lang))
        if _OPENS_LATIN.match(seg) and WH_EN.search(seg):
            return True  # fix27: "What's the 发文日期": an English question naming a Chinese term
        seg = NOT_JI.sub("", seg)  # "开展认定好几年了" states, it does not ask
        seg = _ANY_NONE.sub("", seg)  # fix30: "我们啥资质都没有" states
        seg = _QUOTED.sub("", seg)  # "违反“谁评价、谁发证”…": quoted words do not ask
        # "…？第五项呢": a noun phrase with 呢 asks the same about it
        return bool(STRONG_WH_ZH.search(seg) or WH_ZH.search(seg) or is_yes_no(seg, lang) or re.search(r"[?？]\s*$", seg))

    def _is_part_question(self, seg: str) -> bool:
        """A part of a compound question: also "…？第五项呢", where a short noun phrase with 呢 asks the same about it."""
        return self._is_question(seg) or bool(ELLIPTIC_ZH.search(seg) and not STATIVE_NE.search(seg))

    def _compound(self, qid, raw, core, lang, state, profile, notes) -> Answer | None:
        """"哪天发的，依据哪些文件": each question answered, the first asked first."""
        parts = frame.split_questions(core, lang, self._is_part_question)
        if len(parts) < 2 or len(parts) > 4:
            return None
        if len(parts) == 2 and CHOICE_PART.search(parts[1]) and WH_PART.search(parts[0]):
            # try28: "机构类型填啥，我们填技工院校还是社会培训评价组织", "交给谁？省里还是市里": one question and its choices,
            # answered once (the wh-question's answer says which choice, or that the notice does not)
            a = self.answer(parts[0], state=state, profile=profile, qid=qid)
            a.question = raw
            return a if a.clauses else None
        answers, st = [], state
        for i, p in enumerate(parts):
            # "…？第五项呢" continues the part before; "…？还有，没资格的学校学生咋办" is a question of its own
            own = i > 0 and len(p) > 8 and (NEW_QUESTION_ZH.search(p) or not (is_followup_form(p, lang) or ELLIPTIC_ZH.search(p)))
            # fix27: "What's the 发文日期 and who …": a part of an English question that begins in English stays English
            hint = "en" if lang == "en" and _OPENS_LATIN.match(p) else None
            a = self.answer(p, state=state if own else st, profile=profile, lang_hint=hint)
            if i > 0 and answers[-1].clauses and is_yes_no(p, lang) and not (a.verdict and set(a.clauses) & set(answers[-1].clauses)):
                # fix37 (try29): "附件3级别怎么填，能写成5,4,3吗": a yes/no part that names no subject of its own is
                # asked of the part before (as a follow-up turn would be), not declined
                m = STRONG_WH_ZH.search(parts[i - 1]) if lang == "zh" else None
                subject = parts[i - 1][:m.start()].strip() if m else ""
                if len(subject) >= 2 and not is_yes_no(subject, lang):
                    b = self.answer(subject + p, state=state, profile=profile, lang_hint=hint)  # "附件3级别" + "能写成…吗"
                    if b.clauses and b.verdict and set(b.clauses) & set(answers[-1].clauses):
                        a = b
            st = a.state
            answers.append(a)
        dependent = False
        for i in range(1, len(parts)):
            # "考评员证咋考 需要啥条件": conditions of what the part before asks about (GENERIC_FOLLOWUP, holdout21);
            # fix23: "人社部发〔2019〕90号是什么文件，主要规定了什么": a dependent part after a covered one asks what its
            # subject (named before) leaves out
            if answers[i].clauses and (
                    (not answers[i - 1].clauses and (frame.DEPENDENT_PART.search(parts[i]) or frame.GENERIC_FOLLOWUP.search(parts[i])))
                    or (frame.DEPENDENT_PART.search(parts[i]) and frame.unsupplied_ask(
                        self.kb.asks, [self._norm(parts[i - 1] + ("，" if lang == "zh" else ", ") + parts[i], lang)]))):
                answers[i] = self._not_covered(None, parts[i], lang, self.matcher.match(parts[i], lang), [], state)
                dependent = True
        covered = [a for a in answers if a.clauses]
        if not covered and (dependent or any(frame.unsupplied_ask(self.kb.asks, [self._norm(p, lang)] + ([p.lower()] if lang == "en" else []))
                                             for p in parts)):
            # "个税能抵扣吗？具体怎么操作", "评价费用由谁承担，学员自己交还是财政补": neither part is the notice's
            return self._not_covered(qid, raw, lang, self.matcher.match(core, lang), notes, state)
        if not covered or (len(covered) < 2 and len(answers) - len(covered) != 1):
            return None  # nothing covered, or one part among several: the whole question decides
        if len(covered) >= 2 and len({tuple(a.clauses[:1]) for a in covered}) < 2:
            if len({a.intent for a in covered}) < 2:
                return None  # one topic asked twice: the whole question answers it
            covered = [covered[0]] + [a for a in covered[1:] if a.intent != covered[0].intent]
        clauses: list[str] = []
        for a in covered:
            clauses += [c for c in a.clauses if c not in clauses]
        # try30: two parts that one answer answers ("材料交给谁，省属的交省厅还是市局": the same topic and clauses) are
        # answered once, under both questions, in the words of the part that states more of the school's facts
        groups: list[tuple[list[str], Answer]] = []
        for p, a in zip(parts, answers):
            same = next((g for g in groups if a.clauses and g[1].clauses and g[1].intent == a.intent
                         and g[1].clauses == a.clauses and g[1].verdict == a.verdict), None)
            if same is None:
                groups.append(([p], a))
                continue
            same[0].append(p)
            if len(facts_in(p, self.kb.lexicon, self._norm(p, lang))) > len(facts_in(same[0][0], self.kb.lexicon, self._norm(same[0][0], lang))):
                groups[groups.index(same)] = (same[0], a)
        texts, quoted, missed = [], set(), False
        did_you_mean = self.reply(lang, "did_you_mean")
        for ps, a in groups:
            head = ("【" + "；".join(ps) + "】") if lang == "zh" else ("[" + "; ".join(ps) + "]")
            if a.clauses:
                paras = []
                for para in a.text.split("\n\n"):
                    q = QUOTE_HEAD.match(para)
                    if q and q.group(0) in quoted:
                        continue  # try30: a clause quoted under an earlier part is not quoted again
                    if q:
                        quoted.add(q.group(0))
                    paras.append(para)
                body = "\n\n".join(paras)
            else:
                # try30: the part the notice does not cover keeps its reason (and the related clause); the contacts
                # follow once, after all parts
                paras = a.text.split("\n\n")
                cut = next((i for i, x in enumerate(paras) if x.startswith(did_you_mean)), len(paras))
                body = "\n\n".join(paras[:max(cut, 1)])
                missed = True
            texts.append(head + "\n" + body)
        if missed and not any("contacts" in a.clauses for a in covered):  # (not when a part already gives them)
            texts.append(self.contacts_text(lang))
        first = covered[0]
        verdict = next((a.verdict for a in answers if a.verdict), None)
        return Answer(qid, raw, lang, first.intent, first.score, clauses, verdict, "\n\n".join(notes + texts),
                      state={**covered[-1].state, "lang": lang})

    def _elliptic_swap(self, core: str, asked: str) -> str | None:
        """fix28: "网址呢" after "附件3的机构简称必填吗": the question before, its element of the same kind
        (one pattern of its statement matches both, or both are attachments, levels …) replaced by the one
        named; None when nothing fits."""
        m = ELLIPTIC_ZH.search(core)
        if not m or STATIVE_NE.search(core):
            return None
        x = re.sub(r"^\s*(那么|那|还有)|呢\s*$", "", core.strip()).strip()
        x = self._norm(x, "zh") if x else ""
        if not x or len(x) > 8:
            return None
        st = self._statement([asked])
        for p in (st.when if st is not None else ()):  # a pattern of its statement that matches both
            hit = frame.rx(p).search(asked)
            if hit and frame.search(p, [x]):  # (the same element named again: the same question)
                return asked[:hit.start()] + x + asked[hit.end():]
        kinds = [frame.SLOTS[k] for k in ("attachment", "level", "affiliation", "colour")] + [ELLIPTIC_KINDS]
        for kind in kinds:  # a detail of the same kind (附件1 → 附件3, 顿号 → 逗号)
            a, b = kind.search(asked), kind.fullmatch(x)
            if a and b:
                return asked[:a.start()] + x + asked[a.end():]
        return None

    def _statement(self, texts: list[str]):
        """The notice's statement a yes/no question is about (asked up to three times per answer: kept for the
        few latest questions only, so that a benchmark repeating questions measures no cache)."""
        key = tuple(texts)
        if key not in self._statements:
            if len(self._statements) > 8:
                self._statements.clear()
            self._statements[key] = frame.statement_for(self.kb.statements, texts)
        return self._statements[key]

    def _followup_statement(self, texts: list[str], state: dict, intent: Intent):
        """A short yes/no follow-up on the same topic that leaves its subject to the question before
        ("附件3级别怎么填" → "用逗号隔开行不"): the statement of that topic's clause that the two questions
        together match, provided the follow-up itself says something the question before did not."""
        prev = self.kb.intents.get(state.get("intent")) if isinstance(state.get("intent"), str) else None
        prev_norm = state.get("norm")
        if prev is None or not isinstance(prev_norm, str) or not intent.clauses or prev.clauses[:1] != intent.clauses[:1]:
            return None
        if self._statement(texts) is not None:
            return None
        st = frame.statement_for(self.kb.statements, texts + [prev_norm], {intent.clauses[0]})
        if st is None or not any(frame.search(p, texts) and not frame.search(p, [prev_norm]) for p in st.when) \
                and not any(hit.group(0) not in prev_norm for p in st.when for t in texts
                            for hit in [frame.rx(p).search(t)] if hit):  # fix29: "…承诺谁签字" → "要盖章吗": 盖章 is new
            return None
        return st

    def _quoted_clause(self, text: str, lang: str) -> str | None:
        """The one clause a question quotes (8 characters or more, found in that clause's text and no other
        rule's), else None."""
        for m in frame._QUOTE.finditer(text):
            q = re.sub(r"[……。，,、\s.]+", "", self._norm(m.group(1), lang))
            if len(q) < 8:
                continue
            # the forms' own text is labels: a field named in quotes ("“组织优势、专业优势等情况”") is not a quote of a rule
            hits = [cid for cid in self.kb.clauses if cid not in ("att1", "att2", "att3", "meta")
                    and q in re.sub(r"[，,、\s。]+", "", self._clause_norm(cid))]
            if len(hits) == 1:  # a form's field named in quotes is in the form and in its note: no single clause
                return hits[0]
        return None

    def _document_refs(self, norm: str) -> list[str]:
        """"鲁人社字〔2020〕50号是什么文件": a document the notice cites points to the clause citing it."""
        out, nums = [], []
        if "号" not in norm:  # (session 18: every number looked for ends in 号: none can be named)
            return out
        for d in self.kb.facts.get("document", []):
            num = _DOC_NUMBER.search(d["code"])
            if num and num.group(0) in norm:
                nums.append(num.group(0))
                if d["clause"] not in out:
                    out.append(d["clause"])
        if len(nums) > 1:  # fix22: "按鲁人社字〔2020〕49号和50号文件做好制度建设吗": the clause citing all of them (3.4) leads
            both = [c for c in out if all(n in self._clause_norm(c) for n in nums)]
            out = both[:1] + [c for c in out if c not in both[:1]]
        return out

    def _domain(self) -> frozenset:
        """Words of the notice and of the in-scope phrasings (two characters or more): a Chinese question
        with none of them ("财务上怎么走账") is not about the notice, whatever topic scores best."""
        if self._domain_words is None:
            words = set()
            for cid in self.kb.clauses:
                words.update(self.kb.tokens.zh(self._clause_norm(cid)))
            for p in self.kb.phrasings:
                it = self.kb.intents.get(p["intent"])
                if p["lang"] == "zh" and it is not None and not it.out_of_scope and not it.smalltalk:
                    words.update(p["tokens"])
            for it in self.kb.intents.values():
                if not it.out_of_scope and not it.smalltalk:
                    words.update(k for k in it.keywords if k)
            self._domain_words = frozenset(w for w in words if len(w) >= 2 and w not in GENERIC_WORDS)
        return self._domain_words

    def _foreign_words(self, tokens: list[str]) -> list[str]:
        """fix33: the content words of a question that no clause or in-scope phrasing uses ("文凭", "大专")."""
        domain = self._domain()
        return [t for t in tokens if len(t) >= 2 and t not in domain and not any(d in t for d in DOMAIN_EXTRA)
                and t not in GENERIC_WORDS and not QUESTION_WORDS.search(t)]

    def _foreign_predicate(self, norm: str) -> bool:
        """fix33: what a yes/no question asks may be done ("…可以申请贷款吗", "…能开设新专业吗") says a word no clause uses
        and no word of certification: whoever the subject is, the notice does not answer it."""
        found = list(MODAL_ZH.finditer(norm))
        if not found or len(norm) > 40:  # a long question states its case before; its last clause is not all it asks
            return False
        tokens = self.kb.tokens.zh(norm[found[-1].end():])
        foreign = [t for t in self._foreign_words(tokens) if sum(ch not in FUNCTION_CHARS for ch in t) >= 2]
        domain = self._domain()
        return bool(foreign) and not any(CERTIFY_WORDS.search(t) or EXPLAIN_WORDS.search(t) for t in tokens) \
            and not any(t in domain and t not in PREDICATE_VERBS for t in tokens)

    def _subject_only(self, tokens: list[str]) -> bool:
        """fix33: the notice's words in the question only name whom it is about (学生, 教师, 技工院校) and another
        word says what is asked of them ("技工院校教师能兼职吗", "技校生可以入党吗", "学生有没有医保"): not the notice's."""
        domain = self._domain()
        known = [t for t in tokens if t in domain or any(d in t for d in DOMAIN_EXTRA)]
        other = [t for t in tokens if t not in known and len(t) >= 2 and t not in GENERIC_WORDS
                 and not QUESTION_WORDS.search(t) and not CERTIFY_WORDS.search(t)
                 and not PARTY_TOKEN.search(t)  # try28: "老师是外校的也能评吗": 外校 names whom too
                 and sum(ch not in FUNCTION_CHARS for ch in t) >= 2]  # "前能", "中不中", "能办": the segmenter's scraps
        if any(t in LEVEL_ZH for t in known) and any(CERTIFY_VERB.search(t) for t in tokens if t not in known):
            return False  # review16: "青年教师能评二级吗": certifying them at a level is the notice's own question
        return bool(known) and bool(other) and all(t in SUBJECT_WORDS for t in known)

    def _clause_norm(self, cid: str) -> str:
        """A clause's text normalised as questions are (老师 → 教师 …), for comparing words."""
        if cid not in self._clause_norms:  # an engine serves one knowledge base: its clauses are few and fixed
            self._clause_norms[cid] = normalize_zh(self.kb.clauses[cid]["text"], self.kb.lexicon)
        return self._clause_norms[cid]

    def _norm(self, text: str, lang: str) -> str:
        return normalize_zh(text, self.kb.lexicon) if lang == "zh" else normalize_en(text, self.kb.lexicon)

    def _settle(self, ans: Answer, verdict: str, cid: str, head: str) -> None:
        """A claim weighed against clause `cid`: that clause leads, quoted under `head`."""
        ans.verdict = verdict
        ans.clauses = [cid] + [c for c in ans.clauses if c != cid]
        ans.text = head + self.quote(cid, ans.lang) + "\n\n" + ans.text

    def _confirm_en(self, ans: Answer, ok: bool) -> None:
        """An English claim found true or false: Yes./No. before the topic's answer."""
        ans.verdict = "yes" if ok else "no"
        ans.text = self.reply("en", "yes_fixed" if ok else "no_fixed") + " " + ans.text

    def _routed(self, cid: str, intent_name, score: float) -> tuple:
        """The topic of clause `cid` with at least the covering score, or the topic as it was."""
        target = self._intent_for_clause(cid)
        if target is None:
            return intent_name, score
        return target.name, max(score, self.settings["abstain_below"])

    def _intent_for_clause(self, cid: str) -> Intent | None:
        for it in self.kb.intents.values():
            if it.clauses and it.clauses[0] == cid and not it.out_of_scope:
                return it
        return None

    def _frame_answer(self, qid, raw, lang, texts, slots, facts, score, notes, new_state, intent: Intent,
                      ask_texts: list[str] | None = None):
        """Yes/no questions answered from the frame: a statement of the notice, who asks about whom,
        the registered training level. Returns an Answer, or the intent to answer from, or None."""
        if frame.third_party_unqualified(texts) and any(frame.ENTRUST.search(t) for t in texts) \
                and "teacher" in slots["groups"] and "student" not in slots["groups"] and not frame.third_party_qualified(texts):
            # try30: "老师能委托没有社评的学校认定吗": another school certifies teachers only with 社评资质 (3.3)
            target = self._intent_for_clause("3.3") or intent
            return self._compose(qid, raw, lang, target, score, ["3.3"], "no", self.reply(lang, "serve_no"),
                                 facts, slots, notes, new_state)
        if frame.third_party_unqualified(texts) and any(frame.ENTRUST.search(t) for t in texts):
            # the party to be entrusted lacks 社评资质: no (3.1), whatever else is stated ("我们没有资格，
            # 想委托隔壁技校，可他们也没有社评资质") and before any statement about entrusting in general
            target = self._intent_for_clause("3.1") or intent
            return self._compose(qid, raw, lang, target, score, ["3.1"], "no", self.reply(lang, "entrust_no_social"),
                                 facts, slots, notes, new_state)
        roles = frame.party_roles(texts[0], lambda t: facts_in(t, self.kb.lexicon, t)) if lang == "zh" else None
        if roles is not None:  # "甲校只有学生认定资格没社评资质 … 乙校的学生可以委托甲校认定吗": the named party's facts decide
            kind, party = roles
            social = party.get("social_org_qualified")
            if kind == "entrust" and social is False:
                target = self._intent_for_clause("3.1") or intent
                return self._compose(qid, raw, lang, target, score, ["3.1"], "no", self.reply(lang, "entrust_no_social"),
                                     facts, slots, notes, new_state)
            if kind == "certify_other":  # "甲校能给乙校学籍的学生直接认定吗": another school's students (3.3, 3.1)
                verdict = "yes" if social is True else "no" if social is False else "conditional"
                key, clauses = "serve_" + verdict, ["3.3", "3.1"]
                if verdict == "no" and party.get("student_cert_qualified") is True:
                    key, clauses = "serve_no_registered", ["1.1", "3.3", "3.1"]
                target = (self.kb.intents.get("student_levels") if clauses[0] == "1.1" else None) \
                    or self._intent_for_clause(clauses[0]) or intent
                return self._compose(qid, raw, lang, target, score, clauses, verdict, self.reply(lang, key),
                                     facts, slots, notes, new_state)
        absent = frame.field_not_in_form(self.kb.facts.get("form_only_field", []), texts)
        if absent is not None:  # "附件1里要填单位网址吗": that form has no such field
            form, field, other = absent
            target = self._intent_for_clause(form) or intent
            head = self.reply(lang, "field_not_in_form", form=self.reply(lang, "form_" + form), field=field,
                              other=self.reply(lang, "form_" + other))
            return self._compose(qid, raw, lang, target, score, [form, other], "no", head, facts, slots, notes, new_state)
        claim = frame.form_part_claim(self.kb.facts.get("form_part", []), texts, ask_texts)
        if claim is not None:  # ("附件1第四项是场地，要附权属证明吧" asks about the proof: the asking segment decides)  # fix13: "附件2第一部分是组织机构及职责对吧": no, it is 总体规划、工作计划
            return self._form_part_answer(qid, raw, lang, claim, intent, score, facts, slots, notes, new_state)
        present = frame.field_in_form(self.kb.facts.get("form_only_field", []), texts)
        if present is not None:  # "附件3表里有备案号这一栏吗": that form has it
            form, field = present
            target = self._intent_for_clause(form) or intent
            head = self.reply(lang, "field_in_form", form=self.reply(lang, "form_" + form), field=field)
            return self._compose(qid, raw, lang, target, score, [form], "yes", head, facts, slots, notes, new_state)
        if lang == "zh":  # "附件1一共六部分？", "附件3注释有五条吧": count the form's parts or notes
            named = [k for k in ("att1", "att2", "att3") if frame.FORM_NAMED_CASED[k].search(texts[0])]
            form = named[0] if len(named) == 1 else None
            notes_n = len([c for c in self.kb.clauses if form and re.fullmatch(re.escape(form) + r"\.n\d+", c)])
            counted = frame.count_claim(texts[0], form, self._clause_norm(form), notes_n) if form else None
            if counted is not None:
                verdict, n, what = counted
                head = self.reply(lang, f"count_{what}_{verdict}", form=self.reply(lang, "form_" + form), n=n)
                target = self._intent_for_clause(form) or intent
                return self._compose(qid, raw, lang, target, score, [form], verdict, head, facts, slots, notes, new_state)
        if lang == "zh":  # "附件1第三项是写场地设备的吧": the form's numbered items say which holds it
            named = [k for k in ("att1", "att2") if frame.FORM_NAMED_CASED[k].search(texts[0])]
            form = named[0] if len(named) == 1 else (intent.clauses[0] if intent.clauses[:1] in (["att1"], ["att2"]) else None)
            item = frame.item_claim(texts[0], self._clause_norm(form), self.kb.tokens.zh) if form else None
            if item is not None:
                verdict, num = item
                asked = frame._ITEM_NUM.get(frame._ITEM_ASKED.search(texts[0]).group(1), frame._ITEM_ASKED.search(texts[0]).group(1))
                head = self.reply(lang, "item_" + verdict, form=self.reply(lang, "form_" + form), item=num, asked=asked)
                target = self._intent_for_clause(form) or intent
                return self._compose(qid, raw, lang, target, score, [form], verdict, head, facts, slots, notes, new_state)
        st = self._statement(texts)
        if st is not None and st.verdict == "yes" and st.clause in ("2.3", "1.1", "2.1", "3.1", "3.3") \
                and any(v is False for k, v in slots["facts"].items()
                        if k in ("social_org_qualified", "student_cert_qualified", "runs_prep_technician_class", "runs_senior_class")):
            st = None  # "有社评资质，但没有预备技师班也没有高级技工班，能对本校教师开展二级、三级认定吗": the rules weigh the facts
        if st is None and intent.clauses[:1] and intent.clauses[0].startswith("att") and intent.clauses[0] in self.kb.clauses \
                and len(texts[0]) <= 14 and not any(p.search(t) for p in frame.FORM_NAMED_I.values() for t in texts):
            # fix23: "用逗号隔开行不行" on 附件3注5's topic: the subject (级别) is the topic's, the rest the question's
            # (a short question naming no form: "附件3的级别最高能写到1吗" names its subject and is not elliptic)
            st = frame.elliptic_statement(self.kb.statements, texts, intent.clauses[0], self._clause_norm(intent.clauses[0]))
        if st is not None:
            target = intent if intent.clauses[:1] == [st.clause] else (self._intent_for_clause(st.clause) or intent)
            target = self.kb.intents.get(st.topic) or target  # fix38: a statement may name its topic
            head = (st.say_zh if lang == "zh" else st.say_en) or self.reply(lang, {"yes": "yes_fixed", "no": "no_fixed"}[st.verdict])
            verdict = st.verdict
            if st.may and asks_must(texts[0], lang):
                # session 18: "附件2必须加其他内容吗": the notice permits it (可…增加), it does not require it
                verdict, head = "no", self.reply(lang, "may_not_must") + ("" if lang == "zh" else " ") + _VERDICT_LEAD.sub("", head, count=1)
            head = verdict_word(head, texts[0]) if lang == "zh" else head
            cited = [st.clause] + [c for c in st.also if c != st.clause]  # fix38: a statement may name more clauses
            ans = self._compose(qid, raw, lang, target, score, cited, verdict, head, facts, slots, notes, new_state)
            if verdict != st.verdict:  # (the topic's text below the head opens with the permission's own 可以/Yes)
                ans.text = _BODY_VERDICT_LEAD.sub(r"\1", ans.text)
            return ans
        w = frame.who_and_what(texts, slots["groups"])
        if ask_texts and w.action in ("entrust", "self", "elsewhere"):
            # "之前一直委托别的学院认定，现在能自己直接给学生认定了吧": what was done before is background;
            # the action asked about is in the asking segment
            wa = frame.who_and_what(ask_texts, slots["groups"])
            if wa.action in ("entrust", "self", "elsewhere"):
                w = wa
        if not w.action and "teacher" in slots["groups"] and frame.GENERIC_TEACHERS.search(to_simplified(raw)) \
                and any(frame.QUALIFIED_SUBJECT.search(t) for t in texts):
            # "具备社评资质的技校，并非不能给技工院校教师认定吧": teachers of technical schools in general (3.3)
            w = frame.Who("other_teachers", "serve")
        outside = any(frame.OUTSIDE_ASKER.search(t) for t in texts)
        if any(frame.STUDENT_ASKER.search(t) for t in texts) and facts.get("student_cert_qualified") is False \
                and not any(frame.SCHOOL_SUBJECT.search(t) for t in texts) \
                and w.action in ("", "self", "elsewhere"):
            # "我是学生，我们学校没有认定资格，我还能认定吗": yes, through a school that may certify them (3.1, 3.3)
            target = self._intent_for_clause("3.1") or intent
            return self._compose(qid, raw, lang, target, score, ["3.1", "3.3"], "yes", self.reply(lang, "student_elsewhere_yes"),
                                 facts, slots, notes, new_state)
        if w.action == "serve":
            social = facts.get("social_org_qualified")
            if social is None and any(frame.QUALIFIED_SUBJECT.search(t) for t in texts):
                social = True  # "有社评资质的技校可以给…认定，是真的吗": the subject named holds it
            verdict = "yes" if social is True else "no" if social is False else "conditional"
            # the words as written ("students from another school" is not entrusting, whatever the English glossary maps)
            entrust = bool(frame.ENTRUST.search(texts[-1]))
            clauses = ["3.3"] if w.about in ("other_teachers", "trainees") else (["3.1", "3.3"] if entrust else ["3.3", "3.1"])
            key = "serve_" + verdict
            if w.about == "trainees" and outside and social is None:
                # "我是企业HR，学徒能到技工院校认定吗": the asker chooses the school, so yes, at one that holds it
                verdict, key, clauses = "yes", "trainees_outside_yes", ["3.3", "3.5"]
            elif w.about == "other_students" and not entrust and facts.get("student_cert_qualified") is True \
                    and (verdict == "no" or (verdict == "conditional" and any(frame.DIRECT_1_1.search(t) for t in texts))):
                # fix29: "…学籍在外校…我们有学生认定资格，能直接给他认定吗": direct certification (1.1) is for our own students
                # "外校学籍的学生，我们只有学生认定资格": that qualification covers the school's own registered students (1.1)
                verdict, key, clauses = "no", "serve_no_registered", ["1.1", "3.3", "3.1"]
            target = (self.kb.intents.get("student_levels") if clauses[0] == "1.1" else None) \
                or self._intent_for_clause(clauses[0]) or intent
            head = self.reply(lang, key)
            if w.about == "other_teachers":  # try28: "老师是外校的也能评吗": within the filed social scope, not 2.3
                head += ("\n\n" if head else "") + self.reply(lang, "other_teachers_scope")
            return self._compose(qid, raw, lang, target, score, clauses, verdict, head,
                                 facts, slots, notes, new_state)
        if w.action == "elsewhere" and w.about == "own_students":
            # another school certifying our students is entrusting (3.1): it depends on our qualification
            if frame.third_party_unqualified(texts):
                target = self._intent_for_clause("3.1") or intent
                return self._compose(qid, raw, lang, target, score, ["3.1"], "no", self.reply(lang, "entrust_no_social"),
                                     facts, slots, notes, new_state)
            if facts.get("student_cert_qualified") is False and frame.body_party_unnamed_status(texts):
                # fix29: "培训公司能给我们学生认定吗？我们没有学生认定资格": yes if that body holds 社评资质 (3.1), not said
                target = self._intent_for_clause("3.1") or intent
                return self._compose(qid, raw, lang, target, score, ["3.1"], "conditional",
                                     self.reply(lang, "entrust_depends_party"), facts, slots, notes, new_state)
            return self.kb.intents.get("entrust_certification", intent)
        if w.action == "elsewhere" and w.about == "own_teachers" and frame.third_party_unqualified(texts) \
                and not frame.third_party_qualified(texts):  # ("我在一所没有社评资质的技工学校教书，可以去有社评资质的…": the asker's own)
            # try30: "本校老师能去别的没有社评资质的技师学院认定吗": certifying another school's teachers needs 社评资质 (3.3)
            target = self._intent_for_clause("3.3") or intent
            return self._compose(qid, raw, lang, target, score, ["3.3"], "no", self.reply(lang, "serve_no"),
                                 facts, slots, notes, new_state)
        if w.action == "elsewhere":
            # try30: a teacher certified by another school is 3.3's alone (the students' entrusting, 3.1, is not asked)
            clauses = ["3.3"] if w.about == "own_teachers" else ["3.1", "3.3"]
            target = self._intent_for_clause(clauses[0]) or intent
            key = "elsewhere_teacher_yes" if w.about == "own_teachers" else "elsewhere_yes"
            return self._compose(qid, raw, lang, target, score, clauses, "yes", self.reply(lang, key),
                                 facts, slots, notes, new_state)
        if w.action == "entrust":
            if frame.third_party_unqualified(texts):
                target = self._intent_for_clause("3.1") or intent
                return self._compose(qid, raw, lang, target, score, ["3.1"], "no", self.reply(lang, "entrust_no_social"),
                                     facts, slots, notes, new_state)
            if facts.get("student_cert_qualified") is False and "teacher" not in slots["groups"] \
                    and frame.third_party_unnamed_status(texts):
                # "我们没有资格，能委托隔壁技师学院吗": yes if that school holds 社评资质 (3.1), which is not said
                target = self._intent_for_clause("3.1") or intent
                return self._compose(qid, raw, lang, target, score, ["3.1"], "conditional",
                                     self.reply(lang, "entrust_depends_party"), facts, slots, notes, new_state)
            if intent.rule != "entrust_students" and "teacher" not in slots["groups"]:
                return self.kb.intents.get("entrust_certification", intent)
        if intent.rule == "entrust_students" and "teacher" not in slots["groups"] \
                and ((w.action == "self" and w.about == "own_students")
                     or (not w.action and facts.get("student_cert_qualified") is True)):
            # "有学生认定资格的学校能给学生认定吗": certifying its own students, not entrusting them (1.1)
            return self.kb.intents.get("student_levels", intent)
        if facts.get("institution_type") not in (None, rules.TECHNICAL_SCHOOL) and intent.rule not in rules.RULES \
                and any(re.search(r"申报|申请|apply", t) for t in texts):
            # "我们是行业协会，能用这个通知申报吗": the rule for that kind of body answers
            return self.kb.intents.get("apply_social_org", intent)
        if intent.rule in ("certify_social_persons", "certify_teachers") and facts.get("social_org_qualified") is None \
                and any(frame.QUALIFIED_SUBJECT.search(t) for t in texts):
            # "社会人员能到具备社评资质的技工院校参加认定吗": the school asked about holds it (not the asker's profile)
            facts["social_org_qualified"] = True
            facts["_assumed"] = ("social_org_qualified",)
        if intent.rule == "certify_students" or (intent.clauses and intent.clauses[0] == "1.1"):
            reg, asked = frame.registered_level(texts[0])
            if reg and asked and reg != asked:
                names = {l["n"]: l[lang] for l in self.kb.facts["level"]}
                training = {l["n"]: l["training"] or l[lang] for l in self.kb.facts["level"]}
                head = self.reply(lang, "level_mismatch", reg=training[reg], reg_level=names[reg], asked_level=names[asked])
                return self._compose(qid, raw, lang, intent, score, ["1.1"], "no", head, facts, slots, notes, new_state)
            if reg:
                key = {3: "runs_senior_class", 2: "runs_prep_technician_class"}.get(reg)
                if key:
                    facts.setdefault(key, True)  # registered at that level: the school runs that class
                if not slots["levels"]:
                    slots["levels"] = [reg]
        return None

    def _form_part_answer(self, qid, raw, lang, claim, intent: Intent, score, facts, slots, notes, new_state) -> Answer:
        """fix13: a form's part named by its number and by its words (frame.form_part_claim)."""
        form, n, m, _ = claim
        parts = {p["n"]: p for p in self.kb.facts.get("form_part", []) if p.get("form") == form}
        key = "name_" + lang
        cn = "零一二三四五六七八九"
        num = (lambda k: cn[k]) if lang == "zh" else str
        unit = {"att2": "部分", "att1": "项", "att1.pledge": "条"}[form] if lang == "zh" else \
            {"att2": "Part", "att1": "Item", "att1.pledge": "Item"}[form]
        verdict = "yes" if n == m else "no"
        head = self.reply(lang, "form_part_" + verdict, form=self.reply(lang, "form_" + form.replace(".", "_")), n=num(n),
                          m=num(m), unit=unit, name=parts[n][key] if n in parts else "", named=parts[m][key])
        target = self._intent_for_clause(form) or intent
        return self._compose(qid, raw, lang, target, score, [form], verdict, head, facts, slots, notes, new_state)

    def _compose(self, qid, raw, lang, intent: Intent, score, clauses, verdict, head, facts, slots, notes, new_state) -> Answer:
        clauses = list(clauses) + [c for c in intent.clauses if c not in clauses]
        body = self._body(intent, lang, facts, slots, None)
        parts = notes + [head, body] + [self.quote(c, lang) for c in clauses[:self.settings["quote_clauses"]]]
        return Answer(qid, raw, lang, intent.name, score, clauses, verdict, "\n\n".join(p for p in parts if p),
                      state={**new_state, "intent": intent.name})

    def _body(self, intent: Intent, lang, facts, slots, context) -> str:
        ctx = {"profile": facts, "slots": slots, "context": context, "lang": lang,
               "agency_zh": self.agency(facts, "zh"), "agency_en": self.agency(facts, "en")}
        return self.render(intent.answer_zh if lang == "zh" else intent.answer_en, **ctx)

    def _keyword_lost(self, whole: str, part: str, norm: str) -> bool:
        """fix34: "我们学校无法达到学生认定的标准要求，那学生是不是就没法参加技能等级认定了": the asking segment's own
        topic (3+2 students, 1.2) names none of its keywords, while the whole question's topic (entrusting, 3.1)
        has its keyword in the facts stated: those facts are the question's subject, the whole question decides."""
        if whole == part:
            return False
        kw_whole = [k for k in self.kb.intents[whole].keywords if k]
        kw_part = [k for k in self.kb.intents[part].keywords if k]
        return bool(kw_part) and not any(k in norm for k in kw_part) and any(k in norm for k in kw_whole)

    def _adjust(self, ranking: list[tuple[str, float]], slots: dict, norm: str) -> list[tuple[str, float]]:
        """Prefer topics about the group the question names (教师, 学生 …) and demote topics about
        another; prefer topics whose keywords the question contains."""
        asked = set(slots["groups"])
        out = []
        greets = None  # (searched once, for the first small-talk topic)
        for name, sc in ranking:
            intent = self.kb.intents[name]
            groups = set(intent.groups)
            if asked and intent.smalltalk:
                if greets is None:
                    greets = GREETING_WORD.search(norm) is not None
                if not greets:
                    sc -= self.settings["group_penalty"]  # fix37 (try29): "老师" alone names teachers; "老师好" greets
            if asked and groups & asked:
                sc += self.settings["group_bonus"]
            elif asked and groups:
                sc -= self.settings["group_penalty"]
            hits = 0
            for k in intent.keywords:
                if k and k in norm:
                    hits += 1
                    if hits == 2:  # (session 18: counted up to 2, all that counts)
                        break
            sc += self.settings["keyword_bonus"] * min(hits, 2)  # two key words say more than one
            if intent.clauses and intent.clauses[0] in slots.get("refs", ()):
                sc += self.settings["reference_bonus"]  # the question names the clause outright
            out.append((name, sc))
        out.sort(key=_SCORE, reverse=True)
        refs = slots.get("refs") or ()
        if refs and out:  # "附件3注释第6条说的啥": the clause named outright leads, even if no phrasing is close
            named = [n for n, it in self.kb.intents.items() if it.clauses and it.clauses[0] == refs[0]
                     and not it.out_of_scope]
            if named and out[0][0] != named[0]:
                top = out[0][1]
                out = [(named[0], top + 0.01)] + [(n, sc) for n, sc in out if n != named[0]]
        forms = [g for g in slots["groups"] if g in ("att1", "att2", "att3")]
        if out and len(forms) == 1 and self.kb.intents[out[0][0]].clauses[:1] == ["meta"] and FORM_TITLE.search(norm):
            # fix30: "附件3的全称叫什么": the title asked is the attachment's (its form's topic), not the notice's
            form = [n for n, it in self.kb.intents.items() if it.clauses[:1] == [forms[0]] and not it.out_of_scope]
            if form:
                out = [(form[0], out[0][1] + 0.01)] + [(n, sc) for n, sc in out if n != form[0]]
        return out

    def _topic_answer(self, qid, raw, lang, intent: Intent, score, slots, yes_no, facts, context,
                      notes, new_state, m: Match) -> Answer:
        """`facts`: the school's profile with what the question says about it laid over."""
        clauses = list(intent.clauses)
        if intent.name == "submit_where":
            # try27: "那调整范围报哪里" after questions on entrusting names its own subject: 3.2
            scope = context in ("adjust_scope", "att3_form", "att3_changes") or bool(frame.SCOPE_CHANGE_VERB.search(m.norm))
            clauses = ["3.2"] if scope else ["2.2"]
            context = "adjust_scope" if clauses == ["3.2"] else context
        verdict, head = None, []
        level = slots["levels"][0] if slots["levels"] else None
        known = self._profile_text(facts, lang)
        supposed_head = self._supposed_text(facts, lang)  # try28
        if yes_no and intent.rule in rules.RULES:
            outcome = rules.evaluate(intent.rule, facts, level)
            verdict = rules.verdict(outcome)
            reason, extra = self.reason(outcome, facts, lang)
            headline = self.reply(lang, verdict)
            if outcome.status == "already_has" and NEED_AGAIN.search(raw):
                # try27: "已经有社评资质了，还要再申报吗" asks whether it is needed: no, it is held already
                verdict, headline = "no", self.reply(lang, "no_need")
            if known and verdict != "conditional":
                headline = self.reply(lang, "for_profile", profile_text=known) + (" " if lang == "en" else "") + headline
            if supposed_head:  # try28: "假设已有社会培训评价组织资质，…", never as the school's
                headline = supposed_head + (" " if lang == "en" else "") + headline
            head.append(headline + (" " if lang == "en" and headline and reason else "") + reason)
            if verdict == "no" and extra:  # the clause that says why not leads ("尚未取得资格…" 3.1)
                clauses = [c for c in extra if c in self.kb.clauses] + [c for c in clauses if c not in extra]
            if outcome.needs:
                new_state["needs"] = list(outcome.needs)  # a bare "是"/"没有" next answers this (try27)
                words = self.kb.rules_text["facts"]
                sep = "；" if lang == "zh" else "; "
                head.append(self.reply(lang, "depends", needs=sep.join(words[n][lang] for n in outcome.needs)))
            clauses += [c for c in extra if c not in clauses]
        elif intent.rule in rules.RULES and (known or supposed_head):
            # not a yes/no question, but the school is known: say what applies to it
            outcome = rules.evaluate(intent.rule, facts, level)
            if outcome.status != "conditional":
                reason, extra = self.reason(outcome, facts, lang)
                if reason:
                    head.append((" " if lang == "en" else "").join(
                        x for x in (supposed_head, self.reply(lang, "for_profile", profile_text=known) if known else "", reason) if x))
                    if rules.verdict(outcome) == "no" and extra:
                        clauses = [c for c in extra if c in self.kb.clauses] + [c for c in clauses if c not in extra]
                    else:
                        clauses += [c for c in extra if c not in clauses]
        elif yes_no and intent.verdicts:
            for v in intent.verdicts:
                if "if" not in v or _search(v["if"], m.norm):
                    verdict = v["verdict"]
                    say = v.get("say_" + lang) or self.reply(lang, {"yes": "yes_fixed", "no": "no_fixed"}.get(verdict, verdict))
                    head.append(say)
                    break
        if (intent.name == "application_materials" or (intent.name == "submit_where" and clauses == ["2.2"])) \
                and facts.get("student_cert_qualified") is False \
                and facts.get("social_org_qualified") is not True and "2.1" in self.kb.clauses:
            # try28: "要交啥表" from a school that cannot apply yet (no student qualification: 2.1, 3.1): said first, not
            # the forms as if it could
            head.insert(0, self.reply(lang, "materials_cannot_apply_yet"))
            clauses += [c for c in ("2.1", "3.1") if c not in clauses]
        if intent.name == "student_levels" and not yes_no and WHICH_LEVEL.search(m.norm):
            # try28: "预备技师班学生毕业能认定到几级": the level asked for first (二级), then the table
            reg, _ = frame.registered_level(m.norm)
            if reg in TRAINING_WORDS:
                head.insert(0, self.reply(lang, "level_for_training", training=(TRAINING_WORDS if lang == "zh" else TRAINING_WORDS_EN)[reg],
                                          level=LEVEL_WORDS[lang][reg]))
        ctx = {"profile": facts, "slots": slots, "context": context, "lang": lang,
               "agency_zh": self.agency(facts, "zh"), "agency_en": self.agency(facts, "en")}
        body = self.render(intent.answer_zh if lang == "zh" else intent.answer_en, **ctx)
        parts = notes + head + [body]
        n_quote = self.settings["quote_clauses"]
        parts += [self.quote(c, lang) for c in clauses[:n_quote]]
        if len(clauses) > n_quote:
            parts.append(self.reply(lang, "see_also", ids="、".join(clauses[n_quote:]) if lang == "zh" else ", ".join(clauses[n_quote:])))
        return Answer(qid, raw, lang, intent.name, score, clauses, verdict, "\n\n".join(p for p in parts if p),
                      state=new_state)

    def _facts_noted(self, qid, raw, lang, stated: dict, profile: dict, state: dict, notes) -> Answer:
        """A turn that only states facts about the school, with no question before it to answer again: the
        facts are kept for the conversation, and what the notice lets the school do with them is listed
        (only the capabilities those facts decide)."""
        said = {**(state.get("facts") or {}), **stated}
        facts = {**profile, **said}
        lines, clauses = [], []
        for name, outcome in rules.evaluate_all(facts).items():
            if outcome.status == "conditional" or not any(k in stated for k in rules.DECIDE[name][1] + QUESTION_FACTS):
                continue
            cites = [c for c in self.kb.rules_text[name][outcome.status].get("clauses", []) if c in self.kb.clauses]
            clauses += [c for c in cites if c not in clauses]
            lines.append(self.reply(lang, "noted_line", what=CAPABILITY_WORDS[lang][name],
                                    status=status_word(name, outcome.status, lang), cites="、".join(cites)))
        known = self._school_text(facts, lang)
        if lines:
            text = "\n".join([self.reply(lang, "noted", profile_text=known)] + lines + [self.reply(lang, "noted_tail")])
        else:  # only 省属/市属 said: nothing the notice decides from it alone, the question is still to come
            text = self.reply(lang, "noted_only", profile_text=known)
        new_state = {**state, "facts": said, "lang": lang}  # the topic before (if any) stays the one a "那老师呢" follows
        return Answer(qid, raw, lang, "start_check", 1.0, clauses, None, "\n\n".join(notes + [text]), state=new_state)

    def _profile_text(self, facts: dict, lang: str) -> str:
        words = self.kb.replies[lang]["profile_words"]
        sep = "，" if lang == "zh" else ", "
        return sep.join(words[k][0 if facts[k] else 1] for k in PROFILE_KEYS if isinstance(facts.get(k), bool)
                        and k not in facts.get("_assumed", ()) and k not in facts.get("_supposed", ()))

    def _fact_words(self, facts: dict, keys, lang: str) -> str:
        """The named facts as words ("无社会培训评价组织资质，市属技工院校"): a correction's "已更正：…"."""
        words = self.kb.replies[lang]["profile_words"]
        aff = self.kb.replies[lang].get("affiliation_words", {})
        return ("，" if lang == "zh" else ", ").join(
            aff.get(facts[k], "") if k == "affiliation" else words[k][0 if facts[k] else 1] for k in keys)

    def _school_text(self, facts: dict, lang: str) -> str:
        """The profile's words with 省属/市属 first (fix37, try29: said or answered, it decides the agency inferred)."""
        aff = self.kb.replies[lang].get("affiliation_words", {}).get(facts.get("affiliation") or "")
        return ("，" if lang == "zh" else ", ").join(x for x in (aff, self._profile_text(facts, lang)) if x)

    def _supposed_text(self, facts: dict, lang: str) -> str:
        """try28: the facts a question supposes ("等有了社评资质…"): "假设已有社会培训评价组织资质："."""
        words = self.kb.replies[lang]["profile_words"]
        said = [words[k][0 if facts[k] else 1] for k in facts.get("_supposed", ()) if k in words and isinstance(facts.get(k), bool)]
        if not said:
            return ""
        known = self._profile_text(facts, lang)
        if lang == "zh":
            return "假设" + "，".join(said) + ("，" if known else "：")
        return "Supposing " + ", ".join(said) + (" —" if known else ":")

    def _supposed_keys(self, text: str, facts: dict) -> set:
        """try28: the facts stated only inside a supposition: those the question's other segments do not state."""
        segs = re.split(r"[，,。；;？?！!]|(?<=[a-z0-9])\.(?=\s|$)", text)
        real = "，".join(x for x in segs if x.strip() and not HYPOTHETICAL.search(x))
        real_facts = facts_in(real, self.kb.lexicon, self._norm(real, detect_lang(text))) if real else {}
        return {k for k, v in facts.items() if not k.startswith("_") and real_facts.get(k) != v}

    def _related(self, m: Match, cid: str, lang: str) -> bool:
        """Whether the question shares a distinctive word with clause `cid` (one that fewer than a third of the
        clauses use): only then is that clause shown as related context to a "not covered" answer (try26: a
        question about fees was pointed at 附件1)."""
        if lang == "zh":
            words = [t for t in m.tokens if len(t) >= 2 and t not in GENERIC_WORDS]
            texts = {c: self._clause_norm(c) for c in self.kb.clauses}
        else:
            words = [t for t in m.tokens if len(t) >= 4]
            texts = {c: (self.kb.clauses[c].get("title_en") or "").lower() for c in self.kb.clauses}
        return any(w in texts[cid] and sum(w in t for t in texts.values()) < len(texts) / 3 for w in words)

    def _not_covered(self, qid, raw, lang, m: Match, notes, state, ask: frame.Ask | None = None) -> Answer:
        suggestions = [n for n, s in m.ranking
                       if s >= self.settings["suggest_above"] and not self.kb.intents[n].out_of_scope
                       and not self.kb.intents[n].smalltalk][:3]
        if not suggestions:
            suggestions = ["apply_social_org", "teacher_certification", "student_levels"]
        parts = notes + [self.reply(lang, "not_covered")]
        if ask is not None:
            parts.append(ask.zh if lang == "zh" else ask.en)
            if ask.context in self.kb.clauses and self._related(m, ask.context, lang):
                c = self.kb.clauses[ask.context]
                parts.append(self.reply(lang, "related", id=ask.context, title=c["title_zh"] if lang == "zh" else c["title_en"]))
        parts.append(self.reply(lang, "did_you_mean") + "\n" +
                     "\n".join(f"{i}. {self.topic(n, lang)}" for i, n in enumerate(suggestions, 1)))
        parts.append(self.contacts_text(lang))
        return Answer(qid, raw, lang, None, m.score, [], None, "\n\n".join(parts), suggestions=suggestions,
                      state={**state, "lang": lang}, covered=False)


QUOTE_HEAD = lazy(r"^(依据〔[^〕]+〕|Source \[[^\]]+\])")


# session 18: long alternations of words searched in many texts that hold none of them, each measured over the labelled
# questions (time a search, as it is → looking for its words first): 7.5 → 3.7 µs, 3.5 → 2.5, 4.2 → 2.4, 7.6 → 4.0,
# 3.8 → 2.9, 4.0 → 2.9, 2.7 → 2.1, 1.4 → 0.5, 4.4 → 2.1, 2.1 → 1.2 (see `lazyre._gated`)
lazyre.gate(frame.MATERIALS_ASK, frame.REVIEW_ASK, frame.PLEDGE_ASK, frame.WHERE_TO_FILE, frame.RESPONSIBILITY_ASK,
            FACTS_SHOW, HYPOTHETICAL, text_mod.UNLESS, text_mod.UNLESS_EN, frame._ENUM,
            # (and these, each 0.3–0.8 µs a search less once the gate itself was made cheaper)
            text_mod._MD_MARKS, frame.REGISTERED, text_mod._BOTH_CLASSES_BEFORE, frame.PRIORITY_ASK, text_mod.YESNO_TAIL_EN,
            text_mod._CLASS_AFTER, text_mod.NOT_GROUP, text_mod._CLASS_BEFORE, text_mod.CONCESSIVE_WH_ZH,
            text_mod._SUBJECT_RE, text_mod._URL, frame.COORDINATION_ASK, frame.PART_ORDINAL)


_SCORE = operator.itemgetter(1)  # (a (name, score) pair's score: no Python function called per pair, session 18)


def _searched(pattern, texts) -> bool:
    """`any(pattern.search(t) for t in texts)` without making a generator (session 18: each one costs as much as a
    short search)."""
    for t in texts:
        if pattern.search(t):
            return True
    return False


def _search(pattern: str, text: str) -> bool:
    return re.search(pattern, text, re.I) is not None


# fix37 (try29): a verdict's reason and the topic's text often say the same sentence ("那我们得先干啥": 2.1 twice), and the
# agency's inference ("（通知原文；通知未写明报哪一级，推断：…请与联系人确认）") came 2–4 times in one answer
_AGENCY_NOTE = lazy(r"[（(](通知原文；|the notice's words; )[^（）()]*(?:[（(][^（）()]*[）)][^（）()]*)*(请与联系人确认|please confirm with the contacts)[）)]")
_PROFILE_HEAD = lazy(r"^(按贵校情况（[^）]*）：|For your school \([^)]*\): )")
_SENTENCE_END = lazy(r"(?<=[。！？])(?![）)”])|(?<=[.!?] )(?=[A-Z])")
# session 18: the same cuts, found as the end of what they follow (`_sentences`): `re` skips to a 。！？.!? at once
# instead of trying two look-behinds at every position (7.5 µs a question instead of 13.5)
_SENTENCE_ENDS = lazy(r"[。！？](?![）)”])|[.!?] (?=[A-Z])")
_QUOTE_PARA = ("依据〔", "Source [", "“", "另见", "See also", "【", "[")
# (what `_AGENCY_NOTE` and `_PROFILE_HEAD` must start with: a sentence without them is not searched, session 18)
_AGENCY_OPENS = ("通知原文；", "the notice's words; ")
_PROFILE_OPENS = ("按贵校情况（", "For your school (")


def _sentences(p: str) -> list[str]:
    """`_SENTENCE_END.split(p)`, the same pieces (the empty last one too)."""
    out, last = [], 0
    for m in _SENTENCE_ENDS.finditer(p):
        out.append(p[last:m.end()])
        last = m.end()
    out.append(p[last:])
    return out


def _has_agency_note(s: str) -> bool:
    return _AGENCY_OPENS[0] in s or _AGENCY_OPENS[1] in s


def _sentence_key(s: str) -> str:
    s = s.strip()
    if s.startswith(_PROFILE_OPENS):
        s = _PROFILE_HEAD.sub("", s)
    if _has_agency_note(s):
        s = _AGENCY_NOTE.sub("", s)
    # the letters and digits, as `re.sub(r"[\W_]+", "", s)` keeps them (`\w` is isalnum() or "_"): 40% quicker
    return "".join(filter(str.isalnum, s))


def _similar(a: str, b: str) -> bool:
    """difflib's ratio ≥ 0.8. Its matching blocks are a common subsequence, so rapidfuzz's ratio (from the longest
    common subsequence, in C) is never below it: difflib's slow reckoning runs only for the pairs rapidfuzz lets by."""
    return fuzz.ratio(a, b) >= 79.9 and difflib.SequenceMatcher(None, a, b).ratio() >= 0.8


def dedupe_paragraphs(text: str) -> str:
    """A sentence said again in a later paragraph of the same answer (the same words but for a few) is left out, and
    the agency's inference is given once; the quotes of the notice and the parts of a compound answer are left as they
    are (each part is an answer of its own)."""
    paras = text.split("\n\n")
    if any(p.startswith(("【", "[")) for p in paras):
        return text
    seen: list[str] = []
    notes: set[str] = set()
    out = []
    for p in paras:
        if p.startswith(_QUOTE_PARA) or "\n" in p.strip():
            out.append(p)  # quotes, lists: as they are
            continue
        kept = []
        for s in _sentences(p):
            if not s.strip():
                continue
            key = _sentence_key(s)
            # (both sentences long enough to be told apart: a short "可以。" must not make a later sentence a repeat)
            if len(key) >= 16 and any(len(k) >= 16 and (key in k or k in key or _similar(key, k)) for k in seen):
                continue
            for m in _AGENCY_NOTE.finditer(s) if _has_agency_note(s) else ():
                if m.group(0) in notes:
                    s = s.replace(m.group(0), "", 1)
                notes.add(m.group(0))
            seen.append(key)
            kept.append(s)
        if kept:
            out.append("".join(kept).strip() if not p.startswith(" ") else "".join(kept))
    return "\n\n".join(out)


# fix37 (try29): a statement's first word answers the kind of question asked: "只有学生认定资格，能报附件3增加工种吗" is
# asked "能…吗" (may we), so "可以。", not "需要。" (what is required is allowed; review17: not the other way round)
# (session 18, review: "加行吗" is a row added, not "OK?"; 得/应当/应该 before an action ask an obligation)
_ASKS_MAY = lazy(r"能不能|可不可以|能否|可否|(?<![只才])能|可以|(?<![加增续添换多几])行不行|(?<![加增续添换多几])行吗|允许")
_ASKS_MUST = lazy(r"要不要|需不需要|需要|必须|必需|是否要|是不是要|是不是得|得不得|一定要|一定得|用不用|非得|还要|也要|还得|也得|应当|应该|"
                  r"(?<![觉记获取懂晓值使显变])得(?=另外|另|再|先|加|写|填|交|附|增|补|提交|提供|盖|签)")


_ASKS_MUST_EN = lazy(r"\b(must|have to|has to|need to|needs to|required|obliged|mandatory|compulsory)\b", re.I)
_ASKS_MAY_EN = lazy(r"\b(can|could|may|allowed|permitted|ok|okay)\b", re.I)
_BODY_VERDICT_LEAD = lazy(r"(\n\n)(?:可以|是的|Yes)[。.]\s*")
_VERDICT_LEAD = lazy(r"^(可以|是的|需要|Yes)[。.,，]\s*")


def asks_must(question: str, lang: str) -> bool:
    """Whether a yes/no question asks about an obligation ("必须…吗", "要不要…", "do we have to…") rather than a
    permission ("可以…吗", "can we…")."""
    if lang == "en":
        return bool(_ASKS_MUST_EN.search(question)) and not _ASKS_MAY_EN.search(question)
    return bool(_ASKS_MUST.search(question)) and not _ASKS_MAY.search(question)


def verdict_word(head: str, question: str) -> str:
    if head.startswith("需要。") and _ASKS_MAY.search(question) and not _ASKS_MUST.search(question):
        return "可以。" + head[3:]
    # (never the other way: "可以" answers "may we", not "must we": 附件2 可增加内容 does not make adding required)
    return head
