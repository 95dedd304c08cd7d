"""Checking what people type into a form field, with a clear message when it does not fit."""

from __future__ import annotations

from bot.cleaning import clean_block, clean_line
from bot.engine.context import Context


def clean_text(
    ctx: Context, text: str, minimum: int, maximum: int, *, one_line: bool = False
) -> str | None:
    """The text cleaned (no control characters, spaces tidied; `one_line`: a title, no line
    breaks either), or None after telling the person the limits. Text over the limit is shown
    back so nothing typed is lost."""
    cleaned = clean_line(text) if one_line else clean_block(text)
    if len(cleaned) < minimum or not any(ch.isalnum() for ch in cleaned):
        ctx.reply(ctx.t("errors.too_short", minimum=minimum))
        return None
    if len(cleaned) > maximum:
        ctx.reply(ctx.t("errors.field_too_long", length=len(cleaned), limit=maximum, text=cleaned))
        return None
    return cleaned
