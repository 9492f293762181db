"""The achievement effects: ``increaseAchievementProgress`` and its rollback.

An increase is tentative while a session is open (the effect shows the progress the close would reach) and is
committed as a :class:`~.achievements.ProgressEntry` when the session closes, at once for events and profiles.
Cancelling or reopening the closed session removes that progress with ``rollbackIncreasedAchievementProgress``,
unless the customer completed the achievement in that period (and it does not ``allow_rollback_after_completion``).
A completed achievement takes no more progress in the same period, and a scheduled or ended one takes none (INF).
Progress tracker ids are given per customer, achievement and period, when progress is first committed there.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pytest_talon.fake.achievements import Window, metric_of, windows
from pytest_talon.fake.conditions import Context
from pytest_talon.fake.rules.effects import IncreaseAchievementProgress
from pytest_talon.fake.state.achievements import AchievementDef, ProgressEntry, recorded
from pytest_talon.fake.state.application import Application

__all__ = ["ProgressRefused", "commit_progress", "find_achievement", "increase_props", "rollback_props"]

_EFFECT_METRICS = ("effects", "manual")


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


def _tracker(ctx: Context, ach: AchievementDef, profile_id: str, start: datetime) -> int:
    if ach.id in ctx.achievement_trackers:
        return ctx.achievement_trackers[ach.id]
    known = _trackers(ctx.app)
    tracker = known.get((ach.id, profile_id, start))
    if tracker is None:
        tracker = max([*known.values(), *ctx.achievement_trackers.values()], default=0) + 1
    ctx.achievement_trackers[ach.id] = tracker
    return tracker


def increase_props(ctx: Context, spec: IncreaseAchievementProgress, profile_id: str) -> dict[str, Any] | None:
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
