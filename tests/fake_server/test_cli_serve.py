"""``talon-fake serve`` as a subprocess: the admin API is on, limits are options, and a signal ends it at once even
while a client stalls mid-request."""

from __future__ import annotations

import signal
import sys
import time

import httpx
import pytest

from pytest_talon.fake.cli import build_parser

from ..fake_adapters.test_cli import PATIENCE, first_line, talon_fake
from .conftest import CAMPAIGNS, SESSION, connect, send_raw, status_and_json

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


def test_serve_has_the_admin_api_and_limits_from_options() -> None:
    process = talon_fake("serve", "--port", "0", "--api-key", "k", "--max-body", "1000", "--max-requests", "2")
    try:
        url = first_line(process)
        with httpx.Client(base_url=url, headers={"Authorization": "ApiKey-v1 k"}) as admin:
            assert admin.post("/_fake/campaigns", content=CAMPAIGNS).status_code == 201
            too_big = b"PUT /x HTTP/1.1\r\nContent-Length: 1001\r\n\r\n" + b" " * 1001
            status, _ = status_and_json(send_raw(url, too_big))
            assert status == 413
            for _ in range(3):
                admin.get("/v2/customer_sessions/s1")
            assert len(admin.get("/_fake/requests").json()) == 2
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=PATIENCE)
    assert process.returncode == 0


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_ends_serve_within_a_second_even_while_a_connection_stalls(stop_signal: signal.Signals) -> None:
    process = talon_fake("serve", "--port", "0", "--quiet")
    try:
        url = first_line(process)
        with connect(url) as stalled, connect(url) as idle:
            stalled.sendall(b"PUT /v2/customer_sessions/s1 HTTP/1.1\r\nContent-Length: 1000\r\n\r\n{")
            headers = {"Authorization": "ApiKey-v1 fake-talon-api-key"}
            assert httpx.put(url + "/v2/customer_sessions/s1", json=SESSION, headers=headers).status_code == 200
            idle.sendall(b"")
            started = time.monotonic()
            process.send_signal(stop_signal)
            process.wait(timeout=PATIENCE)
            took = time.monotonic() - started
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=PATIENCE)
    assert process.returncode == 0
    assert took < 1.0


def test_serve_help_lists_the_limits(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["serve", "--help"])
    text = capsys.readouterr().out
    for option in ("--max-body BYTES", "--max-requests N", "--read-timeout SECONDS"):
        assert option in text
    args = build_parser().parse_args(["serve", "--max-body", "10", "--max-requests", "3", "--read-timeout", "1.5"])
    assert (args.max_body, args.max_requests, args.read_timeout) == (10, 3, 1.5)


def test_limits_must_be_positive() -> None:
    process = talon_fake("serve", "--port", "0", "--max-body", "0")
    _, err = process.communicate(timeout=PATIENCE)
    assert process.returncode == 2
    assert "must be at least 1" in err
