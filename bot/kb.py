"""The knowledge base: `knowledge/` and `intents/` compiled into one SQLite file.

`build()` reads the human-edited TOML sources, checks them (every cited clause exists, every
intent has phrasings), segments the phrasings and writes the tables with sqlite-utils.
`load()` reads them back with the standard library only (fast start-up) and rebuilds first
when a source file is newer than the database.
"""
from __future__ import annotations

import json
import os
import re
import unicodedata
import sqlite3
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from . import lazyre
from .frame import Ask, Statement, compile_asks, compile_statements, compute_anchors, register_anchors
from .text import Lexicon, Tokens, normalize_en, normalize_zh

SCHEMA_VERSION = 9
MIN_ZH_PHRASINGS = 8
MIN_EN_PHRASINGS = 3
COMMON_WORDS = 20000  # general words from jieba's dictionary added to the domain dictionary


class KBError(Exception):
    """A source file is wrong; the message names the file and the problem."""


@dataclass
class Intent:
    name: str
    clauses: list[str]
    topic_zh: str
    topic_en: str
    answer_zh: str
    answer_en: str
    rule: str = ""
    smalltalk: bool = False
    out_of_scope: bool = False
    verdicts: list[dict] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)  # who the topic is about: teacher, student, public …
    keywords: list[str] = field(default_factory=list)  # words that point to this topic (normalised text)


@dataclass
class KnowledgeBase:
    clauses: dict[str, dict]
    intents: dict[str, Intent]
    phrasings: list[dict]  # intent, lang, text, norm, tokens
    facts: dict
    glossary: dict
    rules_text: dict
    questionnaire: dict
    replies: dict
    actions: dict
    dictionary: str
    lexicon: Lexicon
    statements: list[Statement] = field(default_factory=list)  # knowledge/statements.toml
    asks: list[Ask] = field(default_factory=list)  # knowledge/asks.toml
    patterns: frozenset = frozenset()  # every pattern of the two tables and of the form fields (`Engine.warm`)
    _tokens: Tokens | None = None

    @property
    def tokens(self) -> Tokens:
        if self._tokens is None:
            self._tokens = Tokens(self.dictionary, self.lexicon)
        return self._tokens


# ---------------------------------------------------------------- sources


def source_files(root: Path) -> list[Path]:
    files = sorted((root / "knowledge").glob("*.toml")) + sorted((root / "intents").glob("*.toml"))
    return files


def _read_toml(path: Path) -> dict:
    try:
        with open(path, "rb") as f:
            return tomllib.load(f)
    except tomllib.TOMLDecodeError as e:
        raise KBError(f"{path}: not valid TOML: {e}") from None


