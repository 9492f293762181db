"""Achievements declared by a test, their progress per customer, and the two achievement endpoints.

Progress is what ``increaseAchievementProgress`` effects committed (see :mod:`.achievement_effects`) plus what
``fake.add_achievement_progress()`` records, both kept as :class:`ProgressEntry` records. An achievement with a
declarative ``metric`` also counts what the customer did: ``closedSessions`` (1 per closed session),
``sessionTotal`` (the committed total of each closed session) or ``event:<type>`` (1 per event of that type); a
cancelled session stops counting. Without a ``metric`` an achievement counts effects when a campaign has an
``increaseAchievementProgress`` effect for it, closed sessions otherwise. With a ``period`` (``7D``, ``1M``...)
progress restarts in every period; the past periods are the history (at most 1000 periods are tracked).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from pytest_talon import models
from pytest_talon.fake.errors import BadRequest, NotFound
from pytest_talon.fake.paging import check_enum, page, path_int, when_param
from pytest_talon.fake.routes import Call, Reply, route
from pytest_talon.fake.rules.effects import IncreaseAchievementProgress
from pytest_talon.fake.state.achievements import SESSION_METRICS, AchievementDef, recorded
from pytest_talon.fake.state.application import Application
from pytest_talon.fake.state.programs import add_duration

__all__ = [
    "Window",
    "achievement_history",
    "customer_achievements",
    "inventory_achievements",
    "metric_of",
    "windows",
]


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
                out.append((session.updated, 1.0 if metric == "closedSessions" else session.committed.total))
    elif metric.startswith("event:"):
        kind = metric.split(":", 1)[1]
        out.extend((e.created, 1.0) for e in app.events if e.type == kind and e.profile_id == profile_id)
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


def _current(app: Application, ach: AchievementDef, profile_id: str) -> Window:
    found = windows(app, ach, profile_id)
    return found[-1] if found else Window(ach.fixed_start_date or app.now(), ach.end_date, 0.0, "not_started")


def _profile(app: Application, call: Call) -> str:
    profile_id = call.path["integrationId"]
    if profile_id not in app.profiles:
        raise NotFound(f"customer profile {profile_id!r} not found")
    return profile_id


def _values(call: Call, name: str, allowed: tuple[str, ...]) -> list[str]:
    values = list(call.query.get(name) or [])
    for value in values:
        check_enum(value, allowed, name)
    return values


def _ints(call: Call, name: str) -> set[int]:
    try:
        return {int(v) for v in call.query.get(name) or []}
    except ValueError:
        raise BadRequest(f"parameter {name!r} must be integers", parameter=name) from None


def _entry(app: Application, ach: AchievementDef, profile_id: str) -> models.AchievementStatusEntry:
    return models.AchievementStatusEntry(
        id=ach.id,
        created=ach.created,
        name=ach.name,
        title=ach.title,
        description=ach.description,
        target=ach.target,
        period=ach.period,
        recurrence_policy=ach.recurrence_policy,
        activation_policy=ach.activation_policy,
        fixed_start_date=ach.fixed_start_date,
        end_date=ach.end_date,
        campaign_id=ach.campaign_id,
        allow_rollback_after_completion=ach.allow_rollback_after_completion,
        status=ach.status(app.now()),
        current_progress=_current(app, ach, profile_id).model(),
    )


@route(
    "getCustomerAchievements",
    notes=(
        "Progress comes from committed `increaseAchievementProgress` effects and recorded progress (an achievement "
        "may instead count closed sessions, session totals or events, see docs/fake-part2.md); recurrence is by "
        "period only (`on_completion` does not start a new iteration)."
    ),
)
def customer_achievements(app: Application, call: Call) -> Reply:
    """The customer's achievements (active ones unless ``achievementStatus`` says otherwise) with progress."""
    profile_id = _profile(app, call)
    campaigns, ids = _ints(call, "campaignIds"), _ints(call, "achievementIds")
    statuses = _values(call, "achievementStatus", ("active", "scheduled")) or ["active"]
    progress = _values(call, "currentProgressStatus", ("inprogress", "completed", "not_started"))
    now = app.now()
    chosen = [
        e
        for a in sorted(app.achievements.values(), key=lambda a: a.id)
        if (not campaigns or a.campaign_id in campaigns) and (not ids or a.id in ids) and a.status(now) in statuses
        for e in [_entry(app, a, profile_id)]
        if not progress or (e.current_progress is not None and e.current_progress.status in progress)
    ]
    data, _ = page(chosen, call)
    return Reply(200, models.AchievementStatusList(data=data, total_result_size=len(chosen)))


@route(
    "getCustomerAchievementHistory",
    notes="One entry per period with progress, newest first; `startDate`/`endDate` filter on the period start.",
)
def achievement_history(app: Application, call: Call) -> Reply:
    """The customer's progress in one achievement, one entry per period with progress, newest first."""
    profile_id = _profile(app, call)
    achievement_id = path_int(call, "achievementId", "achievement")
    ach = app.achievements.get(achievement_id)
    if ach is None:
        raise NotFound(f"achievement {achievement_id} not found; declare it with fake.add_achievement()")
    statuses = _values(call, "progressStatus", ("inprogress", "completed", "expired"))
    start, end = when_param(call, "startDate"), when_param(call, "endDate")
    chosen = [
        w
        for w in reversed(windows(app, ach, profile_id))
        if w.progress > 0
        and (not statuses or w.status in statuses)
        and (start is None or w.start >= start)
        and (end is None or w.start <= end)
    ]
    data, _ = page(chosen, call)
    return Reply(200, models.AchievementProgressList(data=[w.model() for w in data], total_result_size=len(chosen)))


def inventory_achievements(app: Application, profile_id: str) -> list[models.AchievementProgressWithDefinition]:
    """The customer's progress in every active achievement, for the inventory."""
    out = []
    for ach in sorted(app.achievements.values(), key=lambda a: a.id):
        if ach.status(app.now()) != "active":
            continue
        window = _current(app, ach, profile_id)
        out.append(_with_definition(ach, window))
    return out


def _with_definition(ach: AchievementDef, window: Window) -> models.AchievementProgressWithDefinition:
    fields: dict[str, Any] = {
        "achievement_id": ach.id,
        "name": ach.name,
        "title": ach.title,
        "description": ach.description,
        "campaign_id": ach.campaign_id,
        "target": ach.target,
        "progress": round(window.progress, 6),
        "status": window.status,
        "start_date": window.start,
        "end_date": window.end,
        "completion_date": window.completion_date,
        "achievement_recurrence_policy": ach.recurrence_policy,
        "achievement_activation_policy": ach.activation_policy,
        "achievement_end_date": ach.end_date,
        "achievement_fixed_start_date": ach.fixed_start_date,
        "achievement_allow_rollback_after_completion": ach.allow_rollback_after_completion,
    }
    return models.AchievementProgressWithDefinition(**{k: v for k, v in fields.items() if v is not None})
