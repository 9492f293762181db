"""Campaign declarations: rules made of conditions and effects, limits and a validity window.

The same vocabulary works in Python and in a YAML/JSON campaigns file. In a file each condition and each effect
is a one-key mapping ``{kind: {params}}`` (``kind`` is the class's :attr:`kind`, params in camelCase or
snake_case)::

    campaigns:
      - name: Ten percent off
        limits: {couponRedemptions: 100, redemptionsPerProfile: 1}
        rules:
          - title: coupon discount
            conditions: [{couponValid: {}}, {cartSubtotal: {op: ">=", value: 50}}]
            effects: [{setDiscount: {name: "10% off", percent: 10}}]
    coupons:
      - {value: SUMMER-10, campaignId: 1}

Instead of ``rules`` a campaign may carry a Talang ``ruleset`` as the Management API returns it
(``{"rules": [{"title", "condition", "effects", "bindings"}], "bindings": [...]}``, see docs/talang.md); it is
compiled when the campaign is declared, and an unknown function is refused naming campaign, rule and function.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any

from pytest_talon.fake.campaigns.conditions import Condition, CouponValid, ReferralValid
from pytest_talon.fake.campaigns.effects import (
    AddLoyaltyPoints,
    CampaignEffect,
    DeductLoyaltyPoints,
    IncreaseAchievementProgress,
)
from pytest_talon.fake.errors import FakeSetupError
from pytest_talon.fake.talang.rules import CompiledRuleset, compile_ruleset

__all__ = ["Campaign", "CampaignLimits", "Rule"]


@dataclass(frozen=True)
class Rule:
    """A named rule: when every condition holds, its effects fire (in order)."""

    title: str
    conditions: tuple[Condition, ...] = ()
    effects: tuple[CampaignEffect, ...] = ()

    @cached_property
    def is_coupon_rule(self) -> bool:
        """Whether the rule checks a coupon (has :class:`CouponValid`)."""
        return any(isinstance(c, CouponValid) for c in self.conditions)

    @cached_property
    def is_referral_rule(self) -> bool:
        """Whether the rule checks a referral (has :class:`ReferralValid`)."""
        return any(isinstance(c, ReferralValid) for c in self.conditions)


@dataclass(frozen=True)
class CampaignLimits:
    """Campaign-wide limits; 0 means unlimited."""

    coupon_redemptions: int = 0
    referral_redemptions: int = 0
    redemptions_per_profile: int = 0


@dataclass(frozen=True)
class Campaign:
    """A campaign: rules, state, validity window and limits. ``id`` is assigned when omitted.

    ``ruleset`` replaces ``rules`` with a Talang ruleset (a Management API mapping, compiled here, or a
    :class:`~pytest_talon.fake.talang.CompiledRuleset`).
    """

    name: str
    rules: tuple[Rule, ...] = ()
    id: int = 0
    state: str = "enabled"
    start_time: datetime | None = None
    end_time: datetime | None = None
    limits: CampaignLimits = CampaignLimits()
    tags: tuple[str, ...] = ()
    description: str = ""
    attributes: dict[str, Any] = field(default_factory=dict)
    reevaluate_on_return: bool = False
    ruleset: CompiledRuleset | Mapping[str, Any] | None = None

    def __post_init__(self) -> None:
        if not self.name:
            raise FakeSetupError("name: a campaign needs a non-empty name")
        if self.state not in ("enabled", "disabled", "archived"):
            raise FakeSetupError(f"state: {self.state!r} is not enabled, disabled or archived")
        for when in (self.start_time, self.end_time):
            if when is not None and when.tzinfo is None:
                raise FakeSetupError(f"startTime/endTime: {when!r} is naive; give a timezone (e.g. ...Z)")
        object.__setattr__(self, "rules", tuple(self.rules))
        object.__setattr__(self, "tags", tuple(self.tags))
        if self.ruleset is not None and self.rules:
            raise FakeSetupError("rules/ruleset: give declared rules or a Talang ruleset, not both")
        if self.ruleset is not None and not isinstance(self.ruleset, CompiledRuleset):
            object.__setattr__(self, "ruleset", compile_ruleset(self.ruleset, campaign=self.name))

    @property
    def talang(self) -> CompiledRuleset | None:
        """The compiled Talang ruleset, when the campaign has one instead of declared rules."""
        return self.ruleset if isinstance(self.ruleset, CompiledRuleset) else None

    @property
    def ruleset_id(self) -> int:
        """The id of the campaign's active ruleset (derived from the campaign id)."""
        return 1000 + self.id

    @property
    def features(self) -> list[str]:
        """The campaign's features as the API lists them (coupons, referrals, loyalty, achievements)."""
        out = []
        effects = [e for r in self.rules for e in r.effects]
        talang = self.talang
        called = set() if talang is None else {f for i in range(len(talang.rules)) for f in talang.functions_of(i)}
        if any(r.is_coupon_rule for r in self.rules) or "couponValid" in called:
            out.append("coupons")
        if any(r.is_referral_rule for r in self.rules) or "referralValid" in called:
            out.append("referrals")
        loyalty = {"addLoyaltyPoints", "deductLoyaltyPoints"}
        if any(isinstance(e, (AddLoyaltyPoints, DeductLoyaltyPoints)) for e in effects) or called & loyalty:
            out.append("loyalty")
        if any(isinstance(e, IncreaseAchievementProgress) for e in effects):
            out.append("achievements")
        return out

    def is_running(self, now: datetime) -> bool:
        """Enabled and inside its start/end window."""
        if self.state != "enabled":
            return False
        return (self.start_time is None or self.start_time <= now) and (self.end_time is None or now < self.end_time)

    def frontend_state(self, now: datetime) -> str:
        """``running``, ``scheduled``, ``expired``, ``disabled`` or ``archived``."""
        if self.state != "enabled":
            return self.state
        if self.start_time is not None and now < self.start_time:
            return "scheduled"
        if self.end_time is not None and now >= self.end_time:
            return "expired"
        return "running"
