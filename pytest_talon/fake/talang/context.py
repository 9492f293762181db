"""What a Talang rule reads: ``Session``, ``Profile``, ``Item`` and ``Event``, and the questions it asks the engine.

The engine builds one :class:`EvalContext` per evaluation (the ready-made :class:`Context` dataclass, or its own
object with the same attributes). Field names in Talang are the Integration API's in PascalCase
(``[".", "Session", "Total"]``, ``[".", "Item", "Attributes", "c_productType"]``); the mapping of each class is
its ``to_talang``. A field the session does not have (no referral code, no profile) is absent, so reading it
fails (and ``catch`` or ``.|`` can supply a fallback) instead of reading as false.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, Protocol

from pytest_talon.fake.talang.values import from_json

__all__ = ["Context", "EvalContext", "Event", "Item", "Profile", "Session"]


def _present(fields: Mapping[str, Any]) -> dict[str, object]:
    return {name: from_json(value) for name, value in fields.items() if value is not None}


@dataclass(frozen=True)
class Item:
    """A cart item as Talang sees it (``Item`` inside ``filter``/``map`` over ``Session.CartItems``)."""

    sku: str
    quantity: Decimal = Decimal(1)
    price: Decimal = Decimal(0)
    name: str | None = None
    category: str | None = None
    position: int | None = None
    weight: Decimal | None = None
    attributes: Mapping[str, Any] = field(default_factory=dict)

    def to_talang(self) -> dict[str, object]:
        """The Map ``[".", "Item", ...]`` reads: Sku, Quantity, Price, Name, Category, Position, Weight, Attributes."""
        return _present(
            {
                "Sku": self.sku,
                "Quantity": self.quantity,
                "Price": self.price,
                "Name": self.name,
                "Category": self.category,
                "Position": self.position,
                "Weight": self.weight,
                "Attributes": dict(self.attributes),
            }
        )


@dataclass(frozen=True)
class Session:
    """The customer session being evaluated (``[".", "Session", ...]``); money is Decimal.

    ``CouponCode`` is the first of ``coupon_codes`` (INF: the field the single-coupon session had).
    ``AdditionalCosts`` maps each cost name to ``{"Price": Decimal}``.
    """

    total: Decimal = Decimal(0)
    cart_items: tuple[Item, ...] = ()
    coupon_codes: tuple[str, ...] = ()
    referral_code: str | None = None
    attributes: Mapping[str, Any] = field(default_factory=dict)
    integration_id: str | None = None
    profile_id: str | None = None
    state: str = "open"
    identifiers: tuple[str, ...] = ()
    additional_costs: Mapping[str, Decimal] = field(default_factory=dict)
    cart_item_total: Decimal | None = None
    additional_cost_total: Decimal | None = None

    def to_talang(self) -> dict[str, object]:
        """The Map ``[".", "Session", ...]`` reads (fields of CustomerSessionV2 in PascalCase)."""
        items = [item.to_talang() for item in self.cart_items]
        return _present(
            {
                "Total": self.total,
                "CartItemTotal": self.cart_item_total,
                "AdditionalCostTotal": self.additional_cost_total,
                "CartItems": items,
                "CouponCodes": list(self.coupon_codes),
                "CouponCode": self.coupon_codes[0] if self.coupon_codes else None,
                "ReferralCode": self.referral_code,
                "Attributes": dict(self.attributes),
                "IntegrationId": self.integration_id,
                "ProfileId": self.profile_id,
                "State": self.state,
                "Identifiers": list(self.identifiers),
                "AdditionalCosts": {name: {"Price": price} for name, price in self.additional_costs.items()},
            }
        )


@dataclass(frozen=True)
class Profile:
    """The customer profile of the session (``[".", "Profile", ...]``): ``IntegrationId`` and ``Attributes``."""

    integration_id: str
    attributes: Mapping[str, Any] = field(default_factory=dict)

    def to_talang(self) -> dict[str, object]:
        """The Map ``[".", "Profile", ...]`` reads."""
        return _present({"IntegrationId": self.integration_id, "Attributes": dict(self.attributes)})


@dataclass(frozen=True)
class Event:
    """A custom event being evaluated (``[".", "Event", ...]``): ``Type`` and ``Attributes`` (INF names)."""

    type: str
    attributes: Mapping[str, Any] = field(default_factory=dict)

    def to_talang(self) -> dict[str, object]:
        """The Map ``[".", "Event", ...]`` reads."""
        return _present({"Type": self.type, "Attributes": dict(self.attributes)})


class EvalContext(Protocol):
    """What the interpreter needs from the engine for one evaluation.

    ``now`` is the fake's clock (``days`` needs it; ``None`` makes ``days`` fail). ``coupon_valid`` and
    ``referral_valid`` answer the product conditions ``couponValid`` / ``referralValid`` for the campaign being
    evaluated.
    """

    @property
    def session(self) -> Session: ...

    @property
    def profile(self) -> Profile | None: ...

    @property
    def event(self) -> Event | None: ...

    @property
    def now(self) -> datetime | None: ...

    def coupon_valid(self) -> bool:
        """Whether the session's coupon belongs to the campaign being evaluated and is valid."""
        ...

    def referral_valid(self) -> bool:
        """Whether the session's referral code belongs to the campaign being evaluated and is valid."""
        ...


@dataclass(frozen=True)
class Context:
    """A ready-made :class:`EvalContext`: the entities, the clock, and fixed answers for the product conditions."""

    session: Session = field(default_factory=Session)
    profile: Profile | None = None
    event: Event | None = None
    now: datetime | None = None
    coupon_is_valid: bool = False
    referral_is_valid: bool = False

    def coupon_valid(self) -> bool:
        """``coupon_is_valid``."""
        return self.coupon_is_valid

    def referral_valid(self) -> bool:
        """``referral_is_valid``."""
        return self.referral_is_valid
