"""Seeding the part-2 domains into an Application, from Python keyword arguments or campaigns-file sections.

Campaigns-file sections (top-level keys beside ``campaigns``, keys in camelCase or snake_case)::

    loyaltyPrograms: [{id: 1, name: Points, tiers: [{name: Gold, minPoints: 500}], defaultValidity: 1Y}]
    loyaltyCards:    [{programId: 2, identifier: CARD-0001, profiles: [alice]}]
    loyaltyPoints:   [{programId: 1, profile: alice, amount: 100}]
    audiences:       [{id: 7, name: VIP, members: [alice]}]
    catalogs:        [{id: 1, name: main, items: [{sku: A1, price: 10, attributes: {color: red}}]}]
    achievements:    [{id: 1, name: FiveOrders, title: Five orders, target: 5, campaignId: 1}]
    priceHistory:    [{sku: A1, price: 9.5, observedAt: "2026-01-01T00:00:00Z", contextId: summer}]
    giveaways:       [{poolId: 1, code: GIFT-0001, profile: alice}]
"""

from __future__ import annotations

import dataclasses
import re
import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from pytest_talon.fake.api.audiences import seed_audience
from pytest_talon.fake.api.catalogs import seed_catalog
from pytest_talon.fake.api.giveaways import seed_giveaway
from pytest_talon.fake.api.loyalty_cards import create_card
from pytest_talon.fake.api.pricing import seed_price
from pytest_talon.fake.errors import FakeError, FakeSetupError
from pytest_talon.fake.state.achievements import AchievementDef, ProgressEntry, recorded
from pytest_talon.fake.state.application import Application
from pytest_talon.fake.state.clock import FakeClock
from pytest_talon.fake.state.ledger import LedgerEntry
from pytest_talon.fake.state.programs import CardRecord, LoyaltyProgram

__all__ = [
    "SECTIONS",
    "apply_sections",
    "check_sections",
    "seed_achievement",
    "seed_achievement_progress",
    "seed_card",
    "seed_points",
    "seed_program",
]


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
    amount: float,
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
        amount=float(amount),
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


def _program(app: Application, raw: dict[str, Any]) -> LoyaltyProgram:
    for key in ("sub_ledgers", "tiers"):
        if key in raw:
            raw[key] = tuple(raw[key])
    return seed_program(app, **raw)


#: Campaigns-file section -> what stores one item of it (kwargs already snake_case, dates parsed).
SECTIONS: dict[str, Callable[[Application, dict[str, Any]], Any]] = {
    "loyaltyPrograms": _program,
    "loyaltyCards": lambda app, raw: seed_card(app, **raw),
    "loyaltyPoints": lambda app, raw: seed_points(app, **raw),
    "audiences": lambda app, raw: seed_audience(app, **raw),
    "catalogs": lambda app, raw: seed_catalog(app, **raw),
    "achievements": lambda app, raw: seed_achievement(app, **raw),
    "priceHistory": lambda app, raw: seed_price(app, **raw),
    "giveaways": lambda app, raw: seed_giveaway(app, **raw),
}

_DATE_KEYS = re.compile(r"(_date|_at|^created)$")


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _kwargs(raw: Any) -> dict[str, Any]:
    if not isinstance(raw, Mapping):
        raise FakeSetupError(f"must be a mapping, got {raw!r}")
    out: dict[str, Any] = {}
    for key, value in raw.items():
        name = _snake(str(key))
        if isinstance(value, str) and _DATE_KEYS.search(name):
            try:
                value = datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                raise FakeSetupError(f"{key}: {value!r} is not an RFC3339 date-time") from None
        out[name] = value
    return out


def apply_sections(app: Application, sections: Mapping[str, Any], where: str = "<mapping>") -> None:
    """Store every item of the part-2 sections; errors name the file, section, item and field."""
    for section, store in SECTIONS.items():
        items = sections.get(section) or []
        if not isinstance(items, list):
            raise FakeSetupError(f"{where}: {section} must be a list, got {items!r}")
        for index, raw in enumerate(items):
            try:
                store(app, _kwargs(raw))
            except FakeSetupError as exc:
                raise FakeSetupError(f"{where}: {section} #{index + 1}: {exc}") from None


def check_sections(sections: Mapping[str, Any], where: str = "<mapping>") -> None:
    """Validate part-2 sections without touching any fake (on a scratch Application)."""
    apply_sections(Application(clock=FakeClock()), sections, where)
