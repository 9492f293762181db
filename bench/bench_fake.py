"""P1, P3 and server start/stop: the fake's three ways in against static answers of the same bytes.

Run: ``python -m bench.bench_fake [--quick]``. Every side sends the scenario of :mod:`bench._scenario`
(``update_customer_session_v2``, 10 cart items, 3 campaigns, a coupon); P1 through a
:class:`~pytest_talon.TalonClient`, P3 and start/stop as plain httpx requests of the same bytes:

- P1: through ``FakeTalon.transport()`` vs a static respx route answering the fake's captured answer (an
  information row since issue #23: what users feel is P6, a suite; it must stay under 2.5x), and (for
  information) the server side alone: ``fake.handle`` vs the respx route's transport, without a client; and P1's
  floor: a stateless stub that only reads the body with the fake's strict reader and answers the captured bytes,
  through the same client, vs the static route (what is left of 1.5x for the fake's state and rules);
- P3: requests/s over one keep-alive loopback connection to ``fake.serve()`` vs a stdlib ``ThreadingHTTPServer``
  (HTTP/1.1 keep-alive, TCP_NODELAY) answering the captured bytes;
- server start + one request + stop through ``fake.serve()`` (median ms).

Timed sides run in paired, interleaved rounds; ratios are medians of per-round ratios. Loopback only, bounded loops.
"""

from __future__ import annotations

import statistics
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx

from bench._common import Goal, Paired, Row, cli, ms, paired
from bench._scenario import (
    STATIC_URL,
    captured_answer,
    seeded_fake,
    session_body,
    static_respx_client,
    static_transport,
    wire_request,
)
from pytest_talon import TalonClient, models
from pytest_talon.fake.api.bodies import read_body
from pytest_talon.fake.http.adapters import HandlerTransport

P1_BASELINE = "static respx route, same client, same 2,251-byte answer"


def _session_updates(measured: TalonClient, static: TalonClient, rounds: int, batch: int) -> Paired:
    """P1's paired rounds: the scenario's session update through ``measured`` vs through ``static`` (a new session
    id per call)."""
    return paired(
        lambda i: measured.update_customer_session_v2(f"s{i}", session_body()),
        lambda i: static.update_customer_session_v2(f"s{i}", session_body()),
        rounds=rounds,
        batch=batch,
    )


def p1_transport(rounds: int, batch: int) -> Row:
    """P1: seconds per call through the fake's transport vs the static respx route."""
    raw = captured_answer()
    with seeded_fake().client() as fake_client, static_respx_client(raw) as static_client:
        result = _session_updates(fake_client, static_client, rounds, batch)
    return Row(
        "P1 update_customer_session_v2 via fake.transport() (information, with a ceiling)",
        P1_BASELINE.replace("2,251", f"{len(raw):,}"),
        f"{ms(result.measured)} vs {ms(result.baseline)} per request",
        result.ratio,
        "x",
        Goal("<=", 2.5),
    )


def p1_server_side(rounds: int, batch: int) -> Row:
    """P1 without the client: ``fake.handle`` of the scenario's request vs the static respx route's transport
    answering it (what each side of P1 adds to the client's own work, both measured in a loop of their own)."""
    raw = captured_answer()
    fake = seeded_fake()
    content, headers = wire_request(fake.api_key)
    static = static_transport(raw)

    def request(i: int) -> httpx.Request:
        return httpx.Request("PUT", f"{STATIC_URL}/v2/customer_sessions/s{i}", content=content, headers=headers)

    result = paired(
        lambda i: fake.handle(request(i)),
        lambda i: static.handle_request(request(i)).read(),
        rounds=rounds,
        batch=batch,
    )
    return Row(
        "P1's server side: fake.handle of the same request, no client",
        "the static respx route's transport answering it (read), no client",
        f"{ms(result.measured)} vs {ms(result.baseline)} per request",
        result.ratio,
        "x",
    )


