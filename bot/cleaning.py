"""Text from people and files, cleaned once where it enters the bot.

What is stored is NFC Unicode with no control or format characters (a `\\x01` pasted from Word
would otherwise break every workbook made later: XML cannot carry it), no surrogates or
non-characters, and single spaces. Escaping is not cleaning: that happens only where a renderer
needs it (Telegram's HTML)."""

from __future__ import annotations

import re
import unicodedata

# Joiners are format characters too, but emoji sequences and some scripts need them.
_KEEP_FORMAT = {"\u200c", "\u200d"}
_LINE_BREAKS = re.compile(r"\r\n|[\r\n\u2028\u2029\x0b\x0c\x85]")
_SPACES = re.compile(r"\s+")


def _kept(ch: str) -> str:
    if ch in _KEEP_FORMAT:
        return ch
    category = unicodedata.category(ch)
    if category == "Cc":  # a control character stood between words: "Nguyễn\x01Văn" is two
        return " "
    if category in ("Cf", "Cs", "Co", "Cn"):  # invisible format, surrogate, private, unassigned
        return ""
    return ch


def clean_line(text: str) -> str:
    """One line: no line breaks, no control characters, single spaces, no ends."""
    text = unicodedata.normalize("NFC", text)
    kept = "".join(_kept(ch) for ch in text)
    return _SPACES.sub(" ", kept).strip()


def clean_block(text: str) -> str:
    """Several lines (a description, a plan's text): each line cleaned, at most one empty line
    between paragraphs, none at the ends."""
    lines = [clean_line(line) for line in _LINE_BREAKS.split(text)]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip("\n")


def is_clean(text: str, *, lines: bool = False) -> bool:
    """Whether `text` is already as cleaning would leave it (for data read back from storage)."""
    return text == (clean_block(text) if lines else clean_line(text))