def read_sources(root: Path) -> dict:
    k = root / "knowledge"
    notice = _read_toml(k / "notice.toml")
    clauses = {}
    for c in notice.get("clause", []):
        for key in ("id", "title_zh", "title_en", "text"):
            if not c.get(key):
                raise KBError(f"{k / 'notice.toml'}: a clause lacks `{key}`: {c.get('id', '?')}")
        clauses[c["id"]] = c
    intents = {}
    for path in sorted((root / "intents").glob("*.toml")):
        data = _read_toml(path)
        name = path.stem
        oos = name == "_out_of_scope"
        for cid in data.get("clauses", []):
            if cid not in clauses:
                raise KBError(f"{path}: clause `{cid}` is not in knowledge/notice.toml")
        zh, en = data.get("zh", []), data.get("en", [])
        if not oos and not data.get("smalltalk"):
            if len(zh) < MIN_ZH_PHRASINGS or len(en) < MIN_EN_PHRASINGS:
                raise KBError(f"{path}: needs at least {MIN_ZH_PHRASINGS} `zh` and {MIN_EN_PHRASINGS} `en` phrasings")
            if not data.get("clauses"):
                raise KBError(f"{path}: `clauses` is empty; a topic answer must cite the notice")
        for v in data.get("verdicts", []):
            if v.get("verdict") not in ("yes", "no", "conditional"):
                raise KBError(f"{path}: verdict must be yes, no or conditional: {v}")
            if "if" in v:
                try:
                    re.compile(v["if"])
                except re.error as e:
                    raise KBError(f"{path}: bad pattern {v['if']!r}: {e}") from None
        intents[name] = {"name": name, "data": data, "zh": zh, "en": en, "out_of_scope": oos}
    rules_text = _read_toml(k / "rules.toml")
    for cap, statuses in rules_text.items():
        if cap == "facts":
            continue
        for status, entry in statuses.items():
            for cid in entry.get("clauses", []) + entry.get("clauses_no", []) + entry.get("clauses_yes", []):
                if cid not in clauses:
                    raise KBError(f"{k / 'rules.toml'}: {cap}.{status} cites unknown clause `{cid}`")
    questionnaire = _read_toml(k / "questionnaire.toml")
    _check_questionnaire(questionnaire, k / "questionnaire.toml")
    actions = _read_toml(k / "actions.toml")
    for name, a in actions.items():
        for cid in a.get("clauses", []) + [p["clause"] for p in a.get("proofs", [])]:
            if cid not in clauses:
                raise KBError(f"{k / 'actions.toml'}: {name} cites unknown clause `{cid}`")
    statements = _read_toml(k / "statements.toml")
    _check_statements(statements, clauses, k / "statements.toml", intents)
    asks = _read_toml(k / "asks.toml")
    _check_asks(asks, clauses, k / "asks.toml")
    return {
        "clauses": clauses,
        "intents": intents,
        "statements": statements,
        "asks": asks,
        "facts": _read_toml(k / "facts.toml"),
        "glossary": _read_toml(k / "glossary.toml"),
        "rules": rules_text,
        "questionnaire": questionnaire,
        "replies": _read_toml(k / "replies.toml"),
        "actions": actions,
    }


def _pattern(path: Path, where: str, pattern) -> None:
    if not isinstance(pattern, str) or not pattern:
        raise KBError(f"{path}: {where}: a pattern must be a non-empty string")
    try:
        re.compile(pattern)
    except re.error as e:
        raise KBError(f"{path}: {where}: bad pattern {pattern!r}: {e}") from None


def _check_statements(data: dict, clauses: dict, path: Path, intents: dict | None = None) -> None:
    """Every statement cites a known clause, has a yes/no verdict and patterns that compile."""
    known = {"clause", "verdict", "when", "unless", "say_zh", "say_en", "also", "topic", "may"}
    for i, st in enumerate(data.get("statement", []), 1):
        where = f"statement {i}"
        if set(st) - known:
            raise KBError(f"{path}: {where}: unknown field(s) {sorted(set(st) - known)}")
        if st.get("clause") not in clauses:
            raise KBError(f"{path}: {where}: clause `{st.get('clause')}` is not in knowledge/notice.toml")
        if any(c not in clauses for c in st.get("also", [])):  # fix38: clauses cited after its own
            raise KBError(f"{path}: {where}: `also` names a clause not in knowledge/notice.toml: {st.get('also')}")
        if intents is not None and st.get("topic") and st["topic"] not in intents:  # fix38: the topic answered under
            raise KBError(f"{path}: {where}: topic `{st['topic']}` is not one of intents/*.toml")
        if st.get("verdict") not in ("yes", "no", "conditional"):
            raise KBError(f"{path}: {where}: verdict must be yes, no or conditional, not {st.get('verdict')!r}")
        if "may" in st and (not isinstance(st["may"], bool) or (st["may"] and st.get("verdict") != "yes")):
            # session 18: a permission is a yes to "may we"; asked "must we", the engine answers no
            raise KBError(f"{path}: {where}: `may = true` is for a statement whose verdict is yes (a permission)")
        if st.get("verdict") == "conditional" and not (st.get("say_zh") and st.get("say_en")):
            # fix13: "工种栏可以留空吗" depends on a condition the statement itself must say
            raise KBError(f"{path}: {where}: a conditional statement needs say_zh and say_en (the condition)")
        if not isinstance(st.get("when"), list) or not st["when"]:
            raise KBError(f"{path}: {where}: `when` must be a non-empty list of patterns")
        for p in st["when"] + list(st.get("unless", [])):
            _pattern(path, where, p)


