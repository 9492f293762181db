"""Creating coupons and referrals in the state, shared by the setup helpers, the handlers and the rule effects."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pytest_talon.fake.errors import FakeSetupError
from pytest_talon.fake.state.application import Application
from pytest_talon.fake.state.records import CouponRecord, ReferralRecord

__all__ = ["new_code", "seed_coupon", "seed_referral"]

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
