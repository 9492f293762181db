"""Builders of the discount effects (``setDiscount``, ``setDiscountPerItem``, ``setDiscountPerAdditionalCost``,
``addFreeItem``): each stays within what its items, costs and coupon budget may still be discounted."""

from __future__ import annotations

from typing import Any

from pytest_talon.fake.engine.conditions import matches_item
from pytest_talon.fake.engine.context import Context, EffectFailed, Produced, money
from pytest_talon.fake.rules import effects as c

__all__ = ["add_free_item", "set_discount", "set_discount_per_cost", "set_discount_per_item"]


def _coupon_room(ctx: Context) -> float:
    """What the coupon being evaluated may still discount (its ``discount_limit`` budget); inf without one."""
    coupon = ctx.coupon
    if coupon is None or coupon.discount_limit is None:
        return float("inf")
    left = coupon.discount_limit - coupon.discount_counter - ctx.coupon_spent.get(coupon.id, 0.0)
    if left <= 0:
        raise EffectFailed(f"coupon {coupon.value!r} has used up its discount budget of {coupon.discount_limit}")
    return left


def _spend(ctx: Context, value: float) -> None:
    if ctx.coupon is not None:
        ctx.coupon_spent[ctx.coupon.id] = ctx.coupon_spent.get(ctx.coupon.id, 0.0) + value


def set_discount(spec: c.SetDiscount, ctx: Context) -> list[Produced]:
    items, costs = ctx.subtotal, sum(float(v.get("price") or 0) for v in ctx.additional_costs.values())
    base = {"cartItems": items, "additionalCosts": costs, "sessionTotal": items + costs}[spec.scope]
    desired = money(spec.value if spec.value is not None else base * (spec.percent or 0) / 100)
    room_items = ctx.items_left if spec.scope != "additionalCosts" else 0.0
    room_costs = sum(ctx.costs_left.values()) if spec.scope != "cartItems" else 0.0
    value = money(min(desired, room_items + room_costs, _coupon_room(ctx)))
    _spend(ctx, value)
    from_items = min(value, room_items)
    ctx.items_left -= from_items
    _take_costs(ctx, value - from_items)
    props: dict[str, Any] = {"name": spec.name, "value": value, "scope": spec.scope}
    if value != desired:
        props["desiredValue"] = desired
    return [Produced("setDiscount", props)]


def _take_costs(ctx: Context, amount: float) -> None:
    for name, left in ctx.costs_left.items():
        taken = min(left, amount)
        ctx.costs_left[name] = left - taken
        amount -= taken


def set_discount_per_item(spec: c.SetDiscountPerItem, ctx: Context) -> list[Produced]:
    """One effect per unit of every matching line (the live API flattens a line of quantity n into n units)."""
    out: list[Produced] = []
    room: float | None = None  # the coupon's budget, looked up once the first line matches
    for position, item in enumerate(ctx.cart_items):
        if not matches_item(item, spec.sku, spec.category) or spec.position not in (None, position):
            continue
        room = _coupon_room(ctx) if room is None else room
        price = float(item.get("price") or 0)
        desired = money(spec.value if spec.value is not None else price * (spec.percent or 0) / 100)
        units = ctx.unit_left[position]
        for sub, left in enumerate(units):
            value = money(min(desired, left, ctx.items_left, room))
            room -= value
            _spend(ctx, value)
            units[sub] -= value
            ctx.items_left -= value
            out.append(
                Produced("setDiscountPerItem", _unit_props(spec.name, position, sub, len(units), value, desired))
            )
    return out


def _unit_props(name: str, position: int, sub: int, quantity: int, value: float, desired: float) -> dict[str, Any]:
    """Props of one unit's discount; ``subPosition`` only on lines of quantity > 1, as the spec describes (INF)."""
    props: dict[str, Any] = {"name": f"{name}#{position}", "value": value, "position": position}
    if quantity > 1:
        props["subPosition"] = sub
    props["scope"] = "itemTotal"
    if value != desired:
        props["desiredValue"] = desired
    return props


def set_discount_per_cost(spec: c.SetDiscountPerAdditionalCost, ctx: Context) -> list[Produced]:
    if spec.additional_cost not in ctx.costs_left:
        return []
    price = float(ctx.additional_costs[spec.additional_cost].get("price") or 0)
    desired = money(spec.value if spec.value is not None else price * (spec.percent or 0) / 100)
    value = money(min(desired, ctx.costs_left[spec.additional_cost], _coupon_room(ctx)))
    _spend(ctx, value)
    ctx.costs_left[spec.additional_cost] -= value
    ids: dict[str, int] = ctx.app.extra.setdefault("additional_cost_ids", {})
    cost_id = ids.setdefault(spec.additional_cost, len(ids) + 1)
    props = {"name": spec.name, "additionalCost": spec.additional_cost, "additionalCostId": cost_id, "value": value}
    if value != desired:
        props["desiredValue"] = desired
    return [Produced("setDiscountPerAdditionalCost", props)]


def add_free_item(spec: c.AddFreeItem, ctx: Context) -> list[Produced]:
    props: dict[str, Any] = {"sku": spec.sku, "name": spec.name}
    if spec.quantity is not None:
        props["desiredQuantity"] = spec.quantity
    return [Produced("addFreeItem", props)]
