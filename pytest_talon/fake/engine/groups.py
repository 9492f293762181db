"""Storing evaluation groups and ordering campaigns by them (see :mod:`pytest_talon.fake.rules.groups`)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pytest_talon.fake.errors import FakeSetupError
from pytest_talon.fake.rules.campaign import Campaign
from pytest_talon.fake.rules.groups import EvaluationGroup
from pytest_talon.fake.state.application import Application

__all__ = ["DISCOUNT_EFFECTS", "discount_total", "evaluation_units", "seed_group"]

#: The effect types whose ``value`` counts towards a campaign's total discount (``highestDiscount``).
DISCOUNT_EFFECTS = ("setDiscount", "setDiscountPerItem", "setDiscountPerAdditionalCost")


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


def evaluation_units(
    campaigns: Sequence[Campaign], groups: Iterable[EvaluationGroup]
) -> list[tuple[EvaluationGroup | None, list[Campaign]]]:
    """The campaigns in evaluation order: an ungrouped campaign alone, a group where its lowest campaign id falls
    (its members in the group's order); campaigns outside ``campaigns`` (not in scope) are left out."""
    by_id = {c.id: c for c in campaigns}
    group_of = {cid: g for g in groups for cid in g.campaigns}
    units: list[tuple[EvaluationGroup | None, list[Campaign]]] = []
    placed: set[int] = set()
    for campaign in sorted(campaigns, key=lambda c: c.id):
        group = group_of.get(campaign.id)
        if group is None:
            units.append((None, [campaign]))
        elif group.id not in placed:
            placed.add(group.id)
            units.append((group, [by_id[i] for i in group.campaigns if i in by_id]))
    return units


def discount_total(effects: Iterable[Mapping[str, Any]]) -> float:
    """The sum of the discount effects' values (what a ``highestDiscount`` group compares)."""
    return round(sum(float(e["props"]["value"]) for e in effects if e["effectType"] in DISCOUNT_EFFECTS), 2)
