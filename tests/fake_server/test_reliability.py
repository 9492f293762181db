"""Issue 25: the admin API under load and abuse loses nothing, half-applies nothing and never answers 500.

Each test drives a served fake over loopback HTTP the way a busy shared test server is used.
"""

from __future__ import annotations

import copy
import gc
import json
import threading
import tracemalloc
from typing import Any

import httpx
import pytest

from pytest_talon.fake import FakeTalon

from .conftest import SESSION

#: A campaigns file that fails halfway: its first campaign is fine, its second takes the first one's id.
FAILING = {"campaigns": [{"name": "fine"}, {"id": 1, "name": "same id"}], "audiences": [{"id": 7, "name": "A"}]}


def _good(n: int) -> dict[str, Any]:
    return {"campaigns": [{"name": f"load {n} campaign {i}", "rules": []} for i in range(3)]}


def test_concurrent_failing_and_succeeding_loads_lose_no_session_and_apply_all_or_nothing(
    fake: FakeTalon, base_url: str
) -> None:
    # Given one client updating sessions while another loads campaigns files, half of which fail halfway
    headers = {"Authorization": f"ApiKey-v1 {fake.api_key}"}
    answered: list[str] = []
    seen_counts: set[int] = set()
    failures: list[str] = []

    def traffic() -> None:
        with httpx.Client(base_url=base_url, headers=headers) as c:
            for i in range(200):
                answer = c.put(f"/v2/customer_sessions/t{i}", json=SESSION)
                if answer.status_code == 200:
                    answered.append(f"t{i}")
                else:
                    failures.append(answer.text)

    def loads() -> None:
        with httpx.Client(base_url=base_url, headers=headers) as c:
            for n in range(30):
                body = FAILING if n % 2 else _good(n)
                answer = c.post("/_fake/campaigns", json=body)
                if answer.status_code != (400 if n % 2 else 201):
                    failures.append(answer.text)
                seen_counts.add(len(fake.app.campaigns))

    loading = threading.Event()

    def watch() -> None:  # what any request sees: the campaigns of whole files only
        while not loading.is_set():
            with fake._lock:
                seen_counts.add(len(fake.app.campaigns))

    threads = [threading.Thread(target=traffic), threading.Thread(target=loads)]
    watcher = threading.Thread(target=watch)
    for t in [*threads, watcher]:
        t.start()
    for t in threads:
        t.join(timeout=60)
    loading.set()
    watcher.join(timeout=60)
    # Then every load either applied whole or not at all, and every session answered 200 is still there
    assert failures == []
    assert len(answered) == 200
    assert all(count % 3 == 0 for count in seen_counts)
    assert len(fake.app.campaigns) == 15 * 3
    assert 7 not in fake.app.audiences
    with httpx.Client(base_url=base_url, headers=headers) as c:
        assert [c.get(f"/v2/customer_sessions/{s}").status_code for s in answered] == [200] * 200


def _snapshot(client: httpx.Client) -> Any:
    state = client.get("/_fake/state").json()
    state["application"].pop("requests")  # the admin requests themselves are not logged, but the probes are
    return state


# ---- no admin input answers 500 ---------------------------------------------------------------------------

DEEP = "[" * 5000 + "]" * 5000


@pytest.mark.parametrize(
    ("method", "path", "body", "named"),
    [
        ("POST", "/_fake/clock/advance", '{"days": 1e9}', "days"),
        ("POST", "/_fake/clock/advance", '{"seconds": 1e20}', "seconds"),
        ("POST", "/_fake/clock/advance", '{"days": NaN}', "days"),
        ("POST", "/_fake/clock/advance", '{"days": Infinity}', "days"),
        ("POST", "/_fake/clock/advance", '{"days": 3000000}', "days"),
        ("PUT", "/_fake/clock", '{"now": "9999-12-31T00:00:00Z"}', "now"),
        ("PUT", "/_fake/clock", '{"now": "0001-01-01T00:00:00+14:00"}', "now"),
        ("POST", "/_fake/clock/advance", "[1]", "must be a JSON object"),
        ("POST", "/_fake/clock/advance", '"1 day"', "must be a JSON object"),
        ("PUT", "/_fake/clock", "5", "must be a JSON object"),
        ("POST", "/_fake/faults", "[]", "must be a JSON object"),
        ("PUT", "/_fake/state", "[]", "must be a JSON object"),
        ("POST", "/_fake/faults", '{"status": 429, "delayMs": 1e400}', "delayMs"),
        ("POST", "/_fake/clock/advance", '{"days":' + DEEP + "}", "levels deep"),
        ("PUT", "/_fake/state", DEEP, "levels deep"),
        ("POST", "/_fake/campaigns", "campaigns: " + DEEP, "levels deep"),
        ("POST", "/_fake/campaigns", "a:\n" + "".join(" " * i + "- \n" for i in range(1, 400)), "levels deep"),
    ],
)
def test_bad_admin_input_is_a_json_400_naming_the_field_and_changes_nothing(
    client: httpx.Client, method: str, path: str, body: str, named: str
) -> None:
    before = _snapshot(client)
    answer = client.request(method, path, content=body)
    assert answer.status_code == 400, answer.text
    assert answer.headers["Content-Type"] == "application/json"
    assert named in answer.json()["message"]
    assert answer.json()["StatusCode"] == 400
    assert _snapshot(client) == before


