"""The loopback server: a real HTTP/1.1 server over a stand-in handler, reached by httpx and urllib3."""

from __future__ import annotations

import socket
import statistics
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
import urllib3

from pytest_talon.errors import TalonError
from pytest_talon.fake.http.server import FakeServerError, LoopbackServer, ServedRequest, serve
from tests.fake_adapters._echo import Echo


@pytest.fixture
def echo_url() -> Iterator[str]:
    with serve(Echo()) as base_url:
        yield base_url


def other_threads() -> set[threading.Thread]:
    return set(threading.enumerate()) - {threading.current_thread()}


def test_serve_yields_a_ready_loopback_base_url(echo_url: str) -> None:
    assert echo_url.startswith("http://127.0.0.1:")
    assert int(echo_url.rsplit(":", 1)[1]) > 0
    response = httpx.post(echo_url + "/v2/events", content=b'{"type":"x"}', headers={"Authorization": "ApiKey-v1 k"})
    assert response.status_code == 200
    assert response.json() == {
        "method": "POST",
        "rawPath": "/v2/events",
        "body": '{"type":"x"}',
        "authorization": "ApiKey-v1 k",
    }


def test_the_raw_percent_encoded_path_and_query_reach_the_handler_unchanged() -> None:
    echo = Echo()
    with serve(echo) as base_url:
        raw = "/v2/customer_sessions/a%2Fb%25c%20d?sessionId=x%2Fy&dry=true"
        assert httpx.get(base_url + raw).json()["rawPath"] == raw
    request = echo.requests[0]
    assert request.url.raw_path == raw.encode()
    assert request.url.path == "/v2/customer_sessions/a/b%c d"
    assert request.url.params["sessionId"] == "x/y"
    assert str(request.url).startswith(base_url + "/")


def test_urllib3_keeps_one_connection_alive_across_requests_and_chunked_bodies_are_decoded(echo_url: str) -> None:
    with urllib3.PoolManager(maxsize=1, block=True) as pool:
        answers = [pool.request("PUT", echo_url + f"/p/{i}", body=b"x" * i).json() for i in range(5)]
        chunked = pool.request("POST", echo_url + "/chunked", body=iter([b"ab", b"", b"cd"]), chunked=True)
        connections = pool.connection_from_url(echo_url).num_connections
    assert [a["body"] for a in answers] == ["", "x", "xx", "xxx", "xxxx"]
    assert chunked.json()["body"] == "abcd"
    assert connections == 1


def test_requests_library_works_when_installed(echo_url: str) -> None:
    import requests

    with requests.Session() as session:
        assert session.delete(echo_url + "/v1/x%2Fy", data=b"z").json()["rawPath"] == "/v1/x%2Fy"


def test_concurrent_requests_are_served_in_parallel_threads() -> None:
    # Given a handler that only answers once 4 requests are inside it at the same time
    barrier = threading.Barrier(4, timeout=10)

    def rendezvous(request: httpx.Request) -> httpx.Response:
        barrier.wait()
        return httpx.Response(200, text=request.url.path)

    # When 4 threads each send requests at once, Then all are answered (a serial server would break the barrier)
    with serve(rendezvous) as base_url, ThreadPoolExecutor(4) as pool:
        paths = list(pool.map(lambda i: httpx.get(f"{base_url}/t{i}").text, range(8)))
    assert paths == [f"/t{i}" for i in range(8)]


