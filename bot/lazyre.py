"""Regular expressions compiled when first used.

The reading code holds ~140 module-level expressions, many of them long alternations of Chinese words;
compiling them all at import took ~80 ms, a sixth of a one-shot `skillcert ask`, though one question
meets only some of them. `lazy(pattern, flags)` stands for `re.compile(pattern, flags)` and compiles on
first use; after that its methods are the compiled pattern's own (no extra call per use). Long-running
channels compile everything at start anyway (`Engine.warm` → `warm_all`).
"""
from __future__ import annotations

import marshal
import os
import re
import sys
from pathlib import Path

try:  # the expression engine's own compiler: its output is what a cached expression is rebuilt from
    import _sre
    from re import _compiler, _parser
    import platform

    # the full version: a patch release may change what the compiler makes of an expression (same MAGIC)
    CACHE_TAG: str | None = f"{sys.implementation.cache_tag}-{platform.python_version()}-sre{_sre.MAGIC}"
except (ImportError, AttributeError):  # another Python: no cache, plain re.compile
    CACHE_TAG = None

_ALL: list["LazyPattern"] = []
_CODE: dict[tuple[str, int], tuple] = {}  # (pattern, flags) → the arguments of _sre.compile, from `kb build`
_METHODS = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split")


class LazyPattern:
    def __init__(self, pattern: str, flags: int = 0, gate: bool = False):
        self.pattern = pattern
        self.flags = flags
        self.gate = gate  # (see `_gated`)
        _ALL.append(self)

    def compiled(self) -> re.Pattern:
        rx = self.__dict__.get("_rx")
        if rx is None:
            rx = self._rx = compile(self.pattern, self.flags)
            self._bind()
        return rx

    def _bind(self) -> None:
        """Bound once: later calls go straight to the compiled pattern, or through its gate (see `_gated`)."""
        rx = self._rx
        strings = _GATES.get(self.pattern) if self.gate else None
        for name in _METHODS:
            method = getattr(rx, name)
            setattr(self, name, method if strings is None or name not in _NO_MATCH else _gated(method, name, strings))

    def __getattr__(self, name):  # only for attributes not set yet: the methods before the first use
        if name.startswith("__") or name == "_rx":
            raise AttributeError(name)
        return getattr(self.compiled(), name)

    def __repr__(self) -> str:
        return f"lazy({self.pattern[:40]!r}…)"


def lazy(pattern: str, flags: int = 0, gate: bool = False) -> LazyPattern:
    return LazyPattern(pattern, flags, gate)


# ------------------------------------------------------------------ gates: skip a search that cannot match
# Session 18: `re` tries a long alternation of words at every position of a text (the other-school expression,
# `lazy(…, gate=True)`: 46 µs a search), yet most of its searches find nothing. Such an expression first looks
# for the strings one of which every match contains (`frame.compute_anchors`, read by `kb build`: `in`, or one
# Aho-Corasick scan for many) and answers "no match" at once when there is none: exact, and 4× cheaper there.
# Not the default: for most expressions (a few words, or `^…`) `re` itself is as quick as the gate (≈ 1 µs).
# `match`/`fullmatch` (one position) are never gated.
_GATES: dict[str, tuple[str, ...]] = {}  # pattern → the strings (lower-case) one of which every match contains
# what each method returns when there is no match (`sub`'s text is its second argument, the others' their first)
_NO_MATCH = {"search": lambda a: None, "finditer": lambda a: iter(()), "findall": lambda a: [],
             "sub": lambda a: a[1], "subn": lambda a: (a[1], 0), "split": lambda a: [a[0]]}
# ı, ſ and İ match i, s (and i) under re.I though their lower case is not (or not only) i or s: a text holding
# one is searched as usual
_FOLDS_APART = ("ı", "ſ", "İ")


def _gated(method, name: str, strings: tuple[str, ...]):
    at = 1 if name in ("sub", "subn") else 0
    empty = _NO_MATCH[name]
    caseless = all(c.lower() == c == c.upper() for s in strings for c in s)  # (Chinese words: the text as it is)
    scan = None  # many strings: one Aho-Corasick scan; a few: `in` one by one (one call less than a helper function)
    if len(strings) > 16:
        import ahocorasick

        automaton = ahocorasick.Automaton()
        for s in strings:
            automaton.add_word(s, s)
        automaton.make_automaton()
        scan = automaton.iter
    a, b, c = _FOLDS_APART

    def call(*args, **kw):
        text = args[at] if len(args) > at else None
        if type(text) is not str:  # noqa: E721 - (a str subclass's lower() could be anything)
            return method(*args, **kw)
        if not caseless:
            if a in text or b in text or c in text:
                return method(*args, **kw)
            text = text.lower()
        if scan is None:
            for s in strings:
                if s in text:
                    return method(*args, **kw)
        elif next(scan(text), None) is not None:
            return method(*args, **kw)
        return empty(args)

    return call


def gate(*patterns: LazyPattern) -> None:
    """`lazy(…, gate=True)` for expressions defined elsewhere (see `_gated`)."""
    for p in patterns:
        p.gate = True
        if "_rx" in p.__dict__:
            p._bind()


def register_gates(table: dict) -> None:
    """The strings every match of each reading expression contains (from `kb build`'s anchors); binds again the
    expressions already compiled."""
    _GATES.update((p, tuple(sorted(v))) for p, v in table.items() if v and all(v))
    for p in _ALL:
        if "_rx" in p.__dict__:
            p._bind()


def warm_all() -> int:
    """Compile every lazy expression now (for long-running channels); returns how many there are."""
    for p in _ALL:
        p.compiled()
    return len(_ALL)


