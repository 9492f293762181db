"""The evaluation context a rule sees, and what effect builders produce from it.

:class:`RuleContext` carries the session, profile and cart a rule looks at plus the running budgets that keep
discounts within what they discount; builders return :class:`Produced` effects or raise :class:`EffectFailed`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from pytest_talon.fake.state.amounts import ZERO, dec
from pytest_talon.fake.state.application import Application
from pytest_talon.fake.state.records import CouponRecord, ReferralRecord

__all__ = ["CENT", "ZERO", "RuleContext", "EffectFailed", "Produced", "dec", "money", "number"]


@dataclass(slots=True)
class RuleContext:
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
    #: The state of the session being evaluated (``open``, ``closed``, ``cancelled``, ``partially_returned``).
    session_state: str = "open"
    #: The attributes of the custom event being evaluated (trackEventV2); empty for the built-in events.
    event_attributes: dict[str, Any] = field(default_factory=dict)
    #: The session's loyalty card identifiers (card-based programs' effects carry the first one).
    loyalty_cards: list[str] = field(default_factory=list)
    coupon: CouponRecord | None = None
    referral: ReferralRecord | None = None
    #: What each unit may still be discounted: ``unit_left[position][subPosition]`` (a line of quantity n is n units).
    #: Lines are tuples, replaced rather than changed, so a budget snapshot shares them.
    unit_left: list[tuple[Decimal, ...]] = field(default_factory=list)
    items_left: Decimal = ZERO
    costs_left: dict[str, Decimal] = field(default_factory=dict)
    tentative_points: dict[int, Decimal] = field(default_factory=dict)
    coupon_spent: dict[int, Decimal] = field(default_factory=dict)
    #: Achievement progress this evaluation added so far, and the progress tracker ids it used, by achievement id.
    achievement_progress: dict[int, float] = field(default_factory=dict)
    achievement_trackers: dict[int, int] = field(default_factory=dict)

    #: :attr:`subtotal` and the cart item list it was summed over (prices never change during an evaluation).
    _subtotal: tuple[list[dict[str, Any]], Decimal] | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        subtotal = ZERO
        unit_left = []
        for item in self.cart_items:
            price, quantity = dec(item.get("price")), int(item["quantity"])
            unit_left.append((price,) * quantity)
            subtotal += price * quantity
        self.unit_left = unit_left
        self._subtotal = (self.cart_items, subtotal)
        self.items_left = subtotal
        self.costs_left = {name: dec(cost.get("price")) for name, cost in self.additional_costs.items()}

    @property
    def subtotal(self) -> Decimal:
        """Price x quantity over the cart items, before discounts (exact)."""
        cached = self._subtotal
        if cached is None or cached[0] is not self.cart_items:
            total = sum((_price(i) * int(i["quantity"]) for i in self.cart_items), ZERO)
            cached = self._subtotal = (self.cart_items, total)
        return cached[1]

    def budgets(self) -> dict[str, Any]:
        """A snapshot of the running budgets, to undo a rule whose effects cannot all be applied (each budget is a
        number, a flat mapping of numbers or ``unit_left``'s list of tuples: shallow copies are independent)."""
        return {
            "unit_left": list(self.unit_left),
            "items_left": self.items_left,
            "costs_left": dict(self.costs_left),
            "tentative_points": dict(self.tentative_points),
            "coupon_spent": dict(self.coupon_spent),
            "achievement_progress": dict(self.achievement_progress),
            "achievement_trackers": dict(self.achievement_trackers),
        }

    def restore(self, snapshot: dict[str, Any]) -> None:
        """Put back a snapshot taken with :meth:`budgets` (copied again, so it can be put back twice)."""
        for name, value in snapshot.items():
            setattr(self, name, _copied(value))


def _copied(budget: Any) -> Any:
    """An independent copy of one budget taken by :meth:`RuleContext.budgets`."""
    return dict(budget) if isinstance(budget, dict) else list(budget) if isinstance(budget, list) else budget


def _price(item: dict[str, Any]) -> Decimal:
    return dec(item.get("price"))


@dataclass(slots=True)
class Produced:
    """One effect a rule produced, plus what persisting it changes and the entity it created."""

    effect_type: str
    props: dict[str, Any]
    action: Callable[[], None] | None = None
    created_coupon: CouponRecord | None = None
    created_referral: ReferralRecord | None = None
    #: Set when a budget gave less than the effect asked for: ``(desired, why...)``, the counter that shrank it
    #: (:data:`pytest_talon.fake.engine.trace.SHRUNK`).
    shrunk: tuple[Any, ...] | None = None


class EffectFailed(Exception):
    """An effect could not be applied (e.g. too few loyalty points); the rule then fails as a whole."""


#: Money is counted in cents.
CENT = Decimal("0.01")


def money(value: Decimal) -> Decimal:
    """A non-negative amount rounded to cents, half up (INF): 10% of 26.75 is 2.675, which is 2.68."""
    return max(ZERO, value.quantize(CENT, rounding=ROUND_HALF_UP))


def number(value: Decimal) -> float:
    """A money Decimal as the JSON number the wire carries (cents are exact as a float's shortest text)."""
    return float(value)
