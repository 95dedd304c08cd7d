"""Plain-text rendering for channels without HTML or buttons (console, Zalo)."""

from __future__ import annotations

from markupsafe import Markup

from bot.engine.events import Reply
from bot.i18n import as_plain


def html_to_plain(text: str) -> str:
    """A reply's text (HTML: the catalog's Markup, or as kept in the inbox and outbox)."""
    return as_plain(Markup(text))


def numbered_options(reply: Reply) -> str:
    return "\n".join(
        f"  {number}. {option.label}" for number, option in enumerate(reply.flat_options, 1)
    )


def plain_text(reply: Reply, file_lines: list[str] | None = None) -> str:
    """The reply as plain text; files as `file_lines` (the console shows local paths)."""
    body = html_to_plain(reply.text)
    lines = file_lines if file_lines is not None else [f"{f.name}: {f.path}" for f in reply.files]
    files = "".join(f"\n📎 {line}" for line in lines)
    listing = numbered_options(reply)
    return f"{body}{files}\n{listing}" if listing else body + files
