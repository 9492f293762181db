"""What one evaluation gives: :class:`EvaluationResult` (effects, verdicts, created entities, the changes persisting
applies) and :func:`envelope`, the wire envelope every effect comes in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from pytest_talon.fake.engine.trace import Trace
from pytest_talon.fake.state.records import CouponRecord, ReferralRecord

__all__ = ["EvaluationResult", "envelope"]


@dataclass(slots=True)
class EvaluationResult:
    """The outcome of one evaluation: effects, verdicts, created entities and the changes persisting applies."""

    effects: list[dict[str, Any]] = field(default_factory=list)
    accepted_coupons: list[CouponRecord] = field(default_factory=list)
    accepted_referral: ReferralRecord | None = None
    created_coupons: list[CouponRecord] = field(default_factory=list)
    created_referrals: list[ReferralRecord] = field(default_factory=list)
    triggered: list[int] = field(default_factory=list)
    rule_failures: list[dict[str, Any]] = field(default_factory=list)
    actions: list[Callable[[], None]] = field(default_factory=list)
    tentative_points: dict[int, Decimal] = field(default_factory=dict)
    #: What the evaluation weighed and why, as :mod:`.trace` tuples (read by :mod:`pytest_talon.fake.explain`).
    trace: Trace = field(default_factory=Trace)

    def persist(self) -> None:
        """Apply every side effect of the evaluated rules (not for dry runs)."""
        for action in self.actions:
            action()


def envelope(
    campaign_id: int, ruleset_id: int, rule_index: int, rule_name: str, effect_type: str, props: dict[str, Any]
) -> dict[str, Any]:
    """An effect in the wire envelope (``triggeredByCoupon`` is added by the caller when a coupon triggered it)."""
    return {
        "campaignId": campaign_id,
        "rulesetId": ruleset_id,
        "ruleIndex": rule_index,
        "ruleName": rule_name,
        "effectType": effect_type,
        "props": props,
    }
