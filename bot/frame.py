"""Reading a question into a frame: what it states and what it asks.

Pure functions over the compiled tables of knowledge/statements.toml and knowledge/asks.toml
and the normalised question; no I/O. The engine uses the frame to
- say "not covered" when the question asks for an element (a date, an amount, a minimum, a
  website, another province, an equivalence …) that no clause supplies (`unsupplied_ask`);
- give a yes/no question about one of the notice's statements its verdict (`statement_for`);
- tell who is asking about whom (own or another school's students and teachers, trainees) and
  what they want to do (certify themselves, entrust, be entrusted) (`who_and_what`);
- read the training level a student is registered at (`registered_level`).
"""
from __future__ import annotations

import functools
import operator
import re
import re._constants as _C  # the expression reader's opcodes, for the prefix check in `search`
import re._parser as _P
from dataclasses import dataclass, field

import ahocorasick

from .lazyre import LazyPattern, compile as compile_cached, lazy


@functools.lru_cache(maxsize=1024)
def rx(pattern: str) -> re.Pattern:
    """Patterns are compiled when first needed: a one-shot question compiles only the few it meets."""
    if isinstance(pattern, LazyPattern):
        return pattern.compiled()
    return pattern if isinstance(pattern, re.Pattern) else compile_cached(pattern, re.I)


_META = lazy(r"[\\.^$*+?{}\[\]()]")


@functools.lru_cache(maxsize=1024)
def literals(pattern: str) -> tuple[str, ...] | None:
    """"权属|产权|房产证|ownership" → its words, searched as plain substrings (much faster than a
    regular expression); None when the pattern is more than an alternation of words."""
    if not isinstance(pattern, str) or _META.search(pattern):
        return None
    words = tuple(w.lower() for w in pattern.split("|"))
    return words if all(words) else None


def _starts(seq, limit: int = 64) -> tuple[set[str], bool]:
    """The strings every match of a parsed sequence starts with (as many characters as can be told),
    and whether the whole sequence was read (False: the prefixes stop before its end)."""
    out = {""}
    for op, av in seq:
        if op in (_C.AT, _C.ASSERT, _C.ASSERT_NOT):
            continue  # zero-width: ^, \b, look-arounds
        if op is _C.LITERAL:
            out = {p + chr(av) for p in out}
            continue
        if op is _C.IN and all(o is _C.LITERAL for o, _ in av) and len(av) * len(out) <= limit:
            out = {p + chr(a) for p in out for _, a in av}
            continue
        if op is _C.SUBPATTERN or op is _C.BRANCH:
            alts = [av[3]] if op is _C.SUBPATTERN else av[1]
            subs, whole = set(), True
            for alt in alts:
                got, done = _starts(alt, limit)
                subs |= got
                whole = whole and done
            if len(subs) * len(out) > limit:
                return out, False
            out = {p + x for p in out for x in subs}
            if not whole:
                return out, False
            continue
        return out, False  # a repeat, any character, a class: the prefix stops here
    return out, True


_REPEATS = (_C.MAX_REPEAT, _C.MIN_REPEAT) + ((_C.POSSESSIVE_REPEAT,) if hasattr(_C, "POSSESSIVE_REPEAT") else ())


def _better(a: set[str] | None, b: set[str] | None) -> set[str] | None:
    """The more telling of two "one of these occurs" sets: the longer shortest string, then the fewer strings."""
    if a is None:
        return b
    if b is None:
        return a
    return max(a, b, key=lambda x: (min(map(len, x)), -len(x)))


# An alternation's strings are the union of its branches' (one Aho-Corasick scan looks for all of them, however many):
# the asks' long lists of words ("考理论|理论考试|…|报名|…", 50–230 strings) are skipped when none occurs.
_UNION_LIMIT = 1024


def _required(seq, limit: int = 64) -> set[str] | None:
    """Strings one of which every match of a parsed sequence contains somewhere (None: cannot be told).
    Each element that every match goes through offers its own: the strings the rest of the sequence
    starts with from that element on, or (for a group, an alternation, a repeat of at least one) what
    every match of its inside contains."""
    best = None
    for i, (op, av) in enumerate(seq):
        if op in (_C.AT, _C.ASSERT, _C.ASSERT_NOT):
            continue
        got, _ = _starts(seq[i:], limit)
        if got and "" not in got:
            best = _better(best, got)
        inner = None
        if op is _C.SUBPATTERN:
            inner = _required(av[3], limit)
        elif op is _C.BRANCH:
            alts = [_required(alt, limit) for alt in av[1]]
            if all(a is not None for a in alts) and sum(map(len, alts)) <= _UNION_LIMIT:
                inner = set().union(*alts)
        elif op in _REPEATS and av[0] >= 1:
            inner = _required(av[2], limit)
        if inner and "" not in inner:
            best = _better(best, inner)
    return best


def compute_anchors(pattern: str) -> frozenset | None:
    """Strings one of which every match of a pattern contains (lower-case), or None when that cannot be
    told: a text containing none of them cannot match. Read by `kb build` (parsing is slow). (Session 14's
    anchors were the strings a match starts with; a string anywhere in the match tells far more patterns
    apart: "批次|…|\\d+号…" has no common start but every branch holds a word.)"""
    try:
        got = _required(_P.parse(pattern, re.I).data)
    except Exception:  # noqa: BLE001 - a pattern this reader does not follow is simply searched
        return None
    if not got or "" in got:
        return None
    return frozenset(x.lower() for x in got)


_ANCHORS: dict[str, frozenset] = {}


def register_anchors(table: dict[str, list[str]]) -> None:
    """The knowledge base's precomputed starts (a pattern's starts depend on the pattern alone)."""
    _ANCHORS.update((p, frozenset(v)) for p, v in table.items())


def anchors(pattern) -> frozenset | None:
    if isinstance(pattern, LazyPattern):  # the reading code's own expressions: read by `kb build` too
        return _ANCHORS.get(pattern.pattern)
    return _ANCHORS.get(pattern) if isinstance(pattern, str) else None


_AUTOMATA: dict[frozenset, "ahocorasick.Automaton"] = {}


def _contains_any(strings, text: str) -> bool:
    """Whether one of the strings occurs in the text: `in` one by one for a few, one Aho-Corasick scan for many
    (an ask's 300 words cost 16 µs one by one, 0.6 µs in one scan)."""
    if len(strings) <= 16:
        for s in strings:  # (a loop, not any(…): no generator made for each of the ~2,700 calls of 201 questions)
            if s in text:
                return True
        return False
    return next(_automaton(strings).iter(text), None) is not None


def _automaton(strings) -> "ahocorasick.Automaton":
    automaton = _AUTOMATA.get(strings)
    if automaton is None:  # built whole before it is shared: the web channel answers in several threads
        automaton = ahocorasick.Automaton()
        for s in strings:
            automaton.add_word(s, s)
        automaton.make_automaton()
        _AUTOMATA[strings] = automaton
    return automaton


@functools.lru_cache(maxsize=32768)
def _found(pattern, text: str) -> bool:
    """One pattern in one text; memoised, for a question's texts are searched again and again (its
    asking segment, its other segments, its parts, the statements and the asked elements)."""
    words = literals(pattern)
    if words is not None:
        return _contains_any(words, text)
    starts = anchors(pattern)
    if starts is not None:
        # (the strings are lower-case: an upper-case text must not hide a match; a regular expression of the
        # strings costs more to compile than it saves)
        if not _contains_any(starts, text.lower()):
            return False
    return rx(pattern).search(text) is not None


def warm(patterns) -> int:
    """Compile the knowledge patterns before the first question:
    a long-running channel pays once at start-up what would otherwise land on the first questions
    that meet each pattern (≈ 250 compilations, most of a first answer's time). Returns how many."""
    n = 0
    for p in patterns:
        words = literals(p) if isinstance(p, str) and p else None
        # (session 18: and the automata `_found` looks for their strings with, 62 of them built during the first
        # 201 questions before; a reading expression (LazyPattern) is compiled by lazyre.warm_all)
        for strings in (words, anchors(p)):
            if strings is not None and len(strings) > 16:
                _automaton(strings)
        if not p or words is not None or isinstance(p, LazyPattern):
            continue
        rx(p)
        n += 1
    return n


_SECOND = operator.itemgetter(1)


class Gate:
    """Which of many patterns can match a text, from one scan of the text (an Aho-Corasick automaton) for the
    strings every match of each contains (`_found`'s own gate: its literal words, or its anchors). A superset:
    the patterns it lets through are searched as before; a pattern whose strings cannot be told always is."""

    def __init__(self, patterns):
        need: dict[str, set[str]] = {}  # a string → the patterns one of whose strings it is
        ungated = set()
        for p in dict.fromkeys(patterns):
            words = literals(p) or anchors(p)
            if words is None:
                ungated.add(p)
            for w in words or ():
                need.setdefault(w, set()).add(p)
        self.ungated = frozenset(ungated)
        self.automaton = ahocorasick.Automaton() if need else None
        for w, ps in need.items():
            self.automaton.add_word(w, frozenset(ps))
        if need:
            self.automaton.make_automaton()

    def possible(self, texts: list[str]) -> set[str]:
        """The patterns that can match one of the texts: a superset of those that do."""
        out = set(self.ungated)
        if self.automaton is not None:
            for t in texts:
                low = t.lower()  # anchors are read in the lower-cased text, literal words in the text itself
                for s in (low,) if low == t else (low, t):
                    out.update(*map(_SECOND, self.automaton.iter(s)))  # (the patterns of each string found; in C)
        return out


class Table(list):
    """The rows of statements.toml or asks.toml, in their order, with an index from each `when` pattern to
    the rows that use it (built on first use): one `Gate` scan of the question tells which patterns can match
    it, hence which rows can, instead of each row's patterns being gated in turn. The rows it lets through are
    checked as before, in order: the first that matches wins."""

    _index: tuple | None = None

    def index(self) -> tuple:
        if self._index is None:
            rows_of: dict[str, list[int]] = {}  # a `when` pattern → the rows that use it
            first_of: dict[str, list[int]] = {}  # a pattern → the rows it comes first in
            for i, row in enumerate(self):
                for p in dict.fromkeys(row.when):
                    rows_of.setdefault(p, []).append(i)
                if row.when:
                    first_of.setdefault(row.when[0], []).append(i)
            always = [i for i, row in enumerate(self) if not row.when]  # (a statement with no pattern holds)
            self._index = (rows_of, first_of, always, Gate(rows_of))
        return self._index

    def rows_for(self, texts: list[str], every: bool) -> list[int]:
        """The rows, in order, whose `when` patterns can match the texts: one of them (`every` False: an ask)
        or all of them (True: a statement)."""
        rows_of, first_of, always, gate = self.index()
        can = gate.possible(texts)
        rows = set(always) if every else set()
        for p in can:  # (a row all of whose patterns must match is looked at only if its first one can)
            rows.update((first_of if every else rows_of).get(p, ()))
        if every:
            return sorted(i for i in rows if can.issuperset(self[i].when))
        return sorted(rows)


def table(rows) -> Table:
    return rows if isinstance(rows, Table) else Table(rows)


def search(pattern, texts: list[str]) -> bool:
    """Whether a pattern occurs in any of the (lower-case, normalised) texts."""
    for t in texts:  # (a loop, not any(…): see `_contains_any`)
        if _found(pattern, t):
            return True
    return False


@dataclass
class Statement:
    clause: str
    verdict: str
    when: list[str]
    unless: list[str] = field(default_factory=list)
    say_zh: str = ""
    say_en: str = ""
    also: list[str] = field(default_factory=list)  # fix38: clauses cited after `clause` (its answer names them)
    topic: str = ""  # fix38: the topic answered under, when it is not the first whose first clause is `clause`
    may: bool = False  # session 18: a permission ("可根据自身情况增加内容"): asked as a must, its answer is no


@dataclass
class Ask:
    kind: str
    when: list[str]
    supplied: list[tuple[str, str]]
    context: str = ""
    zh: str = ""
    en: str = ""
    anywhere: bool = False  # fix32: a subject the notice is not about, read over the whole question (subject_ask)


def compile_statements(data: dict) -> Table:
    return Table(Statement(s["clause"], s["verdict"], list(s["when"]), list(s.get("unless", [])), s.get("say_zh", ""),
                           s.get("say_en", ""), list(s.get("also", [])), s.get("topic", ""), bool(s.get("may", False)))
                 for s in data.get("statement", []))


def compile_asks(data: dict) -> Table:
    return Table(Ask(a["kind"], list(a["when"]), [(x["if"], x["clause"]) for x in a.get("supplied", [])],
                     a.get("context", ""), a.get("zh", ""), a.get("en", ""), anywhere=bool(a.get("anywhere", False)))
                 for a in data.get("ask", []))


def _any(patterns, texts) -> bool:
    for p in patterns:
        if search(p, texts):
            return True
    return False


def unsupplied_ask(asks: list[Ask], texts: list[str], subject_texts: list[str] | None = None,
                   anywhere: bool = False) -> Ask | None:
    """The first element the question asks for (in `texts`, its asking segment) that the notice does
    not supply for its subject (named anywhere in `subject_texts`, the whole question: "分段注册的学生
    比如3+2 啥时候认定" asks "when" about 3+2 students); with `anywhere`, only the asks marked so."""
    subject = subject_texts or texts
    asks = table(asks)
    for i in asks.rows_for(texts, every=False):  # (the asks none of whose patterns can match are skipped)
        a = asks[i]
        if anywhere and not a.anywhere:
            continue
        if _any(a.when, texts) and not any(search(p, subject) for p, _ in a.supplied):
            return a
    return None


# session 18: an A-not-A modal ("需不需要报", "用不用填", "能不能不盖章") asks; its second half is no negation. The
# statements' patterns read "不需要报", "不用填" as asking to leave something out: "换了联系人需不需要重新报附件3" was
# answered 不行 (注7's "不用重报?" statement). Statements are matched on the question with the modal said once.
_MODAL_A_NOT_A = lazy(r"(可以|需要|可|需|要|用|必|能|行)不\1")


def modal_said_once(text: str) -> str:
    """"需不需要重新报附件3" → "需要重新报附件3", "可不可以不填" → "可以不填" (the asked modal, once)."""
    if "不" not in text:
        return text
    return _MODAL_A_NOT_A.sub(r"\1", text)  # ("可不可以": 可不可 → 可, the 以 stays)


def statement_for(statements: list[Statement], texts: list[str], clauses: set[str] | None = None) -> Statement | None:
    """The first statement whose patterns all match (and none of its `unless`); with `clauses`,
    only statements of those clauses. (A-not-A modals are read once: `modal_said_once`.)"""
    texts = [modal_said_once(t) for t in texts]
    memo: dict[str, bool] = {}  # statements share patterns ("工作方案|work plan" …): each is searched once

    def hit(p: str) -> bool:
        h = memo.get(p)
        if h is None:
            h = memo[p] = search(p, texts)
        return h

    statements = table(statements)
    for i in statements.rows_for(texts, every=True):  # (those with a pattern that cannot match are skipped)
        s = statements[i]
        if clauses is not None and s.clause not in clauses:
            continue
        for p in s.when:
            if not hit(p):
                break
        else:
            if not any(hit(p) for p in s.unless):
                return s
    return None


def elliptic_statement(statements: list[Statement], texts: list[str], clause: str, clause_text: str) -> Statement | None:
    """fix23: "用逗号隔开行不行" (after, or matched to, the topic of 附件3注5): a yes/no question that leaves out the
    subject its topic gives. The first statement of `clause` whose patterns all match the question but one, that
    one matching the clause's own text (the subject left out); at least two must match the question itself, and
    none of its `unless`."""
    for s in statements:
        if s.clause != clause or len(s.when) < 3:
            continue
        missing = [p for p in s.when if not search(p, texts)]
        if len(missing) == 1 and search(missing[0], [clause_text]) and not any(search(p, texts) for p in s.unless):
            return s
    return None


# ---------------------------------------------------------------- who asks about whom

