"""The quick menu offered after a welcome or a question the bot did not understand."""

from __future__ import annotations

from bot.engine.events import Option
from bot.i18n import Messages


def main_menu(t: Messages) -> list[list[Option]]:
    return [
        [Option(t("menu.campaigns"), "go:campaigns"), Option(t("menu.deadlines"), "go:deadlines")],
        [Option(t("menu.criteria"), "go:criteria"), Option(t("menu.help"), "go:help")],
    ]
