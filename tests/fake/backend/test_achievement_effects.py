"""Achievement progress from ``increaseAchievementProgress`` effects: tentative while open, committed at close (at
once for events), rolled back by cancel or reopen unless completed, nothing committed by dry runs."""

from __future__ import annotations

import inspect
import json
from typing import Any

import pytest
import talon_one

from pytest_talon import models
from pytest_talon._spec.operations import OPERATIONS_BY_ID
from pytest_talon.client import TalonClient
from pytest_talon.fake import (
    Campaign,
    EventType,
    FakeSetupError,
    FakeTalon,
    IncreaseAchievementProgress,
    Rule,
)

from .conftest import props, session

INCREASE = "increaseAchievementProgress"
ROLLBACK = "rollbackIncreasedAchievementProgress"


def counting(fake: FakeTalon, target: float, *, delta: float = 1.0, **fields: Any) -> None:
    """Achievement ``Orders`` (id 1) of campaign 1, whose only rule increases it by ``delta`` on every evaluation."""
    fake.add_achievement("Orders", "Orders", target, campaign_id=1, **fields)
    rule = Rule("count orders", effects=(IncreaseAchievementProgress("Orders", delta=delta),))
    fake.add_campaign(Campaign(name="orders", id=1, rules=(rule,)))


def update(client: TalonClient, session_id: str, state: str, **query: Any) -> list[models.Effect]:
    body = session(items=[("a", 1, 10.0)], state=state)
    return client.update_customer_session_v2(session_id, body, **query).effects


def of_type(effects: list[models.Effect], kind: str) -> list[dict[str, Any]]:
    return [props(e) for e in effects if e.effect_type == kind]


def sdk_parse(fake: FakeTalon) -> list[str]:
    """Parse every recorded answer body with the talon-one SDK's model for its operation; the effect types seen."""
    seen = []
    for entry in (r for r in fake.requests if r.response_json is not None):
        assert entry.operation_id is not None, entry
        assert entry.status < 300, entry
        method = getattr(talon_one.IntegrationApi, OPERATIONS_BY_ID[entry.operation_id].method_name)
        parsed = inspect.signature(method).return_annotation.from_json(json.dumps(entry.response_json))
        seen += [e.effect_type for e in getattr(parsed, "effects", None) or []]
    return seen


def progress(client: TalonClient) -> tuple[str, float]:
    current = client.get_customer_achievements("alice").data[0].current_progress
    assert current is not None
    return current.status, current.progress


def test_two_closed_sessions_complete_the_achievement_once(fake: FakeTalon, client: TalonClient) -> None:
    counting(fake, 2)
    (tentative,) = of_type(update(client, "s1", "open"), INCREASE)
    assert tentative == {
        "achievementId": 1,
        "achievementName": "Orders",
        "progressTrackerId": 1,
        "delta": 1.0,
        "value": 1.0,
        "target": 2.0,
        "isJustCompleted": False,
    }
    assert progress(client) == ("not_started", 0)  # tentative while the session is open
    assert of_type(update(client, "s1", "closed"), INCREASE)[0]["value"] == 1
    assert progress(client) == ("inprogress", 1)  # the closed session counts once, through its effect
    fake.clock.advance(hours=1)
    (second,) = of_type(update(client, "s2", "closed"), INCREASE)
    assert (second["value"], second["isJustCompleted"], second["progressTrackerId"]) == (2, True, 1)
    assert progress(client) == ("completed", 2)
    assert client.get_customer_achievements("alice").data[0].current_progress.completion_date == fake.clock.now()  # type: ignore[union-attr]
    assert of_type(update(client, "s3", "closed"), INCREASE) == []  # a completed achievement takes no more
    history = client.get_customer_achievement_history("alice", "1")
    assert [(h.status, h.progress) for h in history.data] == [("completed", 2)]
    inventory = client.get_customer_inventory("alice", achievements=True)
    assert [(a.name, a.status, a.progress) for a in inventory.achievements or []] == [("Orders", "completed", 2)]


def test_cancel_before_completion_rolls_the_progress_back(fake: FakeTalon, client: TalonClient) -> None:
    counting(fake, 5, delta=2)
    update(client, "s1", "closed")
    update(client, "s2", "closed")
    assert progress(client) == ("inprogress", 4)
    (rollback,) = of_type(update(client, "s2", "cancelled"), ROLLBACK)
    assert rollback == {
        "achievementId": 1,
        "achievementName": "Orders",
        "progressTrackerId": 1,
        "decreaseProgressBy": 2.0,
        "currentProgress": 2.0,
        "target": 5.0,
    }
    assert progress(client) == ("inprogress", 2)
    assert of_type(client.get_customer_session("s2").effects or [], INCREASE) == []
    assert of_type(client.reopen_customer_session("s1").effects, ROLLBACK)[0]["currentProgress"] == 0
    assert progress(client) == ("not_started", 0)


