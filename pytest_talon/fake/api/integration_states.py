"""Integration-state answers (``IntegrationStateV2`` and friends) with exactly the requested ``responseContent``
parts."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pytest_talon import models
from pytest_talon.fake.api.calls import Reply, wire_json
from pytest_talon.fake.backend import encode
from pytest_talon.fake.backend.effect_recipes import effects_wire
from pytest_talon.fake.backend.integration import IntegrationResult
from pytest_talon.fake.state.application import Application

__all__ = ["state_body", "state_reply"]


def state_reply(
    app: Application,
    state: IntegrationResult,
    wanted: Iterable[str] | None,
    response: type[models.WireModel] = models.IntegrationStateV2,
    extra: dict[str, Any] | None = None,
) -> Reply:
    """The 200 answer of an integration call: :func:`state_body`, and the evaluation's rule failures that have
    ``details`` for the request log (whether or not the body shows ``ruleFailureReasons``)."""
    failures = [dict(f) for f in state.result.rule_failures if "details" in f]
    body = state_body(app, state, wanted, response, extra)
    trace = state.result.trace if state.result.trace.event else None  # a cancel or revoke evaluates nothing
    return Reply(200, body, rule_failures=failures, trace=trace)


def state_body(
    app: Application,
    state: IntegrationResult,
    wanted: Iterable[str] | None,
    response: type[models.WireModel] = models.IntegrationStateV2,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """An integration state's JSON (``IntegrationStateV2`` or the ``response`` model of another integration call):
    the always-present parts (effects, created coupons/referrals), each requested ``responseContent`` part the
    response has, and ``extra`` parts (wire name to JSON). Written as JSON directly - the effects as the engine
    emitted them, the session and profile with :func:`~.encode.session_wire` and :func:`~.encode.profile_wire`, the
    rarer parts dumped from their models - since every session update answers one."""
    result = state.result
    body: dict[str, Any] = {
        "effects": effects_wire(result.effects),
        "createdCoupons": [encode.coupon(c).to_wire() for c in result.created_coupons],
        "createdReferrals": [encode.referral(r).to_wire() for r in result.created_referrals],
    }
    names = response.wire_names()
    for name in dict.fromkeys(wanted or []):
        value = _part(app, state, name) if name in names else None
        if value is not None:
            body[name] = wire_json(value)
    body.update(extra or {})
    return body


def _part(app: Application, state: IntegrationResult, name: str) -> Any:
    profile_id = state.profile.integration_id if state.profile is not None else ""
    session = state.session
    if name == "customerSession" and session is not None:
        return encode.session_wire(app, session, state.subtotal)
    if name == "customerProfile" and state.profile is not None:
        return encode.profile_wire(app, state.profile)
    if name == "coupons" and session is not None:
        found = [app.coupons[c] for c in session.coupon_codes if c in app.coupons]
        return [encode.integration_coupon(c, profile_id) for c in found]
    if name == "triggeredCampaigns":
        return [encode.campaign(app, app.campaigns[i]) for i in state.result.triggered if i in app.campaigns]
    if name == "referral" and session is not None and session.referral_code in app.referrals:
        return encode.inventory_referral(app.referrals[session.referral_code or ""])
    if name == "loyalty" and profile_id:
        committed_here = session is not None and session.committed is not None
        return encode.loyalty(app, profile_id, {} if committed_here else state.result.tentative_points)
    if name == "event" and state.event is not None:
        return encode.event(app, state.event)
    if name == "awardedGiveaways":
        return []
    if name == "ruleFailureReasons":
        return [models.RuleFailureReason.model_validate(f) for f in state.result.rule_failures]
    if name == "previousReturns" and session is not None:
        return [encode.return_(app, app.returns[i]) for i in session.return_ids]
    return None
