"""Achievement progress: the periods (windows) a customer's progress falls in, and the achievement effects
(``increaseAchievementProgress`` and its rollback).

An achievement with a declarative ``metric`` counts what the customer did (``closedSessions``, ``sessionTotal``,
``event:<type>``) plus recorded progress; without one it counts effects when a campaign increases it, closed
sessions otherwise. With a ``period`` progress restarts in every period (at most 1000 periods are tracked).

An increase is tentative while a session is open (the effect shows the progress the close would reach) and is
committed as a :class:`~pytest_talon.fake.state.achievements.ProgressEntry` when the session closes, at once for
events and profiles.
Cancelling or reopening the closed session removes that progress with ``rollbackIncreasedAchievementProgress``,
unless the customer completed the achievement in that period (and it does not ``allow_rollback_after_completion``).
A completed achievement takes no more progress in the same period, and a scheduled or ended one takes none (INF).
Progress tracker ids are given per customer, achievement and period, when progress is first committed there.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from pytest_talon import models
from pytest_talon.fake.campaigns.effects import IncreaseAchievementProgress
from pytest_talon.fake.engine.context import RuleContext
from pytest_talon.fake.state.achievements import SESSION_METRICS, AchievementDef, ProgressEntry, recorded
from pytest_talon.fake.state.application import Application
from pytest_talon.fake.state.programs import add_duration

__all__ = [
    "ProgressRefused",
    "Window",
    "commit_progress",
    "current_window",
    "find_achievement",
    "increase_props",
    "metric_of",
    "rollback_props",
    "windows",
]

_EFFECT_METRICS = ("effects", "manual")


_FAR = datetime.max.replace(tzinfo=timezone.utc)
_MAX_WINDOWS = 1000


def metric_of(app: Application, ach: AchievementDef) -> str:
    """The achievement's metric; unset: ``effects`` when a campaign increases it, ``closedSessions`` otherwise."""
    if ach.metric is not None:
        return ach.metric
    targeted = any(
        isinstance(e, IncreaseAchievementProgress) and ach.refers_to(e.ref)
        for c in app.campaigns.values()
        for r in c.rules
        for e in r.effects
    )
    return "effects" if targeted else "closedSessions"


@dataclass
class Window:
    """The progress of one customer in one period of an achievement."""

    start: datetime
    end: datetime | None
    progress: float
    status: str
    completion_date: datetime | None = None

    def model(self) -> models.AchievementProgress:
        """As ``AchievementProgress``."""
        return models.AchievementProgress(
            status=self.status,
            progress=round(self.progress, 6),
            start_date=self.start,
            end_date=self.end,
            completion_date=self.completion_date,
        )


def _contributions(app: Application, ach: AchievementDef, profile_id: str) -> list[tuple[datetime, float]]:
    out: list[tuple[datetime, float]] = []
    metric = metric_of(app, ach)
    if metric in SESSION_METRICS:
        for session in app.sessions.values():
            if session.profile_id == profile_id and session.committed is not None:
                out.append((session.updated, 1.0 if metric == "closedSessions" else float(session.committed.total)))
    elif ach.counted_event is not None:
        out.extend((at, 1.0) for at in app.counted_events(ach.counted_event).get(profile_id, ()))
    out.extend((p.at, p.delta) for p in recorded(app) if p.achievement_id == ach.id and p.profile_id == profile_id)
    return sorted(out, key=lambda c: c[0])


def _bounds(ach: AchievementDef, first: datetime) -> Iterator[tuple[datetime, datetime | None]]:
    start = ach.fixed_start_date or (first if ach.activation_policy == "user_action" else ach.created)
    for _ in range(_MAX_WINDOWS):
        end = add_duration(start, ach.period) if ach.period else ach.end_date
        if ach.end_date is not None and end is not None:
            end = min(end, ach.end_date)
        yield start, end
        if end is None or (ach.end_date is not None and end >= ach.end_date):
            return
        start = end


def windows(app: Application, ach: AchievementDef, profile_id: str, now: datetime | None = None) -> list[Window]:
    """Every period of the achievement up to ``now`` (default: the fake's clock) for this profile, oldest first."""
    now = app.now() if now is None else now
    made = [c for c in _contributions(app, ach, profile_id) if c[0] <= now]
    out = []
    for start, end in _bounds(ach, made[0][0] if made else now):
        if start > now:
            break
        inside = [(w, d) for w, d in made if start <= w < (end or _FAR)]
        out.append(_window(ach, start, end, inside, now))
    return out


def _window(
    ach: AchievementDef, start: datetime, end: datetime | None, inside: list[tuple[datetime, float]], now: datetime
) -> Window:
    total, done = 0.0, None
    for when, delta in inside:
        total += delta
        if done is None and total >= ach.target:
            done = when
    if done is not None:
        return Window(start, end, total, "completed", done)
    if end is not None and end <= now:
        return Window(start, end, total, "expired")
    return Window(start, end, total, "inprogress" if total > 0 else "not_started")


def current_window(app: Application, ach: AchievementDef, profile_id: str) -> Window:
    """The profile's current period of the achievement (a not-started one before any)."""
    found = windows(app, ach, profile_id)
    return found[-1] if found else Window(ach.fixed_start_date or app.now(), ach.end_date, 0.0, "not_started")


