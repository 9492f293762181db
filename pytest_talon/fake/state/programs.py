"""Loyalty programs, tiers and cards as declared by a test, and the program durations (``30D``, ``1Y``, ``2W_U``).

The rules a program applies to the ledger (pending, validity, cards, rollback caps) are
:class:`~pytest_talon.fake.state.application.LedgerRules`.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from pytest_talon.fake.errors import FakeSetupError
from pytest_talon.fake.state.amounts import dec
from pytest_talon.fake.state.clock import LATEST

__all__ = [
    "RETURN_POLICIES",
    "CardRecord",
    "LoyaltyProgram",
    "TierLevel",
    "add_duration",
    "check_duration",
]

#: How far cancel/reopen may claw points back: pending only, active without going negative, or anything.
RETURN_POLICIES = ("only_pending", "within_balance", "unlimited")
_DURATION = re.compile(r"^(\d+)([smhDWMY])(_D|_U)?$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "D": "days", "W": "weeks"}


def check_duration(text: str, what: str, specials: tuple[str, ...]) -> None:
    """Raise :class:`FakeSetupError` unless ``text`` is one of ``specials`` or a duration such as ``30D``/``2W_U``."""
    if text not in specials and not _DURATION.match(text):
        raise FakeSetupError(f"{what}: {text!r} is not {' or '.join(specials)} or a duration like 30D, 12h or 2W_U")
    if text not in specials:
        try:
            add_duration(LATEST, text)  # the latest instant the clock shows: every date computed from it exists
        except (OverflowError, ValueError):
            raise FakeSetupError(f"{what}: {text!r} is too long: at most 999 years (999Y)") from None


def add_duration(when: datetime, text: str) -> datetime:
    """``when`` plus a duration (``s m h D W M Y``), rounded down (``_D``) or up to the end of the unit (``_U``)."""
    found = _DURATION.match(text)
    if found is None:
        raise FakeSetupError(f"{text!r} is not a duration like 30D, 12h or 2W_U")
    count, unit, rounding = int(found.group(1)), found.group(2), found.group(3)
    if unit in _UNITS:
        moved = when + timedelta(**{_UNITS[unit]: count})
    else:
        months = count * (12 if unit == "Y" else 1)
        moved = _add_months(when, months)
    if rounding == "_D":
        return moved.replace(hour=0, minute=0, second=0, microsecond=0)
    if rounding == "_U":
        return _end_of(moved, unit)
    return moved


def _add_months(when: datetime, months: int) -> datetime:
    index = when.month - 1 + months
    year, month = when.year + index // 12, index % 12 + 1
    return when.replace(year=year, month=month, day=min(when.day, calendar.monthrange(year, month)[1]))


def _end_of(when: datetime, unit: str) -> datetime:
    day_end = when.replace(hour=23, minute=59, second=59, microsecond=0)
    if unit == "W":
        return day_end + timedelta(days=6 - when.weekday())
    if unit == "M":
        return day_end.replace(day=calendar.monthrange(when.year, when.month)[1])
    if unit == "Y":
        return day_end.replace(month=12, day=31)
    return day_end


@dataclass(frozen=True)
class TierLevel:
    """A tier: customers holding at least ``min_points`` active points are in it."""

    name: str
    min_points: Decimal

    def __post_init__(self) -> None:
        object.__setattr__(self, "min_points", dec(self.min_points))


@dataclass
class LoyaltyProgram:
    """A loyalty program: profile-based, or card-based with ``card_based=True``.

    ``default_pending`` is ``immediate``, ``on_action`` or a duration (``5D``); ``default_validity`` is
    ``unlimited`` or a duration (``1Y``, ``2W_U``); ``users_per_card_limit`` 0 means unlimited.
    """

    id: int
    name: str
    title: str = ""
    description: str = ""
    card_based: bool = False
    sub_ledgers: tuple[str, ...] = ()
    tiers: tuple[TierLevel, ...] = ()
    default_pending: str = "immediate"
    default_validity: str = "unlimited"
    users_per_card_limit: int = 0
    return_policy: str = "unlimited"
    card_code_prefix: str = "CARD-"

    def __post_init__(self) -> None:
        if self.id < 1:
            raise FakeSetupError(f"loyalty program id: must be a positive integer, got {self.id!r}")
        if not self.name:
            raise FakeSetupError("loyalty program name: must not be empty")
        check_duration(self.default_pending, "defaultPending", ("immediate", "on_action"))
        check_duration(self.default_validity, "defaultValidity", ("unlimited",))
        if self.return_policy not in RETURN_POLICIES:
            raise FakeSetupError(f"returnPolicy: {self.return_policy!r} is not one of {', '.join(RETURN_POLICIES)}")
        if self.users_per_card_limit < 0:
            raise FakeSetupError(f"usersPerCardLimit: must be >= 0, got {self.users_per_card_limit}")
        self.title = self.title or self.name
        self.sub_ledgers = tuple(self.sub_ledgers)
        self.tiers = tuple(sorted((_tier(t) for t in self.tiers), key=lambda t: t.min_points))

    def tier_id(self, tier: TierLevel) -> int:
        """A stable id for one of the program's tiers."""
        return self.id * 100 + self.tiers.index(tier) + 1


def _tier(raw: TierLevel | dict[str, Any]) -> TierLevel:
    if isinstance(raw, TierLevel):
        return raw
    if not isinstance(raw, dict) or "name" not in raw:
        raise FakeSetupError(f"tiers: each tier needs a name and minPoints, got {raw!r}")
    points = raw.get("min_points", raw.get("minPoints", 0))
    return TierLevel(name=str(raw["name"]), min_points=dec(points))


@dataclass
class CardRecord:
    """A loyalty card of a card-based program, with the profiles linked to it (integration id -> when)."""

    id: int
    identifier: str
    program_id: int
    created: datetime
    status: str = "active"
    profiles: dict[str, datetime] = field(default_factory=dict)
    modified: datetime | None = None
    block_reason: str | None = None
