"""A small checkout service that prices carts with Talon.One: the kind of code pytest-talon is for.

It builds its own ``httpx.Client`` (as real services do), sends the cart as a customer session, and applies the
effects Talon.One answers with: discounts, free items, coupon rejections and loyalty points.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import httpx


@dataclass(frozen=True)
class Line:
    """One cart line."""

    sku: str
    quantity: int
    price: Decimal
    category: str = "general"


@dataclass
class Quote:
    """What the shop shows the customer after Talon.One evaluated the cart."""

    subtotal: Decimal
    discount: Decimal = Decimal("0")
    free_items: list[str] = field(default_factory=list)
    coupon_errors: dict[str, str] = field(default_factory=dict)
    loyalty_points: Decimal = Decimal("0")
    messages: list[str] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        """What the customer pays."""
        return max(self.subtotal - self.discount, Decimal("0"))


class TalonError(RuntimeError):
    """Talon.One did not answer as expected; the checkout falls back to full prices."""


class Checkout:
    """Prices and closes carts through the Talon.One Integration API."""

    def __init__(self, base_url: str, api_key: str, *, timeout: float = 5.0) -> None:
        self._http = httpx.Client(base_url=base_url, headers={"Authorization": f"ApiKey-v1 {api_key}"}, timeout=timeout)

    def close_client(self) -> None:
        """Release the HTTP connections."""
        self._http.close()

    def quote(self, session_id: str, customer_id: str, lines: list[Line], coupons: tuple[str, ...] = ()) -> Quote:
        """Send the cart as an open session and turn the effects into a quote."""
        session = {
            "profileId": customer_id,
            "state": "open",
            "couponCodes": list(coupons),
            "cartItems": [
                {"sku": line.sku, "quantity": line.quantity, "price": float(line.price), "category": line.category}
                for line in lines
            ],
        }
        state = self._put(session_id, session)
        return self._apply(state, sum((line.price * line.quantity for line in lines), Decimal("0")))

    def place_order(self, session_id: str) -> list[dict[str, Any]]:
        """Close the session (the order is paid): coupons are redeemed and loyalty points committed."""
        return list(self._put(session_id, {"state": "closed"})["effects"])

    def cancel_order(self, session_id: str) -> list[dict[str, Any]]:
        """Cancel a closed session: Talon.One rolls back what closing did."""
        return list(self._put(session_id, {"state": "cancelled"})["effects"])

    def _put(self, session_id: str, session: dict[str, Any]) -> dict[str, Any]:
        response = self._http.put(f"/v2/customer_sessions/{session_id}", json={"customerSession": session})
        if response.status_code != 200:
            raise TalonError(f"Talon.One answered {response.status_code}: {response.text}")
        body: dict[str, Any] = response.json()
        return body

    @staticmethod
    def _apply(state: dict[str, Any], subtotal: Decimal) -> Quote:
        quote = Quote(subtotal=subtotal)
        for effect in state["effects"]:
            kind, props = effect["effectType"], effect["props"]
            if kind in {"setDiscount", "setDiscountPerItem"}:
                quote.discount += Decimal(str(props["value"]))
            elif kind == "addFreeItem":
                quote.free_items.append(props["sku"])
            elif kind == "rejectCoupon":
                quote.coupon_errors[props["value"]] = props["rejectionReason"]
            elif kind == "addLoyaltyPoints":
                quote.loyalty_points += Decimal(str(props["value"]))
            elif kind == "showNotification":
                quote.messages.append(props["body"])
        return quote
