"""Customer profiles: upserting attributes and audiences, running the rules for a profile or an event (no
session), the inventory's coupon and referral sections, and erasing a customer's data."""

from __future__ import annotations

import copy
from typing import Any

from pytest_talon import models
from pytest_talon.fake.backend.giveaways import erase_customer
from pytest_talon.fake.backend.integration import IntegrationResult, campaigns_in_scope, context_for
from pytest_talon.fake.engine.achievements import commit_progress
from pytest_talon.fake.engine.evaluation import EvaluationResult, evaluate
from pytest_talon.fake.engine.lifecycle import commit_loyalty
from pytest_talon.fake.errors import BadRequest, NotFound
from pytest_talon.fake.state.application import Application
from pytest_talon.fake.state.records import CouponRecord, ProfileRecord, ReferralRecord

__all__ = [
    "advocated_referrals",
    "erase_customer_data",
    "profile_or_404",
    "reserved_coupons",
    "run_profile_rules",
    "transient_profile",
    "update_profile",
    "upsert_profiles",
]


def profile_or_404(app: Application, integration_id: str) -> ProfileRecord:
    """The stored profile ``integration_id``; 404 when there is none."""
    found = app.profiles.get(integration_id)
    if found is None:
        raise NotFound(f"customer profile {integration_id!r} does not exist")
    return found


def _apply_audiences(profile: ProfileRecord, changes: models.ProfileAudiencesChanges | None) -> None:
    if changes is None:
        return
    for audience_id in changes.adds:
        if audience_id not in profile.audience_ids:
            profile.audience_ids.append(audience_id)
    for audience_id in changes.deletes:
        if audience_id in profile.audience_ids:
            profile.audience_ids.remove(audience_id)


def update_profile(
    app: Application,
    integration_id: str,
    body: models.CustomerProfileIntegrationRequestV2,
    *,
    engine: bool,
    dry: bool,
) -> IntegrationResult | None:
    """Upsert a profile's attributes and audiences; with ``engine`` evaluate the campaigns too (None without)."""
    existing = app.profiles.get(integration_id)
    profile = copy.deepcopy(existing) if dry and existing is not None else None
    if profile is None:
        profile = app.profile_or_create(integration_id)[0] if not dry else transient_profile(app, integration_id)
    profile.attributes.update(body.attributes or {})
    _apply_audiences(profile, body.audiences_changes)
    if not engine:
        return None
    event_type = "talon_profile_created" if existing is None else "talon_profile_updated"
    result = run_profile_rules(app, profile, event_type, body.evaluable_campaign_ids, dry)
    event = app.record_event(event_type, profile_id=integration_id, effects=result.effects) if not dry else None
    if not dry:
        profile.last_activity = app.now()
    return IntegrationResult(result=result, profile=profile, event=event)


def transient_profile(app: Application, integration_id: str) -> ProfileRecord:
    """An unsaved, empty profile for dry runs on a profile that does not exist yet."""
    return ProfileRecord(id=0, integration_id=integration_id, created=app.now(), last_activity=app.now())


def run_profile_rules(
    app: Application,
    profile: ProfileRecord,
    event_type: str,
    evaluable: list[int] | None,
    dry: bool,
    *,
    complete: bool = False,
    event_attributes: dict[str, Any] | None = None,
) -> EvaluationResult:
    """Evaluate the campaigns for a profile or event (no session): points and achievement progress are written at
    once when not dry.

    ``complete`` (trackEventV2's ``forceCompleteEvaluation``) runs every campaign, ignoring evaluation groups;
    ``event_attributes`` are a custom event's (what a Talang rule reads as ``Event.Attributes``).
    """
    ctx = context_for(app, app.now(), profile, event_type, None)
    ctx.event_attributes = dict(event_attributes or {})
    result = evaluate(ctx, campaigns_in_scope(app, evaluable, dry), groups=() if complete else None)
    if not dry:
        result.persist()
        commit_loyalty(app, result.effects, profile.integration_id, None)
        commit_progress(app, result.effects, profile.integration_id, None)
    return result


def upsert_profiles(
    app: Application, items: list[models.MultipleCustomerProfileIntegrationRequestItem]
) -> list[ProfileRecord]:
    """Upsert up to 1000 profiles' attributes; never runs the rules."""
    if len(items) > 1000:
        raise BadRequest("at most 1000 profiles per request", pointer="/customerProfiles")
    updated = []
    for item in items:
        profile = app.profile_or_create(item.integration_id)[0]
        profile.attributes.update(item.attributes or {})
        updated.append(profile)
    return updated


def reserved_coupons(app: Application, profile_id: str) -> list[CouponRecord]:
    """The coupons reserved by or created for the profile."""
    return [c for c in app.coupons.values() if profile_id in c.reserved_by or c.recipient_integration_id == profile_id]


def advocated_referrals(app: Application, profile_id: str) -> list[ReferralRecord]:
    """The referral codes the profile advocates."""
    return [r for r in app.referrals.values() if r.advocate_profile_integration_id == profile_id]


def erase_customer_data(app: Application, integration_id: str) -> None:
    """Erase the attributes of a profile and of its sessions and events, and its other data (see
    :func:`~.giveaways.erase_customer`); the profile and its ids remain (INF)."""
    profile = profile_or_404(app, integration_id)
    profile.attributes = {}
    erase_customer(app, profile.integration_id)
    for session in app.sessions.values():
        if session.profile_id == profile.integration_id:
            session.attributes = {}
    for event in app.events:
        if event.profile_id == profile.integration_id:
            event.attributes = {}
