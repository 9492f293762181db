"""Campaigns whose rules are Talang: each compiled rule evaluated in the engine's pipeline, its intents mapped onto
the declared effects, so a Talang campaign's effects are those of the same campaign declared in the vocabulary.

:func:`rules_of` gives a campaign's rules for :mod:`.evaluation`: its declared :class:`Rule` objects, or one
:class:`TalangRule` per rule of its ruleset. :func:`decide` says whether a rule holds in a context and which effects
it fires. A rule that calls ``couponValid`` (``referralValid``) is a coupon (referral) rule, evaluated once per valid
code of its campaign exactly like a declared one. A Talang failure at run time fails that rule only, as Talon.One
does: no effects from it, a rule failure whose ``details`` name the function, the place and the cause (the other
rules and campaigns still run). Never a silent false: the failure is in ``ruleFailureReasons``, the request log
and the plugin's summary.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from pytest_talon.fake.campaigns import effects as c
from pytest_talon.fake.campaigns.campaign import Campaign, Rule
from pytest_talon.fake.engine.conditions import first_failing
from pytest_talon.fake.engine.context import RuleContext
from pytest_talon.fake.errors import FakeSetupError
from pytest_talon.fake.talang import Event, Item, Profile, Session, TalangRuntimeError
from pytest_talon.fake.talang.nodes import EffectIntent
from pytest_talon.fake.talang.rules import CompiledRuleset

__all__ = [
    "INTENT_EFFECTS",
    "AnyRule",
    "IntentEffect",
    "Decision",
    "EngineView",
    "TalangRule",
    "decide",
    "rejected_codes",
    "rules_of",
]

#: The reason of ``rejectCoupon`` called without one.
DEFAULT_REJECTION = "CouponRejectedByCondition"


@dataclass(frozen=True)
class TalangRule:
    """One rule of a campaign's compiled Talang ruleset, as :mod:`.evaluation` runs it."""

    ruleset: CompiledRuleset
    index: int

    @property
    def title(self) -> str:
        """The rule's title."""
        return self.ruleset.rules[self.index].title

    @property
    def is_coupon_rule(self) -> bool:
        """Whether the rule (or a binding it may read) calls ``couponValid``."""
        return "couponValid" in self.ruleset.functions_of(self.index)

    @property
    def is_referral_rule(self) -> bool:
        """Whether the rule (or a binding it may read) calls ``referralValid``."""
        return "referralValid" in self.ruleset.functions_of(self.index)


#: A rule as :mod:`.evaluation` runs it: declared, or one rule of a Talang ruleset.
AnyRule = Rule | TalangRule


@dataclass(frozen=True)
class Decision:
    """What a rule does in one context: the index of the condition that failed, or the effects it fires.

    ``rejection`` is the reason a Talang rule gave ``rejectCoupon`` (the coupon is rejected, no effect fires).
    A Talang rule that failed at run time has ``details`` (function, place, cause) and the index of the condition
    (``failed``) or of the effect (``failed_effect``) it failed in.
    """

    failed: int | None = None
    effects: tuple[c.CampaignEffect, ...] = ()
    rejection: str | None = None
    failed_effect: int | None = None
    details: str | None = None


def rules_of(campaign: Campaign) -> Sequence[AnyRule]:
    """The rules :mod:`.evaluation` runs for ``campaign``: declared ones, or those of its Talang ruleset."""
    ruleset = campaign.talang
    if ruleset is None:
        return campaign.rules
    return [TalangRule(ruleset, index) for index in range(len(ruleset.rules))]


