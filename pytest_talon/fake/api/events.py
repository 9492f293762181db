"""``trackEventV2``: record a custom event for a profile and evaluate the campaigns."""

from __future__ import annotations

from pytest_talon import models
from pytest_talon.fake.api.calls import OperationCall, Reply, route
from pytest_talon.fake.api.integration_states import state_reply
from pytest_talon.fake.api.profiles import silent_flag
from pytest_talon.fake.backend import events
from pytest_talon.fake.errors import BadRequest
from pytest_talon.fake.state.application import Application

__all__ = ["track_event_v2"]


@route(
    "trackEventV2",
    notes=(
        "`profileId` is required (400 without it); reserved `talon_*` types answer 400; "
        "`forceCompleteEvaluation` needs `dry=true` and runs every campaign as if no evaluation group existed "
        "(no exclusions, no `evaluationGroupID`) (INF)."
    ),
)
def track_event_v2(app: Application, call: OperationCall) -> Reply:
    """Record the event (auto-creating the profile) and run the rules; ``silent=yes`` (default) answers 204."""
    body: models.IntegrationEventV2Request = call.body
    silent = silent_flag(call)
    dry = bool(call.query.get("dry"))
    if call.query.get("forceCompleteEvaluation") and not dry:
        raise BadRequest("forceCompleteEvaluation needs dry=true", parameter="forceCompleteEvaluation")
    complete = bool(call.query.get("forceCompleteEvaluation"))
    result = events.track_event(app, body, dry=dry, complete=complete)
    if silent:
        return Reply(204)
    return state_reply(app, result, body.response_content, models.IntegrationEventV2Response)
