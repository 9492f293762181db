"""Campaigns and evaluation groups declared by a test: ids, uniqueness, membership checks, storing."""

from __future__ import annotations

import dataclasses
from datetime import datetime

from pytest_talon.fake.campaigns.campaign import Campaign
from pytest_talon.fake.campaigns.groups import EvaluationGroup
from pytest_talon.fake.errors import FakeSetupError
from pytest_talon.fake.state.application import Application

__all__ = ["next_campaign_id", "running", "seed_group", "store_campaign"]


def next_campaign_id(app: Application) -> int:
    """The id a campaign declared without one gets."""
    return max(app.campaigns, default=0) + 1


def store_campaign(app: Application, campaign: Campaign) -> Campaign:
    """Store a declared campaign; raises :class:`FakeSetupError` when its id is taken."""
    if campaign.id in app.campaigns:
        raise FakeSetupError(f"add_campaign: campaign id {campaign.id} is taken; omit id to get the next one")
    app.campaigns[campaign.id] = campaign
    return campaign


def seed_group(app: Application, group: EvaluationGroup) -> EvaluationGroup:
    """Store a group (assigning the next id when ``id`` is 0) after checking its campaigns exist and are ungrouped."""
    if group.id == 0:
        group = dataclasses.replace(group, id=max(app.evaluation_groups, default=0) + 1)
    if group.id in app.evaluation_groups:
        raise FakeSetupError(f"id: evaluation group {group.id} already exists; omit id to get the next one")
    for campaign_id in group.campaigns:
        if campaign_id not in app.campaigns:
            raise FakeSetupError(f"campaigns: campaign {campaign_id} does not exist; add the campaigns first")
        other = next((g for g in app.evaluation_groups.values() if campaign_id in g.campaigns), None)
        if other is not None:
            raise FakeSetupError(f"campaigns: campaign {campaign_id} is already in evaluation group {other.id}")
    app.evaluation_groups[group.id] = group
    return group


def running(
    app: Application,
    ids: set[int] | None,
    *,
    starts: tuple[datetime | None, datetime | None],
    ends: tuple[datetime | None, datetime | None],
) -> list[Campaign]:
    """The campaigns running now, by id, kept to ``ids`` (None: all) and to start and end times strictly inside
    ``starts`` and ``ends`` (after, before; None: unbounded)."""
    now = app.now()
    return [
        c
        for _, c in sorted(app.campaigns.items())
        if c.is_running(now)
        and (ids is None or c.id in ids)
        and _within(c.start_time, *starts)
        and _within(c.end_time, *ends)
    ]


def _within(when: datetime | None, after: datetime | None, before: datetime | None) -> bool:
    if after is None and before is None:
        return True
    if when is None:
        return False
    return (after is None or when > after) and (before is None or when < before)
