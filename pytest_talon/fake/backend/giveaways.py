"""Giveaway codes a test hands to customers, the inventory's ``giveaways`` section and erasing customer data.

:func:`erase_customer` is what ``deleteCustomerData`` does beyond sessions and profiles (INF): the profile's loyalty
transactions and achievement progress are deleted, it is unlinked from cards, and its giveaways lose their
attributes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pytest_talon import models
from pytest_talon.fake.backend.encode import build
from pytest_talon.fake.errors import FakeSetupError
from pytest_talon.fake.state.achievements import recorded
from pytest_talon.fake.state.application import Application

__all__ = ["GiveawayRecord", "erase_customer", "giveaway_model", "inventory_giveaways", "seed_giveaway"]


@dataclass
class GiveawayRecord:
    """A giveaway code of a pool, awarded to a profile (or not yet)."""

    id: int
    pool_id: int
    code: str
    created: datetime
    profile_integration_id: str | None = None
    start_date: datetime | None = None
    end_date: datetime | None = None
    attributes: dict[str, Any] = field(default_factory=dict)
    used: bool = False


def _store(app: Application) -> list[GiveawayRecord]:
    found: list[GiveawayRecord] = app.extra.setdefault("giveaways", [])
    return found


def seed_giveaway(
    app: Application, pool_id: int, code: str, *, profile: str | None = None, **fields: Any
) -> GiveawayRecord:
    """Store a giveaway code (``start_date``, ``end_date``, ``attributes``, ``used``), awarded to ``profile``."""
    unknown = set(fields) - {"start_date", "end_date", "attributes", "used"}
    if unknown:
        raise FakeSetupError(
            f"add_giveaway: unknown field(s) {sorted(unknown)}; known: attributes, end_date, start_date, used"
        )
    if any(g.code == code and g.pool_id == pool_id for g in _store(app)):
        raise FakeSetupError(f"add_giveaway: code {code!r} already exists in pool {pool_id}")
    if profile is not None:
        app.profile_or_create(profile)
    record = GiveawayRecord(
        id=app.next_id("giveaway"),
        pool_id=pool_id,
        code=code,
        created=app.now(),
        profile_integration_id=profile,
        **fields,
    )
    _store(app).append(record)
    return record


def giveaway_model(app: Application, rec: GiveawayRecord) -> models.Giveaway:
    """A giveaway as ``Giveaway``."""
    owner = app.profiles.get(rec.profile_integration_id or "")
    return build(
        models.Giveaway,
        id=rec.id,
        pool_id=rec.pool_id,
        code=rec.code,
        created=rec.created,
        profile_integration_id=rec.profile_integration_id,
        profile_id=owner.id if owner is not None else None,
        start_date=rec.start_date,
        end_date=rec.end_date,
        attributes=rec.attributes,
        used=rec.used,
    )


def inventory_giveaways(app: Application, profile_id: str) -> list[models.Giveaway]:
    """The giveaways awarded to the profile, oldest first."""
    return [giveaway_model(app, g) for g in _store(app) if g.profile_integration_id == profile_id]


def erase_customer(app: Application, profile_id: str) -> None:
    """Forget the profile's other data: loyalty transactions, card links, achievement progress, giveaway attributes."""
    app.loyalty.remove([e for e in app.loyalty.entries(profile_id=profile_id) if e.card_identifier is None])
    for card in app.loyalty_cards.values():
        card.profiles.pop(profile_id, None)
    progress = recorded(app)
    progress[:] = [p for p in progress if p.profile_id != profile_id]
    for giveaway in _store(app):
        if giveaway.profile_integration_id == profile_id:
            giveaway.attributes = {}
