"""The conditions a rule can test, as tests declare them (in Python or, by :attr:`Condition.kind`, in a file).

Each class is plain validated data; what it means is its predicate in
:data:`pytest_talon.fake.engine.conditions.CONDITION_CHECKS`. A new condition: a frozen dataclass here with a
``kind``, an entry in :data:`CONDITION_KINDS`, its predicate there and its input in
:data:`pytest_talon.fake.engine.trace.CONDITION_INPUTS` (what an explanation shows it looked at).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from pytest_talon.fake.errors import FakeSetupError

__all__ = [
    "CONDITION_KINDS",
    "OPERATORS",
    "Always",
    "CartSubtotal",
    "Condition",
    "CouponValid",
    "EventType",
    "InAudience",
    "ItemAttribute",
    "ItemCategory",
    "ItemQuantity",
    "ItemSku",
    "ProfileAttribute",
    "ReferralValid",
    "SessionAttribute",
]

#: Comparison operators accepted by the comparing conditions (``exists`` ignores ``value``; ``in`` takes a list).
OPERATORS = ("==", "!=", ">", ">=", "<", "<=", "in", "exists")


def _check_op(op: str) -> None:
    if op not in OPERATORS:
        raise FakeSetupError(f"op: unknown operator {op!r}; use one of {', '.join(OPERATORS)}")


@dataclass(frozen=True)
class Condition:
    """Base of every rule condition; :attr:`kind` is its name in a campaigns file."""

    kind: ClassVar[str] = ""


@dataclass(frozen=True)
class Always(Condition):
    """Always true (a rule without conditions behaves the same)."""

    kind: ClassVar[str] = "always"


@dataclass(frozen=True)
class CartSubtotal(Condition):
    """The sum of price x quantity over the cart items compares to ``value`` (e.g. ``op=">="``)."""

    kind: ClassVar[str] = "cartSubtotal"
    op: str
    value: float

    def __post_init__(self) -> None:
        _check_op(self.op)


@dataclass(frozen=True)
class ItemSku(Condition):
    """The cart holds an item with this SKU."""

    kind: ClassVar[str] = "itemSku"
    sku: str


@dataclass(frozen=True)
class ItemCategory(Condition):
    """The cart holds an item of this category."""

    kind: ClassVar[str] = "itemCategory"
    category: str


@dataclass(frozen=True)
class ItemAttribute(Condition):
    """The cart holds an item with this attribute (equal to ``value`` when one is given)."""

    kind: ClassVar[str] = "itemAttribute"
    name: str
    value: Any = None


@dataclass(frozen=True)
class ItemQuantity(Condition):
    """The total quantity of the items matching ``sku``/``category`` (all items when neither) compares to ``value``."""

    kind: ClassVar[str] = "itemQuantity"
    op: str
    value: int
    sku: str | None = None
    category: str | None = None

    def __post_init__(self) -> None:
        _check_op(self.op)


@dataclass(frozen=True)
class _AttributeComparison(Condition):
    """An attribute compares to ``value`` (``op="exists"``: it is set)."""

    name: str
    op: str = "=="
    value: Any = None

    def __post_init__(self) -> None:
        _check_op(self.op)


@dataclass(frozen=True)
class ProfileAttribute(_AttributeComparison):
    """A customer profile attribute compares to ``value`` (``op="exists"``: it is set)."""

    kind: ClassVar[str] = "profileAttribute"


@dataclass(frozen=True)
class SessionAttribute(_AttributeComparison):
    """A session attribute compares to ``value`` (``op="exists"``: it is set)."""

    kind: ClassVar[str] = "sessionAttribute"


@dataclass(frozen=True)
class InAudience(Condition):
    """The customer profile is a member of this audience."""

    kind: ClassVar[str] = "inAudience"
    audience_id: int


@dataclass(frozen=True)
class EventType(Condition):
    """The event being evaluated has this type: a custom event's, or a built-in one (``talon_session_created``,
    ``talon_session_updated``, ``talon_session_closed``, ``talon_profile_created``, ``talon_profile_updated``)."""

    kind: ClassVar[str] = "eventType"
    type: str


@dataclass(frozen=True)
class CouponValid(Condition):
    """A coupon of this campaign in the session is valid; makes the rule a coupon rule (accept/reject)."""

    kind: ClassVar[str] = "couponValid"


@dataclass(frozen=True)
class ReferralValid(Condition):
    """The session's referral code belongs to this campaign and is valid; makes the rule a referral rule."""

    kind: ClassVar[str] = "referralValid"


CONDITION_KINDS: dict[str, type[Condition]] = {
    c.kind: c
    for c in (
        Always,
        CartSubtotal,
        ItemSku,
        ItemCategory,
        ItemAttribute,
        ItemQuantity,
        ProfileAttribute,
        SessionAttribute,
        InAudience,
        EventType,
        CouponValid,
        ReferralValid,
    )
}
