"""Campaign evaluation groups: campaigns evaluated together, where the group's ``mode`` decides which apply.

A group lists campaign ids in its order. ``stackable``: every campaign applies (as without a group).
``listOrder``: only the first campaign, in the group's order, whose rules produce effects applies. ``highestDiscount``:
only the campaign giving the largest total discount applies (ties go to the earlier one). The campaigns that would
have applied but were left out are *excluded*: the engine rejects their codes with
``CouponPartOfNotTriggeredCampaign`` / ``ReferralPartOfNotTriggeredCampaign`` and :data:`EXCLUSION_REASONS`, and
drops their other effects. Campaigns outside every group behave as before. The mode names and their semantics are
the fake's reading of the live API (INF).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pytest_talon.fake.campaigns import Campaign
from pytest_talon.fake.errors import FakeSetupError
from pytest_talon.fake.state import Application

__all__ = [
    "DISCOUNT_EFFECTS",
    "EXCLUSION_REASONS",
    "GROUP_MODES",
    "EvaluationGroup",
    "discount_total",
    "evaluation_units",
    "parse_group",
    "seed_group",
]

#: The modes the fake models; ``stackable`` applies every campaign of the group.
GROUP_MODES = ("stackable", "listOrder", "highestDiscount")
#: The ``campaignExclusionReason`` of a campaign left out by each exclusive mode.
EXCLUSION_REASONS = {"listOrder": "CampaignIsNotFirst", "highestDiscount": "CampaignGaveLowerDiscount"}
#: The effect types whose ``value`` counts towards a campaign's total discount (``highestDiscount``).
DISCOUNT_EFFECTS = ("setDiscount", "setDiscountPerItem", "setDiscountPerAdditionalCost")


@dataclass(frozen=True)
class EvaluationGroup:
    """Campaigns evaluated together: ``mode`` is one of :data:`GROUP_MODES`, ``campaigns`` are ids in order."""

    mode: str
    campaigns: tuple[int, ...]
    id: int = 0
    name: str = ""

    def __post_init__(self) -> None:
        if self.mode == "lowestDiscount":
            raise FakeSetupError(
                "mode: 'lowestDiscount' is not modelled (the API documents no exclusion reason for it); "
                f"use one of {', '.join(GROUP_MODES)}"
            )
        if self.mode not in GROUP_MODES:
            raise FakeSetupError(f"mode: {self.mode!r} is not one of {', '.join(GROUP_MODES)}")
        if isinstance(self.campaigns, (str, bytes)) or not isinstance(self.campaigns, Iterable):
            raise FakeSetupError(f"campaigns: {self.campaigns!r} must be a list of campaign ids")
        ids = tuple(self.campaigns)
        if not ids or not all(isinstance(i, int) and not isinstance(i, bool) for i in ids):
            raise FakeSetupError(f"campaigns: {list(ids)!r} must be a non-empty list of campaign ids (integers)")
        if len(set(ids)) != len(ids):
            raise FakeSetupError(f"campaigns: {list(ids)!r} lists a campaign twice")
        object.__setattr__(self, "campaigns", ids)

    @property
    def exclusion_reason(self) -> str | None:
        """The ``campaignExclusionReason`` of the campaigns this group leaves out (None for ``stackable``)."""
        return EXCLUSION_REASONS.get(self.mode)


def parse_group(group: EvaluationGroup | Mapping[str, Any] | None, fields: Mapping[str, Any]) -> EvaluationGroup:
    """An :class:`EvaluationGroup` from a group, a campaigns-file mapping (camelCase or snake_case) or its fields."""
    if isinstance(group, EvaluationGroup):
        if fields:
            raise FakeSetupError("add_evaluation_group: pass an EvaluationGroup or keyword fields, not both")
        return group
    raw = {_snake(k): v for k, v in {**(group or {}), **fields}.items()}
    known = {f.name for f in dataclasses.fields(EvaluationGroup)}
    unknown = set(raw) - known
    if unknown:
        raise FakeSetupError(f"unknown field(s) {sorted(unknown)} for an evaluation group; known: {sorted(known)}")
    missing = {"mode", "campaigns"} - set(raw)
    if missing:
        raise FakeSetupError(f"{sorted(missing)[0]}: an evaluation group needs a mode and a list of campaigns")
    return EvaluationGroup(**raw)


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


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()