# fix34: also "学生能找我们认定吗" (students who come to us are another school's); "(students|teachers) of/from another …" singular (normalised) and with a Chinese school word ("another 技工院校")
OTHER_SCHOOL = lazy(r"(别的|其他|其它|外校|隔壁|兄弟|另一|另外)(的)?(所|家)?(技工院校|院校)?([（(][^）)]{0,12}[）)])?(的)?(学生|教师)|(?<![去到找请让向求托])外校(?!(去)?(参加)?(认定|认|评|考|帮|给|为))|(?<=[帮给为替])外校|(不是|非)(技工院校|本校|我校)(的)?学籍|学籍不在|他们(的)?(技工院校|学校)?(的)?(学生|教师)|"
                          r"(没有|不具备|无|没|未取得|尚未取得)(学生)?.{0,8}(资格|资质)的技工院校(的)?学生|(别的|其他|其它|外|另一?|隔壁|兄弟|友邻|邻近)(所|家|个)?(技工院校|学校)?(的)?学籍|学籍(注册|挂|放|是)?在(别的|其他|其它|外|另一|隔壁|兄弟)|技工院校(的)?委托|委托我们|(能|可以)?找我们(来)?(给|为|帮)|(学生|教师|老师)(能|可以|想|要|能不能|可不可以)?(来)?找(我们|我校|本校)(来)?(认定|评价|考)|(他们|对方|人家|那所|那边)(想|要|打算|准备)?(把)?(学生|教师|老师)(送|转|带|派)?(到|来)(我们|我校|我们学校|本校|这)|接.{0,4}委托|(students|teachers) (of|from) (an)?other (technical )?schools?|\b(students?|teachers?) (of|from|at) (an)?other (technical )?(schools?|技工院校|技校|学校|技师学院)|(students|teachers) (of|from|at) (technical )?schools? (lacking|without|that (lack|don't have|do not have))|"
                          # fix22: "隔壁技校…他们有一批学生想到我们这认定", "隔壁技校有一批学生想来我们这": that school's students come to us
                          r"(他们|对方|人家|那所|那边|(隔壁|别的|其他|其它|兄弟|外|另一)(所|家)?(技工院校|学校|技师学院))(那边|学校|技工院校)?(有|的)?(一批|一些|几个|部分|不少|些|好多|很多|\d+个|\d+名)?(的)?(学生|教师|老师)(想|要|打算|准备|希望|也想)?(送|转|带|派)?(到|来)(我们|我校|我们学校|本校|这|技工院校)|"  # 我校 reads 技工院校 once normalised
                          r"other schools'? (students|teachers)|their (students|teachers)|asked us|for (an)?other schools?|"
                          # fix37 (try29): "我们能不能帮隔壁没资格的技校认定学生": the asker certifies for that school
                          r"(?<!委托)(?<!交)(帮|给|为|替)(隔壁|别的|其他|其它|兄弟|外地|附近|邻近|另一|另外|一些|那些)(的)?(所|家|些)?[^，,。；;？?我本咱]{0,10}?(技工院校|学校|技师学院|院校)(的)?(做|开展|进行)?(认定|评价|鉴定)?(的)?(学生|教师|老师)|"
                          # fix28: "Could a technical school entrust us with certifying its students?": we are entrusted
                          r"\bentrust(s|ed|ing)? us\b|\b(send|sends|refer|refers|hand|hands) (us|to us) (its|their) students|"
                          r"(学籍|registration|registered)\b.{0,12}\b(at|in|with) (a|an|another) (different |other )?(technical )?school|"
                          r"\bregistered (elsewhere|somewhere else)\b|"  # fix30
                          r"\b(students|teachers) (of|from|at) (the|a) (neighbou?ring |nearby )?(technical )?(school|college)s? (next door|nearby|down the road)|\bneighbou?ring (technical )?(school|college)'?s? (students|teachers)|"  # fix37
                          # fix30: "在我们这借读的，学籍还在原来那所学校": a guest student is registered at the school it came from
                          r"借读|学籍(还|仍|仍然|依然|都)?(注册|挂|放|是|留|落)?在原(来|先|本)?(的|那)?(所|个|家)?(技工院校|学校|校)|原(来|先)(的|那)?(所|个|家)?(技工院校|学校|校)(的)?学籍",
                    gate=True)  # (session 18: 46 µs a search, 11 µs gated: most texts it is searched in hold none of its words)
# "替兄弟学校问：他们还没有学生认定资格，能不能先自己给学生认定": the school asked about is "他们"
ON_BEHALF = lazy(r"^\s*(?:我)?(?:是)?(?:替|帮|代|为)(?:兄弟|别的|其他|其它|隔壁|朋友|一所|一家|另一|另外)?(?:的)?(?:学校|技工院校|技校|技工学校|技师学院|单位|院校)?"
                       r"(?:的)?(?:同事|朋友|领导|老师)?(?:问|咨询|打听|请教)(?:一下|一句|下|个事)?[：:，,\s]+")
_FIRST_PERSON = lazy(r"我们|我校|本校|咱|我(?!国|省)")
_THEY = lazy(r"他们|人家|对方|该校")


def on_behalf(text: str) -> str:
    """"替兄弟学校问：他们还没有资格，能自己认定吗" is asked as that school would ask it ("我们还没有资格…"),
    unless the asker's own school is a party too ("他们没有资格，我们有社评资质，他们的老师能来我们这认定吗")."""
    m = ON_BEHALF.search(text)
    if not m:
        return text
    rest = text[m.end():]
    if not rest or _FIRST_PERSON.search(rest):
        return text
    return _THEY.sub("我们", rest)


# fix27: "a training institution nearby holds 社评 — may we entrust it": the institution is the party entrusted;
# its members ("learners from a training institution") are trainees
TRAINEES = lazy(r"金蓝领|新型学徒制|职业培训机构(的)?学员|培训机构学员|学员|apprentice|golden blue|trainees? of|"
                      r"\b(of|from|at|in) (a |an |the )?(local |private |vocational |nearby )*training institutions?|"
                      # holdout36 (variant): "A training institution's trainees want to be certified by us" (trainees read student)
                      r"\btraining (institution|centre|center|company|provider|organi[sz]ation)s?'s? (students?|trainees?|learners?)")
# holdout21: "找隔壁学校认定 他们也没有社评资质" is entrusting that school (it got "yes" before)
ENTRUST = lazy(r"委托|找别的|找其他|找(个|一个|一家|家)|找(隔壁|兄弟|附近|邻近|周边)(的)?(技工院校|学校|机构|单位)|找我们(来)?(给|为|帮)|(让|请|叫)(它|他们|对方|人家|这家|那家|别人|其他人)(来)?(帮|给|为)|帮我们(的)?(学生|教师)?(做|认定)|代为|entrust|outsource|someone else|"
                     r"\bask (an|a|another|other)\b.{0,90}\bto (certify|assess)|"
                     # try27: "请有社评资质的培训机构给我们学生认定": a party named between the asking verb and 给/为
                     r"(请|让|叫|找)[^，,。？?；;]{0,20}(技工院校|学校|院校|机构|公司|单位|组织)(来)?(给|为|帮)(我们|本校|我校|咱们?)?(的)?(学生|教师|老师)|"
                     r"use (a|an|another) (company|body|organi[sz]ation|school|institution)")
GO_ELSEWHERE = lazy(r"(去|到|找)(别的|其他|其它|外|有|具备|另).{0,20}(技工院校|机构)(去)?(参加)?.{0,8}认(定)?|certified (at|by) (another|other)|"
                          # try30: "老师可以先找外校认定吗", "能去外校评吗": another school gone to; "别的学校能给我认定吗" (a
                          # teacher or a student asking for themself)
                          r"(去|到|找|请|让|求|托)外校(去)?(参加)?(认定|认|评|考|帮|给|为)|"
                          r"(别的|其他|其它|外|另一?|隔壁|兄弟)(所|家)?(技工院校|机构|学校|校)[^，,。？?]{0,6}(给|为|帮|对)我(?!们|校)|"
                          # try28: "青岛的学生跑到济南的学校去认定行不": students going to a school of another city
                          r"(学生|教师)[^，,。？?]{0,4}(跑到|跑去|去|到)(?!本校|我校|我们|咱)[^，,。？?本我咱]{1,6}?的(技工院校|技师学院|机构)(去)?(参加)?.{0,6}认定|"
                          r"^(?!.*(我们|我校|本校|咱)).{0,4}(行业协会|协会|公司|企业|培训机构|社会培训评价组织)(能|可以|可不可以|能不能|能否)?(给|为|帮|对)(技工院校|学校)?(的)?学生|"
                          # fix29: "培训公司能给我们学生认定吗": the body certifies the asker's students
                          r"^(?!.*(我们|我校|本校|咱)(是|这)).{0,4}(行业协会|协会|培训公司|公司|企业|培训机构)(能|可以|可不可以|能不能|能否)?(给|为|帮|对)(我们|我校|本校|咱们?)(学校|技工院校)?(的)?学生|"
                          r"\b(a|an|another|other|some) (private |local |nearby |vocational )*(training )?(company|body|institution|organi[sz]ation|provider|centre|center)s? (certify|assess)\w* (our|its|the) students?|"
                          r"由(其他|其它|别的|另一所|外)[^，,。？?]{0,16}(技工院校|学校|机构)(为|给|对)(其|他们|他|她)|"
                          r"(别的|其他|其它|外)(技工院校|机构|学校).{0,6}(给|为|帮)(我们|本校|我校|技工院校)?(的)?(学生|教师)|"
                          # "隔壁技师学院有社评资质，能不能给我们学校的学生认定" (try26)
                          r"(隔壁|兄弟|附近|邻近|另一所|另一家)(的)?(技工院校|机构|学校|公司)[^？?。；;]{0,20}?(给|为|帮)(我们|本校|我校|技工院校)(的)?(学生|教师)|"
                          r"(another|other) (technical )?(school|body|institution)s? .{0,40}(certify|assess) our|"
                          r"\b(company|body|institution|organi[sz]ation) (that|which) (holds?|has)\b.{0,40}\b(certify|assess) the student|"
                          # fix27: "Can a company with 社评 status certify our students?"
                          r"\b(a|an|another|other) (company|body|institution|organi[sz]ation|school|college)s? (with|holding|that (has|holds)|which (has|holds))\b.{0,40}\b(certify|assess)\w* (our|its|the) students?")
SELF = lazy(r"自己|自行|本身|ourselves|its own students|our own students|certify (its|our) own")


@dataclass
class Who:
    about: str = ""  # own_students | own_teachers | other_students | other_teachers | trainees
    action: str = ""  # self | entrust | serve | elsewhere


# "可以不给别的学校学生认定吗", "能拒绝吗": whether a school may decline to certify someone
REFUSE = lazy(r"(可以|能|可不可以|能不能|能否)(不|拒绝)(给|为|对|帮|接受|接)|拒绝(给|为|对|接受)|\b(refuse|decline|turn away)\b", re.I)


NOT_ENTRUSTING = lazy(r"(无需|不用|不必|不需要|无须|没必要|不再)(另行|再|去|找人)?(委托|找别人)")


# fix27: "学生是从外校转过来的，学籍已经转到俺们学校了": a student transferred in is the school's own now
TRANSFERRED_IN = lazy(r"(从)?(外校|别的(技工院校|学校)|其他(技工院校|学校)|其它(技工院校|学校))(转学|转)(过来|来|进来|入|到我们|到本校)(的)?")
# fix28: "准备让兄弟学校帮忙认定学生" (帮忙认定 reads 委托): we ask the other school, we entrust it
WE_ENTRUST = lazy(r"(让|请|叫|找)(兄弟|隔壁|别的|其他|其它|附近|另一|一所|一家)(所|家)?(的)?(技工院校|学校|技师学院|机构|公司)(来)?(帮忙|帮|给|为)?委托(?!我们|我校|本校|咱)")


def who_and_what(texts: list[str], groups: list[str]) -> Who:
    w = Who()
    texts = [NOT_ENTRUSTING.sub("", t) for t in texts]  # "直接开展高级认定，无需另行委托": not entrusting
    texts = [TRANSFERRED_IN.sub("", t) for t in texts]
    if _any([WE_ENTRUST], texts) and "teacher" not in groups:
        w.about, w.action = "own_students", "entrust"
        return w
    other = _any([OTHER_SCHOOL], texts)
    if other:
        w.about = "other_teachers" if "teacher" in groups and "student" not in groups else "other_students"
        said = [m.group(0) for t in texts for m in OTHER_SCHOOL.finditer(t)]
        if "teacher" in groups and said and all(re.search(r"教师|teacher", x, re.I) for x in said):
            w.about = "other_teachers"  # "only the student qualification — teachers from other schools": the teachers are asked about
        w.action = "serve"
    elif _any([TRAINEES], texts) and "teacher" not in groups:
        w.about, w.action = "trainees", "serve"
    elif _any([GO_ELSEWHERE], texts) and "public" not in groups:  # 社会人员 going to a school is 2.1's
        w.about = "own_teachers" if "teacher" in groups else "own_students"
        w.action = "elsewhere"
    elif _any([ENTRUST], texts) and "teacher" in groups and "student" not in groups \
            and not (_any([BODY_PARTY], texts) and not _any([SCHOOL_PARTY], texts)):
        # try30: "本校没有社评资质，教师可以委托其他技工院校认定吗", "Could another school certify me? I'm a teacher":
        # the school's teachers certified by another school (3.3), not its students entrusted (3.1)
        w.about, w.action = "own_teachers", "elsewhere"
    elif _any([ENTRUST], texts):
        w.about, w.action = "own_students", "entrust"
    elif _any([SELF], texts):
        w.about, w.action = ("own_teachers" if "teacher" in groups else "own_students"), "self"
    return w


# ---------------------------------------------------------------- the registered training level (1.1)

TRAINING = {"初级": 5, "中级": 4, "高级": 3, "预备技师": 2, "五级": 5, "四级": 4, "三级": 3, "二级": 2, "一级": 1,
            "junior": 5, "intermediate": 4, "senior": 3, "preparatory": 2}
_T = "预备技师|初级|中级|高级|五级|四级|三级|二级|一级"
REGISTERED = lazy(rf"注册(的|了|为|在)?(是)?(?P<a>{_T})|(?P<b>{_T})(技)?(工)?(培养)?(层次|班)(的)?(学生)?|"
                        r"registered (at|for|in) (the )?(?P<c>junior|intermediate|senior|preparatory)|"
                        # try28: "Can our senior class students get level 3?"
                        r"(?P<e>junior|intermediate|senior|preparatory)([ -]technician|[ -]worker)?[ -](class|classes|course|programme|program)('s)? (students?|graduates?)", re.I)  # holdout36 (variant): senior-class students
ASKED = lazy(rf"(认定|认|评|考)(到|为|成)?(?P<a>{_T})|"
             rf"(按|按照|以)(?P<d>{_T})(技)?(工)?(的)?(级别|等级|层次|标准)?(来|去)?(直接)?((给|为|帮)(他|她|他们|她们|学生|该生|这个学生|这名学生|这位学生)?)?(直接)?(认定|认|评|发证)|"  # fix34: "按高级来认定"; fix41: "按高级工给他认定"
             rf"certif(y|ied) .{{0,16}}level(?P<n>[1-5])|"
                   r"certif(y|ied) .{0,16}\b(at|as|to) (the )?(?P<w>junior|intermediate|senior|preparatory)\b", re.I)


# try28: "只有中级工班跟高级工班，学生能认定三级吗": a class named in a list of the classes the school runs is the
# school's, not the level a student is registered at ("高级工班的学生" is)
_CLASS_LIST_BEFORE = lazy(r"(只有|仅有|就|有|开了|办了|开办了?|开设了?|开着|办着|[和跟与及、/]|以及|还有)$")
_CLASS_LIST_AFTER = lazy(rf"^\s*([和跟与及、/]|以及|还有)\s*[^，,。；;？?]{{0,4}}({_T})")


def _school_class(norm: str, m: re.Match) -> bool:
    if m.group("b") is None or not m.group(0).endswith("班"):
        return False
    return bool(_CLASS_LIST_BEFORE.search(norm[:m.start()]) or _CLASS_LIST_AFTER.search(norm[m.end():]))


def registered_level(norm: str) -> tuple[int | None, int | None]:
    """(the level the student is registered at, the level asked about), or None for either."""
    reg = asked = None
    m = next((x for x in REGISTERED.finditer(norm) if not _school_class(norm, x)), None)
    if m:
        reg = TRAINING.get((m.group("a") or m.group("b") or m.group("c") or m.group("e") or "").lower())
    for a in ASKED.finditer(norm):
        if m is None or a.start() >= m.end() or a.end() <= m.start():
            asked = int(a.group("n")) if a.group("n") else TRAINING.get((a.group("a") or a.group("d") or a.group("w") or "").lower())  # fix34: d
    return reg, asked


