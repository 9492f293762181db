"""Achievements: declaring them, recording a profile's progress from setup, and a profile's progress windows
(:func:`current_window`, :func:`windows`, from the engine).

Progress from campaigns is :mod:`pytest_talon.fake.engine.achievements`' work; the records are
:mod:`pytest_talon.fake.state.achievements`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pytest_talon.fake.backend.declared import build_declared
from pytest_talon.fake.engine.achievements import current_window, windows
from pytest_talon.fake.errors import FakeSetupError
from pytest_talon.fake.state.achievements import AchievementDef, ProgressEntry, recorded
from pytest_talon.fake.state.application import Application

__all__ = ["current_window", "seed_achievement", "seed_achievement_progress", "windows"]


def seed_achievement(app: Application, **fields: Any) -> AchievementDef:
    """Store an achievement (``name``, ``title``, ``target``, ``campaign_id``; ``id`` assigned when omitted)."""
    fields.setdefault("id", max(app.achievements, default=0) + 1)
    fields.setdefault("created", app.now())
    achievement: AchievementDef = build_declared(AchievementDef, fields)
    if achievement.id in app.achievements:
        raise FakeSetupError(f"add_achievement: achievement {achievement.id} already exists")
    app.achievements[achievement.id] = achievement
    return achievement


def seed_achievement_progress(
    app: Application, profile: str, achievement_id: int, delta: float = 1.0, at: datetime | None = None
) -> None:
    """Record progress of a profile in an achievement (at ``at``, default now)."""
    if achievement_id not in app.achievements:
        raise FakeSetupError(f"add_achievement_progress: achievement {achievement_id} does not exist")
    app.profile_or_create(profile)
    recorded(app).append(ProgressEntry(achievement_id, profile, at or app.now(), float(delta)))
