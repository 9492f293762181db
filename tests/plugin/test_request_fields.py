"""``talon_requests`` entries have the same fields in every mode: the raw path beside the decoded one, request
headers with ``Authorization`` redacted, response headers and the ``query`` shape (issue 26, item 2)."""

from __future__ import annotations

import pytest

from tests.plugin._deployment import as_deployment, run

KEY = "fields-key"

SUITE = """
import httpx


def test_fields(talon_endpoint, talon_requests):
    with httpx.Client(base_url=talon_endpoint.base_url, headers=talon_endpoint.headers) as client:
        body = {"customerSession": {"profileId": "p", "state": "open"}}
        answer = client.put("/v2/customer_sessions/web%2F2026%2F3391", json=body, headers={"User-Agent": "cart/1.0"})
    assert answer.status_code == 200
    entry = talon_requests[-1]
    assert entry.path == "/v2/customer_sessions/web/2026/3391"
    assert entry.raw_path == "/v2/customer_sessions/web%2F2026%2F3391"
    assert entry.query == {}
    assert entry.request_headers["user-agent"] == "cart/1.0"
    assert entry.request_headers["authorization"] == "ApiKey-v1 [redacted]"
    assert "fields-key" not in repr(entry)
    assert entry.response_headers["content-type"].startswith("application/json")
"""


def test_the_same_fields_in_fake_record_replay_and_verify(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytester.makepyfile(test_fields=SUITE)
    run(pytester, "-p", "no:xdist").assert_outcomes(passed=1)
    with as_deployment(monkeypatch, KEY):
        run(pytester, "-p", "no:xdist", "--talon-mode=record").assert_outcomes(passed=1)
    monkeypatch.delenv("TALON_BASE_URL")
    monkeypatch.delenv("TALON_API_KEY")
    run(pytester, "-p", "no:xdist", "--talon-mode=replay").assert_outcomes(passed=1)
    with as_deployment(monkeypatch, KEY):
        run(pytester, "-p", "no:xdist", "--talon-mode=verify").assert_outcomes(passed=1)
