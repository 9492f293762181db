"""Ordering campaigns by their evaluation groups (see :mod:`pytest_talon.fake.campaigns.groups`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from pytest_talon.fake.campaigns.campaign import Campaign
from pytest_talon.fake.campaigns.groups import EvaluationGroup
from pytest_talon.fake.state.amounts import dec

__all__ = ["DISCOUNT_EFFECTS", "discount_total", "evaluation_units"]

#: The effect types whose ``value`` counts towards a campaign's total discount (``highestDiscount``).
DISCOUNT_EFFECTS = ("setDiscount", "setDiscountPerItem", "setDiscountPerAdditionalCost")


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


def discount_total(effects: Iterable[Mapping[str, Any]]) -> Decimal:
    """The sum of the discount effects' values (what a ``highestDiscount`` group compares)."""
    return sum((dec(e["props"]["value"]) for e in effects if e["effectType"] in DISCOUNT_EFFECTS), Decimal(0))
