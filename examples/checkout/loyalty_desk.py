"""The shop's loyalty desk, built on the official Talon.One SDK (``pip install talon-one-sdk``, it speaks urllib3).

It registers customers and tells them what their next order earns. pytest-talon tests it through the ``talon_sdk``
fixture: the same code runs against the fake, a cassette or a deployment, with no glue in the tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import talon_one  # type: ignore[import-untyped]


@dataclass(frozen=True)
class Preview:
    """What an order would bring the customer, without placing it (a dry run)."""

    points: Decimal
    free_items: tuple[str, ...]
    discount: Decimal


class LoyaltyDesk:
    """Customer-facing loyalty features, talking to Talon.One through ``talon_one.IntegrationApi``."""

    def __init__(self, api: talon_one.IntegrationApi) -> None:
        self._api = api

    def register(self, customer_id: str, name: str, tier: str = "basic") -> dict[str, Any]:
        """Create or update the customer's profile; returns the stored attributes."""
        body = talon_one.CustomerProfileIntegrationRequestV2(
            attributes={"Name": name, "Tier": tier}, response_content=["customerProfile"]
        )
        state = self._api.update_customer_profile_v2(customer_id, body, run_rule_engine=True)
        return dict(state.customer_profile.attributes or {})

    def preview(self, customer_id: str, skus: dict[str, tuple[int, Decimal]], coupon: str | None = None) -> Preview:
        """What ordering ``skus`` (sku -> quantity, unit price) would earn: points, gifts and discount."""
        session = talon_one.NewCustomerSessionV2(
            profile_id=customer_id,
            coupon_codes=[coupon] if coupon else None,
            cart_items=[
                talon_one.CartItem(sku=sku, quantity=quantity, price=float(price))
                for sku, (quantity, price) in skus.items()
            ],
        )
        request = talon_one.IntegrationRequest(customer_session=session, response_content=["customerSession"])
        state = self._api.update_customer_session_v2(f"preview-{customer_id}", request, dry=True)
        points, discount, free = Decimal("0"), Decimal("0"), []
        for effect in state.effects:
            props = effect.props if isinstance(effect.props, dict) else effect.props.to_dict()
            if effect.effect_type == "addLoyaltyPoints":
                points += Decimal(str(props["value"]))
            elif effect.effect_type == "setDiscount":
                discount += Decimal(str(props["value"]))
            elif effect.effect_type == "addFreeItem":
                free.append(props["sku"])
        return Preview(points=points, free_items=tuple(free), discount=discount)
