"""Factories for catalog sync (one factory per action type), products, price details and best prior price."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any, ClassVar

from pytest_talon._time import format_rfc3339
from pytest_talon.factories._context import GenContext
from pytest_talon.factories._core import Factory, Params, Traits, sdk_model, sdk_parse
from pytest_talon.factories._errors import FactoryError
from pytest_talon.factories._fields import UNSET, Draft, Sub, Use
from pytest_talon.factories._helpers import after, before, distinct
from pytest_talon.models import (
    BestPriorPriceRequest,
    BestPriorTarget,
    CatalogAction,
    CatalogSyncRequest,
    PriceDetail,
    Product,
)

__all__ = [
    "CATALOG_ACTION_TYPES",
    "AddItemCatalogActionFactory",
    "AddPriceAdjustmentCatalogActionFactory",
    "BestPriorPriceRequestFactory",
    "BestPriorTargetFactory",
    "CatalogActionFactory",
    "CatalogSyncRequestFactory",
    "PatchItemCatalogActionFactory",
    "PatchManyItemsCatalogActionFactory",
    "PriceDetailFactory",
    "ProductFactory",
    "RemoveItemCatalogActionFactory",
    "RemoveManyItemsCatalogActionFactory",
]

#: ``CatalogAction.type`` -> the ``talon_one.models`` class of its payload.
CATALOG_ACTION_TYPES: dict[str, str] = {
    "ADD": "AddItemCatalogAction",
    "PATCH": "PatchItemCatalogAction",
    "PATCH_MANY": "PatchManyItemsCatalogAction",
    "REMOVE": "RemoveItemCatalogAction",
    "REMOVE_MANY": "RemoveManyItemsCatalogAction",
    "ADD_PRICE_ADJUSTMENT": "AddPriceAdjustmentCatalogAction",
}


class ProductFactory(Factory[Product]):
    """The product (family) a cart or catalog item belongs to."""

    __model__ = Product
    name = Use(lambda g, d: g.talon.product_name())


class PriceDetailFactory(Factory[PriceDetail]):
    """A price of one price type with an ordered adjustment window (from < until)."""

    __model__ = PriceDetail
    price = Use(lambda g, d: g.talon.amount(1.0, 250.0))
    adjustment_reference_id = Use(lambda g, d: g.talon.talon_uuid())
    adjustment_effective_from = Use(before("adjustment_effective_until", 1, 30))
    adjustment_effective_until = Use(after("adjustment_effective_from", 7, 60))


def _filters(ctx: GenContext) -> list[dict[str, Any]]:
    """1-2 catalog filters on distinct string attributes (``EQ`` or ``IN``; numeric operators need numbers)."""
    names = distinct(ctx, ctx.talon.catalog_attribute_name, 1, 2)
    filters = []
    for name in names:
        values = [ctx.talon.catalog_attribute_value(name) for _ in range(2)]
        if ctx.random.random() < 0.7:
            filters.append({"attr": name, "op": "EQ", "value": values[0]})
        else:
            filters.append({"attr": name, "op": "IN", "value": ",".join(dict.fromkeys(values))})
    return filters


def _adjustment(ctx: GenContext) -> dict[str, Any]:
    start = ctx.now - ctx.random.randint(0, 30) * timedelta(days=1)
    return {
        "priceType": ctx.talon.price_type(),
        "referenceId": str(ctx.talon.talon_uuid()),
        "price": ctx.talon.amount(1.0, 200.0),
        "effectiveFrom": format_rfc3339(start),
        "effectiveUntil": format_rfc3339(start + ctx.random.randint(7, 60) * timedelta(days=1)),
    }


def _optional(ctx: GenContext, payload: dict[str, Any], key: str, p: float, make: Callable[[], Any]) -> None:
    if ctx.random.random() < p:
        payload[key] = make()


def _payload(ctx: GenContext, draft: Draft) -> dict[str, Any]:
    kind = draft.get("type", "ADD")
    sku = draft.get("sku") or ctx.talon.sku()
    talon = ctx.talon
    if kind in ("ADD", "PATCH"):
        payload: dict[str, Any] = {"sku": sku, "price": talon.amount(1.0, 250.0)}
        _optional(ctx, payload, "attributes", 0.5, talon.catalog_attributes)
        _optional(ctx, payload, "product", 0.3, lambda: {"name": talon.product_name()})
        return payload  # replaceIfExists / createIfNotExists change what the API does: only when overridden
    if kind == "PATCH_MANY":
        return {"filters": _filters(ctx), "price": talon.amount(1.0, 250.0)}
    if kind == "REMOVE":
        return {"sku": sku}
    if kind == "REMOVE_MANY":
        return {"filters": _filters(ctx)}
    if kind == "ADD_PRICE_ADJUSTMENT":
        return {"sku": sku, "adjustments": [_adjustment(ctx) for _ in range(ctx.random.randint(1, 2))]}
    raise FactoryError(f"unknown catalog action type {kind!r}; use one of {', '.join(CATALOG_ACTION_TYPES)}")


class CatalogActionFactory(Factory[CatalogAction]):
    """A catalog sync action whose payload matches its ``type`` (default ``ADD``); param ``sku`` fixes the SKU.

    ``build_sdk()`` returns the SDK payload model of the action type (e.g. ``AddItemCatalogAction``).
    """

    __model__ = CatalogAction
    __params__: ClassVar[Params] = {"sku": None}
    type = "ADD"
    payload = Use(_payload)

    @classmethod
    def sdk_class_for(cls, action_type: str) -> Any:
        """Return the ``talon_one.models`` payload class of ``action_type``."""
        return sdk_model(CATALOG_ACTION_TYPES[action_type], cls.__name__)

    @classmethod
    def build_sdk(cls, **overrides: Any) -> Any:
        """Build one action and return its payload as the SDK's payload model for the action type."""
        action = cls.build(**overrides)
        return sdk_parse(cls.sdk_class_for(action.type), action.to_wire()["payload"])


