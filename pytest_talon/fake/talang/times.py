"""Talang's date and time functions (talon-one/talang's reference); Times are aware datetimes, UTC when unstated.

Extracted parts follow the reference's code and tests: ``hour``, ``minute``, ``month`` and ``monthDay`` without
a leading zero, ``weekday`` 0 (Sunday) to 6. Layouts (``matchTime``, ``parseTime``) use the tokens ``YYYY MM DD
HH mm ss`` (INF: the reference shows only ``YYYY-MM-DD`` and ``HH:mm:ss``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from pytest_talon._time import format_rfc3339
from pytest_talon.fake.talang.errors import TalangRuntimeError
from pytest_talon.fake.talang.nodes import Frame, FunctionSpec, define
from pytest_talon.fake.talang.values import ARITHMETIC, parse_time

__all__ = ["TIME_FUNCTIONS"]

#: The date and time functions the fake implements, by name.
TIME_FUNCTIONS: dict[str, FunctionSpec] = {}
_fn = TIME_FUNCTIONS

_UNITS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400, "week": 7 * 86400}
_LAYOUT_TOKENS = (("YYYY", "%Y"), ("MM", "%m"), ("DD", "%d"), ("HH", "%H"), ("mm", "%M"), ("ss", "%S"))
_DAY_MICROSECONDS = Decimal(86400 * 10**6)


def _duration(amount: Decimal, unit: str) -> timedelta:
    seconds = _UNITS.get(unit.strip().lower().rstrip("s"))
    if seconds is None:
        raise TalangRuntimeError(f"{unit!r} is not a unit: use seconds, minutes, hours, days or weeks")
    return timedelta(microseconds=int(ARITHMETIC.multiply(amount, Decimal(seconds * 10**6))))


def _days(delta: timedelta) -> Decimal:
    micro = (delta.days * 86400 + delta.seconds) * 10**6 + delta.microseconds
    return ARITHMETIC.divide(Decimal(micro), _DAY_MICROSECONDS)


def _layout(layout: str) -> str:
    for token, directive in _LAYOUT_TOKENS:
        layout = layout.replace(token, directive)
    return layout


@define(_fn, "addDuration", "time", "decimal", "string")
def _add_duration(frame: Frame, args: Sequence[Any]) -> object:
    """The Time plus an amount of a unit (``seconds``, ``minutes``, ``hours``, ``days``, ``weeks``)."""
    return args[0] + _duration(args[1], args[2])


@define(_fn, "subDuration", "time", "decimal", "string")
def _sub_duration(frame: Frame, args: Sequence[Any]) -> object:
    """The Time minus an amount of a unit (``seconds``, ``minutes``, ``hours``, ``days``, ``weeks``)."""
    return args[0] - _duration(args[1], args[2])


@define(_fn, "after", "time", "time")
def _after(frame: Frame, args: Sequence[Any]) -> object:
    """True when the first Time is after the second."""
    return args[0] > args[1]


@define(_fn, "before", "time", "time")
def _before(frame: Frame, args: Sequence[Any]) -> object:
    """True when the first Time is before the second."""
    return args[0] < args[1]


@define(_fn, "betweenTimes", "time", "time", "time")
def _between_times(frame: Frame, args: Sequence[Any]) -> object:
    """True when the first Time is after the second (min) and before the third (max), both strictly."""
    return bool(args[1] < args[0] < args[2])


@define(_fn, "date", "time")
def _date(frame: Frame, args: Sequence[Any]) -> object:
    """The date of a Time as ``YYYY-MM-DD``."""
    return args[0].strftime("%Y-%m-%d")


@define(_fn, "days", "time")
def _days_from_now(frame: Frame, args: Sequence[Any]) -> object:
    """Days (a Decimal with fraction) from the Time to now, the fake's clock; positive for a past Time (INF)."""
    now = frame.run.ctx.now
    if now is None:
        raise TalangRuntimeError("needs the evaluation's clock (EvalContext.now), which is not set")
    return _days(now - args[0])


@define(_fn, "daysBetween", "time", "time")
def _days_between(frame: Frame, args: Sequence[Any]) -> object:
    """Days (a Decimal with fraction) from the first Time to the second (INF: negative when the second is earlier)."""
    return _days(args[1] - args[0])


@define(_fn, "formatTime", "time")
def _format_time(frame: Frame, args: Sequence[Any]) -> object:
    """The RFC 3339 text of a Time (the inverse of ``parseTime``)."""
    return format_rfc3339(args[0])


@define(_fn, "parseTime", "string", rest="string")
def _parse_time(frame: Frame, args: Sequence[Any]) -> object:
    """A Time from RFC 3339 text, or from text in a layout (``["parseTime", "20:04:05", "HH:mm:ss"]``, UTC)."""
    if len(args) == 1:
        return parse_time(args[0])
    for layout in args[1:]:
        try:
            return datetime.strptime(args[0], _layout(layout)).replace(tzinfo=timezone.utc)
        except ValueError:
            continue
    raise TalangRuntimeError(f"{args[0]!r} does not match the layouts {list(args[1:])}")


@define(_fn, "matchTime", "time", "time", "string")
def _match_time(frame: Frame, args: Sequence[Any]) -> object:
    """True when both Times read the same in the layout (``YYYY-MM-DD``: the same day)."""
    layout = _layout(args[2])
    return bool(args[0].strftime(layout) == args[1].strftime(layout))


def _part(name: str, text: str, render: Any) -> None:
    def part(frame: Frame, args: Sequence[Any]) -> object:
        return str(render(args[0]))

    part.__doc__ = text
    define(_fn, name, "time")(part)


_part("year", "The year of a Time (``2018``).", lambda t: t.year)
_part("month", "The month of a Time, 1-12 (``1``).", lambda t: t.month)
_part("monthDay", "The day of the month of a Time, 1-31 (``14``).", lambda t: t.day)
_part("weekday", "The day of the week of a Time, 0 (Sunday) to 6.", lambda t: (t.weekday() + 1) % 7)
_part("hour", "The hour of a Time, 0-23 (no leading zero, as the reference's code and tests).", lambda t: t.hour)
_part("minute", "The minute of a Time, 0-59 (no leading zero, as the reference's code and tests).", lambda t: t.minute)