def _check_asks(data: dict, clauses: dict, path: Path) -> None:
    """Every asked element has a kind, patterns that compile and known clauses."""
    known = {"kind", "when", "supplied", "context", "zh", "en", "anywhere"}
    for i, a in enumerate(data.get("ask", []), 1):
        where = f"ask {i} ({a.get('kind', '?')})"
        if set(a) - known:
            raise KBError(f"{path}: {where}: unknown field(s) {sorted(set(a) - known)}")
        if not a.get("kind") or not a.get("zh") or not a.get("en"):
            raise KBError(f"{path}: {where}: needs `kind`, `zh` and `en`")
        if not isinstance(a.get("when"), list) or not a["when"]:
            raise KBError(f"{path}: {where}: `when` must be a non-empty list of patterns")
        for p in a["when"]:
            _pattern(path, where, p)
        for x in a.get("supplied", []):
            if not isinstance(x, dict) or x.get("clause") not in clauses:
                raise KBError(f"{path}: {where}: `supplied` entries need a known `clause`: {x!r}")
            _pattern(path, where, x.get("if"))
        if a.get("context") and a["context"] not in clauses:
            raise KBError(f"{path}: {where}: context clause `{a['context']}` is not in knowledge/notice.toml")


QUESTION_TYPES = {"longtext", "choice", "multi", "yesno", "text", "credit_code", "phone", "email", "occupation_code", "levels",
                  "count"}
ANSWER_KEYS = {"institution_type", "affiliation", "goals", "student_cert_qualified", "social_org_qualified",
               "runs_prep_technician_class", "runs_senior_class", "has_segmented_students"}
_CONDITION = re.compile(r"^(filing|documents|att1|goals has [a-z_|]+|not [a-z_]+|[a-z_]+ == [a-z_]+|[a-z_]+)$")


def _check_questionnaire(data: dict, path: Path) -> None:
    """Every question has a known key and type, its options, its words, and conditions that parse."""
    from .answers import OCC_FIELDS, ORG_FIELDS

    for section, keys in (("question", ANSWER_KEYS | {f"org.{k}" for k in ORG_FIELDS}), ("occupation", set(OCC_FIELDS))):
        for q in data.get(section, []):
            key = q.get("key", "?")
            if key not in keys:
                raise KBError(f"{path}: [[{section}]] key `{key}` is not a questionnaire key")
            if q.get("type") not in QUESTION_TYPES:
                raise KBError(f"{path}: `{key}` has unknown type {q.get('type')!r} (known: {', '.join(sorted(QUESTION_TYPES))})")
            if q["type"] in ("choice", "multi") and not q.get("options"):
                raise KBError(f"{path}: `{key}` is a {q['type']} question without options")
            if not q.get("zh") or not q.get("en"):
                raise KBError(f"{path}: `{key}` needs the question in `zh` and `en`")
            for cond in q.get("when", []):
                for part in cond.split(" or "):
                    if not _CONDITION.match(part.strip()):
                        raise KBError(f"{path}: `{key}` has a condition that does not parse: {cond!r}")


