"""The admin API under /_fake/ on a served fake, driven over HTTP as a suite in another language would."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import httpx
import pytest

from pytest_talon.fake import FakeTalon, LoopbackServer
from pytest_talon.fake.http.admin import with_admin

from .conftest import CAMPAIGNS, SESSION


def test_every_admin_endpoint_needs_the_api_key(base_url: str) -> None:
    for method, path in [("POST", "/_fake/reset"), ("GET", "/_fake/state"), ("GET", "/_fake/clock")]:
        answer = httpx.request(method, base_url + path, headers={"Authorization": "ApiKey-v1 wrong"})
        assert answer.status_code == 401
        assert answer.json()["StatusCode"] == 401
        assert "ApiKey-v1" in answer.json()["message"]


def test_campaigns_loaded_over_http_apply_and_reset_returns_to_the_state_at_start(
    fake: FakeTalon, client: httpx.Client
) -> None:
    # Given campaigns loaded over HTTP (YAML) and a session evaluated with them
    loaded = client.post("/_fake/campaigns", content=CAMPAIGNS, headers={"Content-Type": "application/yaml"})
    assert loaded.status_code == 201
    assert loaded.json() == {"campaigns": [{"id": 1, "name": "Ten percent over 50"}]}
    state = client.put("/v2/customer_sessions/s1", json=SESSION).json()
    assert [e["effectType"] for e in state["effects"]] == ["setDiscount", "triggerWebhook"]
    client.post("/_fake/clock/advance", json={"days": 2})
    # When the fake is reset
    assert client.post("/_fake/reset").status_code == 204
    # Then sessions, campaigns and the clock are back to how the server started
    assert client.get("/v2/customer_sessions/s1").status_code == 404
    assert client.get("/_fake/clock").json() == {"now": "2026-01-01T00:00:00Z"}
    assert fake.app.campaigns == {}
    # And the logs hold only what came after the reset (it restores the state, not the record of what happened)
    assert [r["path"] for r in client.get("/_fake/requests").json()] == ["/v2/customer_sessions/s1"]
    assert client.get("/_fake/webhooks").json() == []


def test_reset_reloads_what_was_seeded_before_the_server_started() -> None:
    fake = FakeTalon()
    fake.load_campaigns({"campaigns": [{"name": "Seeded", "rules": []}]})
    with LoopbackServer(with_admin(fake)) as server:
        headers = {"Authorization": f"ApiKey-v1 {fake.api_key}"}
        httpx.post(server.base_url + "/_fake/campaigns", json={"campaigns": [{"name": "Later"}]}, headers=headers)
        assert len(fake.app.campaigns) == 2
        httpx.post(server.base_url + "/_fake/reset", headers=headers)
    assert [c.name for c in fake.app.campaigns.values()] == ["Seeded"]


def test_every_reset_goes_back_to_the_same_start_and_a_later_change_to_the_fake_is_not_kept() -> None:
    fake = FakeTalon()
    fake.load_campaigns({"campaigns": [{"name": "Seeded", "rules": []}]})
    with fake.serve() as url, httpx.Client(base_url=url, headers={"Authorization": f"ApiKey-v1 {fake.api_key}"}) as c:
        fake.load_campaigns({"campaigns": [{"name": "Added in Python after the start"}]})
        for session in ("s1", "s2"):
            assert c.put(f"/v2/customer_sessions/{session}", json=SESSION).status_code == 200
            assert c.post("/_fake/reset").status_code == 204
            assert c.get(f"/v2/customer_sessions/{session}").status_code == 404
            assert [x.name for x in fake.app.campaigns.values()] == ["Seeded"]
            assert fake.app.loyalty.policy is not None


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ("campaigns:\n  - name: x\n   rules: [\n", "not valid JSON or YAML"),
        ('{"campaigns": [{"name": "x", "rulez": []}]}', "rulez"),
        ('{"campaign": []}', "unknown top-level key"),
        ("[1, 2]", "must be a campaigns file"),
    ],
)
def test_a_bad_campaigns_file_is_a_400_naming_the_problem_and_loads_nothing(
    fake: FakeTalon, client: httpx.Client, body: str, named: str
) -> None:
    answer = client.post("/_fake/campaigns", content=body)
    assert answer.status_code == 400
    assert named in answer.json()["message"]
    assert fake.app.campaigns == {}


def test_a_file_failing_halfway_loads_nothing(fake: FakeTalon, client: httpx.Client) -> None:
    body = {"campaigns": [{"name": "fine"}, {"id": 1, "name": "same id"}], "audiences": [{"id": 1, "name": "A"}]}
    answer = client.post("/_fake/campaigns", json=body)
    assert answer.status_code == 400
    assert "id 1 is taken" in answer.json()["message"]
    assert fake.app.campaigns == {}


def test_the_clock_can_be_read_set_and_advanced(client: httpx.Client) -> None:
    assert client.get("/_fake/clock").json() == {"now": "2026-01-01T00:00:00Z"}
    assert client.put("/_fake/clock", json={"now": "2026-03-01T12:00:00+02:00"}).json() == {
        "now": "2026-03-01T10:00:00Z"
    }
    advanced = client.post("/_fake/clock/advance", json={"days": 1, "hours": 2, "minutes": 3, "seconds": 4.5})
    assert advanced.status_code == 200
    assert advanced.json() == {"now": "2026-03-02T12:03:04.500000Z"}


@pytest.mark.parametrize(
    ("method", "path", "body", "named"),
    [
        ("PUT", "/_fake/clock", {"now": "tomorrow"}, "now"),
        ("PUT", "/_fake/clock", {}, "now is required"),
        ("POST", "/_fake/clock/advance", {"days": "2"}, "days must be a number"),
        ("POST", "/_fake/clock/advance", {"weeks": 1}, "unknown field(s) ['weeks']"),
        ("POST", "/_fake/clock/advance", {"days": -1}, "backwards"),
        ("POST", "/_fake/faults", {"status": 200}, "status must be an HTTP error status"),
        ("POST", "/_fake/faults", {"status": 429, "operationId": "nope"}, "'nope' is not an Integration API"),
        ("POST", "/_fake/faults", {"status": 429, "times": 0}, "times must be a positive integer"),
        ("POST", "/_fake/faults", {"status": 429, "retry": 1}, "unknown field(s) ['retry']"),
        ("PUT", "/_fake/state", {"format": "other"}, "reads snapshots of format 'talon-fake-state/2'"),
    ],
)
def test_wrong_admin_input_is_a_400_naming_the_field(
    client: httpx.Client, method: str, path: str, body: object, named: str
) -> None:
    answer = client.request(method, path, json=body)
    assert answer.status_code == 400, answer.text
    assert named in answer.json()["message"]


def test_unknown_admin_paths_are_404_and_wrong_methods_405(client: httpx.Client) -> None:
    missing = client.get("/_fake/nothing")
    assert missing.status_code == 404
    assert "POST /_fake/reset" in missing.json()["message"]
    wrong = client.get("/_fake/reset")
    assert wrong.status_code == 405
    assert "use POST" in wrong.json()["message"]


def test_the_request_log_lists_and_clears(client: httpx.Client) -> None:
    client.put("/v2/customer_sessions/s1", json=SESSION)
    client.get("/v2/customer_sessions/s1", params={"x": "1"})
    log = client.get("/_fake/requests").json()
    assert [(r["method"], r["path"], r["operationId"], r["status"]) for r in log] == [
        ("PUT", "/v2/customer_sessions/s1", "updateCustomerSessionV2", 200),
        ("GET", "/v2/customer_sessions/s1", "getCustomerSession", 200),
    ]
    assert log[0]["json"] == SESSION
    assert log[1]["query"] == {"x": ["1"]}
    assert "customerSession" in log[1]["responseJson"]
    assert client.delete("/_fake/requests").status_code == 204
    assert client.get("/_fake/requests").json() == []


def test_an_injected_fault_answers_in_the_error_shape_with_retry_after_then_is_used_up(client: httpx.Client) -> None:
    fault = {"operationId": "updateCustomerSessionV2", "status": 429, "times": 2, "retryAfter": 7}
    added = client.post("/_fake/faults", json=fault)
    assert (added.status_code, added.json()) == (201, {**fault, "kind": "status", "delayMs": 0})
    other = client.get("/v2/customer_sessions/s1")  # another operation: not affected
    first, second, third = (client.put("/v2/customer_sessions/s1", json=SESSION) for _ in range(3))
    assert other.status_code == 404
    assert (first.status_code, second.status_code, third.status_code) == (429, 429, 200)
    assert first.headers["Retry-After"] == "7"
    assert first.json()["StatusCode"] == 429
    assert first.json()["errors"][0]["title"] == "Too Many Requests"
    assert "injected" in first.json()["message"]


def test_a_fault_for_any_operation_with_a_delay_and_clearing_faults(client: httpx.Client) -> None:
    client.post("/_fake/faults", json={"operationId": None, "status": 503, "delayMs": 200})
    started = time.monotonic()
    slow = client.get("/v2/customer_sessions/s1")
    assert slow.status_code == 503
    assert "Retry-After" not in slow.headers
    assert time.monotonic() - started >= 0.2
    client.post("/_fake/faults", json={"status": 500, "times": 5})
    assert client.delete("/_fake/faults").status_code == 204
    assert client.get("/v2/customer_sessions/s1").status_code == 404


def test_state_snapshots_restore_a_seeded_state(client: httpx.Client) -> None:
    # Given a suite that seeds once and takes a snapshot
    client.post("/_fake/campaigns", content=CAMPAIGNS)
    client.put("/v2/customer_sessions/seeded", json=SESSION)
    snapshot = client.get("/_fake/state").json()
    # When a test changes the state and the snapshot is put back
    client.put("/v2/customer_sessions/scratch", json=SESSION)
    client.post("/_fake/clock/advance", json={"days": 3})
    assert client.put("/_fake/state", json=snapshot).status_code == 204
    # Then what the test did is gone and the seeded state is there again
    assert client.get("/v2/customer_sessions/scratch").status_code == 404
    assert client.get("/v2/customer_sessions/seeded").status_code == 200
    assert client.get("/_fake/clock").json()["now"] == "2026-01-01T00:00:00Z"
    assert client.get("/_fake/state").json()["application"]["campaigns"] == snapshot["application"]["campaigns"]


class Receiver:
    """A loopback webhook receiver: records what it got, answers ``status``."""

    def __init__(self, status: int = 200) -> None:
        self.status = status
        self.got: list[httpx.Request] = []
        self.arrived = threading.Event()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.got.append(request)
        self.arrived.set()
        return httpx.Response(self.status)


@pytest.fixture
def receiver() -> Iterator[tuple[Receiver, str]]:
    handler = Receiver()
    with LoopbackServer(handler) as server:
        yield handler, server.base_url


def test_triggered_webhooks_are_recorded_and_sent_to_their_url(
    client: httpx.Client, receiver: tuple[Receiver, str]
) -> None:
    handler, url = receiver
    webhooks = f"""\
