"""Referral creation: one code for an advocate, or one code each for many advocates."""

from __future__ import annotations

from pytest_talon import models
from pytest_talon.fake.api.calls import OperationCall, Reply, route
from pytest_talon.fake.api.profiles import silent_flag
from pytest_talon.fake.backend import encode, referrals
from pytest_talon.fake.state.application import Application

__all__ = ["create_referral", "create_referrals_for_multiple_advocates"]


@route(
    "createReferral",
    notes=("Codes are deterministic (`REF-0001`, ...); the advocate's profile is created when missing (INF)."),
)
def create_referral(app: Application, call: OperationCall) -> Reply:
    """Create a referral code for the advocate (campaign referral limits are not applied here)."""
    return Reply(201, encode.referral(referrals.create_referral(app, call.body)))


@route(
    "createReferralsForMultipleAdvocates",
    notes=("`referralPattern` placeholders come from a seeded generator, so codes are deterministic per fake."),
)
def create_referrals_for_multiple_advocates(app: Application, call: OperationCall) -> Reply:
    """One unique code per advocate, from ``referralPattern`` (``#`` = a random valid character) when given."""
    silent = silent_flag(call)
    created = referrals.create_referrals(app, call.body)
    if silent:
        return Reply(204)
    data = [encode.referral(r) for r in created]
    return Reply(201, models.ReferralList(total_result_size=len(data), data=data))
