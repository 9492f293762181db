"""The advice in docs/fake-server.md for using the loopback server next to vcrpy and respx actually works."""

from __future__ import annotations

from pathlib import Path

import httpx
import respx
import vcr  # type: ignore[import-untyped]

from pytest_talon.fake.http.adapters import respx_router
from pytest_talon.fake.http.server import serve
from tests.fake_adapters._echo import Echo


def test_vcrpy_ignore_localhost_keeps_loopback_traffic_out_of_cassettes(tmp_path: Path) -> None:
    echo = Echo()
    with serve(echo) as base_url:
        recorder = vcr.VCR(record_mode="all", ignore_localhost=True)
        with recorder.use_cassette(str(tmp_path / "cassette.yaml")) as cassette:
            answer = httpx.get(base_url + "/v2/customer_sessions/s1")
    assert answer.json()["rawPath"] == "/v2/customer_sessions/s1"  # the real server answered
    assert len(echo.requests) == 1
    assert len(cassette.requests) == 0


def test_respx_pass_through_route_lets_requests_reach_the_loopback_server() -> None:
    echo = Echo()
    with serve(echo) as base_url, respx.mock() as mock:
        mock.route(host="127.0.0.1").pass_through()
        mock.get("https://other.example/x").respond(204)
        answer = httpx.get(base_url + "/v2/events")
        other = httpx.get("https://other.example/x")
    assert answer.json()["rawPath"] == "/v2/events"
    assert other.status_code == 204
    assert len(echo.requests) == 1


def test_vcrpy_records_respx_interception_unless_the_fake_host_is_ignored(tmp_path: Path) -> None:
    # respx answers below httpx.HTTPTransport, which vcrpy wraps: a recording cassette sees intercepted traffic
    base = "https://fake-talon.test"
    for ignore_hosts, recorded in (((), 1), (("fake-talon.test",), 0)):
        recorder = vcr.VCR(record_mode="all", ignore_hosts=ignore_hosts)
        cassette_path = tmp_path / f"cassette-{recorded}.yaml"
        with recorder.use_cassette(str(cassette_path)) as cassette, respx_router(Echo(), base):
            assert httpx.get(base + "/v2/events").status_code == 200
        assert len(cassette.requests) == recorded
