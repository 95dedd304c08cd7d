"""The commands people see in a messenger's menu, in this order; their descriptions come from
locales (commands.*). The desk's are shown to the secretariat only, and listed on /admin."""

from __future__ import annotations

MENU_COMMANDS = (
    "campaigns",
    "deadlines",
    "criteria",
    "pledge",
    "initiative",
    "my",
    "link",
    "start",
    "help",
    "lang",
    "cancel",
)
DESK_COMMANDS = (
    "review",
    "nominations",
    "stats",
    "export",
    "invite",
    "roster",
    "announce",
    "remind",
    "outbox",
    "questions",
    "reminders",
)
