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
