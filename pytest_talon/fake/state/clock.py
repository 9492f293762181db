"""The fake's clock: a fixed, movable "now" so expiry dates and pending points are deterministic in tests."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

from pytest_talon.errors import TalonError

__all__ = ["DEFAULT_START", "FakeClock"]

#: The instant every fresh :class:`FakeClock` starts at.
DEFAULT_START = datetime(2026, 1, 1, tzinfo=timezone.utc)


class FakeClock:
    """A clock that only moves when told to: :meth:`advance` and :meth:`set`; :meth:`now` is aware UTC."""

    def __init__(self, start: datetime = DEFAULT_START) -> None:
        self._lock = threading.Lock()
        self._now = _aware(start)

    def now(self) -> datetime:
        """The current fake instant (aware, UTC)."""
        with self._lock:
            return self._now

    def advance(self, **delta: float) -> datetime:
        """Move time forward by ``timedelta(**delta)`` (e.g. ``days=3``) and return the new instant."""
        step = timedelta(**delta)
        if step < timedelta(0):
            raise TalonError(f"FakeClock.advance({delta}) would move time backwards; use FakeClock.set() for that")
        with self._lock:
            self._now += step
            return self._now

    def set(self, when: datetime) -> datetime:
        """Jump to ``when`` (an aware datetime, earlier or later) and return it."""
        with self._lock:
            self._now = _aware(when)
            return self._now

    def __repr__(self) -> str:
        return f"FakeClock({self.now().isoformat()})"


def _aware(when: datetime) -> datetime:
    if when.tzinfo is None:
        raise TalonError(f"naive datetime {when!r}: pass an aware datetime such as datetime(..., tzinfo=timezone.utc)")
    return when.astimezone(timezone.utc)
