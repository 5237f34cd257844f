"""Normalisation, language, slots and question forms."""
import pytest

from bot.text import (clean, detect_lang, facts_in, groups_in, is_followup_form, is_yes_no, levels_in,
                      normalize_en, normalize_zh)


def test_clean_folds_width_and_drops_control_characters_and_markup():
    assert clean("ＡＢＣ１２３　技校\x00\x07<b>呀</b>") == "ABC123 技校 呀"


@pytest.mark.parametrize("raw, expected", [
    ("预各技师班", "预备技师班"),            # OCR forms listed in SPEC
    ("具各社评资质", "具备社会培训评价组织资质"),
    ("事前各案", "事前备案"),
    ("職業技能等級認定", "职业技能等级认定"),  # traditional characters
    ("老师", "教师"),
    ("技校", "技工院校"),
    ("技能鉴定", "职业技能等级认定"),
    ("2级", "二级"),
    ("二三级", "二级三级"),
])
def test_normalize_zh(kb, raw, expected):
    assert expected in normalize_zh(raw, kb.lexicon)


def test_normalize_keeps_class_names_whole(kb):
    norm = normalize_zh("高级工班和预备技师班", kb.lexicon)
    assert "高级技工班" in norm and "预备技师班" in norm


@pytest.mark.parametrize("text, levels", [
    ("能给老师认定二级吗", [2]),
    ("认定技师可以吗", [2]),
    ("高级技师行不行", [1]),
    ("五级和四级", [5, 4]),
    ("开办预备技师班的学校", []),          # a class, not a level asked about
    ("预备技师层次的学生", [2]),
])
def test_levels_in_chinese(kb, text, levels):
    assert levels_in(normalize_zh(text, kb.lexicon), "zh") == levels


def test_levels_in_english(kb):
    assert levels_in(normalize_en("what about Level two? or lvl 3", kb.lexicon), "en") == [2, 3]


@pytest.mark.parametrize("text, lang, expected", [
    ("我们能给老师认定二级吗？", "zh", True),
    ("能不能委托别的学校", "zh", True),
    ("可以给本校专业教师认定几级", "zh", False),
    ("同一职业的几个工种要合并单元格吗", "zh", True),
    ("有什么要求吗", "zh", False),
    ("是交省厅还是交市里", "zh", False),
    ("Can teachers be certified at level 3?", "en", True),
    ("Which agency receives it?", "en", False),
    ("We are not qualified, can someone else certify our students?", "en", True),
    ("Teachers at level 4, is that possible?", "en", True),
    ("学生能认定吗亲", "zh", True),
    ("咱学校能评技师不", "zh", True),
])
def test_yes_no_questions(text, lang, expected):
    assert is_yes_no(text, lang) is expected


def test_language_detection():
    assert detect_lang("can we certify teachers at level 2?") == "en"
    assert detect_lang("我们能给老师认定二级吗") == "zh"
    assert detect_lang("附件3的level怎么写") == "zh"


def test_followup_forms():
    assert is_followup_form("那一级呢？", "zh")
    assert is_followup_form("what about level 1?", "en")
    assert not is_followup_form("学生能认定几级", "zh")


def test_facts_stated_in_the_question(kb):
    assert facts_in("我们还没有认定资格", kb.lexicon) == {"student_cert_qualified": False}
    assert facts_in("我们已经有社评资质了", kb.lexicon)["social_org_qualified"] is True
    assert facts_in("我们没有社评资质", kb.lexicon)["social_org_qualified"] is False
    assert facts_in("学校没开预备技师班", kb.lexicon)["runs_prep_technician_class"] is False
    assert facts_in("we are not qualified yet", kb.lexicon)["student_cert_qualified"] is False


def test_groups(kb):
    assert groups_in(normalize_zh("老师和学生", kb.lexicon), "zh") == ["teacher", "student"]
    assert "att3" in groups_in(normalize_zh("附件三怎么填", kb.lexicon), "zh")


def test_terse_questions_with_a_level_are_yes_no():
    from bot.text import is_terse_yes_no

    assert is_terse_yes_no("teachers lvl 2?", "en", [2])
    assert is_terse_yes_no("老师 一级？", "zh", [1])
    assert not is_terse_yes_no("什么是二级？", "zh", [2])
    assert not is_terse_yes_no("老师 一级", "zh", [1])


@pytest.mark.parametrize("text, ids", [
    ("附件1注4是什么意思", ["att1.n4"]), ("附件3第4条注释", ["att3.n4"]), ("note 7 of attachment3", ["att3.n7"]),
    ("第二条第3项怎么理解", ["2.3"]), ("2.3条说的啥", ["2.3"]), ("第三条第（一）项", ["3.1"]), ("学生能认定几级", []),
])
def test_clause_references(text, ids):
    from bot.text import clause_refs

    assert clause_refs(text) == ids


def test_traditional_characters_through_opencc():
    from bot.text import to_simplified

    assert to_simplified("場地那欄不附權屬證明行不行") == "场地那栏不附权属证明行不行"
    assert to_simplified("level 2?") == "level 2?"


def test_level_words_are_plain_words():
    """`levels_in` skips a level word that does not occur in the text before searching for it: right only
    while each is a plain word (no expression syntax)."""
    import re

    from bot.text import LEVEL_ZH, levels_in

    assert all(re.escape(w) == w for w in LEVEL_ZH)
    assert levels_in("高级技师和预备技师班，还有三级", "zh") == [1, 3]


def test_segmenting_again_gives_the_same_words(kb):
    """`Tokens.zh` keeps each chunk's words: a chunk met again (in another question, or the same claim weighed
    against another clause) gives the same words as a fresh segmenter, and a caller changing its list changes
    nothing kept."""
    from bot.text import Tokens, normalize_zh

    fresh = Tokens(kb.dictionary, kb.lexicon)
    texts = [normalize_zh(q, kb.lexicon) for q in ("我们能给老师认定二级吗？可以吗", "可以吗", "附件3的级别，可以吗")]
    first = [kb.tokens.zh(t) for t in texts]
    expected = [list(x) for x in first]
    first[0].append("改动")
    assert [kb.tokens.zh(t) for t in texts] == [fresh.zh(t) for t in texts] == expected
    assert "二级" in expected[0]