class AddItemCatalogActionFactory(CatalogActionFactory):
    """An ``ADD`` action: SKU, price, sometimes attributes, product and ``replaceIfExists``."""

    __register__ = False
    type = "ADD"


class PatchItemCatalogActionFactory(CatalogActionFactory):
    """A ``PATCH`` action: SKU, price, sometimes attributes, product and ``createIfNotExists``."""

    __register__ = False
    type = "PATCH"


class PatchManyItemsCatalogActionFactory(CatalogActionFactory):
    """A ``PATCH_MANY`` action: 1-2 filters (never none: that would patch every item) and a new price."""

    __register__ = False
    type = "PATCH_MANY"


class RemoveItemCatalogActionFactory(CatalogActionFactory):
    """A ``REMOVE`` action: one SKU."""

    __register__ = False
    type = "REMOVE"


class RemoveManyItemsCatalogActionFactory(CatalogActionFactory):
    """A ``REMOVE_MANY`` action: 1-2 filters (never none: that would remove every item)."""

    __register__ = False
    type = "REMOVE_MANY"


class AddPriceAdjustmentCatalogActionFactory(CatalogActionFactory):
    """An ``ADD_PRICE_ADJUSTMENT`` action: SKU and 1-2 adjustments with ordered validity windows."""

    __register__ = False
    type = "ADD_PRICE_ADJUSTMENT"


def _actions(ctx: GenContext, draft: Draft) -> list[CatalogAction]:
    """1-3 actions of one type (the API allows one type per request) with distinct SKUs."""
    kind = draft.get("action_type") or "ADD"
    skus = distinct(ctx, ctx.talon.sku, 1, 3)
    return [CatalogActionFactory._build(ctx, {"type": kind, "sku": sku}) for sku in skus]


class CatalogSyncRequestFactory(Factory[CatalogSyncRequest]):
    """The body of ``sync_catalog``: 1-3 actions of one type with distinct SKUs; param ``action_type``
    (default ``ADD``) picks the type, e.g. ``build(action_type="REMOVE")``. Trait ``versioned``: a catalog
    ``version`` (the API refuses a version that is not the catalog's current one)."""

    __model__ = CatalogSyncRequest
    __params__: ClassVar[Params] = {"action_type": None}
    __traits__: ClassVar[Traits] = {"versioned": {"version": Use(lambda g, d: g.random.randint(1, 20))}}
    actions = Use(_actions)


class BestPriorTargetFactory(Factory[BestPriorTarget]):
    """A best-prior-price target: ``NONE``, or ``AUDIENCE`` with an audience ID (trait ``audience``)."""

    __model__ = BestPriorTarget
    __traits__: ClassVar[Traits] = {"audience": {"target_type": "AUDIENCE"}}
    target_type = "NONE"
    audience_id = Use(lambda g, d: g.talon.talon_id() if d.get("target_type") == "AUDIENCE" else UNSET)


class BestPriorPriceRequestFactory(Factory[BestPriorPriceRequest]):
    """The body of ``best_prior_price``: 1-3 SKUs, a strict 30-day timeframe ending at "now", no target.

    Traits: ``with_target`` (a ``NONE`` target), ``random_timeframe`` (30/60/90 days, a random end-date type).
    """

    __model__ = BestPriorPriceRequest
    __traits__: ClassVar[Traits] = {
        "with_target": {"target": Sub(BestPriorTargetFactory)},
        "random_timeframe": {
            "timeframe": Use(lambda g, d: g.random.choice(("30", "60", "90"))),
            "timeframe_end_date_type": Use(lambda g, d: g.random.choice(("strict", "price", "sale"))),
        },
    }
    skus = Use(lambda g, d: distinct(g, g.talon.sku, 1, 3))
    timeframe = "30"
    timeframe_end_date = Use(lambda g, d: g.now)
    timeframe_end_date_type = "strict"
