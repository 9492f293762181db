"""``integrationGetAllCampaigns``: the Application's running campaigns, filtered and paged."""

from __future__ import annotations

from pytest_talon import models
from pytest_talon.fake.api.calls import OperationCall, Reply, route
from pytest_talon.fake.api.paging import page, when_param
from pytest_talon.fake.backend import campaigns
from pytest_talon.fake.backend.encode import build
from pytest_talon.fake.campaigns.campaign import Campaign
from pytest_talon.fake.errors import BadRequest
from pytest_talon.fake.state.application import Application

__all__ = ["integration_campaign", "list_campaigns"]


def integration_campaign(app: Application, found: Campaign) -> models.IntegrationCampaign:
    """A declared campaign as ``IntegrationCampaign``."""
    return build(
        models.IntegrationCampaign,
        id=found.id,
        application_id=app.application_id,
        name=found.name,
        description=found.description or None,
        state="enabled",
        tags=list(found.tags),
        features=found.features,
        attributes=found.attributes or None,
        start_time=found.start_time,
        end_time=found.end_time,
    )


def _ids(call: OperationCall) -> set[int] | None:
    raw = call.query.get("campaignIds")
    if not raw:
        return None
    try:
        return {int(v) for v in raw}
    except ValueError:
        raise BadRequest(f"parameter 'campaignIds' must be integers, got {raw!r}", parameter="campaignIds") from None


@route(
    "integrationGetAllCampaigns",
    notes="`storeId`/`audienceId` (newer specs) are not supported; start/end filters are exclusive bounds.",
)
def list_campaigns(app: Application, call: OperationCall) -> Reply:
    """Running campaigns, by id, optionally filtered by ids and start/end windows; ``{hasMore, data}``."""
    ids = _ids(call)
    start_after, start_before = when_param(call, "startAfter"), when_param(call, "startBefore")
    end_after, end_before = when_param(call, "endAfter"), when_param(call, "endBefore")
    chosen = campaigns.running(app, ids, starts=(start_after, start_before), ends=(end_after, end_before))
    data, more = page(chosen, call)
    return Reply(200, models.IntegrationCampaignList(data=[integration_campaign(app, c) for c in data], has_more=more))
