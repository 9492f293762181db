"""Customer profile operations: update (v2, single and bulk), inventory and customer data deletion."""

from __future__ import annotations

import copy
from typing import Any

from pytest_talon import models
from pytest_talon.fake.api import encode
from pytest_talon.fake.api.achievements import inventory_achievements
from pytest_talon.fake.api.calls import Call, Reply, route
from pytest_talon.fake.api.giveaways import erase_customer, inventory_giveaways
from pytest_talon.fake.api.responses import State, campaigns_in_scope, context_for, state_reply
from pytest_talon.fake.engine.achievements import commit_progress
from pytest_talon.fake.engine.evaluation import Evaluation, evaluate
from pytest_talon.fake.engine.lifecycle import commit_loyalty
from pytest_talon.fake.errors import BadRequest, NotFound
from pytest_talon.fake.state.application import Application
from pytest_talon.fake.state.records import ProfileRecord

__all__ = [
    "delete_customer_data",
    "get_customer_inventory",
    "run_profile_rules",
    "silent_flag",
    "transient_profile",
    "update_customer_profile_v2",
    "update_customer_profiles_v2",
]


def silent_flag(call: Call) -> bool:
    """The ``silent`` query flag (``yes`` by default) as a bool; 400 for any other value than yes/no."""
    value = call.query.get("silent") or "yes"
    if value not in ("yes", "no"):
        raise BadRequest(f"silent must be yes or no, got {value!r}", parameter="silent")
    return value == "yes"


def _profile_or_404(app: Application, integration_id: str) -> ProfileRecord:
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


@route(
    "updateCustomerProfileV2",
    notes=("`responseContent` or `dry` without `runRuleEngine=true` answer 400 (INF); audience ids are not checked."),
)
def update_customer_profile_v2(app: Application, call: Call) -> Reply:
    """Upsert a profile's attributes and audiences; with ``runRuleEngine=true`` evaluate the campaigns too."""
    body: models.CustomerProfileIntegrationRequestV2 = call.body
    integration_id = call.path["integrationId"]
    engine = bool(call.query.get("runRuleEngine"))
    dry = bool(call.query.get("dry"))
    if dry and not engine:
        raise BadRequest("dry=true needs runRuleEngine=true", parameter="dry")
    if body.response_content and not engine:
        raise BadRequest("responseContent needs runRuleEngine=true", pointer="/responseContent")
    existing = app.profiles.get(integration_id)
    profile = copy.deepcopy(existing) if dry and existing is not None else None
    if profile is None:
        profile = app.profile_or_create(integration_id)[0] if not dry else transient_profile(app, integration_id)
    profile.attributes.update(body.attributes or {})
    _apply_audiences(profile, body.audiences_changes)
    if not engine:
        return Reply(
            200, models.CustomerProfileIntegrationResponseV2(effects=[], created_coupons=[], created_referrals=[])
        )
    event_type = "talon_profile_created" if existing is None else "talon_profile_updated"
    result = run_profile_rules(app, profile, event_type, body.evaluable_campaign_ids, dry)
    event = app.record_event(event_type, profile_id=integration_id, effects=result.effects) if not dry else None
    if not dry:
        profile.last_activity = app.now()
    state = State(result=result, profile=profile, event=event)
    return state_reply(app, state, body.response_content, models.CustomerProfileIntegrationResponseV2)


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
) -> Evaluation:
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


@route("updateCustomerProfilesV2")
def update_customer_profiles_v2(app: Application, call: Call) -> Reply:
    """Upsert up to 1000 profiles' attributes; never runs the rules."""
    body: models.MultipleCustomerProfileIntegrationRequest = call.body
    silent = silent_flag(call)
    items = body.customer_profiles or []
    if len(items) > 1000:
        raise BadRequest("at most 1000 profiles per request", pointer="/customerProfiles")
    updated = []
    for item in items:
        profile = app.profile_or_create(item.integration_id)[0]
        profile.attributes.update(item.attributes or {})
        updated.append(profile)
    if silent:
        return Reply(204)
    states = [models.CustomerProfileUpdateV2Response(customer_profile=encode.profile(app, p)) for p in updated]
    return Reply(200, models.MultipleCustomerProfileIntegrationResponseV2(integration_states=states))


@route(
    "getCustomerInventory",
    notes=(
        "Coupons are the ones reserved by or created for the profile (coupon visibility is not modelled); "
        "`giveaways` and `achievements` come from their domain modules."
    ),
)
def get_customer_inventory(app: Application, call: Call) -> Reply:
    """The requested sections of a profile's inventory: profile, reserved coupons, referrals, loyalty, giveaways,
    achievements."""
    profile = _profile_or_404(app, call.path["integrationId"])
    query = call.query
    pid = profile.integration_id
    sections: dict[str, object] = {}
    if query.get("profile"):
        sections["profile"] = encode.profile(app, profile)
    if query.get("coupons"):
        reserved = [c for c in app.coupons.values() if pid in c.reserved_by or c.recipient_integration_id == pid]
        sections["coupons"] = [encode.inventory_coupon(app, c, pid) for c in reserved]
    if query.get("referrals"):
        mine = [r for r in app.referrals.values() if r.advocate_profile_integration_id == pid]
        sections["referrals"] = [encode.inventory_referral(r) for r in mine]
    if query.get("loyalty"):
        sections["loyalty"] = encode.loyalty(app, pid, {})
    if query.get("giveaways"):
        sections["giveaways"] = inventory_giveaways(app, pid)
    if query.get("achievements"):
        sections["achievements"] = inventory_achievements(app, pid)
    return Reply(200, encode.build(models.CustomerInventory, **sections))


@route(
    "deleteCustomerData",
    notes=(
        "Erases attributes of the profile and of its sessions and events; the profile, its ids and counters "
        "remain (INF)."
    ),
)
def delete_customer_data(app: Application, call: Call) -> Reply:
    """Erase the attributes of a profile and of its sessions and events; the profile and its ids remain (INF)."""
    profile = _profile_or_404(app, call.path["integrationId"])
    profile.attributes = {}
    erase_customer(app, profile.integration_id)
    for session in app.sessions.values():
        if session.profile_id == profile.integration_id:
            session.attributes = {}
    for event in app.events:
        if event.profile_id == profile.integration_id:
            event.attributes = {}
    return Reply(204)
