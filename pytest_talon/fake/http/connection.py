"""One client connection of the loopback server: reads each request, answers it with the server's handler, and
acts out transport faults (a reset, a stall, a truncated answer) an injected fault asks for.

May import: :mod:`.framing` and :mod:`.guards` (the transport-fault extension key).
"""

from __future__ import annotations

import logging
import re
import select
import socket
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, NamedTuple, Protocol

import httpx

from pytest_talon.fake.http.framing import (
    MAX_LINE,
    Dropped,
    FramingError,
    RequestHead,
    check_host,
    encode_answer,
    error_json,
    raw_error_response,
    read_body,
    read_head,
)
from pytest_talon.fake.http.guards import TRANSPORT_FAULT

if TYPE_CHECKING:
    from pytest_talon.fake.http.adapters import Handler

__all__ = ["Connection", "RequestLog", "ServedRequest", "Server"]

_log = logging.getLogger("pytest_talon.fake.http.server")

_NON_ASCII = re.compile(rb"[\x80-\xff]")
#: Seconds between checks, during a stall fault, that the client or the server has not gone.
_STALL_TICK = 0.2
#: Headers describing the transfer of a body, which the server sets itself (the handler's body is already decoded).
_TRANSFER_HEADERS = frozenset(
    {"connection", "content-encoding", "content-length", "keep-alive", "transfer-encoding", "date", "server"}
)


class ServedRequest(NamedTuple):
    """One request the server answered: what the request-log callback receives."""

    method: str
    path: str
    status: int
    duration_ms: float


RequestLog = Callable[[ServedRequest], None]


class Server(Protocol):
    """What a connection needs of its server (:class:`~pytest_talon.fake.http.server.LoopbackServer`)."""

    handler: Handler
    max_body: int
    allowed_hosts: frozenset[str] | None
    stopping: bool
    url: httpx.URL

    def report(self, served: ServedRequest) -> None: ...


class Connection:
    """Serves the requests of one client connection (in its own thread), turning each into an :class:`httpx.Request`
    and writing each answer with one ``sendall``."""

    def __init__(self, server: Server, conn: socket.socket) -> None:
        self.server = server
        self.conn = conn
        self.rfile = conn.makefile("rb")

    def serve(self) -> None:
        """Answer requests until the client closes, a request asks to close, or the server stops."""
        try:
            while self._answer_one() and not self.server.stopping:
                pass
        finally:
            self.rfile.close()

    def _answer_one(self) -> bool:
        """Read and answer one request; whether the connection stays open."""
        line = self.rfile.readline(MAX_LINE + 1)
        if not line:
            return False
        try:
            head = read_head(line, self.rfile)
        except FramingError as exc:
            self._send_error(exc.status, exc.message, exc.headers)
            return False
        if head is None:
            return False
        started = time.perf_counter()
        path = head.target.decode("latin-1")
        try:
            if self.server.allowed_hosts is not None:
                check_host(head, self.server.allowed_hosts)
            request = self._to_httpx(head)
        except Dropped:
            return False
        except FramingError as exc:
            self._send_error(exc.status, exc.message, exc.headers, head.method)
            self.server.report(ServedRequest(head.method, path, exc.status, _ms_since(started)))
            return False
        except (ValueError, httpx.InvalidURL) as exc:
            self._send_error(400, f"malformed request: {exc}", {}, head.method)
            self.server.report(ServedRequest(head.method, path, 400, _ms_since(started)))
            return False
        try:
            response = self.server.handler(request)
            body = response.read()
        except Exception as exc:
            _log.exception("talon-fake: the handler failed on %s %s", head.method, path)
            response, body = _crash_response(exc)
        acted = response.extensions.get(TRANSPORT_FAULT)
        if acted is not None:  # a reset, a stall or a truncated answer: the connection ends with it
            self._act_out(head, response, body, acted)
            self.server.report(ServedRequest(head.method, path, 0, _ms_since(started)))
            return False
        self._send(head, response, body)
        self.server.report(ServedRequest(head.method, path, response.status_code, _ms_since(started)))
        return head.keep_alive

    def _act_out(self, head: RequestHead, response: httpx.Response, body: bytes, acted: tuple[str, float]) -> None:
        """Fail the transport as an injected fault says: ``reset`` sends nothing; ``stall`` sends nothing for its
        seconds (less when the client gives up or the server stops); ``truncated`` sends half the body under the
        full ``Content-Length``. The connection is closed after it."""
        kind, seconds = acted
        if kind == "truncated":
            self._send(head, response, body, cut=True)
        elif kind == "stall":
            deadline = time.monotonic() + seconds
            while not self.server.stopping and (left := deadline - time.monotonic()) > 0:
                readable, _, _ = select.select([self.conn], [], [], min(left, _STALL_TICK))
                if readable:
                    break  # the client closed (or sent more): the stall is over for it

    def _to_httpx(self, head: RequestHead) -> httpx.Request:
        body = read_body(head, self.rfile, self.server.max_body, self._continue)
        if self.server.stopping:
            raise Dropped  # stop() was called while the request was still arriving
        # The target goes on as the bytes received, non-ASCII bytes escaped as a client would; the headers too, so
        # a non-ASCII value reaches the handler (and fails authentication).
        target = head.target if head.target.isascii() else _NON_ASCII.sub(_escape, head.target)
        url = self.server.url.copy_with(raw_path=target)
        return httpx.Request(head.method, url, headers=head.headers, content=body)

    def _continue(self) -> None:
        self.conn.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")

    def _send(self, head: RequestHead, response: httpx.Response, body: bytes, *, cut: bool = False) -> None:
        status = response.status_code
        headers = [(k, v) for k, v in response.headers.multi_items() if k.lower() not in _TRANSFER_HEADERS]
        if status >= 200 and status not in (204, 304):
            headers.append(("Content-Length", str(len(body))))
        if not head.keep_alive:
            headers.append(("Connection", "close"))
        if head.method == "HEAD" or status in (204, 304):
            body = b""
        if cut:
            body = body[: len(body) // 2]
        self.conn.sendall(encode_answer(status, response.reason_phrase, headers, body))

    def _send_error(self, status: int, message: str, headers: Mapping[str, str], method: str = "") -> None:
        """Answer in JSON, in the API's error shape, and close the connection."""
        self.conn.sendall(raw_error_response(status, message, headers, body=method != "HEAD"))


def _escape(match: re.Match[bytes]) -> bytes:
    return b"%%%02X" % match.group()[0]


def _crash_response(exc: Exception) -> tuple[httpx.Response, bytes]:
    kind = type(exc).__name__
    message = f"talon-fake: the handler raised {kind}: {exc}. This is a bug in the fake; please report it."
    body = error_json(500, message)
    return httpx.Response(500, headers={"Content-Type": "application/json"}, content=body), body


def _ms_since(started: float) -> float:
    return (time.perf_counter() - started) * 1000.0
