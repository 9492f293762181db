"""Campaigns indexed by what can trigger them, so that campaigns which cannot fire cost next to nothing.

:func:`campaign_index` is built once per set of campaigns and groups in scope (kept on the Application, shared by
the process's fakes given the same campaign objects, and rebuilt when either changes) and holds what
:func:`~.evaluation.evaluate` would otherwise recompute per request: campaigns by id, the evaluation units, the group
of each campaign, and a :class:`Gate` per campaign:

- a campaign whose every rule checks a coupon or a referral produces nothing unless one of its codes was sent;
- a campaign whose other rules all start with an ``eventType`` condition produces, for any other event, exactly one
  rule failure per such rule (condition 0), which the gate holds ready-made.

Both shortcuts give the same effects and rule failures, in the same order, as evaluating every rule.
:meth:`CampaignIndex.plan` goes one step further for each event type: consecutive ungrouped campaigns that are
always running and can only fail (or stay silent) for it become one :class:`Step` holding their rule failures, so a
request walks the few campaigns that can fire instead of every campaign.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pytest_talon.fake.campaigns.campaign import Campaign
from pytest_talon.fake.campaigns.conditions import EventType
from pytest_talon.fake.campaigns.groups import EvaluationGroup
from pytest_talon.fake.engine.groups import evaluation_units
from pytest_talon.fake.state.application import Application

__all__ = ["CampaignIndex", "Gate", "Step", "campaign_index", "rule_failure"]

_CACHE_KEY = "campaign_index"


def rule_failure(campaign: Campaign, index: int, title: str) -> dict[str, Any]:
    """The fields every rule failure of this campaign's rule ``index`` starts with."""
    return {
        "campaignID": campaign.id,
        "campaignName": campaign.name,
        "rulesetID": campaign.ruleset_id,
        "ruleIndex": index,
        "ruleName": title,
    }


@dataclass(frozen=True)
class Gate:
    """What a campaign needs to do anything beyond failing: a code of its own, or one event type."""

    #: Every rule checks a coupon or a referral: without one of the campaign's codes it produces nothing.
    codes_only: bool
    #: The event type every other rule requires first (None when some rule does not start with one).
    event_type: str | None = None
    #: The rule failures (condition 0) of those rules for any other event, in rule order.
    failures: tuple[dict[str, Any], ...] = ()

    def only_fails(self, event_type: str, also_events: frozenset[str]) -> bool:
        """Whether, without one of its codes, the campaign gives only :attr:`failures` for this event."""
        gate = self.event_type
        return self.codes_only or (gate is not None and gate != event_type and gate not in also_events)


@dataclass(frozen=True)
class Step:
    """One step of a :meth:`CampaignIndex.plan`: a unit to evaluate, or a block of campaigns that only fail."""

    group: EvaluationGroup | None
    members: list[Campaign]
    #: For a block: the rule failures of its campaigns when none of their codes was sent; None for a unit.
    failures: tuple[dict[str, Any], ...] | None = None
    ids: frozenset[int] = frozenset()


@dataclass(frozen=True)
class CampaignIndex:
    """Per-request lookups over the campaigns in scope and the evaluation groups (see the module docstring)."""

    by_id: dict[int, Campaign]
    group_of: dict[int, EvaluationGroup]
    units: list[tuple[EvaluationGroup | None, list[Campaign]]]
    gates: dict[int, Gate]
    plans: dict[tuple[str, frozenset[str]], list[Step]] = field(default_factory=dict)

    def plan(self, event_type: str, also_events: frozenset[str]) -> list[Step]:
        """The units in evaluation order for this event, with the campaigns that can only fail folded into blocks."""
        key = (event_type, also_events)
        found = self.plans.get(key)
        if found is None:
            found = self.plans[key] = self._plan(event_type, also_events)
        return found

    def _plan(self, event_type: str, also_events: frozenset[str]) -> list[Step]:
        steps: list[Step] = []
        block: list[Campaign] = []
        for group, members in self.units:
            campaign = members[0]
            always = campaign.state == "enabled" and campaign.start_time is None and campaign.end_time is None
            if group is None and always and self.gates[campaign.id].only_fails(event_type, also_events):
                block.append(campaign)
                continue
            if block:
                steps.append(self._block(block))
                block = []
            steps.append(Step(group, members))
        if block:
            steps.append(self._block(block))
        return steps

    def _block(self, campaigns: list[Campaign]) -> Step:
        failures = tuple(f for c in campaigns for f in self.gates[c.id].failures)
        return Step(None, campaigns, failures, frozenset(c.id for c in campaigns))


def _gate(campaign: Campaign) -> Gate:
    if campaign.talang is not None:  # a Talang ruleset's conditions are expressions: always evaluated
        return Gate(codes_only=False)
    others = [(i, r) for i, r in enumerate(campaign.rules) if not (r.is_coupon_rule or r.is_referral_rule)]
    firsts = [r.conditions[0] if r.conditions else None for _, r in others]
    types = {c.type for c in firsts if isinstance(c, EventType)}
    if not others or len(types) != 1 or not all(isinstance(c, EventType) for c in firsts):
        return Gate(codes_only=not others)
    failures = tuple({**rule_failure(campaign, i, r.title), "conditionIndex": 0} for i, r in others)
    return Gate(codes_only=False, event_type=types.pop(), failures=failures)


def campaign_index(app: Application, campaigns: Sequence[Campaign], groups: Sequence[EvaluationGroup]) -> CampaignIndex:
    """The index of these campaigns and groups, kept by ``app`` while they are the same campaign objects and equal
    groups. Campaigns and groups are immutable, and an index depends on them alone; the cached entry keeps them
    alive, so their ids cannot be reused by others."""
    key = (tuple(map(id, campaigns)), tuple(groups))
    cached = app.indexes.get(_CACHE_KEY)
    if cached is None or cached[0] != key:
        index = CampaignIndex(
            by_id={c.id: c for c in campaigns},
            group_of={cid: g for g in groups for cid in g.campaigns},
            units=evaluation_units(campaigns, groups),
            gates={c.id: _gate(c) for c in campaigns},
        )
        cached = app.indexes[_CACHE_KEY] = (key, index, list(campaigns), list(groups))
    found: CampaignIndex = cached[1]
    return found
