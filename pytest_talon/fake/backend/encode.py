"""State records to response models: every body the fake sends is built from :mod:`pytest_talon.models`, except
the session and profile inside integration states, written as the JSON those models send (:func:`session_wire`,
:func:`profile_wire`; a test checks each is a fixed point of its model)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, TypeVar

from pytest_talon import models
from pytest_talon._time import format_rfc3339
from pytest_talon.fake.backend.loyalty_views import loyalty_section
from pytest_talon.fake.campaigns.campaign import Campaign
from pytest_talon.fake.engine.context import ZERO, dec, money, number
from pytest_talon.fake.state.application import Application
from pytest_talon.fake.state.records import (
    CouponRecord,
    EventRecord,
    ProfileRecord,
    ReferralRecord,
    ReturnRecord,
    SessionRecord,
)

__all__ = [
    "build",
    "campaign",
    "cart_totals",
    "coupon",
    "event",
    "integration_coupon",
    "inventory_coupon",
    "inventory_referral",
    "loyalty",
    "profile",
    "profile_wire",
    "referral",
    "return_",
    "session",
    "session_wire",
]

_M = TypeVar("_M", bound=models.WireModel)


def build(cls: type[_M], **fields: Any) -> _M:
    """``cls(**fields)`` leaving out the ``None`` values, so unset optional fields stay off the wire."""
    return cls(**_present(fields))


def cart_totals(
    cart_items: list[dict[str, Any]], additional_costs: dict[str, dict[str, Any]], subtotal: Decimal | None = None
) -> tuple[float, float]:
    """(cart item total, additional cost total): price x quantity, plus session and per-item costs (INF), summed
    exactly (Decimal) and sent as JSON numbers. ``subtotal`` is price x quantity over these items when the caller
    has it already (an evaluation's context sums it)."""
    items = item_costs = ZERO
    for item in cart_items:
        if subtotal is None:
            items += dec(item.get("price")) * int(item["quantity"])
        for cost in (item.get("additionalCosts") or _NO_COSTS).values():
            item_costs += dec(cost.get("price")) * int(item["quantity"])
    costs = sum((dec(c.get("price")) for c in additional_costs.values()), ZERO)
    return number(items if subtotal is None else subtotal), number(costs + item_costs)


_NO_COSTS: dict[str, dict[str, Any]] = {}


def session(app: Application, rec: SessionRecord) -> models.CustomerSessionV2:
    """The stored session as ``CustomerSessionV2``."""
    return models.CustomerSessionV2.model_validate(session_wire(app, rec))


def session_wire(app: Application, rec: SessionRecord, subtotal: Decimal | None = None) -> dict[str, Any]:
    """The stored session as the JSON ``CustomerSessionV2`` sends (what :func:`session` dumps to, built directly:
    the integration states of every session update carry it); ``subtotal`` as for :func:`cart_totals`."""
    items_total, costs_total = cart_totals(rec.cart_items, rec.additional_costs, subtotal)
    return _present(
        {
            "id": rec.id,
            "integrationId": rec.integration_id,
            "created": format_rfc3339(rec.created),
            "applicationId": app.application_id,
            "profileId": rec.profile_id,
            "couponCodes": list(rec.coupon_codes),
            "referralCode": rec.referral_code,
            "loyaltyCards": rec.loyalty_cards,
            "cartItems": [{**item, "position": float(index)} for index, item in enumerate(rec.cart_items)],
            "additionalCosts": rec.additional_costs or None,
            "identifiers": rec.identifiers,
            "attributes": rec.attributes,
            "state": rec.state,
            "firstSession": rec.first_session,
            "total": number(dec(items_total) + dec(costs_total)),
            "cartItemTotal": items_total,
            "additionalCostTotal": costs_total,
            "updated": format_rfc3339(rec.updated),
            "updateCount": rec.update_count,
            "storeIntegrationId": rec.store_integration_id,
            "evaluableCampaignIds": rec.evaluable_campaign_ids,
            "experimentVariantAllocations": rec.experiment_variant_allocations,
        }
    )


def _present(fields: dict[str, Any]) -> dict[str, Any]:
    """``fields`` without the ``None`` values: unset optional fields stay off the wire."""
    return {k: v for k, v in fields.items() if v is not None}


def profile(app: Application, rec: ProfileRecord) -> models.CustomerProfile:
    """The stored profile as ``CustomerProfile`` (audience names come from the audiences slot when known)."""
    return models.CustomerProfile.model_validate(profile_wire(app, rec))


def profile_wire(app: Application, rec: ProfileRecord) -> dict[str, Any]:
    """The stored profile as the JSON ``CustomerProfile`` sends (what :func:`profile` dumps to, built directly)."""
    memberships = [
        {"id": a, "name": str(getattr(app.audiences.get(a), "name", f"Audience {a}"))} for a in rec.audience_ids
    ]
    return _present(
        {
            "id": rec.id,
            "created": format_rfc3339(rec.created),
            "integrationId": rec.integration_id,
            "attributes": rec.attributes,
            "accountId": app.account_id,
            "closedSessions": rec.closed_sessions,
            "totalSales": number(rec.total_sales),
            "audienceMemberships": memberships or None,
            "lastActivity": format_rfc3339(rec.last_activity),
            "sandbox": True,
        }
    )


def _coupon_fields(rec: CouponRecord) -> dict[str, Any]:
    return {
        "id": rec.id,
        "created": rec.created,
        "campaign_id": rec.campaign_id,
        "value": rec.value,
        "usage_limit": rec.usage_limit,
        "usage_counter": rec.usage_counter,
        "discount_limit": rec.discount_limit,
        "discount_counter": number(rec.discount_counter) if rec.discount_limit is not None else None,
        "discount_remainder": _remainder(rec),
        "start_date": rec.start_date,
        "expiry_date": rec.expiry_date,
        "recipient_integration_id": rec.recipient_integration_id,
        "attributes": rec.attributes,
        "reservation": rec.reservation,
        "is_reservation_mandatory": rec.is_reservation_mandatory,
        "referral_id": rec.referral_id,
        "batch_id": rec.batch_id,
    }


def _remainder(rec: CouponRecord) -> float | None:
    if rec.discount_limit is None:
        return None
    return number(money(dec(rec.discount_limit) - dec(rec.discount_counter)))


def coupon(rec: CouponRecord) -> models.Coupon:
    """A coupon as ``Coupon``."""
    return build(models.Coupon, **_coupon_fields(rec))


def integration_coupon(rec: CouponRecord, profile_id: str) -> models.IntegrationCoupon:
    """A coupon processed in a session, with the session profile's redemption count."""
    return build(
        models.IntegrationCoupon, **_coupon_fields(rec), profile_redemption_count=rec.profile_redemptions[profile_id]
    )


def inventory_coupon(app: Application, rec: CouponRecord, profile_id: str) -> models.InventoryCoupon:
    """A reserved coupon as the inventory shows it, with its ``state`` for this profile."""
    return build(
        models.InventoryCoupon,
        **_coupon_fields(rec),
        profile_redemption_count=rec.profile_redemptions[profile_id],
        state=_inventory_state(app, rec, profile_id),
    )


def _inventory_state(app: Application, rec: CouponRecord, profile_id: str) -> str:
    now = app.now()
    found = app.campaigns.get(rec.campaign_id)
    if found is not None and found.state != "enabled":
        return "disabled"
    used_up = rec.usage_limit > 0 and rec.usage_counter >= rec.usage_limit
    if used_up or rec.profile_redemptions[profile_id] > 0:
        return "used"
    if rec.expiry_date is not None and rec.expiry_date <= now:
        return "expired"
    if rec.start_date is not None and rec.start_date > now:
        return "pending"
    return "active"


def referral(rec: ReferralRecord) -> models.Referral:
    """A referral as ``Referral``."""
    return build(models.Referral, **_referral_fields(rec))


def inventory_referral(rec: ReferralRecord) -> models.InventoryReferral:
    """A referral with the friends it referred."""
    return build(models.InventoryReferral, **_referral_fields(rec), referred_customers=list(rec.referred_customers))


def _referral_fields(rec: ReferralRecord) -> dict[str, Any]:
    return {
        "id": rec.id,
        "created": rec.created,
        "code": rec.code,
        "campaign_id": rec.campaign_id,
        "advocate_profile_integration_id": rec.advocate_profile_integration_id,
        "friend_profile_integration_id": rec.friend_profile_integration_id,
        "start_date": rec.start_date,
        "expiry_date": rec.expiry_date,
        "usage_limit": rec.usage_limit,
        "usage_counter": rec.usage_counter,
        "attributes": rec.attributes,
        "batch_id": rec.batch_id,
    }


def event(app: Application, rec: EventRecord) -> models.Event:
    """An event as ``Event``, with its effects."""
    return build(
        models.Event,
        id=rec.id,
        created=rec.created,
        application_id=app.application_id,
        type=rec.type,
        attributes=rec.attributes,
        effects=rec.effects,
        profile_id=rec.profile_id,
        session_id=rec.session_id,
        store_integration_id=rec.store_integration_id,
    )


def return_(app: Application, rec: ReturnRecord) -> models.Return:
    """A return as ``Return``."""
    return build(
        models.Return,
        id=rec.id,
        created=rec.created,
        application_id=app.application_id,
        account_id=app.account_id,
        event_id=rec.event_id,
        session_id=rec.session_id,
        session_integration_id=rec.session_integration_id,
        returned_cart_items=rec.returned_cart_items,
        profile_id=rec.profile_id,
        profile_integration_id=rec.profile_integration_id,
        created_by=1,
    )


def campaign(app: Application, found: Campaign) -> models.Campaign:
    """A declared campaign as the management ``Campaign`` object the API returns in ``triggeredCampaigns``."""
    return build(
        models.Campaign,
        id=found.id,
        created=app.clock.now() if not found.start_time else found.start_time,
        application_id=app.application_id,
        user_id=1,
        name=found.name,
        description=found.description,
        start_time=found.start_time,
        end_time=found.end_time,
        attributes=found.attributes,
        state=found.state,
        active_ruleset_id=found.ruleset_id,
        tags=list(found.tags),
        features=found.features,
        limits=_limits(found),
        type="advanced",
        frontend_state=found.frontend_state(app.now()),
        stores_imported=False,
        reevaluate_on_return=found.reevaluate_on_return,
    )


def _limits(found: Campaign) -> list[models.LimitConfig]:
    pairs = [
        ("redeemCoupon", ["Coupon"], found.limits.coupon_redemptions),
        ("redeemReferral", ["Referral"], found.limits.referral_redemptions),
        ("redeemCoupon", ["Profile"], found.limits.redemptions_per_profile),
    ]
    return [models.LimitConfig(action=a, entities=e, limit=n) for a, e, n in pairs if n]


def loyalty(app: Application, profile_id: str, tentative: dict[int, Decimal]) -> models.Loyalty:
    """The profile's ledgers per program (keyed by program id as a string); ``tentative`` adds open-session points."""
    return loyalty_section(app, profile_id, tentative)
