"""What the conditions mean: each declared condition class maps to one predicate over a
:class:`~.context.RuleContext`; cart items are seen with their catalog item's attributes.

A new condition: declare it in :mod:`pytest_talon.fake.campaigns.conditions`, then add its predicate to
:data:`CONDITION_CHECKS` here and what it looks at to :data:`.trace.CONDITION_INPUTS`.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

from pytest_talon.fake.campaigns import conditions as c
from pytest_talon.fake.campaigns.campaign import Rule
from pytest_talon.fake.engine.context import RuleContext
from pytest_talon.fake.state.application import Application

__all__ = ["CONDITION_CHECKS", "compare", "first_failing", "matches_item", "with_catalog_attributes"]

_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq,
    "!=": operator.ne,
    ">": operator.gt,
    ">=": operator.ge,
    "<": operator.lt,
    "<=": operator.le,
}


def compare(actual: Any, op: str, expected: Any) -> bool:
    """Apply a campaign operator; a missing value or incomparable types make the condition false."""
    if op == "exists":
        return actual is not None
    if actual is None:
        return op == "!=" and expected is not None
    if op == "in":
        return isinstance(expected, (list, tuple, set)) and actual in expected
    try:
        return bool(_OPS[op](actual, expected))
    except TypeError:
        return False


def matches_item(item: dict[str, Any], sku: str | None, category: str | None) -> bool:
    """Whether a cart item matches an optional SKU and an optional category."""
    return (sku is None or item.get("sku") == sku) and (category is None or item.get("category") == category)


def _item_attribute(cond: c.ItemAttribute, ctx: RuleContext) -> bool:
    for item in ctx.cart_items:
        attrs = item.get("attributes") or {}
        if cond.name in attrs and (cond.value is None or attrs[cond.name] == cond.value):
            return True
    return False


def _item_quantity(cond: c.ItemQuantity, ctx: RuleContext) -> bool:
    total = sum(int(i["quantity"]) for i in ctx.cart_items if matches_item(i, cond.sku, cond.category))
    return compare(total, cond.op, cond.value)


CONDITION_CHECKS: dict[type[c.Condition], Callable[[Any, RuleContext], bool]] = {
    c.Always: lambda cond, ctx: True,
    c.CartSubtotal: lambda cond, ctx: compare(round(ctx.subtotal, 6), cond.op, cond.value),
    c.ItemSku: lambda cond, ctx: any(i.get("sku") == cond.sku for i in ctx.cart_items),
    c.ItemCategory: lambda cond, ctx: any(i.get("category") == cond.category for i in ctx.cart_items),
    c.ItemAttribute: _item_attribute,
    c.ItemQuantity: _item_quantity,
    c.ProfileAttribute: lambda cond, ctx: compare(ctx.profile_attributes.get(cond.name), cond.op, cond.value),
    c.SessionAttribute: lambda cond, ctx: compare(ctx.session_attributes.get(cond.name), cond.op, cond.value),
    c.InAudience: lambda cond, ctx: cond.audience_id in ctx.audiences,
    c.EventType: lambda cond, ctx: cond.type == ctx.event_type or cond.type in ctx.also_events,
    c.CouponValid: lambda cond, ctx: ctx.coupon is not None,
    c.ReferralValid: lambda cond, ctx: ctx.referral is not None,
}


def first_failing(rule: Rule, ctx: RuleContext) -> int | None:
    """The index of the rule's first condition that does not hold, or None when all hold."""
    for index, cond in enumerate(rule.conditions):
        if not CONDITION_CHECKS[type(cond)](cond, ctx):
            return index
    return None


def with_catalog_attributes(app: Application, cart_items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Copies of the cart items with the attributes of their catalog item merged under their own."""
    if not app.catalogs:
        return cart_items
    out = []
    for item in cart_items:
        found = next((c.items[item["sku"]] for c in app.catalogs.values() if item.get("sku") in c.items), None)
        if found is None:
            out.append(item)
        else:
            out.append({**item, "attributes": {**found["attributes"], **(item.get("attributes") or {})}})
    return out