# "有社评资质的技校可以给外校学生认定吗": a question about schools that hold the qualification
QUALIFIED_SUBJECT = lazy(r"(有|具备|取得了?|拿到了?)(了)?(社会培训评价组织)(的)?(资质|资格)(的)?(技工院校|学校|机构)[，,\s]?(也|并|都)?(可以|能|可|能够|不能|不可以)|"
                               r"(找|到|去|在|向|请)(一所|一家|一个)?(有|具备|取得了?|拿到了?)(了)?(社会培训评价组织)(的)?(资质|资格)(的)?(技工院校|学校|机构)|"
                               r"(schools?|bodies|institutions?) (with|holding|that (has|have|hold|holds)) (the )?social_org\b.{0,12}\b(can|may)", re.I)

# "没资格的学校能申报社评吗", "apply to be a social training evaluation organisation": applying is the question
APPLY_SOCIAL = lazy(r"(申报|申请)(成为)?(社会培训评价组织)|appl(y|ying|ication)\w* (to be(come)?|to become|for|as) (an? |the )?social_org", re.I)

# teachers of technical schools in general, not the asker's own ("给技工院校教师认定")
GENERIC_TEACHERS = lazy(r"^(?!.*(本校|我校|我们|咱|自己|own|our)).*(技工院校|技校|技工学校|技师学院)(的)?(教师|老师)", re.I)

# fix28: the party a question names before saying what it holds ("对方学校…", "隔壁技校…", "别的机构…")
_PARTY_LEAD = (r"(?:(?:人家|对方|他们|它们|那家|该机构|该公司|这家|那所|隔壁|兄弟)(?:所|家)?(?:学校|技工院校|机构|公司|单位)?|"
               r"(?:别的|其他|其它|另一)(?:所|家)?(?:学校|技工院校|机构|公司|单位))")
_PARTY_LEAD_EN = (r"\b(?:they|(?:the|that) other (?:school|body|institution|company|college)|(?:that|another) (?:school|body|institution|company|college)|"
                  r"the (?:school|body|institution|company|college) (?:next door|nearby))\b")  # fix28: not "the school", "it" (may be ours)
THIRD_NO_SOCIAL = lazy(
    r"(没有?|无|不具备|不是)(社会培训评价组织)(的)?(资质|资格)?(的)?[\u4e00-\u9fff]{0,4}?(公司|机构|单位|企业|技工院校|培训机构|学校)|"
    r"(人家|对方|他们|它们|它|那家|该机构|该公司|这家|那个机构|那个公司|这个公司|那所)(学校|技工院校|机构|公司)?(自己|自身|本身)?(?:(?!我们|我校|本校|咱|自己)[^。；;？?！!]){0,24}?(?<!有)(没有?|无|不具备)(社会培训评价组织)|"  # fix28: 有没有/有无 ask
    # fix22: "想委托隔壁技校，隔壁技校也没有社评资质": the party named again lacks it
    r"(隔壁|兄弟|附近)(的)?(学校|技工院校|技师学院|机构|培训机构|公司)(也|都|同样|自己)?(还)?(没有?|无|不具备)(社会培训评价组织)|"
    r"(和|与|跟)(隔壁|别的|其他|另一所?|另一家|那所|那家|对方|兄弟)(学校|技工院校|机构|单位)?[^。；;？?！!]{0,20}(都|也都|均|同样)(没有?|无|不具备)(社会培训评价组织)|"
    r"(委托|受托)的?(机构|公司|单位|技工院校|一方)(也)?(没有?|无|不具备)(社会培训评价组织)|"
    # holdout21: "委托的那个学校只有学生认定资格没有社评资质": the party entrusted, described across a few words
    r"(委托|受托)的?(那个|那所|那家|这个|这所|这家)(机构|公司|单位|技工院校)(?:(?!我们|我校|本校|咱|自己)[^。；;？?！!，,]){0,16}?(没有?|无|不具备)(社会培训评价组织)|"
    r"(没有?|无|不具备)资质的(公司|机构|单位|企业|培训机构)|"
    # fix30: "委托一家没有任何认定资质的培训机构", "什么资质都没有的公司": no qualification at all
    r"(没有?|无|不具备)(任何|什么)(认定|评价)?(的)?(资质|资格)的[\u4e00-\u9fff]{0,4}?(公司|机构|单位|企业|培训机构|技工院校|学校)|"
    r"(没有?|无|不具备)(认定|评价)(的)?资质的[\u4e00-\u9fff]{0,4}?(公司|机构|单位|企业|培训机构)|"
    # fix30: "委托一家没有社评资质但有学生认定资格的技校": the party entrusted, described at length before its noun;
    # "委托的培训机构没有任何资质"
    r"委托(给)?(一家|一所|一个|家|所)?(没有?|无|不具备)(社会培训评价组织)(的)?(资质|资格)?[^，,。？?]{0,12}?的(公司|机构|单位|企业|技工院校|培训机构|学校)|"
    r"(委托|受托)的?(那个|那家|这家|那所|这所)?(培训机构|机构|公司|单位|技工院校|学校|企业)(也)?(没有?|无|不具备)(任何|什么|啥)(认定|评价)?(的)?(资质|资格)|"
    # fix41 (holdout37): "想委托一家普通培训公司给学生认定，这家公司没有任何评价资质": the party named again lacks any
    r"(这家|那家|这个|那个|该|对方|人家)(培训)?(公司|机构|单位|企业|培训机构)(也|都|本身|自己)?((没有?|无|不具备)(任何|什么|啥)(认定|评价)?(的)?(资质|资格)|"
    r"(任何|什么|啥)(认定|评价)?(的)?(资质|资格)(都|也)(没有?|不具备))|"
    r"(委托|找|交给)(给)?(一所|一家|一个|所|家)?只(有|具备|取得了?|拿到了?)(学生)?[^，,。？?]{0,6}认定资格的[\u4e00-\u9fff]{0,4}?(技工院校|学校|机构|公司|单位|技师学院)|"
    r"(什么|任何|啥)(认定|评价)?(的)?(资质|资格)(都|也)(没有?|不具备)的[\u4e00-\u9fff]{0,4}?(公司|机构|单位|企业|培训机构|技工院校|学校)|"
    # holdout21 (rewordings): the party's qualification pending or withdrawn is not held ("委托给社评资质还在申请中的学校",
    # "隔壁学校社评资质被取消了 我们还能委托他们吗")
    r"(社会培训评价组织)(的)?(资质|资格)?(还|正|目前|仍)?在(申请|申报|审批|审核|办理)(中)?的(技工院校|学校|机构|公司|单位)|"
    r"(隔壁|别的|其他|其它|兄弟|那所|那家|对方|人家|他们|受托)(的)?(技工院校|学校|机构|公司|单位)?(的)?(社会培训评价组织)(的)?(资质|资格)?"
    r"(已经?)?(被)?(取消|撤销|删除|吊销|收回|暂停|停了|没了|过期|失效|还在(申请|申报|审批)|还没(批|批下来|下来))|"  # 取消 reads 删除 once normalised
    # fix27: "隔壁技校只有学生认定资格，没有社评资质，俺们能委托它给俺们学生认定不": the school described
    # first lacks it, and is then entrusted by a pronoun (not "委托我们": then the asker is entrusted)
    r"(隔壁|附近|兄弟|别的|其他|其它|另一所|另一家|那所|那家)(的)?(技工院校|学校|机构|公司|单位|技师学院)(?:(?!我们|我校|本校|咱|自己)[^。；;？?！!]){0,24}?"
    r"(没有?|无|不具备)(社会培训评价组织)[^。？?！!]{0,30}?委托(给)?(它|他们|对方|人家|该校|那所|这所|那家|这家)|"
    # fix28: "对方学校只有学生认定资格，社评资质没有": the party first, its qualification said after it
    + _PARTY_LEAD + r"(?:(?!我们|我校|本校|咱|自己)[^。；;？?！!]){0,24}?"
    r"(社会培训评价组织)(的)?(资质|资格)(也|都|还|却|倒)?(没有|没|无)(?![^，,。；;]*?[吗么])|"
    # fix28: "隔壁学校有学生认定资格但没有社评资质", "对方只有学生认定资格" (then it lacks 社评资质)
    + _PARTY_LEAD + r"(?:(?!我们|我校|本校|咱|自己)[^。；;？?！!]){0,24}?(?<!有)(没有?|无|不具备)(社会培训评价组织)|"
    + _PARTY_LEAD + r"(?:(?!我们|我校|本校|咱|自己)[^。；;？?！!，,]){0,6}?只(有|具备|取得了?|拿到了?)(学生)?[^，,。；;]{0,6}认定资格(?![^，,。；;]*?[吗么])|"
    + _PARTY_LEAD_EN + r"[^.;?]{0,20}?\b(?:only (?:has|have|holds?)|(?:has|have|holds?) only)\b.{0,12}student|"
    # fix28: "They do not have the social_org qualification, can we still entrust them?", "The other school only
    # has the student qualification, not the social one"
    + _PARTY_LEAD_EN + r"[^.;?]{0,40}?\b(?:(?:do not|don't|does not|doesn't|did not|didn't) (?:have|hold)\b.{0,12}social_org|"
    r"not the social (?:one|qualification)\b|(?:lacks?|without|no) (?:the )?social_org)|"
    r"(without|no|lacks?|lacking|doesn't have|does not have)\b.{0,12}social_org|"
    # fix30: "entrust a school that only holds the student qualification"
    r"\b(company|body|institution|organi[sz]ation|provider|school|college|centre|center) (that|which) (only (has|holds?)|(has|holds?) only)\b.{0,12}student|"
    # fix30: "entrust a training company that has no qualification at all"
    r"\b(company|body|institution|organi[sz]ation|provider|school|college|centre|center) (that|which) (has|holds) no (qualifications?|certification|accreditation)\b|"
    r"\b(company|body|institution|organi[sz]ation|provider|school|college|centre|center) (without|lacking) (any )?(qualifications?|certification|accreditation)\b")


# "委托有社评资质的技师学院", "another school that holds the social_org qualification": the party holds it
# (try30: not 没有/无/不具备 …: "委托没有社评的学校" names a party without it)
THIRD_SOCIAL = lazy(
    r"(委托|找|请|交给|让)(给)?(一所|一家|另一所|另一家|隔壁|别的|其他|其它)?[^，,。；;？?！!]{0,8}?(?<!没)(?<!无)(?<!不)(有|具备|取得了?|拿到了?)(了)?(社会培训评价组织)|"
    r"(?<!没)(?<!无)(?<!不)(有|具备|取得了?|拿到了?)(社会培训评价组织)(的)?(资质|资格)?的(其他|其它|别的)?(技工院校|学校|机构|公司|单位|技师学院)|"
    r"(别的|其他|其它|一所|一家)?(?<!没)(?<!无)(?<!不)有(社会培训评价组织)?资质的(其他|其它|别的)?(技工院校|学校|机构|公司|单位|技师学院)|"
    # fix22: "委托市里的一所技师学院…，他们已经具备社会培训评价组织资质了", "…兄弟学校有社评资质": the party, named again, holds it
    r"(人家|对方|他们|那家|该机构|这家|那所|该校|那个学校|受托方|(隔壁|兄弟|附近)(的)?(学校|技工院校|技师学院|机构|培训机构|公司))(学校|技工院校|机构|公司)?(自己|自身|本身)?(已经|已|也|都|早就)?(有|具备|取得了?|拿到了?)(了)?(社会培训评价组织)|"
    # fix28: "人家社评资质是有的", "对方社评资质已经批下来了": the party first, then that it holds it
    + _PARTY_LEAD + r"(?:(?!我们|我校|本校|咱|自己)[^。；;？?！!，,]){0,6}?(社会培训评价组织)(的)?(资质|资格)(也|都|已经?|早就|是)?(?<![没不无未])"
    r"(有的|有了|有|具备|拿到了?|取得了?|批下来了?|下来了)(?![^，,。；;]*?[吗么])|"
    # fix28: "想委托隔壁技师学院…，他们已经具备社评资质": the party named, then what it holds
    + _PARTY_LEAD + r"(?:(?!我们|我校|本校|咱|自己)[^。；;？?！!，,]){0,8}?(?<![没不无未否])(有|具备|取得了?|拿到了?)(了)?(社会培训评价组织)(?![^，,。；;]*?[吗么])|"
    # fix28: "…the college next door; they already hold the social_org qualification"
    + _PARTY_LEAD_EN + r"(?: already| also| do| does)?\s+(?:holds?|has|have|got)\b.{0,12}social_org|"
    r"(that|which|who) (holds?|has|have)\b.{0,12}(social_org|社会培训评价组织)|(holding|with) (the )?(social_org|社会培训评价组织)|"
    # holdout21: "想委托隔壁技师学院给学生认定 他们有社评资质的": the party named, then what it holds
    r"(委托|找|请|交给|让)[^。；;？?！!]{0,20}?(他们|人家|对方|该校|那边|那所|那家)(学校|技工院校|机构)?(也|都|已经?)?(有|具备|取得了?|拿到了?)(了)?(社会培训评价组织)", re.I)
# fix26: "那家公司要是有社评资质呢", "要是对方没有社评资质呢", "what if that company holds 社评 status?": after a question
# about entrusting, the party named before is said to hold (or lack) the qualification (True/False; None: not such a follow-up)
PARTY_STATUS = lazy(r"^\s*(那么?|要是|如果|假如|假设)?\s*(那|这|该|对方|人家|他们|它)(家|所|个)?(公司|机构|学校|技工院校|单位|技师学院|培训机构|企业)?"
                          r"(要是|如果|假如)?(也|都|本身|自己)?(?P<neg>没有?|无|不具备)?(有|具备|取得了?|拿到了?)?(了)?(社会培训评价组织|资质)|"
                          # "那要是他们也没有呢": the qualification just named, left out
                          r"^\s*(那么?)?(要是|如果|假如)?(他们|对方|人家|那家|那所|它)(要是|如果)?(也|都)?(?P<neg_bare>没有?|无|不具备)(的话)?(呢)?[?？。]*\s*$|"
                          # fix30: "那要是对方只有学生认定资格呢", "And what if that other school only has the student certification
                          # qualification, not the social one?": the party holds the student qualification only, not 社评资质
                          r"^\s*(那么?|要是|如果|假如|假设)?\s*(那|这|该|对方|人家|他们|它)(家|所|个)?(公司|机构|学校|技工院校|单位|技师学院|培训机构|企业)?"
                          r"(要是|如果|假如)?(也|都|本身|自己)?(?P<neg_only>只|仅|就)(有|具备|取得了?|拿到了?)(了)?(学生)?[^，,。？?]{0,6}认定资格|"
                          r"^\s*(and |but )?(what )?if (that|the|this)( other)? (company|school|body|institution|provider|one) "
                          r"(?P<neg_only_en>only (has|have|holds?|had)|(has|have|holds?|had) only)\b.{0,12}student|"
                          r"^\s*(and )?(what )?if (that|the|this)( other)? (company|school|body|institution|provider|one) (?P<neg_en>doesn't |does not |didn't )?"
                          r"(has|have|holds?|had|held)\b.{0,12}(social_org|社会培训评价组织)|"
                          # "And if it doesn't?": the qualification just named, left out
                          r"^\s*(and |but )?(what )?if (it|they|that company|that school|that body|the company|the school) "
                          r"(?P<neg_bare_en>doesn't|does not|don't|do not|didn't|did not|hasn't|has not)( have it| hold it)?\s*\??\s*$", re.I)


# fix26: "培训公司可以吗", "隔壁技校行不行" after a question about entrusting: another party, its qualification not said
PARTY_ONLY = lazy(r"^\s*(那|那么)?(委托|找|交给)?(给)?(一家|一所|别的|其他|其它|隔壁|本地的?|市里的?|附近的?)?[^，,。？?\s]{0,8}?"
                        r"(公司|培训机构|机构|学校|技校|技工院校|技师学院|协会|企业|单位)(也)?(行|可以|能|成)(吗|么|不|不行|不可以)?[?？。]*\s*$")


def party_status(texts: list[str]) -> bool | None:
    for t in texts:
        m = PARTY_STATUS.search(t)
        if m:
            return not (m.group("neg") or m.group("neg_en") or m.group("neg_bare") or m.group("neg_bare_en")
                        or m.group("neg_only") or m.group("neg_only_en"))
    return None


