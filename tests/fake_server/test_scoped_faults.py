"""Faults scoped to one request (the ``X-Talon-Fake-Fault`` header) or one Application, and transport-level faults
as httpx sees them: over ``talon-fake serve`` and through the in-process transports alike."""

from __future__ import annotations

import httpx
import pytest

from pytest_talon.fake import FakeTalon

from .conftest import SESSION

ROOT = {"Authorization": "ApiKey-v1 fake-talon-api-key"}
FAULT = "X-Talon-Fake-Fault"
#: What httpx raises for each transport fault (docs/fake-server.md).
RAISED = {"reset": httpx.RemoteProtocolError, "stall": httpx.ReadTimeout, "truncated": httpx.RemoteProtocolError}


def _new_key(url: str) -> dict[str, str]:
    created = httpx.post(url + "/_fake/applications", headers=ROOT).json()
    return {"Authorization": f"ApiKey-v1 {created['apiKey']}"}


def test_a_header_fault_answers_exactly_one_request(served: str) -> None:
    headers = _new_key(served)
    with httpx.Client(base_url=served, headers=headers) as client:
        faulted = client.put("/v2/customer_sessions/s1", json=SESSION, headers={FAULT: "503; retry-after=2"})
        assert faulted.status_code == 503
        assert faulted.headers["Retry-After"] == "2"
        assert faulted.json()["StatusCode"] == 503
        assert [client.put("/v2/customer_sessions/s1", json=SESSION).status_code for _ in range(3)] == [200] * 3
        log = client.get("/_fake/requests").json()
        assert [(r["status"], r["fault"]) for r in log] == [(503, "status"), (200, None), (200, None), (200, None)]


def test_a_queued_fault_stays_in_its_application(served: str) -> None:
    mine, other = _new_key(served), _new_key(served)
    assert httpx.post(served + "/_fake/faults", json={"status": 429, "times": 5}, headers=mine).status_code == 201
    assert httpx.put(served + "/v2/customer_sessions/x", json=SESSION, headers=other).status_code == 200
    assert httpx.put(served + "/v2/customer_sessions/x", json=SESSION, headers=ROOT).status_code == 200
    assert httpx.put(served + "/v2/customer_sessions/x", json=SESSION, headers=mine).status_code == 429


@pytest.mark.parametrize("kind", ["reset", "stall", "truncated"])
def test_a_transport_fault_is_what_httpx_raises_over_http(served: str, kind: str) -> None:
    headers = {**_new_key(served), FAULT: f"{kind}; delay-ms=3000" if kind == "stall" else kind}
    with pytest.raises(RAISED[kind]):
        httpx.put(served + "/v2/customer_sessions/s1", json=SESSION, headers=headers, timeout=0.5)
    del headers[FAULT]
    log = httpx.get(served + "/_fake/requests", headers=headers).json()
    assert [(r["fault"], r["status"]) for r in log] == [(kind, 200 if kind == "truncated" else 0)]
    assert httpx.put(served + "/v2/customer_sessions/s1", json=SESSION, headers=headers).status_code == 200


def test_a_non_json_fault_answers_html_with_its_status(served: str) -> None:
    headers = {**_new_key(served), FAULT: "non-json; status=504"}
    answer = httpx.put(served + "/v2/customer_sessions/s1", json=SESSION, headers=headers)
    assert answer.status_code == 504
    assert answer.headers["Content-Type"].startswith("text/html")
    with pytest.raises(ValueError, match="Expecting value"):
        answer.json()


@pytest.mark.parametrize(
    ("header", "names"),
    [
        ("bogus", "starts with 'bogus'"),
        ("503; foo=1", "unknown parameter 'foo=1'"),
        ("200", "status must be an HTTP error status"),
        ("503; retry-after=soon", "retry-after must be a number"),
        ("reset; status=500", "a reset fault answers no status"),
    ],
)
def test_a_bad_fault_header_answers_a_json_400_naming_it_and_changes_nothing(
    served: str, header: str, names: str
) -> None:
    headers = _new_key(served)
    answer = httpx.put(served + "/v2/customer_sessions/s1", json=SESSION, headers={**headers, FAULT: header})
    assert answer.status_code == 400
    assert names in answer.json()["message"]
    assert FAULT in answer.json()["message"]
    assert httpx.get(served + "/_fake/state", headers=headers).json()["application"]["sessions"] == {}


@pytest.mark.parametrize("kind", ["reset", "stall", "truncated"])
def test_in_process_transports_raise_what_httpx_raises_over_http(kind: str) -> None:
    fake = FakeTalon()
    fake.inject_fault("updateCustomerSessionV2", kind=kind)
    with httpx.Client(transport=fake.transport(), base_url=fake.base_url, headers=ROOT) as client:
        with pytest.raises(RAISED[kind]):
            client.put("/v2/customer_sessions/s1", json=SESSION)
        assert [r.fault for r in fake.requests] == [kind]
        assert client.put("/v2/customer_sessions/s1", json=SESSION).status_code == 200


@pytest.mark.anyio
async def test_the_async_transport_raises_the_same() -> None:
    fake = FakeTalon()
    with (
        httpx.Client(transport=fake.transport(), base_url=fake.base_url, headers=ROOT) as client,
        pytest.raises(httpx.ReadTimeout),
    ):
        client.put("/v2/customer_sessions/s", json=SESSION, headers={FAULT: "stall"})
    async with httpx.AsyncClient(transport=fake.async_transport(), base_url=fake.base_url, headers=ROOT) as client:
        with pytest.raises(httpx.RemoteProtocolError):
            await client.put("/v2/customer_sessions/s", json=SESSION, headers={FAULT: "reset"})


def test_inject_fault_checks_its_kind() -> None:
    fake = FakeTalon()
    with pytest.raises(ValueError, match="kind must be one of"):
        fake.inject_fault(kind="explode")
    with pytest.raises(ValueError, match="status must be"):
        fake.inject_fault()
