"""The one clock: every timestamp the bot writes or shows comes from here.

TODAY (for trying the bot as of another day, and for tests) pins the date and keeps the time of
day, so records made "on 20/11/2024" are stamped on that day in the agency's time zone."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo


def _system_now(zone: ZoneInfo) -> datetime:
    return datetime.now(zone)


class Clock:
    def __init__(
        self,
        zone: ZoneInfo,
        pinned_today: date | None = None,
        source: Callable[[ZoneInfo], datetime] = _system_now,
    ) -> None:
        self.zone = zone
        self._pinned = pinned_today
        self._source = source

    def now(self) -> datetime:
        """Aware local time; on a pinned day, that day at the real time of day."""
        real = self._source(self.zone)
        if self._pinned is None:
            return real
        return datetime.combine(self._pinned, real.timetz()).replace(tzinfo=self.zone)

    def today(self) -> date:
        return self._pinned or self.now().date()

    def stamp(self, delta: timedelta = timedelta()) -> str:
        """The moment (plus delta) as stored: UTC, ISO 8601, to the second."""
        return (self.now() + delta).astimezone(UTC).isoformat(timespec="seconds")

    def local(self, stamp: str) -> datetime:
        """A stored stamp as naive local time, for showing and for workbooks."""
        return datetime.fromisoformat(stamp).astimezone(self.zone).replace(tzinfo=None)
