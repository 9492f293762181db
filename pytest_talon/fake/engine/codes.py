"""Coupon and referral codes: creating them (setup helpers, handlers and rule effects share this) and why a code
cannot be used now."""

from __future__ import annotations

from typing import Any

from pytest_talon.fake.campaigns.campaign import Campaign
from pytest_talon.fake.engine.context import RuleContext
from pytest_talon.fake.state.application import Application
from pytest_talon.fake.state.records import CouponRecord, ReferralRecord

__all__ = ["coupon_problem", "new_code", "referral_problem"]


def new_code(app: Application, prefix: str, taken: dict[str, Any]) -> str:
    """A fresh deterministic code ``<prefix><n>`` (at least 4 characters) not yet in ``taken``."""
    while True:
        code = f"{prefix}{app.next_id('code:' + prefix):04d}"
        if code not in taken:
            return code


def coupon_problem(coupon: CouponRecord, campaign: Campaign, ctx: RuleContext) -> str | None:
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


def referral_problem(referral: ReferralRecord, campaign: Campaign, ctx: RuleContext) -> str | None:
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
