"""Referral creation: one code for an advocate, or one code each for many advocates."""

from __future__ import annotations

import random
import string

from pytest_talon import models
from pytest_talon.fake.api import encode
from pytest_talon.fake.api.calls import Call, Reply, route
from pytest_talon.fake.api.profiles import silent_flag
from pytest_talon.fake.engine.codes import new_code
from pytest_talon.fake.errors import BadRequest
from pytest_talon.fake.state.application import Application
from pytest_talon.fake.state.records import ReferralRecord

__all__ = ["create_referral", "create_referrals_for_multiple_advocates"]

_DEFAULT_CHARACTERS = string.ascii_uppercase + string.digits


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


@route(
    "createReferral",
    notes=("Codes are deterministic (`REF-0001`, ...); the advocate's profile is created when missing (INF)."),
)
def create_referral(app: Application, call: Call) -> Reply:
    """Create a referral code for the advocate (campaign referral limits are not applied here)."""
    body: models.NewReferral = call.body
    _check_campaign(app, body.campaign_id)
    record = _store(app, new_code(app, "REF-", app.referrals), body, body.advocate_profile_integration_id)
    return Reply(201, encode.referral(record))


@route(
    "createReferralsForMultipleAdvocates",
    notes=("`referralPattern` placeholders come from a seeded generator, so codes are deterministic per fake."),
)
def create_referrals_for_multiple_advocates(app: Application, call: Call) -> Reply:
    """One unique code per advocate, from ``referralPattern`` (``#`` = a random valid character) when given."""
    body: models.NewReferralsForMultipleAdvocates = call.body
    silent = silent_flag(call)
    _check_campaign(app, body.campaign_id)
    advocates = body.advocate_profile_integration_ids
    if not 1 <= len(advocates) <= 1000:
        raise BadRequest("give 1 to 1000 advocate profile integration IDs", pointer="/advocateProfileIntegrationIds")
    characters = "".join(body.valid_characters or []) or _DEFAULT_CHARACTERS
    rng = random.Random(app.next_id("referral-batch"))
    created = [_store(app, _code(app, body.referral_pattern, characters, rng), body, a) for a in advocates]
    if silent:
        return Reply(204)
    data = [encode.referral(r) for r in created]
    return Reply(201, models.ReferralList(total_result_size=len(data), data=data))


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
