"""A server that survives abuse: every answer is JSON in the API's error shape, limits hold, and bad clients
(stalled, reset, idle, too many) never stop it from serving the others."""

from __future__ import annotations

import socket
import struct
import threading
from collections.abc import Iterator

import httpx
import pytest

from pytest_talon.fake import FakeTalon, LoopbackServer
from pytest_talon.fake.http.framing import DEFAULT_MAX_BODY
from pytest_talon.fake.http.guards import MAX_JSON_DEPTH

from .conftest import SESSION, connect, send_raw, status_and_json

AUTH = b"Authorization: ApiKey-v1 fake-talon-api-key\r\n"


@pytest.mark.parametrize(
    ("request_bytes", "status", "named"),
    [
        (b"BREW /v2/customer_sessions/s1 HTTP/1.1\r\nHost: a\r\n\r\n", 405, "'BREW' is not allowed"),
        (b"TRACE / HTTP/1.1\r\nHost: a\r\n\r\n", 405, "'TRACE' is not allowed"),
        (b"PUT /v2/customer_sessions/s1 HTTP/1.1\r\nHost: a\r\nContent-Length: many\r\n\r\n", 400, "Content-Length"),
        (b"PUT /v2/customer_sessions/s1 HTTP/1.1\r\nHost: a\r\nContent-Length: -5\r\n\r\n", 400, "Content-Length"),
        (
            b"PUT /v2/customer_sessions/s1 HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
            400,
            "Content-Length",
        ),
        (b"PUT /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400, "chunk size"),
        (b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\n\r\n", 414, "longer than 65536 bytes"),
        (b"GET / HTTP/1.1\r\n" + b"X-Long: " + b"a" * 70_000 + b"\r\n\r\n", 431, "Line too long"),
        (b"GET / HTTP/1.1\r\n" + b"X-A: b\r\n" * 101 + b"\r\n", 431, "Too many headers"),
        (b"GET / HTTP/2.0\r\n\r\n", 505, "Invalid HTTP version (2.0)"),
        (b"garbage\r\n\r\n", 400, "garbage"),
        (b"GET / HTTP/1.1\r\nHost a\r\n\r\n", 400, "malformed header line 'Host a'"),
        (b"GET / HTTP/1.1\r\nHo st: a\r\n\r\n", 400, "expected 'Name: value'"),
        (
            b"GET /v2/customer_sessions/s1 HTTP/1.1\r\nAuthorization: ApiKey-v1 k\xe9y\r\n\r\n",
            401,
            "Invalid API key",
        ),
    ],
    ids=[
        "unknown-method",
        "trace",
        "bad-content-length",
        "negative-content-length",
        "two-content-lengths",
        "bad-chunk-size",
        "long-request-line",
        "long-header",
        "too-many-headers",
        "http2",
        "garbage",
        "header-without-colon",
        "header-name-with-space",
        "non-ascii-authorization",
    ],
)
def test_framing_errors_are_json_in_the_error_shape(
    base_url: str, request_bytes: bytes, status: int, named: str
) -> None:
    got, body = status_and_json(send_raw(base_url, request_bytes))
    assert got == status
    assert named in str(body["message"])
    assert body["StatusCode"] == status
    assert httpx.get(base_url + "/_fake/clock").status_code == 401  # still serving


def test_a_body_over_the_limit_is_a_413_without_reading_it(base_url: str) -> None:
    head = f"PUT /v2/customer_sessions/s1 HTTP/1.1\r\nContent-Length: {DEFAULT_MAX_BODY + 1}\r\n".encode()
    status, body = status_and_json(send_raw(base_url, head + AUTH + b"\r\n" + b"{" * 100_000))
    assert status == 413
    assert str(DEFAULT_MAX_BODY) in str(body["message"])


def test_the_body_limit_is_configurable_and_counts_chunked_bodies() -> None:
    fake = FakeTalon()
    with fake.serve(max_body=100) as url:
        chunked = b"PUT /v2/customer_sessions/s1 HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
        chunked += b"".join(b"20\r\n" + b" " * 32 + b"\r\n" for _ in range(4)) + b"0\r\n\r\n"
        status, _ = status_and_json(send_raw(url, chunked))
        assert status == 413
        small = httpx.put(url + "/v2/customer_sessions/s1", content=b"{}" + b" " * 90)
        assert small.status_code == 401  # read, then refused for its missing key


def test_deeply_nested_json_is_a_400_also_in_process(fake: FakeTalon, base_url: str) -> None:
    body = '{"customerSession": {"attributes": {"a": ' + "[" * 1000 + "]" * 1000 + "}}}"
    headers = {"Authorization": f"ApiKey-v1 {fake.api_key}", "Content-Type": "application/json"}
    over_http = httpx.put(base_url + "/v2/customer_sessions/s1", content=body, headers=headers)
    in_process = fake.handle(
        httpx.Request("PUT", fake.base_url + "/v2/customer_sessions/s2", content=body, headers=headers)
    )
    for answer in (over_http, in_process):
        assert answer.status_code == 400
        assert f"at most {MAX_JSON_DEPTH}" in answer.json()["message"]
    assert fake.requests[-1].status == 400


@pytest.mark.parametrize(
    "body",
    [b"{", b'{"customerSession": 5}', b"\xff\xfe", b'{"customerSession": {"cartItems": "many"}}', b"[]"],
    ids=["truncated", "wrong-type", "not-utf8", "wrong-nested-type", "array"],
)
def test_malformed_bodies_are_a_400_naming_what_is_wrong(fake: FakeTalon, client: httpx.Client, body: bytes) -> None:
    answer = client.put("/v2/customer_sessions/s1", content=body)
    assert answer.status_code == 400
    assert answer.json()["message"]


def test_a_stalled_connection_does_not_block_others_and_is_closed_after_the_read_timeout() -> None:
    fake = FakeTalon()
    with fake.serve(read_timeout=0.3) as url, connect(url) as stalled:
        stalled.sendall(b"PUT /v2/customer_sessions/s1 HTTP/1.1\r\nContent-Length: 100\r\n\r\n{")  # then nothing
        assert httpx.get(url + "/_fake/clock", headers=_auth(fake)).status_code == 200
        stalled.settimeout(10)
        assert stalled.recv(1024) == b""  # closed by the server, nothing answered


def test_reset_and_idle_connections_do_not_stop_the_server(fake: FakeTalon, base_url: str) -> None:
    idle = [connect(base_url) for _ in range(5)]
    for _ in range(5):
        with connect(base_url) as sock:
            sock.sendall(b"PUT /v2/customer_sessions/s1 HTTP/1.1\r\nContent-Length: 50\r\n\r\n{")
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # close = RST
    try:
        assert httpx.put(base_url + "/v2/customer_sessions/s1", json=SESSION, headers=_auth(fake)).status_code == 200
    finally:
        for sock in idle:
            sock.close()


def test_connections_over_the_cap_get_a_json_503_and_the_rest_are_served() -> None:
    with LoopbackServer(lambda r: httpx.Response(200, json={}), max_connections=2) as server:
        held = [connect(server.base_url) for _ in range(2)]
        try:
            for sock in held:  # make sure both are accepted and counted
                sock.sendall(b"GET / HTTP/1.1\r\n\r\n")
                sock.recv(1024)
            status, body = status_and_json(send_raw(server.base_url, b"GET / HTTP/1.1\r\n\r\n"))
            assert status == 503
            assert "at most 2 connections" in str(body["message"])
        finally:
            for sock in held:
                sock.close()


def test_stop_drops_a_half_received_request_instead_of_handling_it() -> None:
    seen: list[httpx.Request] = []
    server = LoopbackServer(lambda r: seen.append(r) or httpx.Response(200)).start()  # type: ignore[func-returns-value]
    with connect(server.base_url) as sock:
        sock.sendall(b"PUT /x HTTP/1.1\r\nContent-Length: 100\r\n\r\n{")
        threading.Event().wait(0.05)  # let the server start reading the body (not a readiness wait: any time works)
        server.stop(timeout=2)
        sock.settimeout(5)
        assert sock.recv(1024) == b""
    assert seen == []


def test_the_request_log_is_bounded() -> None:
    fake = FakeTalon(max_requests=3)
    for index in range(5):
        fake.handle(httpx.Request("GET", f"{fake.base_url}/v2/customer_sessions/s{index}", headers=_auth(fake)))
    assert [r.path for r in fake.requests] == [f"/v2/customer_sessions/s{i}" for i in (2, 3, 4)]


def _auth(fake: FakeTalon) -> dict[str, str]:
    return {"Authorization": f"ApiKey-v1 {fake.api_key}"}


@pytest.fixture(autouse=True)
def _no_thread_left() -> Iterator[None]:
    before = set(threading.enumerate())
    yield
    left = [t for t in set(threading.enumerate()) - before if t.name.startswith("talon-fake") and t.is_alive()]
    assert left == []
