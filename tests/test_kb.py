"""The knowledge base build: real SQLite files, checks on the sources, rebuild when stale."""
import os
import shutil
import sqlite3
import time

import pytest

from bot.kb import KBError, build, is_stale, load
from conftest import ROOT


def test_build_writes_every_clause_of_the_spec(kb_path):
    conn = sqlite3.connect(kb_path)
    ids = {r[0] for r in conn.execute("select id from clauses")}
    expected = {"meta", "preamble", "1.1", "1.2", "2.1", "2.2", "2.3", "3.1", "3.2", "3.3", "3.4", "3.5",
                "contacts", "att1", "att1.pledge", "att2", "att3"} | {f"att1.n{i}" for i in range(1, 5)} \
        | {f"att3.n{i}" for i in range(1, 8)}
    assert ids == expected


def test_clause_text_is_corrected_from_the_ocr(kb):
    text = " ".join(c["text"] for c in kb.clauses.values())
    for wrong in ("预各技师", "具各", "事前各案", "釆用", "bookmark"):
        assert wrong not in text
    assert "预备技师" in kb.clauses["1.1"]["text"] and "采用" in kb.clauses["att3.n3"]["text"]


def test_full_text_search_over_clauses(kb_path):
    conn = sqlite3.connect(kb_path)
    rows = conn.execute("select id from clauses where rowid in "
                        "(select rowid from clauses_fts where clauses_fts match '金蓝领')").fetchall()
    assert {r[0] for r in rows} == {"3.3", "3.5"}


def test_every_topic_has_enough_phrasings(kb):
    for name, it in kb.intents.items():
        if it.smalltalk or it.out_of_scope:
            continue
        zh = [p for p in kb.phrasings if p["intent"] == name and p["lang"] == "zh"]
        en = [p for p in kb.phrasings if p["intent"] == name and p["lang"] == "en"]
        assert len(zh) >= 8 and len(en) >= 3, name


def _copy_sources(tmp_path):
    for d in ("knowledge", "intents"):
        shutil.copytree(ROOT / d, tmp_path / d)
    return tmp_path


def test_unknown_clause_in_an_intent_is_refused_with_the_file_named(tmp_path):
    root = _copy_sources(tmp_path)
    p = root / "intents" / "contacts.toml"
    p.write_text(p.read_text(encoding="utf-8").replace('clauses = ["contacts"]', 'clauses = ["9.9"]'), encoding="utf-8")
    with pytest.raises(KBError, match=r"contacts\.toml.*9\.9"):
        build(root, tmp_path / "kb.sqlite")
    assert not (tmp_path / "kb.sqlite").exists()


def test_broken_toml_is_refused(tmp_path):
    root = _copy_sources(tmp_path)
    (root / "intents" / "thanks.toml").write_text("zh = [\"谢谢\"", encoding="utf-8")
    with pytest.raises(KBError, match="thanks.toml"):
        build(root, tmp_path / "kb.sqlite")


def test_a_new_phrasing_is_picked_up_by_the_automatic_rebuild(tmp_path):
    root = _copy_sources(tmp_path)
    db = tmp_path / "kb.sqlite"
    build(root, db)
    assert not is_stale(root, db)
    p = root / "intents" / "contacts.toml"
    text = p.read_text(encoding="utf-8").replace('zh = [\n', 'zh = [\n  "蓝莓果酱热线",\n', 1)
    time.sleep(0.01)
    p.write_text(text, encoding="utf-8")
    os.utime(p, (time.time() + 5, time.time() + 5))
    assert is_stale(root, db)
    kb = load(root, db)
    assert any(ph["text"] == "蓝莓果酱热线" for ph in kb.phrasings)


def test_a_damaged_database_is_rebuilt(tmp_path):
    root = _copy_sources(tmp_path)
    db = tmp_path / "kb.sqlite"
    db.write_bytes(b"not a database")
    os.utime(db, (time.time() + 60, time.time() + 60))
    kb = load(root, db)
    assert "2.3" in kb.clauses


@pytest.mark.parametrize("old, new, message", [
    ('type = "phone"', 'type = "fone"', "unknown type"),
    ('when = ["filing"]', 'when = ["filing ??"]', "does not parse"),
    ('key = "org.email"', 'key = "org.mail"', "not a questionnaire key"),
])
def test_a_broken_questionnaire_is_refused(tmp_path, old, new, message):
    root = _copy_sources(tmp_path)
    p = root / "knowledge" / "questionnaire.toml"
    text = p.read_text(encoding="utf-8")
    assert old in text
    p.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(KBError, match=message):
        build(root, tmp_path / "kb.sqlite")


@pytest.mark.parametrize("name, old, new, message", [
    ("statements.toml", 'clause = "att3.n5"', 'clause = "att3.n9"', r"statements\.toml.*att3\.n9"),
    ("statements.toml", 'verdict = "no"', 'verdict = "maybe"', r"statements\.toml.*verdict must be yes, no or conditional"),
    ("statements.toml", 'when = ["合并', 'when = ["(合并', r"statements\.toml.*bad pattern"),
    ("statements.toml", 'say_zh = "不需要。附件3注6', 'sayzh = "不需要。附件3注6', r"statements\.toml.*unknown field"),
    ("statements.toml", 'also = ["3.3"]', 'also = ["3.9"]', r"statements\.toml.*`also`.*3\.9"),  # fix38
    ("statements.toml", 'topic = "certify_social_persons"', 'topic = "certify_socials"', r"statements\.toml.*certify_socials"),
    ("asks.toml", 'context = "1.1"', 'context = "4.4"', r"asks\.toml.*4\.4"),
    ("asks.toml", 'clause = "meta" }', 'clause = "9.1" }', r"asks\.toml.*known `clause`"),
    ("asks.toml", 'kind = "province"\nwhen = ["', 'kind = "province"\nwhen = ["[', r"asks\.toml.*bad pattern"),
])
def test_statements_and_asks_are_checked_with_the_file_named(tmp_path, name, old, new, message):
    root = _copy_sources(tmp_path)
    p = root / "knowledge" / name
    text = p.read_text(encoding="utf-8")
    assert old in text
    p.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(KBError, match=message):
        build(root, tmp_path / "kb.sqlite")
    assert not (tmp_path / "kb.sqlite").exists()


def test_statements_and_asks_are_compiled_into_the_knowledge_base(kb):
    assert len(kb.statements) >= 25 and {s.verdict for s in kb.statements} == {"yes", "no", "conditional"}
    assert all(s.say_zh and s.say_en for s in kb.statements if s.verdict == "conditional")
    assert all(s.clause in kb.clauses for s in kb.statements)
    assert all(c in kb.clauses for s in kb.statements for c in s.also)  # fix38: further clauses a statement cites
    assert all(s.topic in kb.intents for s in kb.statements if s.topic)
    kinds = {a.kind for a in kb.asks}
    assert {"when", "duration", "amount", "minimum", "website", "province", "equivalence", "definition"} <= kinds


def test_topic_names_fit_a_button_whole(kb):
    """try26: English "did you mean" buttons were cut at 40 characters ("applying as a social training
    evaluation"); buttons now take 64, so every topic name must fit."""
    assert all(len(i.topic_zh) <= 64 and len(i.topic_en) <= 64 for i in kb.intents.values())
