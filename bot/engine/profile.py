"""What the core needs to know about a messenger, and nothing more: how long a message may be,
whether options are buttons or a numbered list, how an invitation is passed on."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class ChannelProfile:
    name: str
    text_limit: int | None  # characters in one message the bot sends (None: no limit)
    input_limit: int  # the longest text a person may send in one message
    buttons: bool  # False: options are a numbered list and "2" picks the second
    edits: bool  # a tapped message can be replaced (a checklist being ticked)
    option_data_limit: int | None  # bytes an option's data may take on this messenger
    # How a person joins with an invitation code on this messenger (a link, a phrase to send).
    join_hint: Callable[[str], str]
    # How the hint is used: a link opened (Telegram), a code sent (Zalo), or both (the console
    # shows each messenger's way).
    join_kinds: frozenset[str] = frozenset({"link"})
    # The one person on this channel runs the bot (the console): the secretariat.
    operator: bool = False
    # Documents (PDF, Word …) can reach the bot; on Zalo only pictures can.
    documents_in: bool = True
    # Where a person of this channel can upload documents instead (their account id -> page).
    upload_link: Callable[[str], str | None] = lambda account: None
    # Where to write to the bot one to one (said in a group when something is private).
    chat_link: Callable[[], str | None] = lambda: None

    def fits(self, data: str) -> bool:
        return self.option_data_limit is None or len(data.encode()) <= self.option_data_limit


# Options the core builds must fit every messenger; Telegram's 64 bytes is the tightest.
OPTION_DATA_LIMIT = 64
