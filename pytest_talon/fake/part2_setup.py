"""The part-2 setup and inspection helpers of :class:`~pytest_talon.fake.FakeTalon` (mixed into it).

Loyalty programs and cards, imported points, audiences, catalogs, achievements and their progress, price
history and giveaways; every helper validates its input and raises :class:`~.errors.FakeSetupError`.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from pytest_talon import models
from pytest_talon.fake.api.audiences import audience_model, seed_audience
from pytest_talon.fake.api.catalogs import catalog_model, seed_catalog
from pytest_talon.fake.api.giveaways import giveaway_model, seed_giveaway
from pytest_talon.fake.api.loyalty_views import card_entries, card_model, profile_entries
from pytest_talon.fake.api.pricing import seed_price
from pytest_talon.fake.errors import NotFound
from pytest_talon.fake.part2_seed import (
    apply_sections,
    seed_achievement,
    seed_achievement_progress,
    seed_card,
    seed_points,
    seed_program,
)
from pytest_talon.fake.state.achievements import AchievementDef
from pytest_talon.fake.state.application import Application
from pytest_talon.fake.state.points import Balance, balances_by_subledger
from pytest_talon.fake.state.programs import LoyaltyProgram

__all__ = ["Part2Setup"]


class Part2Setup:
    """Setup helpers for loyalty, audiences, catalogs, achievements, price history and giveaways."""

    app: Application
    _lock: threading.RLock

    def add_loyalty_program(self, program: LoyaltyProgram | None = None, **fields: Any) -> LoyaltyProgram:
        """Declare a loyalty program: a :class:`LoyaltyProgram` or its fields (``id``, ``name``, ``card_based``...)."""
        with self._lock:
            return seed_program(self.app, program, **fields)

    def add_loyalty_card(
        self,
        program_id: int,
        identifier: str | None = None,
        *,
        profiles: Sequence[str] = (),
        status: str = "active",
    ) -> models.LoyaltyCard:
        """Create a card in a card-based program (identifier generated when omitted), linked to ``profiles``."""
        with self._lock:
            return card_model(
                self.app, seed_card(self.app, program_id, identifier, profiles=list(profiles), status=status)
            )

    def add_loyalty_points(self, program_id: int, amount: float, **fields: Any) -> str:
        """Import points for a ``profile=`` or a ``card=`` (``sub_ledger_id``, ``start_date``, ``expiry_date``,
        ``awaits_activation``, ``name``); a negative amount deducts. Returns the transaction UUID."""
        with self._lock:
            return seed_points(self.app, program_id, amount, **fields).transaction_uuid

    def loyalty_points(
        self, program_id: int, *, profile: str | None = None, card: str | None = None
    ) -> dict[str, Balance]:
        """The point totals now, per subledger (``""`` is the main ledger), of a profile or a card."""
        with self._lock:
            if card is not None:
                entries = card_entries(self.app, program_id, card)
            else:
                entries = profile_entries(self.app, program_id, profile or "")
            return {sub: r.balance for sub, r in balances_by_subledger(entries, self.app.now()).items()}

    def loyalty_card(self, identifier: str) -> models.LoyaltyCard:
        """The card with this identifier, as the API shows it; raises :class:`NotFound`."""
        with self._lock:
            card = self.app.loyalty_cards.get(identifier)
            if card is None:
                raise NotFound(f"no loyalty card {identifier!r} in the fake")
            return card_model(self.app, card)

    def add_audience(
        self, name: str, *, id: int | None = None, members: Sequence[str] = (), **fields: Any
    ) -> models.Audience:
        """Declare an audience (``description``, ``integration``, ``integration_id``, ``sandbox``) with members."""
        with self._lock:
            return audience_model(self.app, seed_audience(self.app, name, id=id, members=list(members), **fields))

    def add_catalog(
        self,
        id: int,
        name: str = "",
        *,
        items: Sequence[dict[str, Any]] = (),
        description: str = "",
    ) -> models.Catalog:
        """Declare a cart item catalog with items (``sku``, ``price``, ``attributes``, ``product``)."""
        with self._lock:
            return catalog_model(self.app, seed_catalog(self.app, id, name, items=list(items), description=description))

    def catalog_items(self, catalog_id: int) -> dict[str, dict[str, Any]]:
        """The items of a catalog by SKU (a copy); raises :class:`NotFound`."""
        with self._lock:
            found = self.app.catalogs.get(catalog_id)
            if found is None:
                raise NotFound(f"no catalog {catalog_id} in the fake")
            return {sku: dict(item) for sku, item in found.items.items()}

    def add_achievement(self, name: str, title: str, target: float, campaign_id: int, **fields: Any) -> AchievementDef:
        """Declare an achievement (``metric``, ``period``, ``fixed_start_date``, ``end_date``, ``id``...)."""
        with self._lock:
            return seed_achievement(self.app, name=name, title=title, target=target, campaign_id=campaign_id, **fields)

    def add_achievement_progress(
        self, profile: str, achievement_id: int, delta: float = 1.0, *, at: datetime | None = None
    ) -> None:
        """Record progress of a profile in an achievement (at ``at``, default now)."""
        with self._lock:
            seed_achievement_progress(self.app, profile, achievement_id, delta, at)

    def add_price_history(self, sku: str, price: float, observed_at: datetime, **fields: Any) -> None:
        """Record an observed price (``context_id``, ``audience_id``, ``influencing_campaigns``, ``adjustment``)."""
        with self._lock:
            seed_price(self.app, sku, price, observed_at, **fields)

    def add_giveaway(self, pool_id: int, code: str, *, profile: str | None = None, **fields: Any) -> models.Giveaway:
        """Create a giveaway code in a pool, awarded to ``profile`` when given."""
        with self._lock:
            return giveaway_model(self.app, seed_giveaway(self.app, pool_id, code, profile=profile, **fields))

    def load_sections(self, sections: Mapping[str, Any], where: str = "<mapping>") -> None:
        """Apply the part-2 sections of a campaigns file (``loyaltyPrograms``, ``audiences``, ``catalogs``...)."""
        with self._lock:
            apply_sections(self.app, sections, where)
