"""bot/lazyre.py: module expressions compiled on first use, and all at once by `warm_all`."""
import re
import subprocess
import sys
from pathlib import Path

import bot.frame  # noqa: F401 - the reading code's expressions register themselves (this file alone too)
import bot.text  # noqa: F401
from bot.lazyre import LazyPattern, lazy, warm_all

ROOT = Path(__file__).resolve().parent.parent


def test_a_lazy_pattern_behaves_as_the_compiled_one():
    p = lazy(r"(社评|社会培训评价组织)资质", re.I)
    assert "_rx" not in p.__dict__  # nothing compiled yet
    assert p.search("我们有社评资质").group(1) == "社评"
    assert "_rx" in p.__dict__ and p.search.__self__ is p.compiled()  # later calls go straight to re
    assert p.sub("X", "社评资质和社会培训评价组织资质") == "X和X"
    assert [m.group(0) for m in p.finditer("社评资质 社评资质")] == ["社评资质", "社评资质"]
    assert p.pattern.startswith("(社评") and p.flags == re.I


def test_importing_the_reader_compiles_none_of_its_expressions_and_warming_compiles_all():
    code = ("import bot.frame, bot.text\nfrom bot import lazyre\n"
            "n = sum('_rx' in p.__dict__ for p in lazyre._ALL)\nprint(len(lazyre._ALL), n, lazyre.warm_all(), "
            "sum('_rx' in p.__dict__ for p in lazyre._ALL))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60).stdout.split()
    total, compiled_at_import, warmed, compiled_after = map(int, out)
    assert total > 100 and compiled_at_import == 0 and warmed == total == compiled_after
    assert isinstance(lazy("x"), LazyPattern) and warm_all() >= total


def test_expressions_rebuilt_from_the_cache_of_kb_build_behave_as_compiled_ones(kb_path):
    """`kb build` writes Python's compiled form of every knowledge and reading expression beside the knowledge
    base; each one rebuilt from it has the same flags and groups as `re.compile`'s and finds the same spans
    in the labelled questions."""
    import json
    import marshal

    from bot import lazyre

    path = lazyre.codes_path(kb_path)
    table = marshal.loads(path.read_bytes())
    code = "import json\nfrom bot import lazyre\nprint(json.dumps(lazyre.every_pattern(), ensure_ascii=False))"
    reading = json.loads(subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                                        timeout=60).stdout)  # (this process holds test-made expressions too)
    assert len(table) > 700 and len(reading) > 150 and all(tuple(p) in table for p in reading)
    texts = []
    for f in sorted((ROOT / "tests" / "data").glob("*.jsonl")):
        texts += [json.loads(line)["question"].lower() for line in f.read_text(encoding="utf-8").splitlines()
                  if line.strip()][::25]
    assert len(texts) > 150
    for (pattern, flags), code in table.items():
        cached, fresh = _sre_build(pattern, code), re.compile(pattern, flags)
        assert (cached.flags, cached.groups, cached.groupindex) == (fresh.flags, fresh.groups, fresh.groupindex), pattern
        for t in texts:
            a, b = cached.search(t), fresh.search(t)
            assert (a and a.span()) == (b and b.span()), (pattern, t)


def _sre_build(pattern, code):
    import _sre

    return _sre.compile(pattern, *code)


def test_a_damaged_cache_only_costs_time(tmp_path):
    from bot import lazyre

    db = tmp_path / "kb.sqlite"
    assert lazyre.load_codes(db) == 0  # no file
    lazyre.codes_path(db).write_bytes(b"\x00garbage")
    assert lazyre.load_codes(db) == 0
    # an entry whose code the expression engine refuses is compiled as usual
    lazyre._CODE[("(社评)资质", int(re.I))] = (int(re.I) | re.U, [1, 2, 3], 0, {}, (None,))
    assert lazyre.compile("(社评)资质", re.I).search("有社评资质").group(1) == "社评"
    assert ("(社评)资质", int(re.I)) not in lazyre._CODE


def test_the_inline_expressions_of_a_module_are_read_with_their_flags():
    """`inline_patterns` reads the expressions written in `re.…(r"…")` calls and the flags given with them
    (positional or `flags=`); `kb build` lists those of the reading code, `Engine.warm` compiles them into
    `re`'s own cache (the same key a later `re.search(pattern, …)` looks up)."""
    import types

    from bot import lazyre

    mod = types.ModuleType("m")
    source = ('import re\n'
              'def f(t, p):\n'
              '    re.search(r"a+", t); re.search("b", t, re.I); re.sub(r"c", "", t, flags=re.I | re.M)\n'
              '    re.split(r"[,，]", t); re.sub("d", "", t, 0, re.S); re.search(p, t); re.search("e", t, p)\n'
              '    t.search("not re")\n')
    path = Path(sys.modules[__name__].__file__).with_name("_inline_sample.py")
    try:
        path.write_text(source, encoding="utf-8")
        mod.__file__ = str(path)
        exec(compile(source, str(path), "exec"), mod.__dict__)
        got = lazyre.inline_patterns(mod)
    finally:
        path.unlink(missing_ok=True)
    assert sorted(got) == sorted([("a+", 0), ("b", int(re.I)), ("c", int(re.I | re.M)), ("[,，]", 0), ("d", int(re.S))])
    listed = lazyre.every_inline()
    assert any(p == "遇到|问题|(?<!基本)情况(?!表)|咨询|请教|problem|question" for p, _ in listed) and len(listed) > 40
    lazyre.register_inline(listed)
    assert lazyre.warm_inline() == len(listed)
    cache = getattr(re, "_cache", None)  # (CPython's: what `re.search(p, …)` will find)
    assert cache is None or all((str, p, f) in cache for p, f in listed)
