"""Zalo Bot messages with the formatting the Bot API takes since 2026 (`parse_mode` "html"), each
with its plain twin for when Zalo refuses the formatted one, cut under 2,000 characters together.

Zalo documents `parse_mode` ("html" or "markdown") and `text_styles` but not which tags the html
mode takes nor how it writes "<", ">" or "&": only the tags matching its documented styles (bold,
italic, underline, strike) are sent, and a message whose own text holds one of those three
characters goes plain rather than risk showing an entity."""

from __future__ import annotations

import html
import re
from typing import Any

from bot.engine.events import Reply
from bot.engine.profile import OPTION_DATA_LIMIT, ChannelProfile
from bot.engine.render import html_to_plain, numbered_options, plain_text
from bot.engine.split import split_html

TEXT_LIMIT = 2000
ZALO_TAGS = ("b", "i", "u", "s")
_TAG = re.compile(r"<(/?)([a-zA-Z]+)[^>]*>")
_UNSAFE = ("<", ">", "&")

# (plain text, the same as Zalo html or None when it has nothing to format)
Message = tuple[str, str | None]


def zalo_profile(name: str, label: str, join_phrase: str, **more: Any) -> ChannelProfile:
    """How the core sees a Zalo channel (the Bot, the OA): 2,000 characters, no edits, options
    numbered so that "2" picks the second, an invitation sent as a phrase and its code."""
    return ChannelProfile(
        name,
        text_limit=TEXT_LIMIT,
        input_limit=TEXT_LIMIT,
        buttons=False,
        edits=False,
        option_data_limit=OPTION_DATA_LIMIT,
        join_hint=lambda code: f"{label}: {join_phrase} {code}",
        join_kinds=frozenset({"code"}),
        **more,
    )


def zalo_html(text: str) -> str | None:
    """Our HTML with only Zalo's tags and no entities; None when it cannot be said that way."""
    if any(ch in html_to_plain(text) for ch in _UNSAFE):
        return None

    def keep(match: re.Match[str]) -> str:
        closing, name = match.group(1), match.group(2).lower()
        return f"<{closing}{name}>" if name in ZALO_TAGS else ""

    return html.unescape(_TAG.sub(keep, text))


def split_plain(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Messages of at most `limit` characters, cut at line ends where possible."""
    chunks: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:  # one line longer than a message: cut at a space
            cut = line.rfind(" ", 0, limit)
            cut = cut if cut > limit // 2 else limit
            if current:
                chunks.append(current)
                current = ""
            chunks.append(line[:cut])
            line = line[cut:].lstrip()
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            chunks.append(current)
            current = line
        else:
            current = candidate
    if current.strip():
        chunks.append(current)
    return [c for c in chunks if c.strip()]


def messages(reply: Reply, file_lines: list[str], limit: int = TEXT_LIMIT) -> list[Message]:
    """The reply as Zalo Bot messages: bold titles where the text has them, the files' lines and
    the numbered options after, in plain words."""
    plain = plain_text(reply, file_lines)
    body = zalo_html(str(reply.text))
    tail = "".join(f"\n📎 {line}" for line in file_lines)
    listing = numbered_options(reply)
    if body is None or any(ch in tail + listing for ch in _UNSAFE):
        return [(chunk, None) for chunk in split_plain(plain, limit)]
    full = f"{body}{tail}\n{listing}" if listing else body + tail
    return [
        (html_to_plain(chunk), chunk if _TAG.search(chunk) else None)
        for chunk in split_html(full, limit)
    ]
