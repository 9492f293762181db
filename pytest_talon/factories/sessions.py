"""Factories for customer sessions (v2 and legacy v1), cart items, additional costs and returns."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from pytest_talon.factories._context import GenContext
from pytest_talon.factories._core import Factory, Params, Traits
from pytest_talon.factories._errors import FactoryError
from pytest_talon.factories._fields import UNSET, Batch, Draft, Sub, Use
from pytest_talon.factories._helpers import distinct, subset
from pytest_talon.factories.catalogs import ProductFactory
from pytest_talon.models import (
    AdditionalCost,
    CartItem,
    ExperimentVariantAllocation,
    IntegrationRequest,
    LegacyCartItem,
    NewCustomerSession,
    NewCustomerSessionV2,
    NewReturn,
    ReturnedCartItem,
    ReturnIntegrationRequest,
)

__all__ = [
    "AdditionalCostFactory",
    "CartItemFactory",
    "ExperimentVariantAllocationFactory",
    "IntegrationRequestFactory",
    "LegacyCartItemFactory",
    "NewCustomerSessionFactory",
    "NewCustomerSessionV2Factory",
    "NewReturnFactory",
    "ReturnIntegrationRequestFactory",
    "ReturnedCartItemFactory",
]

_QUANTITIES = (1, 1, 1, 1, 2, 2, 3, 5)
#: What a typical integration asks for when it updates a session or returns items (fixed: it decides the answer).
TYPICAL_SESSION_RESPONSE_CONTENT = ("customerSession", "customerProfile")
_SESSION_RESPONSE_CONTENT = ("customerSession", "customerProfile", "coupons", "triggeredCampaigns", "loyalty")
_RETURN_RESPONSE_CONTENT = ("customerSession", "customerProfile", "loyalty", "previousReturns")
_ALL_SESSION_RESPONSE_CONTENT = (
    "customerSession",
    "customerProfile",
    "coupons",
    "triggeredCampaigns",
    "referral",
    "loyalty",
    "event",
    "awardedGiveaways",
    "ruleFailureReasons",
    "previousReturns",
)


def _additional_costs(ctx: GenContext, draft: Draft) -> dict[str, AdditionalCost]:
    return {"shipping": AdditionalCostFactory._build(ctx, {})}


class AdditionalCostFactory(Factory[AdditionalCost]):
    """An additional cost (shipping, wrapping...): a price with two decimals, never negative."""

    __model__ = AdditionalCost
    price = Use(lambda g, d: g.talon.amount(0.0, 25.0))


class CartItemFactory(Factory[CartItem]):
    """A cart line: SKU derived from the category, quantity >= 1, price >= 0; server-set fields left out.

    Traits: ``with_attributes``, ``with_product``, ``with_additional_costs``, ``catalog_priced`` (no price:
    the catalog price applies), ``free`` (price 0).
    """

    __model__ = CartItem
    __traits__: ClassVar[Traits] = {
        "with_attributes": {"attributes": Use(lambda g, d: g.talon.cart_item_attributes())},
        "with_product": {"product": Sub(ProductFactory)},
        "with_additional_costs": {"additional_costs": Use(_additional_costs)},
        "catalog_priced": {"price": Use(lambda g, d: UNSET)},
        "free": {"price": 0.0},
    }
    category = Use(lambda g, d: g.talon.item_category())
    sku = Use(lambda g, d: g.talon.sku(d.get("category")))
    name = Use(lambda g, d: g.talon.product_name())
    quantity = Use(lambda g, d: g.random.choice(_QUANTITIES))
    price = Use(lambda g, d: g.talon.amount(1.0, 250.0))
    weight = Use(lambda g, d: float(g.random.randint(50, 5000)), p=0.25)


class ExperimentVariantAllocationFactory(Factory[ExperimentVariantAllocation]):
    """An experiment variant allocation (experiment and variant IDs)."""

    __model__ = ExperimentVariantAllocation
    experiment_id = Use(lambda g, d: g.talon.talon_id())
    variant_id = Use(lambda g, d: g.talon.talon_id())


class NewCustomerSessionV2Factory(Factory[NewCustomerSessionV2]):
    """An open session of a known customer with 1-4 cart items; at most 5 identifiers, at most 1 loyalty card.

    Traits: ``closed``, ``cancelled``, ``anonymous`` (``profileId`` ""), ``with_coupons``, ``with_referral``,
    ``with_loyalty_card``, ``in_store``, ``empty_cart``, ``with_attributes``, ``with_additional_costs``,
    ``with_identifiers``. Fields that change what the API does (state, store, identifiers, additional costs) are
    fixed by default and varied only through these traits.
    """

    __model__ = NewCustomerSessionV2
    __traits__: ClassVar[Traits] = {
        "closed": {"state": "closed"},
        "cancelled": {"state": "cancelled"},
        "anonymous": {"profile_id": ""},
        "with_coupons": {"coupon_codes": Use(lambda g, d: distinct(g, g.talon.coupon_code, 1, 2))},
        "with_referral": {"referral_code": Use(lambda g, d: g.talon.referral_code())},
        "with_loyalty_card": {"loyalty_cards": Use(lambda g, d: [g.talon.loyalty_card_identifier()])},
        "in_store": {"store_integration_id": Use(lambda g, d: g.talon.store_integration_id())},
        "empty_cart": {"cart_items": []},
        "with_attributes": {"attributes": Use(lambda g, d: {"ShippingCity": g.faker.city()})},
        "with_additional_costs": {"additional_costs": Use(_additional_costs)},
        "with_identifiers": {"identifiers": Use(lambda g, d: distinct(g, g.talon.hashed_identifier, 1, 5))},
    }
    profile_id = Use(lambda g, d: g.talon.profile_integration_id())
    state = "open"
    cart_items = Batch(CartItemFactory, 1, 4)


def _session_trait(name: str) -> dict[str, Any]:
    return {"customer_session__traits": [name]}


class IntegrationRequestFactory(Factory[IntegrationRequest]):
    """The body of ``update_customer_session_v2``: a :class:`NewCustomerSessionV2Factory` session with
    ``responseContent: ["customerSession", "customerProfile"]``, as a typical integration sends it.

    Traits: every session trait (applied to the session), ``full_response`` (every section) and
    ``random_response`` (a seeded random choice of sections, to explore).
    """

    __model__ = IntegrationRequest
    __traits__: ClassVar[Traits] = {
        **{name: _session_trait(name) for name in NewCustomerSessionV2Factory.__traits__},
        "full_response": {"response_content": list(_ALL_SESSION_RESPONSE_CONTENT)},
        "random_response": {"response_content": Use(lambda g, d: subset(g, _SESSION_RESPONSE_CONTENT, 1, 2))},
    }
    customer_session = Sub(NewCustomerSessionV2Factory)
    response_content = Use(lambda g, d: list(TYPICAL_SESSION_RESPONSE_CONTENT))


class LegacyCartItemFactory(Factory[LegacyCartItem]):
    """A v1 cart line: name, SKU, quantity >= 1 and price >= 0 (all required by the v1 API)."""

    __model__ = LegacyCartItem
    category = Use(lambda g, d: g.talon.item_category())
    sku = Use(lambda g, d: g.talon.sku(d.get("category")))
    name = Use(lambda g, d: g.talon.product_name())
    quantity = Use(lambda g, d: g.random.choice(_QUANTITIES))
    price = Use(lambda g, d: g.talon.amount(1.0, 250.0))


def _legacy_total(ctx: GenContext, draft: Draft) -> float:
    items = draft.get("cart_items") or []
    return round(sum(float(_get(item, "price") or 0.0) * int(_get(item, "quantity")) for item in items), 2)


def _get(item: Any, name: str) -> Any:
    return item.get(name) if isinstance(item, dict) else getattr(item, name)


class NewCustomerSessionFactory(Factory[NewCustomerSession]):
    """A legacy v1 session: one optional coupon, ``total`` equal to the sum of price x quantity.

    Traits: ``closed``, ``cancelled``, ``anonymous``, ``with_coupon``, ``with_referral``.
    """

    __model__ = NewCustomerSession
    __traits__: ClassVar[Traits] = {
        "closed": {"state": "closed"},
        "cancelled": {"state": "cancelled"},
        "anonymous": {"profile_id": ""},
        "with_coupon": {"coupon": Use(lambda g, d: g.talon.coupon_code())},
        "with_referral": {"referral": Use(lambda g, d: g.talon.referral_code())},
    }
    profile_id = Use(lambda g, d: g.talon.profile_integration_id())
    state = "open"
    cart_items = Batch(LegacyCartItemFactory, 1, 4)
    total = Use(_legacy_total)


class ReturnedCartItemFactory(Factory[ReturnedCartItem]):
    """One returned line on its own (position, quantity 1, SKU); prefer :class:`NewReturnFactory` with ``cart``
    so returns reference real cart positions."""

    __model__ = ReturnedCartItem
    position = Use(lambda g, d: g.random.randint(0, 3))
    quantity = 1
    sku = Use(lambda g, d: g.talon.sku())


def _cart_lines(ctx: GenContext, cart: Any) -> list[Any]:
    """The cart items a return refers to: given (items, a session or a session request) or generated."""
    if cart is None:
        return [CartItemFactory._build(ctx, {}) for _ in range(ctx.random.randint(1, 4))]
    if isinstance(cart, IntegrationRequest):
        cart = cart.customer_session
    if hasattr(cart, "cart_items"):
        cart = cart.cart_items or []
    if isinstance(cart, str) or not isinstance(cart, Sequence) or not cart:
        raise FactoryError("cart= must be a non-empty list of cart items, a session or an IntegrationRequest")
    return list(cart)


def _returned_items(ctx: GenContext, draft: Draft) -> list[ReturnedCartItem]:
    lines = _cart_lines(ctx, draft.get("cart"))
    positions = sorted(ctx.random.sample(range(len(lines)), ctx.random.randint(1, len(lines))))
    return [
        ReturnedCartItem(
            position=index,
            quantity=ctx.random.randint(1, _get(lines[index], "quantity")),
            sku=_get(lines[index], "sku"),
        )
        for index in positions
    ]


class NewReturnFactory(Factory[NewReturn]):
    """Returned lines that reference existing cart positions (distinct, ascending) with 1 <= quantity <= the
    cart quantity. Param ``cart``: the cart items, session or IntegrationRequest to return from."""

    __model__ = NewReturn
    __params__: ClassVar[Params] = {"cart": None}
    returned_cart_items = Use(_returned_items)


class ReturnIntegrationRequestFactory(Factory[ReturnIntegrationRequest]):
    """The body of ``return_cart_items`` with ``responseContent: ["customerSession", "customerProfile"]``;
    param ``cart`` as for :class:`NewReturnFactory`. Traits: ``full_response``, ``random_response``."""

    __model__ = ReturnIntegrationRequest
    __params__: ClassVar[Params] = {"cart": None}
    __traits__: ClassVar[Traits] = {
        "full_response": {"response_content": list(_RETURN_RESPONSE_CONTENT)},
        "random_response": {"response_content": Use(lambda g, d: subset(g, _RETURN_RESPONSE_CONTENT, 1, 2))},
    }
    return_ = Sub(NewReturnFactory, forward=("cart",))
    response_content = Use(lambda g, d: list(TYPICAL_SESSION_RESPONSE_CONTENT))
