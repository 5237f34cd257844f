"""The README's two commands stay true: CI runs the second one as it is written."""
from conftest import ROOT


def readme_commands() -> list[str]:
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines[:12] if line.startswith("    ")]


def test_readme_starts_with_install_and_test_commands():
    install, test = readme_commands()[:2]
    assert "pip install -e ." in install and install.endswith("skillcert chat")
    assert test.endswith("python -m pytest")


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert readme_commands()[1] in ci


def test_console_script_is_declared():
    assert 'skillcert = "bot.cli:main"' in (ROOT / "pyproject.toml").read_text(encoding="utf-8")
