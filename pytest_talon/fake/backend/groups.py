"""Campaign evaluation groups declared by a test."""

from __future__ import annotations

import dataclasses

from pytest_talon.fake.campaigns.groups import EvaluationGroup
from pytest_talon.fake.errors import FakeSetupError
from pytest_talon.fake.state.application import Application

__all__ = ["seed_group"]


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
