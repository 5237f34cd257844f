"""The terminal chat (`skillcert chat`): the same dialogue as the messenger, in a console.

Buttons are shown as numbered choices ([1] 是 [2] 否); typing the number presses the button.
Generated files are written into this chat's folder of bot/userfiles.py (outside the checkout:
$SKILLCERT_FILES, else $XDG_DATA_HOME/skillcert/files) and their paths shown; they are also recorded
in the state DB, so /forget and retention ([privacy] keep_days) delete them.
`/upload PATH` sends a file (a filled 附件3 .xlsx) to the dialogue.
Each chat is its own conversation (two windows never share a questionnaire); `--resume` continues
the last one.
"""
from __future__ import annotations

import os
import re
import shutil
import sys
import time
import uuid
from pathlib import Path

from .. import userfiles
from ..wrap import wrap, width
from ..dialogue import Dialogue, Reply, count_files

USER = "terminal"  # the prefix of every chat's user key
LAST_CHAT = "terminal.last_chat"
QUIT = {"/quit", "/exit", "quit", "exit", "退出", "logout", ":q"}
# try30: shell words typed in the chat are terminal commands, not questions (`clear` was answered "not covered"
# and logged as an unanswered question)
CLEAR = {"clear", "cls", "/clear", "/cls", "清屏"}
CLEAR_SCREEN = "\033[H\033[2J\033[3J"  # home, erase the screen, erase the scroll-back (xterm, tmux, Windows Terminal)


def files_dir(user: str = USER) -> Path:
    return userfiles.user_dir(user)


def upload(dialogue: Dialogue, arg: str, user: str = USER) -> list[Reply]:
    """`/upload PATH`: read the file and hand its bytes to the dialogue, like a file sent in a messenger."""
    path = Path(os.path.expanduser(arg.strip().strip('"').strip("'")))
    if not arg.strip():
        return dialogue.handle_text(user, "/upload")
    try:
        if path.stat().st_size > 20_000_000:
            return [Reply(f"文件太大：{path} (file too large)")]
        data = path.read_bytes()
    except OSError as e:
        return [Reply(f"读不了文件 {path}：{e.strerror or e} (cannot read the file)")]
    return dialogue.handle_file(user, path.name, data)


def term_cols(out) -> int:
    """The terminal's width when printing to one (0: not a terminal, no wrapping)."""
    try:
        if out.isatty():
            return shutil.get_terminal_size((80, 24)).columns
    except (AttributeError, ValueError, OSError):
        pass
    return 0


def button_lines(labels: list[str], cols: int) -> list[str]:
    """"  [1] 是  [2] 否", wrapped between buttons, never inside one (try28: "[3] 尚未取得资格：完善条件或|委托认定")."""
    lines, cur = [], "  "
    for label in labels:
        if cur.strip() and cols and width(cur + "  " + label) > cols:
            lines.append(cur)
            cur = "  "
        cur += ("  " if cur.strip() else "") + label
    lines.append(cur)
    return [wrap(line, cols) if cols else line for line in lines]


TABLE_SEPARATOR = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def plain_markdown(text: str) -> str:
    """checklist.md for a terminal (try29: its tables were printed raw, "| 事项 | 结论 | 依据 |" wrapped
    across lines): a table becomes one item per row, "第一列 — 列名：值；列名：值"; "## 标题" a
    【标题】 line; **bold** and `code` marks go. The file itself keeps its Markdown."""
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.lstrip().startswith("|") and i + 1 < len(lines) and TABLE_SEPARATOR.match(lines[i + 1].strip()):
            head = _cells(line)
            zh = bool(re.search(r"[\u4e00-\u9fff]", line))
            colon, sep = ("：", "；") if zh else (": ", "; ")
            i += 2
            while i < len(lines) and lines[i].lstrip().startswith("|"):
                row = _cells(lines[i])
                rest = [f"{h}{colon}{c}" for h, c in zip(head[1:], row[1:]) if c]
                out.append(f"• {row[0]}" + (" — " + sep.join(rest) if rest else ""))
                i += 1
            continue
        m = re.match(r"^(#{1,6})\s+(.*)$", line)
        if m:
            line = f"【{m.group(2).strip()}】" if len(m.group(1)) > 1 else m.group(2).strip()
        out.append(line)
        i += 1
    text = "\n".join(out)
    text = re.sub(r"\*\*(.+?)\*\*", r"\1", text)
    return re.sub(r"`([^`\n]+)`", r"\1", text)