def test_the_clock_stops_short_of_the_end_of_time_so_expiry_dates_still_compute(client: httpx.Client) -> None:
    assert client.put("/_fake/clock", json={"now": "8999-12-31T00:00:00Z"}).status_code == 200
    program = {"loyaltyPrograms": [{"id": 1, "name": "P", "defaultValidity": "10Y"}], "campaigns": []}
    assert client.post("/_fake/campaigns", json=program).status_code == 201
    assert client.post("/_fake/clock/advance", json={"days": 400}).status_code == 400
    assert client.get("/_fake/clock").json() == {"now": "8999-12-31T00:00:00Z"}


def test_admin_405_answers_carry_allow(client: httpx.Client) -> None:
    answer = client.delete("/_fake/clock")
    assert answer.status_code == 405
    assert answer.headers["Allow"] == "GET, PUT"
    assert answer.json()["StatusCode"] == 405


# ---- state imports are checked completely, and versioned --------------------------------------------------


@pytest.fixture
def seeded(fake: FakeTalon, client: httpx.Client) -> dict[str, Any]:
    """A snapshot with a profile, a closed session and loyalty points."""
    program = {"loyaltyPrograms": [{"id": 1, "name": "P"}]}
    assert client.post("/_fake/campaigns", json=program).status_code == 201
    closed = {"customerSession": {**SESSION["customerSession"], "state": "closed"}}
    assert client.put("/v2/customer_sessions/s1", json=closed).status_code == 200
    fake.add_loyalty_points(1, 12, profile="p1")
    state: dict[str, Any] = client.get("/_fake/state").json()
    return state


def _set(path: str, value: Any) -> Any:
    def change(state: dict[str, Any]) -> None:
        *parents, last = path.split("/")
        target: Any = state["application"]
        for part in parents:
            target = target[part] if not isinstance(target, list) else target[int(part)]
        target[last if not isinstance(target, list) else int(last)] = value

    return change


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (_set("sessions", 5), "/application/sessions"),
        (_set("profiles", []), "/application/profiles"),
        (_set("requests", [1, 2]), "/application/requests/0"),
        (_set("sessions/s1/state", 12345), "/application/sessions/s1/state"),
        (_set("sessions/s1/created", {"$datetime": "yesterday"}), "$datetime"),
        (_set("sessions/s1/created", {"$datetime": 5}), "$datetime"),
        (_set("sessions/s1", {"$type": "os:system"}), "'os:system' is not a record"),
        (_set("sessions/s1", {"$type": "pytest_talon.fake.nope:X"}), "is not a record"),
        (_set("sessions/s1", {"$type": 5}), "is not a record"),
        (_set("sessions/s1/created", {"$decimal": "lots"}), "$decimal"),
        (_set("sessions/s1/created", {"$decimal": "NaN"}), "$decimal"),
        (_set("sessions/s1/created", {"$decimal": 5}), "$decimal"),
        (_set("sessions/s1/created", {"$timedelta": 1e300}), "$timedelta"),
        (_set("sessions/s1/created", {"$timedelta": "1 day"}), "$timedelta"),
        (_set("sessions/s1/created", {"$nope": 1}), "unknown tag"),
        (_set("sessions/s1/colour", "red"), "/application/sessions/s1/colour"),
        (_set("loyalty/_entries/0/amount", "many"), "/application/loyalty/_entries/0/amount"),
        (_set("loyalty/_entries/0/amount", 12.5), "/application/loyalty/_entries/0/amount"),
        (lambda s: s.__setitem__("now", "9999-12-31T23:00:00Z"), "/now"),
        (lambda s: s.__setitem__("format", ["talon-fake-state/2"]), "/format"),
        (_set("sessions/s1/state", "melted"), "/application/sessions/s1"),
        (_set("sessions/s1/profile_id", "ghost"), "/application/sessions/s1/profile_id"),
        (_set("loyalty/_entries/0/program_id", 9), "/application/loyalty/_entries/0/program_id"),
        (_set("sessions/s1/effects", [{"effectType": 0, "props": {}}]), "/application/sessions/s1"),
        (
            _set(
                "audiences",
                {"$dict": [[1, {"$type": "pytest_talon.fake.state.records:CampaignUsage", "coupon_redemptions": "x"}]]},
            ),
            "/application/audiences/1/coupon_redemptions",
        ),
    ],
)
def test_an_import_of_a_wrong_type_is_refused_naming_the_field_and_the_server_keeps_answering(
    client: httpx.Client, seeded: dict[str, Any], change: Any, named: str
) -> None:
    bad = copy.deepcopy(seeded)
    change(bad)
    answer = client.put("/_fake/state", json=bad)
    assert answer.status_code == 400, answer.text
    assert named in answer.json()["message"] + json.dumps(answer.json()["errors"])
    assert client.get("/v2/customer_sessions/s1").status_code == 200
    assert client.get("/v1/loyalty_programs/1/profile/p1/balances").status_code == 200
    assert client.get("/_fake/clock").json() == {"now": "2026-01-01T00:00:00Z"}


