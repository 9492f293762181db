"""Achievements: progress from closed sessions, events and recorded progress, periods, history, filters, errors."""

from __future__ import annotations

from datetime import timedelta

import pytest

from pytest_talon.client import TalonClient
from pytest_talon.errors import TalonAPIError
from pytest_talon.fake import FakeTalon

from .conftest import error_of, raw, session


def close(client: TalonClient, session_id: str) -> None:
    client.update_customer_session_v2(session_id, session(items=[("a", 1, 10.0)], state="closed"))


def test_closed_sessions_complete_an_achievement_per_period(fake: FakeTalon, client: TalonClient) -> None:
    fake.add_achievement("TwoOrders", "Two orders a week", 2, campaign_id=1, period="7D")
    close(client, "s1")
    fake.clock.advance(hours=1)
    close(client, "s2")
    entry = client.get_customer_achievements("alice").data[0]
    assert (entry.name, entry.status, entry.target) == ("TwoOrders", "active", 2)
    assert entry.current_progress is not None
    assert (entry.current_progress.status, entry.current_progress.progress) == ("completed", 2)
    assert entry.current_progress.completion_date == fake.clock.now()
    fake.clock.advance(days=7)
    close(client, "s3")
    now = client.get_customer_achievements("alice").data[0].current_progress
    assert now is not None
    assert (now.status, now.progress) == ("inprogress", 1)
    fake.clock.advance(days=7)
    history = client.get_customer_achievement_history("alice", "1")
    assert [(h.status, h.progress) for h in history.data] == [("expired", 1), ("completed", 2)]
    assert history.total_result_size == 2
    completed = client.get_customer_achievement_history("alice", "1", progress_status=["completed"])
    assert [h.progress for h in completed.data] == [2]


def test_cancelled_sessions_stop_counting(fake: FakeTalon, client: TalonClient) -> None:
    fake.add_achievement("ThreeOrders", "Three orders", 3, campaign_id=1)
    close(client, "s1")
    close(client, "s2")
    client.update_customer_session_v2("s2", session(state="cancelled"))
    progress = client.get_customer_achievements("alice").data[0].current_progress
    assert progress is not None
    assert (progress.status, progress.progress) == ("inprogress", 1)


def test_event_and_recorded_progress_and_filters(fake: FakeTalon, client: TalonClient) -> None:
    fake.add_achievement("Reviewer", "Write reviews", 2, campaign_id=4, metric="event:review")
    fake.add_achievement("Manual", "Counted by hand", 10, campaign_id=5, metric="manual")
    fake.add_achievement("Later", "Not yet", 1, campaign_id=6, fixed_start_date=fake.clock.now() + timedelta(days=5))
    client.track_event_v2({"type": "review", "profileId": "alice"})
    fake.add_achievement_progress("alice", 2, 4)
    found = client.get_customer_achievements("alice")
    assert [(e.name, e.current_progress.progress) for e in found.data] == [("Reviewer", 1), ("Manual", 4)]  # type: ignore[union-attr]
    scheduled = client.get_customer_achievements("alice", achievement_status=["scheduled"])
    assert [e.name for e in scheduled.data] == ["Later"]
    assert [e.name for e in client.get_customer_achievements("alice", campaign_ids=["5"]).data] == ["Manual"]
    assert [e.name for e in client.get_customer_achievements("alice", achievement_ids=["1"]).data] == ["Reviewer"]
    fake.add_achievement("Idle", "Nothing yet", 1, campaign_id=7)
    idle = client.get_customer_achievements("alice", current_progress_status=["not_started"])
    assert [e.name for e in idle.data] == ["Idle"]
    paged = client.get_customer_achievements("alice", page_size=2)
    assert (len(paged.data), paged.total_result_size) == (2, 3)


@pytest.mark.parametrize(
    ("path", "parameter"),
    [
        ("/v1/customer_profiles/alice/achievements?achievementStatus=done", "achievementStatus"),
        ("/v1/customer_profiles/alice/achievements?currentProgressStatus=expired", "currentProgressStatus"),
        ("/v1/customer_profiles/alice/achievements?pageSize=1001", "pageSize"),
        ("/v1/customer_profiles/alice/achievements/1?progressStatus=not_started", "progressStatus"),
        ("/v1/customer_profiles/alice/achievements/1?startDate=monday", "startDate"),
    ],
)
def test_bad_queries_name_the_parameter(fake: FakeTalon, client: TalonClient, path: str, parameter: str) -> None:
    fake.add_achievement("TwoOrders", "Two orders", 2, campaign_id=1)
    close(client, "s1")
    assert error_of(raw(fake, "GET", path)) == {"status": 400, "parameter": parameter}


def test_unknown_profile_and_achievement(fake: FakeTalon, client: TalonClient) -> None:
    fake.add_achievement("TwoOrders", "Two orders", 2, campaign_id=1)
    with pytest.raises(TalonAPIError) as no_profile:
        client.get_customer_achievements("nobody")
    assert no_profile.value.status_code == 404
    close(client, "s1")
    with pytest.raises(TalonAPIError) as no_achievement:
        client.get_customer_achievement_history("alice", "9")
    assert no_achievement.value.status_code == 404
