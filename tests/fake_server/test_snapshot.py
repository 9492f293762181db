"""State snapshots: everything a rich session of requests left behind survives export -> JSON -> import."""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from pytest_talon.fake import FakeSetupError, FakeTalon
from pytest_talon.fake.http.admin import with_admin
from pytest_talon.fake.state.checkpoint import checkpoint, restore
from pytest_talon.fake.state.records import RequestLog

ROOT = Path(__file__).resolve().parents[2]
AUTH = "ApiKey-v1 fake-talon-api-key"


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


def _in_dict(records: dict[str, Any], key: Any) -> dict[str, Any]:
    """The record stored under ``key`` in a snapshot's dict (plain, or tagged ``$dict`` for non-string keys)."""
    if "$dict" in records:
        return next(value for k, value in records["$dict"] if k == key)  # type: ignore[no-any-return]
    return records[key]  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("kind", "key", "field", "value"),
    [
        ("sessions", "s1", "profile_id", "ghost"),
        ("sessions", "s1", "return_ids", [99]),
        ("coupons", "SUMMER-10", "campaign_id", 99),
        ("referrals", "ALICE-REF", "campaign_id", 99),
        ("loyalty_cards", "CARD-0042", "program_id", 99),
        ("returns", 1, "session_integration_id", "ghost"),
        ("profiles", "alice", "integration_id", "bob"),
        ("coupons", "VIP-2026", "value", "SUMMER-10"),
    ],
)
def test_an_import_naming_a_record_that_is_not_there_is_refused_naming_the_field(
    kind: str, key: Any, field: str, value: Any
) -> None:
    fake = _rich_fake()
    snapshot = json.loads(json.dumps(fake.export_state()))
    _in_dict(snapshot["application"][kind], key)[field] = value
    other = _rich_fake()
    before = other.export_state()
    with pytest.raises(FakeSetupError) as refused:
        other.import_state(snapshot)
    pointer = f"/application/{kind}/{key}/{field}" + ("/0" if isinstance(value, list) else "")
    assert getattr(refused.value, "pointer", None) == pointer
    assert pointer in str(refused.value)
    assert other.export_state() == before  # nothing applied


def test_an_import_of_a_ledger_entry_of_an_unknown_program_is_refused() -> None:
    snapshot = json.loads(json.dumps(_rich_fake().export_state()))
    snapshot["application"]["loyalty"]["_entries"][0]["program_id"] = 99
    with pytest.raises(FakeSetupError, match="/application/loyalty/_entries/0/program_id: names loyalty program 99"):
        FakeTalon().import_state(snapshot)


def test_an_import_runs_the_checks_of_each_record_constructor() -> None:
    snapshot = json.loads(json.dumps(_rich_fake().export_state()))
    _in_dict(snapshot["application"]["achievements"], 2)["name"] = ""
    with pytest.raises(FakeSetupError, match="/application/achievements/2: achievement name") as refused:
        FakeTalon().import_state(snapshot)
    assert getattr(refused.value, "pointer", None) == "/application/achievements/2"


def _leaves(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _leaves(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _leaves(value, (*path, index))
    if path:
        yield path, node


def _mutated(snapshot: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """``snapshot`` with 1-3 values swapped for others of the same kind found in it, or containers dropped."""
    state = copy.deepcopy(snapshot)
    found = list(_leaves(state["application"]))
    strings = [*sorted({v for _, v in found if isinstance(v, str) and not v.startswith("pytest_talon")}), "", "x"]
    numbers = [*sorted({v for _, v in found if type(v) is int}), 0, -1, 999]
    for _ in range(rng.randint(1, 3)):
        path, value = rng.choice(list(_leaves(state["application"])))
        parent = state["application"]
        for part in path[:-1]:
            parent = parent[part]
        key = path[-1]
        if isinstance(value, str) and key != "$type":
            parent[key] = rng.choice(strings)
        elif type(value) is int:
            parent[key] = rng.choice(numbers)
        elif isinstance(value, bool):
            parent[key] = not value
        elif isinstance(value, (dict, list)):
            del parent[key]
    return state


@pytest.mark.slow
def test_no_mutated_import_answers_500_on_import_or_on_the_reads_after_it() -> None:
    snapshot = json.loads(json.dumps(_rich_fake().export_state()))
    rng = random.Random(25)
    accepted = 0
    for case in range(40):  # 3,000 cases run locally (issue 25); each costs about 0.2 s
        state = _mutated(snapshot, rng)
        fake = FakeTalon()
        transport = httpx.MockTransport(with_admin(fake))
        with httpx.Client(transport=transport, base_url="http://fake", headers={"Authorization": AUTH}) as client:
            imported = client.put("/_fake/state", json=state)
            assert imported.status_code in (204, 400), (case, imported.text)
            if imported.status_code == 400:
                assert imported.json()["errors"][0]["source"]["pointer"], (case, imported.text)
                continue
            accepted += 1
            for method, path, body in _reads(fake):
                answer = client.request(method, path, json=body)
                assert answer.status_code < 500, (case, method, path, answer.json()["errors"][0]["details"][-600:])
    assert accepted > 20  # most mutations keep a readable state: the reads ran


def _reads(fake: FakeTalon) -> Iterator[tuple[str, str, Any]]:
    app = fake.app
    inventory = "?loyalty=true&coupons=true&referrals=true&achievements=true&giveaways=true"
    for session in list(app.sessions):
        yield "GET", f"/v2/customer_sessions/{session}", None
        yield "PUT", f"/v2/customer_sessions/{session}", {"customerSession": {"state": "closed"}}
    for profile in list(app.profiles):
        yield "GET", f"/v1/customer_profiles/{profile}/inventory{inventory}", None
        yield "GET", f"/v1/customer_profiles/{profile}/achievements", None
        for program in list(app.loyalty_programs):
            yield "GET", f"/v1/loyalty_programs/{program}/profile/{profile}/balances", None
    for card in list(app.loyalty_cards):
        for program in list(app.loyalty_programs):
            yield "GET", f"/v1/loyalty_programs/{program}/cards/{card}/balances", None
    yield "PUT", "/v2/customer_sessions/fresh", {"customerSession": {"profileId": "alice", "state": "closed"}}


@pytest.mark.parametrize(("field", "value"), [("recurrence_policy", "weekly"), ("activation_policy", "0")])
def test_an_achievement_policy_the_api_cannot_show_is_refused_at_setup_and_at_import(field: str, value: str) -> None:
    fake = FakeTalon()
    with pytest.raises(FakeSetupError, match="Policy: "):
        fake.add_achievement("Orders", "Orders", 2, campaign_id=1, **{field: value})
    snapshot = json.loads(json.dumps(_rich_fake().export_state()))
    _in_dict(snapshot["application"]["achievements"], 2)[field] = value
    with pytest.raises(FakeSetupError, match="/application/achievements/2: achievement "):
        fake.import_state(snapshot)


def test_an_imported_snapshot_takes_the_importing_fakes_application_id() -> None:
    source = FakeTalon()
    source.app.application_id = 7  # as an Application of talon-fake serve would be
    source.client().update_customer_session_v2("s1", {"customerSession": {"profileId": "p1"}})
    target = FakeTalon()
    target.import_state(source.export_state())
    session = target.client().get_customer_session("s1")
    assert session.customer_session.application_id == 1
    assert target.app.application_id == 1
