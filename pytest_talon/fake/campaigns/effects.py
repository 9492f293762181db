"""The effects a rule can fire, as tests declare them (in Python or, by :attr:`CampaignEffect.kind`, in a file).

Each class is plain validated data; what it produces is its builder in
:data:`pytest_talon.fake.engine.effects.BUILDERS`. A new effect: a frozen dataclass here with a ``kind``, an entry
in :data:`EFFECT_KINDS`, and its builder and :data:`~pytest_talon.fake.engine.effects.EFFECT_REGISTRY` entry there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, ClassVar

from pytest_talon.fake.errors import FakeSetupError

__all__ = [
    "CampaignEffect",
    "EffectSpec",
    "EFFECT_KINDS",
    "AddFreeItem",
    "AddLoyaltyPoints",
    "AddToAudience",
    "CreateCoupon",
    "CreateReferral",
    "CustomEffect",
    "DeductLoyaltyPoints",
    "IncreaseAchievementProgress",
    "RemoveFromAudience",
    "ReserveCoupon",
    "SetDiscount",
    "SetDiscountPerAdditionalCost",
    "SetDiscountPerItem",
    "ShowNotification",
    "TriggerWebhook",
    "UpdateAttribute",
]


def _one_amount(value: float | None, percent: float | None) -> None:
    if (value is None) == (percent is None):
        raise FakeSetupError("value/percent: give exactly one of value (a fixed amount) or percent")
    amount = value if value is not None else percent
    if amount is not None and amount < 0:
        raise FakeSetupError(f"value/percent: must not be negative, got {amount}")


#: Every declared effect class by :attr:`~CampaignEffect.kind`, in declaration order (a subclass registers itself).
EFFECT_KINDS: dict[str, type[CampaignEffect]] = {}


@dataclass(frozen=True)
class CampaignEffect:
    """Base of every declared effect; :attr:`kind` is its name in a campaigns file and its ``effectType``.

    Declaring a subclass with a ``kind`` registers it in :data:`EFFECT_KINDS`; its builder and docs line are
    registered with :func:`pytest_talon.fake.engine.registry.effect`."""

    kind: ClassVar[str] = ""

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if cls.kind:
            if cls.kind in EFFECT_KINDS:
                raise ValueError(f"effect kind {cls.kind!r} is declared twice")
            EFFECT_KINDS[cls.kind] = cls


#: The former name of :class:`CampaignEffect`, kept importable (``pytest_talon.assertions.EffectSpec`` is the
#: expectation about an effect the assertions match; this is the effect a campaign declares).
EffectSpec = CampaignEffect


@dataclass(frozen=True)
class SetDiscount(CampaignEffect):
    """A session discount: a fixed ``value``, or ``percent`` of the scope's amount before any discount (rounded to
    cents, half up); never more than what is left to discount (the wanted amount is then ``desiredValue``).

    ``scope`` is ``cartItems`` (default: the cart subtotal, price x quantity over the items), ``additionalCosts``
    (their sum) or ``sessionTotal`` (both).
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
class SetDiscountPerItem(CampaignEffect):
    """A discount on each matching cart item (``sku``/``category``; all items when neither; only the line at
    ``position`` when given): ``value`` per unit or ``percent`` of the unit price (rounded per unit); never more than
    what the unit has left. One effect per unit: a line of quantity 3 gives 3 effects with ``position`` and
    ``subPosition`` 0, 1, 2 (``subPosition`` left out when the quantity is 1); the name gets a ``#<position>``
    suffix."""

    kind: ClassVar[str] = "setDiscountPerItem"
    name: str
    value: float | None = None
    percent: float | None = None
    sku: str | None = None
    category: str | None = None
    position: int | None = None

    def __post_init__(self) -> None:
        _one_amount(self.value, self.percent)


@dataclass(frozen=True)
class SetDiscountPerAdditionalCost(CampaignEffect):
    """A discount on one session additional cost (e.g. ``shipping``): fixed ``value`` or ``percent`` of it."""

    kind: ClassVar[str] = "setDiscountPerAdditionalCost"
    name: str
    additional_cost: str
    value: float | None = None
    percent: float | None = None

    def __post_init__(self) -> None:
        _one_amount(self.value, self.percent)


