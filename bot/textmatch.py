"""Understanding Vietnamese typed on a phone: with or without diacritics, with a typo."""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz.distance import Levenshtein

_NON_WORD = re.compile(r"[^a-z0-9/&]+")


def fold(text: str) -> str:
    """Lower case, no diacritics (đ folded by hand: it does not decompose), single spaces."""
    text = text.lower().replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", stripped).strip()


def contains_phrase(folded_text: str, folded_phrase: str) -> bool:
    """Whole-word phrase match, allowing one wrong letter in phrases of five letters or more."""
    words = folded_text.split()
    target = folded_phrase.split()
    # Phone keyboards often drop the space: "tieuchi".
    if len(target) > 1 and folded_phrase.replace(" ", "") in words:
        return True
    if not target or len(words) < len(target):
        return False
    allowed = 1 if len(folded_phrase) >= 5 else 0
    for start in range(len(words) - len(target) + 1):
        window = " ".join(words[start : start + len(target)])
        if Levenshtein.distance(window, folded_phrase, score_cutoff=allowed) <= allowed:
            return True
    return False
