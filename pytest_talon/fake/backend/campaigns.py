"""Campaigns and evaluation groups declared by a test: ids, uniqueness, membership checks, storing."""

from __future__ import annotations

import dataclasses

from pytest_talon.fake.campaigns.campaign import Campaign
from pytest_talon.fake.campaigns.groups import EvaluationGroup
from pytest_talon.fake.errors import FakeSetupError
from pytest_talon.fake.state.application import Application

__all__ = ["next_campaign_id", "seed_group", "store_campaign"]


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