@dataclass(frozen=True)
class AddFreeItem(CampaignEffect):
    """Tell the integration to add a free item."""

    kind: ClassVar[str] = "addFreeItem"
    sku: str
    name: str
    quantity: int | None = None


@dataclass(frozen=True)
class AddLoyaltyPoints(CampaignEffect):
    """Award points in a loyalty program: a fixed ``value`` or ``percent`` of the cart subtotal before any discount
    (price x quantity over the items; rounded to 2 decimals, half up); tentative while the session is open, written
    to the ledger at close."""

    kind: ClassVar[str] = "addLoyaltyPoints"
    program_id: int
    value: float | None = None
    percent: float | None = None
    name: str = "Points"
    sub_ledger_id: str = ""

    def __post_init__(self) -> None:
        _one_amount(self.value, self.percent)


@dataclass(frozen=True)
class DeductLoyaltyPoints(CampaignEffect):
    """Spend ``value`` points from a loyalty program; when the balance (with this evaluation's tentative points) is
    too low, the rule fails and none of its effects apply."""

    kind: ClassVar[str] = "deductLoyaltyPoints"
    program_id: int
    value: float
    name: str = "Points spent"
    sub_ledger_id: str = ""


@dataclass(frozen=True)
class ShowNotification(CampaignEffect):
    """Show a notification to the customer."""

    kind: ClassVar[str] = "showNotification"
    title: str
    body: str
    notification_type: str = "info"


@dataclass(frozen=True)
class UpdateAttribute(CampaignEffect):
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
class CustomEffect(CampaignEffect):
    """A custom effect with a free ``payload``."""

    kind: ClassVar[str] = "customEffect"
    name: str
    payload: dict[str, Any] = field(default_factory=dict)
    effect_id: int = 1


@dataclass(frozen=True)
class TriggerWebhook(CampaignEffect):
    """Report that a webhook was triggered: recorded in ``fake.webhooks`` when the request persists, and sent when
    the campaigns file's ``webhooks`` section gives it a ``url``."""

    kind: ClassVar[str] = "triggerWebhook"
    webhook_id: int
    webhook_name: str


@dataclass(frozen=True)
class CreateCoupon(CampaignEffect):
    """Create a coupon ``<prefix><counter>`` in this campaign for the customer, with ``usage_limit`` (0 = unlimited);
    the entity is in ``createdCoupons``. It fires on every evaluation where the rule holds: add an ``eventType:
    talon_session_closed`` condition to create one per order."""

    kind: ClassVar[str] = "couponCreated"
    prefix: str = "GEN-"
    usage_limit: int = 1


@dataclass(frozen=True)
class CreateReferral(CampaignEffect):
    """Create a referral code ``<prefix><counter>`` in this campaign with the customer as advocate, with
    ``usage_limit`` (0 = unlimited); the entity is in ``createdReferrals``."""

    kind: ClassVar[str] = "referralCreated"
    prefix: str = "REF-"
    usage_limit: int = 0


@dataclass(frozen=True)
class ReserveCoupon(CampaignEffect):
    """Reserve a coupon for the customer: ``coupon_value``, or the coupon being evaluated when omitted."""

    kind: ClassVar[str] = "reserveCoupon"
    coupon_value: str | None = None


@dataclass(frozen=True)
class AddToAudience(CampaignEffect):
    """Add the customer to an audience."""

    kind: ClassVar[str] = "addToAudience"
    audience_id: int
    audience_name: str | None = None


@dataclass(frozen=True)
class RemoveFromAudience(CampaignEffect):
    """Remove the customer from an audience."""

    kind: ClassVar[str] = "removeFromAudience"
    audience_id: int
    audience_name: str | None = None


@dataclass(frozen=True)
class IncreaseAchievementProgress(CampaignEffect):
    """Add ``delta`` to the customer's progress in a declared achievement, named by id or name (``achievement``, or
    ``achievement_id`` / ``achievement_name`` as in a campaigns file). The effect's ``value`` is the progress after
    it, ``isJustCompleted`` true when it reaches the target; tentative while the session is open, committed when it
    closes (events and profile updates: at once)."""

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
