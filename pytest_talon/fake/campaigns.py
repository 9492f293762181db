"""Campaign declarations: rules made of conditions and effects, limits and a validity window.

The same vocabulary works in Python and in a YAML/JSON campaigns file. In a file each condition and each effect
is a one-key mapping ``{kind: {params}}`` (``kind`` is the class's :attr:`kind`, params in camelCase or
snake_case)::

    campaigns:
      - name: Ten percent off
        limits: {couponRedemptions: 100, redemptionsPerProfile: 1}
        rules:
          - title: coupon discount
            conditions: [{couponValid: {}}, {cartSubtotal: {op: ">=", value: 50}}]
            effects: [{setDiscount: {name: "10% off", percent: 10}}]
    coupons:
      - {value: SUMMER-10, campaignId: 1}
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar

from pytest_talon.fake.errors import FakeSetupError

__all__ = [
    "CONDITION_KINDS",
    "EFFECT_KINDS",
    "OPERATORS",
    "AddFreeItem",
    "AddLoyaltyPoints",
    "AddToAudience",
    "Always",
    "Campaign",
    "CampaignLimits",
    "CartSubtotal",
    "Condition",
    "CouponValid",
    "CreateCoupon",
    "CreateReferral",
    "CustomEffect",
    "DeductLoyaltyPoints",
    "EffectSpec",
    "EventType",
    "InAudience",
    "IncreaseAchievementProgress",
    "ItemAttribute",
    "ItemCategory",
    "ItemQuantity",
    "ItemSku",
    "ProfileAttribute",
    "ReferralValid",
    "RemoveFromAudience",
    "ReserveCoupon",
    "Rule",
    "SessionAttribute",
    "SetDiscount",
    "SetDiscountPerAdditionalCost",
    "SetDiscountPerItem",
    "ShowNotification",
    "TriggerWebhook",
    "UpdateAttribute",
]

#: Comparison operators accepted by the comparing conditions (``exists`` ignores ``value``; ``in`` takes a list).
OPERATORS = ("==", "!=", ">", ">=", "<", "<=", "in", "exists")


def _check_op(op: str) -> None:
    if op not in OPERATORS:
        raise FakeSetupError(f"op: unknown operator {op!r}; use one of {', '.join(OPERATORS)}")


def _one_amount(value: float | None, percent: float | None) -> None:
    if (value is None) == (percent is None):
        raise FakeSetupError("value/percent: give exactly one of value (a fixed amount) or percent")
    amount = value if value is not None else percent
    if amount is not None and amount < 0:
        raise FakeSetupError(f"value/percent: must not be negative, got {amount}")


# ---- conditions ----------------------------------------------------------------------------------------------


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
    """The event being evaluated has this type (custom, or built-in such as ``talon_session_closed``)."""

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


# ---- effects -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EffectSpec:
    """Base of every declared effect; :attr:`kind` is its name in a campaigns file and its ``effectType``."""

    kind: ClassVar[str] = ""


@dataclass(frozen=True)
class SetDiscount(EffectSpec):
    """A session discount: a fixed ``value``, or ``percent`` of the cart subtotal; never more than what it discounts.

    ``scope`` is ``cartItems`` (default), ``additionalCosts`` or ``sessionTotal``.
    """

    kind: ClassVar[str] = "setDiscount"
    name: str
    value: float | None = None
    percent: float | None = None
    scope: str = "cartItems"

    def __post_init__(self) -> None:
        _one_amount(self.value, self.percent)
        if self.scope not in ("cartItems", "additionalCosts", "sessionTotal"):
            raise FakeSetupError(f"scope: {self.scope!r} is not cartItems, additionalCosts or sessionTotal")


@dataclass(frozen=True)
class SetDiscountPerItem(EffectSpec):
    """A discount on each matching cart item (``sku``/``category``; all items when neither): ``value`` per unit or
    ``percent`` of the item's price; never more than the item costs."""

    kind: ClassVar[str] = "setDiscountPerItem"
    name: str
    value: float | None = None
    percent: float | None = None
    sku: str | None = None
    category: str | None = None

    def __post_init__(self) -> None:
        _one_amount(self.value, self.percent)


@dataclass(frozen=True)
class SetDiscountPerAdditionalCost(EffectSpec):
    """A discount on one session additional cost (e.g. ``shipping``): fixed ``value`` or ``percent`` of it."""

    kind: ClassVar[str] = "setDiscountPerAdditionalCost"
    name: str
    additional_cost: str
    value: float | None = None
    percent: float | None = None

    def __post_init__(self) -> None:
        _one_amount(self.value, self.percent)


