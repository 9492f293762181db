"""Seeding: storing what a test declares (loyalty programs, cards and points, achievements and their progress,
coupons, referrals, evaluation groups) into an Application; every function raises :class:`FakeSetupError` on bad
input. Audiences, catalogs, price history and giveaways are seeded by their domain's module in
:mod:`pytest_talon.fake.api`, next to the handlers that write the same records."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from pytest_talon.fake.api.loyalty_cards import create_card
from pytest_talon.fake.errors import FakeError, FakeSetupError
from pytest_talon.fake.rules.groups import EvaluationGroup
from pytest_talon.fake.state.achievements import AchievementDef, ProgressEntry, recorded
from pytest_talon.fake.state.amounts import dec
from pytest_talon.fake.state.application import Application
from pytest_talon.fake.state.ledger import LedgerEntry
from pytest_talon.fake.state.programs import CardRecord, LoyaltyProgram
from pytest_talon.fake.state.records import CouponRecord, ReferralRecord

__all__ = [
    "seed_achievement",
    "seed_achievement_progress",
    "seed_card",
    "seed_coupon",
    "seed_group",
    "seed_points",
    "seed_program",
    "seed_referral",
]

_COUPON_FIELDS = {
    "usage_limit",
    "profile_usage_limit",
    "discount_limit",
    "start_date",
    "expiry_date",
    "recipient_integration_id",
    "attributes",
    "reservation",
    "is_reservation_mandatory",
    "reserved_by",
    "batch_id",
}
_REFERRAL_FIELDS = {"friend", "start_date", "expiry_date", "usage_limit", "attributes", "batch_id"}


def seed_coupon(app: Application, value: str, campaign_id: int, **fields: Any) -> CouponRecord:
    """Store a new coupon; raises :class:`FakeSetupError` for an unknown campaign, a duplicate or a bad field."""
    _check_fields("add_coupon", fields, _COUPON_FIELDS)
    if len(value) < 4:
        raise FakeSetupError(f"add_coupon: coupon value {value!r} is shorter than 4 characters (the API's minimum)")
    if campaign_id not in app.campaigns:
        raise FakeSetupError(f"add_coupon: campaign {campaign_id} does not exist; add it first with add_campaign()")
    if value in app.coupons:
        raise FakeSetupError(f"add_coupon: coupon {value!r} already exists")
    _check_dates("add_coupon", fields)
    record = CouponRecord(id=app.next_id("coupon"), value=value, campaign_id=campaign_id, created=app.now(), **fields)
    record.reserved_by = list(record.reserved_by)
    app.coupons[value] = record
    return record


def seed_referral(app: Application, code: str, campaign_id: int, advocate: str, **fields: Any) -> ReferralRecord:
    """Store a new referral code; raises :class:`FakeSetupError` for an unknown campaign, a duplicate or a bad field."""
    _check_fields("add_referral", fields, _REFERRAL_FIELDS)
    if len(code) < 4:
        raise FakeSetupError(f"add_referral: referral code {code!r} is shorter than 4 characters (the API's minimum)")
    if campaign_id not in app.campaigns:
        raise FakeSetupError(f"add_referral: campaign {campaign_id} does not exist; add it first with add_campaign()")
    if code in app.referrals:
        raise FakeSetupError(f"add_referral: referral {code!r} already exists")
    _check_dates("add_referral", fields)
    friend = fields.pop("friend", None)
    record = ReferralRecord(
        id=app.next_id("referral"),
        code=code,
        campaign_id=campaign_id,
        advocate_profile_integration_id=advocate,
        friend_profile_integration_id=friend,
        created=app.now(),
        **fields,
    )
    app.referrals[code] = record
    app.profile_or_create(advocate)
    return record


def seed_program(app: Application, program: LoyaltyProgram | None = None, **fields: Any) -> LoyaltyProgram:
    """Store a loyalty program (a :class:`LoyaltyProgram` or its fields); raises :class:`FakeSetupError`."""
    if program is None:
        program = _build(LoyaltyProgram, fields)
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


def seed_achievement(app: Application, **fields: Any) -> AchievementDef:
    """Store an achievement (``name``, ``title``, ``target``, ``campaign_id``; ``id`` assigned when omitted)."""
    fields.setdefault("id", max(app.achievements, default=0) + 1)
    fields.setdefault("created", app.now())
    achievement: AchievementDef = _build(AchievementDef, fields)
    if achievement.id in app.achievements:
        raise FakeSetupError(f"add_achievement: achievement {achievement.id} already exists")
    app.achievements[achievement.id] = achievement
    return achievement


def seed_achievement_progress(
    app: Application, profile: str, achievement_id: int, delta: float = 1.0, at: datetime | None = None
) -> None:
    """Record progress of a profile in an achievement (at ``at``, default now)."""
    if achievement_id not in app.achievements:
        raise FakeSetupError(f"add_achievement_progress: achievement {achievement_id} does not exist")
    app.profile_or_create(profile)
    recorded(app).append(ProgressEntry(achievement_id, profile, at or app.now(), float(delta)))


def _build(cls: type[Any], fields: Mapping[str, Any]) -> Any:
    known = {f.name for f in dataclasses.fields(cls)}
    unknown = set(fields) - known
    if unknown:
        raise FakeSetupError(f"unknown field(s) {sorted(unknown)} for {cls.__name__}; known: {sorted(known)}")
    try:
        return cls(**fields)
    except TypeError as exc:
        raise FakeSetupError(f"{cls.__name__}: {exc}") from None


def seed_group(app: Application, group: EvaluationGroup) -> EvaluationGroup:
    """Store a group (assigning the next id when ``id`` is 0) after checking its campaigns exist and are ungrouped."""
    if group.id == 0:
        group = dataclasses.replace(group, id=max(app.evaluation_groups, default=0) + 1)
    if group.id in app.evaluation_groups:
        raise FakeSetupError(f"id: evaluation group {group.id} already exists; omit id to get the next one")
    for campaign_id in group.campaigns:
        if campaign_id not in app.campaigns:
            raise FakeSetupError(f"campaigns: campaign {campaign_id} does not exist; add the campaigns first")
        other = next((g for g in app.evaluation_groups.values() if campaign_id in g.campaigns), None)
        if other is not None:
            raise FakeSetupError(f"campaigns: campaign {campaign_id} is already in evaluation group {other.id}")
    app.evaluation_groups[group.id] = group
    return group


def _check_fields(where: str, fields: dict[str, Any], known: set[str]) -> None:
    unknown = set(fields) - known
    if unknown:
        raise FakeSetupError(f"{where}: unknown field(s) {sorted(unknown)}; known: {sorted(known)}")


def _check_dates(where: str, fields: dict[str, Any]) -> None:
    for name in ("start_date", "expiry_date"):
        when = fields.get(name)
        if when is not None and (not isinstance(when, datetime) or when.tzinfo is None):
            raise FakeSetupError(f"{where}: {name} must be an aware datetime, got {when!r}")