# "委托隔壁技师学院", "entrust another school": a party named, its qualification not said
THIRD_NAMED = lazy(r"(委托|找|请|交给|让)(给)?(一所|一家|隔壁|附近|兄弟|那所|那家|本市的?|市里的?|[\u4e00-\u9fff]{2}(市|县|区)的?)[^，,。；;？?！!]{0,6}?"
                         r"(技工院校|学校|技师学院|机构|公司|单位|协会)|"
                         # fix29: "没有学生认定资格，能委托培训公司吗": a kind of body that is not a school, its 社评资质 not said
                         r"(委托|交给)(给)?(培训公司|公司|企业|培训机构|机构|行业协会|协会)(?!.{0,6}(资质|资格))|\b(entrust|ask) (the|a) (school|college|institution|company|body) (next door|nearby|in [A-Z]\w+)|"
                         # fix26: "Can we hand them to (→ entrust) a private training company?"
                         r"\bentrust\w*( them| our students| the students)?( to)? (a|an|one|some) (private |local |nearby )?(vocational )?(training )?"
                         r"(company|school|college|institution|body|provider|centre|center)\b", re.I)


# fix29: a body that is not a school, named as the one to certify ("培训公司能给我们学生认定吗", "can a training
# company certify our students"): whether it holds 社评资质 decides (3.1)
BODY_PARTY = lazy(r"培训公司|公司|企业|行业协会|协会|培训机构|(?<!评价)(?<!工作)机构|\b(company|companies|enterprise|firm|provider|"
                        r"association|(training )?(body|institution|organi[sz]ation))\b", re.I)


# try30: a school named as the party (a teacher certified by "another school" is 3.3's; a company or a training body
# holding 社评 is not named there)
SCHOOL_PARTY = lazy(r"技工院校|技师学院|学校|院校|外校|\b(school|college)s?\b|\bentrust\b", re.I)


# fix29: certifying "directly", "as our own students", "by the first part": 1.1's direct certification
DIRECT_1_1 = lazy(r"直接|按(照)?(本校|我校|自己|我们)(的)?学生|按(照)?(通知)?第一(条|部分|项)|按1\.1|\bdirectly\b|as (its|our) own students?", re.I)


def body_party_unnamed_status(texts: list[str]) -> bool:
    return _any([BODY_PARTY], texts) and not third_party_qualified(texts) and not third_party_unqualified(texts)


def third_party_qualified(texts: list[str]) -> bool:
    return _any([THIRD_SOCIAL], texts)


def third_party_unnamed_status(texts: list[str]) -> bool:
    """A party to be entrusted is named, and the question does not say whether it holds 社评资质."""
    return _any([THIRD_NAMED], texts) and not third_party_qualified(texts) and not third_party_unqualified(texts)


# try30: the asker's own school said to lack 社评资质 ("We have no social_org qualification; can we entrust another
# school…", "I'm a teacher at a technical school without 社评资质") is not the party entrusted or gone to
OWN_NO_SOCIAL_EN = lazy(r"\b(?:we|our (?:own )?(?:technical )?school|my school|the school i (?:teach|work) at|(?:i'm|i am) (?:an? )?(?:teacher|student|\w+) "
                        r"(?:at|in|of|from) (?:an? |our |my )?(?:\w+ ){0,2}school|i (?:teach|work|study) at (?:an? |our |my )?(?:\w+ ){0,2}school)"
                        r"(?:,? which|,? that|,? who)?(?: still| currently| also| yet| unfortunately)*"
                        r"(?: (?:have|has|hold|holds|got))? (?:no|not|without|lack|lacks|lacking|(?:do|does|did) not (?:yet )?(?:have|hold)|(?:don't|doesn't|didn't) (?:yet )?(?:have|hold)|"
                        r"(?:have|has) not (?:yet )?(?:got|obtained|received)|haven't (?:yet )?(?:got|obtained|received)|(?:are|is) without)\b(?:[^.;?!,]{0,40}?\b(?:and|or|nor) (?:no|not|without|lack)\b)?[^.;?!,]{0,16}social_org", re.I)


def third_party_unqualified(texts: list[str]) -> bool:
    """"委托给一家没有社评资质的公司", "人家没社评资质": the entrusted party lacks the qualification."""
    return _any([THIRD_NO_SOCIAL], [OWN_NO_SOCIAL_EN.sub(" ", t) for t in texts])


# "这个通知依据哪些文件 有问题又该找谁": a blank right after a wh-word's phrase ends a question
_WH_END = "|".join(f"(?<={w}{'.' * k})" for w in ("什么", "哪些", "哪个", "多少", "哪里", "哪天", "啥", "哪版", "哪一版", "几",
                                                     "啥时候", "什么时候", "何时")  # fix29: "啥时候发的 依据哪些文件"
                   for k in range(4))
# holdout21: "3+2的学生怎么认 没资格的学校咋办": 怎么/咋/如何 end a question too, unless a yes/no question follows
# ("没资格的学校咋办 学生还能认定吗" is one question: the second part carries the first one's facts)
_HOW_END = "|".join(f"(?<={w}{'.' * k})" for w in ("怎么", "咋", "如何") for k in range(4))
_MARKS_ZH = r"[？?；;。！!]|[，,]\s*"
_SPLIT_ZH = lazy(_MARKS_ZH + r"|\s+(?=(?:还有|另外|以及|并且|顺便))|(?:" + _WH_END + r")\s+(?=[\u4e00-\u9fff])|"
                       r"(?:" + _HOW_END + r")\s+(?=[\u4e00-\u9fff])(?![^\s？?。！!；;，,]*(?:吗|吧|嘛|么|不|没有|行不行|可不可以|能不能)(?=[\s？?。！!；;，,]|$))")
# session 18: every cut of _SPLIT_ZH but its marks' is at a blank (\s+): a text without one is cut by the marks alone, the
# same pieces without the 50 look-behinds tried at every position (6.6 → 0.5 µs a question)
_SPLIT_MARKS_ZH = lazy(_MARKS_ZH)
_BLANK = lazy(r"\s")
_BOTH_ZH = lazy(r"(分别|各是|各自|各)(是|为)?(什么|啥|多少|哪些)")
_AND_ZH = lazy(r"(?:和|以及|及|还有)")
_SPLIT_EN = lazy(r"[?;]|,?\s+and\s+(?=(?:who|what|where|when|which|how|whom|can|could|do|does|is|are|should|must)\b)|,\s*(?=(?:who|what|where|when|which|how)\b)", re.I)


TAG_ONLY = lazy(r"^\s*(对吧|是吧|对吗|是吗|对不对|是不是|是这样吗|没错吧|行吗|可以吗|好吗|right|correct|is that (right|correct)|isn't it|true|"
               # fix30: "…是学校发证还是人社局发证啊，通知里有说法吗": whether the notice says it, of the question before
               r"(那)?(通知|文件|政策|这个通知|这份通知|这个文件)(里|中|上|里面)?(有|有没有|有无)?(相关|具体|明确)?(的)?(说法|规定|提到|明确|写到?|说|讲)(吗|么|没有|没|不)?(啊|呀)?|"
               r"(那)?(通知|文件|政策|这个通知|这份通知|这个文件)(里|中|上|里面)?(是)?怎么(说|规定|讲)的?(啊|呀|呢)?)[?？。!！\s]*$", re.I)


# fix27: "Two quick ones: 1) can we …? 2) what's …?": the numbers that list the questions are no part of them
# fix27: "Two things: where do we submit 附件1, and when is the deadline?": the lead-in announces the questions
_LEAD_IN = lazy(r"^\s*(two|three|a couple of|a few|some|several)( quick| short| more)? (things|questions|ones|points)\s*[:：,\-—]\s*", re.I)
_ENUM = lazy(r"(?:^|(?<=[\s:：?？;；,，。]))(?:\(?[1-9]\)|（[1-9]）|[①②③④⑤])\s*")


def split_questions(text: str, lang: str, is_question) -> list[str]:
    """"哪天发的，依据哪些文件" → its questions; statements before a question stay with it."""
    text = _LEAD_IN.sub("", _ENUM.sub("", text))
    m = _BOTH_ZH.search(text) if lang == "zh" else None
    if m and len(_AND_ZH.split(text[:m.start()])) == 2:  # "发文日期和联系人电话分别是什么"
        a, b = _AND_ZH.split(text[:m.start()])
        if len(a) >= 2 and len(b) >= 2:
            return [a + m.group(0), b + m.group(0)]
    split = _SPLIT_EN if lang == "en" else _SPLIT_ZH if _BLANK.search(text) else _SPLIT_MARKS_ZH
    segs = [s.strip() for s in split.split(text) if s and s.strip()]
    if len(segs) < 2:
        return [text]
    groups: list[str] = []
    pending: list[str] = []
    sep = ", " if lang == "en" else "，"
    for seg in segs:
        if TAG_ONLY.search(seg) and (groups or pending):
            # "…原则，对吧": a tag asks to confirm what came before, it is not a question of its own
            if pending:
                pending.append(seg)
            else:
                groups[-1] = groups[-1] + sep + seg
            continue
        pending.append(seg)
        # fix41 (holdout37): "We got the … qualification last year. Which groups should we prioritise, and what …": a
        # statement before the question, in a sentence of its own, does not make the part a statement
        if is_question(seg) or (lang == "en" and is_question(re.split(r"(?<=[.!])\s+(?=[A-Z])", seg)[-1])):
            groups.append(sep.join(pending))
            pending = []
    if pending:
        if groups:
            groups[-1] = groups[-1] + sep + sep.join(pending)
        else:
            return [text]
    return groups


GENERIC_FOLLOWUP = lazy(r"^\s*(那)?(需要|要|得)?(学校|我们|技工院校|我校)?(满足|具备|符合|达到)?(啥|什么|哪些)?(条件|要求)(呢|吗|啊)?[?？]*\s*$|"
                              r"^\s*(那)?(要|需要|得|必须)?(先)?(开|办|开办|有|具备|满足|取得)?(什么|啥|哪些|哪种|哪个)(样的)?(班|资质|资格|条件|要求)?(才行|才可以|才能|才可)(呢|吗|啊)?[?？]*\s*$|"
                              r"^\s*(那)?(要|需要|得)?(附|提供)(些)?(什么|啥|哪些)(证明)(材料)?(呢|吗|啊)?[?？]*\s*$|"
                              r"^\s*(so|and|then)?,?\s*what (can|should|could) (it|we|they|the school) do( then| now| instead)?\s*\??\s*$|"
                              # fix28: "教师能认定几级" → "那需要开什么班": what the topic requires, asked without 才行
                              r"^\s*(那)?(要|需要|得|必须)(先)?(开|办|开办|开设|有|具备|取得)(什么|啥|哪些|哪种|哪个)(样的)?(班|资质|资格)(呢|啊)?[?？]*\s*$|"
                              # fix26: "具体填哪张表？" after "想新增焊工工种，怎么报": that topic's form
                              r"^\s*(那)?(具体)?(要|得|需要|该|应该)?(填|用)(哪张|哪个|哪份|哪几张|哪些|什么|啥)(表|表格)(呢|啊)?[?？。]*\s*$|"
                              # try30: "认几级" after "预师班的学生毕业能直接认定预备技师吗": the level of the subject asked before
                              r"^\s*(那)?(能|可以|可|能够)?(直接)?(认定|认|评|考|定)(到|为|成)?(几级|哪一级|哪级|什么级别|什么等级)(呢|啊|呀)?[?？。]*\s*$|"
                              r"^\s*(so|and|then)?,?\s*(at )?(which|what) level( can (they|he|she|it|we) (get|be certified|reach))?( then)?\s*\??\s*$",
                              re.I)
# fix26: "那我们得先干啥" after "还不能给老师认定：学校还没有社评资质": the step the answer leads to (engine)
NEXT_STEP = lazy(r"^\s*(那|那么)?(我们|我校|学校|咱们)?(现在)?(该|得|要|应该|需要)?(先|首先|下一步)?(得|要|该)?"
                       r"(怎么办|咋办|干(点)?(啥|什么)|做(点)?(啥|什么)|办(啥|什么)|从哪(里|儿)?(开始|入手|下手))(呢|啊)?[?？。]*\s*$|"
                       r"^\s*(so|and|then)?,?\s*(what (should|do|must|shall) we (need to |have to )?do (first|next|now)|what (do|would) we need to do( first| next| now)?|"
                       r"what('s| is) (the|our) (first|next) step|where do we start)\s*\??\s*$",
                       re.I)
WHERE_TO_FILE = lazy(r"(交|提交|报|报送|递交|上报)(给|到|去)?(谁|哪|哪里|哪儿|哪个部门|哪个机构)|(交|提交|报|报送|递交|上报|送)(到|给|去)[^，,。？?吗么]{1,16}?(那里|那儿|那边|那|这里|这)?(吗|么|嘛|对吧|是吧|就行吧?|行吗|可以吗)\s*[?？]*\s*$|向(谁|哪里|哪个部门)|找(谁|哪|哪个部门|哪个机构)(去)?(申报|申请|报|交|提交)|"
                           r"(人社厅|省)还是(市|人社局)|(市|市局)还是(省|人社厅)|"
                           r"(file|submit|send|lodge)\b.{0,30}\b(to|with) (whom|which|the province or)|where (do|should) we (file|submit|send)|"
                           r"^\s*(to )?whom do we (submit|send|file|give)|^\s*who do we (submit|send|file|give)\b|"
                           # fix27: "Who do provincial schools submit attachment 3 to?"
                           r"^\s*(to )?(who|whom) (do|does|should|must|can) [a-z ]{1,30}? (submit|send|file|give|hand)\b", re.I)
SCOPE_CHANGE = lazy(r"调整|删除.{0,4}(工种|职业|等级)|增加.{0,4}(工种|职业|等级)|附件3|认定范围|change (of|the|our) (scope|occupations)|attachment3", re.I)
# "想把认定等级从5、4、3扩到2级 要报附件3吗": changing the certified occupations or levels (3.2)
SCOPE_CHANGE_VERB = lazy(r"(调整|增加|增设|扩大|扩到|扩展|扩充|删除|删掉|删减|减少|去掉|变更|新增|加上|添加)(.{0,10})(工种|职业|等级|级别|认定范围|范围)|"
                               r"(工种|职业|等级|级别|认定范围)(.{0,12})(调整|增加|扩大|扩到|扩展|删除|删掉|删减|减少|变更|新增)|"
                               r"\b(add|remove|drop|change|extend|expand)\w*\b.{0,30}\b(work types?|occupations?|levels?|scope)|"
                               r"(删|减|加|添)(了)?(个|一个|几个|两个)(工种|职业|等级)", re.I)  # fix27: "删了个工种，附件3咋标"
# "我们学校没有认定资格，那我们的等级认定谁来做": who certifies them is entrusting (3.1)
WHO_CERTIFIES = lazy(r"谁(来)?(做|认定|给|评|搞|负责认定)|找谁(去)?(认定|做|评)|(在|去)哪(里|儿)?(认定|考|评)|who (will )?(certif|assess)", re.I)
# fix27: "We can't meet the requirements. What now?": an asking segment that is only "what now" (with the facts before it)
# holdout36: "按这个通知，我们学校下一步应该怎么做": the next step asked
WHAT_NOW = lazy(r"^\s*(那|那么)?(我们|学校|我校|咱们|我们学校|咱们学校)?(现在|下一步|接下来|今后|目前)?(该|应该|应当|要|需要|得)?(怎么办|咋整|咋办|咋弄|如何是好|怎么做|做什么|做啥|干什么|干啥|怎么走)(呢|啊|呀)?[?？]*\s*$|"
                      r"^\s*(so |and )?(what now|what (can|should|do) we do( now| then| instead)?|what are our options)\s*\??\s*$", re.I)
# "委托出去的话证书谁负责": who is responsible and issues certificates is 3.4
# fix27: "调整清单由谁负责审核", "Who is responsible for reviewing our scope adjustment list": who reviews a
# filing is asked (3.2 for changes of scope), not the main responsibility of 3.4
REVIEW_ASK = lazy(r"谁(来)?(负责)?(审核|审批|审查|受理|接收)|(审核|审批|受理)(部门|单位|机构)?是谁|"
                        r"\bwho (is|will be) (responsible|in charge) for (reviewing|review|approving|approval|receiving|checking|processing)\b|"
                        r"\bwho (reviews|approves|receives|checks|processes)\b|"
                        r"\bwhich (body|agency|department|authority|office) (reviews|approves|receives|handles|processes)\b", re.I)
