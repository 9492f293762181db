"""Loyalty state to response models: balances, tiers, ledger infos, transaction and points entries, cards."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pytest_talon import models
from pytest_talon._time import format_rfc3339
from pytest_talon.fake.engine.context import number
from pytest_talon.fake.errors import BadRequest, NotFound
from pytest_talon.fake.state.application import Application
from pytest_talon.fake.state.ledger import LedgerEntry
from pytest_talon.fake.state.points import Balance, Bucket, balances_by_subledger, replay
from pytest_talon.fake.state.programs import CardRecord, LoyaltyProgram, TierLevel

__all__ = [
    "balance_model",
    "balance_with_tier",
    "card_entries",
    "card_model",
    "ledger_info",
    "loyalty_section",
    "points_entry",
    "profile_entries",
    "program_of",
    "start_text",
    "expiry_text",
    "tier_fields",
    "transaction_entry",
]


def program_of(app: Application, program_id: int, *, card_based: bool | None = None) -> LoyaltyProgram:
    """The declared program (or an implicit profile program that already has ledger entries); 404 otherwise.

    ``card_based`` set: 400 when the program is of the other kind.
    """
    program: LoyaltyProgram | None = app.loyalty_programs.get(program_id)
    if program is None and app.loyalty.entries(program_id):
        program = LoyaltyProgram(id=program_id, name=f"program-{program_id}")
    if program is None:
        raise NotFound(f"loyalty program {program_id} not found; declare it with fake.add_loyalty_program()")
    if card_based is not None and program.card_based != card_based:
        kind = "card-based" if program.card_based else "profile-based"
        use = "the /cards/{loyaltyCardId} endpoints" if program.card_based else "the /profile/{integrationId} endpoints"
        raise BadRequest(f"loyalty program {program_id} is {kind}; use {use}", parameter="loyaltyProgramId")
    return program


def profile_entries(app: Application, program_id: int, profile_id: str) -> list[LedgerEntry]:
    """The profile's entries in a profile-based program, oldest first."""
    return [e for e in app.loyalty.entries(program_id, profile_id) if e.card_identifier is None]


def card_entries(app: Application, program_id: int, identifier: str) -> list[LedgerEntry]:
    """The card's entries, oldest first."""
    return [e for e in app.loyalty.entries(program_id) if e.card_identifier == identifier]


def tier_fields(program: LoyaltyProgram, points: Decimal) -> dict[str, Any]:
    """``currentTier``, ``pointsToNextTier`` and ``nextTierName`` for this many active points (no tiers: {})."""
    if not program.tiers:
        return {}
    current: TierLevel | None = None
    for tier in program.tiers:
        if points >= tier.min_points:
            current = tier
    above = [t for t in program.tiers if t.min_points > points]
    out: dict[str, Any] = {"next_tier_name": above[0].name if above else None}
    if current is not None:
        out["current_tier"] = models.Tier(id=program.tier_id(current), name=current.name)
    if above:
        out["points_to_next_tier"] = number(above[0].min_points - points)
    return out


def _tier_name(program: LoyaltyProgram, points: Decimal) -> str | None:
    names = [t.name for t in program.tiers if points >= t.min_points]
    return names[-1] if names else None


def balance_model(balance: Balance) -> models.LoyaltyBalance:
    """A :class:`Balance` as ``LoyaltyBalance``."""
    return models.LoyaltyBalance(
        active_points=number(balance.active),
        pending_points=number(balance.pending),
        expired_points=number(balance.expired),
        spent_points=number(balance.spent),
        negative_points=number(balance.negative),
    )


def balance_with_tier(
    program: LoyaltyProgram, balance: Balance, tiers: bool, projected: bool
) -> models.LoyaltyBalanceWithTier:
    """A :class:`Balance` as ``LoyaltyBalanceWithTier``, with tier fields and the projected tier on request."""
    extra: dict[str, Any] = tier_fields(program, balance.active) if tiers else {}
    if projected and program.tiers:
        points = balance.active + balance.pending
        current = _tier_name(program, balance.active)
        floor = next((t.min_points for t in program.tiers if t.name == current), Decimal(0))
        extra["projected_tier"] = models.ProjectedTier(
            projected_active_points=number(points),
            projected_tier_name=_tier_name(program, points),
            stay_in_tier_points=number(max(Decimal(0), floor - points)),
        )
    return models.LoyaltyBalanceWithTier(**balance_model(balance).model_dump(), **extra)


def ledger_info(program: LoyaltyProgram, balance: Balance, tentative: Decimal = Decimal(0)) -> models.LedgerInfo:
    """A :class:`Balance` as ``LedgerInfo``; ``tentative`` (the open session's net points) goes to the tentative
    pending balance when the program's additions start pending. ``expiredBalance``/``spentBalance`` are always 0."""
    extra = {k: v for k, v in tier_fields(program, balance.active).items() if v is not None}
    to_pending = tentative if tentative > 0 and program.default_pending != "immediate" else Decimal(0)
    return models.LedgerInfo(
        current_balance=number(balance.active),
        pending_balance=number(balance.pending),
        expired_balance=0,
        spent_balance=0,
        tentative_current_balance=number(max(Decimal(0), balance.active + tentative - to_pending)),
        negative_balance=number(balance.negative),
        tentative_pending_balance=number(balance.pending + to_pending),
        **extra,
    )