@dataclass(frozen=True)
class EngineView:
    """The engine's :class:`~.context.RuleContext` as a Talang :class:`~pytest_talon.fake.talang.EvalContext`."""

    ctx: RuleContext
    coupon_codes: tuple[str, ...] = ()
    referral_code: str | None = None

    @property
    def session(self) -> Session:
        """The session: cart items (with catalog attributes), costs, codes, attributes; Total = items + costs.

        ``State`` is the session's state (``open``, ``closed``, ``cancelled``); ``partially_returned`` when a return
        re-evaluates it (INF).
        """
        ctx = self.ctx
        items = tuple(_item(position, item) for position, item in enumerate(ctx.cart_items))
        costs = {name: _decimal(cost.get("price")) for name, cost in ctx.additional_costs.items()}
        item_total = sum((i.price * i.quantity for i in items), Decimal(0))
        cost_total = sum(costs.values(), Decimal(0))
        return Session(
            total=item_total + cost_total,
            cart_items=items,
            coupon_codes=self.coupon_codes,
            referral_code=self.referral_code,
            attributes=dict(ctx.session_attributes),
            integration_id=ctx.session_id,
            state=_state(ctx),
            profile_id=ctx.profile_id or None,
            additional_costs=costs,
            cart_item_total=item_total,
            additional_cost_total=cost_total,
        )

    @property
    def profile(self) -> Profile | None:
        """The customer profile, when the evaluation has one."""
        return Profile(self.ctx.profile_id, dict(self.ctx.profile_attributes)) if self.ctx.profile_id else None

    @property
    def event(self) -> Event:
        """The event being evaluated: its type (``talon_session_updated``...) and a custom event's attributes."""
        return Event(self.ctx.event_type, self.ctx.event_attributes)

    @property
    def now(self) -> Any:
        """The fake's clock at this evaluation."""
        return self.ctx.now

    def coupon_valid(self) -> bool:
        """Whether a valid coupon of the campaign is being evaluated."""
        return self.ctx.coupon is not None

    def referral_valid(self) -> bool:
        """Whether a valid referral code of the campaign is being evaluated."""
        return self.ctx.referral is not None


def _state(ctx: RuleContext) -> str:
    events = (ctx.event_type, *ctx.also_events)
    if "talon_session_partially_returned" in events:
        return "partially_returned"
    return "closed" if "talon_session_closed" in events else ctx.session_state


def _decimal(value: Any) -> Decimal:
    return Decimal(str(value)) if value is not None else Decimal(0)


def _item(position: int, item: Mapping[str, Any]) -> Item:
    weight = item.get("weight")
    return Item(
        sku=str(item.get("sku", "")),
        quantity=_decimal(item.get("quantity", 1)),
        price=_decimal(item.get("price")),
        name=item.get("name"),
        category=item.get("category"),
        position=position,
        weight=None if weight is None else _decimal(weight),
        attributes=dict(item.get("attributes") or {}),
    )


def decide(rule: AnyRule, ctx: RuleContext, codes: tuple[tuple[str, ...], str | None] = ((), None)) -> Decision:
    """Whether ``rule`` holds in ``ctx`` and what it fires; ``codes`` are the session's coupon and referral codes."""
    if isinstance(rule, Rule):
        failed = first_failing(rule, ctx)
        return Decision(failed) if failed is not None else Decision(effects=rule.effects)
    ruleset = rule.ruleset
    try:
        outcome = ruleset.evaluate_rule(rule.index, EngineView(ctx, *codes))
    except TalangRuntimeError as error:
        return _failure(error)
    if not outcome.matched:
        return Decision(outcome.failed_condition or 0)
    try:
        rejection = next((i for i, intent in enumerate(outcome.intents) if intent.kind == "rejectCoupon"), None)
        if rejection is not None:
            return Decision(rejection=_rejection(rejection, outcome.intents[rejection], ctx))
        return Decision(effects=tuple(_spec(index, intent) for index, intent in enumerate(outcome.intents)))
    except TalangRuntimeError as error:
        error.add_context(campaign=ruleset.campaign, rule=rule.title)
        return _failure(error)


def _failure(error: TalangRuntimeError) -> Decision:
    """A rule that failed at run time: the condition or effect it failed in, and the details."""
    if error.effect_index is not None:
        return Decision(failed_effect=error.effect_index, details=error.details)
    return Decision(error.condition_index or 0, details=error.details)