webhooks:
  - id: 1
    name: order-sync
    url: {url}/hooks/orders
    method: PUT
    headers: {{X-Secret: s3cret}}
    payload: {{session: "${{sessionId}}", campaign: "${{campaignId}}", text: "for ${{profileId}}"}}
"""
    client.post("/_fake/campaigns", content=CAMPAIGNS + webhooks)
    client.put("/v2/customer_sessions/s1", json=SESSION)
    recorded = client.get("/_fake/webhooks").json()
    assert recorded == [
        {
            "webhookId": 1,
            "webhookName": "order-sync",
            "campaignId": 1,
            "sessionId": "s1",
            "profileId": "p1",
            "payload": {"session": "s1", "campaign": 1, "text": "for p1"},
            "time": "2026-01-01T00:00:00Z",
            "delivery": {"state": "delivered", "status": 200, "error": None},
        }
    ]
    (sent,) = handler.got
    assert (sent.method, sent.url.path, sent.headers["X-Secret"]) == ("PUT", "/hooks/orders", "s3cret")
    assert httpx.Response(200, content=sent.content).json() == {"session": "s1", "campaign": 1, "text": "for p1"}


def test_a_webhook_without_url_is_only_recorded_and_dry_runs_record_nothing(client: httpx.Client) -> None:
    client.post("/_fake/campaigns", content=CAMPAIGNS)
    client.put("/v2/customer_sessions/s1", json=SESSION, params={"dry": "true"})
    assert client.get("/_fake/webhooks").json() == []
    client.put("/v2/customer_sessions/s1", json=SESSION)
    (recorded,) = client.get("/_fake/webhooks").json()
    assert "delivery" not in recorded
    assert recorded["payload"]["webhookName"] == "order-sync"


def test_a_failing_delivery_is_recorded_and_never_reaches_the_api_answer(fake: FakeTalon) -> None:
    with socket_that_refuses() as url:
        fake.load_campaigns({"campaigns": [_webhook_campaign()], "webhooks": [{"id": 1, "url": url}]})
        state = fake.client().update_customer_session_v2("s1", SESSION)
    assert [e.effect_type for e in state.effects or []] == ["triggerWebhook"]
    (record,) = fake.webhooks
    assert record.delivery == "failed"
    assert record.delivery_error is not None
    assert record.delivery_error.startswith("ConnectError")


def test_a_receiver_answering_an_error_is_a_failed_delivery(fake: FakeTalon) -> None:
    handler = Receiver(status=500)
    with LoopbackServer(handler) as server:
        fake.load_campaigns({"campaigns": [_webhook_campaign()], "webhooks": [{"id": 1, "url": server.base_url}]})
        fake.client().update_customer_session_v2("s1", SESSION)
        (record,) = fake.webhooks
    assert (record.delivery, record.delivery_status) == ("failed", 500)


def _webhook_campaign() -> dict[str, object]:
    return {
        "name": "hook",
        "rules": [{"title": "always", "effects": [{"triggerWebhook": {"webhookId": 1, "webhookName": "hook"}}]}],
    }


class socket_that_refuses:
    """A loopback URL on which nothing listens (a port bound, never listening)."""

    def __enter__(self) -> str:
        import socket

        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}/hook"

    def __exit__(self, *exc: object) -> None:
        self.sock.close()
