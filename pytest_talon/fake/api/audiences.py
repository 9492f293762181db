"""Audience handlers (create, rename, delete, memberships, bulk attributes) over
:mod:`pytest_talon.fake.backend.audiences`."""

from __future__ import annotations

from pytest_talon import models
from pytest_talon.fake.api.calls import OperationCall, Reply, route
from pytest_talon.fake.api.paging import path_int
from pytest_talon.fake.backend import audiences
from pytest_talon.fake.backend.audiences import audience_model
from pytest_talon.fake.state.application import Application

__all__ = [
    "create_audience",
    "delete_audience",
    "delete_memberships",
    "update_audience",
    "update_audience_attributes",
    "update_profile_audiences",
]


def _audience_id(call: OperationCall) -> int:
    return path_int(call, "audienceId", "audience")


@route(
    "createAudienceV2",
    notes="Ids are sequential; 409 only for the same `integration` + `integrationId`.",
)
def create_audience(app: Application, call: OperationCall) -> Reply:
    """Create an audience; 409 when one with the same ``integration`` + ``integrationId`` exists."""
    body: models.NewAudience = call.body
    return Reply(201, audience_model(app, audiences.create_audience(app, body)))


@route("updateAudienceV2")
def update_audience(app: Application, call: OperationCall) -> Reply:
    """Rename an audience."""
    return Reply(200, audience_model(app, audiences.rename_audience(app, _audience_id(call), call.body.name)))


@route("deleteAudienceV2")
def delete_audience(app: Application, call: OperationCall) -> Reply:
    """Delete an audience and every membership in it."""
    audiences.delete_audience(app, _audience_id(call))
    return Reply(204)


@route("deleteAudienceMembershipsV2")
def delete_memberships(app: Application, call: OperationCall) -> Reply:
    """Remove every profile from an audience."""
    audiences.clear_members(app, _audience_id(call))
    return Reply(204)


@route(
    "updateCustomerProfileAudiences",
    notes="Every action is checked before any is applied; an unknown audience answers 404 pointing at the action.",
)
def update_profile_audiences(app: Application, call: OperationCall) -> Reply:
    """Add or remove profiles to/from audiences in bulk (at most 1000 actions; ``add`` creates missing profiles)."""
    audiences.apply_memberships(app, call.body.data or [])
    return Reply(204)


@route(
    "updateAudienceCustomersAttributes",
    notes="Attributes are not checked against attribute definitions.",
)
def update_audience_attributes(app: Application, call: OperationCall) -> Reply:
    """Set the given profile attributes on every member of the audience."""
    attributes = call.raw_json if isinstance(call.raw_json, dict) else {}
    audiences.set_member_attributes(app, _audience_id(call), attributes)
    return Reply(204)
