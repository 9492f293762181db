"""Effect builders: one per declared effect kind, turning an
:class:`~pytest_talon.fake.rules.effects.CampaignEffect` into effect props.

:data:`EFFECT_REGISTRY` documents every ``effectType`` the fake can emit (rule effects, coupon/referral
verdicts and rollbacks); :mod:`pytest_talon.fake.fidelity` renders it into ``docs/fidelity.md``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pytest_talon.fake.engine import discounts
from pytest_talon.fake.engine.achievements import ProgressRefused, increase_props
from pytest_talon.fake.engine.codes import new_code
from pytest_talon.fake.engine.context import EffectFailed, Produced, RuleContext, dec, money, number
from pytest_talon.fake.engine.webhooks import record_webhook
from pytest_talon.fake.rules import effects as c
from pytest_talon.fake.state.records import CouponRecord, ReferralRecord

__all__ = ["BUILDERS", "EFFECT_REGISTRY", "EffectInfo", "produce", "transaction_uuid"]


@dataclass(frozen=True)
class EffectInfo:
    """What the fake does for one ``effectType``: where it comes from, and differences from the live API."""

    source: str
    summary: str
    differences: str = ""


def transaction_uuid(ctx: RuleContext) -> str:
    """A deterministic ledger transaction UUID."""
    return str(uuid.UUID(int=ctx.app.next_id("transaction")))


def _need_profile(ctx: RuleContext, what: str) -> str:
    if not ctx.profile_id:
        raise EffectFailed(f"{what} needs a customer profile; the session is anonymous")
    return ctx.profile_id


def _add_points(spec: c.AddLoyaltyPoints, ctx: RuleContext) -> list[Produced]:
    profile_id = _need_profile(ctx, "addLoyaltyPoints")
    exact = dec(spec.value) if spec.value is not None else ctx.subtotal * dec(spec.percent) / 100
    points = number(money(exact))
    ctx.tentative_points[spec.program_id] = ctx.tentative_points.get(spec.program_id, Decimal(0)) + dec(points)
    props = {
        "name": spec.name,
        "programId": spec.program_id,
        "subLedgerId": spec.sub_ledger_id,
        "value": points,
        "recipientIntegrationId": profile_id,
        "transactionUUID": transaction_uuid(ctx),
    }
    return [Produced("addLoyaltyPoints", props)]


def _deduct_points(spec: c.DeductLoyaltyPoints, ctx: RuleContext) -> list[Produced]:
    profile_id = _need_profile(ctx, "deductLoyaltyPoints")
    tentative = ctx.tentative_points.get(spec.program_id, Decimal(0))
    available, needed = ctx.app.loyalty.balance(spec.program_id, profile_id) + tentative, dec(spec.value)
    if available < needed:
        raise EffectFailed(f"deductLoyaltyPoints: {needed} points needed, {available} available")
    ctx.tentative_points[spec.program_id] = tentative - needed
    props = {
        "ruleTitle": spec.name,
        "name": spec.name,
        "programId": spec.program_id,
        "subLedgerId": spec.sub_ledger_id,
        "value": spec.value,
        "transactionUUID": transaction_uuid(ctx),
    }
    return [Produced("deductLoyaltyPoints", props)]


def _notification(spec: c.ShowNotification, ctx: RuleContext) -> list[Produced]:
    props = {"notificationType": spec.notification_type, "title": spec.title, "body": spec.body}
    return [Produced("showNotification", props)]


def _update_attribute(spec: c.UpdateAttribute, ctx: RuleContext) -> list[Produced]:
    target, name = spec.path.split(".", 1)
    attrs = ctx.session_attributes if target == "session" else ctx.profile_attributes

    def apply() -> None:
        if target == "profile" and ctx.profile_id in ctx.app.profiles:
            ctx.app.profiles[ctx.profile_id].attributes[name] = spec.value
        elif target == "session" and ctx.session_id in ctx.app.sessions:
            ctx.app.sessions[ctx.session_id].attributes[name] = spec.value

    attrs[name] = spec.value
    return [Produced("updateAttribute", {"path": spec.path, "value": spec.value}, action=apply)]


def _custom(spec: c.CustomEffect, ctx: RuleContext) -> list[Produced]:
    return [Produced("customEffect", {"effectId": spec.effect_id, "name": spec.name, "payload": dict(spec.payload)})]


def _webhook(spec: c.TriggerWebhook, ctx: RuleContext, campaign_id: int) -> list[Produced]:
    def apply() -> None:
        record_webhook(ctx.app, spec.webhook_id, spec.webhook_name, campaign_id, ctx.session_id, ctx.profile_id)

    return [Produced("triggerWebhook", {"webhookId": spec.webhook_id, "webhookName": spec.webhook_name}, action=apply)]


def _create_coupon(spec: c.CreateCoupon, ctx: RuleContext, campaign_id: int) -> list[Produced]:
    profile_id = _need_profile(ctx, "couponCreated")
    app = ctx.app
    record = CouponRecord(
        id=app.next_id("coupon"),
        value=new_code(app, spec.prefix, app.coupons),
        campaign_id=campaign_id,
        created=ctx.now,
        usage_limit=spec.usage_limit,
        recipient_integration_id=profile_id,
    )

    def apply() -> None:
        app.coupons[record.value] = record

    props = {"value": record.value, "profileId": profile_id}
    return [Produced("couponCreated", props, action=apply, created_coupon=record)]


def _create_referral(spec: c.CreateReferral, ctx: RuleContext, campaign_id: int) -> list[Produced]:
    profile_id = _need_profile(ctx, "referralCreated")
    app = ctx.app
    record = ReferralRecord(
        id=app.next_id("referral"),
        code=new_code(app, spec.prefix, app.referrals),
        campaign_id=campaign_id,
        advocate_profile_integration_id=profile_id,
        created=ctx.now,
        usage_limit=spec.usage_limit,
    )

    def apply() -> None:
        app.referrals[record.code] = record

    return [Produced("referralCreated", {"value": record.code}, action=apply, created_referral=record)]


def _reserve(spec: c.ReserveCoupon, ctx: RuleContext) -> list[Produced]:
    profile_id = _need_profile(ctx, "reserveCoupon")
    value = spec.coupon_value or (ctx.coupon.value if ctx.coupon is not None else None)
    coupon = ctx.app.coupons.get(value or "")
    if coupon is None:
        raise EffectFailed(f"reserveCoupon: coupon {value!r} does not exist")
    is_new = profile_id not in coupon.reserved_by

    def apply() -> None:
        if profile_id not in coupon.reserved_by:
            coupon.reserved_by.append(profile_id)

    props = {"couponValue": coupon.value, "profileIntegrationId": profile_id, "isNewReservation": is_new}
    return [Produced("reserveCoupon", props, action=apply)]


def _audience(spec: c.AddToAudience | c.RemoveFromAudience, ctx: RuleContext) -> list[Produced]:
    profile_id = _need_profile(ctx, spec.kind)
    adding = isinstance(spec, c.AddToAudience)
    record = ctx.app.profiles.get(profile_id)
    props: dict[str, Any] = {"audienceId": spec.audience_id, "profileIntegrationId": profile_id}
    if spec.audience_name is not None:
        props["audienceName"] = spec.audience_name
    if record is not None:
        props["profileId"] = record.id

    def apply() -> None:
        found = ctx.app.profiles.get(profile_id)
        if found is None:
            return
        if adding and spec.audience_id not in found.audience_ids:
            found.audience_ids.append(spec.audience_id)
        elif not adding and spec.audience_id in found.audience_ids:
            found.audience_ids.remove(spec.audience_id)

    (ctx.audiences.add if adding else ctx.audiences.discard)(spec.audience_id)
    return [Produced(spec.kind, props, action=apply)]


def _increase_progress(spec: c.IncreaseAchievementProgress, ctx: RuleContext) -> list[Produced]:
    profile_id = _need_profile(ctx, "increaseAchievementProgress")
    try:
        props = increase_props(ctx, spec, profile_id)
    except ProgressRefused as exc:
        raise EffectFailed(str(exc)) from None
    return [] if props is None else [Produced("increaseAchievementProgress", props)]


#: Builders by declared effect class; creation builders also get the campaign id.
BUILDERS: dict[type[c.CampaignEffect], Callable[..., list[Produced]]] = {
    c.SetDiscount: discounts.set_discount,
    c.SetDiscountPerItem: discounts.set_discount_per_item,
    c.SetDiscountPerAdditionalCost: discounts.set_discount_per_cost,
    c.AddFreeItem: discounts.add_free_item,
    c.AddLoyaltyPoints: _add_points,
    c.DeductLoyaltyPoints: _deduct_points,
    c.ShowNotification: _notification,
    c.UpdateAttribute: _update_attribute,
    c.CustomEffect: _custom,
    c.TriggerWebhook: _webhook,
    c.CreateCoupon: _create_coupon,
    c.CreateReferral: _create_referral,
    c.ReserveCoupon: _reserve,
    c.AddToAudience: _audience,
    c.RemoveFromAudience: _audience,
    c.IncreaseAchievementProgress: _increase_progress,
}


def produce(spec: c.CampaignEffect, ctx: RuleContext, campaign_id: int) -> list[Produced]:
    """Build the effects of one declared effect in ``ctx``; raises :class:`EffectFailed` when it cannot apply."""
    builder = BUILDERS[type(spec)]
    if isinstance(spec, (c.CreateCoupon, c.CreateReferral, c.TriggerWebhook)):
        return builder(spec, ctx, campaign_id)
    return builder(spec, ctx)


_RULE = "rule effect"
_VERDICT = "coupon/referral verdict"
_ROLLBACK = "rollback"

#: Every effectType the fake emits, with how and the known differences from the live API.
EFFECT_REGISTRY: dict[str, EffectInfo] = {
    "acceptCoupon": EffectInfo(_VERDICT, "a coupon passed every check and a couponValid rule of its campaign"),
    "rejectCoupon": EffectInfo(
        _VERDICT,
        "one per rejected code, with rejectionReason (and conditionIndex/effectIndex when a rule failed)",
        "codes of no campaign use campaignId -1 (INF 10); the coupon's own usage limit answers CouponLimitReached "
        "(legacy name, INF); CouponPartOfNotTriggeredCampaign with campaignExclusionReason only for codes of "
        "campaigns an evaluation group left out or outside a dry run's evaluableCampaignIds (INF, see the "
        "evaluation-group points)",
    ),
    "acceptReferral": EffectInfo(_VERDICT, "the referral code passed every check and a referralValid rule"),
    "rejectReferral": EffectInfo(
        _VERDICT,
        "the referral code was rejected, with rejectionReason",
        "ReferralPartOfNotTriggeredCampaign with campaignExclusionReason as for coupons (INF, see the "
        "evaluation-group points)",
    ),
    "setDiscount": EffectInfo(
        _RULE,
        "fixed value or percent of the subtotal; capped at what remains of the scope and of the triggering "
        "coupon's discountLimit (EffectCouldNotBeApplied once that budget is used up)",
        "campaign-level discount budgets are not modelled",
    ),
    "setDiscountPerItem": EffectInfo(
        _RULE,
        "one effect per unit of every matching cart item (a line of quantity n is n units, each with position and, "
        "when n > 1, subPosition 0..n-1); value per unit (percent rounded per unit), capped at what the unit has "
        "left and at the triggering coupon's discountLimit (later units get 0 with desiredValue)",
        "subPosition is left out on lines of quantity 1 (INF); the name keeps the #position suffix",
    ),
    "setDiscountPerAdditionalCost": EffectInfo(_RULE, "discount on one named session cost, capped at its price"),
    "addFreeItem": EffectInfo(_RULE, "informational; the fake does not add the item to the cart"),
    "addLoyaltyPoints": EffectInfo(
        _RULE,
        "tentative while the session is open, written to the ledger at close (events/profiles: at once); "
        "pending and expiry follow the loyalty program's settings",
    ),
    "changeLoyaltyTierLevel": EffectInfo(
        _RULE,
        "follows addLoyaltyPoints that lifts a profile into a higher tier "
        "(profile programs whose points are active at once, main ledger)",
    ),
    "deductLoyaltyPoints": EffectInfo(_RULE, "spends points; the rule fails when the balance is too low"),
    "showNotification": EffectInfo(_RULE, "informational"),
    "updateAttribute": EffectInfo(_RULE, "sets a session or profile attribute when the request persists"),
    "customEffect": EffectInfo(_RULE, "payload as declared", "payload values are not templated from the session"),
    "triggerWebhook": EffectInfo(
        _RULE,
        "recorded when the request persists (GET /_fake/webhooks, fake.webhooks); sent when the campaigns file's "
        "webhooks: section gives it a url",
        "payload templates know ${webhookId}, ${webhookName}, ${campaignId}, ${sessionId}, ${profileId}, ${time} only",
    ),
    "couponCreated": EffectInfo(_RULE, "creates a coupon for the customer; listed in createdCoupons"),
    "referralCreated": EffectInfo(_RULE, "creates a referral with the customer as advocate; in createdReferrals"),
    "reserveCoupon": EffectInfo(_RULE, "reserves a coupon for the customer (isNewReservation false when held)"),
    "addToAudience": EffectInfo(_RULE, "adds the profile to the audience when the request persists"),
    "removeFromAudience": EffectInfo(_RULE, "removes the profile from the audience when the request persists"),
    "rollbackCoupon": EffectInfo(_ROLLBACK, "cancel/reopen of a closed session: the redemption is returned"),
    "rollbackReferral": EffectInfo(_ROLLBACK, "cancel/reopen of a closed session: the redemption is returned"),
    "rollbackDiscount": EffectInfo(
        _ROLLBACK,
        "cancel/reopen, and on returns one per discounted returned unit (cartItemPosition, cartItemSubPosition)",
        "a return takes the line's lowest not yet returned units first (INF)",
    ),
    "rollbackAddedLoyaltyPoints": EffectInfo(
        _ROLLBACK, "cancel/reopen: writes a deduction entry, capped by the program's returnPolicy"
    ),
    "rollbackDeductedLoyaltyPoints": EffectInfo(_ROLLBACK, "cancel/reopen: writes a re-addition entry"),
    "increaseAchievementProgress": EffectInfo(
        _RULE,
        "adds delta to the customer's progress in a declared achievement (value: the progress after it, "
        "isJustCompleted when it reaches target); tentative while the session is open, committed at close "
        "(events/profiles: at once); progressTrackerId per customer, achievement and period",
        "not emitted once the achievement is completed in the current period, nor while it is scheduled or after "
        "it ended (INF); value is not capped at target (INF); on_completion recurrence starts no new iteration",
    ),
    "rollbackIncreasedAchievementProgress": EffectInfo(
        _ROLLBACK,
        "cancel/reopen of a closed session: removes the progress its increases committed, unless the customer "
        "completed the achievement in that period and allowRollbackAfterCompletion is off",
        "also on reopen, like the other rollbacks (INF); currentProgress is the period's progress after the removal",
    ),
}
