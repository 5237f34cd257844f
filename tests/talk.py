"""Helpers the trial tests share: the facts a question states, and a chat through the real Dialogue."""
from __future__ import annotations

from bot.dialogue import Dialogue
from bot.text import facts_in, normalize_en, normalize_zh


def facts(kb, text):
    """The school facts `text` states, read as the engine reads them (normalised in its language)."""
    norm = normalize_en(text, kb.lexicon) if text[:1].isascii() else normalize_zh(text, kb.lexicon)
    return facts_in(text, kb.lexicon, norm)


def chat(app, user, *lines):
    """Each line's replies, joined, from one user's conversation through bot/dialogue.py."""
    d = Dialogue(app)
    return [" ".join(r.text for r in d.handle_text(user, line)) for line in lines]