def test_a_handler_exception_becomes_a_500_and_the_server_keeps_serving() -> None:
    def flaky(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/boom":
            raise RuntimeError("kaput")
        return httpx.Response(204)

    with serve(flaky) as base_url, httpx.Client(base_url=base_url) as client:
        crashed = client.get("/boom")
        after = client.delete("/fine")
    assert crashed.status_code == 500
    assert "RuntimeError: kaput" in crashed.json()["message"]
    assert "bug in the fake" in crashed.json()["message"]
    assert (after.status_code, after.content) == (204, b"")


def test_head_and_204_answers_carry_no_body(echo_url: str) -> None:
    with httpx.Client() as client:
        head = client.head(echo_url + "/x")
        again = client.get(echo_url + "/y")  # the same keep-alive connection is still in sync
    assert head.status_code == 200
    assert head.content == b""
    assert again.json()["rawPath"] == "/y"


def test_on_request_is_called_once_per_answered_request() -> None:
    seen: list[ServedRequest] = []
    with serve(Echo(status=201), on_request=seen.append) as base_url:
        httpx.put(base_url + "/v2/customer_profiles/p%2F1?runRuleEngine=true")
    assert [(s.method, s.path, s.status) for s in seen] == [
        ("PUT", "/v2/customer_profiles/p%2F1?runRuleEngine=true", 201)
    ]
    assert seen[0].duration_ms >= 0


def send_raw(base_url: str, data: bytes) -> bytes:
    """Send ``data`` on a fresh connection and return the first bytes answered."""
    host, port = base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        sock.sendall(data)
        return sock.recv(65536)


@pytest.mark.parametrize(
    "request_bytes",
    [
        b"POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: many\r\n\r\n",
        b"POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        b"OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n",
    ],
    ids=["bad-content-length", "bad-chunk-size", "asterisk-target"],
)
def test_a_malformed_request_gets_a_400_not_a_crash(echo_url: str, request_bytes: bytes) -> None:
    assert send_raw(echo_url, request_bytes).startswith(b"HTTP/1.1 400 ")
    assert httpx.get(echo_url + "/still-alive").status_code == 200


def test_expect_100_continue_is_answered_before_the_body_is_sent(echo_url: str) -> None:
    with socket.create_connection(_address(echo_url), timeout=5) as sock:
        sock.sendall(b"PUT /x HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n")
        assert sock.recv(65536) == b"HTTP/1.1 100 Continue\r\n\r\n"
        sock.sendall(b"{}")
        answer = sock.recv(65536)
    assert answer.startswith(b"HTTP/1.1 200 OK\r\n")
    assert answer.endswith(b'"body":"{}","authorization":null}')


def test_expect_100_continue_with_a_body_over_the_limit_is_a_413_without_asking_for_it() -> None:
    with serve(Echo(), max_body=10) as base_url, socket.create_connection(_address(base_url), timeout=5) as sock:
        sock.sendall(b"PUT /x HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\nExpect: 100-continue\r\n\r\n")
        assert sock.recv(65536).startswith(b"HTTP/1.1 413 Request Entity Too Large\r\n")


def test_http_1_0_answers_close_the_connection_unless_it_asks_for_keep_alive(echo_url: str) -> None:
    with socket.create_connection(_address(echo_url), timeout=5) as sock:
        sock.sendall(b"GET /old HTTP/1.0\r\n\r\n")
        answer = b"".join(iter(lambda: sock.recv(65536), b""))  # until the server closes
    assert answer.startswith(b"HTTP/1.1 200 OK\r\n")
    assert b"\r\nConnection: close\r\n" in answer
    with socket.create_connection(_address(echo_url), timeout=5) as sock:
        for path in (b"/a", b"/b"):
            sock.sendall(b"GET " + path + b" HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            answer = sock.recv(65536)
            assert b'"rawPath":"' + path + b'"' in answer
            assert b"Connection: close" not in answer


def _address(base_url: str) -> tuple[str, int]:
    host, port = base_url.removeprefix("http://").split(":")
    return host, int(port)


def test_raw_non_ascii_bytes_in_the_target_reach_the_handler_percent_escaped(echo_url: str) -> None:
    answer = send_raw(echo_url, "GET /v2/customer_profiles/j\u00fcrgen HTTP/1.1\r\nHost: a\r\n\r\n".encode())
    assert answer.startswith(b"HTTP/1.1 200 ")
    assert b'"rawPath":"/v2/customer_profiles/j%C3%BCrgen"' in answer


def test_a_taken_port_raises_at_once_with_a_clear_message() -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        started = time.perf_counter()
        with pytest.raises(FakeServerError, match=f"cannot listen on 127.0.0.1:{port}.*port=0") as info:
            LoopbackServer(Echo(), port=port).start()
        assert time.perf_counter() - started < 1.0
    assert isinstance(info.value, TalonError)


def test_an_impossible_port_fails_at_once() -> None:
    with pytest.raises(FakeServerError, match=r"cannot listen on 127\.0\.0\.1:70000: not a port number"):
        LoopbackServer(Echo(), port=70000).start()


def test_an_unknown_host_fails_to_bind_at_once() -> None:
    with pytest.raises(FakeServerError, match=r"cannot listen on 192\.0\.2\.1"):
        LoopbackServer(Echo(), host="192.0.2.1").start()  # TEST-NET-1: never a local address


def test_start_returns_ready_and_stop_leaves_no_thread_behind_even_with_idle_keep_alive_clients() -> None:
    before = other_threads()
    server = LoopbackServer(Echo()).start()
    assert server.running
    with httpx.Client() as client:  # keeps its connection open after the answer
        assert client.get(server.base_url + "/one").status_code == 200
        assert other_threads() - before  # the acceptor and the connection thread
        started = time.perf_counter()
        server.stop()
        stop_seconds = time.perf_counter() - started
    assert other_threads() == before
    assert not server.running
    assert stop_seconds < 1.0
    server.stop()  # a second stop is harmless


def test_start_plus_stop_is_cheap_enough_for_a_server_per_test() -> None:
    timings = []
    for _ in range(7):
        started = time.perf_counter()
        LoopbackServer(Echo()).start().stop()
        timings.append(time.perf_counter() - started)
    # The target is < 50 ms (see bench/bench_fake.py); the bound here only catches a polling loop creeping back in.
    assert statistics.median(timings) < 0.25


def test_a_server_can_be_restarted_but_not_started_twice() -> None:
    server = LoopbackServer(Echo())
    with server:
        with pytest.raises(FakeServerError, match="already running"):
            server.start()
        first = server.base_url
    with server:
        assert httpx.get(server.base_url + "/again").status_code == 200
    assert first.startswith("http://127.0.0.1:")


def test_stop_lets_a_request_in_progress_finish_with_its_answer() -> None:
    entered, release = threading.Event(), threading.Event()

    def slow(request: httpx.Request) -> httpx.Response:
        entered.set()
        release.wait(10)
        return httpx.Response(200, text="finished")

    server = LoopbackServer(slow).start()
    with ThreadPoolExecutor(2) as pool:
        answer = pool.submit(httpx.get, server.base_url + "/slow")
        assert entered.wait(10)
        stopping = pool.submit(server.stop)  # stop() waits for the connection thread...
        release.set()  # ...which finishes its answer once the handler returns
        stopping.result(timeout=10)
        assert answer.result(timeout=10).text == "finished"
    assert not server.running
