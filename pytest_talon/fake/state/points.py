"""Loyalty points arithmetic: replay ledger entries up to an instant into point buckets and balances.

Every addition is a bucket. Buckets become active at their start date (never, while they await activation),
expire at their expiry date, and subtractions consume active buckets, earliest expiry first (a rollback first
takes from the bucket it reverses, pending or active). What a subtraction cannot cover becomes negative points,
which later activations pay back first. So at every instant::

    sum(entry amounts) == active + pending + expired - negative
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

from pytest_talon.fake.state.ledger import LedgerEntry

__all__ = ["Balance", "Bucket", "Replay", "balances_by_subledger", "replay"]

_NEVER = datetime.max.replace(tzinfo=timezone.utc)


@dataclass
class Bucket:
    """One addition and what is left of it."""

    entry: LedgerEntry
    remaining: Decimal
    active: bool = False
    expired: bool = False

    def status(self) -> str:
        """``active``, ``pending`` or ``expired`` at the replayed instant."""
        return "expired" if self.expired else "active" if self.active else "pending"


@dataclass
class Balance:
    """Point totals of one ledger (or subledger) at one instant, exact (Decimal)."""

    active: Decimal = Decimal(0)
    pending: Decimal = Decimal(0)
    expired: Decimal = Decimal(0)
    spent: Decimal = Decimal(0)
    negative: Decimal = Decimal(0)


@dataclass
class Replay:
    """The buckets and balance of a set of entries at one instant."""

    buckets: list[Bucket] = field(default_factory=list)
    balance: Balance = field(default_factory=Balance)


def replay(entries: Iterable[LedgerEntry], at: datetime) -> Replay:
    """Replay ``entries`` created up to ``at`` (one ledger: do not mix subledgers) and return buckets and balance."""
    seen = [e for e in entries if e.created <= at]
    out = Replay(buckets=[Bucket(e, e.amount) for e in seen if e.amount > 0])
    buckets: dict[str, Bucket] = {}
    for bucket in out.buckets:
        buckets.setdefault(bucket.entry.transaction_uuid, bucket)
    for _, _, _, kind, item in sorted(_timeline(seen, out.buckets, at), key=lambda t: t[:3]):
        if kind == "activate":
            _activate(item, out.balance)
        elif kind == "expire":
            item.active, item.expired = False, True
        else:
            _deduct(item, buckets, out)
    for bucket in out.buckets:
        status = bucket.status()
        if status == "active":
            out.balance.active += bucket.remaining
        elif status == "pending":
            out.balance.pending += bucket.remaining
        else:
            out.balance.expired += bucket.remaining
    return out


_Event = tuple[datetime, int, int, str, Any]


def _timeline(entries: list[LedgerEntry], buckets: Iterable[Bucket], at: datetime) -> list[_Event]:
    events: list[_Event] = []
    for order, bucket in enumerate(buckets):
        start = _start(bucket.entry)
        if start is not None and start <= at:
            events.append((start, 0, order, "activate", bucket))
        expiry = bucket.entry.expiry_date
        if expiry is not None and expiry <= at:
            events.append((expiry, 1, order, "expire", bucket))
    for order, entry in enumerate(entries):
        if entry.amount < 0:
            events.append((entry.created, 2, order, "deduct", entry))
    return events


def _start(entry: LedgerEntry) -> datetime | None:
    if entry.awaits_activation and entry.start_date is None:
        return None
    return entry.start_date or entry.created


def _activate(bucket: Bucket, balance: Balance) -> None:
    if bucket.expired:
        return
    bucket.active = True
    paid = min(balance.negative, bucket.remaining)
    bucket.remaining -= paid
    balance.negative -= paid


def _deduct(entry: LedgerEntry, buckets: dict[str, Bucket], out: Replay) -> None:
    amount = -entry.amount
    target = buckets.get(entry.reverses or "")
    if target is not None and not target.expired:
        taken = min(amount, target.remaining)
        target.remaining -= taken
        amount -= taken
    active = [b for b in out.buckets if b.active and not b.expired and b.remaining > 0]
    for bucket in sorted(active, key=lambda b: (b.entry.expiry_date or _NEVER, b.entry.created)):
        taken = min(amount, bucket.remaining)
        bucket.remaining -= taken
        amount -= taken
    out.balance.negative += amount
    if entry.reverses is None:
        out.balance.spent += -entry.amount


def balances_by_subledger(entries: Iterable[LedgerEntry], at: datetime) -> dict[str, Replay]:
    """One :class:`Replay` per subledger id (``""`` is the main ledger), each replayed on its own."""
    groups: dict[str, list[LedgerEntry]] = {}
    for entry in entries:
        groups.setdefault(entry.sub_ledger_id, []).append(entry)
    return {sub: replay(group, at) for sub, group in groups.items()}
