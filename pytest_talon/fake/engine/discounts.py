"""Builders of the discount effects (``setDiscount``, ``setDiscountPerItem``, ``setDiscountPerAdditionalCost``,
``addFreeItem``): each stays within what its items, costs and coupon budget may still be discounted."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pytest_talon.fake.campaigns import effects as c
from pytest_talon.fake.engine.conditions import matches_item
from pytest_talon.fake.engine.context import ZERO, EffectFailed, Produced, RuleContext, dec, money, number
from pytest_talon.fake.engine.registry import effect

__all__ = ["add_free_item", "set_discount", "set_discount_per_cost", "set_discount_per_item"]


_UNLIMITED = Decimal("Infinity")


def _coupon_room(ctx: RuleContext) -> Decimal:
    """What the coupon being evaluated may still discount (its ``discount_limit`` budget); infinite without one."""
    coupon = ctx.coupon
    if coupon is None or coupon.discount_limit is None:
        return _UNLIMITED
    left = dec(coupon.discount_limit) - dec(coupon.discount_counter) - ctx.coupon_spent.get(coupon.id, ZERO)
    if left <= 0:
        raise EffectFailed(f"coupon {coupon.value!r} has used up its discount budget of {coupon.discount_limit}")
    return left


def _budget(ctx: RuleContext, room: Decimal) -> tuple[Any, ...]:
    """Why a discount was shrunk by the coupon's budget: its code, ``discount_limit`` and what was used before."""
    coupon = ctx.coupon
    assert coupon is not None  # a finite room is a coupon's budget
    limit = dec(coupon.discount_limit)
    return ("coupon", coupon.value, limit, limit - room)


#: What a ``setDiscount`` of each scope discounts, as an explanation names it.
_SCOPES = {"cartItems": "cart items", "additionalCosts": "additional costs"}


def _spend(ctx: RuleContext, value: Decimal) -> None:
    if ctx.coupon is not None:
        ctx.coupon_spent[ctx.coupon.id] = ctx.coupon_spent.get(ctx.coupon.id, ZERO) + value


def _desired(value: float | None, percent: float | None, base: Decimal) -> Decimal:
    """The discount asked for: a fixed value, or ``percent`` of ``base``, in exact cents (half up)."""
    return money(dec(value) if value is not None else base * dec(percent) / 100)


@effect(
    c.SetDiscount,
    "fixed value or percent of the subtotal; capped at what remains of the scope and of the triggering "
    "coupon's discountLimit (EffectCouldNotBeApplied once that budget is used up)",
    "campaign-level discount budgets are not modelled",
)
def set_discount(spec: c.SetDiscount, ctx: RuleContext) -> list[Produced]:
    scope, items = spec.scope, ctx.subtotal
    costs = sum((dec(v.get("price")) for v in ctx.additional_costs.values()), ZERO)
    base = items if scope == "cartItems" else costs if scope == "additionalCosts" else items + costs
    desired = _desired(spec.value, spec.percent, base)
    room_items = ctx.items_left if scope != "additionalCosts" else ZERO
    room_costs = sum(ctx.costs_left.values(), ZERO) if scope != "cartItems" else ZERO
    room, coupon_room = room_items + room_costs, _coupon_room(ctx)
    value = money(min(desired, room, coupon_room))
    shrunk = None
    if value != desired:
        what = _SCOPES.get(scope, "cart items and additional costs")
        why = _budget(ctx, coupon_room) if coupon_room < room else ("left", what, base, room)
        shrunk = (desired, *why)
    _spend(ctx, value)
    from_items = min(value, room_items)
    ctx.items_left -= from_items
    _take_costs(ctx, value - from_items)
    props: dict[str, Any] = {"name": spec.name, "value": number(value), "scope": spec.scope}
    if value != desired:
        props["desiredValue"] = number(desired)
    return [Produced("setDiscount", props, shrunk=shrunk)]


def _take_costs(ctx: RuleContext, amount: Decimal) -> None:
    for name, left in ctx.costs_left.items():
        taken = min(left, amount)
        ctx.costs_left[name] = left - taken
        amount -= taken