# fix27: "企业新型学徒制学员的认定，谁负责去协调技工院校跟企业": who coordinates schools and firms is the city bureaus' (3.5)
COORDINATION_ASK = lazy(r"谁(来)?(负责)?(去|来)?(统筹|协调)|(统筹|协调)(工作)?(由谁|是谁|归谁|谁(来)?(负责|做|管))|"
                              r"\bwho (coordinates|is responsible for coordinating|will coordinate|should coordinate)\b", re.I)
RESPONSIBILITY_ASK = lazy(r"谁(来)?(负责|担责|承担|发证|颁发)|责任(在|归|由|是)谁|(证书|证)(由)?谁(来)?(发|颁发|出)|"
                                r"(遵循|遵守|坚持|按照?)(的)?(什么|啥|哪些|哪个|哪条)?原则(?!上)|原则是(什么|啥|哪)|(什么|啥|哪些|哪个|哪条)原则(?!上)|"  # fix19 "认定工作要遵循的原则是啥"

                                r"(证书|证)(是|由)?[^，,。？?]{0,8}(发|颁发|出)还是[^，,。？?]{0,8}(发|颁发|出)|"  # fix26 "证书是我们发还是学校发"
                                r"\bwho (is|will be) (responsible|accountable|liable)|\bwho issues\b", re.I)
# "拿了社评资质以后 先给哪些人搞认定": who comes first is the priority of 3.3
# fix32: "技校申请评价组织资质要签什么承诺": the pledge asked for is 附件1's integrity pledge (att1.pledge)
PLEDGE_ASK = lazy(r"(签|签署|写|作|做|出具|提交|交)(个|一份|一个)?(什么|哪些|啥|何种)(样的)?(的)?(诚信)?承诺|"
                  r"(诚信)?承诺(书)?(的)?(内容|写(了|的)?(什么|啥|哪些)|包括(什么|哪些|啥)|有(哪些|什么|啥|几条)|是(什么|啥))|"
                  r"what (pledge|undertaking|commitment)s? (do|does|must|should|will)|what does the pledge (say|contain)", re.I)
PRIORITY_ASK = lazy(r"(先|优先|首先|重点)(给|对|面向|为|考虑|照顾|紧着)?(哪些|谁|什么人|哪类|哪一类|哪几类)|"
                          r"\bwho (comes|should come|goes) first\b|\b(priority|prioriti[sz]e)\b", re.I)
MARKING = lazy(r"黄|颜色|底色|涂|标注|标记|备注|(怎么|如何|咋|怎样)标|标(一下|出来|成|上)|yellow|colou?r|highlight|mark|remark", re.I)
FILING_TOPICS = ("apply_social_org", "application_materials", "adjust_scope", "att3_form", "att3_changes", "att1_form",
                 "att2_outline")
CONFIRM = lazy(r"(吧|对吧|对吗|是吗|对不对|没错吧|是这样吗)[?？。!！\s]*$|^(是不是|是否)|[，,]\s*(对吗|是吗|对吧|对不对)")
MODAL_NEG = lazy(r"不是非(要|得)|不是一定|没有?(要求|规定|说|提到?|写)|不是必须|并非必须|不一定|未必|不用|不需要|不必|无需|不能(?!达到|满足)|不可以|不得|没必要|不要|不行|不允许|不应|不该")


CONFIRM_EN = lazy(r"(,\s*|\b)(right|correct|is that right|isn't it|is it|do we|don't we|does it|doesn't it|can we|can they|"
                        r"can it|are we|aren't we|yes|true)\s*\?\s*$", re.I)
MODAL_NEG_EN = lazy(r"\b(can't|cannot|can not|don't|doesn't|do not|does not|no need|needn't|need not|not required|"
                          r"mustn't|must not|shouldn't|isn't|aren't|won't|not allowed)\b", re.I)


def _consumed(text: str, patterns) -> list[tuple[int, int]]:
    """Where a statement's own patterns match: a negation inside them is the statement's, not the asker's."""
    return [m.span() for p in patterns for m in rx(p).finditer(text)]


def _free(pos: int, spans: list[tuple[int, int]]) -> bool:
    return not any(a <= pos < b for a, b in spans)


# fix34: "Is it true that we can't certify students without the social_org status? We do hold …": the claim after
# "is it true that", up to its question mark, is confirmed as asked, whatever follows
CONFIRM_THAT_EN = lazy(r"\b(is it (really )?(true|the case|correct|right)|am i right|is this (true|right|correct)) that\b[^?]*", re.I)


def negated_confirmation_en(text: str, consumed: list[str] = ()) -> bool:
    """"Teachers can't be certified at level 1, right?": as in Chinese, the verdict is turned round."""
    that = CONFIRM_THAT_EN.search(text)
    if that:  # fix34
        spans = _consumed(text, consumed)
        return any(_free(n.start(), spans) for n in MODAL_NEG_EN.finditer(text, that.start(), that.end()))
    if not CONFIRM_EN.search(text):
        return False
    spans = _consumed(text, consumed)
    return any(_free(n.start(), spans) for n in MODAL_NEG_EN.finditer(text))


A_NOT_A_FORMS = lazy(r"是不是|能不能|可不可以|要不要|需不需要|用不用|行不行|对不对|有没有|会不会|该不该|是否")
# "那学生是不是就没法认定了": "是不是" before a negated predicate asks to confirm the negation
# fix34: also "是不是没有社评资质就没法给老师认定了": a supposition (没有X…就) between 是不是 and the negated predicate
NEG_CONFIRMED = lazy(r"(是不是|是否)[^，,。？?]{0,6}?(就|也|都|还|只)?(?P<neg>没法|没办法|无法|不能|不可以|不用|不需要|不必|不得|不行|不包括|不含)|"
                     r"(是不是|是否)(如果|要是)?(没有?|不具备|无|未取得|没取得)[^，,。？?]{1,16}?就(?P<neg2>没法|没办法|无法|不能|不可以|不行)")
# (fix41 read a "…就不能…了吗" ending the same way; the review of session 18 found "我们还没取得学生认定资格，那学生就不能认定
# 了吗" then answered "对…不可以" (3.1: they can be, through entrusting): taken out)


# "附件1可以不盖章吗", "不附权属证明行吗": asking whether something may be left out
OMISSION = lazy(r"(可以|能|可不可以|能不能|能否|是否可以)(?P<neg>不)(用|需要|必)?(去)?(盖章|盖|签字|签名|签|填|写|附|交|报|提交|提供|上报|涂|标|备注|按)|"
                      r"(?P<neg2>不)(用|需要|必)?(盖章|盖|签字|签名|签|填|写|附|交|报|提交|提供|上报|涂|标|备注|按)[^，,。？?]{0,10}(也)?(行|可以|没事|没关系|可不可以|行不行|成)(吗|不|么|吧)?[?？]*\s*$|"
                      r"(可以|能|可不可以|能不能|能否)(?P<neg3>不)(使)?用(?!填|写|交|报|盖|签|附|提交|提供|上报|涂|标|备注)")


OMISSION_EN = lazy(r"\b(?P<neg>leave|leaving)\b.{0,30}\b(off|out|blank|unsigned|unstamped)\b|"
                         r"\b(?P<neg2>not|without)\b (to )?(a |the |any )?(attach|attaching|stamp|stamping|seal|sealing|sign|signing|"
                         r"signature|fill|filling|submit|submitting|include|including|proof|copy|copies|highlight|remark|"
                         r"legal representative)|\b(?P<neg3>skip|omit|drop)\w*\b(?! (an?|the|one|some|our) (occupations?|work types?|trades?|levels?|jobs?|rows?))", re.I)


def omission(text: str, consumed: list[str] = (), lang: str = "zh") -> bool:
    """Whether the question asks to leave out what a statement requires, with a negation that the
    statement's own patterns do not read."""
    spans = _consumed(text, consumed)
    return any(_free(next(m.start(g) for g in ("neg", "neg2", "neg3") if m.group(g)), spans)
               for m in (OMISSION_EN if lang == "en" else OMISSION).finditer(text))


def negated_confirmation(text: str, consumed: list[str] = ()) -> bool:
    """"同一职业的工种不用合并单元格对吧", "那学生是不是就没法认定了": a confirmation of a negated
    proposition, so the verdict on the notice's statement ("merge? no") is turned round ("right: no
    need"). A negation that the statement's own patterns read ("不附权属证明行不行") is not counted."""
    spans = _consumed(text, consumed)
    for m in NEG_CONFIRMED.finditer(text):
        lead = re.split(r"[，,。？?；;！!]", text[:m.start()])[-1]
        if consumed and re.search(r"没有?|无|不|未", lead):
            continue  # "没有社保是不是就不行": without X, not OK? — asks whether X is required (the statement's verdict), no turn
            # fix34: a rule's verdict is on the action ("没有社评资质是不是就没法给老师认定": can we? no), so it is turned
        g = "neg" if m.group("neg") else "neg2"
        if _free(m.start(g), spans):
            return True
    if not CONFIRM.search(text):
        return False
    spans += [m.span() for m in A_NOT_A_FORMS.finditer(text)]  # "是不是必须…" asks; it holds no "不是必须"
    return any(_free(n.start(), spans) for n in MODAL_NEG.finditer(text))


_SEG = lazy(r"[，,；;。？?！!]+\s*|(?<![A-Za-z])\s+(?![A-Za-z])")  # fix29: "What does 社会培训评价组织 mean?": English words stay together


# "for people from society, not only for our own students": students are the contrast, not the subject
CONTRAST_STUDENTS = lazy(r"\b(not only|not just|as well as|besides|in addition to|rather than|other than|apart from)\b.{0,20}\bstudents?\b|"
                               r"(不只|不仅|不光|除了)(是)?(给|对|为|面向)?(技工院校|本校|我校|自己)?(的)?学生", re.I)
_CONTRAST_START = lazy(r"^\s*(not only|not just|as well as|besides|in addition to|rather than|other than|apart from)\b|"
                      # fix30: "Who issues the certificates, the school or the HR bureau?": the options of the question before
                      r"^\s*(the|a|an|our|their|its)\s+(?:(?!\b(?:can|could|may|do|does|did|is|are|must|should|will|would)\b)[\w\s-])+\bor\b"
                      r"(?:(?!\b(?:can|could|may|do|does|did|is|are|must|should|will|would)\b)[\w\s-])+\??\s*$", re.I)


def subject_groups(texts: list[str], groups: list[str]) -> list[str]:
    """"Can we certify people from society, not only our own students?" is about the public."""
    if "public" in groups and "student" in groups and _any([CONTRAST_STUDENTS, ASKER_PUBLIC], texts):
        return [g for g in groups if g != "student"]
    return groups


# fix30: "我是社会人员…想在有社评资质的技工院校认定电工（这个职业他们给学生认定过）": the asker is the public; the
# students named are the ones the school certified already
ASKER_PUBLIC = lazy(r"我(是|属于)(一名|一个|个)?社会人员|\b(i'?m|i am) (a )?(member of the public|non-student)\b", re.I)


def _segments(text: str, lang: str) -> list[str]:
    if lang == "en":
        # fix32: "document No. 49", "Art. 3": an abbreviation's full stop before a number ends no sentence
        return [s for s in re.split(r"(?<!\b[Nn]o\.)(?<!\b[Aa]rt\.)(?<=[.!?])\s+(?!\d)|[;,]\s*", text) if s.strip()]
    return [s for s in _SEG.split(text) if s.strip()]


def question_segments(text: str, lang: str, is_question) -> list[str]:
    """Every segment of a question that asks something ("已经开展认定好几年了" states, it is left out)."""
    if lang == "en":  # "When we change our scope, do …?": a leading clause with a wh-word does not ask
        return [re.sub(r"^\s*(when|if|once|after|before|since|as|because|although|while)\b[^,?]*,\s*", "", s, flags=re.I)
                for s in re.split(r"(?<!\b[Nn]o\.)(?<!\b[Aa]rt\.)(?<=[.!?])\s+(?!\d)", text) if s.strip().endswith("?")]
    return [s for s in _segments(text, lang) if is_question(s)]


def question_part(text: str, lang: str, is_question) -> str:
    """"我们只有学生认定资格，没申报社评，本校老师能认定吗" → "本校老师能认定吗": the segment that
    asks, when statements come before it ("" when the question is one segment)."""
    segs = _segments(text, lang)
    if lang == "en":
        for i in range(len(segs) - 1, 0, -1):  # ", not only for our own students?" belongs to the question before it
            if _CONTRAST_START.search(segs[i]):
                segs[i - 1] = segs[i - 1] + ", " + segs.pop(i)
    if len(segs) < 2:
        return ""
    for i in range(len(segs) - 1, -1, -1):
        seg = segs[i]
        if is_question(seg):
            if i and (_BARE_ASK_EN if lang == "en" else _BARE_ASK_ZH).search(seg):
                # holdout36: "A local company wants us to certify its employees. Are we allowed to?": the question
                # names what it asks in the sentence before it
                # (the sentence before is the first: the whole question is the question)
                # session 18 (review): the sentence that names the action, not a statement of facts between them ("I want to
                # certify teachers at level 1. We have the social org qualification. Can we?" asks about level 1)
                j = next((k for k in range(i - 1, -1, -1) if _ASKED_ACTION.search(segs[k])), None)
                if j is None or (i == 1 and len(segs) == 2):
                    return ""
                return segs[j] + (" " if lang == "en" else "，") + seg
            return seg if seg != segs[0] or len(segs) > 1 and len(seg) >= 4 else ""
    return ""


# a question that names nothing it asks about: its subject is the sentence before
_BARE_ASK_EN = lazy(r"^\s*(so\s+|then\s+)?((are|am|is) (we|i|they|it|that|this) (allowed|permitted|able|eligible|ok|okay|fine|possible)"
                    r"|(can|could|may|should|must) (we|i|they)( do (it|that|so|this))?|is (that|this|it) (allowed|permitted|possible|ok|okay|fine|right))"
                    r"( to( do (it|that|so|this))?)?\s*\?\s*$", re.I)
# the sentence a bare ask is about: it wants or names an action (facts alone, "我们只有学生认定资格", name none)
_ASKED_ACTION = lazy(r"想|要|打算|准备|希望|计划|请求|找我们|让我们|(给|为|帮|对|面向)[^，,。；;]{0,12}(认定|评价|鉴定)|申报|委托|报送|提交|"
                     r"\b(want|wants|would like|wish|plan|plans|intend|hope|asked us|asks us|ask us)\b|\b(certify|certifying|assess|assessing|apply|applying|entrust|entrusting|file|filing|submit|submitting)\b", re.I)
# fix41 (holdout37): "…想再申报社会培训评价组织资质，能申报吗": a bare verb repeats the action named before
_BARE_ASK_ZH = lazy(r"^\s*(请问)?(那|那么|这样|这样的话)?(我们|技工院校|咱们?)?(可以|能|行|能行|可行|成)(申报|申请|报|办|做|开展|搞)?(吗|么|不|吧|嘛)?[？?。！!\s]*$|"
                    r"^\s*(请问)?(那|那么|这样|这样的话)?(我们|技工院校|咱们?)?(能不能|可不可以|能否)(申报|申请|报|办|做|开展|搞)?(呢)?[？?。！!\s]*$")


# ---------------------------------------------------------------- askers who are not the school

OUTSIDE_ASKER = lazy(r"我是(一名|个)?(企业|公司|厂里|学员|学徒|学生|家长|hr|人事|员工)|我们(是)?(企业|公司|厂)|我们是(一家)?(民办)?(职业)?培训机构|我(是|在)(一家|一个)?.{0,8}(企业|公司|工厂|厂)|企业(的)?hr|"
                           r"i'?m an? (student|apprentice|trainee|employer|hr)|i am an? (student|apprentice|trainee|employer)|"
                           r"our (company|firm|factory)|as an employer", re.I)
STUDENT_ASKER = lazy(r"我是(一名|个)?(技工院校)?(的)?学生|我是(学生)?家长|我在(技工院校|学校)(读书|上学|念书|学习|就读)|i'?m an? student|i am an? student", re.I)
SCHOOL_SUBJECT = lazy(r"技工院校(自己|本身)?(能|可以|可不可以|能不能)?(给|为|帮)(我|学生)|can (my|the|our) school (certify|assess)", re.I)
BUREAU = lazy(r"市局|市人社(局|厅|部门)|市人力资源(和)?社会保障(局|厅|部门)|(city|municipal) (bureau|department|hrss)", re.I)
BUREAU_ROLE = lazy(r"做什么|做啥|干什么|干啥|做哪些|干哪些|(哪些|什么)(工作|事|要求|任务)|怎么处理|怎么办|负责什么|负责哪些|协调|统筹|监管|职责|"
                         r"what (do|should|must) (we|it|they) do|(our|its|their) role|responsib", re.I)
