"""The fake's clock: a fixed, movable "now" so expiry dates and pending points are deterministic in tests."""

from __future__ import annotations

import math
import threading
from datetime import datetime, timedelta, timezone

from pytest_talon.errors import TalonError

__all__ = ["DEFAULT_START", "EARLIEST", "LATEST", "FakeClock", "check_instant"]

#: The instant every fresh :class:`FakeClock` starts at.
DEFAULT_START = datetime(2026, 1, 1, tzinfo=timezone.utc)
#: The earliest and latest instants the clock may show: dates the fake computes from "now" (expiry dates, validity
#: periods of years, pending points) stay far from the ends of what ``datetime`` can hold.
EARLIEST = datetime(1900, 1, 1, tzinfo=timezone.utc)
LATEST = datetime(9000, 1, 1, tzinfo=timezone.utc)


class FakeClock:
    """A clock that only moves when told to: :meth:`advance` and :meth:`set`; :meth:`now` is aware UTC."""

    def __init__(self, start: datetime = DEFAULT_START) -> None:
        self._lock = threading.Lock()
        self._now = check_instant(start)

    def now(self) -> datetime:
        """The current fake instant (aware, UTC)."""
        with self._lock:
            return self._now

    def advance(self, **delta: float) -> datetime:
        """Move time forward by ``timedelta(**delta)`` (e.g. ``days=3``, never past ``LATEST``) and return the new
        instant."""
        for name, amount in delta.items():
            if isinstance(amount, float) and not math.isfinite(amount):
                raise TalonError(f"FakeClock.advance({name}={amount}): not a finite number")
        try:
            step = timedelta(**delta)
        except (OverflowError, ValueError) as exc:
            raise TalonError(f"FakeClock.advance({delta}): {exc}; the clock ends at {LATEST.isoformat()}") from None
        if step < timedelta(0):
            raise TalonError(f"FakeClock.advance({delta}) would move time backwards; use FakeClock.set() for that")
        with self._lock:
            if step > LATEST - self._now:
                raise TalonError(f"FakeClock.advance({delta}) would move the clock past {LATEST.isoformat()}")
            self._now += step
            return self._now

    def set(self, when: datetime) -> datetime:
        """Jump to ``when`` (an aware datetime, earlier or later, between :data:`EARLIEST` and :data:`LATEST`) and
        return it."""
        when = check_instant(when)
        with self._lock:
            self._now = when
            return self._now

    def __repr__(self) -> str:
        return f"FakeClock({self.now().isoformat()})"


def check_instant(when: datetime) -> datetime:
    """``when`` in UTC; :class:`TalonError` when it is naive or outside :data:`EARLIEST` .. :data:`LATEST`."""
    if when.tzinfo is None:
        raise TalonError(f"naive datetime {when!r}: pass an aware datetime such as datetime(..., tzinfo=timezone.utc)")
    try:
        utc = when.astimezone(timezone.utc)
    except OverflowError:
        utc = None
    if utc is None or not EARLIEST <= utc <= LATEST:
        raise TalonError(
            f"{when.isoformat()} is outside the fake clock's range, {EARLIEST.isoformat()} to {LATEST.isoformat()}"
        )
    return utc