def test_a_snapshot_of_another_format_is_refused_naming_both(client: httpx.Client, seeded: dict[str, Any]) -> None:
    answer = client.put("/_fake/state", json={**seeded, "format": "talon-fake-state/9"})
    assert answer.status_code == 400
    assert "'talon-fake-state/2'" in answer.json()["message"]
    assert "'talon-fake-state/9'" in answer.json()["message"]


def test_a_version_1_snapshot_with_numbers_for_amounts_is_upgraded(
    fake: FakeTalon, client: httpx.Client, seeded: dict[str, Any]
) -> None:
    old = copy.deepcopy(seeded)
    old["format"] = "talon-fake-state/1"
    for entry in old["application"]["loyalty"]["_entries"]:
        entry["amount"] = float(entry["amount"]["$decimal"])  # as exports before amounts became Decimal held them
    assert client.put("/_fake/state", json=old).status_code == 204
    assert client.get("/_fake/state").json() == seeded | {"format": "talon-fake-state/2"}


# ---- bounded growth -----------------------------------------------------------------------------------------

LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
    f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
    for i in range(8)
)


def test_yaml_aliases_expanding_without_bound_are_refused(fake: FakeTalon, client: httpx.Client) -> None:
    answer = client.post("/_fake/campaigns", content="campaigns: []\n" + LAUGHS)
    assert answer.status_code == 400
    assert "aliases" in answer.json()["message"]
    assert fake.app.campaigns == {}


def test_yaml_aliases_within_the_bound_still_load(client: httpx.Client) -> None:
    body = "campaigns:\n  - {name: c0, rules: [&rule {title: r, effects: [{setDiscount: {name: d, percent: 10}}]}]}\n"
    body += "".join(f"  - {{name: c{i}, rules: [*rule]}}\n" for i in (1, 2))
    answer = client.post("/_fake/campaigns", content=body)
    assert answer.status_code == 201, answer.text
    assert [c["name"] for c in answer.json()["campaigns"]] == ["c0", "c1", "c2"]


def test_the_request_log_pages_with_limit_and_after(client: httpx.Client) -> None:
    for i in range(7):
        client.get(f"/v2/customer_sessions/page-{i}")
    whole = client.get("/_fake/requests").json()
    assert len(whole) == 7
    pages = [client.get("/_fake/requests", params={"limit": 3, "after": after}).json() for after in (0, 3, 6)]
    assert [len(p) for p in pages] == [3, 3, 1]
    assert [e for page in pages for e in page] == whole
    assert client.get("/_fake/requests", params={"after": 7}).json() == []
    refused = client.get("/_fake/requests", params={"limit": "-1"})
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["source"] == {"parameter": "limit"}


