"""Fixtures for the standalone server: a fake served on a free loopback port, an admin client, raw sockets."""

from __future__ import annotations

import signal
import socket
import sys
from collections.abc import Iterator

import httpx
import pytest

from pytest_talon.fake import FakeTalon

from ..fake_adapters import test_cli as cli

#: The CLI tests' campaign, whose rule also triggers webhook 1.
CAMPAIGNS = cli.CAMPAIGNS + "          - triggerWebhook: {webhookId: 1, webhookName: order-sync}\n"
SESSION = cli.SESSION


@pytest.fixture
def fake() -> FakeTalon:
    return FakeTalon()


@pytest.fixture
def base_url(fake: FakeTalon) -> Iterator[str]:
    with fake.serve(read_timeout=5.0) as url:
        yield url


@pytest.fixture
def client(fake: FakeTalon, base_url: str) -> Iterator[httpx.Client]:
    """An httpx client for the served fake, sending the fake's key."""
    with httpx.Client(base_url=base_url, headers={"Authorization": f"ApiKey-v1 {fake.api_key}"}) as c:
        yield c


def connect(base_url: str) -> socket.socket:
    """A raw TCP connection to the server (closed by the caller)."""
    host, port = base_url.removeprefix("http://").split(":")
    return socket.create_connection((host, int(port)), timeout=10)


def send_raw(base_url: str, data: bytes) -> bytes:
    """Send ``data`` on a fresh connection and return everything answered until the server closes it."""
    with connect(base_url) as sock:
        sock.sendall(data)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
        return b"".join(chunks)


def status_and_json(answer: bytes) -> tuple[int, dict[str, object]]:
    """The status and the parsed JSON body of a raw HTTP answer."""
    import json

    head, _, body = answer.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    assert b"content-type: application/json" in head.lower(), head
    return status, json.loads(body)


@pytest.fixture(scope="module")
def served() -> Iterator[str]:
    """A ``talon-fake serve`` subprocess (default key, quiet) for the module: its base URL."""
    if sys.platform == "win32":  # pragma: no cover
        pytest.skip("POSIX signals")
    process = cli.talon_fake("serve", "--port", "0", "--quiet")
    try:
        yield cli.first_line(process)
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=cli.PATIENCE)
