"""Settings: config.toml beside the project, overridable by environment variables."""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path


def project_root() -> Path:
    """The folder holding knowledge/ and intents/: $SKILLCERT_HOME, the current folder, or the source tree."""
    env = os.environ.get("SKILLCERT_HOME")
    if env:
        return Path(env).resolve()
    cwd = Path.cwd()
    if (cwd / "knowledge").is_dir() and (cwd / "intents").is_dir():
        return cwd
    return Path(__file__).resolve().parent.parent


@dataclass
class Config:
    root: Path
    knowledge_db: Path
    state_db: Path
    matching: dict = field(default_factory=dict)
    telegram: dict = field(default_factory=dict)
    privacy: dict = field(default_factory=dict)  # keep_days (retention), log_texts
    web: dict = field(default_factory=dict)
    sections: dict = field(default_factory=dict)  # the whole config.toml ([admin], [privacy] …)


def load_config(path: str | Path | None = None) -> Config:
    root = project_root()
    path = Path(path or os.environ.get("SKILLCERT_CONFIG") or root / "config.toml")
    data = {}
    if path.exists():
        with open(path, "rb") as f:
            data = tomllib.load(f)
    base = path.parent
    paths = data.get("paths", {})

    def resolve(value: str, env: str) -> Path:
        chosen = os.environ.get(env) or value
        p = Path(chosen)
        return p if p.is_absolute() else (base / p)

    return Config(
        root=root,
        knowledge_db=resolve(paths.get("knowledge_db", "var/kb.sqlite"), "SKILLCERT_KB"),
        state_db=resolve(paths.get("state_db", "var/skillcert.sqlite"), "SKILLCERT_DB"),
        matching=data.get("matching", {}),
        telegram=data.get("telegram", {}),
        privacy={"keep_days": 180, "log_texts": False, **data.get("privacy", {})},
        web=data.get("web", {}),
        sections=data,
    )