def test_stored_events_keep_their_effects_only_while_among_the_newest(fake: FakeTalon) -> None:
    from pytest_talon.fake.state.application import EVENT_EFFECTS_KEPT

    fake.load_campaigns(
        {"campaigns": [{"name": "Ten", "rules": [{"effects": [{"setDiscount": {"name": "d", "percent": 10}}]}]}]}
    )
    client = fake.client()
    for _ in range(20):
        for i in range(10):
            state = client.update_customer_session_v2(f"s{i}", SESSION).to_wire()
            assert [e["effectType"] for e in state["effects"]] == ["setDiscount"]  # answers are unchanged
    events = list(fake.app.events)
    assert len(events) == 200  # under the bound (max_requests, 10,000 by default)
    assert all(e.effects == [] for e in events[:-EVENT_EFFECTS_KEPT])
    assert all(e.effects for e in events[-EVENT_EFFECTS_KEPT:])


def _update_rounds(client: Any, rounds: int) -> list[Any]:
    """Update the same 10 sessions ``rounds`` times; the last round's answers."""
    answers: list[Any] = []
    for _ in range(rounds):
        answers = [client.update_customer_session_v2(f"s{i}", SESSION).to_wire() for i in range(10)]
    return answers


def test_updates_of_the_same_sessions_keep_the_state_flat() -> None:
    fake = FakeTalon(max_requests=50)  # bounds the request log and the event records alike
    fake.load_campaigns(
        {"campaigns": [{"name": "Ten", "rules": [{"effects": [{"setDiscount": {"name": "d", "percent": 10}}]}]}]}
    )
    client = fake.client()
    tracemalloc.start()  # before the first update: what replaces an untraced record would look like growth
    try:
        first = _update_rounds(client, 10)  # 100 updates: both bounds reached
        _update_rounds(client, 15)  # caches on the way (URLs, plans) fill up
        gc.collect()
        before = tracemalloc.get_traced_memory()[0]
        _update_rounds(client, 15)
        gc.collect()
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    last = _update_rounds(client, 1)
    # 150 updates: 46 KB (about 300 bytes each) while every event record was kept; now 0.6-3 KB in all (caches).
    assert grown < 8 * 1024, grown
    assert len(fake.app.events) == 50
    assert last == first  # the API answers as before
    session = client.get_customer_session("s3").to_wire()
    assert session["customerSession"]["updateCount"] == 41


def test_achievements_count_every_event_past_the_event_record_bound() -> None:
    fake = FakeTalon(max_requests=5)
    fake.add_achievement("Reviewer", "Write reviews", 100, campaign_id=1, metric="event:review")
    client = fake.client()
    for _ in range(12):
        client.track_event_v2({"type": "review", "profileId": "alice"})
    client.track_event_v2({"type": "review", "profileId": "bob"})
    assert len(fake.app.events) == 5  # the records are bounded; what achievements read back is not
    progress = client.get_customer_achievements("alice").data[0].current_progress
    assert progress is not None
    assert (progress.status, progress.progress) == ("inprogress", 12)
    restored = FakeTalon(max_requests=5)
    restored.import_state(fake.export_state())
    again = restored.client().get_customer_achievements("alice").data[0].current_progress
    assert again is not None
    assert again.progress == 12


def test_an_achievement_declared_later_counts_the_events_still_kept(fake: FakeTalon) -> None:
    client = fake.client()
    client.track_event_v2({"type": "review", "profileId": "alice"})
    client.track_event_v2({"type": "review", "profileId": "alice"})
    fake.add_achievement("Reviewer", "Write reviews", 2, campaign_id=1, metric="event:review")
    progress = client.get_customer_achievements("alice").data[0].current_progress
    assert progress is not None
    assert (progress.status, progress.progress) == ("completed", 2)


@pytest.mark.parametrize("validity", ["1000Y", "99999999D", "10000000000000000000s"])
def test_a_validity_too_long_to_date_is_refused_at_load(fake: FakeTalon, client: httpx.Client, validity: str) -> None:
    program = {"loyaltyPrograms": [{"id": 1, "name": "P", "defaultValidity": validity}]}
    answer = client.post("/_fake/campaigns", json=program)
    assert answer.status_code == 400, answer.text
    assert "too long" in answer.json()["message"]
    assert fake.app.loyalty_programs == {}


def test_yaml_bodies_nest_up_to_the_json_limit_and_are_refused_as_soon_as_they_pass_it() -> None:
    from pytest_talon.fake.errors import BadRequest
    from pytest_talon.fake.http.admin_bodies import _yaml_body
    from pytest_talon.fake.http.guards import MAX_JSON_DEPTH

    assert _yaml_body(("[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH).encode()) is not None
    with pytest.raises(BadRequest, match=f"more than {MAX_JSON_DEPTH} levels deep"):
        _yaml_body(("[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1)).encode())