_BUREAU_OVERSIGHT = lazy(r"协调|统筹|监管|辖区|属地|coordinat|supervis", re.I)
# "事中事后监管是谁负责": supervision is the bureaus' (3.5), not the responsibility of 3.4
OVERSIGHT = lazy(_BUREAU_OVERSIGHT.pattern + r"|监督|备案|管理", re.I)
# "市人社局对技工院校认定工作要做哪些事": the bureaus' part in general (3.5)
_BUREAUS_PART = lazy(r"^\s*(请问)?(作为)?(我们)?(市局|市人社(局|厅|部门)|市人力资源(和)?社会保障(局|厅|部门))|(city|municipal) (bureau|department)s? (do|should|must)|"
                     r"(对|给)(各)?(市局|市人社(局|厅|部门)).{0,6}(提了|有|提出)?(哪些|什么)(要求|任务)", re.I)


def bureau_clause(texts: list[str]) -> str | None:
    """"作为市局，收到学校报来的认定范围调整清单，我们要做什么": a city bureau asking about its own part:
    reviewing scope changes (3.2), receiving applications (2.2), oversight and trainees (3.5)."""
    if not (_any([BUREAU], texts) and _any([BUREAU_ROLE], texts)):
        return None
    if _any([TRAINEES, _BUREAU_OVERSIGHT], texts):
        return "3.5"
    if _any([SCOPE_CHANGE], texts):
        return "3.2"
    if _any([r"社会培训评价组织|申报材料|附件1|附件2|social_org"], texts):
        return "2.2"
    if _any([_BUREAUS_PART], texts):
        return "3.5"  # "市人社局对技工院校认定工作要做哪些事": the bureaus' part in general (3.5)
    return None


MATERIALS_ASK = lazy(r"(交|提交|准备|(?<!申)报|附|带)(些)?(啥|什么|哪些)(材料|东西|表|文件)?|(什么|哪些|啥)(材料|表格)|"
                           r"what (documents|materials|papers|forms)|which (documents|forms|papers|attachments|two attachments)|what attachments|"
                           r"(两份|两个|哪两|哪几|几份|几个)(个|份)?附件|附件.{0,6}(分别)?(叫|是)(什么|啥)|what are the (two )?attachments|"
                           r"documents (go|are needed|do we need|to submit)|what (do|must|should) we (submit|file|send|hand in)|"
                           r"what (do|does|must|should) (we|i|a school|the school|schools) (need|have) to (submit|file|send|provide|prepare)",  # fix27
                           re.I)
FILL_ASK = lazy(r"(以|按|依据|根据|按照|参照)(什么|啥|哪个|哪些|哪)(为准|标准|文件|来)|(怎么|如何|怎样)(填|写|标|表示|选|勾)|(填|写|选|勾)(什么|啥|哪些|哪个|哪几)(?!表|材料|附件|文件)|(有)?(什么|啥)(要求|规定)|格式|"
                      r"(哪几|哪些|几)(种|个|类)?(可选|选项)|可选(的)?(有)?(哪|什么|啥)|"
                      r"how (do|should|to) (we )?(fill|write|enter|mark|separate)|what (options|choices) (are there|do we have|can we (choose|tick|pick))|what goes (in|between)|what (separator|delimiter|format)|"
                      r"which (options|separator)|what (must|should|does|do) .{0,40}\bfollow\b|(follow|based on|according to) (which|what)|"
                      r"\bseparator\b|\bdelimiter\b|"
                      r"(allowed|permitted|possible|valid|accepted) (values|options|entries|choices)|what (values|options|choices)", re.I)


FILL_VERB = lazy(r"(怎么|如何|怎样)(填|写|标)|(填|写)(什么|啥)(?!表|材料|附件|文件)|how (do|should|to) (we )?(fill|write|enter|mark)|what goes in", re.I)


def field_clause(fields: list[dict], form: str, texts: list[str], strict: bool = False) -> str | None:
    """"附件3级别咋填": the note on the field named, when the question asks how to fill it (`strict`: only
    "how to fill / what to write", not "what requirements", for topics that are not the form itself)."""
    if not _any([FILL_VERB if strict else FILL_ASK], texts):
        return None
    hits = [f["clause"] for f in fields if f.get("form") == form and search(f["when"], texts)]
    return hits[0] if len(set(hits)) == 1 else None  # several fields named: the form as a whole


FORM_NAMED = {"att1": r"附件\s*(1|一)|基本情况表|attachment\s*1", "att2": r"附件\s*(2|二)|工作方案|attachment\s*2",
              "att3": r"附件\s*(3|三)|认定范围清单|评价机构信息|attachment\s*3"}
FORM_NAMED_I = {k: lazy(p, re.I) for k, p in FORM_NAMED.items()}
FORM_NAMED_CASED = {k: lazy(p) for k, p in FORM_NAMED.items()}


_WORD_CHAR = lazy(r"\w")


FIELD_ASK = lazy(r"(要|需要|得|必须|用不用|要不要|需不需要)(填|写|附|报)|填不填|有没有|(有|含|包括).{0,8}(栏|项|一栏|这一栏|吗)|(这一?|那一?)?栏|"
                       r"\b(need|have) to (fill|enter|include|give)|\bis there\b|\bdoes\b.{0,20}\b(have|include|ask)", re.I)


def field_not_in_form(only: list[dict], texts: list[str]) -> tuple[str, str, str] | None:
    """"附件1里要填单位网址吗": (the form named, the field, the form that has it) when the question names one
    form and asks whether it has a field that only another form has."""
    named = {k for k, p in FORM_NAMED.items() if _any([p], texts)}
    if len(named) != 1 or not _any([FIELD_ASK], texts):
        return None
    form = named.pop()
    if any(f["form"] == form and _any([x["names"] for x in f["fields"]], texts) for f in only):
        return None  # a field of the form named is asked about
    for f in only:
        if f["form"] == form:
            continue
        for x in f["fields"]:
            if _any([x["names"]], texts):
                return form, x["label"], f["form"]
    return None


# fix19 "附件3表里有备案号这一栏吗": whether the form named has a field (only the asking of presence)
FIELD_PRESENT_ASK = lazy(r"(有没有|有无|是否有|有)[^，,。？?]{0,10}(这一?|那一?)?(?<!选)(栏|项|列|格|一栏|一项|字段)(吗|么|嘛|没有|不|吧|对吧)?[?？]*\s*$|"
                               r"\bis there (a|an) .{0,30}\b(field|column|box)\b", re.I)


def field_in_form(only: list[dict], texts: list[str]) -> tuple[str, str] | None:
    """(the form, the field) when the question names one form and asks whether it has a field that
    only that form has, else None."""
    named = {k for k, p in FORM_NAMED.items() if _any([p], texts)}
    if len(named) != 1 or not _any([FIELD_PRESENT_ASK], texts) or any(_NEGATION.search(re.sub(r"有没有|是否|没有[?？]*\s*$", "", t)) for t in texts[:1]):
        return None
    form = named.pop()
    for f in only:
        if f["form"] != form:
            continue
        for x in f["fields"]:
            if _any([x["names"]], texts):
                return form, x["label"]
    return None


def other_form_field(fields: list[dict], form: str | None, texts: list[str]) -> str | None:
    """"机构性质有哪几种可选" matched to 附件3's 机构类型: a field that only another form has (附件1's
    机构性质) names that form's clause, when the question asks how to fill it."""
    if not _any([FILL_ASK], texts) or any(f.get("form") == form and search(f["when"], texts) for f in fields):
        return None
    named = {k for k, p in FORM_NAMED.items() if _any([p], texts)}
    if form in named:
        return None  # "基本情况表中“评价等级范围”一栏": the form named is the form asked about
    hits = {f["clause"] for f in fields if f.get("form") != form and (not named or f.get("form") in named)
            and search(f["when"], texts)}
    return hits.pop() if len(hits) == 1 else None


# "已取消职业资格是否有效？后续工作有哪些？": a part that takes its subject from the part before it
DEPENDENT_PART = lazy(r"^\s*(那|那么|然后|接下来|下一步)?(具体)?(要|该|应该)?(怎么|如何|怎样)(操作|办理|办|弄|搞|做|申请|处理|执行|参加|报名|加入)(呢)?[?？]*\s*$|"
                            # try27: "附件3的备案号是什么意思，从哪里查": where the thing named before is looked up
                            r"^\s*(那|那么)?(要|该|应该|可以|能)?(去|从|在|到)?(哪里|哪儿|哪|哪个(网站|部门|系统))(查|查询|查到|看|找|获取|申请|领|领取|办理)(呢|啊)?[?？]*\s*$|"
                            r"^\s*(那|那么)?(后续|之后|然后|接下来|下一步)(的)?(工作|要做|该做|怎么|还有|有)|"
                            r"^\s*(那|那么)?(是)?(省里|省厅|市里|市局|上面|上级|人社部门|国家)(会|能|要)?(统一)?(给|发|提供|下发|组织|出)(吗|么|不|呢|吧)?[?？]*\s*$|"
                            r"^\s*(是)?[^，,。？?交报送申提]{1,6}还是[^，,。？?]{1,6}(啊|呢|吗|呀)?[?？]*\s*$|"
                            r"^\s*(那)?(跟|和|与|同)?(咱们|我们|山东|这边|本省|咱|省内)?(这边)?(的)?(一样|相同|一致|差不多)(吗|不|么|吧)?[?？]*\s*$|"
                            r"^\s*(那)?(跟|和|与)?(咱们|我们|山东|这边|本省|咱)?(的)?(有)?(什么|啥)?(区别|不同|差别)(吗|么|呢)?[?？]*\s*$|"
                            r"^\s*(那)?(要|需要|得|应该)?(交|提交|准备|报|带)(哪些|什么|啥)(材料|东西|资料)(呢)?[?？]*\s*$|"  # "…怎么申请，要交哪些材料"
                            r"^\s*(那|那么)?(还)?(要|需要|得)(哪些|什么|啥)(材料|资料|手续|证件)(呢)?[?？]*\s*$|"  # fix33: "技能证书补贴怎么申请?需要哪些材料?"
                            r"^\s*(那|那么)?(应该|该|要|可以|能)?(去)?(找|问)(谁|哪个部门|哪个单位|哪里|哪儿)(问|咨询|反映|处理|解决|办)?(呢|啊|呀)?[?？]*\s*$|"  # fix33: "证书到现在还没拿到，找谁问？"
                            r"^\s*(那|那么)?(它|这个文件|该文件|这份文件|那个文件)?(主要|具体|大概|都)?(讲|说|写|规定)(了)?(些|一些)?(什么|啥|哪些)(内容|东西)?(呢|啊|呀)?[?？]*\s*$|"  # fix23: "…49号文件叫什么名字，主要讲什么"
                            r"^\s*(那|那么)?(要|该|应该|可以)?(去|在|到|从)?(哪里|哪儿|哪)(能|可以)?(查|查到|查询|找|看|问)(呢|啊|呀)?[?？]*\s*$|"  # fix23: "附件3的备案号我们还没有，去哪查"
                            r"^\s*(and )?(then )?(how|what) (do (i|we)|to) (do|proceed|go about it|apply)( it| then)?\s*\??\s*$|"
                            # fix27: "拿了技师证能评中级职称不？能对应不", "金蓝领培训是啥，谁都能参加吗": no subject of their own
                            r"^\s*(那)?(能|可以|能不能|可不可以)?(对应|相当|等同|换算|互认|挂钩|通用)(上|起来)?(吗|不|么|吧)?[?？]*\s*$|"
                            r"^\s*(那)?(是不是)?(谁|什么人|任何人|所有人|哪些人)(都)?(能|可以)(参加|报名|报|申请|参与)(吗|不|么|吧)?[?？]*\s*$|"
                            # fix32 (holdout8 h8-097): "金蓝领培训到底是个啥项目，谁组织的": who runs what the part before names
                            r"^\s*(那|那么)?(是)?(由)?谁(来)?(组织|主办|举办|牵头|管|办)(的)?(呢|啊|呀)?[?？]*\s*$|"
                            # fix32: "特级技师和首席技师是怎么回事，比高级技师还高吗": a comparison whose subject is the part before
                            r"^\s*(那)?(它们?|他们|这个|这些)?(是不是|是)?(都)?比[^，,。？?]{1,8}(还|更|要)?(高|低|大|小|强|厉害|难|容易)(一些|一点)?(吗|不|么|吧|呢)?[?？]*\s*$|"
                            r"^\s*(and )?(what|which) (does|do) (it|that|this|they)( document)? (say|cover|contain|provide|regulate)( about)?\s*\??\s*$|"  # fix23
                            # holdout36: "想申请学生认定资格，具体需要达到哪些硬性标准": the standards of what the segment before names
                            r"^\s*(那|那么)?(具体|到底)?(要|需要|得|须|应该|应当)?(达到|满足|符合|具备)(哪些|什么|啥)(样的)?(硬性|具体|基本|硬件)?(标准|条件|要求)(呢|啊)?[?？]*\s*$|"
                            # holdout36: "市人社局的认定工作机构在哪办公？电话是多少": the phone or address of what the part before names
                            r"^\s*(那|那么)?(它的?|他们的?|其|该机构的?|那边的?)?(联系)?(电话|电话号码|联系方式|地址|办公地点|办公地址)((是|号码是)?(多少|什么|啥|哪|在哪(里|儿)?)(呢|啊|呀)?|呢)[?？]*\s*$|"
                            r"^\s*(and )?where (do|can|should) (we|i) (look( it)? up|find it|check|get it)\s*\??\s*$", re.I)  # fix23

CERTIFY_VERB = lazy(r"认定|评|考|定级|certif|assess", re.I)


# ---------------------------------------------------------------- a yes/no question that restates a clause

_ASK_FORMS = lazy(r"会不会|能不能|可不可以|可以不可以|是不是|要不要|需不需要|行不行|用不用|允不允许|有没有|对不对|是否|能否|"
                        r"(对|是|行|可以|没错)?(吧|吗|嘛|么|呢|不)[啊呀哈呢\s?？!！。.~]*$|[?？!！。~\s]+$")
_NEGATION = lazy(r"[不没无非未勿否]|(?<![分级区类性差特个识鉴辨告])别(?![的处人家])")  # fix19: 级别、分别 do not negate
_STRONG = lazy(r"必须|一定|只能|只有|只|仅|全部|所有|一律|都要|均须|务必")
_FILLER = {"这个", "那个", "通知", "文件", "里", "里面", "中", "上", "规定", "要求", "写", "说", "提到", "是", "的", "了", "按",
           "按照", "依据", "根据", "要", "需要", "可以", "能", "应该", "应", "须", "得", "都", "就", "也", "还", "我们", "咱们",
           "技工院校", "对吧", "是吧", "吧", "吗", "呢", "有", "在", "和", "与", "及", "或", "等", "年", "月", "日", "号",
           "份", "月份", "当中", "电话", "号码", "电话号码", "填", "填写", "一共", "共", "总共", "已经", "已",
           "执行", "遵照", "遵循", "依照", "照"}  # fix29: "也要执行鲁人社字2020 49号文吗": to follow is 按  # "电话是0531-86914920对吧": the number is checked
_NUM = lazy(r"\d+")
_FUNCTION_CHARS = set("的了吗呢吧啊呀么嘛是在有和与及或就都也还又把被给对从到向按里中上下个这那么能会要可该得着过很来去发做搞弄"
                      "出")  # fix28: "通知是根据…90号文件出的吗": 出 (issued) is a verb of issuing like 发
_CLAIM_FILLER = {"准确", "正确", "属实", "说法", "据说", "报道", "据报道", "表述", "答复", "我局", "确认", "请", "真的", "直接",
                 "列有", "列", "之一", "其中", "该", "拟", "有人", "听说", "称", "注释", "单位", "人社厅", "人社局", "省", "市",
                 "落款", "日期", "为", "开头", "所", "所列", "包括", "包含", "要求", "求", "提到", "写明", "明确",
                 "你校", "贵校", "该校", "你们", "我校", "本校", "制定", "制订", "出台", "印发", "发布", "下发", "发文", "成文"}
