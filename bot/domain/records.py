"""Records as the core sees them, whatever stores them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Role = Literal["staff", "unit_head", "secretariat", "admin"]


@dataclass(frozen=True)
class Unit:
    id: int
    code: str
    name: str
    level: str
    parent_id: int | None
    heads: tuple[str, ...] = ()


@dataclass(frozen=True)
class Invite:
    """A unit's invitation: whoever joins with it gets that unit and role, confirmed."""

    code: str
    unit_id: int
    role: Role
    expires_at: str | None  # stored stamp (UTC)
    max_uses: int | None
    uses: int


@dataclass(frozen=True)
class Person:
    id: int
    channel: str
    external_id: str
    full_name: str | None
    position: str | None
    unit_id: int | None
    role: Role
    locale: str
    unreachable: bool = False  # blocked the bot: no notices until they write again
    confirmed: bool = True  # False while a self-chosen unit waits for confirmation

    @property
    def has_joined(self) -> bool:
        return self.unit_id is not None and bool(self.full_name)


@dataclass
class Conversation:
    """Where a person is in a multi-step flow; kept in storage, not in memory."""

    person_id: int
    flow: str | None = None
    step: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    options: list[str] = field(default_factory=list)
    # Each option's label as typed without diacritics: on Zalo people type "tiep tuc", not "7".
    option_words: list[str] = field(default_factory=list)
    # The campaign the person's questions were last about, and when (a stored stamp);
    # a finished flow does not forget it.
    about: str | None = None
    about_at: str | None = None
    about_topic: str | None = None  # the part of its plan ("criteria"), for a follow-up

    def clear(self) -> None:
        self.flow = self.step = None
        self.data = {}


PledgeKind = Literal["individual", "collective"]
PledgeStatus = Literal[
    "submitted", "confirmed", "returned", "accepted", "achieved", "not_achieved", "withdrawn"
]
InitiativeStatus = Literal[
    "submitted", "under_review", "needs_changes", "recognised", "not_recognised", "withdrawn"
]

# What the person may still change themselves (the secretariat's decisions lock a record).
PLEDGE_EDITABLE: frozenset[str] = frozenset({"submitted", "confirmed", "returned"})
INITIATIVE_EDITABLE: frozenset[str] = frozenset({"submitted", "needs_changes"})


@dataclass(frozen=True)
class Pledge:
    id: int
    ref: str
    campaign_id: str
    kind: PledgeKind
    person_id: int
    unit_id: int
    title: str
    commitments: list[str]
    own_commitments: list[str]
    status: PledgeStatus
    comment: str | None
    year: int  # the emulation year (năm thi đua) it is for
    # As filed: the author's name and position and the unit's name then, kept as they were.
    filed_name: str = ""
    filed_position: str = ""
    filed_unit: str = ""
    updated_at: str = ""  # the last change, stored UTC: how long it has waited


@dataclass(frozen=True)
class Author:
    full_name: str
    unit_name: str
    share: int
    person_id: int | None = None


@dataclass(frozen=True)
class Attachment:
    file_name: str
    mime_type: str
    size: int
    sha256: str
    stored_path: str


@dataclass(frozen=True)
class Initiative:
    id: int
    ref: str
    campaign_id: str
    person_id: int
    title: str
    reform_area: str
    applied_on: str
    description: str
    conditions: str
    benefits: str
    trialled_by: str
    status: InitiativeStatus
    review_comment: str | None
    authors: list[Author]
    attachments: list[Attachment]
    updated_at: str = ""  # the last change, stored UTC: how long it has waited
