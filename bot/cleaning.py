"""Text from people and files, cleaned once where it enters the bot.

What is stored is NFC Unicode with no control or format characters (a `\\x01` pasted from Word
would otherwise break every workbook made later: XML cannot carry it), no surrogates or
non-characters, and single spaces. Escaping is not cleaning: that happens only where a renderer
needs it (Telegram's HTML).

Every entry uses these: the engine cleans what people type (`clean_block`) before any handler
sees it; single-line fields (names, positions, titles) take `clean_line`; files (staff lists,
campaign and organisation files, plan texts, file names) are cleaned where they are read
(`clean_tree` for a parsed YAML document). Writers of files clean again what they are given
(`clean_stored`), so a row stored before this cleaning existed is written cleaned, not lost."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

# Joiners are format characters too, but emoji sequences and some scripts need them.
_KEEP_FORMAT = {"\u200c", "\u200d"}
_LINE_BREAKS = re.compile(r"\r\n|[\r\n\u2028\u2029\x0b\x0c\x1c\x1d\x1e\x85]")
_SPACES = re.compile(r"\s+")
_RUNS = re.compile(r"(?<=\S) {2,}(?=\S)")  # spaces left where control characters were


def _kept(ch: str) -> str:
    if ch in _KEEP_FORMAT:
        return ch
    category = unicodedata.category(ch)
    if category == "Cc":  # a control character stood between words: "Nguyễn\x01Văn" is two
        return " "
    if category in ("Cf", "Cs", "Co", "Cn"):  # invisible format, surrogate, private, unassigned
        return ""
    return ch


def _needs_work(text: str) -> bool:
    """Whether any character of `text` is one cleaning removes or composes (the common case is
    none, and both checks run at C speed: a workbook of 100,000 rows goes through here).
    `isprintable` is false for every control, format, surrogate, private and unassigned
    character (and for unusual spaces, which the slow path keeps)."""
    return not (text.isprintable() and unicodedata.is_normalized("NFC", text))


def clean_line(text: str) -> str:
    """One line: no line breaks, no control characters, single spaces, no ends."""
    if _needs_work(text):
        # Removed first, composed after: a format character between a letter and its accent
        # must not leave the pair uncomposed.
        text = unicodedata.normalize("NFC", "".join(_kept(ch) for ch in text))
    return _SPACES.sub(" ", text).strip()


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


def clean_tree(value: Any) -> Any:
    """A parsed document (YAML: mappings, lists, scalars) with every string in it cleaned;
    several lines kept where the string has them (a plan's text, a block of purpose)."""
    if isinstance(value, str):
        return clean_block(value) if "\n" in value or "\r" in value else clean_line(value)
    if isinstance(value, dict):
        return {clean_tree(k): clean_tree(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clean_tree(item) for item in value]
    return value


def clean_stored(text: str) -> str:
    """What a file writer is handed, as it may carry it: line breaks kept where they are, no
    control, format or unassigned characters (XML refuses them), whatever was stored earlier.
    A value already clean comes out exactly as it went in."""
    if not _needs_work(text.replace("\n", " ") if "\n" in text else text):
        return text
    kept = ("\n" if ch == "\n" else _kept(ch) for ch in text.replace("\r\n", "\n"))
    return _RUNS.sub(" ", unicodedata.normalize("NFC", "".join(kept)))
