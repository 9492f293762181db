"""Fixtures for the standalone server: a fake served on a free loopback port, an admin client, raw sockets."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import httpx
import pytest

from pytest_talon.fake import FakeTalon

CAMPAIGNS = """\
campaigns:
  - name: Ten percent over 50
    rules:
      - title: 10% off carts of 50 or more
        conditions:
          - cartSubtotal: {op: ">=", value: 50}
        effects:
          - setDiscount: {name: "10% off", percent: 10}
          - triggerWebhook: {webhookId: 1, webhookName: order-sync}
"""
SESSION = {
    "customerSession": {
        "profileId": "p1",
        "cartItems": [{"name": "Shoe", "sku": "SH-1", "quantity": 1, "price": 80.0}],
    }
}


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