_FLAGS_AT = {"search": 2, "match": 2, "fullmatch": 2, "finditer": 2, "findall": 2, "split": 3, "sub": 4, "subn": 4}


def inline_patterns(module) -> list[tuple[str, int]]:
    """The expressions a module's code writes inline (`re.search(r"…", text, re.I)`, `re.sub(…, flags=re.I)`),
    with their flags, read from its source: `re` compiles each on its first use and keeps it in its own cache."""
    import ast
    import inspect

    def flags_of(node) -> int | None:  # `re.I`, `re.I | re.S`; None for anything else
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "re":
            value = getattr(re, node.attr, None)
            return int(value) if isinstance(value, int) else None
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            a, b = flags_of(node.left), flags_of(node.right)
            return None if a is None or b is None else a | b
        return None

    out = []
    for node in ast.walk(ast.parse(inspect.getsource(module))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _FLAGS_AT
                and isinstance(node.func.value, ast.Name) and node.func.value.id == "re" and node.args
                and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            continue
        flag = next((k.value for k in node.keywords if k.arg == "flags"), None)
        if flag is None and len(node.args) > _FLAGS_AT[node.func.attr]:
            flag = node.args[_FLAGS_AT[node.func.attr]]
        flags = 0 if flag is None else flags_of(flag)
        if flags is not None:  # (other flags: that call compiles on its first use)
            out.append((node.args[0].value, flags))
    return out


_INLINE: list[tuple[str, int]] = []  # the reading code's inline expressions, as `kb build` found them


def register_inline(pairs) -> None:
    _INLINE[:] = [(p, int(f)) for p, f in pairs if isinstance(p, str)]


def warm_inline() -> int:
    """Compile the reading code's inline expressions (listed by `kb build`: parsing the source takes 0.15 s) into
    `re`'s own cache now, for long-running channels: the first questions no longer pay for them."""
    n = 0
    for pattern, flags in _INLINE:
        try:
            re.compile(pattern, flags)  # (the key `re.search(pattern, …)` looks up: cached for it)
            n += 1
        except re.error:
            pass
    return n


# ------------------------------------------------------------------ compiled expressions kept between processes
# Parsing and compiling the ~260 expressions a one-shot `skillcert ask` meets took ≈ 0.17 s of its ≈ 0.5 s.
# `kb build` writes what Python's own compiler makes of every knowledge and reading expression (the
# engine's code list, groups, flags) beside the knowledge base, for this Python and this version of its
# expression engine only (CACHE_TAG in the file name); loading the knowledge base reads it back, and
# `compile` then builds a pattern from it as `re.compile` itself does last. An expression not in the file,
# or one the engine refuses (a damaged file), is compiled as usual: the file only ever saves time.


def compile(pattern: str, flags: int = 0) -> re.Pattern:
    """`re.compile(pattern, flags)`, from the code cached by `kb build` when there is some."""
    flags = int(flags)
    got = _CODE.get((pattern, flags))
    if got is not None:
        try:
            return _sre.compile(pattern, *got)
        except Exception:  # noqa: BLE001 - a damaged entry: compile it as usual
            _CODE.pop((pattern, flags), None)
    return re.compile(pattern, flags)


def code_of(pattern: str, flags: int) -> tuple:
    """What `re._compiler.compile` hands to `_sre.compile` for this expression (after the pattern)."""
    p = _parser.parse(pattern, flags)
    code = [int(op) for op in _compiler._code(p, flags)]  # opcodes are int subclasses: plain ints for marshal
    groupindex = dict(p.state.groupdict)
    indexgroup = [None] * p.state.groups
    for name, i in groupindex.items():
        indexgroup[i] = name
    return (flags | p.state.flags, code, p.state.groups - 1, groupindex, tuple(indexgroup))


def codes_path(db_path: str | Path) -> Path | None:
    db_path = Path(db_path)
    return db_path.with_name(f"{db_path.stem}.re-{CACHE_TAG}.marshal") if CACHE_TAG else None


def save_codes(db_path: str | Path, patterns) -> int:
    """Write the compiled form of `patterns` ((pattern, flags) pairs) beside the knowledge base file."""
    path = codes_path(db_path)
    if path is None:
        return 0
    table = {}
    for pattern, flags in patterns:
        if isinstance(pattern, str) and pattern and (pattern, int(flags)) not in table:
            try:
                table[(pattern, int(flags))] = code_of(pattern, int(flags))
            except (re.error, RecursionError, OverflowError):
                continue  # compiled (and refused) as usual when used
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    try:
        tmp.write_bytes(marshal.dumps(table))
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return len(table)


def load_codes(db_path: str | Path) -> int:
    """Read the compiled expressions written beside the knowledge base (nothing if there is no such file)."""
    path = codes_path(db_path)
    try:
        table = marshal.loads(path.read_bytes()) if path is not None else None
    except (OSError, ValueError, EOFError, TypeError):
        return 0
    if not isinstance(table, dict):
        return 0
    _CODE.update((k, v) for k, v in table.items()
                 if isinstance(k, tuple) and len(k) == 2 and isinstance(v, tuple) and len(v) == 5)
    return len(table)


def every_inline() -> list[tuple[str, int]]:
    """The inline expressions of the modules that answer a question."""
    from . import eligibility, engine, frame, matcher, rules, text

    return sorted({x for m in (engine, frame, text, matcher, eligibility, rules) for x in inline_patterns(m)})


def every_pattern() -> list[tuple[str, int]]:
    """The reading code's expressions (bot.frame, bot.text, bot.engine …), with their flags."""
    from . import dialogue, engine, frame, text  # noqa: F401 - their module expressions register here

    return [(p.pattern, int(p.flags)) for p in _ALL]