def _dictionary(src: dict, lex: Lexicon) -> str:
    """A small jieba dictionary: the words the full dictionary finds in our texts, plus the glossary."""
    import logging

    from .text import import_jieba

    jieba = import_jieba()
    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    freq = jieba.dt.FREQ
    words: dict[str, int] = {}
    texts = [c["text"] for c in src["clauses"].values()]
    for it in src["intents"].values():
        texts += it["zh"]
    for t in texts:
        for w in jieba.lcut_for_search(normalize_zh(t, lex)):
            w = w.strip()
            if w and re.search(r"[\u4e00-\u9fff]", w):
                words[w] = max(words.get(w, 0), freq.get(w) or 3)
                for ch in w:
                    words.setdefault(ch, freq.get(ch) or 3)
    # the most frequent general words too, so that unseen colloquial words still segment well
    common = sorted(((n, w) for w, n in freq.items() if n > 0 and len(w) >= 2), reverse=True)[:COMMON_WORDS]
    for n, w in common:
        words.setdefault(w, n)
    strong = set(lex.replace.values()) | set(lex.fixes.values()) | set(src["glossary"].get("protect", {}).get("words", []))
    for w in strong:
        if re.search(r"[\u4e00-\u9fff]", w):
            words[w] = max(words.get(w, 0), 200000)
    return "\n".join(f"{w} {n}" for w, n in sorted(words.items())) + "\n"


def _fold_fact(text: str) -> str:
    """For comparing a fact with a clause: full/half width and dashes alike (0531—86018851 = 0531-86018851)."""
    return re.sub(r"[—–－‐]", "-", unicodedata.normalize("NFKC", str(text))).replace(" ", "")


PHONE_IN_TEXT = re.compile(r"0\d{2,3}\s*[-—–－]\s*\d{7,8}|1[3-9]\d{9}")


def fact_mismatches(src: dict) -> list[str]:
    """Values of knowledge/facts.toml that a clause of knowledge/notice.toml also states and that now
    differ from it (try29: a contact's phone edited in facts.toml only, so every answer gave the new
    number above a quote with the old one). `kb build` prints these as warnings and still builds.
    `src`: `read_sources`' result (only its clauses and facts are read)."""
    clauses = src["clauses"]
    facts = src["facts"]
    out = []
    for c in facts.get("contact", []):
        name, phone = c.get("name", ""), c.get("phone", "")
        for cid, clause in clauses.items():
            text = clause["text"]
            if not name or name not in text or not phone:
                continue
            if _fold_fact(phone) in _fold_fact(text):
                continue
            after = PHONE_IN_TEXT.search(text, text.index(name))
            said = after.group(0) if after else ""
            out.append(f"knowledge/facts.toml [[contact]] {name}: phone {phone!r} differs from clause `{cid}` of "
                       f"knowledge/notice.toml" + (f", which gives {said!r}" if said else "")
                       + ": answers would contradict the quoted clause; change both files, or neither")
    for d in facts.get("document", []):
        cid, code = d.get("clause", ""), d.get("code", "")
        if cid in clauses and code and _fold_fact(code) not in _fold_fact(clauses[cid]["text"]):
            out.append(f"knowledge/facts.toml [[document]] {code!r} is not in clause `{cid}` of knowledge/notice.toml: "
                       "a changed document number must be changed in both files")
    notice = facts.get("notice", {})
    every = _fold_fact(" ".join(c["text"] for c in clauses.values()))
    for key in ("title", "issuer", "date", "addressees"):
        value = notice.get(key)
        if isinstance(value, str) and value and _fold_fact(value) not in every:
            out.append(f"knowledge/facts.toml [notice] {key} = {value!r} is not in any clause of knowledge/notice.toml: "
                       "the notice states it differently; change both files, or neither")
    return out


