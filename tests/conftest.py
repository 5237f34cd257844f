"""Shared fixtures: a real knowledge base built once into a temporary folder, and real SQLite
state files per test. Subprocess tests get the same paths through SKILLCERT_KB / SKILLCERT_DB."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def kb_path(tmp_path_factory) -> Path:
    from bot.kb import build

    path = tmp_path_factory.mktemp("kb") / "kb.sqlite"
    build(ROOT, path)
    return path


@pytest.fixture(scope="session")
def kb(kb_path):
    from bot.kb import load

    return load(ROOT, kb_path, rebuild=False)


@pytest.fixture(scope="session")
def engine(kb):
    from bot.config import load_config
    from bot.engine import Engine

    return Engine(kb, load_config(ROOT / "config.toml").matching)


@pytest.fixture
def env(kb_path, tmp_path, monkeypatch) -> dict:
    """Environment for the real `skillcert` process: the session's knowledge base, a fresh state db."""
    e = dict(os.environ)
    e["SKILLCERT_KB"] = str(kb_path)
    e["SKILLCERT_DB"] = str(tmp_path / "state.sqlite")
    e["SKILLCERT_HOME"] = str(ROOT)
    e["PYTHONIOENCODING"] = "utf-8"
    e["SKILLCERT_FILES"] = str(tmp_path / "user-files")  # never the real per-user data folder
    monkeypatch.setenv("SKILLCERT_FILES", e["SKILLCERT_FILES"])
    monkeypatch.setenv("SKILLCERT_KB", str(kb_path))
    monkeypatch.setenv("SKILLCERT_DB", str(tmp_path / "state.sqlite"))
    monkeypatch.setenv("SKILLCERT_HOME", str(ROOT))
    return e


@pytest.fixture
def app(env):
    from bot.app import App

    a = App.from_config()
    yield a
    if a._store is not None:
        a._store.close()


def skillcert_cmd() -> list[str]:
    exe = shutil.which("skillcert", path=str(Path(sys.executable).parent))
    return [exe] if exe else [sys.executable, "-m", "bot.cli"]


def run_cli(args: list[str], env: dict, stdin: str | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(skillcert_cmd() + args, input=stdin, capture_output=True, text=True, env=env,
                          timeout=timeout, cwd=ROOT)


def load_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
