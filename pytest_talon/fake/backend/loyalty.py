"""The loyalty service: declaring programs, cards and points, card links, activating and deleting points.

The other loyalty rules sit in the layers below and are reached through here or the session lifecycle:
:mod:`pytest_talon.fake.state.programs` (programs, tiers, cards, durations), :mod:`pytest_talon.fake.state.ledger`
and :mod:`pytest_talon.fake.state.points` (the ledger and its arithmetic),
:class:`~pytest_talon.fake.state.application.LedgerRules` (the program rules the ledger applies),
:mod:`pytest_talon.fake.engine.loyalty` (program dates and tiers on effects) and
:mod:`pytest_talon.fake.engine.lifecycle` (what closing, cancelling and returns do to points);
:mod:`.loyalty_views` reads balances and entries for the answers.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

from pytest_talon.fake.backend.declared import build_declared
from pytest_talon.fake.backend.loyalty_views import buckets_now, profile_entries
from pytest_talon.fake.engine.codes import new_code
from pytest_talon.fake.errors import BadRequest, FakeError, FakeSetupError, NotFound
from pytest_talon.fake.state.amounts import dec
from pytest_talon.fake.state.application import Application
from pytest_talon.fake.state.ledger import LedgerEntry
from pytest_talon.fake.state.points import Balance, Bucket, balances_by_subledger
from pytest_talon.fake.state.programs import CardRecord, LoyaltyProgram, add_duration

__all__ = [
    "EntryFilter",
    "activate_points",
    "balances_at",
    "card_or_404",
    "create_card",
    "delete_transactions",
    "link_card",
    "seed_card",
    "seed_points",
    "seed_program",
    "transaction_type",
    "transactions",
    "unlink_card",
    "unused_points",
]

_FAR = datetime.max.replace(tzinfo=timezone.utc)


def seed_program(app: Application, program: LoyaltyProgram | None = None, **fields: Any) -> LoyaltyProgram:
    """Store a loyalty program (a :class:`LoyaltyProgram` or its fields); raises :class:`FakeSetupError`."""
    if program is None:
        program = build_declared(LoyaltyProgram, fields)
    elif fields:
        raise FakeSetupError("add_loyalty_program: pass a LoyaltyProgram or keyword fields, not both")
    if program.id in app.loyalty_programs:
        raise FakeSetupError(f"add_loyalty_program: program {program.id} already exists")
    app.loyalty_programs[program.id] = program
    return program


def seed_card(
    app: Application,
    program_id: int,
    identifier: str | None = None,
    *,
    profiles: Sequence[str] = (),
    status: str = "active",
) -> CardRecord:
    """Store a loyalty card of a declared card-based program, linked to ``profiles``."""
    program = app.loyalty_programs.get(program_id)
    if program is None or not program.card_based:
        raise FakeSetupError(f"add_loyalty_card: program {program_id} is not a declared card-based program")
    try:
        return create_card(app, program, identifier, list(profiles), status)
    except FakeError as exc:
        raise FakeSetupError(f"add_loyalty_card: {exc.message}") from None


def seed_points(
    app: Application,
    program_id: int,
    amount: float | Decimal,
    *,
    profile: str | None = None,
    card: str | None = None,
    name: str = "Imported points",
    sub_ledger_id: str = "",
    start_date: datetime | None = None,
    expiry_date: datetime | None = None,
    awaits_activation: bool = False,
) -> LedgerEntry:
    """Write points (negative ``amount``: a deduction) to a profile's or a card's ledger, as an import."""
    if (profile is None) == (card is None):
        raise FakeSetupError("add_loyalty_points: give exactly one of profile or card")
    if card is not None and card not in app.loyalty_cards:
        raise FakeSetupError(f"add_loyalty_points: card {card!r} does not exist; add it with add_loyalty_card()")
    if profile is not None:
        app.profile_or_create(profile)
    entry = LedgerEntry(
        transaction_uuid=str(uuid.UUID(int=app.next_id("transaction"))),
        program_id=program_id,
        profile_id=profile or "",
        amount=dec(amount),
        name=name,
        created=app.now(),
        sub_ledger_id=sub_ledger_id,
        start_date=start_date,
        expiry_date=expiry_date,
        card_identifier=card,
        awaits_activation=awaits_activation,
        transaction_type="import",
    )
    return app.loyalty.add(entry)


def create_card(
    app: Application, program: LoyaltyProgram, identifier: str | None, profiles: list[str], status: str = "active"
) -> CardRecord:
    """Store a new card of a card-based program; 400 for a duplicate identifier or too many profiles."""
    if program.users_per_card_limit and len(profiles) > program.users_per_card_limit:
        raise BadRequest(
            f"{len(profiles)} profiles exceed the program's card user limit of {program.users_per_card_limit}",
            pointer="/customerProfileIds",
        )
    if identifier is not None and identifier in app.loyalty_cards:
        raise BadRequest(f"a loyalty card {identifier!r} already exists", pointer="/cardIdentifier")
    value = identifier or new_code(app, program.card_code_prefix, app.loyalty_cards)
    now = app.now()
    card = CardRecord(
        id=app.next_id("loyalty_card"), identifier=value, program_id=program.id, created=now, status=status
    )
    for profile_id in dict.fromkeys(profiles):
        app.profile_or_create(profile_id)
        card.profiles[profile_id] = now
    app.loyalty_cards[value] = card
    return card


def card_or_404(app: Application, program: LoyaltyProgram, identifier: str) -> CardRecord:
    """The program's card ``identifier``; 404 when the program has no such card."""
    card: CardRecord | None = app.loyalty_cards.get(identifier)
    if card is None or card.program_id != program.id:
        raise NotFound(f"loyalty card {identifier!r} not found in program {program.id}")
    return card