@dataclass(frozen=True)
class AddFreeItem(EffectSpec):
    """Tell the integration to add a free item."""

    kind: ClassVar[str] = "addFreeItem"
    sku: str
    name: str
    quantity: int | None = None


@dataclass(frozen=True)
class AddLoyaltyPoints(EffectSpec):
    """Award points in a loyalty program: a fixed ``value`` or ``percent`` of the cart subtotal; written at close."""

    kind: ClassVar[str] = "addLoyaltyPoints"
    program_id: int
    value: float | None = None
    percent: float | None = None
    name: str = "Points"
    sub_ledger_id: str = ""

    def __post_init__(self) -> None:
        _one_amount(self.value, self.percent)


@dataclass(frozen=True)
class DeductLoyaltyPoints(EffectSpec):
    """Spend points from a loyalty program; not applied when the balance is too low."""

    kind: ClassVar[str] = "deductLoyaltyPoints"
    program_id: int
    value: float
    name: str = "Points spent"
    sub_ledger_id: str = ""


@dataclass(frozen=True)
class ShowNotification(EffectSpec):
    """Show a notification to the customer."""

    kind: ClassVar[str] = "showNotification"
    title: str
    body: str
    notification_type: str = "info"


@dataclass(frozen=True)
class UpdateAttribute(EffectSpec):
    """Set an attribute: ``path`` is ``session.<name>`` or ``profile.<name>``; applied when the update persists.

    ``value`` must be an object (a dict): that is the spec's type for the effect's ``value``.
    """

    kind: ClassVar[str] = "updateAttribute"
    path: str
    value: dict[str, Any]

    def __post_init__(self) -> None:
        if not re.match(r"^(session|profile)\.\w+$", self.path):
            raise FakeSetupError(f"path: {self.path!r} must be session.<attribute> or profile.<attribute>")
        if not isinstance(self.value, dict):
            raise FakeSetupError(
                f"value: {self.value!r} is not an object; the spec types updateAttribute's value as an object, so "
                "the fake only emits objects (wrap scalars, e.g. {'value': ...})"
            )


@dataclass(frozen=True)
class CustomEffect(EffectSpec):
    """A custom effect with a free ``payload``."""

    kind: ClassVar[str] = "customEffect"
    name: str
    payload: dict[str, Any] = field(default_factory=dict)
    effect_id: int = 1


@dataclass(frozen=True)
class TriggerWebhook(EffectSpec):
    """Report that a webhook was triggered (the fake sends nothing)."""

    kind: ClassVar[str] = "triggerWebhook"
    webhook_id: int
    webhook_name: str


@dataclass(frozen=True)
class CreateCoupon(EffectSpec):
    """Create a coupon in this campaign for the customer (``couponCreated``; the entity is in ``createdCoupons``)."""

    kind: ClassVar[str] = "couponCreated"
    prefix: str = "GEN-"
    usage_limit: int = 1


@dataclass(frozen=True)
class CreateReferral(EffectSpec):
    """Create a referral code in this campaign with the customer as advocate (``referralCreated``)."""

    kind: ClassVar[str] = "referralCreated"
    prefix: str = "REF-"
    usage_limit: int = 0


@dataclass(frozen=True)
class ReserveCoupon(EffectSpec):
    """Reserve a coupon for the customer: ``coupon_value``, or the coupon being evaluated when omitted."""

    kind: ClassVar[str] = "reserveCoupon"
    coupon_value: str | None = None


@dataclass(frozen=True)
class AddToAudience(EffectSpec):
    """Add the customer to an audience."""

    kind: ClassVar[str] = "addToAudience"
    audience_id: int
    audience_name: str | None = None


@dataclass(frozen=True)
class RemoveFromAudience(EffectSpec):
    """Remove the customer from an audience."""

    kind: ClassVar[str] = "removeFromAudience"
    audience_id: int
    audience_name: str | None = None


@dataclass(frozen=True)
class IncreaseAchievementProgress(EffectSpec):
    """Add ``delta`` to the customer's progress in an achievement, named by id or name (``achievement``, or
    ``achievement_id`` / ``achievement_name`` as in a campaigns file); committed when the session closes."""

    kind: ClassVar[str] = "increaseAchievementProgress"
    achievement: int | str | None = None
    delta: float = 1.0
    achievement_id: int | None = None
    achievement_name: str | None = None

    def __post_init__(self) -> None:
        given = [r for r in (self.achievement, self.achievement_id, self.achievement_name) if r is not None]
        wrong_type = (self.achievement_id is not None and not isinstance(self.achievement_id, int)) or (
            self.achievement_name is not None and not isinstance(self.achievement_name, str)
        )
        if len(given) != 1 or isinstance(given[0], bool) or given[0] == "" or wrong_type:
            raise FakeSetupError(
                "achievement: name the achievement once, by id (an integer) or name (achievement, achievementId "
                f"or achievementName), got {given!r}"
            )
        if isinstance(self.delta, bool) or not isinstance(self.delta, (int, float)) or self.delta <= 0:
            raise FakeSetupError(f"delta: must be a positive number, got {self.delta!r}")

    @property
    def ref(self) -> int | str:
        """The achievement's id (int) or name (str), whichever was given."""
        given = [r for r in (self.achievement, self.achievement_id, self.achievement_name) if r is not None]
        return given[0]


