"""The campaigns-file sections beside ``campaigns``, ``evaluationGroups``, ``coupons`` and ``referrals``: each
item is stored by one seeding function (:data:`SECTIONS`); keys in camelCase or snake_case, dates as RFC3339::

    loyaltyPrograms: [{id: 1, name: Points, tiers: [{name: Gold, minPoints: 500}], defaultValidity: 1Y}]
    loyaltyCards:    [{programId: 2, identifier: CARD-0001, profiles: [alice]}]
    loyaltyPoints:   [{programId: 1, profile: alice, amount: 100}]
    audiences:       [{id: 7, name: VIP, members: [alice]}]
    catalogs:        [{id: 1, name: main, items: [{sku: A1, price: 10, attributes: {color: red}}]}]
    achievements:    [{id: 1, name: FiveOrders, title: Five orders, target: 5, campaignId: 1}]
    priceHistory:    [{sku: A1, price: 9.5, observedAt: "2026-01-01T00:00:00Z", contextId: summer}]
    giveaways:       [{poolId: 1, code: GIFT-0001, profile: alice}]
    webhooks:        [{id: 1, name: order, url: "http://127.0.0.1:9000/hook", payload: {session: "${sessionId}"}}]
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from pytest_talon._time import parse_rfc3339
from pytest_talon.fake.backend.achievements import seed_achievement
from pytest_talon.fake.backend.audiences import seed_audience
from pytest_talon.fake.backend.catalogs import seed_catalog
from pytest_talon.fake.backend.giveaways import seed_giveaway
from pytest_talon.fake.backend.loyalty import seed_card, seed_points, seed_program
from pytest_talon.fake.backend.pricing import seed_price
from pytest_talon.fake.errors import FakeSetupError
from pytest_talon.fake.setup.webhooks import seed_webhook
from pytest_talon.fake.state.application import Application
from pytest_talon.fake.state.clock import FakeClock
from pytest_talon.fake.state.programs import LoyaltyProgram

__all__ = ["SECTIONS", "apply_sections", "check_sections"]


def _program(app: Application, raw: dict[str, Any]) -> LoyaltyProgram:
    for key in ("sub_ledgers", "tiers"):
        if key in raw:
            raw[key] = tuple(raw[key])
    return seed_program(app, **raw)


#: Campaigns-file section -> what stores one item of it (kwargs already snake_case, dates parsed); a new section
#: gets its entry here and its seeding function in :mod:`.seeding` (or its domain's handler module).
SECTIONS: dict[str, Callable[[Application, dict[str, Any]], Any]] = {
    "loyaltyPrograms": _program,
    "loyaltyCards": lambda app, raw: seed_card(app, **raw),
    "loyaltyPoints": lambda app, raw: seed_points(app, **raw),
    "audiences": lambda app, raw: seed_audience(app, **raw),
    "catalogs": lambda app, raw: seed_catalog(app, **raw),
    "achievements": lambda app, raw: seed_achievement(app, **raw),
    "priceHistory": lambda app, raw: seed_price(app, **raw),
    "giveaways": lambda app, raw: seed_giveaway(app, **raw),
    "webhooks": lambda app, raw: seed_webhook(app, **raw),
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
                value = parse_rfc3339(value)
            except ValueError:
                raise FakeSetupError(f"{key}: {value!r} is not an RFC3339 date-time") from None
        out[name] = value
    return out


def apply_sections(app: Application, sections: Mapping[str, Any], where: str = "<mapping>") -> None:
    """Store every item of the sections; errors name the file, section, item and field."""
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
    """Validate sections without touching any fake (on a scratch Application)."""
    apply_sections(Application(clock=FakeClock()), sections, where)
