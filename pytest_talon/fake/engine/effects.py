"""Effect builders: one per declared effect kind, turning a
:class:`~pytest_talon.fake.campaigns.effects.CampaignEffect` into effect props, each registered with its docs line by
:func:`~.registry.effect` (the discount builders are in :mod:`.discounts`); the effect types the engine emits on
its own are documented at the end with :func:`~.registry.emitted`. :func:`produce` runs the builder of a spec.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from pytest_talon.fake.campaigns import effects as c
from pytest_talon.fake.engine import discounts  # noqa: F401 - registers the discount builders
from pytest_talon.fake.engine.achievements import ProgressRefused, increase_props
from pytest_talon.fake.engine.codes import new_code
from pytest_talon.fake.engine.context import EffectFailed, Produced, RuleContext, dec, money, number
from pytest_talon.fake.engine.registry import (
    BUILDERS,
    EFFECT_REGISTRY,
    ROLLBACK,
    RULE,
    VERDICT,
    EffectInfo,
    build,
    effect,
    emitted,
)
from pytest_talon.fake.engine.webhooks import record_webhook
from pytest_talon.fake.state.records import CouponRecord, ReferralRecord

__all__ = ["BUILDERS", "EFFECT_REGISTRY", "EffectInfo", "produce", "transaction_uuid"]


def transaction_uuid(ctx: RuleContext) -> str:
    """A deterministic ledger transaction UUID."""
    return str(uuid.UUID(int=ctx.app.next_id("transaction")))


def _need_profile(ctx: RuleContext, what: str) -> str:
    if not ctx.profile_id:
        raise EffectFailed(f"{what} needs a customer profile; the session is anonymous")
    return ctx.profile_id


@effect(
    c.AddLoyaltyPoints,
    "tentative while the session is open, written to the ledger at close (events/profiles: at once); "
    "pending and expiry follow the loyalty program's settings",
)
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


@effect(
    c.DeductLoyaltyPoints,
    "spends points; the rule fails when the balance is too low",
)
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


@effect(
    c.ShowNotification,
    "informational",
)
def _notification(spec: c.ShowNotification, ctx: RuleContext) -> list[Produced]:
    props = {"notificationType": spec.notification_type, "title": spec.title, "body": spec.body}
    return [Produced("showNotification", props)]


@effect(
    c.UpdateAttribute,
    "sets a session or profile attribute when the request persists",
)
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


@effect(
    c.CustomEffect,
    "payload as declared",
    "payload values are not templated from the session",
)
def _custom(spec: c.CustomEffect, ctx: RuleContext) -> list[Produced]:
    return [Produced("customEffect", {"effectId": spec.effect_id, "name": spec.name, "payload": dict(spec.payload)})]


@effect(
    c.TriggerWebhook,
    "recorded when the request persists (GET /_fake/webhooks, fake.webhooks); sent when the campaigns file's "
    "webhooks: section gives it a url",
    "payload templates know ${webhookId}, ${webhookName}, ${campaignId}, ${sessionId}, ${profileId}, ${time} only",
    campaign_id=True,
)
def _webhook(spec: c.TriggerWebhook, ctx: RuleContext, campaign_id: int) -> list[Produced]:
    def apply() -> None:
        record_webhook(ctx.app, spec.webhook_id, spec.webhook_name, campaign_id, ctx.session_id, ctx.profile_id)

    return [Produced("triggerWebhook", {"webhookId": spec.webhook_id, "webhookName": spec.webhook_name}, action=apply)]


@effect(
    c.CreateCoupon,
    "creates a coupon for the customer; listed in createdCoupons",
    campaign_id=True,
)
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


@effect(
    c.CreateReferral,
    "creates a referral with the customer as advocate; in createdReferrals",
    campaign_id=True,
)
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


@effect(
    c.ReserveCoupon,
    "reserves a coupon for the customer (isNewReservation false when held)",
)
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


@effect(
    c.AddToAudience,
    "adds the profile to the audience when the request persists",
)
@effect(
    c.RemoveFromAudience,
    "removes the profile from the audience when the request persists",
)
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


@effect(
    c.IncreaseAchievementProgress,
    "adds delta to the customer's progress in a declared achievement (value: the progress after it, "
    "isJustCompleted when it reaches target); tentative while the session is open, committed at close "
    "(events/profiles: at once); progressTrackerId per customer, achievement and period",
    "not emitted once the achievement is completed in the current period, nor while it is scheduled or after "
    "it ended (INF); value is not capped at target (INF); on_completion recurrence starts no new iteration",
)
def _increase_progress(spec: c.IncreaseAchievementProgress, ctx: RuleContext) -> list[Produced]:
    profile_id = _need_profile(ctx, "increaseAchievementProgress")
    try:
        props = increase_props(ctx, spec, profile_id)
    except ProgressRefused as exc:
        raise EffectFailed(str(exc)) from None
    return [] if props is None else [Produced("increaseAchievementProgress", props)]


def produce(spec: c.CampaignEffect, ctx: RuleContext, campaign_id: int) -> list[Produced]:
    """Build the effects of one declared effect in ``ctx``; raises :class:`EffectFailed` when it cannot apply."""
    produced: list[Produced] = build(spec, ctx, campaign_id)
    return produced


# Effects the engine emits without a declaration of their own (verdicts, rollbacks, follow-ups).
emitted(
    "acceptCoupon",
    VERDICT,
    "a coupon passed every check and a couponValid rule of its campaign",
)

emitted(
    "rejectCoupon",
    VERDICT,
    "one per rejected code, with rejectionReason (and conditionIndex/effectIndex when a rule failed)",
    "codes of no campaign use campaignId -1 (INF 10); the coupon's own usage limit answers CouponLimitReached "
    "(legacy name, INF); CouponPartOfNotTriggeredCampaign with campaignExclusionReason only for codes of "
    "campaigns an evaluation group left out or outside a dry run's evaluableCampaignIds (INF, see the "
    "evaluation-group points)",
)

emitted(
    "acceptReferral",
    VERDICT,
    "the referral code passed every check and a referralValid rule",
)

emitted(
    "rejectReferral",
    VERDICT,
    "the referral code was rejected, with rejectionReason",
    "ReferralPartOfNotTriggeredCampaign with campaignExclusionReason as for coupons (INF, see the "
    "evaluation-group points)",
)

emitted(
    "changeLoyaltyTierLevel",
    RULE,
    "follows addLoyaltyPoints that lifts a profile into a higher tier "
    "(profile programs whose points are active at once, main ledger)",
)

emitted(
    "rollbackCoupon",
    ROLLBACK,
    "cancel/reopen of a closed session: the redemption is returned",
)

emitted(
    "rollbackReferral",
    ROLLBACK,
    "cancel/reopen of a closed session: the redemption is returned",
)

emitted(
    "rollbackDiscount",
    ROLLBACK,
    "cancel/reopen, and on returns one per discounted returned unit (cartItemPosition, cartItemSubPosition)",
    "a return takes the line's lowest not yet returned units first (INF)",
)

emitted(
    "rollbackAddedLoyaltyPoints",
    ROLLBACK,
    "cancel/reopen: writes a deduction entry, capped by the program's returnPolicy",
)

emitted(
    "rollbackDeductedLoyaltyPoints",
    ROLLBACK,
    "cancel/reopen: writes a re-addition entry",
)

emitted(
    "rollbackIncreasedAchievementProgress",
    ROLLBACK,
    "cancel/reopen of a closed session: removes the progress its increases committed, unless the customer "
    "completed the achievement in that period and allowRollbackAfterCompletion is off",
    "also on reopen, like the other rollbacks (INF); currentProgress is the period's progress after the removal",
)
