"""Achievements declared by a test and the progress recorded for customers.

How progress adds up per period (the metrics, windows and effects) is :mod:`pytest_talon.fake.engine.achievements`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pytest_talon.fake.errors import FakeSetupError
from pytest_talon.fake.state.application import Application
from pytest_talon.fake.state.programs import check_duration

__all__ = ["SESSION_METRICS", "AchievementDef", "ProgressEntry", "recorded"]

#: Metrics counted from closed sessions.
SESSION_METRICS = ("closedSessions", "sessionTotal")
_RECURRENCE_POLICIES = ("no_recurrence", "on_expiration", "on_completion")
_ACTIVATION_POLICIES = ("user_action", "fixed_schedule")


@dataclass
class AchievementDef:
    """An achievement: reach ``target`` of progress (within each ``period`` when one is set); ``metric`` None counts
    effects when a campaign increases it, closed sessions otherwise (see the module docstring)."""

    id: int
    name: str
    title: str
    target: float
    campaign_id: int
    created: datetime
    description: str = ""
    metric: str | None = None
    period: str | None = None
    recurrence_policy: str = "no_recurrence"
    activation_policy: str = "fixed_schedule"
    fixed_start_date: datetime | None = None
    end_date: datetime | None = None
    allow_rollback_after_completion: bool = False

    def __post_init__(self) -> None:
        if (
            not self.name
            or not self.name[0].isalpha()
            or not self.name.replace("_", "a").isalnum()
            or len(self.name) < 2
        ):
            raise FakeSetupError(f"achievement name: {self.name!r} must match ^[a-zA-Z]\\w+$")
        if self.target <= 0:
            raise FakeSetupError(f"achievement target: must be positive, got {self.target}")
        metric = self.metric
        known = (*SESSION_METRICS, "effects", "manual")
        if metric is not None and metric not in known and not str(metric).startswith("event:"):
            raise FakeSetupError(
                f"achievement metric: {metric!r} is not effects, closedSessions, sessionTotal, event:<type> or manual"
            )
        if self.period is not None:
            check_duration(self.period, "achievement period", ())
        for name, value, allowed in (
            ("recurrencePolicy", self.recurrence_policy, _RECURRENCE_POLICIES),
            ("activationPolicy", self.activation_policy, _ACTIVATION_POLICIES),
        ):
            if value not in allowed:
                raise FakeSetupError(f"achievement {name}: {value!r} is not {' or '.join(allowed)}")

    @property
    def counted_event(self) -> str | None:
        """The event type whose events make progress (metric ``event:<type>``), or None."""
        metric = self.metric
        return metric.split(":", 1)[1] if metric is not None and metric.startswith("event:") else None

    def status(self, now: datetime) -> str:
        """``scheduled`` before its fixed start date, ``active`` otherwise."""
        return "scheduled" if self.fixed_start_date is not None and self.fixed_start_date > now else "active"

    def refers_to(self, ref: int | str) -> bool:
        """Whether an id (int) or a name (str) names this achievement."""
        return self.id == ref if isinstance(ref, int) else self.name == ref


@dataclass
class ProgressEntry:
    """Progress recorded for a profile: by ``add_achievement_progress`` or by an ``increaseAchievementProgress``
    effect committed at ``at`` (``session_id`` is the closing session's, None for events, profiles and seeding)."""

    achievement_id: int
    profile_id: str
    at: datetime
    delta: float
    session_id: str | None = None
    from_effect: bool = False


def recorded(app: Application) -> list[ProgressEntry]:
    """Every recorded progress entry of the Application (the list itself, oldest first)."""
    found: list[ProgressEntry] = app.extra.setdefault("achievement_progress", [])
    return found