@effect(
    c.SetDiscountPerItem,
    "one effect per unit of every matching cart item (a line of quantity n is n units, each with position and, "
    "when n > 1, subPosition 0..n-1); value per unit (percent rounded per unit), capped at what the unit has "
    "left and at the triggering coupon's discountLimit (later units get 0 with desiredValue)",
    "subPosition is left out on lines of quantity 1 (INF); the name keeps the #position suffix",
)
def set_discount_per_item(spec: c.SetDiscountPerItem, ctx: RuleContext) -> list[Produced]:
    """One effect per unit of every matching line (the live API flattens a line of quantity n into n units)."""
    out: list[Produced] = []
    room: Decimal | None = None  # the coupon's budget, looked up once the first line matches
    for position, item in enumerate(ctx.cart_items):
        if not matches_item(item, spec.sku, spec.category) or spec.position not in (None, position):
            continue
        room = _coupon_room(ctx) if room is None else room
        desired = _desired(spec.value, spec.percent, dec(item.get("price")))
        units = list(ctx.unit_left[position])
        for sub, left in enumerate(units):
            value = money(min(desired, left, ctx.items_left, room))
            shrunk = None
            if value != desired:
                shrunk = (desired, *_unit_shrunk(ctx, room, left, position, sub if len(units) > 1 else None))
            room -= value
            _spend(ctx, value)
            units[sub] -= value
            ctx.items_left -= value
            props = _unit_props(spec.name, position, sub, len(units), value, desired)
            out.append(Produced("setDiscountPerItem", props, shrunk=shrunk))
        ctx.unit_left[position] = tuple(units)
    return out


def _unit_shrunk(ctx: RuleContext, room: Decimal, left: Decimal, position: int, sub: int | None) -> tuple[Any, ...]:
    """Which budget shrank one unit's discount: the coupon's, what the unit had left, or what the cart had left."""
    if room < min(left, ctx.items_left):
        return _budget(ctx, room)
    if left <= ctx.items_left:
        unit = f"item {position}" + (f" unit {sub}" if sub is not None else "")
        return ("left", unit, dec(ctx.cart_items[position].get("price")), left)
    return ("left", "cart items", ctx.subtotal, ctx.items_left)


def _unit_props(name: str, position: int, sub: int, quantity: int, value: Decimal, desired: Decimal) -> dict[str, Any]:
    """Props of one unit's discount; ``subPosition`` only on lines of quantity > 1, as the spec describes (INF)."""
    props: dict[str, Any] = {"name": f"{name}#{position}", "value": number(value), "position": position}
    if quantity > 1:
        props["subPosition"] = sub
    props["scope"] = "itemTotal"
    if value != desired:
        props["desiredValue"] = number(desired)
    return props


@effect(
    c.SetDiscountPerAdditionalCost,
    "discount on one named session cost, capped at its price",
)
def set_discount_per_cost(spec: c.SetDiscountPerAdditionalCost, ctx: RuleContext) -> list[Produced]:
    if spec.additional_cost not in ctx.costs_left:
        return []
    desired = _desired(spec.value, spec.percent, dec(ctx.additional_costs[spec.additional_cost].get("price")))
    left, room = ctx.costs_left[spec.additional_cost], _coupon_room(ctx)
    value = money(min(desired, left, room))
    shrunk = None
    if value != desired:
        price = dec(ctx.additional_costs[spec.additional_cost].get("price"))
        why = _budget(ctx, room) if room < left else ("left", f"additional cost {spec.additional_cost!r}", price, left)
        shrunk = (desired, *why)
    _spend(ctx, value)
    ctx.costs_left[spec.additional_cost] -= value
    ids: dict[str, int] = ctx.app.extra.setdefault("additional_cost_ids", {})
    cost_id = ids.setdefault(spec.additional_cost, len(ids) + 1)
    props = {
        "name": spec.name,
        "additionalCost": spec.additional_cost,
        "additionalCostId": cost_id,
        "value": number(value),
    }
    if value != desired:
        props["desiredValue"] = number(desired)
    return [Produced("setDiscountPerAdditionalCost", props, shrunk=shrunk)]


@effect(
    c.AddFreeItem,
    "informational; the fake does not add the item to the cart",
)
def add_free_item(spec: c.AddFreeItem, ctx: RuleContext) -> list[Produced]:
    props: dict[str, Any] = {"sku": spec.sku, "name": spec.name}
    if spec.quantity is not None:
        props["desiredQuantity"] = spec.quantity
    return [Produced("addFreeItem", props)]