def p1_floor(rounds: int, batch: int) -> Row:
    """P1's floor: the same client and calls against a stateless stub doing only what any fake that checks its input
    must - read the body strictly as ``IntegrationRequest`` (the fake's own reader) and answer the captured bytes -
    vs the static respx route. The value says what a 1.5x P1 leaves the fake's state and rules per request."""
    raw = captured_answer()

    def stub(request: httpx.Request) -> httpx.Response:
        read_body(request.read(), models.IntegrationRequest)
        return httpx.Response(200, content=raw, headers={"Content-Type": "application/json"})

    with (
        TalonClient(STATIC_URL, "bench-key", transport=HandlerTransport(stub)) as floor_client,
        static_respx_client(raw) as static_client,
    ):
        result = _session_updates(floor_client, static_client, rounds, batch)
    room = (1.5 - result.ratio) * result.baseline  # from the ratio: per-side medians come from different rounds
    return Row(
        "P1's floor: a stateless stub reading the body strictly, same client and calls",
        "P1's static respx route",
        f"{ms(result.measured)} vs {ms(result.baseline)} per request; at 1.5x the fake's state and rules would have "
        f"{ms(room)}",
        result.ratio,
        "x",
    )


def _static_handler(raw: bytes) -> type[BaseHTTPRequestHandler]:
    class Static(BaseHTTPRequestHandler):
        """Reads the request body and answers ``raw``: the cheapest keep-alive server the stdlib offers."""

        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def do_PUT(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def log_message(self, format: str, *args: object) -> None:
            """No access log."""

    return Static


@contextmanager
def stdlib_server(raw: bytes) -> Iterator[str]:
    """A stdlib ThreadingHTTPServer on a free loopback port answering ``raw`` to every PUT; yields its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _static_handler(raw))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="bench-stdlib-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def p3_loopback(rounds: int, batch: int) -> Row:
    """P3: keep-alive requests/s to ``fake.serve()`` vs the stdlib server: raw httpx, so the servers are compared."""
    raw = captured_answer()
    fake = seeded_fake()
    content, headers = wire_request(fake.api_key)
    with (
        fake.serve() as fake_url,
        stdlib_server(raw) as static_url,
        httpx.Client(base_url=fake_url, headers=headers) as fake_http,
        httpx.Client(base_url=static_url, headers=headers) as static_http,
    ):
        result = paired(
            lambda i: fake_http.put(f"/v2/customer_sessions/s{i}", content=content).raise_for_status(),
            lambda i: static_http.put(f"/v2/customer_sessions/s{i}", content=content).raise_for_status(),
            rounds=rounds,
            batch=batch,
        )
    return Row(
        "P3 loopback keep-alive requests/s, fake.serve()",
        "stdlib ThreadingHTTPServer (HTTP/1.1 keep-alive, TCP_NODELAY) answering the same bytes; "
        "one plain httpx.Client connection each",
        f"{1 / result.measured:.0f} vs {1 / result.baseline:.0f} requests/s",
        1 / result.ratio,
        "x",
        Goal(">=", 0.5),
    )


def start_request_stop(times: int) -> Row:
    """Median ms of ``fake.serve()`` start + one session update (a fresh connection) + stop."""
    fake = seeded_fake()
    content, headers = wire_request(fake.api_key)
    timings = []
    with httpx.Client() as http:
        for i in range(times):
            started = time.perf_counter()
            with fake.serve() as base_url:
                response = http.put(f"{base_url}/v2/customer_sessions/start{i}", content=content, headers=headers)
            timings.append(time.perf_counter() - started)
            assert response.status_code == 200, response.text
    median = statistics.median(timings)
    return Row(
        "server start + one request + stop, fake.serve()",
        f"none (absolute; median of {times}, max {max(timings) * 1e3:.1f} ms)",
        ms(median),
        median * 1e3,
        " ms",
        Goal("<=", 5),
    )


def rows(quick: bool) -> list[Row]:
    """The rows of this script; ``quick`` runs fewer, shorter rounds."""
    rounds, batch = (6, 15) if quick else (20, 50)
    return [
        p1_transport(rounds, batch),
        p1_server_side(rounds, batch),
        p1_floor(rounds, batch),
        p3_loopback(rounds, batch),
        start_request_stop(10 if quick else 50),
    ]


if __name__ == "__main__":
    sys.exit(cli(rows, __doc__))
