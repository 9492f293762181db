"""Coupons: declaring them and reserving them for profiles."""

from __future__ import annotations

from typing import Any

from pytest_talon.fake.backend.declared import check_code, check_dates, check_fields
from pytest_talon.fake.errors import BadRequest, NotFound
from pytest_talon.fake.state.application import Application
from pytest_talon.fake.state.records import CouponRecord

__all__ = ["coupon_or_404", "release", "reserve", "seed_coupon"]

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


def seed_coupon(app: Application, value: str, campaign_id: int, **fields: Any) -> CouponRecord:
    """Store a new coupon; raises :class:`FakeSetupError` for an unknown campaign, a duplicate or a bad field."""
    check_fields("add_coupon", fields, _COUPON_FIELDS)
    check_code("add_coupon", "coupon value", value, campaign_id, app, app.coupons)
    check_dates("add_coupon", fields)
    record = CouponRecord(id=app.next_id("coupon"), value=value, campaign_id=campaign_id, created=app.now(), **fields)
    record.reserved_by = list(record.reserved_by)
    app.coupons[value] = record
    return record


def coupon_or_404(app: Application, value: str) -> CouponRecord:
    """The stored coupon ``value``; 404 when there is none."""
    found = app.coupons.get(value)
    if found is None:
        raise NotFound(f"coupon {value!r} does not exist")
    return found


def _ids(integration_ids: list[str]) -> list[str]:
    if len(integration_ids) > 1000:
        raise BadRequest("at most 1000 integration IDs per request", pointer="/integrationIDs")
    return list(dict.fromkeys(integration_ids))


def reserve(app: Application, value: str, integration_ids: list[str]) -> CouponRecord:
    """Reserve the coupon for each listed profile (missing profiles are created, INF)."""
    coupon = coupon_or_404(app, value)
    ids = _ids(integration_ids)
    if coupon.recipient_integration_id:
        raise BadRequest(f"coupon {coupon.value!r} was created for one recipient and cannot be reserved")
    holders = set(coupon.reserved_by) | set(ids)
    if not coupon.reservation and len(holders) > 1:
        raise BadRequest(f"coupon {coupon.value!r} is personal (reservation=false): only one customer may reserve it")
    for integration_id in ids:
        app.profile_or_create(integration_id)
        if integration_id not in coupon.reserved_by:
            coupon.reserved_by.append(integration_id)
    return coupon


def release(app: Application, value: str, integration_ids: list[str]) -> None:
    """Remove the listed profiles' reservations of the coupon."""
    coupon = coupon_or_404(app, value)
    for integration_id in _ids(integration_ids):
        if integration_id in coupon.reserved_by:
            coupon.reserved_by.remove(integration_id)
