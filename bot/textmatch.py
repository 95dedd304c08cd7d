"""Vietnamese typed on a phone, compared without its diacritics."""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^a-z0-9/&]+")


def fold(text: str) -> str:
    """Lower case, no diacritics (đ folded by hand: it does not decompose), single spaces."""
    text = text.lower().replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", stripped).strip()
