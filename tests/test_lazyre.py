"""bot/lazyre.py: module expressions compiled on first use, and all at once by `warm_all`."""
import re
import subprocess
import sys
from pathlib import Path

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
