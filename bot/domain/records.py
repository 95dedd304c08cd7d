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

    def clear(self) -> None:
        self.flow = self.step = None
        self.data = {}