def link_card(app: Application, program: LoyaltyProgram, card: CardRecord, profile_id: str) -> None:
    """Link a profile to the card (idempotent; a missing profile is created); 400 beyond the card's user limit."""
    if profile_id not in card.profiles:
        limit = program.users_per_card_limit
        if limit and len(card.profiles) >= limit:
            raise BadRequest(
                f"card {card.identifier!r} already has its limit of {limit} profile(s)", pointer="/integrationId"
            )
        app.profile_or_create(profile_id)
        card.profiles[profile_id] = app.now()
        card.modified = app.now()


def unlink_card(app: Application, card: CardRecord, profile_id: str) -> None:
    """Unlink a profile from the card; 400 when it is not linked."""
    if profile_id not in card.profiles:
        raise BadRequest(f"profile {profile_id!r} is not linked to card {card.identifier!r}", pointer="/integrationId")
    del card.profiles[profile_id]
    card.modified = app.now()


def delete_transactions(app: Application, program_id: int, profile_id: str, sub_ledgers: list[str] | None) -> None:
    """Delete the profile's transactions from every ledger of the program (``sub_ledgers`` None) or the listed ones."""
    doomed = [
        e for e in profile_entries(app, program_id, profile_id) if sub_ledgers is None or e.sub_ledger_id in sub_ledgers
    ]
    app.loyalty.remove(doomed)


def activate_points(
    app: Application, program_id: int, session_id: str | None, transaction_uuids: set[str]
) -> list[LedgerEntry]:
    """Activate the pending additions earned in ``session_id`` (or listed by UUID); the activated entries."""
    now = app.now()
    activated = []
    for entry in app.loyalty.entries(program_id):
        wanted = (
            entry.session_id == session_id if session_id is not None else entry.transaction_uuid in transaction_uuids
        )
        if wanted and entry.amount > 0 and entry.reverses is None and _pending(entry, now):
            _activate(entry, now)
            activated.append(entry)
    return activated


def _pending(entry: LedgerEntry, now: datetime) -> bool:
    if entry.awaits_activation and entry.start_date is None:
        return True
    return entry.start_date is not None and entry.start_date > now


def _activate(entry: LedgerEntry, now: datetime) -> None:
    entry.start_date = now
    if entry.validity_duration and entry.expiry_date is None:
        entry.expiry_date = add_duration(now, entry.validity_duration)


def transaction_type(entry: LedgerEntry) -> str:
    """``session``, ``manual`` or ``import`` (INF: entries without a session are ``manual`` unless seeded)."""
    return entry.transaction_type or ("session" if entry.session_id else "manual")


@dataclass(frozen=True)
class EntryFilter:
    """The subledgers, sessions and transaction UUIDs a listing keeps (an empty list keeps all)."""

    sub_ledgers: list[str]
    sessions: list[str]
    transaction_uuids: list[str]

    def keeps(self, entry: LedgerEntry) -> bool:
        """Whether ``entry`` passes the filter."""
        return (
            (not self.sub_ledgers or entry.sub_ledger_id in self.sub_ledgers)
            and (not self.sessions or entry.session_id in self.sessions)
            and (not self.transaction_uuids or entry.transaction_uuid in self.transaction_uuids)
        )


def transactions(
    app: Application,
    entries: list[LedgerEntry],
    wanted: EntryFilter,
    *,
    kind: str | None,
    start: datetime | None,
    end: datetime | None,
    awaiting: bool,
) -> list[LedgerEntry]:
    """The transaction log entries that pass the filters (``kind``: manual, session or import; created between
    ``start`` and ``end`` inclusive; with ``awaiting``, only those awaiting activation), newest first."""
    now = app.now()
    chosen = [
        e
        for e in entries
        if e.amount != 0
        and wanted.keeps(e)
        and (kind is None or transaction_type(e) == kind)
        and (start is None or e.created >= start)
        and (end is None or e.created <= end)
        and (not awaiting or (e.awaits_activation and (e.expiry_date or _FAR) > now))
    ]
    chosen.sort(key=lambda e: (e.created, e.id), reverse=True)
    return chosen


def unused_points(
    app: Application, entries: list[LedgerEntry], wanted: EntryFilter, *, status: str, sort: str | None
) -> list[Bucket]:
    """The unused parts of the additions of one ``status`` that pass the filter, oldest first or by ``sort``
    (``startDate``, ``expiryDate``, ``-`` for descending)."""
    chosen = [
        b for b in buckets_now(app, entries) if b.status() == status and b.remaining > 0 and wanted.keeps(b.entry)
    ]
    chosen.sort(key=lambda b: (b.entry.created, b.entry.id))
    if sort is not None:
        field = sort.lstrip("-")
        chosen.sort(key=lambda b: _sort_key(b.entry, field), reverse=sort.startswith("-"))
    return chosen


def _sort_key(entry: LedgerEntry, field: str) -> datetime:
    if field == "startDate":
        return entry.start_date or (_FAR if entry.awaits_activation else entry.created)
    return entry.expiry_date or _FAR


def balances_at(
    program: LoyaltyProgram, entries: list[LedgerEntry], at: datetime, sub_ledgers: list[str] | None
) -> tuple[Balance, dict[str, Balance]]:
    """The main ledger's balance of these entries at ``at`` and the balances of ``sub_ledgers`` (None: the
    program's declared subledgers and those with entries), by name in that order."""
    replays = balances_by_subledger(entries, at)
    main = replays.pop("", None)
    names = sub_ledgers if sub_ledgers is not None else list(dict.fromkeys([*program.sub_ledgers, *replays]))
    subs = {name: replays[name].balance if name in replays else Balance() for name in names if name}
    return (main.balance if main else Balance()), subs
