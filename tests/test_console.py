"""The console's logic without the web: credentials, the taught-phrasing writer, charts, exports,
and the knowledge base reloaded by a running App when its file is replaced."""
import os
import shutil
import subprocess
import sys
import tomllib

from conftest import ROOT


def test_scrypt_hashes_verify_and_plain_passwords_compare():
    from bot.auth import hash_password, verify_password

    h = hash_password("s3cret pass")
    assert h.startswith("scrypt$16384$8$1$") and h != hash_password("s3cret pass")  # salted
    assert verify_password("s3cret pass", h) and not verify_password("s3cret pasS", h)
    assert verify_password("plain one", "plain one") and not verify_password("plain", "plain one")
    assert not verify_password("", "") and not verify_password("x", "scrypt$99999999$8$1$00$00")


def test_accounts_and_tokens_come_from_the_environment_only():
    from bot.auth import accounts, check_login, check_token, hash_password

    env = {"SKILLCERT_ADMIN_PASSWORD_HASH": hash_password("admin pass"), "SKILLCERT_ADMIN_ROLES": "pii, x",
           "SKILLCERT_ADMIN_ACCOUNTS": f"ann::{hash_password('ann pass')} bad-entry ev!l:pii:{hash_password('x')}",
           "SKILLCERT_ADMIN_TOKEN": "a" * 32}
    accs = accounts(env)
    assert set(accs) == {"admin", "ann"} and accs["admin"].roles == {"pii", "x"} and accs["ann"].roles == set()
    assert check_login("", "admin pass", env).name == "admin"
    assert check_login("ann", "ann pass", env).name == "ann" and check_login("ann", "admin pass", env) is None
    assert check_login("nobody", "admin pass", env) is None
    assert check_token("a" * 32, env).name == "token" and check_token("a" * 31, env) is None
    assert check_token("short", {"SKILLCERT_ADMIN_TOKEN": "short"}) is None  # too short to be trusted
    assert accounts({}) == {} and check_login("admin", "", {}) is None


def test_python_m_bot_auth_prints_a_hash():
    from bot.auth import verify_password

    p = subprocess.run([sys.executable, "-m", "bot.auth"], input="long enough pw\n", capture_output=True, text=True,
                       cwd=ROOT, timeout=60)
    assert p.returncode == 0 and verify_password("long enough pw", p.stdout.strip())
    p = subprocess.run([sys.executable, "-m", "bot.auth"], input="short\n", capture_output=True, text=True,
                       cwd=ROOT, timeout=60)
    assert p.returncode == 2 and "8 characters" in p.stderr and p.stdout == ""


def test_a_taught_phrasing_keeps_the_file_comments_and_order():
    from bot.teach import _with_phrasing

    src = (ROOT / "intents" / "_out_of_scope.toml").read_text(encoding="utf-8")
    out = _with_phrasing(src, "zh", "证书遗失如何补发", "taught 2026-01-01 by ann")
    assert out.startswith(src.split("\nzh = [")[0])  # the comments and keys before the list, as they were
    data, before = tomllib.loads(out), tomllib.loads(src)
    assert data["zh"] == before["zh"] + ["证书遗失如何补发"] and data["en"] == before["en"]
    assert '  "证书遗失如何补发", # taught 2026-01-01 by ann' in out
    assert list(data) == list(before)
    out = _with_phrasing('clauses = []\nzh = ["a"]\n', "en", 'say "hi"', "c")
    assert tomllib.loads(out)["en"] == ['say "hi"']


def test_teach_checks_its_input(app):
    import pytest

    from bot.teach import TeachError, check_question, target_of

    assert check_question("  有问题找谁 ") == "有问题找谁"
    for bad in ("", "   ", "🙂", "x" * 201, None, 3):
        with pytest.raises(TeachError):
            check_question(bad)
    assert target_of(app.kb, "out_of_scope") == "_out_of_scope" and target_of(app.kb, "contacts") == "contacts"
    for bad in ("_out_of_scope", "nope", "../config", None):
        with pytest.raises(TeachError):
            target_of(app.kb, bad)


def test_charts_are_escaped_svg_and_exports_never_formulas():
    import io

    from openpyxl import load_workbook

    from bot.console import channel_of, svg_bars, to_csv, to_xlsx

    svg = svg_bars([("2026-11-01", [3, 1]), ("<x>", [0, 2])], ["a", "b"], ["#000", "#111"], title="t")
    assert svg.startswith("<svg") and "<x>" not in svg and "&lt;x&gt;" in svg and svg.count("<rect") == 3
    assert "no data" in svg_bars([], ["a"], ["#000"])
    text = to_csv(["q"], [["=1+2"], ["-x"], ["普通"]]).decode("utf-8-sig")
    assert "'=1+2" in text and "'-x" in text and "普通" in text
    ws = load_workbook(io.BytesIO(to_xlsx(["q", "n"], [["=SUM(1)", 3]], "misses"))).active
    assert ws["A2"].value == "=SUM(1)" and ws["A2"].data_type == "s" and ws["B2"].value == 3
    assert [channel_of(u) for u in ("tg:1", "web:abc", "terminal", "cli", "", "x1")] == \
        ["telegram", "web", "terminal", "cli", "other", "x"]


def test_a_running_app_reads_the_knowledge_base_again_when_its_file_is_replaced(env, kb_path, tmp_path):
    from bot.app import App

    kb_file = tmp_path / "kb.sqlite"
    shutil.copy(kb_path, kb_file)
    os.environ["SKILLCERT_KB"] = str(kb_file)
    a = App.from_config()
    first_kb, first_engine = a.kb, a.engine
    assert a.kb is first_kb and a.engine is first_engine  # nothing changed: nothing read again
    tmp = tmp_path / "new.sqlite"
    shutil.copy(kb_path, tmp)
    os.replace(tmp, kb_file)
    assert a.kb is not first_kb and a.engine is not first_engine and a.engine.kb is a.kb
    assert a.ask("u", "有问题找谁").clauses == ["contacts"]
