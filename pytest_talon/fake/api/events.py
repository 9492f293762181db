"""``trackEventV2``: record a custom event for a profile and evaluate the campaigns."""

from __future__ import annotations

import copy
from typing import Any

from pytest_talon import models
from pytest_talon.fake.api.calls import Call, Reply, route
from pytest_talon.fake.api.profiles import run_profile_rules, silent_flag, transient_profile
from pytest_talon.fake.api.responses import State, state_reply
from pytest_talon.fake.errors import BadRequest
from pytest_talon.fake.state.application import Application
from pytest_talon.fake.state.records import EventRecord

__all__ = ["track_event_v2"]


@route(
    "trackEventV2",
    notes=(
        "`profileId` is required (400 without it); reserved `talon_*` types answer 400; "
        "`forceCompleteEvaluation` needs `dry=true` and runs every campaign as if no evaluation group existed "
        "(no exclusions, no `evaluationGroupID`) (INF)."
    ),
)
def track_event_v2(app: Application, call: Call) -> Reply:
    """Record the event (auto-creating the profile) and run the rules; ``silent=yes`` (default) answers 204."""
    body: models.IntegrationEventV2Request = call.body
    silent = silent_flag(call)
    dry = bool(call.query.get("dry"))
    if call.query.get("forceCompleteEvaluation") and not dry:
        raise BadRequest("forceCompleteEvaluation needs dry=true", parameter="forceCompleteEvaluation")
    if not body.profile_id:
        raise BadRequest("profileId is required to track an event", pointer="/profileId")
    if body.type.startswith("talon_"):
        raise BadRequest(f"{body.type!r} is a reserved built-in event type; use a custom type", pointer="/type")
    if body.loyalty_cards is not None and len(body.loyalty_cards) > 1:
        raise BadRequest("at most 1 loyalty card per event", pointer="/loyaltyCards")
    existing = app.profiles.get(body.profile_id)
    if dry:
        profile = copy.deepcopy(existing) if existing is not None else transient_profile(app, body.profile_id)
    else:
        profile = app.profile_or_create(body.profile_id)[0]
    complete = bool(call.query.get("forceCompleteEvaluation"))
    result = run_profile_rules(
        app, profile, body.type, body.evaluable_campaign_ids, dry, complete=complete, event_attributes=body.attributes
    )
    fields: dict[str, Any] = {
        "attributes": dict(body.attributes or {}),
        "profile_id": body.profile_id,
        "store_integration_id": body.store_integration_id,
        "effects": result.effects,
    }
    if dry:
        event = EventRecord(id=app.next_id("event"), type=body.type, created=app.now(), **fields)
    else:
        event = app.record_event(body.type, **fields)
        profile.last_activity = app.now()
    if silent:
        return Reply(204)
    state = State(result=result, profile=profile, event=event)
    return state_reply(app, state, body.response_content, models.IntegrationEventV2Response)
