"""Building integration-state responses (``IntegrationStateV2`` and friends) with exactly the requested parts."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from pytest_talon import models
from pytest_talon.fake.api import encode
from pytest_talon.fake.api.calls import wire_json
from pytest_talon.fake.engine.context import Context
from pytest_talon.fake.engine.evaluation import Evaluation
from pytest_talon.fake.rules.campaign import Campaign
from pytest_talon.fake.state.application import Application
from pytest_talon.fake.state.records import EventRecord, ProfileRecord, SessionRecord

__all__ = ["State", "campaigns_in_scope", "context_for", "effects_wire", "state_body"]


@dataclasses.dataclass
class State:
    """What a response may show: the evaluation and the entities around it."""

    result: Evaluation
    profile: ProfileRecord | None = None
    session: SessionRecord | None = None
    event: EventRecord | None = None


def campaigns_in_scope(app: Application, evaluable: list[int] | None, dry: bool) -> list[Campaign]:
    """Campaigns to evaluate: every non-archived one, or (dry runs only) the listed ones, run even when disabled."""
    if dry and evaluable:
        chosen = [app.campaigns[i] for i in evaluable if i in app.campaigns]
        return [dataclasses.replace(c, state="enabled") if c.state == "disabled" else c for c in chosen]
    return [c for c in app.campaigns.values() if c.state != "archived"]


def context_for(
    app: Application, now: datetime, profile: ProfileRecord | None, event_type: str, session: SessionRecord | None
) -> Context:
    """The evaluation context of a session (or of a profile/event when ``session`` is None)."""
    return Context(
        app=app,
        now=now,
        profile_id=profile.integration_id if profile is not None else "",
        event_type=event_type,
        cart_items=list(session.cart_items) if session is not None else [],
        additional_costs=dict(session.additional_costs) if session is not None else {},
        session_attributes=dict(session.attributes) if session is not None else {},
        profile_attributes=dict(profile.attributes) if profile is not None else {},
        audiences=set(profile.audience_ids) if profile is not None else set(),
        session_id=session.integration_id if session is not None else None,
        loyalty_cards=list(session.loyalty_cards or []) if session is not None else [],
    )


def state_body(
    app: Application,
    state: State,
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


def effects_wire(effects: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The engine's effects as ``Effect`` sends them (props typed by effect type: ``0.0`` where a number is a float),
    validated and dumped in one pass."""
    return models.Effect.wire_list(effects)


def _part(app: Application, state: State, name: str) -> Any:
    profile_id = state.profile.integration_id if state.profile is not None else ""
    session = state.session
    if name == "customerSession" and session is not None:
        return encode.session_wire(app, session)
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