def _ledgers(
    app: Application, program: LoyaltyProgram, entries: list[LedgerEntry], tentative: Decimal = Decimal(0)
) -> tuple[models.LedgerInfo, dict[str, models.LedgerInfo]]:
    replays = balances_by_subledger(entries, app.now())
    main = replays.pop("", None)
    subs = {s: ledger_info(program, r.balance) for s, r in replays.items()}
    for name in program.sub_ledgers:
        subs.setdefault(name, ledger_info(program, Balance()))
    return ledger_info(program, main.balance if main else Balance(), tentative), subs


def loyalty_section(app: Application, profile_id: str, tentative: dict[int, Decimal]) -> models.Loyalty:
    """The profile's ``Loyalty``: its ledger per profile program (key: program id) and the cards linked to it."""
    programs: dict[str, models.LoyaltyProgramLedgers] = {}
    ids = [*app.loyalty.programs_of(profile_id), *tentative]
    for program_id in dict.fromkeys(ids):
        program = app.loyalty_programs.get(program_id) or LoyaltyProgram(id=program_id, name=f"program-{program_id}")
        if program.card_based:
            continue
        entries = profile_entries(app, program_id, profile_id)
        main, subs = _ledgers(app, program, entries, tentative.get(program_id, Decimal(0)))
        programs[str(program_id)] = models.LoyaltyProgramLedgers(
            id=program_id,
            title=program.title,
            name=program.name,
            ledger=main,
            sub_ledgers=subs or None,
            join_date=entries[0].created if entries else None,
        )
    cards = [card_model(app, c) for c in app.loyalty_cards.values() if profile_id in c.profiles]
    return models.Loyalty(programs=programs, cards=cards or None)


def card_model(app: Application, card: CardRecord) -> models.LoyaltyCard:
    """A card as ``LoyaltyCard``, with its ledgers and linked profiles."""
    program = app.loyalty_programs[card.program_id]
    main, subs = _ledgers(app, program, card_entries(app, card.program_id, card.identifier))
    return models.LoyaltyCard(
        id=card.id,
        created=card.created,
        program_id=card.program_id,
        program_name=program.name,
        program_title=program.title,
        status=card.status,
        identifier=card.identifier,
        users_per_card_limit=program.users_per_card_limit,
        profiles=[
            models.LoyaltyCardProfileRegistration(integration_id=p, timestamp=t) for p, t in card.profiles.items()
        ],
        ledger=main,
        subledgers=subs or None,
        modified=card.modified,
        block_reason=card.block_reason,
    )


def start_text(entry: LedgerEntry) -> str:
    """``startDate`` as the log shows it: ``immediate``, ``on_action`` or an RFC3339 timestamp."""
    if entry.start_date is not None:
        return format_rfc3339(entry.start_date)
    return "on_action" if entry.awaits_activation else "immediate"


def expiry_text(entry: LedgerEntry) -> str:
    """``expiryDate`` as the log shows it: ``unlimited`` or an RFC3339 timestamp."""
    return format_rfc3339(entry.expiry_date) if entry.expiry_date is not None else "unlimited"


def _common(entry: LedgerEntry, amount: Decimal) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": entry.id,
        "transaction_uuid": entry.transaction_uuid,
        "created": entry.created,
        "program_id": entry.program_id,
        "name": entry.name[:255],
        "start_date": start_text(entry),
        "expiry_date": expiry_text(entry),
        "subledger_id": entry.sub_ledger_id,
        "amount": number(amount),
    }
    if entry.session_id:
        out["customer_session_id"] = entry.session_id
    if entry.validity_duration:
        out["validity_duration"] = entry.validity_duration
    return out


def transaction_entry(
    entry: LedgerEntry, card: bool
) -> models.LedgerTransactionLogEntryIntegrationAPI | models.CardLedgerTransactionLogEntryIntegrationAPI:
    """One ledger entry as a transaction log entry (profile or card variant); ``amount`` is always positive."""
    fields = {**_common(entry, abs(entry.amount)), "type": entry.type}
    if card:
        return models.CardLedgerTransactionLogEntryIntegrationAPI(**fields, card_identifier=entry.card_identifier)
    return models.LedgerTransactionLogEntryIntegrationAPI(**fields)


def points_entry(
    bucket: Bucket, card: bool
) -> models.LedgerPointsEntryIntegrationAPI | models.CardLedgerPointsEntryIntegrationAPI:
    """The unused part of one addition as a points entry (profile or card variant)."""
    fields = _common(bucket.entry, bucket.remaining)
    if card:
        return models.CardLedgerPointsEntryIntegrationAPI(**fields, customer_profile_id=bucket.entry.profile_id or None)
    return models.LedgerPointsEntryIntegrationAPI(**fields)


def buckets_now(app: Application, entries: list[LedgerEntry]) -> list[Bucket]:
    """Every bucket of these entries (all subledgers) as of now."""
    out: list[Bucket] = []
    for sub in dict.fromkeys(e.sub_ledger_id for e in entries):
        out.extend(replay([e for e in entries if e.sub_ledger_id == sub], app.now()).buckets)
    return out
