"""What day it is in the agency's time zone; pinned by the TODAY setting when trying or testing."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo


class Clock:
    def __init__(self, zone: ZoneInfo, pinned_today: date | None = None) -> None:
        self.zone = zone
        self._pinned = pinned_today

    def now(self) -> datetime:
        return datetime.now(self.zone)

    def today(self) -> date:
        return self._pinned or self.now().date()
