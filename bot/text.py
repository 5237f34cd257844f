"""Text handling: cleaning, normalisation, language, tokens and slots.

Pure functions over a `Lexicon` (built from knowledge/glossary.toml); no I/O. The same
normalisation runs on the phrasings at build time and on questions at run time, so both
meet in one vocabulary.
"""
from __future__ import annotations

import functools
import io
import logging
import re
import unicodedata
from dataclasses import dataclass, field

from .lazyre import compile as compile_cached, lazy

MAX_QUESTION_CHARS = 500  # longer input is cut before matching (the reply says so)
_SENTENCE_END = lazy(r"[。！？!?；;\n]")


def shorten(text: str, limit: int) -> str:
    """A long paste cut to `limit` characters: its beginning (who is asking, the facts they state) and its
    end (where the question usually is), each cut at a sentence end when one is near."""
    if len(text) <= limit:
        return text
    head = text[:limit // 3]
    ends = [m.end() for m in _SENTENCE_END.finditer(head)]
    if ends and ends[-1] >= len(head) // 2:
        head = head[:ends[-1]]
    tail = text[-(limit - len(head) - 1):]
    m = _SENTENCE_END.search(tail)
    if m and m.end() < len(tail) // 2 and tail[m.end():].strip():
        tail = tail[m.end():]
    return head + "…" + tail.lstrip()

_CONTROL = lazy(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")
_CJK = lazy(r"[\u4e00-\u9fff]")
_SPACES = lazy(r"\s+")
_OPENS_EN_WORD = lazy(r"\s*[A-Za-z]{2,}\b")
_TRAILING_SYMBOLS = lazy(r"[^\w\s?？!！。.~，,]+\s*$")
NOT_JI = lazy(r"好几|几乎")  # "好几年", "几乎": 几 that does not ask
_YESNO_SEGMENT = lazy(r"[，,；;。？?！!\s\U0001F300-\U0001FAFF\u2600-\u27BF]+")
_MA_INSIDE = lazy(r"吗(?=[\u4e00-\u9fff])")
_LATIN = lazy(r"[A-Za-z]")
_MARKUP = lazy(r"<[^>]{0,200}>")
# fix37 (try29): markdown a user pastes ("**bold** [link](http://…) 老师能认定二级吗") is not the question: a link keeps
# its text, an address and emphasis marks go (their Latin letters made the question English)
_MD_LINK = lazy(r"!?\[([^\[\]]{0,200})\]\([^()\s]{0,500}\)")
_URL = lazy(r"(?<![A-Za-z])(https?|ftp)://[^\s\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]{0,500}", re.I)
_MD_MARKS = lazy(r"\*{2,3}|(?<!\w)__|__(?!\w)|`{1,3}|~~")
_PUNCT_SPLIT = lazy(r"[^\w\u4e00-\u9fff+]+")

ZH_STOP = set(
    "的 了 吗 呢 吧 啊 呀 哦 嘛 么 是 在 有 和 与 及 或 就 都 也 还 又 请问 请 问 一下 下 个 这个 那个 这 那 "
    "我 我们 咱们 咱 你 您 你们 他们 它 贵 怎么 怎样 如何 什么 啥 咋 哪 哪些 哪个 哪里 几 多少 谁 "
    "想 想要 要 需要 能 能不能 可以 可不可以 会 该 应该 得 是不是 是否 一 把 被 给 对 从 到 向 "
    "吗? 呢? 么? 那么 那 就是 一般 现在 目前 具体 到底 究竟 一定 ? ？ , ， 。 ! ！ 、 . ~ 哈 嗯".split()
)
EN_STOP = set(
    "a an the is are am be was were do does did can could may might must shall should will would "
    "we our us you your i me my it its they them their this that these those of to in on at for "
    "with by from as and or if what which whom whose how why please there here "
    "any some get got have has had not no yes so about into up out than then too very just also "
    "need needs let tell me know want ask asking".split()
)

WH_ZH = lazy(r"什么|啥|哪|怎么|怎样|如何|多少|谁|咋|为何|为什么|何时|多久|还是|几(?![个种项类位名所])")
ENDS_MA = lazy(r"(吗|么|嘛)[啊呀亲哈哦呢\s?？!！。.~]*$")
STRONG_WH_ZH = lazy(r"什么|啥|哪|怎么|怎样|如何|多少|谁|咋|为何|为什么|何时|多久|还是")
YESNO_ZH = lazy(
    r"(吗|么|嘛|不)[啊呀亲哈哦呢\s?？!！。.~]*$|难道|会不会|能不能|可不可以|可以不可以|是不是|是否|有没有|行不行|可否|能否|"
    r"允许不允许|要不要|需不需要|用不用|得不得|必须.{0,12}吗|可以[?？]\s*$|行[?？]\s*$|"
    r"真的假的|是真是假|真假[?？]*\s*$"  # fix29: "…照样能给老师认定二级，真的假的": is the claim true
)
YESNO_EN = lazy(r"^\s*(can|could|may|might|is|are|am|do|does|did|should|must|will|would|shall|"
                      r"have|has|need|needs|are|was|were|isn't|aren't|can't|don't|doesn't|wasn't)\b", re.I)
WH_EN = lazy(r"^\s*(what|which|who|whom|whose|how|when|where|why)\b", re.I)
FOLLOWUP_ZH = lazy(r"^\s*(那|那么|那如果|如果是|要是|还有|另外|再问|换成|改成)|呢\s*[?？]*\s*$")
FOLLOWUP_EN = lazy(r"^\s*(and|what about|how about|and if|what if|also|then)\b", re.I)

LEVEL_EN = lazy(r"\b(?:level|lvl|lv|grade|tier)\s*[-_#]?\s*([1-5]|one|two|three|four|five)\b|\bl([1-5])\b", re.I)
EN_NUM = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
LEVEL_ZH = {"一级": 1, "二级": 2, "三级": 3, "四级": 4, "五级": 5, "预备技师": 2,
            "高级技师": 1, "技师": 2, "高级工": 3, "中级工": 4, "初级工": 5}

GROUPS_ZH = {"教师": "teacher", "学生": "student", "毕业": "student", "社会人员": "public", "离校人员": "public", "新型学徒制": "apprentice",
             "金蓝领": "golden_blue_collar"}
GROUPS_EN = {"teacher": "teacher", "student": "student", "public": "public", "apprentice": "apprentice",
             "attachment1": "att1", "attachment2": "att2", "attachment3": "att3"}
ATTACHMENT_GROUPS_ZH = {"附件1": "att1", "基本情况表": "att1", "附件2": "att2", "工作方案": "att2", "附件3": "att3",
                        "认定范围清单": "att3", "清单": "att3"}
CLASSES_ZH = {"预备技师班": "runs_prep_technician_class", "高级技工班": "runs_senior_class"}


@dataclass
class Lexicon:
    """Everything the normaliser needs, compiled from the glossary."""

    replace: dict[str, str]  # variant → canonical (Chinese, after fixes)
    fixes: dict[str, str]  # OCR forms and typos → correct form (applied first)
    traditional: dict[str, str]
    english: dict[str, str]  # English variant → canonical English word
    fact_patterns: list[tuple[re.Pattern, str, object]] = field(default_factory=list)
    _zh_re: re.Pattern | None = None
    _fix_re: re.Pattern | None = None
    _en_re: re.Pattern | None = None
    _fact_gate: object = field(default=None, repr=False, compare=False)

    def fact_gate(self):
        """Which fact patterns can match a text (a `frame.Gate`, built on first use: after the anchors are read)."""
        if self._fact_gate is None:
            from .frame import Gate

            self._fact_gate = Gate([p.pattern for p, _, _ in self.fact_patterns])
        return self._fact_gate

    def __post_init__(self):
        # (compiled from `kb build`'s cache when it holds them: these long alternations took 40 ms per process)
        keys = sorted(self.replace, key=len, reverse=True)
        self._zh_re = compile_cached("|".join(map(re.escape, keys))) if keys else None
        fix_keys = sorted(self.fixes, key=len, reverse=True)
        self._fix_re = compile_cached("|".join(map(re.escape, fix_keys))) if fix_keys else None
        en_keys = sorted(self.english, key=len, reverse=True)
        self._en_re = compile_cached(r"\b(?:" + "|".join(map(re.escape, en_keys)) + r")\b") if en_keys else None

    @classmethod
    def from_glossary(cls, glossary: dict) -> "Lexicon":
        replace: dict[str, str] = {}
        fixes = dict(glossary.get("fix", {}))
        for canonical, variants in glossary.get("synonym", {}).items():
            replace.setdefault(canonical, canonical)  # a canonical word protects itself
            for v in variants:
                replace.setdefault(v, canonical)
        for canonical, variants in glossary.get("level", {}).items():
            for v in variants:
                replace.setdefault(v, canonical)
        for protected in glossary.get("protect", {}).get("words", []):
            replace.setdefault(protected, protected)
        traditional: dict[str, str] = {}  # traditional characters: OpenCC (to_simplified)
        english = {}
        for canonical, variants in glossary.get("english", {}).items():
            for v in variants:
                english[v.lower()] = canonical
        patterns = []
        for f in glossary.get("fact", []):
            patterns.append((compile_cached(f["pattern"], re.I), f["key"], f["value"]))
        return cls(replace, fixes, traditional, english, patterns)


def clean(text: str) -> str:
    """Remove control characters and markup, fold width (NFKC), collapse blanks."""
    text = unicodedata.normalize("NFKC", text or "")
    text = _CONTROL.sub(" ", text)
    text = _MARKUP.sub(" ", text)
    return " ".join(text.split())  # (= _SPACES.sub(" ", text).strip(): str.split's blanks are \s's, session 18)


def strip_pasted_markup(text: str) -> str:
    """A question's markdown (fix37): a link keeps its text if Chinese, addresses and emphasis marks go."""
    text = _MD_MARKS.sub(" ", _URL.sub(" ", _MD_LINK.sub(lambda m: m.group(1) if _CJK.search(m.group(1)) else " ", text)))
    return " ".join(text.split())  # (= _SPACES.sub(" ", text).strip(), see `clean`)


_SURROGATE = lazy(r"[\ud800-\udfff]")


def scrub(text) -> str:
    """The edge of every channel: a str with no lone surrogates (they cannot be encoded, stored or
    printed); anything that is not a str becomes "". Cheap when there is nothing to remove."""
    if not isinstance(text, str):
        return ""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return _SURROGATE.sub("", text)


_EN_OPENING = lazy(r"\s*[A-Za-z]{2,}(\s+[A-Za-z']+){1,}\s*[\u4e00-\u9fff].*[\u4e00-\u9fff\s][A-Za-z]{2,}[\s?.!]*$")  # … and closes with them


@functools.lru_cache(maxsize=1024)  # (session 18: a question's texts are told again by several steps, half the calls)
def detect_lang(text: str) -> str:
    cjk = len(_CJK.findall(text))
    latin = len(_LATIN.findall(text))
    if latin >= 3 and latin > 2 * cjk:
        return "en"
    # fix29: "What does 社会培训评价组织 mean?": a question that opens (two words or more) and closes with English words
    # around a Chinese term is English
    if cjk and _OPENS_EN_WORD.match(text) and YESNO_TAIL_EN.search(text):
        return "en"  # fix34: "Hi, 附件1的第四项场地设备 needs 权属证明材料, right?": opens with English, ends with an English tag
    return "en" if cjk and _EN_OPENING.match(text) else "zh"


_T2S = None


@functools.lru_cache(maxsize=1024)  # (the question, then its normalised form, are converted again by the steps)
def to_simplified(text: str) -> str:
    """Traditional → simplified characters with OpenCC's t2s conversion (loaded on first use, ~10 ms)."""
    global _T2S
    if text.isascii():
        return text
    if _T2S is None:
        import opencc

        _T2S = opencc.OpenCC("t2s")
    return _T2S.convert(scrub(text))  # OpenCC cannot encode lone surrogates


_LEVEL_PAIR = lazy(r"([一二三四五1-5])\s*[、,，和及与/或~-]?\s*(?=[一二三四五1-5]\s*级)")


# "也不是不能…吧" asks whether it can (a double negative reads as the positive); "是不是不能" is not one
DOUBLE_NEG = lazy(r"(?<!是)(?:不是|并非|没有)不(?=能|可以|可|行|允许|让)|"
                        r"难道(?:说)?不(?=能|可以|可|行|允许|让|是|用|需要|要)")  # "难道不能…吗" asks whether it can


# "除非有社评资质，否则不能面向社会人员认定" states a requirement: "必须有社评资质才能…"
UNLESS = lazy(r"除非(.{1,20}?)[，,]?\s*(?:否则|不然)(?:就|也)?(?:不能|不可以|不可|不行|没法)")


# fix26: "附件一共几个 分别叫啥" counts the attachments (一共 = in all), it does not name 附件1
ATTACHMENTS_IN_ALL = lazy(r"附件(?:总)?一共(?=有?\s*(?:几|多少|[两二三3])\s*(?:个|份|张))")


# try30: the typo 社平 for 社评 where a qualification's state follows ("社平没批下来", "社平还在审"); "社平工资" (the
# average social wage) and the glossary's own 社平资质/社平组织 fixes are other words
SHEPING_STATE = lazy(r"社平(?=(的)?(还|也|都|已|刚|才|没|未|无|批|申|审|下来|拿|有了|办|前|之前|以前))")


def normalize_zh(text: str, lex: Lexicon) -> str:
    text = text.lower()
    text = to_simplified(text)
    text = SHEPING_STATE.sub("社评", text)
    text = ATTACHMENTS_IN_ALL.sub("附件共", text)
    text = DOUBLE_NEG.sub("", text)
    text = UNLESS.sub(r"必须\1才能", text)
    text = _LEVEL_PAIR.sub(lambda m: m.group(1) + "级", text)  # 二三级, 2、3级 → 二级三级
    if lex._fix_re is not None:
        text = lex._fix_re.sub(lambda m: lex.fixes[m.group(0)], text)
    if lex._zh_re is not None:
        text = lex._zh_re.sub(lambda m: m.group(0) if _quoted_whole(text, m) else lex.replace[m.group(0)], text)
    return _SAME_LEVEL_TWICE.sub(r"\1", text)


# try30: a level named by its number and its name ("一级高级技师", "二级（技师）") reads 一级一级 once the names are
# replaced: one level
_SAME_LEVEL_TWICE = lazy(r"([一二三四五]级)\s*[（(/]?\s*\1\s*[)）]?")


def _quoted_whole(text: str, m: re.Match) -> bool:
    """fix30: "机构类型填“学校”可以吗": a value quoted whole after 填/写 is the value written, not the synonym's
    word (“学校” is not “技工院校”); "勾“技校”" ticks the 技工院校 box and reads as usual."""
    return 0 < m.start() and m.end() < len(text) and text[m.start() - 1] in "“\"「『'‘" and text[m.end()] in "”\"」』'’" \
        and bool(re.search(r"(填|写)[^，,。？?]{0,3}$", text[max(0, m.start() - 5):m.start() - 1]))  # written ("填“学校”"), not ticked


ATTACHMENT_ZH_IN_EN = lazy(r"附件\s*([1-3一二三])(?![0-9])")
ZH_NUM_ATT = {"一": "1", "二": "2", "三": "3"}
ATTACHMENTS_PAIR_EN = lazy(r"\b(?:attachments|annexes|appendices|forms)\s*([1-3]|one|two|three)\s*(?:and|&|,|or)\s*([1-3]|one|two|three)\b", re.I)
ATTACHMENT_EN = lazy(r"\b(?:attachment|annex|annexe|appendix|form|table)\s*(?:no\.?\s*)?([1-3]|one|two|three)\b", re.I)


# "Unless we hold X, we cannot Y, right?" states a requirement: "we must hold X to Y"
UNLESS_EN = lazy(r"\bunless (?:we |you |it |they |the school |a school |schools? )?(.{1,60}?),\s*"
                       r"(?:we|you|they|it|a school|the school|schools)?\s*(?:cannot|can't|can not|may not|must not|are not allowed to|is not allowed to)\b",
                       re.I)


def unless_en(text: str) -> str:
    return UNLESS_EN.sub(r"we must \1 to", text)


# try30: Chinese names of classes, levels, schools and people inside an English question ("I teach at a 市属 技校 that
# only runs 中级工班. Can I be certified 二级?"): read as their English words, so that the English patterns (classes run,
# levels asked, teachers) see them; the longest first (技师学院 is a school, 预备技师班 a class, 技师 a level)
ZH_IN_EN = {"预备技师班": " preparatory technician class ", "预技班": " preparatory technician class ", "预师班": " preparatory technician class ",
            "预备班": " preparatory technician class ", "高级技工班": " senior class ", "高级工班": " senior class ",
            "高技班": " senior class ", "中级工班": " intermediate class ", "中级班": " intermediate class ",
            "初级工班": " junior class ", "初级班": " junior class ",
            "技师学院": " technical school ", "技工院校": " technical school ", "技工学校": " technical school ", "技校": " technical school ",
            "高级技工学校": " technical school ",
            "高级技师": " level1 ", "预备技师": " level2 ", "技师": " level2 ", "高级工": " level3 ", "中级工": " level4 ", "初级工": " level5 ",
            "一级": " level1 ", "二级": " level2 ", "三级": " level3 ", "四级": " level4 ", "五级": " level5 ",
            "老师": " teacher ", "教师": " teacher ", "学生": " student ", "本校": " our school ", "我校": " our school ",
            "市属": " municipal (市属) ", "省属": " provincial (省属) "}
_ZH_IN_EN = lazy("|".join(map(re.escape, sorted(ZH_IN_EN, key=len, reverse=True))))
# "I teach at …", "I'm teaching at …": the asker is a teacher
I_TEACH_EN = lazy(r"\bi (?:teach|am teaching|'m teaching)\b", re.I)


def normalize_en(text: str, lex: Lexicon) -> str:
    text = unless_en(text.lower().replace("’", "'"))
    text = _ZH_IN_EN.sub(lambda m: ZH_IN_EN[m.group(0)], text)
    text = I_TEACH_EN.sub("i am a teacher and teach", text)
    text = re.sub(r"(?<=\w) at all\b", "", text)  # fix30: "no qualification at all" (not "That's all")
    text = LEVEL_EN.sub(lambda m: f" level{_level_num(m)} ", text)
    # fix30: "attachments 1 and 2" names both
    text = ATTACHMENTS_PAIR_EN.sub(lambda m: f" attachment{EN_NUM.get(m.group(1), m.group(1))} and attachment{EN_NUM.get(m.group(2), m.group(2))} ", text)
    text = ATTACHMENT_EN.sub(lambda m: f" attachment{EN_NUM.get(m.group(1), m.group(1))} ", text)
    # fix30: "the scope list (附件3)": a Chinese attachment name in an English question
    text = ATTACHMENT_ZH_IN_EN.sub(lambda m: f" attachment{ZH_NUM_ATT.get(m.group(1), m.group(1))} ", text)
    if lex._en_re is not None:
        text = lex._en_re.sub(lambda m: lex.english[m.group(0)], text)
    return text


def _level_num(m: re.Match) -> str:
    raw = (m.group(1) or m.group(2) or "").lower()
    return str(EN_NUM.get(raw, raw))


_LEVEL_WORDS = sorted(LEVEL_ZH, key=len, reverse=True)  # the longest first: 高级技师 before 技师


def levels_in(norm_text: str, lang: str) -> list[int]:
    """Skill levels named in a normalised question, in order of mention."""
    found: list[tuple[int, int]] = []
    if lang == "en":
        found = [(m.start(), int(m.group(1))) for m in re.finditer(r"level([1-5])", norm_text)]
    else:
        taken: list[tuple[int, int]] = []
        for word in _LEVEL_WORDS:
            if word not in norm_text:
                continue  # (plain words: none of them matches where it does not occur)
            for m in re.finditer(word, norm_text):
                if any(a <= m.start() < b for a, b in taken):
                    continue
                # 预备技师班 / 高级技工班 are classes, not the level asked about
                if norm_text[m.end():m.end() + 1] == "班":
                    taken.append((m.start(), m.end()))
                    continue
                taken.append((m.start(), m.end()))
                found.append((m.start(), LEVEL_ZH[word]))
    seen, out = set(), []
    for _, n in sorted(found):
        if n not in seen:
            seen.add(n)
            out.append(n)
    return out


# try30: "那二级=技师是吧", "高级工就是三级吗": two names of one level, said to be the same (a question of the level
# names, whatever topic came before)
_LEVEL_NAME_RE = lazy("|".join(_LEVEL_WORDS))
_IDENTITY = lazy(r"^\s*(=|＝|就是|即|是|等于|相当于|对应|也就是|也叫|又叫|叫)\s*$")


def level_identity(text: str) -> bool:
    found = [m for m in _LEVEL_NAME_RE.finditer(text) if text[m.end():m.end() + 1] != "班"]
    return any(LEVEL_ZH[a.group(0)] == LEVEL_ZH[b.group(0)] and a.group(0) != b.group(0)
               and _IDENTITY.match(text[a.end():b.start()]) for a, b in zip(found, found[1:]))


QUALIFICATION_NAME = lazy(r"学生(职业技能等级)?认定(资格|资质)|student (certify |certification |certifying )?qualification", re.I)
# fix30: "我是社会人员，不是学生，想…认定" denies a group: the question is not about it ("不是本校学生" still is)
NOT_GROUP = lazy(r"(?<![\u4e00-\u9fff]{2}的)(不是|并非|并不是)(学生|教师)(?![\u4e00-\u9fff]{0,2}(学籍|身份))|\b(i'm|i am|we're|we are) not (an? )?(students?|teachers?)\b", re.I)


def groups_in(norm_text: str, lang: str) -> list[str]:
    """Who or what the question is about: 教师/学生/社会人员 …, or one attachment (附件1 …)."""
    table = GROUPS_EN if lang == "en" else {**GROUPS_ZH, **ATTACHMENT_GROUPS_ZH}
    norm_text = QUALIFICATION_NAME.sub(" ", norm_text)  # "只有学生认定资格…": a qualification's name, not the students
    norm_text = NOT_GROUP.sub(" ", norm_text)
    out = []
    for w, g in table.items():
        if w in norm_text and g not in out:
            out.append(g)
    return out


YESNO_TAIL_EN = lazy(r"\b(is (that|it|this) (possible|allowed|ok|okay|fine)|possible|allowed|permitted|ok|okay|right|"
                          r"(is (that|it|this) )?true|(is (that|it|this) )?correct|for real|really)\s*\?\s*$", re.I)  # fix29: "…, true?"


EN_LEAD = lazy(r"^\s*(in|for|on|at|under|within|regarding|about)\b[^,;:?]{0,80}?\s(?=(can|could|may|should|must|do|does|is|are) (we|i|the|a|an|our|it|they|you)\b)", re.I)


# a claim says something of something: "附件3？" or "工作方案模板？" names a topic and asks nothing yes/no
CLAIM_PREDICATE = lazy(r"是|有(?!关)|要(?!求|点)|按|(?<!取)得|需|(?<![人信])用(?!人)|(?<!公)共|(?<![省市权])属|归|就(?!业)|都|只|(?<!人)才|已|(?<!技)能(?!力)|填|写|交|报|附(?!件|表)|签|盖|算|给|让|在|发的|印发|下发|参加|完成|面向|提交|采用|隔开|表示|负责|承担|(?<!填表)说(?!明)|涂|提供")
# fix27: "附件3要重新报送不，只改了联系电话": a modal verb and a closing 不 ask, with a statement after them
MODAL_BU = lazy(r"(能|可以|可|要|用|需要|得|会|是|有|行|中)[^，,。；;]{0,14}不$")
# fix27: "咋整都达不到", "怎么弄也不够", "无论如何都没法": concessive, not a question word
CONCESSIVE_WH_ZH = lazy(r"(无论|不管|再)?(咋|怎么|怎样|如何)(整|弄|搞|做|办|努力|改|准备|样)?(也|都)(?=不|没|达不|弄不|搞不|办不|无法)")
PRINCIPLE_ZH = lazy(r"谁评价[、，,\s]*谁发证[、，,\s]*谁负责")


NOTICE_SAYS_TAIL = lazy(r"(?<=[\u4e00-\u9fff啊呀吗呢?？])[，,；;\s]+(那)?(通知|文件|政策|这个通知|这份通知|这个文件)(里|中|上|里面)?(有|有没有|有无)?(相关|具体|明确)?(的)?"
                        r"(说法|规定|提到|明确|写到?|说|讲)(吗|么|没有|没|不)?(啊|呀)?[?？。!！\s]*$")


@functools.lru_cache(maxsize=1024)  # (asked again of the same text by the engine's steps)
def is_yes_no(text: str, lang: str) -> bool:
    if lang == "en":
        if YESNO_TAIL_EN.search(text) or re.match(r"\s*surely\b.*\?\s*$", text, re.I):
            return True  # "Surely levels can be separated by commas?"
        # "We are not qualified, can someone else …?": look at each clause
        text = EN_LEAD.sub("", text)  # "In section 3 of attachment 1 can we write …?"
        return any(YESNO_EN.search(part) and not WH_EN.search(part) for part in re.split(r"[,;:.!?—–]\s*|\s-+\s", text))
    text = _TRAILING_SYMBOLS.sub("", text)  # "…对吧😀": a trailing emoji is not the question's end
    text = NOT_JI.sub("", text)  # "高级技工班办了好几年了…可以不" states, 几 does not ask
    # fix30: "…是学校发证还是人社局发证啊，通知里有说法吗": whether the notice says it asks the question before it again
    text = NOTICE_SAYS_TAIL.sub("", text) or text
    # fix27: "条件咋整都达不到标准要求，那还能委托…不": a wh-word before 都/也 and a negation is "no matter how"
    text = CONCESSIVE_WH_ZH.sub("", text)
    if ENDS_MA.search(text) and not STRONG_WH_ZH.search(text.replace("还是", "")):
        return True  # "同一职业的几个工种要合并吗": 几个 here is "several"; "责任还是我们的吗": 还是 is "still"
    if TAG_QUESTION_ZH.search(text):
        return True  # "一个工种占一行对吧", "认定初级没问题吧"
    segs = [s for s in _YESNO_SEGMENT.split(text) if s]  # fix29: an emoji ends a segment
    if len(segs) > 1 and any((ENDS_MA.search(s) or s.endswith("吧") or MODAL_BU.search(s)) and not STRONG_WH_ZH.search(s) for s in segs):
        return True  # "场地那一项要附权属证明吗？房产证那种"; fix27: "社会人员能来俺们这认定不，俺们有社评资质"
    if A_NOT_A_ASK.search(text) and not STRONG_WH_ZH.search(text):
        return True  # "附件1能不能多加几页": 几 here is "a few"
    if "还是" in text and A_NOT_A_ASK.search(text[:text.index("还是")]) \
            and not STRONG_WH_ZH.search(text.replace("还是", "")):
        return True  # "能不能先参加这个阶段的认定还是要等五年读完": whether the first option holds
    if _MA_INSIDE.search(text) and not STRONG_WH_ZH.search(text):
        return True  # "金兰领学员能在我们学校认定吗我们学校是有…的": voice input, no punctuation
    if MIXED_EN_ASK.search(text) and not WH_EN.search(text.split("—")[-1]):
        return True  # "我们学校 has 学生认定资格 but no 社评资质 — can we certify social persons?"
    if YESNO_TAIL_EN.search(text) and re.search(r"[a-z]{2,}\s", text, re.I) and not WH_EN.search(text):
        return True  # fix34: "Hi, 附件1的第四项场地设备 needs 权属证明材料, right?": an English tag question in mixed text
    if WH_ZH.search(PRINCIPLE_ZH.sub("", text)):
        return False  # "按谁评价谁发证谁负责的原则…": the principle's 谁 does not ask
    if re.search(r"[？?]", text) and not re.search(r"呢\s*[？?]", text) and CLAIM_PREDICATE.search(text):
        return True  # "工作方案模板一共七部分？", "通知落款是2021年9月1号？我记得…": a claim with a question mark
    if len(text) <= 16 and re.search(r"(必填|必须|需要|要不要|能(?!力)|可以|行|算|允许|要(?!求|点))[^？?]{0,6}[？?]\s*$", text):
        return True  # "附件3网址必填？": a short claim with a question mark
    if DECLARATIVE_ASK_ZH.search(text):
        return True  # fix13: "承诺书第二条是说把经济效益放在首位？": a claim with a question mark
    return bool(YESNO_ZH.search(text))


# an English yes/no question inside a question read as Chinese (more Chinese characters than letters)
MIXED_EN_ASK = lazy(r"(?:^|[\s—–,.;:])(?:can|could|may|should|must|do|does|is|are)\s+(?:we|i|they|it|our|the|a|an)\b[^?？]*[?？]\s*$", re.I)


# fix13: a claim about what a text says, ending with a question mark, asks whether it is so
DECLARATIVE_ASK_ZH = lazy(r"(是说|是指|意思是|说的是|指的是|写的是|讲的是|规定的是|就是说)[^，,。；;]*[?？]\s*$")


A_NOT_A_ASK = lazy(r"会不会|能不能|可不可以|可以不可以|是不是|要不要|需不需要|行不行|用不用|允不允许|有没有|"
                         r"([\u4e00-\u9fff])不\1(?!\1)|(了|过|效|完|好|到|批|交|报)没有?[?？]*\s*$")
# fix13: "那个表只有6行" counts rows, 行 after a number is no tag
TAG_QUESTION_ZH = lazy(r"(对|是|(?<![\d一二三四五六七八九十几两多每])行|可以|没问题|没错|没事|能行|就行|可不)(吧|吗)?[啊呀哈呢\s?？!！。.~]*$|(对|是)不对[?？]*$|吧[?？\s]*$")
# fix26: 那家/那所/那个 name a party ("那家公司要是有社评资质呢"): only the 那 that leads a follow-up goes
FOLLOWUP_STRIP_ZH = lazy(r"^\s*(那么|那如果|如果是|要是|那(?![家所个些位种])|还有|另外)\s*|\s*呢\s*[?？]*\s*$")


# fix34: "老师您好，麻烦问下哈🙏 …": 老师 addresses the person asked (it is not the teacher group); 哈 and emoji close a courtesy
# fix33: "你好，我想咨询一下，…", "我咨询一下：…"
COURTESY_ZH = lazy(r"^\s*((请问贵厅|请问贵单位|贵厅|您好|你好|(各位|[\u4e00-\u9fff])?老师(您|你)?好(?![像多几些的])(呀|啊|哈)?|领导(您|你)?好|打扰了?|打扰一下|麻烦(问|请教)?(一下|下)?(哈|啊|呀)?|请问(一下)?|我?想(咨询|问|请教|了解)(一下|下)?|"
                         r"咨询(一下|下)?|我想问(一下|下)?|我(咨询|请教)(一下|下)|问(一下|下)|那个)[，,。!！、：:\s\U0001F300-\U0001FAFF\u2600-\u27BF]*)+")


# fix26: a correction's opener ("不对，我们还没有社评资质…", "说错了，…", "更正一下：…") says the question is
# asked again with other facts; it is no part of the question (not a tag question "不对" of its own)
CORRECTION_ZH = lazy(r"^\s*((不对|不是的?|错了|说错了|我说错了|搞错了|弄错了|记错了|更正(一下)?|纠正(一下)?|"
                           r"抱歉|不好意思|哦|噢|啊)[，,。!！:：、\s]+)+")


def strip_courtesy(text: str) -> str:
    """"您好，想咨询一下…" → the question itself (only when something substantial is left)."""
    rest = COURTESY_ZH.sub("", CORRECTION_ZH.sub("", text))
    rest = NOTICE_SAYS_TAIL.sub("", rest)  # fix30: "…，通知里有说法吗": the question before it is the question
    return rest if len(rest) >= 4 else text


def strip_followup(text: str, lang: str) -> str:
    """"那一级呢？" → "一级": the words that carry the follow-up."""
    if lang == "en":
        return re.sub(r"^\s*(and|so|then|also)\b[\s,]*", "", text, flags=re.I)
    return FOLLOWUP_STRIP_ZH.sub("", text) or text


ZH_NUM = {"一": "1", "二": "2", "三": "3", "四": "4", "五": "5", "六": "6", "七": "7"}
_REF_PATTERNS = [
    # 附件1注4, 附件三第4条注释, 附件3的注释5
    (re.compile(r"附件\s*([1-3一二三])\s*(?:的|里的|中的)?\s*(?:第\s*)?(?:注释?|备注)\s*第?\s*([1-7一二三四五六七])|"
                r"附件\s*([1-3一二三])\s*(?:的|里的|中的)?\s*第\s*([1-7一二三四五六七])\s*条?\s*注"),
     lambda m: f"att{ZH_NUM.get(m.group(1) or m.group(3), m.group(1) or m.group(3))}."
               f"n{ZH_NUM.get(m.group(2) or m.group(4), m.group(2) or m.group(4))}"),
    (re.compile(r"note\s*([1-7])\s*(?:of|in|to)\s*attachment([1-3])|attachment([1-3])\s*,?\s*note\s*([1-7])", re.I),
     lambda m: f"att{m.group(2) or m.group(3)}.n{m.group(1) or m.group(4)}"),
    # 第二条第3项, 第三条第（一）项, 二、3, 2.3条, clause 2.3
    (re.compile(r"第\s*([一二三123])\s*条\s*第?\s*[（(]?\s*([1-5一二三四五])\s*[)）]?\s*[项款点]"),
     lambda m: f"{ZH_NUM.get(m.group(1), m.group(1))}.{ZH_NUM.get(m.group(2), m.group(2))}"),
    (re.compile(r"(?:第|clause|section|item)\s*([1-3])\.([1-5])|(?<![\d.])([1-3])\.([1-5])\s*(?:条|款|项)", re.I),
     lambda m: f"{m.group(1) or m.group(3)}.{m.group(2) or m.group(4)}"),
]


def clause_refs(norm_text: str) -> list[str]:
    """Clause ids the question names outright ("附件1注4", "note 7 of attachment 3", "第二条第3项")."""
    out = []
    for pattern, to_id in _REF_PATTERNS:
        for m in pattern.finditer(norm_text):
            cid = to_id(m)
            if cid not in out:
                out.append(cid)
    return out


def is_terse_yes_no(text: str, lang: str, levels: list[int]) -> bool:
    """"teachers lvl 2?", "老师 二级？": a level and a question mark, no question word."""
    if not levels or not re.search(r"[?？]\s*$", text):
        return False
    return not (WH_EN.search(text) if lang == "en" else STRONG_WH_ZH.search(text))


def is_followup_form(text: str, lang: str) -> bool:
    return bool((FOLLOWUP_EN if lang == "en" else FOLLOWUP_ZH).search(text))


A_NOT_A = lazy(r"有没有|是不是|是否|能不能|可不可以|具不具备|有无")


# holdout21: "我们是一家培训公司 已经有社评资质": "是一家…" describes the asker, not another party
THIRD_PARTY_BEFORE = lazy(r"(人家|对方|他们|隔壁|别的|其他|其它|那家|那所|这所|外校|(?<!是)一家|兄弟|另一|另外|该|找|去(?!年)|委托|给|the other|another|other)[^，,。；;？?]{0,8}$|"
                                r"\bentrust\w* (a|an|the) \w+ (that|which|who)\b[^,.;?]{0,24}$|"
                                r"\b(entrust\w*|ask|use)( it| them| our students)?( to)? (a|an|the|another|other|some)\s*$|"  # fix30: "entrust a school that holds …"  # fix22: "entrust a school that already holds …"
                                # try27: "Can we ask a private training institution with the social org qualification to …"
                                r"\b(ask|hire|use|find|engage|contract)\w* (a|an|another|some)\b[^,.;?]{0,40}$|"
                                # fix37 (try29): "certify the students of the school next door that has no qualification"
                                r"\b((of|for|from|help|helping|with) (the|a|an|another|that)|another|other|neighbou?ring) (other |neighbou?ring |nearby )?(school|body|institution|company|college)s? (next door |nearby |down the road )?(that|which|who)\b[^,.;?]{0,24}$|"
                                r"\bentrust (that|which|who)\b[^,.;?]{0,24}$", re.I)  # "another school" normalised reads "entrust"
# fix30: "And what if that other school only has the student certification qualification?": a follow-up's lead words, "that other"
THIRD_PARTY_LEAD_EN = lazy(r"^\s*(?:(?:and|but|so|ok|okay)\s*,?\s*)?(?:what\s+)?(?:if\s+|about\s+)?(they|(?:the|that) other (school|body|institution|company|college)|(that|another) (school|body|institution|company|college)|"
                                 r"the (school|body|institution|company|college) (next door|nearby))\b", re.I)  # fix28
THIRD_PARTY_LEAD = lazy(r"^\s*(人家|对方|他们|它们|那家|该校|那所|隔壁|兄弟|(别的|其他|其它|另一)(所|家)?(学校|技工院校|机构|公司|单位))")  # fix28
THIRD_PARTY_AFTER = lazy(r"^的?(其他|其它)?(技工院校|机构|公司|单位|学校|培训机构|组织|企业|培训公司|技师学院|行业协会|协会)")  # fix29: 培训公司 …


# fix37 (try29): "we are a municipal school, not provincial", "我们是市属的，不是省属的": the affiliation denied is not the school's
_NEGATED_BEFORE = lazy(r"(不是|并非|而非|而不是|(?<![a-z])not|n't|rather than|instead of)\s*(an? |the )?$", re.I)


_OTHER_AFFILIATION = lazy(r"县属|区属|县级|区级|部属|央属|中央|民办|私立|企业办|企业所属|行业办|行业所属|county|district|private|ministry", re.I)
_WE_ARE = lazy(r"(我们|我校|本校|咱们|咱|技工院校)(也|就|都)?是[^，,。；;？?吗]{0,12}$")


def _third_party(text: str, m: re.Match, described: bool = False) -> bool:
    """"委托有社评资质的机构", "人家没社评资质": the fact is about another party, not the asker's school.
    A description at the start of the question ("没资格的技校能…") is the asker's own case."""
    before = text[:m.start()]
    if THIRD_PARTY_BEFORE.search(before):
        return True
    # fix28: "对方学校只有学生认定资格，社评资质没有": a segment of no party of its own goes on about the party
    # the segment before began with
    segs = re.split(r"[，,]", before)
    if THIRD_PARTY_LEAD.search(segs[-1]) and not re.search(r"我们|我校|本校|咱|我(?!国|省)", segs[-1]):
        return True  # "隔壁学校有学生认定资格但没有社评资质": the segment's subject is the other party
    if len(segs) >= 2 and THIRD_PARTY_LEAD.search(segs[-2]) and not re.search(r"我们|我校|本校|咱|我(?!国|省)", segs[-2] + segs[-1]) \
            and not _OTHER_PARTY.search(segs[-1]) and not re.search(r"[吗么]", segs[-2]):
        return True
    # fix28: "They do not have the social_org qualification", "The other school only has the student qualification":
    # an English sentence whose subject is another party
    sentence = re.split(r"[.;?!。；？！]", before)[-1]
    if THIRD_PARTY_LEAD_EN.search(sentence) and not re.search(r"\b(we|our|us)\b", sentence, re.I):
        return True
    # session 18: "我们是青岛的一所市属技师学院": with `described` (a word that describes a school: 省属/市属), the asker's own
    # school after 我们是 (not a qualification: "我们就是一所有学生认定资格的学校隔壁的技校" names the other school's)
    return bool(m.start() > 2 and THIRD_PARTY_AFTER.search(text[m.end():]) and not before.endswith(("是", "是有"))
                and not (described and _WE_ARE.search(before)))


QUOTED = lazy(r"“[^”]{4,}”|「[^」]{4,}」|\"[^\"]{4,}\"")
DOUBLE_NEGATION = [(re.compile(r"(?<!是)(不是|并非|并不是|也不是)(没有|没)"), "有"),  # "是不是没有" asks  # "不是没有社评资质" has it
                   (re.compile(r"(没有|没|并非|不是)不(?=开|办|具备|有)"), ""),  # "没有不开高级技工班" runs it
                   (re.compile(r"\bnot (that )?(we )?(don't|do not) have\b", re.I), "have")]


def undo_double_negation(text: str) -> str:
    for pattern, repl in DOUBLE_NEGATION:
        text = pattern.sub(repl, text)
    return text


# fix27: "想申报社评，得先有学生认定资格不": a requirement asked about ("得先有", "是不是要有") states no fact
REQUIRED_HAVE = lazy(r"(得|要|需要|必须|需|一定要|非得)(先)?(有|具备|取得|拿到)(?=(了)?(学生|社会培训评价组织|社评|[^，,。？?]{0,6}(资格|资质)))")


def facts_in(text: str, lex: Lexicon, norm: str | None = None) -> dict:
    """School facts stated in the question itself ("我们还没有认定资格" …), read from the question
    and from its normalised form (社评 → 社会培训评价组织 …); facts about another party are left out."""
    facts: dict = {}
    text = undo_double_negation(QUOTED.sub("", text))  # "“取得资格之前…可委托”这句我们还用得上吗": a quote states nothing
    norm = undo_double_negation(QUOTED.sub("", norm)) if norm is not None else None
    texts = [REQUIRED_HAVE.sub("", A_NOT_A.sub("", text))]  # "有没有资格" asks, it does not say "没有资格"
    # (session 18: the normal form's two readings below are made once, not again for class_facts and segment_facts)
    bare_norm = A_NOT_A.sub("", norm) if norm is not None else None
    stated_norm = REQUIRED_HAVE.sub("", bare_norm) if norm is not None else None
    if norm is not None and norm != text:
        texts.append(stated_norm)
    can = lex.fact_gate().possible(texts)  # one scan of the texts: the patterns that cannot match are skipped
    denied = None  # session 18: "我们不是省属的": the affiliation denied, when no other is stated
    for pattern, key, value in lex.fact_patterns:
        if key in facts or pattern.pattern not in can:
            continue
        for t in texts:
            if pattern.search(t) is None:
                continue
            ours = [m for m in pattern.finditer(t) if not _third_party(t, m, described=key == "affiliation")]
            if any(not (key == "affiliation" and _NEGATED_BEFORE.search(t[:m.start()])) for m in ours):
                facts[key] = value
                break
            if key == "affiliation" and ours:
                denied = value
    if denied == "provincial" and "affiliation" not in facts and not _OTHER_AFFILIATION.search(" ".join(texts)):
        # the notice writes to 各市人社局 and 省属技工院校: a technical school that is not 省属 comes under its city, so the
        # filing agency inferred is the city's (one that is not 市属 may be 县属, 民办…: nothing is inferred)
        facts["affiliation"] = "municipal"
    if norm is not None:
        for key, value in class_facts(bare_norm).items():
            facts.setdefault(key, value)
        for key, value in segment_facts(stated_norm).items():
            facts.setdefault(key, value)
    if "student_cert_qualified" not in facts and (facts.get("student_cert_started") is False
                                                  or facts.get("below_standard") is True):
        # "还没开展过学生认定" / "达不到标准要求" alone: read as the school without the qualification (3.1's
        # "取得资格之前或无法达到标准要求的"); with the qualification stated (try27: "有学生认定资格，但还没开展过认定")
        # both facts stand, each for its own rule
        facts["student_cert_qualified"] = False
    return facts


# A fact's subject, and the words around it that say whether the asker's school has it.
_SUBJECTS = [
    ("social_org_qualified", r"社会培训评价组织(的)?(资质|资格)?|social_org( status| qualification)?|social[- ]org( status| qualification)?"),
    # fix22: "学生认定的层次有几个" names the certification's levels, it states no qualification
    ("student_cert_qualified", r"(学生)?(职业技能等级)?认定资格|学生(职业技能等级)?认定(?!的?(层次|等级|级别|流程|程序|对象|范围|条件|职业|工种))|student (certification |certify )?qualification|"
                               r"certify(ing)? (our|its) (own )?students?"),
    ("runs_prep_technician_class", r"预备技师班|preparatory( technician)? class(es)?|preparatory"),
    ("runs_senior_class", r"高级技工班|senior( technician| worker)? class(es)?|senior"),
]
_SUBJECT_RE = lazy("|".join(f"(?P<{k}>{p})" for k, p in _SUBJECTS), re.I)
# fix34: a class or a qualification stopped or withdrawn ("高级技工班停办了": 办了 is not running it)
_NEG = lazy(r"停办|停招|停止招生|停了|撤销|撤了|取消|删除了|删掉了|关停|不办了|不开了|不再(办|开)|没有?|未|无|不具备|不是|尚未|还没|还在|正在|审批中|申请中|不(开|办|具备)|快要|即将|马上(就)?要|就要|快(批|下|拿|到|办)|(?<=[来到批得手过好])(之|以)?前(?![面提述款条几天年段阵些两一不])|(在|还)等(着)?(批|审|结果|下来)|\bno\b|\bnot\b|n't|without|neither|\bnor\b|yet to", re.I)
# fix34: 批了, 获批 ("社评资质去年就批了")
_POS = lazy(r"有|已|取得|拿到|批下来|下来了|具备|是|开着|在办|开了|办了|一直|早就|(?<!没)(?<!未)批(了|过|准了|复了)|获批|\bhold|\bhave\b|\bhas\b|\bgot\b|already|\bruns?\b|\boffer|"
                  r"we're|we are|certify", re.I)
# fix34: 是不是 asks too ("学生认定是不是2021年就开始做了": its 不是 states nothing)
_QUESTION_SEG = lazy(r"[吗么嘛呢?？]|能不能|可不可以|是否|是不是|行不行|可以不|能否|(去|到|在|向|找)(哪|谁)|怎么(办|申请|申报|弄|做|认定)|如何(申请|申报|认定)|(啥|什么|哪些|哪个|几级|多少|谁)\s*$|\b(can|could|may|should|must|do|does|is|are)\b\s+(we|i|a|the|our|it)\b", re.I)
_OTHER_PARTY = lazy(r"人家|对方|他们|隔壁|别的|其他|其它|外校|一家|那家|那所|这所|该校|兄弟|另一|另外|找|去(?!年)|委托|the other|another|other|"  # fix30: 那所
                          r"\bentrust|"  # fix22: "we want to entrust a school that holds the social_org status"
                          r"\bthey\b|next door|nearby", re.I)  # fix28: "They do not have the social_org qualification"
_FIRST_PARTY = lazy(r"我们|我校|本校|咱|我(?!国|省)|技工院校|\b(we|our|us)\b", re.I)  # fix28 (学校 → 技工院校 in the normal form)
_WANTED = lazy(r"(想|想要|准备|打算|争取|尽快|如何|怎么|怎样)(去)?(取得|拿到|获得|拿|申请|申报|具备)(到)?(学生)?[^，,。]{0,4}$")
# fix34: a question mark ends its segment too, kept on the asking side ("…就不能给本校学生认定了？我们学生认定资格是有的":
# the words after it state a fact)
_SEG_SPLIT = lazy(r"[，,。；;.!！]|(?<=[？?])(?=.)|\bbut\b|但是?|可是|不过", re.I)


_MODIFIER = lazy(r"\s*(的)?(学生|学员|毕业生|教师|老师|同学|孩子)")
_CONJ_ONLY = lazy(r"\s*(和|、|及|与|以及|或|或者|还有|跟|,|/|and|or|nor)?\s*(the |a |an )?", re.I)


# fix29: messenger style, blanks for commas ("学生认定资格 社评资质 都没有 想给老师认定二级 能行吗"): the words
# before the blank that starts the asking part are a statement of their own
_CJK_BLANK = lazy(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")


_EMOJI = lazy(r"[\U0001F300-\U0001FAFF\u2600-\u27BF]+")


def _segments(norm: str) -> list[str]:
    """The segments of a question; in a segment that asks, the chunks between blanks (or emoji) before the
    asking chunk, and those after it that ask nothing ("能给老师认二级吗 我们有社评 两个班都开了"), state."""
    out = []
    for seg in _SEG_SPLIT.split(_EMOJI.sub(" ", norm)):
        if seg and _QUESTION_SEG.search(seg) and _CJK_BLANK.search(seg):
            chunks = _CJK_BLANK.split(seg)
            k = next((i for i, c in enumerate(chunks) if _QUESTION_SEG.search(c)), 0)
            tail = chunks[k + 1:]
            if tail and any(_QUESTION_SEG.search(c) for c in tail):
                tail = []
            if k or tail:
                out += [x for x in (" ".join(chunks[:k]), " ".join(chunks[k:len(chunks) - len(tail)]), " ".join(tail)) if x]
                continue
        out.append(seg)
    return out


def segment_facts(norm: str) -> dict:
    """Facts in the statements of a question, whatever the word order: "社评资质刚批下来",
    "学生认定资格早就有了", "run no senior or preparatory technician classes". Question segments
    ("能申报社评吗") state nothing."""
    out: dict = {}
    other_before = False  # fix28: the segment before stated another party's facts only
    for seg in _segments(norm):
        if not seg or _QUESTION_SEG.search(seg):
            continue
        subs = list(_SUBJECT_RE.finditer(seg))
        if other_before and subs and not _FIRST_PARTY.search(seg) and not _OTHER_PARTY.search(seg):
            continue  # "对方只有学生认定资格，社评资质没有": the party of the segment before, not the asker's school
        other_before = bool(subs) and all(_OTHER_PARTY.search(seg[:m.start()]) for m in subs)
        lead = None  # the value a list's first subject takes from the words before it
        for i, m in enumerate(subs):
            key = m.lastgroup
            before = seg[subs[i - 1].end() if i else 0:m.start()]
            after = seg[m.end():subs[i + 1].start() if i + 1 < len(subs) else len(seg)]
            if _OTHER_PARTY.search(before) or (m.start() > 2 and THIRD_PARTY_AFTER.search(seg[m.end():])):
                continue
            if _WANTED.search(before):
                continue  # fix26: "想取得学生认定资格…": wanted, neither held nor said to be missing
            if _MODIFIER.match(after):
                continue  # fix29: "预备技师班的学生 没读完": the class names the students, the 没 is theirs
            value = None
            if i and lead is not None and _CONJ_ONLY.fullmatch(before):
                value = lead  # "没开预备技师班和高级技工班": the negation before a list covers all of it
            for window in (() if value is not None else (before, after)):
                if _NEG.search(window):
                    value = False
                elif _POS.search(window):
                    value = True
                if value is not None:
                    if window is before:
                        lead = value
                    break
            if value is None and i + 1 < len(subs) and not after.strip():
                continue  # "预备技师班、高级技工班都有": the list shares the words after it
            if value is not None:
                out.setdefault(key, value)
        # a list of subjects shares the words after the last one
        if subs and not _MODIFIER.match(seg[subs[-1].end():]):
            tail = seg[subs[-1].end():]
            shared = False if _NEG.search(tail) else True if _POS.search(tail) else None
            if shared is not None:
                for m in subs:
                    if not _OTHER_PARTY.search(seg[:m.start()][-8:]) and not _WANTED.search(seg[:m.start()]):
                        out.setdefault(m.lastgroup, shared)
    return out


_CLASS = r"(?:预备技师班|高级技工班)"
# fix34: a separator only between two classes ("学生注册高级技工班，不能直接认三级吗": the comma ends the list, and the
# 不 of 不能 is the asking modal, not "not run")
_CLASS_LIST = rf"((?:{_CLASS}(?:(?:[、，,和及与/]|以及|还有)(?={_CLASS}))?)+)"
_ADV = r"(?:也|倒是|都|均|还|一直|倒|是|也都|全)*"
# holdout36: "都在招生", "正在招" run the class; session 18 (review): not "在招生筹备阶段", "在招生吗"
_RECRUITING = r"(?:正)?在招(?!生?(?:筹备|准备|前|吗|么|计划))|招(?!生?(?:筹备|准备|前|吗|么|计划))"
_CLASS_AFTER = lazy(_CLASS_LIST + _ADV + r"(没有?|未|不(?!能|可以|行|用|需要|必|是)|开着|开了|有在办|在办|在开|有|开办|开设|办了|办着|开|" + _RECRUITING + ")")
_CLASS_BEFORE = lazy(r"((?:没有?|未|不)(?:开办|开设|开|办|设)?|开了|开着|有|开办了?|开设了?|办了|办着|在办)(?:了)?" + _CLASS_LIST)
_CLASS_ONLY = lazy(r"(?:只|就|仅|仅仅)(?:办|开|有|开办|开设|招)(?:了)?(?!" + _CLASS + r")[^，,。；;]{1,6}班")
# try28: "只有中级工班跟高级工班", "仅有高级工班与中级工班", "就中级工班和高级工班": a list after 只/仅/就 names every
# class the school runs; a class it names is run, a class it leaves out is not (not: "只有高级工班的学生能…")
_CLASS_ITEM = r"[^，,。；;？?！!、和跟与及/\s]{0,5}(?:级|工|技师|技工)班"
_CLASS_ONLY_LIST = lazy(r"(?:只|仅仅|仅|就)(?:办|开|有|开办|开设|招)?(?:了)?(?P<list>" + _CLASS_ITEM
                        + r"(?:(?:[、/和跟与及]|以及|还有)" + _CLASS_ITEM + r")*)(?!\s*(?:的)?(?:学生|学员|毕业生|教师|老师|同学|孩子))")
_BOTH_CLASSES_BEFORE = lazy(r"(?<![没未不])(?<!没有)(开了|办了|开办了|开设了|开着|办着|都开了|都办了|都开着)(这)?(两个|两种|两类|俩)班")
_BOTH_CLASSES = lazy(r"(?:两个|两种|这两个|这两种|俩)班(?:都|也|均|全)*(没有?|未|不|开着|开了|有|在办|开办了?|办了|开|" + _RECRUITING + ")")
_CLASS_KEY = {"预备技师班": "runs_prep_technician_class", "高级技工班": "runs_senior_class"}
# try30: "高技班的老师能认定二级吗？我们有社评": the teachers of a class the school runs (not after a negation or a wish)
_CLASS_TEACHERS = lazy(r"(?<![没未不无开办设想要准备打算])(预备技师班|高级技工班)(的)?(教师|老师)")
# try28: "we only run intermediate and senior worker classes", "run only senior worker classes": the classes
# listed are run, the others not
_CLASS_ONLY_EN = lazy(r"\b(?:only (?:run|runs|have|has|offer|offers|hold|holds|operate|operates)|(?:run|runs|have|has|offer|offers|"
                      r"operate|operates) only)\b(?P<list>(?:\s+|\s*,\s*|\s+(?:and|or)\s+)?(?:(?:junior|primary|intermediate|"
                      r"senior|advanced|preparatory|technician|worker|workers|technical|level\s*\d|and|or|the|\d\+\d|,)\s*)+"
                      r"class(?:es)?)\b", re.I)
_CLASS_KEY_EN = {"preparatory": "runs_prep_technician_class", "senior": "runs_senior_class"}


def class_facts(norm: str) -> dict:
    """"高技班和预备技师班都没开", "预备技师班、高级技工班都有在办", "只办了中级工班"."""
    out: dict = {}
    norm = A_NOT_A.sub("", norm)  # "有没有高级技工班" asks
    for rx in (_CLASS_AFTER, _CLASS_BEFORE):
        for m in rx.finditer(norm):
            verb = m.group(2) if rx is _CLASS_AFTER else m.group(1)
            names = m.group(1) if rx is _CLASS_AFTER else m.group(2)
            value = not verb.startswith(("没", "未", "不"))
            for name, key in _CLASS_KEY.items():
                if name in names:
                    out.setdefault(key, value)
    m = _BOTH_CLASSES.search(norm)  # "两个班都没办"
    if m:
        for key in _CLASS_KEY.values():
            out.setdefault(key, not m.group(1).startswith(("没", "未", "不")))
    if _BOTH_CLASSES_BEFORE.search(norm):  # fix30: "开了两种班": both run
        for key in _CLASS_KEY.values():
            out.setdefault(key, True)
    m = _CLASS_ONLY_LIST.search(norm)  # try28: 只有中级工班跟高级工班: the classes listed are run, the others not
    if m:
        for name, key in _CLASS_KEY.items():
            out.setdefault(key, name in m.group("list"))
    for m in _CLASS_TEACHERS.finditer(norm):  # try30: "高技班的老师能认定二级吗": the school runs that class
        out.setdefault(_CLASS_KEY[m.group(1)], True)
    m = _CLASS_ONLY_EN.search(norm)  # try28
    if m:
        for name, key in _CLASS_KEY_EN.items():
            out.setdefault(key, name in m.group("list").lower())
    if _CLASS_ONLY.search(norm):  # 只办了中级工班: no other class
        for key in _CLASS_KEY.values():
            out.setdefault(key, False)
    return out


# ---------------------------------------------------------------- tokens


def import_jieba():
    """jieba, imported without pkg_resources: jieba only uses it to open its bundled files and falls
    back to plain open() without it, and importing pkg_resources costs ~0.2 s of every one-shot `ask`."""
    import sys

    if "jieba" in sys.modules:
        return sys.modules["jieba"]
    blocked = "pkg_resources" not in sys.modules
    if blocked:
        sys.modules["pkg_resources"] = None  # makes `import pkg_resources` raise ImportError
    try:
        import jieba
    finally:
        if blocked:
            del sys.modules["pkg_resources"]
    return jieba


def _quick_tokenizer(jieba):
    """jieba's Tokenizer with its two costliest steps (≈ 85% of segmenting a question, session 18) written for speed,
    with the very same results; the rest of `cut` (blocks, the HMM for unknown runs) is jieba's own.
    - `get_DAG`: jieba's prefix walk from each position, one dictionary look-up a step instead of two;
    - `calc`: each word's log(frequency or 1) − log(total), jieba's own expression, reckoned once per word and kept
      (the same floating-point values, added to the same route values); no generator per position."""
    from math import log

    class QuickTokenizer(jieba.Tokenizer):
        _logp_of = None  # (FREQ, total) the kept values were reckoned from: started again if jieba's are replaced

        def get_DAG(self, sentence):
            self.check_initialized()
            get = self.FREQ.get
            N = len(sentence)
            DAG = {}
            for k in range(N):
                ends = []
                i = k
                f = get(sentence[k])
                while f is not None:  # (the dictionary holds every prefix of its words, with frequency 0)
                    if f:
                        ends.append(i)
                    i += 1
                    if i == N:
                        break
                    f = get(sentence[k:i + 1])
                DAG[k] = ends or [k]
            return DAG

        def calc(self, sentence, DAG, route):
            if self._logp_of is None or self._logp_of[0] is not self.FREQ or self._logp_of[1] != self.total:
                self._logp, self._logp_of = {}, (self.FREQ, self.total)
            logp, freq, logtotal = self._logp, self.FREQ, log(self.total)
            N = len(sentence)
            route[N] = (0, 0)
            for idx in range(N - 1, -1, -1):
                # max((…, x) for x in DAG[idx]), the first greatest, without a generator
                best = None
                for x in DAG[idx]:
                    w = sentence[idx:x + 1]
                    p = logp.get(w)
                    if p is None:
                        p = logp[w] = log(freq.get(w) or 1) - logtotal
                    way = (p + route[x + 1][0], x)
                    if best is None or way > best:
                        best = way
                route[idx] = best

    return QuickTokenizer


class Tokens:
    """jieba over a small domain dictionary (fast to load), plus English word tokens."""

    def __init__(self, dictionary: str, lex: Lexicon):
        jieba = import_jieba()  # imported here: only matching needs it

        jieba.setLogLevel(logging.WARNING)
        self.lex = lex
        self.tk = _quick_tokenizer(jieba)()
        self.tk.FREQ, self.tk.total = jieba.Tokenizer.gen_pfdict(io.BytesIO(dictionary.encode("utf-8")))
        self.tk.initialized = True
        self._memo: dict[str, tuple[str, ...]] = {}

    def zh(self, norm_text: str) -> list[str]:
        """The words of a normalised text, segmented chunk by chunk (between punctuation); each chunk's words are
        kept (a third of the chunks of a batch recur, "可以吗"; a claim is segmented again for each clause it is
        weighed against)."""
        out = []
        for chunk in _PUNCT_SPLIT.split(norm_text):
            if not chunk:
                continue
            words = self._memo.get(chunk)
            if words is None:
                if len(self._memo) >= 4096:
                    self._memo.clear()
                words = self._memo[chunk] = tuple(tok for tok in map(str.strip, self.tk.lcut(chunk, HMM=True))
                                                  if tok and tok not in ZH_STOP and not tok.isspace())
            out.extend(words)
        return out

    @staticmethod
    def en(norm_text: str) -> list[str]:
        out = []
        for tok in re.findall(r"[a-z0-9_+]+|[\u4e00-\u9fff]+", norm_text):
            if tok in EN_STOP or (len(tok) == 1 and tok.isalpha()):
                continue
            if len(tok) > 4 and tok.endswith("s") and not tok.endswith("ss"):
                tok = tok[:-1]
            out.append(tok)
        return out
