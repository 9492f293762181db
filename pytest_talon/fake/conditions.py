"""The evaluation context and the rule conditions: each condition class maps to one predicate over a context."""

from __future__ import annotations

import copy
import operator
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pytest_talon.fake.rules import conditions as c
from pytest_talon.fake.rules.campaign import Rule
from pytest_talon.fake.state.application import Application
from pytest_talon.fake.state.records import CouponRecord, ReferralRecord

__all__ = ["CONDITION_CHECKS", "Context", "compare", "first_failing", "matches_item"]


@dataclass
class Context:
    """Everything a rule can look at, plus the running budgets that keep discounts within what they discount."""

    app: Application
    now: datetime
    profile_id: str
    event_type: str
    #: Other event types the evaluation also counts as (a session created closed is also closed).
    also_events: frozenset[str] = frozenset()
    cart_items: list[dict[str, Any]] = field(default_factory=list)
    additional_costs: dict[str, dict[str, Any]] = field(default_factory=dict)
    session_attributes: dict[str, Any] = field(default_factory=dict)
    profile_attributes: dict[str, Any] = field(default_factory=dict)
    audiences: set[int] = field(default_factory=set)
    session_id: str | None = None
    #: The session's loyalty card identifiers (card-based programs' effects carry the first one).
    loyalty_cards: list[str] = field(default_factory=list)
    coupon: CouponRecord | None = None
    referral: ReferralRecord | None = None
    #: What each unit may still be discounted: ``unit_left[position][subPosition]`` (a line of quantity n is n units).
    unit_left: list[list[float]] = field(default_factory=list)
    items_left: float = 0.0
    costs_left: dict[str, float] = field(default_factory=dict)
    tentative_points: dict[int, float] = field(default_factory=dict)
    coupon_spent: dict[int, float] = field(default_factory=dict)
    #: Achievement progress this evaluation added so far, and the progress tracker ids it used, by achievement id.
    achievement_progress: dict[int, float] = field(default_factory=dict)
    achievement_trackers: dict[int, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.unit_left = [[_price(i)] * int(i["quantity"]) for i in self.cart_items]
        self.items_left = self.subtotal
        self.costs_left = {name: float(cost.get("price") or 0) for name, cost in self.additional_costs.items()}

    @property
    def subtotal(self) -> float:
        """Price x quantity over the cart items, before discounts."""
        return sum(_price(i) * int(i["quantity"]) for i in self.cart_items)

    def budgets(self) -> dict[str, Any]:
        """A snapshot of the running budgets, to undo a rule whose effects cannot all be applied."""
        snapshot = copy.deepcopy({name: getattr(self, name) for name in _BUDGETS if name != "unit_left"})
        return {**snapshot, "unit_left": [list(units) for units in self.unit_left]}

    def restore(self, snapshot: dict[str, Any]) -> None:
        """Put back a snapshot taken with :meth:`budgets`."""
        for name, value in copy.deepcopy(snapshot).items():
            setattr(self, name, value)


_BUDGETS = (
    "unit_left",
    "items_left",
    "costs_left",
    "tentative_points",
    "coupon_spent",
    "achievement_progress",
    "achievement_trackers",
)


def _price(item: dict[str, Any]) -> float:
    return float(item.get("price") or 0)


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


def _item_attribute(cond: c.ItemAttribute, ctx: Context) -> bool:
    for item in ctx.cart_items:
        attrs = item.get("attributes") or {}
        if cond.name in attrs and (cond.value is None or attrs[cond.name] == cond.value):
            return True
    return False


def _item_quantity(cond: c.ItemQuantity, ctx: Context) -> bool:
    total = sum(int(i["quantity"]) for i in ctx.cart_items if matches_item(i, cond.sku, cond.category))
    return compare(total, cond.op, cond.value)


CONDITION_CHECKS: dict[type[c.Condition], Callable[[Any, Context], bool]] = {
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


def first_failing(rule: Rule, ctx: Context) -> int | None:
    """The index of the rule's first condition that does not hold, or None when all hold."""
    for index, cond in enumerate(rule.conditions):
        if not CONDITION_CHECKS[type(cond)](cond, ctx):
            return index
    return None
