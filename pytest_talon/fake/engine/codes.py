"""Coupon and referral codes: creating them (setup helpers, handlers and rule effects share this) and why a code
cannot be used now."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pytest_talon.fake.engine.context import Context
from pytest_talon.fake.errors import FakeSetupError
from pytest_talon.fake.rules.campaign import Campaign
from pytest_talon.fake.state.application import Application
from pytest_talon.fake.state.records import CouponRecord, ReferralRecord

__all__ = ["coupon_problem", "new_code", "referral_problem", "seed_coupon", "seed_referral"]

_COUPON_FIELDS = {
    "usage_limit",
    "profile_usage_limit",
    "discount_limit",
    "start_date",
    "expiry_date",
    "recipient_integration_id",
    "attributes",
    "reservation",
    "is_reservation_mandatory",
    "reserved_by",
    "batch_id",
}
_REFERRAL_FIELDS = {"friend", "start_date", "expiry_date", "usage_limit", "attributes", "batch_id"}


def seed_coupon(app: Application, value: str, campaign_id: int, **fields: Any) -> CouponRecord:
    """Store a new coupon; raises :class:`FakeSetupError` for an unknown campaign, a duplicate or a bad field."""
    _check_fields("add_coupon", fields, _COUPON_FIELDS)
    if len(value) < 4:
        raise FakeSetupError(f"add_coupon: coupon value {value!r} is shorter than 4 characters (the API's minimum)")
    if campaign_id not in app.campaigns:
        raise FakeSetupError(f"add_coupon: campaign {campaign_id} does not exist; add it first with add_campaign()")
    if value in app.coupons:
        raise FakeSetupError(f"add_coupon: coupon {value!r} already exists")
    _check_dates("add_coupon", fields)
    record = CouponRecord(id=app.next_id("coupon"), value=value, campaign_id=campaign_id, created=app.now(), **fields)
    record.reserved_by = list(record.reserved_by)
    app.coupons[value] = record
    return record


def seed_referral(app: Application, code: str, campaign_id: int, advocate: str, **fields: Any) -> ReferralRecord:
    """Store a new referral code; raises :class:`FakeSetupError` for an unknown campaign, a duplicate or a bad field."""
    _check_fields("add_referral", fields, _REFERRAL_FIELDS)
    if len(code) < 4:
        raise FakeSetupError(f"add_referral: referral code {code!r} is shorter than 4 characters (the API's minimum)")
    if campaign_id not in app.campaigns:
        raise FakeSetupError(f"add_referral: campaign {campaign_id} does not exist; add it first with add_campaign()")
    if code in app.referrals:
        raise FakeSetupError(f"add_referral: referral {code!r} already exists")
    _check_dates("add_referral", fields)
    friend = fields.pop("friend", None)
    record = ReferralRecord(
        id=app.next_id("referral"),
        code=code,
        campaign_id=campaign_id,
        advocate_profile_integration_id=advocate,
        friend_profile_integration_id=friend,
        created=app.now(),
        **fields,
    )
    app.referrals[code] = record
    app.profile_or_create(advocate)
    return record


def new_code(app: Application, prefix: str, taken: dict[str, Any]) -> str:
    """A fresh deterministic code ``<prefix><n>`` (at least 4 characters) not yet in ``taken``."""
    while True:
        code = f"{prefix}{app.next_id('code:' + prefix):04d}"
        if code not in taken:
            return code


def _check_fields(where: str, fields: dict[str, Any], known: set[str]) -> None:
    unknown = set(fields) - known
    if unknown:
        raise FakeSetupError(f"{where}: unknown field(s) {sorted(unknown)}; known: {sorted(known)}")


def _check_dates(where: str, fields: dict[str, Any]) -> None:
    for name in ("start_date", "expiry_date"):
        when = fields.get(name)
        if when is not None and (not isinstance(when, datetime) or when.tzinfo is None):
            raise FakeSetupError(f"{where}: {name} must be an aware datetime, got {when!r}")


def coupon_problem(coupon: CouponRecord, campaign: Campaign, ctx: Context) -> str | None:
    """Why the coupon cannot be used now by this profile, or None (checks in the live API's order, INF)."""
    if not campaign.is_running(ctx.now):
        return "CouponPartOfNotRunningCampaign"
    if coupon.start_date is not None and coupon.start_date > ctx.now:
        return "CouponStartDateInFuture"
    if coupon.expiry_date is not None and coupon.expiry_date <= ctx.now:
        return "CouponExpired"
    if coupon.recipient_integration_id and coupon.recipient_integration_id != ctx.profile_id:
        return "CouponRecipientDoesNotMatch"
    needs_profile = (
        coupon.is_reservation_mandatory or campaign.limits.redemptions_per_profile or coupon.profile_usage_limit
    )
    if needs_profile and not ctx.profile_id:
        return "ProfileRequired"
    if coupon.is_reservation_mandatory and ctx.profile_id not in coupon.reserved_by:
        return "CouponReservationRequired"
    if coupon.usage_limit and coupon.usage_counter >= coupon.usage_limit:
        return "CouponLimitReached"
    usage = ctx.app.usage[campaign.id]
    if campaign.limits.coupon_redemptions and usage.coupon_redemptions >= campaign.limits.coupon_redemptions:
        return "CampaignLimitReached"
    per_profile = campaign.limits.redemptions_per_profile
    if per_profile and usage.profile_redemptions[ctx.profile_id] >= per_profile:
        return "ProfileLimitReached"
    if coupon.profile_usage_limit and coupon.profile_redemptions[ctx.profile_id] >= coupon.profile_usage_limit:
        return "ProfileLimitReached"
    return None


def referral_problem(referral: ReferralRecord, campaign: Campaign, ctx: Context) -> str | None:
    """Why the referral code cannot be used now by this profile, or None."""
    if not campaign.is_running(ctx.now):
        return "ReferralPartOfNotRunningCampaign"
    if referral.start_date is not None and referral.start_date > ctx.now:
        return "ReferralStartDateInFuture"
    if referral.expiry_date is not None and referral.expiry_date <= ctx.now:
        return "ReferralExpired"
    if ctx.profile_id and referral.advocate_profile_integration_id == ctx.profile_id:
        return "ReferralRecipientIdSameAsAdvocate"
    if referral.friend_profile_integration_id and referral.friend_profile_integration_id != ctx.profile_id:
        return "ReferralRecipientDoesNotMatch"
    if referral.usage_limit and referral.usage_counter >= referral.usage_limit:
        return "ReferralLimitReached"
    limit = campaign.limits.referral_redemptions
    if limit and ctx.app.usage[campaign.id].referral_redemptions >= limit:
        return "CampaignLimitReached"
    return None