def rejected_codes(effects: Sequence[Mapping[str, Any]]) -> set[str]:
    """The coupon codes ``effects`` already reject (a Talang rule's ``rejectCoupon``: the first verdict stands)."""
    return {e["props"]["value"] for e in effects if e["effectType"] == "rejectCoupon"}


def _rejection(index: int, intent: EffectIntent, ctx: RuleContext) -> str:
    if ctx.coupon is None:
        error = TalangRuntimeError(
            "rejectCoupon: only a rule evaluated for a coupon (one that calls couponValid) may reject it",
            function="rejectCoupon",
        )
        error.effect_index = index
        raise error
    reason = intent.args.get("rejectionReason")
    return reason if isinstance(reason, str) and reason else DEFAULT_REJECTION


def _json(value: object) -> object:
    """A Talang value as JSON: Decimals as ints when whole, else floats; Maps and Lists recursively."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {str(k): _json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


@dataclass(frozen=True)
class IntentEffect:
    """How one Talang effect becomes a declared effect: its class, its fields by intent argument, defaults."""

    effect: type[c.CampaignEffect]
    fields: Mapping[str, str]
    defaults: Mapping[str, Any] = field(default_factory=dict)

    def build(self, args: Mapping[str, object]) -> c.CampaignEffect:
        """The declared effect for an intent's arguments (unset ones keep the class's defaults)."""
        given = {name: _json(args[arg]) for name, arg in self.fields.items() if args.get(arg) is not None}
        return self.effect(**{**self.defaults, **given})


_DISCOUNT = {"name": "name", "value": "value"}
_POINTS = {"program_id": "programId", "value": "value", "name": "name", "sub_ledger_id": "subLedgerId"}
_CODES = {"prefix": "prefix", "usage_limit": "usageLimit"}

#: How each Talang effect becomes a declared effect (so it goes through the same builders and budgets).
INTENT_EFFECTS: dict[str, IntentEffect] = {
    "setDiscount": IntentEffect(c.SetDiscount, {**_DISCOUNT, "scope": "scope"}),
    "setDiscountPerItem": IntentEffect(c.SetDiscountPerItem, {**_DISCOUNT, "position": "position"}),
    "setDiscountPerAdditionalCost": IntentEffect(
        c.SetDiscountPerAdditionalCost, {**_DISCOUNT, "additional_cost": "additionalCost"}
    ),
    "addLoyaltyPoints": IntentEffect(c.AddLoyaltyPoints, _POINTS),
    "deductLoyaltyPoints": IntentEffect(c.DeductLoyaltyPoints, _POINTS),
    "addFreeItem": IntentEffect(c.AddFreeItem, {"sku": "sku", "name": "name", "quantity": "desiredQuantity"}),
    "showNotification": IntentEffect(
        c.ShowNotification, {"title": "title", "body": "body", "notification_type": "notificationType"}
    ),
    "createCoupon": IntentEffect(c.CreateCoupon, _CODES),
    "createReferral": IntentEffect(c.CreateReferral, _CODES),
    "customEffect": IntentEffect(c.CustomEffect, {"name": "name", "payload": "payload"}),
    "triggerWebhook": IntentEffect(
        c.TriggerWebhook, {"webhook_id": "webhookId", "webhook_name": "webhookName"}, {"webhook_name": ""}
    ),
}


def _spec(index: int, intent: EffectIntent) -> c.CampaignEffect:
    mapping = INTENT_EFFECTS.get(intent.kind)
    try:
        if mapping is None:
            raise TalangRuntimeError(f"{intent.kind}: the engine has no effect for it", function=intent.kind)
        try:
            return mapping.build(intent.args)
        except (FakeSetupError, TypeError) as error:
            raise TalangRuntimeError(f"{intent.kind}: {error}", function=intent.kind) from None
    except TalangRuntimeError as error:
        error.effect_index = index
        raise