# ---- rules and campaigns -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """A named rule: when every condition holds, its effects fire (in order)."""

    title: str
    conditions: tuple[Condition, ...] = ()
    effects: tuple[EffectSpec, ...] = ()

    @property
    def is_coupon_rule(self) -> bool:
        """Whether the rule checks a coupon (has :class:`CouponValid`)."""
        return any(isinstance(c, CouponValid) for c in self.conditions)

    @property
    def is_referral_rule(self) -> bool:
        """Whether the rule checks a referral (has :class:`ReferralValid`)."""
        return any(isinstance(c, ReferralValid) for c in self.conditions)


@dataclass(frozen=True)
class CampaignLimits:
    """Campaign-wide limits; 0 means unlimited."""

    coupon_redemptions: int = 0
    referral_redemptions: int = 0
    redemptions_per_profile: int = 0


@dataclass(frozen=True)
class Campaign:
    """A campaign: rules, state, validity window and limits. ``id`` is assigned when omitted."""

    name: str
    rules: tuple[Rule, ...] = ()
    id: int = 0
    state: str = "enabled"
    start_time: datetime | None = None
    end_time: datetime | None = None
    limits: CampaignLimits = CampaignLimits()
    tags: tuple[str, ...] = ()
    description: str = ""
    attributes: dict[str, Any] = field(default_factory=dict)
    reevaluate_on_return: bool = False

    def __post_init__(self) -> None:
        if not self.name:
            raise FakeSetupError("name: a campaign needs a non-empty name")
        if self.state not in ("enabled", "disabled", "archived"):
            raise FakeSetupError(f"state: {self.state!r} is not enabled, disabled or archived")
        for when in (self.start_time, self.end_time):
            if when is not None and when.tzinfo is None:
                raise FakeSetupError(f"startTime/endTime: {when!r} is naive; give a timezone (e.g. ...Z)")
        object.__setattr__(self, "rules", tuple(self.rules))
        object.__setattr__(self, "tags", tuple(self.tags))

    @property
    def ruleset_id(self) -> int:
        """The id of the campaign's active ruleset (derived from the campaign id)."""
        return 1000 + self.id

    @property
    def features(self) -> list[str]:
        """The campaign's features as the API lists them (coupons, referrals, loyalty, achievements)."""
        out = []
        effects = [e for r in self.rules for e in r.effects]
        if any(r.is_coupon_rule for r in self.rules):
            out.append("coupons")
        if any(r.is_referral_rule for r in self.rules):
            out.append("referrals")
        if any(isinstance(e, (AddLoyaltyPoints, DeductLoyaltyPoints)) for e in effects):
            out.append("loyalty")
        if any(isinstance(e, IncreaseAchievementProgress) for e in effects):
            out.append("achievements")
        return out

    def is_running(self, now: datetime) -> bool:
        """Enabled and inside its start/end window."""
        if self.state != "enabled":
            return False
        return (self.start_time is None or self.start_time <= now) and (self.end_time is None or now < self.end_time)

    def frontend_state(self, now: datetime) -> str:
        """``running``, ``scheduled``, ``expired``, ``disabled`` or ``archived``."""
        if self.state != "enabled":
            return self.state
        if self.start_time is not None and now < self.start_time:
            return "scheduled"
        if self.end_time is not None and now >= self.end_time:
            return "expired"
        return "running"


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
EFFECT_KINDS: dict[str, type[EffectSpec]] = {
    e.kind: e
    for e in (
        SetDiscount,
        SetDiscountPerItem,
        SetDiscountPerAdditionalCost,
        AddFreeItem,
        AddLoyaltyPoints,
        DeductLoyaltyPoints,
        ShowNotification,
        UpdateAttribute,
        CustomEffect,
        TriggerWebhook,
        CreateCoupon,
        CreateReferral,
        ReserveCoupon,
        AddToAudience,
        RemoveFromAudience,
        IncreaseAchievementProgress,
    )
}