def show(replies: list[Reply], out, store=None, user: str | None = None, cols: int | None = None) -> list[str]:
    """Print replies, wrapped to the terminal's width; return the button data in the order of their numbers."""
    cols = term_cols(out) if cols is None else cols
    buttons: list[str] = []
    for r in replies:
        text = r.text.rstrip()
        if "\n|" in text or text.startswith("|") or text.startswith("# "):
            text = plain_markdown(text)
        out.write((wrap(text, cols) if cols else text) + "\n")
        labels = []
        for row in r.buttons:
            for b in row:
                buttons.append(b.data)
                labels.append(f"[{len(buttons)}] {b.label}")
        if labels:
            out.write("\n".join(button_lines(labels, cols)) + "\n")
        if r.files:
            folder = files_dir(user or USER) / time.strftime("%Y%m%d-%H%M%S")
            folder.mkdir(parents=True, exist_ok=True)
            paths = []
            for name, data in r.files:
                (folder / name).write_bytes(data)
                if store is not None and user:
                    store.add_file(user, folder / name)
                paths.append(f"  → {folder / name}")
            if cols and any(width(p) > cols for p in paths):
                # try29: a folder and a long name went over 80 columns and the terminal broke the path:
                # the folder on a line of its own, then each name (a path is never wrapped by us)
                home = str(Path.home())
                shown = "~" + str(folder)[len(home):] if home != os.sep and str(folder).startswith(home + os.sep) else str(folder)
                out.write(f"  {shown}{os.sep}\n" + "".join(f"    {name}\n" for name, _ in r.files))
            else:
                out.write("\n".join(paths) + "\n")
        out.write("\n")
    out.flush()
    return buttons


def chat_key(app, resume: bool) -> str:
    """A new user key per chat, or the last chat's with `resume`."""
    store = app.store
    key = store.get_meta(LAST_CHAT) if resume else None
    if not key:
        key = f"{USER}:{uuid.uuid4().hex[:12]}"
        store.set_meta(LAST_CHAT, key)
    return key


def forget_all(app, dialogue: Dialogue, user: str) -> list[Reply]:
    """`/forget` in the terminal: the person at this machine owns every terminal chat, so every
    chat's rows and files go (each chat is its own conversation, not its own person)."""
    store = app.store
    lang = store.get_state(user).get("lang") or "zh"
    keys = set(store.users_like(USER)) | {USER, user}
    root = userfiles.files_root()
    folders = [p for p in root.glob(USER + "_*") if p.is_dir()] if root.is_dir() else []
    # counted before anything goes: the store's rows delete their files (try28: "0 个生成的文件")
    f = count_files(store, keys) + sum(1 for folder in folders if folder not in {userfiles.user_dir(k) for k in keys}
                                       for p in folder.rglob("*") if p.is_file())
    with store.transaction():
        n = sum(store.forget(k) for k in keys)
    for k in keys:
        userfiles.forget(k)
    for folder in folders:  # chats whose rows are already gone
        shutil.rmtree(folder, ignore_errors=True)
    return [Reply(dialogue.t(lang, "forgot", n=n, f=f))]


def run_chat(app, stdin=None, stdout=None, resume: bool = False) -> int:
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    interactive = stdin.isatty() and stdout.isatty()
    if interactive:
        try:
            import readline  # noqa: F401  (line editing and history for input())
        except ImportError:
            pass
    dialogue = Dialogue(app)
    user = chat_key(app, resume)
    buttons = show(dialogue.handle_text(user, "/help" if resume else "/start"), stdout, app.store, user)
    while True:
        try:
            if interactive:
                line = input("> ")
            else:
                line = stdin.readline()
                if not line:
                    break
        except EOFError:
            break
        except UnicodeDecodeError:
            stdout.write("（无法读取这行输入，请用 UTF-8 输入。）\n")
            continue
        line = line.rstrip("\n")
        if line.strip().lower() in QUIT:
            break
        if line.strip().lower() in CLEAR:
            if stdout.isatty():
                stdout.write(CLEAR_SCREEN)
            stdout.write("（已清屏。输入 /quit 退出，/help 查看用法。Screen cleared; /quit leaves.）\n")
            stdout.flush()
            continue
        choice = line.strip()
        if choice.lower().startswith("/upload"):
            buttons = show(upload(dialogue, choice[len("/upload"):], user), stdout, app.store, user)
            continue
        if choice.lower() == "/forget":
            replies = forget_all(app, dialogue, user)
        elif buttons and choice.isdigit() and 1 <= int(choice) <= len(buttons):
            replies = dialogue.handle_button(user, buttons[int(choice) - 1])
        else:
            replies = dialogue.handle_text(user, line)
        buttons = show(replies, stdout, app.store, user)
    stdout.write("再见！Bye!\n")
    return 0