@pytest.mark.parametrize("allow", [False, True])
def test_cancel_after_completion_rolls_back_only_when_allowed(
    fake: FakeTalon, client: TalonClient, allow: bool
) -> None:
    counting(fake, 2, allow_rollback_after_completion=allow)
    update(client, "s1", "closed")
    update(client, "s2", "closed")
    rollbacks = of_type(update(client, "s2", "cancelled"), ROLLBACK)
    kept = of_type(client.get_customer_session("s2").effects or [], INCREASE)
    if allow:
        assert [(r["decreaseProgressBy"], r["currentProgress"]) for r in rollbacks] == [(1, 1)]
        assert (progress(client), kept) == (("inprogress", 1), [])
    else:
        assert rollbacks == []
        assert progress(client) == ("completed", 2)
        assert [k["isJustCompleted"] for k in kept] == [True]  # the increase stays in force


def test_dry_runs_commit_nothing(fake: FakeTalon, client: TalonClient) -> None:
    counting(fake, 3)
    update(client, "s1", "open")
    assert of_type(update(client, "s1", "closed", dry=True), INCREASE)[0]["value"] == 1
    assert progress(client) == ("not_started", 0)
    update(client, "s1", "closed")
    event = client.track_event_v2({"type": "visit", "profileId": "alice"}, silent="no", dry=True)
    assert of_type(event.effects, INCREASE)[0]["value"] == 2
    assert of_type(update(client, "s1", "cancelled", dry=True), ROLLBACK)[0]["currentProgress"] == 0
    assert progress(client) == ("inprogress", 1)
    assert client.get_customer_session("s1").customer_session.state == "closed"  # type: ignore[union-attr]


def test_events_commit_at_once_and_the_sdk_parses_the_answers(fake: FakeTalon, client: TalonClient) -> None:
    fake.add_achievement("Reviewer", "Write reviews", 2, campaign_id=7, period="7D")
    rule = Rule("review", (EventType("review"),), (IncreaseAchievementProgress(achievement=1),))
    fake.add_campaign(Campaign(name="reviews", id=7, rules=(rule,)))
    client.track_event_v2({"type": "review", "profileId": "alice"})
    event = client.track_event_v2({"type": "review", "profileId": "alice"}, silent="no")
    assert [(p["value"], p["isJustCompleted"]) for p in of_type(event.effects, INCREASE)] == [(2, True)]
    assert progress(client) == ("completed", 2)
    fake.clock.advance(days=7)
    client.track_event_v2({"type": "review", "profileId": "alice"})
    assert progress(client) == ("inprogress", 1)  # a new period starts from zero
    history = client.get_customer_achievement_history("alice", "1")
    assert [(h.status, h.progress) for h in history.data] == [("inprogress", 1), ("completed", 2)]
    assert [r.status for r in fake.requests if r.operation_id == "trackEventV2"] == [204, 200, 204]
    assert sdk_parse(fake) == [INCREASE]


def test_sdk_parses_increase_and_rollback_in_session_states(fake: FakeTalon, client: TalonClient) -> None:
    counting(fake, 3)
    update(client, "s1", "closed")
    update(client, "s1", "cancelled")
    client.get_customer_achievements("alice")
    client.get_customer_achievement_history("alice", "1")
    client.get_customer_inventory("alice", achievements=True)
    assert sdk_parse(fake) == [INCREASE, ROLLBACK]
    parsed = talon_one.IntegrationStateV2.from_json(json.dumps(fake.requests[0].response_json))
    assert parsed is not None
    assert parsed.effects[0].props == fake.requests[0].response_json["effects"][0]["props"]


def test_unknown_or_declaratively_counted_achievements_fail_the_rule(fake: FakeTalon, client: TalonClient) -> None:
    fake.add_achievement("Counted", "Counted", 2, campaign_id=1, metric="closedSessions")
    rules = (
        Rule("missing", effects=(IncreaseAchievementProgress("Nope"),)),
        Rule("conflict", effects=(IncreaseAchievementProgress("Counted"),)),
    )
    fake.add_campaign(Campaign(name="bad", id=1, rules=rules))
    body = {**session(items=[("a", 1, 10.0)]), "responseContent": ["ruleFailureReasons"]}
    state = client.update_customer_session_v2("s1", body)
    assert of_type(state.effects, INCREASE) == []
    assert client.last_response is not None
    details = [f["details"] for f in client.last_response.json()["ruleFailureReasons"]]
    assert "no achievement 'Nope'" in details[0]
    assert "counts closedSessions" in details[1]


def test_campaign_file_vocabulary(fake: FakeTalon, client: TalonClient) -> None:
    fake.load_campaigns(
        {
            "achievements": [{"id": 4, "name": "Big", "title": "Big spender", "target": 10, "campaignId": 1}],
            "campaigns": [
                {
                    "name": "big",
                    "rules": [{"title": "r", "effects": [{INCREASE: {"achievementId": 4, "delta": 4}}]}],
                }
            ],
        }
    )
    update(client, "s1", "closed")
    assert progress(client) == ("inprogress", 4)
    assert [c.features for c in client.integration_get_all_campaigns().data] == [["achievements"]]
    for bad, message in [
        ({"achievementId": 4, "achievementName": "Big"}, "name the achievement once"),
        ({"achievementName": "Big", "delta": 0}, "delta: must be a positive number"),
        ({"achievementId": "4"}, "by id \\(an integer\\)"),
    ]:
        with pytest.raises(FakeSetupError, match=message):
            fake.load_campaigns({"campaigns": [{"name": "x", "rules": [{"title": "r", "effects": [{INCREASE: bad}]}]}]})
