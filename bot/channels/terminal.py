"""The terminal chat (`skillcert chat`): the same dialogue as the messenger, in a console.

Buttons are shown as numbered choices ([1] 是 [2] 否); typing the number presses the button.
Generated files are written into this user's folder of bot/userfiles.py (outside the checkout:
$SKILLCERT_FILES, else $XDG_DATA_HOME/skillcert/files) and their paths shown; /forget deletes them.
`/upload PATH` sends a file (a filled 附件3 .xlsx) to the dialogue.
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from .. import userfiles
from ..dialogue import Dialogue, Reply

USER = "terminal"
QUIT = {"/quit", "/exit", "quit", "exit", "退出"}


def files_dir() -> Path:
    return userfiles.user_dir(USER)


def upload(dialogue: Dialogue, arg: str) -> list[Reply]:
    """`/upload PATH`: read the file and hand its bytes to the dialogue, like a file sent in a messenger."""
    path = Path(os.path.expanduser(arg.strip().strip('"').strip("'")))
    if not arg.strip():
        return dialogue.handle_text(USER, "/upload")
    try:
        if path.stat().st_size > 20_000_000:
            return [Reply(f"文件太大：{path} (file too large)")]
        data = path.read_bytes()
    except OSError as e:
        return [Reply(f"读不了文件 {path}：{e.strerror or e} (cannot read the file)")]
    return dialogue.handle_file(USER, path.name, data)


def show(replies: list[Reply], out) -> list[str]:
    """Print replies; return the button data in the order of their numbers."""
    buttons: list[str] = []
    for r in replies:
        out.write(r.text.rstrip() + "\n")
        labels = []
        for row in r.buttons:
            for b in row:
                buttons.append(b.data)
                labels.append(f"[{len(buttons)}] {b.label}")
        if labels:
            out.write("  " + "  ".join(labels) + "\n")
        if r.files:
            folder = files_dir() / time.strftime("%Y%m%d-%H%M%S")
            folder.mkdir(parents=True, exist_ok=True)
            for name, data in r.files:
                (folder / name).write_bytes(data)
                out.write(f"  → {folder / name}\n")
        out.write("\n")
    out.flush()
    return buttons


def run_chat(app, stdin=None, stdout=None) -> int:
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    interactive = stdin.isatty() and stdout.isatty()
    if interactive:
        try:
            import readline  # noqa: F401  (line editing and history for input())
        except ImportError:
            pass
    dialogue = Dialogue(app)
    buttons = show(dialogue.handle_text(USER, "/start"), stdout)
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
        choice = line.strip()
        if choice.lower().startswith("/upload"):
            buttons = show(upload(dialogue, choice[len("/upload"):]), stdout)
            continue
        if buttons and choice.isdigit() and 1 <= int(choice) <= len(buttons):
            replies = dialogue.handle_button(USER, buttons[int(choice) - 1])
        else:
            replies = dialogue.handle_text(USER, line)
        buttons = show(replies, stdout)
    stdout.write("再见！Bye!\n")
    return 0
