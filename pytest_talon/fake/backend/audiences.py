"""Audiences: records, the setup helper and what the audience operations change.

Membership lives on the profile
(:attr:`~pytest_talon.fake.state.records.ProfileRecord.audience_ids`), so profiles, the inventory and the
``inAudience`` campaign condition all see it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pytest_talon import models
from pytest_talon.fake.backend.encode import build
from pytest_talon.fake.errors import BadRequest, Conflict, FakeSetupError, NotFound
from pytest_talon.fake.state.application import Application

__all__ = [
    "MAX_AUDIENCE_ACTIONS",
    "AudienceRecord",
    "apply_memberships",
    "audience_model",
    "audience_or_404",
    "clear_members",
    "create_audience",
    "delete_audience",
    "rename_audience",
    "seed_audience",
    "set_member_attributes",
]

#: Actions per ``POST /v2/customer_audiences`` request.
MAX_AUDIENCE_ACTIONS = 1000


@dataclass
class AudienceRecord:
    """An audience: name and the optional partner integration it mirrors."""

    id: int
    name: str
    created: datetime
    description: str | None = None
    integration: str | None = None
    integration_id: str | None = None
    sandbox: bool | None = None
    created_in3rd_party: bool | None = None
    last_update: datetime | None = None


def audience_model(app: Application, rec: AudienceRecord) -> models.Audience:
    """An audience as ``Audience``."""
    return build(
        models.Audience,
        id=rec.id,
        account_id=app.account_id,
        created=rec.created,
        name=rec.name,
        description=rec.description,
        integration=rec.integration,
        integration_id=rec.integration_id,
        sandbox=rec.sandbox,
        created_in3rd_party=rec.created_in3rd_party,
        last_update=rec.last_update,
    )


def _duplicate(app: Application, integration: str | None, integration_id: str | None) -> AudienceRecord | None:
    if integration_id is None:
        return None
    for rec in app.audiences.values():
        if rec.integration_id == integration_id and rec.integration == integration:
            return rec  # type: ignore[no-any-return]
    return None


def seed_audience(
    app: Application, name: str, *, id: int | None = None, members: Sequence[str] = (), **fields: Any
) -> AudienceRecord:
    """Store an audience (and its members) declared by a test; raises :class:`FakeSetupError` on a bad field."""
    unknown = set(fields) - {"description", "integration", "integration_id", "sandbox"}
    if unknown:
        raise FakeSetupError(f"add_audience: unknown field(s) {sorted(unknown)}")
    audience_id = id if id is not None else max(app.audiences, default=0) + 1
    if audience_id in app.audiences:
        raise FakeSetupError(f"add_audience: audience {audience_id} already exists")
    if not name:
        raise FakeSetupError("add_audience: name must not be empty")
    rec = AudienceRecord(id=audience_id, name=name, created=app.now(), **fields)
    app.audiences[audience_id] = rec
    for member in members:
        _join(app, member, audience_id)
    return rec


def _join(app: Application, profile_id: str, audience_id: int) -> None:
    profile, _ = app.profile_or_create(profile_id)
    if audience_id not in profile.audience_ids:
        profile.audience_ids.append(audience_id)


def audience_or_404(app: Application, audience_id: int) -> AudienceRecord:
    """The stored audience; 404 when there is none."""
    rec = app.audiences.get(audience_id)
    if rec is None:
        raise NotFound(f"audience {audience_id} not found")
    return rec  # type: ignore[no-any-return]


def create_audience(app: Application, body: models.NewAudience) -> AudienceRecord:
    """Store a new audience; 409 when one with the same ``integration`` + ``integrationId`` exists."""
    if _duplicate(app, body.integration, body.integration_id) is not None:
        raise Conflict(
            f"an audience with integrationId {body.integration_id!r} already exists for this integration",
            pointer="/integrationId",
        )
    rec = AudienceRecord(
        id=max(app.audiences, default=0) + 1,
        name=body.name,
        created=app.now(),
        description=body.description,
        integration=body.integration,
        integration_id=body.integration_id,
        sandbox=body.sandbox,
        created_in3rd_party=body.created_in3rd_party,
        last_update=body.last_update,
    )
    app.audiences[rec.id] = rec
    return rec


def rename_audience(app: Application, audience_id: int, name: str) -> AudienceRecord:
    """Rename an audience (404 when unknown)."""
    rec = audience_or_404(app, audience_id)
    rec.name = name
    return rec


def _members(app: Application, audience_id: int) -> list[Any]:
    return [p for p in app.profiles.values() if audience_id in p.audience_ids]


def clear_members(app: Application, audience_id: int) -> None:
    """Remove every profile from an audience (404 when unknown)."""
    rec = audience_or_404(app, audience_id)
    for profile in _members(app, rec.id):
        profile.audience_ids.remove(rec.id)


def delete_audience(app: Application, audience_id: int) -> None:
    """Delete an audience and every membership in it (404 when unknown)."""
    clear_members(app, audience_id)
    del app.audiences[audience_id]


def apply_memberships(app: Application, actions: list[models.CustomerProfileAudienceRequestItem]) -> None:
    """Add or remove profiles to/from audiences in bulk: every action is checked before any is applied."""
    if len(actions) > MAX_AUDIENCE_ACTIONS:
        raise BadRequest(f"{len(actions)} actions: at most {MAX_AUDIENCE_ACTIONS} per request", pointer="/data")
    for index, action in enumerate(actions):
        if action.audience_id not in app.audiences:
            raise NotFound(f"audience {action.audience_id} not found", pointer=f"/data/{index}/audienceId")
    for action in actions:
        if action.action == "add":
            _join(app, action.profile_integration_id, action.audience_id)
        elif (found := app.profiles.get(action.profile_integration_id)) and action.audience_id in found.audience_ids:
            found.audience_ids.remove(action.audience_id)


def set_member_attributes(app: Application, audience_id: int, attributes: dict[str, Any]) -> None:
    """Set the given profile attributes on every member of the audience (404 when unknown)."""
    rec = audience_or_404(app, audience_id)
    for profile in _members(app, rec.id):
        profile.attributes.update(attributes)
