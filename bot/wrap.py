"""Wrapping text for a terminal of a given width (try28: at 80 columns the terminal cut commands,
English words and file paths in two, and 57 lines began with "，" or "；").

textwrap counts characters; a Chinese character takes two columns, so widths come from wcwidth.
Never broken: a command or path (/check, /tmp/…/附件3.xlsx, a chunk starting with "/" or "~/"),
a Latin word, number or code (6-31-01-03, 0531-86914920), a level list (5、4、3). Chinese breaks
between characters, but closing punctuation (，。；：”）…) never starts a line and opening
punctuation (“（《) never ends one (kinsoku): the character before comes down with it. A list item
("1. ", "- ", "[1] ") continues under its text. A token wider than the line gets a line of its own,
unbroken. Pure: no I/O.
"""
from __future__ import annotations

import re

from wcwidth import wcswidth

CLOSING = set("，。、；：！？）》」』】〕〉”’…%％,.;:!?)]}·～")
OPENING = set("（《「『【〔〈“‘([{")
_PATHLIKE = re.compile(r"^(?:~?/|\.{1,2}/|[A-Za-z]:\\|https?://)")
_TOKEN = re.compile(r"(?<![\w.])(?:~?/|https?://)[^\s，；。、）》」”]+|\d+(?:、\d+)+|[\x21-\x7e]+|.", re.S)
_MARKER = re.compile(r"^(\s*)((?:\d{1,3}[.、)]|[-•·*]|\[\d{1,3}\]|[（(]\d{1,3}[)）])\s+)?")


def width(text: str) -> int:
    w = wcswidth(text)
    if w >= 0:
        return w
    return sum(max(wcswidth(ch), 0) for ch in text)  # control characters count as nothing


def _tokens(line: str) -> list[str]:
    """Spaces are kept as their own tokens (break opportunities); a chunk between spaces that looks
    like a path or command is one token; otherwise Latin runs, level lists and single characters."""
    out: list[str] = []
    for chunk in re.split(r"( +)", line):
        if not chunk:
            continue
        if chunk.startswith(" ") or _PATHLIKE.match(chunk):
            out.append(chunk)
        else:
            out.extend(_TOKEN.findall(chunk))
    return out


def wrap_line(line: str, cols: int) -> list[str]:
    if cols <= 0 or width(line) <= cols:
        return [line]
    m = _MARKER.match(line)
    indent = " " * width(m.group(0) if m.group(2) else m.group(1))
    if width(indent) > cols // 2:
        indent = ""
    lines: list[list[str]] = [[]]
    used = 0
    for tok in _tokens(line):
        w = width(tok)
        cur = lines[-1]
        if used + w <= cols:
            cur.append(tok)
            used += w
            continue
        if tok.isspace():  # a break: the spaces go
            lines.append([indent] if indent else [])
            used = width(indent)
            continue
        carry: list[str] = []
        if tok[0] in CLOSING:  # kinsoku: "，" does not open a line: the character before comes down too
            while cur and not cur[-1].isspace() and len(carry) < 3:
                carry.insert(0, cur.pop())
                if carry[0][0] not in CLOSING:
                    break
        while cur and not cur[-1].isspace() and cur[-1][-1] in OPENING:  # "“" does not close a line
            carry.insert(0, cur.pop())
        while cur and cur[-1].isspace():
            cur.pop()
        if not [t for t in cur if t != indent]:  # nothing would stay: keep it as it was, overlong
            cur.extend(carry)
            carry = []
        lines.append(([indent] if indent else []) + carry + [tok])
        used = sum(width(t) for t in lines[-1])
    return ["".join(parts).rstrip() for parts in lines if "".join(parts).strip()]


def wrap(text: str, cols: int) -> str:
    """Every line of `text` fitted to `cols` display columns (lines already shorter stay as they are)."""
    return "\n".join(out for line in text.split("\n") for out in (wrap_line(line, cols) or [""]))
