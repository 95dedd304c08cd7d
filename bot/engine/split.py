"""Splitting long HTML answers under a channel's limit without breaking the markup."""

from __future__ import annotations

import re

_TAG = re.compile(r"<(/?)([a-z-]+)[^>]*>")


def size(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units (an emoji counts two)."""
    return len(text.encode("utf-16-le")) // 2


def _open_tags(text: str) -> list[str]:
    """Tags still open at the end of text, as their opening strings."""
    stack: list[tuple[str, str]] = []
    for match in _TAG.finditer(text):
        closing, name = match.group(1), match.group(2)
        if closing:
            if stack and stack[-1][0] == name:
                stack.pop()
        else:
            stack.append((name, match.group(0)))
    return [opening for _, opening in stack]


def _closers(opened: list[str]) -> str:
    return "".join(f"</{_TAG.match(tag).group(2)}>" for tag in reversed(opened))  # type: ignore[union-attr]


def _pieces(text: str, limit: int) -> list[str]:
    """Lines, with any line longer than the limit cut at spaces (or hard, never inside a tag
    or an entity)."""
    pieces: list[str] = []
    for line in text.split("\n"):
        while size(line) > limit:
            hard = limit
            while size(line[:hard]) > limit:
                hard -= 1
            cut = line.rfind(" ", 0, hard)
            if cut <= 0:
                cut = hard
            # Never cut inside "<b>" or "&amp;".
            for pattern in ("<", "&"):
                start = line.rfind(pattern, 0, cut)
                end_char = ">" if pattern == "<" else ";"
                if start != -1 and line.find(end_char, start) >= cut:
                    cut = start
            if cut <= 0:
                cut = hard
            pieces.append(line[:cut])
            line = line[cut:].lstrip(" ")
        pieces.append(line)
    return pieces


def split_html(text: str, limit: int) -> list[str]:
    """Chunks of at most `limit` characters, each with its tags balanced."""
    if size(text) <= limit:
        return [text]
    margin = 60  # room for re-opened and closing tags
    chunks: list[str] = []
    current = ""
    for piece in _pieces(text, limit - margin):
        candidate = f"{current}\n{piece}" if current else piece
        if size(candidate) + size(_closers(_open_tags(candidate))) <= limit:
            current = candidate
            continue
        opened = _open_tags(current)
        chunks.append(current + _closers(opened))
        current = "".join(opened) + piece
    if current.strip():
        chunks.append(current + _closers(_open_tags(current)))
    return [chunk for chunk in chunks if chunk.strip()]
