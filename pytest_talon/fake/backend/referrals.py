"""Referrals: declaring them and creating codes for advocates."""

from __future__ import annotations

import random
import string
from typing import Any

from pytest_talon import models
from pytest_talon.fake.backend.declared import check_code, check_dates, check_fields
from pytest_talon.fake.engine.codes import new_code
from pytest_talon.fake.errors import BadRequest
from pytest_talon.fake.state.application import Application
from pytest_talon.fake.state.records import ReferralRecord

__all__ = ["create_referral", "create_referrals", "seed_referral"]

_DEFAULT_CHARACTERS = string.ascii_uppercase + string.digits
_REFERRAL_FIELDS = {"friend", "start_date", "expiry_date", "usage_limit", "attributes", "batch_id"}


def seed_referral(app: Application, code: str, campaign_id: int, advocate: str, **fields: Any) -> ReferralRecord:
    """Store a new referral code; raises :class:`FakeSetupError` for an unknown campaign, a duplicate or a bad field."""
    check_fields("add_referral", fields, _REFERRAL_FIELDS)
    check_code("add_referral", "referral code", code, campaign_id, app, app.referrals)
    check_dates("add_referral", fields)
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


def _check_campaign(app: Application, campaign_id: int) -> None:
    if campaign_id not in app.campaigns:
        raise BadRequest(f"campaign {campaign_id} does not exist in this Application", pointer="/campaignId")


def _store(
    app: Application, code: str, body: models.NewReferral | models.NewReferralsForMultipleAdvocates, advocate: str
) -> ReferralRecord:
    record = ReferralRecord(
        id=app.next_id("referral"),
        code=code,
        campaign_id=body.campaign_id,
        advocate_profile_integration_id=advocate,
        created=app.now(),
        friend_profile_integration_id=getattr(body, "friend_profile_integration_id", None),
        start_date=body.start_date,
        expiry_date=body.expiry_date,
        usage_limit=body.usage_limit or 0,
        attributes=dict(body.attributes or {}),
    )
    app.referrals[code] = record
    app.profile_or_create(advocate)  # INF: the advocate's profile is created when missing
    return record


def create_referral(app: Application, body: models.NewReferral) -> ReferralRecord:
    """A referral code for the advocate (``REF-0001``, ...); campaign referral limits are not applied here."""
    _check_campaign(app, body.campaign_id)
    return _store(app, new_code(app, "REF-", app.referrals), body, body.advocate_profile_integration_id)


def create_referrals(app: Application, body: models.NewReferralsForMultipleAdvocates) -> list[ReferralRecord]:
    """One unique code per advocate, from ``referralPattern`` (``#`` = a random valid character) when given."""
    _check_campaign(app, body.campaign_id)
    advocates = body.advocate_profile_integration_ids
    if not 1 <= len(advocates) <= 1000:
        raise BadRequest("give 1 to 1000 advocate profile integration IDs", pointer="/advocateProfileIntegrationIds")
    characters = "".join(body.valid_characters or []) or _DEFAULT_CHARACTERS
    rng = random.Random(app.next_id("referral-batch"))
    return [_store(app, _code(app, body.referral_pattern, characters, rng), body, a) for a in advocates]


def _code(app: Application, pattern: str | None, characters: str, rng: random.Random) -> str:
    if not pattern:
        return new_code(app, "REF-", app.referrals)
    if "#" not in pattern:
        raise BadRequest("referralPattern needs at least one # placeholder", pointer="/referralPattern")
    for _ in range(1000):
        code = "".join(rng.choice(characters) if ch == "#" else ch for ch in pattern)
        if code not in app.referrals:
            return code
    raise BadRequest(f"referralPattern {pattern!r} has no unused codes left", pointer="/referralPattern")
