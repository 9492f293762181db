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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pytest_talon.fake.errors import FakeSetupError

__all__ = ["EXCLUSION_REASONS", "GROUP_MODES", "EvaluationGroup", "parse_group"]

#: The modes the fake models; ``stackable`` applies every campaign of the group.
GROUP_MODES = ("stackable", "listOrder", "highestDiscount")
#: The ``campaignExclusionReason`` of a campaign left out by each exclusive mode.
EXCLUSION_REASONS = {"listOrder": "CampaignIsNotFirst", "highestDiscount": "CampaignGaveLowerDiscount"}


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


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()
