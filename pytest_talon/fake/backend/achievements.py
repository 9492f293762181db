"""Achievements: declaring them, recording a profile's progress from setup, and a profile's progress windows
(:func:`current_window`, :func:`windows`, from the engine).

Progress from campaigns is :mod:`pytest_talon.fake.engine.achievements`' work; the records are
:mod:`pytest_talon.fake.state.achievements`.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from pytest_talon.fake.backend.declared import build_declared
from pytest_talon.fake.engine.achievements import Window, current_window, windows
from pytest_talon.fake.errors import FakeSetupError, NotFound
from pytest_talon.fake.state.achievements import AchievementDef, ProgressEntry, recorded
from pytest_talon.fake.state.application import Application

__all__ = [
    "achievement_or_404",
    "current_window",
    "declared",
    "history",
    "seed_achievement",
    "seed_achievement_progress",
    "windows",
]


def seed_achievement(app: Application, **fields: Any) -> AchievementDef:
    """Store an achievement (``name``, ``title``, ``target``, ``campaign_id``; ``id`` assigned when omitted)."""
    fields.setdefault("id", max(app.achievements, default=0) + 1)
    fields.setdefault("created", app.now())
    achievement: AchievementDef = build_declared(AchievementDef, fields)
    if achievement.id in app.achievements:
        raise FakeSetupError(f"add_achievement: achievement {achievement.id} already exists")
    app.achievements[achievement.id] = achievement
    app.count_achievement_events()
    return achievement


def seed_achievement_progress(
    app: Application, profile: str, achievement_id: int, delta: float = 1.0, at: datetime | None = None
) -> None:
    """Record progress of a profile in an achievement (at ``at``, default now)."""
    if achievement_id not in app.achievements:
        raise FakeSetupError(f"add_achievement_progress: achievement {achievement_id} does not exist")
    app.profile_or_create(profile)
    recorded(app).append(ProgressEntry(achievement_id, profile, at or app.now(), float(delta)))


def declared(
    app: Application,
    *,
    campaigns: Collection[int] = (),
    ids: Collection[int] = (),
    statuses: Collection[str] = (),
) -> list[AchievementDef]:
    """The declared achievements by id, kept to the given campaigns, ids and statuses now (empty: all)."""
    now = app.now()
    return [
        a
        for a in sorted(app.achievements.values(), key=lambda a: a.id)
        if (not campaigns or a.campaign_id in campaigns)
        and (not ids or a.id in ids)
        and (not statuses or a.status(now) in statuses)
    ]


def achievement_or_404(app: Application, achievement_id: int) -> AchievementDef:
    """The declared achievement; 404 when there is none."""
    found: AchievementDef | None = app.achievements.get(achievement_id)
    if found is None:
        raise NotFound(f"achievement {achievement_id} not found; declare it with fake.add_achievement()")
    return found


def history(
    app: Application,
    ach: AchievementDef,
    profile_id: str,
    *,
    statuses: Collection[str],
    start: datetime | None,
    end: datetime | None,
) -> list[Window]:
    """The profile's periods with progress in ``ach``, newest first, of the given statuses (empty: all), starting
    between ``start`` and ``end`` inclusive."""
    return [
        w
        for w in reversed(windows(app, ach, profile_id))
        if w.progress > 0
        and (not statuses or w.status in statuses)
        and (start is None or w.start >= start)
        and (end is None or w.start <= end)
    ]
