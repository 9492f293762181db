"""Loyalty programs and cards as declared by a test, and the rules they apply to the ledger.

:class:`LedgerRules` is the ledger's policy (see :class:`~.loyalty_ledger.LedgerPolicy`): every new entry gets an
id, its program's pending duration and validity, the session's loyalty card for card-based programs, and a
rollback is capped by the program's ``return_policy``; balances are the active points now.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from pytest_talon.fake.errors import FakeSetupError
from pytest_talon.fake.loyalty_ledger import LedgerEntry
from pytest_talon.fake.loyalty_points import replay
from pytest_talon.fake.state import Application

__all__ = [
    "RETURN_POLICIES",
    "CardRecord",
    "LedgerRules",
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
    min_points: float


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
    return TierLevel(name=str(raw["name"]), min_points=float(points))


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


class LedgerRules:
    """The ledger policy of one Application: program defaults on new entries, active balances now."""

    def __init__(self, app: Application) -> None:
        self.app = app

    def __deepcopy__(self, memo: dict[int, Any]) -> LedgerRules:
        """Stay bound to the live Application when only the ledger is copied (dry runs), to the copy otherwise."""
        copied = memo.get(id(self.app))
        return LedgerRules(copied) if copied is not None else self

    def on_add(self, entry: LedgerEntry) -> None:
        """Give the entry an id, its card (card programs), its dates (additions) or its cap (rollbacks)."""
        app = self.app
        entry.id = entry.id or app.next_id("ledger_entry")
        program = app.loyalty_programs.get(entry.program_id)
        if program is None:
            return
        original = self._reversed(entry)
        if original is not None:
            entry.card_identifier = entry.card_identifier or original.card_identifier
            entry.session_id = entry.session_id or original.session_id
        if program.card_based and entry.card_identifier is None:
            entry.card_identifier = self._session_card(entry.session_id)
        if entry.amount > 0 and entry.reverses is None:
            self.settle_dates(program, entry)
        elif entry.amount < 0 and entry.reverses is not None:
            entry.amount = -self._rollback_cap(program, entry)

    def balance(self, entries: list[LedgerEntry], sub_ledger_id: str | None) -> float:
        """The active points of these entries now (all subledgers when ``sub_ledger_id`` is None)."""
        subs = {e.sub_ledger_id for e in entries} if sub_ledger_id is None else {sub_ledger_id}
        now = self.app.now()
        return sum(replay([e for e in entries if e.sub_ledger_id == s], now).balance.active for s in subs)

    def _reversed(self, entry: LedgerEntry) -> LedgerEntry | None:
        if entry.reverses is None:
            return None
        found = [e for e in self.app.loyalty.entries(entry.program_id) if e.transaction_uuid == entry.reverses]
        return found[0] if found else None

    def _session_card(self, session_id: str | None) -> str | None:
        session = self.app.sessions.get(session_id or "")
        cards = session.loyalty_cards if session is not None else None
        return cards[0] if cards else None

    @staticmethod
    def settle_dates(program: LoyaltyProgram, entry: LedgerEntry) -> None:
        """Set a new addition's start/expiry (or activation wait and validity) from the program's settings."""
        pending, validity = program.default_pending, program.default_validity
        if entry.start_date is None and not entry.awaits_activation:
            if pending == "on_action":
                entry.awaits_activation = True
            elif pending != "immediate":
                entry.start_date = add_duration(entry.created, pending)
        if entry.expiry_date is None and validity != "unlimited":
            if entry.awaits_activation and entry.start_date is None:
                entry.validity_duration = entry.validity_duration or validity
            else:
                entry.expiry_date = add_duration(entry.start_date or entry.created, validity)

    def _rollback_cap(self, program: LoyaltyProgram, entry: LedgerEntry) -> float:
        wanted = -entry.amount
        if program.return_policy == "unlimited":
            return wanted
        same = [
            e
            for e in self.app.loyalty.entries(entry.program_id, entry.profile_id)
            if e.sub_ledger_id == entry.sub_ledger_id and e.card_identifier == entry.card_identifier
        ]
        state = replay(same, entry.created)
        target = next((b for b in state.buckets if b.entry.transaction_uuid == entry.reverses), None)
        pending = target.remaining if target is not None and target.status() == "pending" else 0.0
        if program.return_policy == "only_pending":
            return min(wanted, pending)
        return min(wanted, pending + state.balance.active)
