"""Customer profile operations: update (v2, single and bulk), inventory and customer data deletion, over
:mod:`pytest_talon.fake.backend.profiles`."""

from __future__ import annotations

from pytest_talon import models
from pytest_talon.fake.api.achievements import inventory_achievements
from pytest_talon.fake.api.calls import OperationCall, Reply, route
from pytest_talon.fake.api.integration_states import state_reply
from pytest_talon.fake.backend import encode, profiles
from pytest_talon.fake.backend.giveaways import inventory_giveaways
from pytest_talon.fake.errors import BadRequest
from pytest_talon.fake.state.application import Application

__all__ = [
    "delete_customer_data",
    "get_customer_inventory",
    "silent_flag",
    "update_customer_profile_v2",
    "update_customer_profiles_v2",
]


def silent_flag(call: OperationCall) -> bool:
    """The ``silent`` query flag (``yes`` by default) as a bool; 400 for any other value than yes/no."""
    value = call.query.get("silent") or "yes"
    if value not in ("yes", "no"):
        raise BadRequest(f"silent must be yes or no, got {value!r}", parameter="silent")
    return value == "yes"


@route(
    "updateCustomerProfileV2",
    notes=("`responseContent` or `dry` without `runRuleEngine=true` answer 400 (INF); audience ids are not checked."),
)
def update_customer_profile_v2(app: Application, call: OperationCall) -> Reply:
    """Upsert a profile's attributes and audiences; with ``runRuleEngine=true`` evaluate the campaigns too."""
    body: models.CustomerProfileIntegrationRequestV2 = call.body
    integration_id = call.path["integrationId"]
    engine = bool(call.query.get("runRuleEngine"))
    dry = bool(call.query.get("dry"))
    if dry and not engine:
        raise BadRequest("dry=true needs runRuleEngine=true", parameter="dry")
    if body.response_content and not engine:
        raise BadRequest("responseContent needs runRuleEngine=true", pointer="/responseContent")
    result = profiles.update_profile(app, integration_id, body, engine=engine, dry=dry)
    if result is None:
        return Reply(
            200, models.CustomerProfileIntegrationResponseV2(effects=[], created_coupons=[], created_referrals=[])
        )
    return state_reply(app, result, body.response_content, models.CustomerProfileIntegrationResponseV2)


@route("updateCustomerProfilesV2")
def update_customer_profiles_v2(app: Application, call: OperationCall) -> Reply:
    """Upsert up to 1000 profiles' attributes; never runs the rules."""
    body: models.MultipleCustomerProfileIntegrationRequest = call.body
    silent = silent_flag(call)
    updated = profiles.upsert_profiles(app, body.customer_profiles or [])
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
def get_customer_inventory(app: Application, call: OperationCall) -> Reply:
    """The requested sections of a profile's inventory: profile, reserved coupons, referrals, loyalty, giveaways,
    achievements."""
    profile = profiles.profile_or_404(app, call.path["integrationId"])
    query = call.query
    pid = profile.integration_id
    sections: dict[str, object] = {}
    if query.get("profile"):
        sections["profile"] = encode.profile(app, profile)
    if query.get("coupons"):
        sections["coupons"] = [encode.inventory_coupon(app, c, pid) for c in profiles.reserved_coupons(app, pid)]
    if query.get("referrals"):
        sections["referrals"] = [encode.inventory_referral(r) for r in profiles.advocated_referrals(app, pid)]
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
def delete_customer_data(app: Application, call: OperationCall) -> Reply:
    """Erase the attributes of a profile and of its sessions and events; the profile and its ids remain (INF)."""
    profiles.erase_customer_data(app, call.path["integrationId"])
    return Reply(204)
