"""State snapshots: everything a rich session of requests left behind survives export -> JSON -> import."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pytest_talon.fake import FakeSetupError, FakeTalon
from pytest_talon.fake.state.checkpoint import checkpoint, restore
from pytest_talon.fake.state.records import RequestLog

ROOT = Path(__file__).resolve().parents[2]


def _rich_fake() -> FakeTalon:
    """A fake after the README's client examples ran on the example campaigns file (most of the 39 operations)."""
    fake = FakeTalon()
    fake.load_campaigns(ROOT / "examples" / "campaigns.yaml")
    readme = (ROOT / "README.md").read_text()
    block = readme.split("Examples per domain", 1)[1].split("```python", 1)[1].split("```", 1)[0]
    exec(compile(block, "README.md", "exec"), {"talon": fake.client()})  # our own README
    return fake


def test_a_rich_state_round_trips_through_json() -> None:
    fake = _rich_fake()
    fake.clock.advance(days=3)
    snapshot = json.loads(json.dumps(fake.export_state()))
    other = FakeTalon()
    other.import_state(snapshot)
    assert other.export_state() == snapshot
    assert other.clock.now() == fake.clock.now()
    assert other.app.loyalty.policy is not None
    for program_id in fake.app.loyalty_programs:
        for profile in fake.app.profiles:
            assert other.loyalty_points(program_id, profile=profile) == fake.loyalty_points(program_id, profile=profile)


def test_two_fakes_that_answered_the_same_requests_export_the_same_snapshot() -> None:
    # Derived lookups (the campaign index, keyed by object ids) stay out of snapshots: they are rebuilt on demand.
    first, second = _rich_fake(), _rich_fake()
    assert first.app.indexes
    assert first.export_state() == second.export_state()
    assert "indexes" not in first.export_state()["application"]


def test_the_restored_state_keeps_working_and_counting_ids() -> None:
    fake = _rich_fake()
    snapshot = fake.export_state()
    body = {"customerSession": {"profileId": "alice"}}
    fake.client().update_customer_session_v2("after", body)
    first = fake.session("after").id
    fake.import_state(snapshot)
    fake.client().update_customer_session_v2("after", body)
    assert fake.session("after").id == first  # the same next id: counters restored


@pytest.mark.parametrize(
    ("data", "named"),
    [
        ({"format": "talon-fake-state/1", "now": "2026-01-01T00:00:00Z", "application": {"$type": "os:system"}}, "os"),
        ({"format": "talon-fake-state/1", "now": "soon", "application": {}}, "cannot be read"),
        ({"format": "talon-fake-state/1", "now": "2026-01-01T00:00:00Z", "application": [1]}, "not a fake"),
        ("nope", "not a fake state snapshot"),
    ],
)
def test_a_bad_snapshot_is_refused_naming_the_problem(data: object, named: str) -> None:
    fake = FakeTalon()
    with pytest.raises(FakeSetupError, match=named):
        fake.import_state(data)


def test_a_talang_campaign_round_trips_as_its_ruleset_and_still_runs() -> None:
    fake = FakeTalon()
    fake.load_campaigns(ROOT / "examples" / "campaigns-talang.yaml")
    snapshot = json.loads(json.dumps(fake.export_state()))
    other = FakeTalon()
    other.import_state(snapshot)
    assert other.export_state() == snapshot
    body = {"customerSession": {"cartItems": [{"name": "Shirt", "sku": "S-1", "quantity": 2, "price": 40}]}}
    answers = [f.client().update_customer_session_v2("talang-1", body).to_wire()["effects"] for f in (fake, other)]
    assert answers[0] == answers[1]


@pytest.mark.parametrize("campaigns", ["campaigns.yaml", "campaigns-talang.yaml"])
def test_a_checkpoint_keeps_what_a_snapshot_without_logs_keeps_and_leaves_the_fake_alone(campaigns: str) -> None:
    fake = _rich_fake() if campaigns == "campaigns.yaml" else FakeTalon()
    if campaigns != "campaigns.yaml":
        fake.load_campaigns(ROOT / "examples" / campaigns)
    fake.clock.advance(days=3)
    logged = len(fake.requests)
    expected = fake.export_state(logs=False)
    point = checkpoint(fake.app)
    assert len(fake.requests) == logged  # the live request log is untouched
    other = FakeTalon()
    other.app = restore(point, other.clock)
    assert other.export_state() == expected
    assert isinstance(other.app.requests, RequestLog)  # the restored log still packs its older bodies
    assert other.clock.now() == fake.clock.now()
    assert other.app.loyalty.policy is not None
    assert other.app.loyalty.policy.app is other.app
    body = {"customerSession": {"cartItems": [{"name": "Shirt", "sku": "S-1", "quantity": 2, "price": 40}]}}
    answers = [f.client().update_customer_session_v2("after", body).to_wire()["effects"] for f in (fake, other)]
    assert answers[0] == answers[1]
