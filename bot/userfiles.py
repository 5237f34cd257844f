"""Where channels keep a user's generated files (the terminal chat writes its documents here), and
how /forget removes them. One folder per user key, outside the checkout:

    $SKILLCERT_FILES, else $XDG_DATA_HOME/skillcert/files, else ~/.local/share/skillcert/files
        <user key as a safe folder name>/<time stamp>/checklist.md …
"""
from __future__ import annotations

import hashlib
import os
import re
import shutil
from pathlib import Path


def files_root() -> Path:
    if os.environ.get("SKILLCERT_FILES"):
        return Path(os.environ["SKILLCERT_FILES"])
    data = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data) / "skillcert" / "files"


def user_dir(user: str) -> Path:
    """A folder name from the user key: readable when the key is plain, hashed otherwise."""
    if re.fullmatch(r"[A-Za-z0-9_.:-]{1,64}", user) and user not in (".", ".."):
        name = user.replace(":", "_")
    else:
        name = "u_" + hashlib.sha256(user.encode("utf-8", "surrogatepass")).hexdigest()[:24]
    return files_root() / name


def forget(user: str) -> int:
    """Delete every file kept for this user; returns how many files went."""
    folder = user_dir(user)
    if not folder.is_dir():
        return 0
    n = sum(1 for p in folder.rglob("*") if p.is_file())
    shutil.rmtree(folder, ignore_errors=True)
    return n