_EDGE = lazy(r"^[里有按在的了是要就都也还给对把被从向]+|[里有在的了是吗呢吧文]+$")


# fix19: how a claim may word what its clause says ("调整认定范围" for 3.2's "调整认定职业（工种）、等级")
_SAID_AS = {"范围": ("认定职业",), "认定范围": ("认定职业",), "对象": ("面向",), "认定对象": ("面向",),
            # fix29: "2018年以后新出标准的职业": newly issued is 新颁布
            "新出": ("新颁布",), "新出台": ("新颁布",), "新发布": ("新颁布",), "新颁发": ("新颁布",), "新发": ("新颁布",)}
_VERB_TAIL = lazy(r"(?<=[\u4e00-\u9fff])(上去|上来|上|过去|好|完)$")


def _said(word: str, clause_text: str) -> bool:
    """Whether the clause says the word: as written, in the clause's own wording, or a verb without its
    direction or result ("报上去" is 报)."""
    if word in clause_text or any(a in clause_text for a in _SAID_AS.get(word, ())):
        return True
    stem = _VERB_TAIL.sub("", word)
    return stem != word and bool(stem) and stem in clause_text


def _claim_text(question: str) -> str:
    """The claim of a yes/no question, its asking forms taken off and dates written as the notice does."""
    q = _ASK_FORMS.sub("", question)
    q = re.sub(r"(?<![\d])(\d{2})年", r"20\1年", q)  # 21年 → 2021年
    q = re.sub(r"(\d{1,2}月\d{1,2})[号日]", r"\1日 ", q)  # 8月12号发的 → 8月12日 发的
    q = re.sub(r"附件\s*[1-3]\s*(的)?(注释?|说明)\s*[1-7]\s*(条)?|^(注释?)\s*[1-7]\s*(条)?", " ", q)  # "附件1注3说…": the note's address
    return re.sub(r"(\d{4})版", r"\1年版", q)  # 2015版 → 2015年版


def _content_words(text: str, tokenize, keep=frozenset()) -> list[str]:
    """The words of a claim that must be found in its clause: fillers, function characters and numbers
    left out; a function character glued on by the segmenter ("按鲁人", "里列") stripped, unless the word
    is in `keep`. A content character counts too: "教学计划前" is not "教学计划后"."""
    words = []
    for w in tokenize(text):
        w = w if w in keep else _EDGE.sub("", w)
        if w and _WORD_CHAR.search(w) and w not in _FILLER and w not in _CLAIM_FILLER and not w.isdigit() \
                and not (len(w) == 1 and w in _FUNCTION_CHARS):
            words.append(w)
    return words


# fix34: 本校/我校/我们学校 read 技工院校 once normalised, so "优先面向本校学生认定吗" looked like 3.3's "技工院校学生";
# the asker's own students or teachers named in the raw question are a claim of their own where the clause's raw
# text does not say 本校 (2.3 and 1.1 do; 3.3's groups are other schools' students and trainees)
OWN_PEOPLE_RAW = lazy(r"(本校|我校|我们学校|咱们?学校|自己(的)?学校|自家学校|自己|我们|咱们?)(的)?(专业)?(学生|教师|老师|学员)")


PRIORITY_OWN_STUDENTS = lazy(r"优先[^，,。？?]{0,8}(本校|自己(的)?学校|自家学校|自己)(的)?(在校|在读)?学生|"
                             # 我们/我校 are the asker's school only where no other school is the one that prioritises
                             # ("有社评资质的学校会优先给我们学生认定吗": we are the students' school, and they are first)
                             r"^(?!.*((有|具备|取得)(了)?(社会培训评价组织|社评)(的)?(资质|资格)?的|别的|其他|其它|外校|隔壁|兄弟))"
                             r".*优先[^，,。？?]{0,8}(我校|我们学校|咱们?学校|我们|咱们?)(的)?(在校|在读)?学生")


def own_people_unsaid(raw_question: str, raw_clause: str) -> bool:
    return bool(OWN_PEOPLE_RAW.search(raw_question)) and not re.search(r"本校|我校", raw_clause)


def restates(question: str, clause_text: str, tokenize) -> bool:
    """"开展认定是不是要按鲁人社字2020 49号文件" against 3.4, "这个通知是21年8月份发的吗" against the
    notice's date: a yes/no question whose every content word and number the clause itself says, with
    no negation and no stronger claim (必须, 只…) than the clause makes, is confirmed by that clause.
    Both texts are normalised the same way; `tokenize` splits the question into words."""
    q = _claim_text(question)
    if not q or _NEGATION.search(q):
        return False
    if any(m.group(0) not in clause_text for m in _STRONG.finditer(q)):
        return False
    nums = _NUM.findall(q)
    have = set(_NUM.findall(clause_text))
    if any(n not in have for n in nums):
        return False
    words = _content_words(q, tokenize)
    if any(not _said(w, clause_text) for w in words):
        return False
    # fix27: "这个通知是省人社厅发的不": the issuer asked about, a claim of its own when the clause names it
    # (省 and 人社厅 are fillers elsewhere; "市人社局发的" does not contain 省人社厅 and stays unconfirmed)
    issuer = 3 if _DATED.search(q) and "省人社厅" in q and "省人社厅" in clause_text else 0
    return issuer + 2 * len(nums) + sum(len(w) for w in words) >= 3  # "山东省人社厅发的吧": one long word is enough


# ---------------------------------------------------------------- a claim with one detail changed

# Kinds of detail a claim can get wrong while every other word matches its clause: "应提交附件1和附件3"
# (2.2 says 附件1 and 附件2), "职业分类大典2022年版" (2015年版), "涂红色" (黄色), "主送市属技工院校" (省属),
# "向职业能力建设处提交" (认定工作机构), "按49号文件申报" (50号).
SLOTS = {
    "attachment": re.compile(r"附件\s*([1-3])"),
    "document": re.compile(r"(\d{2,3})\s*号"),
    "edition": re.compile(r"(\d{4})\s*年版"),
    "colour": re.compile(r"(黄|红|蓝|绿|灰|紫|橙|粉)(色)"),
    "affiliation": re.compile(r"(省属|市属|县属|区属)"),
    "level": re.compile(r"([一二三四五])级"),
    "body": re.compile(r"(职业能力建设处|公共就业和人才服务中心|认定工作机构)"),
    # fix19: "落款是2021年9月1号" (8月12日), "附件2模板一共五部分" (七部分)
    "date": re.compile(r"(\d{1,2}月\d{1,2})日"),
    "year": re.compile(r"(20\d\d)年(?!版)"),
    "item": re.compile(r"第\s*([一二三四五六七])\s*项"),
    "count": re.compile(r"(?<![第\d])([一二三四五六七八九十两]|\d{1,2})(?:个)?(部分|条|项|类|种)(?![类别型])"),
    "month": re.compile(r"(?<!\d)(\d{1,2})\s*月"),  # fix29: "通知是21年9月发的吗" (8月)
}



_DATED = lazy(r"落款|印发|发布|下发|发文|成文|日期|发的")


@functools.lru_cache(maxsize=512)
def _said_slots(kind: str, clause_text: str) -> frozenset:
    """The details of a kind a clause states (a clause is weighed against many questions: read once)."""
    return frozenset(m.group(1) for m in SLOTS[kind].finditer(clause_text))


_YEAR_RANGE = lazy(r"(20\d\d)年(?:及)?(以后|之后|以来|后|起|以前|之前|前)")


def _in_year_range(year: str, clause_text: str) -> bool:
    """Whether a year falls within a span the clause opens with a year ("2018年以后", "2018年以前")."""
    for m in _YEAR_RANGE.finditer(clause_text):
        after = m.group(2) in ("以后", "之后", "以来", "后", "起")
        if (int(year) >= int(m.group(1))) if after else (int(year) < int(m.group(1))):
            return True
    return False


def contradicts(question: str, clause_text: str, tokenize) -> str | None:
    """A yes/no claim that says what its clause says but for one detail of a kind the clause also
    states differently (an attachment, a document number, an edition, a colour, 省属/市属, a level, the
    body filed with): the detail the clause does not say, else None. Both texts normalised alike."""
    q = _claim_text(question)
    if not q or _NEGATION.search(q):
        return None
    wrong = kind_wrong = None
    rest = q
    for kind, pattern in SLOTS.items():
        asked = {m.group(1) for m in pattern.finditer(q)}
        said = _said_slots(kind, clause_text)
        if kind == "year":  # fix41: "2019年新颁布的标准" is within the clause's "2018年以后": a range, not a date
            asked = {y for y in asked if not _in_year_range(y, clause_text)}
        if asked and said and asked - said and wrong is None:
            wrong = next(iter(asked - said))
            wrong = next(m.group(0) for m in pattern.finditer(q) if m.group(1) == wrong)
            kind_wrong = kind
        rest = pattern.sub(" ", rest)
    if wrong is None:
        return _polarity(q, clause_text, tokenize)
    words = _content_words(rest, tokenize)
    if not words and kind_wrong in ("date", "year", "month") and _DATED.search(q):
        return wrong  # "通知落款是2021年9月1号": the notice's date asked, and another given
    if not words or any(not _said(w, clause_text) for w in words):
        return None  # the changed detail is evidence of its own: one other word of the clause is enough
    return wrong


_NEGATIONS = ("不", "没有", "没", "无", "未", "尚未")  # in the order the expression below tries them
_NEGATED_IN_CLAUSE = "(?:" + "|".join(_NEGATIONS) + ")"
_NEGATION_STARTS = frozenset(x[0] for x in _NEGATIONS)


@functools.lru_cache(maxsize=4096)
def _without_negated(word: str, text: str) -> str:
    """`re.sub(_NEGATED_IN_CLAUSE + re.escape(word), "", text)`, read left to right as the expression engine does (the
    first negation, in order, that the word follows), without compiling an expression per word: each compilation
    builds a table of the negations' characters, ≈ 1.4 ms, for every new word of a claim."""
    out, i, n = [], 0, len(text)
    while i < n:
        if text[i] in _NEGATION_STARTS:
            neg = next((x for x in _NEGATIONS if text.startswith(x, i) and text.startswith(word, i + len(x))), None)
            if neg is not None:
                i += len(neg) + len(word)
                continue
        out.append(text[i])
        i += 1
    return "".join(out)


def _polarity(q: str, clause_text: str, tokenize) -> str | None:
    """"优先认定对象是已经具备学生认定资格的技工院校学生" against 3.3's "优先面向不具备…资格的技工院校学生":
    a claim whose every word the clause says, but one word the clause only ever says negated. That word,
    else None."""
    words = _content_words(q, tokenize, keep=_SAID_AS)  # "对象" keeps its 对
    if len(words) < 3 or any(not _said(w, clause_text) for w in words):
        return None
    flipped = [(i, w) for i, w in enumerate(words) if len(w) >= 2 and w in clause_text
               and not _without_negated(w, clause_text).count(w)]
    if len(flipped) != 1 or flipped[0][0] + 1 >= len(words):
        return None
    i, w = flipped[0]
    # the same thing negated: the claim's next word follows it in the clause ("不具备学生…资格", not
    # "具备社会培训评价组织资质" against a clause that says 不具备 only of students' schools)
    after = re.escape(words[i + 1])
    if not re.search(_NEGATED_IN_CLAUSE + re.escape(w) + ".{0,4}" + after, clause_text):
        return None
    return w


# "我局拟答复：“…”该表述与通知一致吗": a quoted claim whose accuracy is asked
CLAIM_ASK = lazy(r"(表述|说法|答复|理解|写法|这句|这样说|这么说)?.{0,6}(与|和|跟)?(通知)?.{0,4}(一致|准确|正确|属实|没问题|对)(吗|不|么|吧)|"
                       r"是否(一致|准确|正确|属实)|(is|are) (this|that|it) (accurate|correct|right|consistent)", re.I)
_QUOTE = lazy(r"[“「\"]([^”」\"]{6,})[”」\"]")


_CLAIM_AFTER = lazy(r"^[。，,：:\s]*(请问)?(该|这个|这种|此|这|上述|以上)?(表述|说法|答复|理解|写法|句话|这句话?|这样说|这么说|内容)?(是否)?"
                          r"(与|和|跟|符合)?(通知|文件)?(的)?(规定|要求|原文)?(是否)?(一致|准确|正确|属实|没问题|对|相符|符合)", re.I)


def claim_quote(text: str) -> str | None:
    """The quoted claim of a question that asks whether it is accurate, else None."""
    m = _QUOTE.search(text)
    if m is None:
        return None
    if not _CLAIM_AFTER.match(text[m.end():]):
        return None  # "“谁评价、谁发证、谁负责”原则下的主体责任由市人社局承担，对吗": the quote is a phrase of the claim
    return m.group(1)


# ---------------------------------------------------------------- two named parties (甲校、乙校)

_PARTY_LEAD = lazy(r"^\s*((?:[甲乙丙丁a-dA-D](?:校|技工院校|技校|学院|机构)?(?:[、和与及跟]|以及)?)+)(?:这)?(?:两|三)?(?:所|家|个)?(?:技工院校|学校|机构)?")
_PARTY_SEGS = lazy(r"[，,。；;！!？?]")
_PARTY_ASK = lazy(r"[吗么嘛]|能不能|可不可以|是否|能否|行不行")
_ENTRUST_PARTY = lazy(r"委托(?:给)?(?P<to>[甲乙丙丁a-dA-D])(?:校|技工院校|技校|学院|机构)")
_CERTIFY_PARTY = lazy(r"(?P<by>[甲乙丙丁a-dA-D])(?:校|技工院校|技校|学院|机构)(?:能|可以|可不可以|能不能|能否|可否)?(?:直接)?(?:给|为|帮|对)"
                            r"(?P<of>[甲乙丙丁a-dA-D])(?:校|技工院校|技校|学院|机构)?(?:的)?(?:学籍)?(?:的)?(?:学生|教师)")


def party_roles(norm: str, facts_of) -> tuple[str, dict] | None:
    """"甲校只有学生认定资格没社评资质，乙校没有任何资格。乙校的学生可以委托甲校认定吗": facts are stated of
    named parties, and the question asks what one does for another. Returns ("entrust", the entrusted
    party's facts) or ("certify_other", the certifying party's facts), or None. `facts_of(text)`: the
    facts a statement gives."""
    stated: dict[str, dict] = {}
    segs = [x for x in _PARTY_SEGS.split(norm) if x.strip()]
    for seg in segs:
        m = _PARTY_LEAD.match(seg)
        if not m or _PARTY_ASK.search(seg):
            continue
        names = re.findall(r"[甲乙丙丁a-dA-D]", m.group(1))
        f = facts_of(seg[m.end():])
        for n in names:
            for k, v in f.items():
                stated.setdefault(n, {}).setdefault(k, v)
    if not stated:
        return None
    for seg in reversed(segs):
        if not _PARTY_ASK.search(seg):
            continue
        e = _ENTRUST_PARTY.search(seg)
        if e and e.group("to") in stated:
            return "entrust", stated[e.group("to")]
        c = _CERTIFY_PARTY.search(seg)
        if c and c.group("by") != c.group("of") and c.group("by") in stated:
            return "certify_other", stated[c.group("by")]
        break
    return None


def contacts_named(contacts: list[dict], text: str) -> set[int]:
    """Which of the notice's contacts a question names, by name, unit (its last words) or phone number."""
    digits = re.sub(r"\D", "", text)
    out = set()
    for i, c in enumerate(contacts):
        phone = re.sub(r"\D", "", c.get("phone", ""))
        unit = c.get("unit", "")
        units = {unit, unit.replace("省人力资源社会保障厅", ""), unit.replace("省", "", 1)} - {""}
        if c.get("name") and c["name"] in text or (phone and phone[-8:] in digits) or any(u in text for u in units if len(u) >= 4) \
                or (c.get("name_en") and c["name_en"].lower() in text.lower()):
            out.add(i)
    return out


def contact_confirmed(contacts: list[dict], text: str) -> bool:
    """"Is Wang Weichao reachable at 0531-86018851?": one contact named, by name or unit, together with
    that same contact's phone number, and no other contact named."""
    if len(contacts_named(contacts, text)) != 1:
        return False
    digits = re.sub(r"\D", "", text)
    for c in contacts:
        phone = re.sub(r"\D", "", c.get("phone", ""))
        unit = c.get("unit", "")
        units = {unit, unit.replace("省人力资源社会保障厅", ""), unit.replace("省", "", 1)} - {""}
        named = (c.get("name") and c["name"] in text) or (c.get("name_en") and c["name_en"].lower() in text.lower()) \
            or any(u in text for u in units if len(u) >= 4)
        if named and phone and phone[-8:] in digits:
            return True
    return False