class ProgressRefused(Exception):
    """The effect cannot apply (an unknown achievement, or one that counts something else); its rule fails."""


def find_achievement(app: Application, ref: int | str) -> AchievementDef | None:
    """The achievement an id (int) or a name (str) names, or None."""
    return next((a for a in app.achievements.values() if a.refers_to(ref)), None)


def _trackers(app: Application) -> dict[tuple[int, str, datetime], int]:
    found: dict[tuple[int, str, datetime], int] = app.extra.setdefault("achievement_trackers", {})
    return found


def _window_at(app: Application, ach: AchievementDef, profile_id: str, now: datetime) -> Window | None:
    """The period running at ``now``, or None when the achievement is scheduled or has ended."""
    if ach.status(now) != "active" or (ach.end_date is not None and ach.end_date <= now):
        return None
    found = windows(app, ach, profile_id, now)
    return found[-1] if found else None


def _tracker(ctx: RuleContext, ach: AchievementDef, profile_id: str, start: datetime) -> int:
    if ach.id in ctx.achievement_trackers:
        return ctx.achievement_trackers[ach.id]
    known = _trackers(ctx.app)
    tracker = known.get((ach.id, profile_id, start))
    if tracker is None:
        tracker = max([*known.values(), *ctx.achievement_trackers.values()], default=0) + 1
    ctx.achievement_trackers[ach.id] = tracker
    return tracker


def increase_props(ctx: RuleContext, spec: IncreaseAchievementProgress, profile_id: str) -> dict[str, Any] | None:
    """The props of one increase in ``ctx`` (adding to what the evaluation added so far), or None when the
    achievement takes no progress now; raises :class:`ProgressRefused`."""
    ach = find_achievement(ctx.app, spec.ref)
    if ach is None:
        raise ProgressRefused(
            f"increaseAchievementProgress: no achievement {spec.ref!r}; declare it with fake.add_achievement() "
            "or in the campaigns file's achievements section"
        )
    metric = metric_of(ctx.app, ach)
    if metric not in _EFFECT_METRICS:
        raise ProgressRefused(
            f"increaseAchievementProgress: achievement {ach.name!r} counts {metric}; leave its metric unset or set "
            "it to effects so that rule effects drive its progress"
        )
    window = _window_at(ctx.app, ach, profile_id, ctx.now)
    before = (window.progress if window is not None else 0.0) + ctx.achievement_progress.get(ach.id, 0.0)
    if window is None or before >= ach.target:
        return None
    delta = float(spec.delta)
    ctx.achievement_progress[ach.id] = ctx.achievement_progress.get(ach.id, 0.0) + delta
    return {
        "achievementId": ach.id,
        "achievementName": ach.name,
        "progressTrackerId": _tracker(ctx, ach, profile_id, window.start),
        "delta": delta,
        "value": round(before + delta, 6),
        "target": ach.target,
        "isJustCompleted": before + delta >= ach.target,
    }


def commit_progress(app: Application, effects: list[dict[str, Any]], profile_id: str, session_id: str | None) -> None:
    """Record the progress of the ``increaseAchievementProgress`` effects (session close, event, profile update)."""
    for effect in effects:
        if effect["effectType"] != "increaseAchievementProgress":
            continue
        props = effect["props"]
        ach = app.achievements.get(props["achievementId"])
        if ach is None:
            continue
        window = _window_at(app, ach, profile_id, app.now())
        if window is not None:
            _trackers(app).setdefault((ach.id, profile_id, window.start), props["progressTrackerId"])
        entry = ProgressEntry(ach.id, profile_id, app.now(), props["delta"], session_id, from_effect=True)
        recorded(app).append(entry)


def _containing(app: Application, ach: AchievementDef, profile_id: str, at: datetime) -> Window | None:
    inside = [w for w in windows(app, ach, profile_id) if w.start <= at and (w.end is None or at < w.end)]
    return inside[-1] if inside else None


def rollback_props(app: Application, effect: dict[str, Any], profile_id: str, session_id: str) -> dict[str, Any] | None:
    """Remove the progress a closed session's increase committed and return the rollback's props; None when it
    stays (completed in its period without ``allow_rollback_after_completion``, or already erased)."""
    props = effect["props"]
    ach = app.achievements.get(props["achievementId"])
    entries = recorded(app)
    entry = next(
        (
            p
            for p in entries
            if p.from_effect
            and (p.achievement_id, p.profile_id, p.session_id) == (props["achievementId"], profile_id, session_id)
            and p.delta == props["delta"]
        ),
        None,
    )
    if ach is None or entry is None:
        return None
    window = _containing(app, ach, profile_id, entry.at)
    if window is not None and window.status == "completed" and not ach.allow_rollback_after_completion:
        return None
    entries[:] = [p for p in entries if p is not entry]
    after = _containing(app, ach, profile_id, entry.at)
    return {
        "achievementId": ach.id,
        "achievementName": ach.name,
        "progressTrackerId": props["progressTrackerId"],
        "decreaseProgressBy": props["delta"],
        "currentProgress": round(after.progress if after is not None else 0.0, 6),
        "target": ach.target,
    }
