"""The two achievement endpoints and the achievements of the customer inventory.

How progress adds up (metrics, periods, the ``increaseAchievementProgress`` effect) is
:mod:`pytest_talon.fake.engine.achievements`; progress also counts what ``fake.add_achievement_progress()`` records.
"""

from __future__ import annotations

from typing import Any

from pytest_talon import models
from pytest_talon.fake.api.calls import OperationCall, Reply, route
from pytest_talon.fake.api.paging import check_enum, page, path_int, when_param
from pytest_talon.fake.backend import achievements
from pytest_talon.fake.engine.achievements import Window
from pytest_talon.fake.errors import BadRequest, NotFound
from pytest_talon.fake.state.achievements import AchievementDef
from pytest_talon.fake.state.application import Application

__all__ = ["achievement_history", "customer_achievements", "inventory_achievements"]


def _profile(app: Application, call: OperationCall) -> str:
    profile_id = call.path["integrationId"]
    if profile_id not in app.profiles:
        raise NotFound(f"customer profile {profile_id!r} not found")
    return profile_id


def _values(call: OperationCall, name: str, allowed: tuple[str, ...]) -> list[str]:
    values = list(call.query.get(name) or [])
    for value in values:
        check_enum(value, allowed, name)
    return values


def _ints(call: OperationCall, name: str) -> set[int]:
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
        current_progress=achievements.current_window(app, ach, profile_id).model(),
    )


@route(
    "getCustomerAchievements",
    notes=(
        "Progress comes from committed `increaseAchievementProgress` effects and recorded progress (an achievement "
        "may instead count closed sessions, session totals or events, see docs/fake.md); recurrence is by "
        "period only (`on_completion` does not start a new iteration)."
    ),
)
def customer_achievements(app: Application, call: OperationCall) -> Reply:
    """The customer's achievements (active ones unless ``achievementStatus`` says otherwise) with progress."""
    profile_id = _profile(app, call)
    campaigns, ids = _ints(call, "campaignIds"), _ints(call, "achievementIds")
    statuses = _values(call, "achievementStatus", ("active", "scheduled")) or ["active"]
    progress = _values(call, "currentProgressStatus", ("inprogress", "completed", "not_started"))
    chosen = [
        e
        for a in achievements.declared(app, campaigns=campaigns, ids=ids, statuses=statuses)
        for e in [_entry(app, a, profile_id)]
        if not progress or (e.current_progress is not None and e.current_progress.status in progress)
    ]
    data, _ = page(chosen, call)
    return Reply(200, models.AchievementStatusList(data=data, total_result_size=len(chosen)))


@route(
    "getCustomerAchievementHistory",
    notes="One entry per period with progress, newest first; `startDate`/`endDate` filter on the period start.",
)
def achievement_history(app: Application, call: OperationCall) -> Reply:
    """The customer's progress in one achievement, one entry per period with progress, newest first."""
    profile_id = _profile(app, call)
    ach = achievements.achievement_or_404(app, path_int(call, "achievementId", "achievement"))
    statuses = _values(call, "progressStatus", ("inprogress", "completed", "expired"))
    start, end = when_param(call, "startDate"), when_param(call, "endDate")
    chosen = achievements.history(app, ach, profile_id, statuses=statuses, start=start, end=end)
    data, _ = page(chosen, call)
    return Reply(200, models.AchievementProgressList(data=[w.model() for w in data], total_result_size=len(chosen)))


def inventory_achievements(app: Application, profile_id: str) -> list[models.AchievementProgressWithDefinition]:
    """The customer's progress in every active achievement, for the inventory."""
    return [
        _with_definition(ach, achievements.current_window(app, ach, profile_id))
        for ach in achievements.declared(app, statuses=["active"])
    ]


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