def build(root: Path, db_path: Path, src: dict | None = None) -> dict:
    """Compile the sources into `db_path` (replaced atomically). Returns counts. `src`: the sources, if already read."""
    import sqlite_utils

    src = src if src is not None else read_sources(root)
    lex = Lexicon.from_glossary(src["glossary"])
    dictionary = _dictionary(src, lex)
    tokens = Tokens(dictionary, lex)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    clean_stale_tmp(db_path)
    tmp = db_path.with_suffix(f".tmp{os.getpid()}")
    if tmp.exists():
        tmp.unlink()
    db = sqlite_utils.Database(tmp)
    db["clauses"].insert_all(
        ({"id": c["id"], "title_zh": c["title_zh"], "title_en": c["title_en"], "text": c["text"],
          "position": i} for i, c in enumerate(src["clauses"].values())),
        pk="id",
    )
    db["clauses"].enable_fts(["title_zh", "text"], tokenize="trigram")
    intent_rows, phrasing_rows = [], []
    for it in src["intents"].values():
        d = it["data"]
        d["keywords"] = sorted({normalize_en(k, lex).strip() if k.isascii() else normalize_zh(k, lex)
                                for k in d.get("keywords", [])})
        intent_rows.append({
            "name": it["name"], "clauses": json.dumps(d.get("clauses", [])), "rule": d.get("rule", ""),
            "topic_zh": d.get("topic_zh", ""), "topic_en": d.get("topic_en", ""),
            "answer_zh": d.get("answer_zh", ""), "answer_en": d.get("answer_en", ""),
            "smalltalk": int(bool(d.get("smalltalk"))), "out_of_scope": int(it["out_of_scope"]),
            "verdicts": json.dumps(d.get("verdicts", []), ensure_ascii=False),
            "groups": json.dumps(d.get("groups", [])),
            "keywords": json.dumps(d.get("keywords", []), ensure_ascii=False),
        })
        for lang in ("zh", "en"):
            for text in it[lang]:
                if lang == "zh":
                    norm = normalize_zh(text, lex)
                    toks = tokens.zh(norm)
                else:
                    norm = normalize_en(text, lex)
                    toks = tokens.en(norm)
                phrasing_rows.append({"intent": it["name"], "lang": lang, "text": text, "norm": norm,
                                      "tokens": " ".join(toks)})
    db["intents"].insert_all(intent_rows, pk="name")
    db["phrasings"].insert_all(phrasing_rows)
    db["phrasings"].create_index(["intent"])
    meta = {
        "schema": SCHEMA_VERSION, "facts": src["facts"], "glossary": src["glossary"],
        "rules": src["rules"], "questionnaire": src["questionnaire"], "replies": src["replies"],
        "actions": src["actions"], "dictionary": dictionary, "statements": src["statements"], "asks": src["asks"],
        "anchors": pattern_anchors(src),
        "inline": lazyre.every_inline(),  # the reading code's inline expressions, compiled by `Engine.warm`
    }
    db["meta"].insert_all(({"key": k, "value": json.dumps(v, ensure_ascii=False)} for k, v in meta.items()), pk="key")
    db.conn.commit()
    db.conn.close()
    os.replace(tmp, db_path)
    glossary_facts = src["glossary"].get("fact", []) if isinstance(src["glossary"], dict) else []
    try:  # only ever saves time: a failure here leaves the new knowledge base as it is
        lazyre.save_codes(db_path, [(p, re.I) for p in sorted(knowledge_patterns(src["statements"], src["asks"], src["facts"]))]
                          + [(f.get("pattern", ""), re.I) for f in glossary_facts] + lazyre.every_pattern()
                          + [(x.pattern, 0) for x in (lex._zh_re, lex._fix_re, lex._en_re) if x is not None])  # the normaliser's
    except OSError:
        pass
    return {"clauses": len(src["clauses"]), "intents": len(intent_rows), "phrasings": len(phrasing_rows),
            "dictionary_words": dictionary.count("\n")}


def knowledge_patterns(statements: dict, asks: dict, facts: dict) -> set[str]:
    """Every pattern of statements.toml, asks.toml and facts.toml's form fields."""
    patterns = set()
    for s in statements.get("statement", []):
        patterns.update(s.get("when", []) + s.get("unless", []))
    for a in asks.get("ask", []):
        patterns.update(a.get("when", []))
        patterns.update(x.get("if", "") for x in a.get("supplied", []))
    for f in facts.get("form_field", []):
        patterns.add(f.get("when", ""))
    return {x for x in patterns if x}


