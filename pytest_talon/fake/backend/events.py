"""Custom events: checking one, recording it (creating the profile) and running the rules for it."""

from __future__ import annotations

import copy
from typing import Any

from pytest_talon import models
from pytest_talon.fake.backend.integration import IntegrationResult
from pytest_talon.fake.backend.profiles import run_profile_rules, transient_profile
from pytest_talon.fake.errors import BadRequest
from pytest_talon.fake.state.application import Application
from pytest_talon.fake.state.records import EventRecord

__all__ = ["attach_last_event", "track_event"]


def track_event(
    app: Application, body: models.IntegrationEventV2Request, *, dry: bool, complete: bool
) -> IntegrationResult:
    """Record the event (auto-creating the profile) and run the rules; ``complete`` runs every campaign as if no
    evaluation group existed; a ``dry`` event changes nothing."""
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
    return IntegrationResult(result=result, profile=profile, event=event)


def attach_last_event(app: Application, session_id: str) -> None:
    """Tie the latest recorded event to a session (what the legacy ``trackEvent`` does to the event it records)."""
    if app.events:
        app.events[-1].session_id = session_id
