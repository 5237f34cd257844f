"""Regular expressions compiled when first used.

The reading code holds ~140 module-level expressions, many of them long alternations of Chinese words;
compiling them all at import took ~80 ms, a sixth of a one-shot `skillcert ask`, though one question
meets only some of them. `lazy(pattern, flags)` stands for `re.compile(pattern, flags)` and compiles on
first use; after that its methods are the compiled pattern's own (no extra call per use). Long-running
channels compile everything at start anyway (`Engine.warm` → `warm_all`).
"""
from __future__ import annotations

import re

_ALL: list["LazyPattern"] = []
_METHODS = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split")


class LazyPattern:
    def __init__(self, pattern: str, flags: int = 0):
        self.pattern = pattern
        self.flags = flags
        _ALL.append(self)

    def compiled(self) -> re.Pattern:
        rx = self.__dict__.get("_rx")
        if rx is None:
            rx = self._rx = re.compile(self.pattern, self.flags)
            for name in _METHODS:  # bound once: later calls go straight to the compiled pattern
                setattr(self, name, getattr(rx, name))
        return rx

    def __getattr__(self, name):  # only for attributes not set yet: the methods before the first use
        if name.startswith("__") or name == "_rx":
            raise AttributeError(name)
        return getattr(self.compiled(), name)

    def __repr__(self) -> str:
        return f"lazy({self.pattern[:40]!r}…)"


def lazy(pattern: str, flags: int = 0) -> LazyPattern:
    return LazyPattern(pattern, flags)


def warm_all() -> int:
    """Compile every lazy expression now (for long-running channels); returns how many there are."""
    for p in _ALL:
        p.compiled()
    return len(_ALL)