# "我们是河北的技工学校，可以按这个通知申报吗": the asker is in another province (the notice is Shandong's)
_PROVINCES = "江苏|浙江|广东|北京|上海|河南|河北|天津|安徽|湖北|湖南|四川|福建|辽宁|山西|陕西|江西|重庆|吉林|黑龙江|内蒙古|广西|云南|贵州|甘肃|新疆|宁夏|青海|海南|西藏|外省"
OTHER_PROVINCE_ASKER = lazy(rf"(我们|我校|本校|咱们?|我|技工院校)(这边|这里|学校)?(是|在|位于|属于|来自)(一所|一家|个)?({_PROVINCES})|"
                                  rf"({_PROVINCES})(省|市)?(的)?(一所|一家)?(技工院校|技校|技工学校|技师学院)|"
                                  r"\bwe are (a|an) .{0,30}\b(in|from) (?!shandong)[a-z]+ province", re.I)


def subject_ask(asks: list[Ask], texts: list[str]) -> Ask | None:
    """fix32: an ask marked `anywhere` (a subject the notice is not about: "My daughter studies at a 中专 …, not a
    技工学校. Can her school certify her?") found in any segment of the question, not only the asking one."""
    return unsupplied_ask(asks, texts, anywhere=True)


def other_province_ask(asks: list[Ask], texts: list[str]) -> Ask | None:
    if not _any([OTHER_PROVINCE_ASKER], texts):
        return None
    return next((a for a in asks if a.kind == "province"), None)

    return len(nums) + len(words) >= 2


# ---------------------------------------------------------------- fix13: which part of a form is which
# "附件2工作方案第一部分是组织机构及职责对吧": the part named by its number is compared with the part named by
# its words (knowledge/facts.toml [[form_part]]); the pledge's items are its 条 ("承诺书第二条是…").

_ORD = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "1": 1, "2": 2, "3": 3, "4": 4, "5": 5, "6": 6,
        "7": 7, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "first": 1, "second": 2,
        "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7}
PART_ORDINAL = lazy(r"第\s*(?P<n>[一二三四五六七1-7])\s*(?P<unit>部分|大项|项|章|点|条|块|节)|"
                          r"\b(part|section|item) (?P<en>[1-7]|one|two|three|four|five|six|seven)\b|"
                          r"\b(?P<en2>first|second|third|fourth|fifth|sixth|seventh) (part|section|item)\b", re.I)
# the number and the words are said to be the same part: "第一部分是…", "…是第一部分吗", "part 1 is …"
PART_COPULA = lazy(r"第\s*[一二三四五六七1-7]\s*(部分|大项|项|章|点|条|块|节)(就|应该|应当)?(是|为|写的是|讲的是|说的是|写|讲|是说|指)|"
                         r"(是|为|放在|属于|算)(不是)?(附件\s*[12]|工作方案|基本情况表|承诺书?)?(的)?第\s*[一二三四五六七1-7]\s*(部分|大项|项|章|点|条|块|节)|"
                         r"\b(part|section|item) ([1-7]|one|two|three|four|five|six|seven)( of [\w ()]{0,40}?)? (is|covers|about|deals with)\b|"
                         r"^\s*(is|does) (part|section|item) ([1-7]|one|two|three|four|five|six|seven)\b|"
                         r"\b(is|are) (in )?(the )?(first|second|third|fourth|fifth|sixth|seventh) (part|section|item)\b", re.I)
# fix23: after the part, a requirement ("是不是还得另附…", "是否要提供…"): the question is what goes with it
PART_REQUIRES = lazy(r"^\s*(是不是|是否|是)?(还|也|都|另外)?(得|要|需要|必须|应该|应|须)(另|另外|单独|额外)?(附|提供|提交|交|附上|盖|签)")
PLEDGE_NAMED = lazy(r"承诺|pledge", re.I)
PART_FORMS = {"att1": FORM_NAMED["att1"] + r"|basic information form", "att2": FORM_NAMED["att2"] + r"|work plan"}


def form_part_claim(parts: list[dict], texts: list[str], ask_texts: list[str] | None = None) -> tuple[str, int, int, str] | None:
    """(form, number asked, number of the part named, its name) when a yes/no question says that a form's part
    of some number is a part it names by its words; None when it does not, or names no part or several.
    The claim is read in the asking segment (`ask_texts`), the form anywhere in the question ("我们在写工作方案，
    第一部分是组织机构及职责对吧")."""
    text = next((t for t in (ask_texts or texts) if PART_ORDINAL.search(t) and PART_COPULA.search(t)), None)
    if text is None:
        return None
    m = PART_ORDINAL.search(text)
    if PART_REQUIRES.search(text[m.end():]):
        return None  # fix23: "附件1第四项是不是还得另附场地的权属证明": what goes with the part is asked, not its name
    n = _ORD[(m.group("n") or m.group("en") or m.group("en2")).lower()]
    named = {k for k, p in PART_FORMS.items() if re.search(p, text, re.I)} or \
        {k for k, p in PART_FORMS.items() if _any([p], texts)}
    if (PLEDGE_NAMED.search(text) or (not named and _any([PLEDGE_NAMED], texts))) \
            and (m.group("unit") in ("条", "点") or not named):
        form = "att1.pledge"
    elif len(named) == 1:
        form = named.pop()
    else:
        return None
    rest = text[:m.start()] + " " + text[m.end():]
    hits = [p for p in parts if p.get("form") == form and re.search(p["when"], rest, re.I)]
    if len({p["n"] for p in hits}) != 1:
        return None
    return form, n, hits[0]["n"], hits[0]["name_zh"]


# fix13: "附件3认定范围表格有哪几列", "what columns does attachment 3 have": the form's own overview
COLUMNS_ASK = lazy(r"(哪几|哪些|几|什么|啥)(个)?(列|栏|栏目|表头|项目|字段)|(列|栏目|表头|字段)(有|是|包括)(哪|什么|啥)|"
                         # holdout21: "附件1一共有几个部分", "附件2分哪几大块": the parts a form is made of are the form
                         r"(哪几|哪些|几|多少)(个)?(部分|大项|大块|板块)|"
                         r"\bwhat (columns|fields)\b|\bwhich (columns|fields)\b|how many (columns|fields|sections|parts)", re.I)


# "哪些栏可以不填", "哪些栏要涂黄": a note on some columns answers, not the overview
# holdout21: "附件1哪些部分要附证明材料" asks for the notes on proofs, not the form's make-up
COLUMNS_NOTE = lazy(r"不填|不写|必填|选填|留空|空着|合并|涂|黄|备注|修改|附(?!件)|证明|optional|blank|merge|yellow|remark", re.I)


def columns_asked(texts: list[str]) -> str | None:
    """The one form (att1, att2, att3) whose columns or fields a question asks for."""
    if not _any([COLUMNS_ASK], texts) or _any([COLUMNS_NOTE], texts):
        return None
    named = {k for k, p in FORM_NAMED.items() if _any([p], texts)}
    return named.pop() if len(named) == 1 else None


# fix13: "What supporting documents go with section 5 (full-time staff and assessors) of 附件1?": the note on that item
PROOF_ASK = lazy(r"附(什么|啥|哪些|哪几)|(什么|啥|哪些)(证明|材料|复印件)|supporting|proofs?\b|documents?\b|attach", re.I)


def part_note(parts: list[dict], texts: list[str], implied: bool = False, asked_before: bool = False) -> str | None:
    """The note on the one item of 附件1 a question names (by number or words) when it asks what goes with it.
    `implied`: the question's topic is already one of 附件1's notes, so the form need not be named
    (holdout21: "人员情况那栏要附什么材料" → 注4, not the premises' 注3). `asked_before`: a follow-up of such a
    question ("and for part 5?"): what goes with it was asked before."""
    text = next((t for t in texts if re.search(PART_FORMS["att1"], t, re.I)), texts[0] if implied and texts else None)
    if text is None or not (asked_before or PROOF_ASK.search(text)) or any(re.search(p, text, re.I) for k, p in PART_FORMS.items() if k != "att1"):
        return None
    mine = [p for p in parts if p.get("form") == "att1" and p.get("note")]
    m = PART_ORDINAL.search(text)
    if m:
        n = _ORD[(m.group("n") or m.group("en") or m.group("en2")).lower()]
        hits = {p["note"] for p in mine if p["n"] == n}
    else:
        hits = {p["note"] for p in mine if re.search(p["when"], text, re.I)}
    return hits.pop() if len(hits) == 1 else None


# fix13: "调整清单是我们学校自己报，还是由市人社局替我们报": the glossary reads 调整清单 as 认定范围清单 (附件3), but
# filing the list of changes is 3.2's (the raw words are read)
ADJUST_LIST_FILED = lazy(r"调整(清单|的?内容|的?表|后的清单).{0,16}(报|交|提交|上报|审核|送)")


# ---------------------------------------------------------------- fix19: what a numbered item of a form holds

_ITEM_ASKED = lazy(r"第\s*([一二三四五六七1-7])\s*(?:项|部分|块|栏|大项)")
_ITEM_NUM = {"1": "一", "2": "二", "3": "三", "4": "四", "5": "五", "6": "六", "7": "七"}
_ITEM_SEP = lazy(r"([一二三四五六七])、")
_ITEM_FILLER = lazy(r"附件\s*[1-3]|基本情况表|工作方案|模板|表格?|里面?|的|是|写|填|填写|讲|关于|内容|情况|等|吧|吗|呢|么|对吧|是不是|对不对|"
                          r"没错|应该|要|有|就|这|那|一项|这一项|[\s，,。？?！!]")


def item_claim(text: str, form_text: str, tokenize) -> tuple[str, str] | None:
    """"附件1第三项是写场地设备的吧": a claim that item N of a form holds something. The form's numbered
    items ("三、组织优势…。四、场地设备…") are searched for the words the claim gives: if exactly one
    item holds them all, the verdict is yes when it is item N, else no. Returns (verdict, that item's
    number) or None."""
    m = _ITEM_ASKED.search(text)
    if not m:
        return None
    asked = _ITEM_NUM.get(m.group(1), m.group(1))
    parts = _ITEM_SEP.split(form_text)
    items = {parts[i]: parts[i + 1] for i in range(1, len(parts) - 1, 2)}
    if asked not in items:
        return None
    rest = _ITEM_FILLER.sub(" ", text[:m.start()] + " " + text[m.end():])
    if _NEGATION.search(rest):
        return None  # "第三项不是写场地的吧": a negated claim is left to the other readings
    words = [w for w in tokenize(rest) if w.strip() and re.search(r"\w", w) and not (len(w) == 1 and w in _FUNCTION_CHARS)]
    if not words or sum(len(w) for w in words) < 2:
        return None
    holding = [n for n, body in items.items() if all(w in body for w in words)]
    if len(holding) != 1:
        return None
    return ("yes" if holding[0] == asked else "no"), holding[0]


# fix19: an English claim that quotes the notice's Chinese wording of a document
_CJK_SPAN = lazy(r"[\u4e00-\u9fff〔〕（）()\d]{6,}")
_EN_BASIS = lazy(r"\b(based on|basis|bases|rests? on|cites?|cited|refers? to|referenced|according to)\b", re.I)


def quoted_cjk(text: str, clause_text: str, norm) -> bool | None:
    """"Is 人社职司便函〔2019〕52号 one of the documents this notice is based on?": True when every Chinese
    document reference quoted is in the clause, False when one differs from the clause's only in its
    number, None when the question is not of that kind."""
    spans = [m.group(0) for m in _CJK_SPAN.finditer(text) if re.search(r"号|文|函", m.group(0))]
    if not spans or not _EN_BASIS.search(text):
        return None
    said = [norm(x) in clause_text for x in spans]
    if all(said):
        return True
    for x in spans:
        num = SLOTS["document"].search(norm(x))
        stem = norm(x)[:num.start()] if num else ""
        if num and len(stem) >= 4 and stem in clause_text:
            return False  # "人社职司便函〔2019〕53号": that series, another number
    return None


# fix19: how many parts a form has, how many notes
_CN_NUM = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_PARTS_ASKED = lazy(r"(?:一共|共|总共|总计|分|分为|分成)(?:有|是)?\s*([一二两三四五六七八九十]|\d{1,2})\s*(?:个)?(?:部分|大项|项|块|大块|大部分)")
_NOTES_ASKED = lazy(r"(?:注释|注|说明|填表说明)(?:一共|共|总共)?(?:有|是)?\s*([一二两三四五六七八九十]|\d{1,2})\s*(?:条|个|项|点)|"
                          r"(?:一共|共|总共)(?:有)?\s*([一二两三四五六七八九十]|\d{1,2})\s*(?:条|个)(?:注释|注|说明)")


def count_claim(text: str, form: str, form_text: str, note_count: int) -> tuple[str, int, str] | None:
    """"附件1一共六部分？", "附件3注释有五条吧": a claim of how many numbered parts a form has, or how many
    notes. Returns (verdict, the true count, "parts" | "notes") or None."""
    if _NEGATION.search(re.sub(r"是不是|有没有|对不对", "", text)):
        return None
    m = _NOTES_ASKED.search(text)
    if m and note_count:
        g = m.group(1) or m.group(2)
        n = int(g) if g.isdigit() else _CN_NUM[g]
        return ("yes" if n == note_count else "no"), note_count, "notes"
    m = _PARTS_ASKED.search(text)
    if m and form in ("att1", "att2"):
        items = _ITEM_SEP.findall(form_text)
        if not items:
            return None
        g = m.group(1)
        n = int(g) if g.isdigit() else _CN_NUM[g]
        return ("yes" if n == len(items) else "no"), len(items), "parts"
    return None


# fix19: English claims of the notice's date and of a form's counts
_MONTHS = {m: i for i, m in enumerate(["january", "february", "march", "april", "may", "june", "july", "august",
                                       "september", "october", "november", "december"], 1)}
_EN_DATE = lazy(r"\b(?:(\d{1,2})(?:st|nd|rd|th)? (january|february|march|april|may|june|july|august|september|october|november|december)"
                      r"|(january|february|march|april|may|june|july|august|september|october|november|december) (\d{1,2})(?:st|nd|rd|th)?)\b,?(?: (\d{4}))?", re.I)
_EN_ISSUED = lazy(r"\b(issued|dated|published|signed|released|sent out|came out|date)\b", re.I)
_EN_NUM = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}
_EN_COUNT = lazy(r"\b(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten) (parts|sections|items|notes)\b", re.I)


def en_date_claim(text: str, year: int, month: int, day: int) -> bool | None:
    """"Was the notice issued on 1 September 2021?": whether the date given is the notice's."""
    m = _EN_DATE.search(text)
    if not m or not _EN_ISSUED.search(text):
        return None
    d = int(m.group(1) or m.group(4))
    mo = _MONTHS[(m.group(2) or m.group(3)).lower()]
    y = int(m.group(5)) if m.group(5) else year
    return (d, mo, y) == (day, month, year)


def en_count_claim(text: str) -> tuple[int, str] | None:
    """"Does attachment 1 have five parts?": (the number, "parts" | "notes")."""
    m = _EN_COUNT.search(text)
    if not m:
        return None
    g = m.group(1).lower()
    return (int(g) if g.isdigit() else _EN_NUM[g]), ("notes" if m.group(2).lower() == "notes" else "parts")


# fix19: "取得社评资质的技校要优先面向技工院校教师": a description of the subject, not the asker's facts
SUBJECT_DESC = lazy(r"(已经?)?(有|具备|取得了?|拿到了?|获得了?)(了)?(社会培训评价组织资质|社会培训评价组织的资质|学生(职业技能等级)?认定资格)(的)(技工院校|学校|机构)")


def swap_field(field_words: list[dict], previous: str, followup: str) -> str | None:
    """fix22: "附件3的机构简称一定要填吗" then "网址呢？": the previous question with the field it named replaced by
    the one the follow-up names (both fields of one form, facts.toml [[field_words]]), or None."""
    for f in field_words:
        words = sorted(f["words"], key=len, reverse=True)  # 机构简称 before 简称
        now = next((w for w in words if w in followup), None)
        before = next((w for w in words if w in previous), None)
        if now is None or before is None or now in before or before in now:
            continue
        return previous.replace(before, now, 1)
    return None
