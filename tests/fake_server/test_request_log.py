"""The request log over HTTP tells what the Python one tells, and more: raw and decoded path, request headers with
``Authorization`` redacted, the fields the fake ignored, response headers and the fault injected."""

from __future__ import annotations

import httpx

from pytest_talon.fake import FakeTalon

from .conftest import SESSION


def test_the_http_log_has_headers_paths_and_unknown_fields(fake: FakeTalon, client: httpx.Client) -> None:
    body = {"customerSession": {**SESSION["customerSession"], "profileld": "typo"}}  # type: ignore[dict-item]
    sent = client.put("/v2/customer_sessions/web%2F2026%2F3391", json=body, headers={"User-Agent": "cart/1.0"})
    assert sent.status_code == 200
    client.post("/_fake/faults", json={"status": 429, "retryAfter": 3})
    client.put("/v2/customer_sessions/a", json=SESSION)
    first, second = client.get("/_fake/requests").json()
    assert first["path"] == "/v2/customer_sessions/web/2026/3391"
    assert first["rawPath"] == "/v2/customer_sessions/web%2F2026%2F3391"
    assert first["headers"]["user-agent"] == "cart/1.0"
    assert first["headers"]["authorization"] == "ApiKey-v1 [redacted]"
    assert fake.api_key not in str(first)
    assert first["unknownFields"] == ["/customerSession/profileld"]
    assert first["responseHeaders"]["content-type"] == "application/json"
    assert (second["status"], second["fault"], second["responseHeaders"]["retry-after"]) == (429, "status", "3")
    python = fake.requests[0]
    assert (python.raw_path, python.request_headers, python.response_headers) == (
        first["rawPath"],
        first["headers"],
        first["responseHeaders"],
    )
    assert python.unknown_fields == first["unknownFields"]


def test_the_python_log_has_the_same_fields_in_process() -> None:
    fake = FakeTalon()
    fake.client().update_customer_session("a:b@c", {"profileId": "p"})
    entry = fake.requests[-1]
    assert entry.raw_path.endswith("/customer_sessions/a%3Ab%40c")
    assert entry.path.endswith("/customer_sessions/a:b@c")
    assert entry.request_headers["authorization"] == "ApiKey-v1 [redacted]"
    assert entry.response_headers["content-type"] == "application/json"
    assert entry.query == {}


def test_each_entry_links_to_its_explanation(client: httpx.Client) -> None:
    for order in ("a", "b", "c"):
        assert client.put(f"/v2/customer_sessions/{order}", json=SESSION).status_code == 200
    log = client.get("/_fake/requests").json()
    assert [e["links"]["explain"] for e in log] == [f"/_fake/requests/{n}/explain" for n in range(3)]
    for entry in log:
        explained = client.get(entry["links"]["explain"]).json()
        assert explained["request"].endswith(entry["path"] + " -> 200")
    page = client.get("/_fake/requests", params={"after": 1, "limit": 1}).json()
    assert page == [log[1]]  # positions in a page are positions in the whole log


def test_links_of_an_application_answer_with_the_same_key(served: str) -> None:
    root = {"Authorization": "ApiKey-v1 fake-talon-api-key"}
    created = httpx.post(served + "/_fake/applications", headers=root).json()
    mine = {"Authorization": f"ApiKey-v1 {created['apiKey']}"}
    try:
        httpx.put(served + "/v2/customer_sessions/root-1", json=SESSION, headers=root)
        httpx.put(served + "/v2/customer_sessions/mine-1", json=SESSION, headers=mine)
        (entry,) = httpx.get(served + "/_fake/requests", headers=mine).json()
        explained = httpx.get(served + entry["links"]["explain"], headers=mine).json()
        assert explained["request"] == "PUT /v2/customer_sessions/mine-1 -> 200"
    finally:
        httpx.delete(f"{served}/_fake/applications/{created['applicationId']}", headers=root)