def pattern_anchors(src: dict) -> dict[str, list[str]]:
    """For every knowledge pattern and every expression of the reading code, the strings one of which each
    match contains (see `frame.compute_anchors`): read once here, so that answering never parses them."""
    from .frame import FORM_NAMED

    patterns = knowledge_patterns(src["statements"], src["asks"], src["facts"]) \
        | {p for p, _ in lazyre.every_pattern()} | set(FORM_NAMED.values())  # the reading code's expressions too
    glossary_facts = src["glossary"].get("fact", []) if isinstance(src["glossary"], dict) else []
    patterns |= {f.get("pattern") for f in glossary_facts if f.get("pattern")}  # the fact patterns (`facts_in`)
    out = {}
    for p in sorted(patterns):
        got = compute_anchors(p)
        if got is not None:
            out[p] = sorted(got)
    return out


def is_stale(root: Path, db_path: Path) -> bool:
    if not db_path.exists():
        return True
    built = db_path.stat().st_mtime
    return any(p.stat().st_mtime > built for p in source_files(root))


def clean_stale_tmp(db_path: Path) -> None:
    """Remove `kb.tmp<pid>` files left by a `kb build` that was killed (its process is gone)."""
    try:
        for tmp in Path(db_path).parent.glob(Path(db_path).stem + ".tmp*"):
            pid = tmp.name.rsplit(".tmp", 1)[-1]
            if pid.isdigit() and not _alive(int(pid)):
                tmp.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only folder: nothing to clean, nothing to fear


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, not ours
    return True


def load(root: Path, db_path: Path, rebuild: bool = True) -> KnowledgeBase:
    clean_stale_tmp(db_path)
    if rebuild and is_stale(root, db_path):
        build(root, db_path)
    try:
        return _read(db_path)
    except (sqlite3.DatabaseError, KeyError, json.JSONDecodeError):
        if not rebuild:
            raise
        build(root, db_path)  # an old or damaged file: build it again
        return _read(db_path)


def _read(db_path: Path) -> KnowledgeBase:
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        meta = {k: json.loads(v) for k, v in conn.execute("select key, value from meta")}
        if meta.get("schema") != SCHEMA_VERSION:
            raise KeyError("schema")
        clauses = {}
        for cid, tz, te, text in conn.execute("select id, title_zh, title_en, text from clauses order by position"):
            clauses[cid] = {"id": cid, "title_zh": tz, "title_en": te, "text": text}
        intents = {}
        for row in conn.execute("select name, clauses, rule, topic_zh, topic_en, answer_zh, answer_en, "
                                "smalltalk, out_of_scope, verdicts, groups, keywords from intents"):
            name, cl, rule, tz, te, az, ae, st, oos, verdicts, groups, keywords = row
            intents[name] = Intent(name, json.loads(cl), tz, te, az, ae, rule, bool(st), bool(oos),
                                   json.loads(verdicts), json.loads(groups), json.loads(keywords))
        phrasings = [
            {"intent": i, "lang": lang, "text": t, "norm": n, "tokens": tok.split()}
            for i, lang, t, n, tok in conn.execute("select intent, lang, text, norm, tokens from phrasings order by rowid")
        ]
    finally:
        conn.close()
    glossary = meta["glossary"]
    register_anchors(meta.get("anchors", {}))
    lazyre.register_gates(meta.get("anchors", {}))  # the reading code's expressions skip texts they cannot match
    lazyre.register_inline(meta.get("inline", []))
    lazyre.load_codes(db_path)  # the expressions compiled by `kb build` (before the lexicon compiles its own)
    return KnowledgeBase(clauses, intents, phrasings, meta["facts"], glossary, meta["rules"],
                         meta["questionnaire"], meta["replies"], meta["actions"], meta["dictionary"], Lexicon.from_glossary(glossary),
                         compile_statements(meta["statements"]), compile_asks(meta["asks"]),
                         frozenset(knowledge_patterns(meta["statements"], meta["asks"], meta["facts"])))
