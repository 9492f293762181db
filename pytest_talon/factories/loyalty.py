"""Factories for loyalty request bodies: cards, card registration, point activation, transaction deletion."""

from __future__ import annotations

from typing import ClassVar

from pytest_talon.factories._core import Factory, Traits
from pytest_talon.factories._fields import UNSET, Use
from pytest_talon.factories._helpers import OMIT, distinct
from pytest_talon.models import (
    ActivateLoyaltyPoints,
    DeleteLoyaltyTransactionsRequest,
    GenerateLoyaltyCard,
    LoyaltyCardRegistration,
)

__all__ = [
    "ActivateLoyaltyPointsFactory",
    "DeleteLoyaltyTransactionsRequestFactory",
    "GenerateLoyaltyCardFactory",
    "LoyaltyCardRegistrationFactory",
]


class ActivateLoyaltyPointsFactory(Factory[ActivateLoyaltyPoints]):
    """The body of ``activate_loyalty_points``: a session ID, or (trait ``by_transactions``) 1-3 distinct
    transaction UUIDs; never both, as the API requires."""

    __model__ = ActivateLoyaltyPoints
    __traits__: ClassVar[Traits] = {
        "by_transactions": {
            "session_id": OMIT,
            "transaction_uui_ds": Use(lambda g, d: distinct(g, g.talon.talon_uuid, 1, 3)),
        }
    }
    session_id = Use(lambda g, d: UNSET if d.get("transaction_uui_ds") else g.talon.session_integration_id())


class DeleteLoyaltyTransactionsRequestFactory(Factory[DeleteLoyaltyTransactionsRequest]):
    """The body of ``delete_loyalty_transactions_from_ledgers``: all subledgers, or (trait
    ``selected_subledgers``) 1-2 named subledgers; ``subledgerIds`` is set exactly when the scope needs it."""

    __model__ = DeleteLoyaltyTransactionsRequest
    __traits__: ClassVar[Traits] = {"selected_subledgers": {"scope": "SelectedSubledgers"}}
    scope = "AllSubledgers"
    subledger_ids = Use(
        lambda g, d: (
            distinct(g, lambda: g.random.choice(("", "points-eu", "points-us", "vip")), 1, 2)
            if d.get("scope") == "SelectedSubledgers"
            else UNSET
        )
    )


class GenerateLoyaltyCardFactory(Factory[GenerateLoyaltyCard]):
    """The body of ``generate_loyalty_card``: an active card with an identifier matching the spec's pattern.
    Traits: ``inactive``, ``with_profile`` (linked to one profile), ``generated_identifier`` (no identifier:
    Talon.One generates one)."""

    __model__ = GenerateLoyaltyCard
    __traits__: ClassVar[Traits] = {
        "inactive": {"status": "inactive"},
        "with_profile": {"customer_profile_ids": Use(lambda g, d: [g.talon.profile_integration_id()])},
        "generated_identifier": {"card_identifier": OMIT},
    }
    status = "active"
    card_identifier = Use(lambda g, d: g.talon.loyalty_card_identifier())


class LoyaltyCardRegistrationFactory(Factory[LoyaltyCardRegistration]):
    """The body of ``link_loyalty_card_to_profile`` / ``unlink_loyalty_card_from_profile``."""

    __model__ = LoyaltyCardRegistration
    integration_id = Use(lambda g, d: g.talon.profile_integration_id())
