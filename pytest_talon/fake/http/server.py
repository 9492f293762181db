"""A real HTTP/1.1 server on the loopback interface that answers every request with a handler.

Built on the standard library only. ``start()`` binds and listens before it returns (so the server is ready, and a
taken port fails at once); a background thread accepts connections and serves each in its own thread, with
keep-alive; ``stop()`` wakes the accept loop through a socket pair (no polling interval), ends idle keep-alive
connections and joins every thread.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import re
import selectors
import socket
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler
from types import TracebackType
from typing import TYPE_CHECKING, NamedTuple

import httpx
from typing_extensions import Self

from pytest_talon.errors import TalonError

if TYPE_CHECKING:
    from pytest_talon.fake.http.adapters import Handler

__all__ = ["FakeServerError", "LoopbackServer", "ServedRequest", "serve"]

_log = logging.getLogger(__name__)

_NON_ASCII = re.compile(rb"[\x80-\xff]")
_MAX_LINE = 65537

#: Seconds ``stop()`` waits for a connection thread still busy with a request before giving up on it.
_JOIN_TIMEOUT = 5.0
#: Headers describing the transfer of a body, which the server sets itself (the handler's body is already decoded).
_TRANSFER_HEADERS = frozenset(
    {"connection", "content-encoding", "content-length", "keep-alive", "transfer-encoding", "date", "server"}
)


class FakeServerError(TalonError):
    """The loopback server could not start (for example, its port is taken) or was used in the wrong state."""


class ServedRequest(NamedTuple):
    """One request the server answered: what the request-log callback receives."""

    method: str
    path: str
    status: int
    duration_ms: float


RequestLog = Callable[[ServedRequest], None]


class _Connection(BaseHTTPRequestHandler):
    """Serves the requests of one client connection (one thread), turning each into an :class:`httpx.Request`."""

    protocol_version = "HTTP/1.1"
    server_version = "talon-fake"
    # One send per answer: headers and body are buffered and flushed together, and Nagle would only add latency.
    wbufsize = -1
    disable_nagle_algorithm = True
    server: LoopbackServer  # type: ignore[assignment]

    def version_string(self) -> str:
        """The ``Server`` header: just ``talon-fake``."""
        return self.server_version

    def log_message(self, format: str, *args: object) -> None:
        """Silence the stdlib's access log: requests are reported through the server's ``on_request`` callback."""

    def _serve(self) -> None:
        started = time.perf_counter()
        try:
            request = self._to_httpx()
        except (ValueError, httpx.InvalidURL) as exc:
            self.send_error(400, f"talon-fake: malformed request ({exc})")
            self.server.report(ServedRequest(self.command, self.path, 400, _ms_since(started)))
            return
        try:
            response = self.server.handler(request)
            body = response.read()
        except Exception as exc:
            _log.exception("talon-fake: the handler failed on %s %s", self.command, self.path)
            response, body = _crash_response(exc)
        self._send(response, body)
        self.server.report(ServedRequest(self.command, self.path, response.status_code, _ms_since(started)))

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _serve

    def _to_httpx(self) -> httpx.Request:
        body = self._read_body()
        headers = [(k, v) for k, v in self.headers.items() if k.lower() not in ("transfer-encoding", "content-length")]
        # http.server decoded the target as latin-1: back to the bytes sent, non-ASCII bytes escaped as a client would.
        raw_target = _NON_ASCII.sub(lambda m: b"%%%02X" % m.group()[0], self.path.encode("latin-1"))
        url = httpx.URL(self.server.base_url).copy_with(raw_path=raw_target)
        return httpx.Request(self.command, url, headers=headers, content=body)

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return _read_chunked(self.rfile)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _send(self, response: httpx.Response, body: bytes) -> None:
        status = response.status_code
        self.send_response(status, response.reason_phrase)
        for name, value in response.headers.multi_items():
            if name.lower() not in _TRANSFER_HEADERS:
                self.send_header(name, value)
        if status >= 200 and status not in (204, 304):
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD" and status not in (204, 304):
            self.wfile.write(body)


def _read_chunked(rfile: io.BufferedIOBase) -> bytes:
    """Decode a ``Transfer-Encoding: chunked`` request body; ValueError when it is malformed."""
    chunks: list[bytes] = []
    while True:
        size = int(rfile.readline(_MAX_LINE).split(b";", 1)[0].strip(), 16)
        if size < 0:
            raise ValueError(f"negative chunk size {size}")
        if size == 0:
            break
        chunks.append(rfile.read(size))
        rfile.readline(_MAX_LINE)
    while rfile.readline(_MAX_LINE) not in (b"\r\n", b"\n", b""):
        pass  # trailers
    return b"".join(chunks)


def _crash_response(exc: Exception) -> tuple[httpx.Response, bytes]:
    kind = type(exc).__name__
    message = f"talon-fake: the handler raised {kind}: {exc}. This is a bug in the fake; please report it."
    body = json.dumps({"message": message, "errors": [], "StatusCode": 500}).encode()
    return httpx.Response(500, headers={"Content-Type": "application/json"}, content=body), body


def _ms_since(started: float) -> float:
    return (time.perf_counter() - started) * 1000.0


class LoopbackServer:
    """An HTTP/1.1 server answering every request with ``handler``, for clients in any language or library.

    ``port=0`` picks a free port; :attr:`base_url` says which. ``on_request`` (optional) is called once per answered
    request with a :class:`ServedRequest`. A handler exception becomes a 500 and never stops the server.
    """

    def __init__(
        self,
        handler: Handler,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        on_request: RequestLog | None = None,
    ) -> None:
        self.handler = handler
        self.host = host
        self.port = port
        self.on_request = on_request
        self._listener: socket.socket | None = None
        self._wake: tuple[socket.socket, socket.socket] | None = None
        self._acceptor: threading.Thread | None = None
        self._connections: dict[threading.Thread, socket.socket] = {}
        self._lock = threading.Lock()
        self._lifecycle = threading.Lock()

    @property
    def base_url(self) -> str:
        """``http://HOST:PORT`` of the running server (the real port once started)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def running(self) -> bool:
        """Whether the server is started and not yet stopped."""
        return self._listener is not None

    def start(self) -> Self:
        """Bind, listen and start serving; raise :class:`FakeServerError` at once if the address cannot be bound."""
        with self._lifecycle:
            if self._listener is not None:
                raise FakeServerError(f"the server at {self.base_url} is already running: stop() it before start()")
            listener = self._listen()
            listener.setblocking(False)
            self._listener, self.port = listener, listener.getsockname()[1]
            self._wake = socket.socketpair()
            self._acceptor = threading.Thread(target=self._accept_loop, name=f"talon-fake:{self.port}", daemon=True)
            self._acceptor.start()
        return self

    def _listen(self) -> socket.socket:
        if not 0 <= self.port <= 65535:
            raise FakeServerError(f"cannot listen on {self.host}:{self.port}: not a port number (0-65535)")
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        try:
            return socket.create_server((self.host, self.port), family=family)
        except OSError as exc:
            reason = str(exc.strerror or exc).rstrip(".")
            raise FakeServerError(
                f"cannot listen on {self.host}:{self.port}: {reason}. "
                "Pass port=0 for a free port, or stop whatever holds this one."
            ) from exc

    def stop(self) -> None:
        """Stop accepting, end idle keep-alive connections and join every thread. Safe to call twice."""
        with self._lifecycle:
            listener, wake, acceptor = self._listener, self._wake, self._acceptor
            if listener is None or wake is None or acceptor is None:
                return
            wake[1].send(b"x")
            acceptor.join()
            listener.close()
            for sock in wake:
                sock.close()
            self._listener = self._wake = self._acceptor = None
        self._end_connections()

    def report(self, served: ServedRequest) -> None:
        """Pass one answered request to the ``on_request`` callback (its errors are logged, never raised)."""
        if self.on_request is None:
            return
        try:
            self.on_request(served)
        except Exception:
            _log.exception("talon-fake: the on_request callback failed")

    def _accept_loop(self) -> None:
        listener, wake = self._listener, self._wake
        if listener is None or wake is None:
            return
        with selectors.DefaultSelector() as selector:
            selector.register(listener, selectors.EVENT_READ)
            selector.register(wake[0], selectors.EVENT_READ)
            while all(key.fileobj is listener for key, _ in selector.select()):
                self._accept(listener)

    def _accept(self, listener: socket.socket) -> None:
        try:
            conn, address = listener.accept()
        except (BlockingIOError, InterruptedError, ConnectionError):
            return  # the client gave up between select() and accept()
        except OSError:
            _log.exception("talon-fake: accept() failed on %s", self.base_url)
            return
        conn.setblocking(True)
        thread = threading.Thread(target=self._serve_connection, args=(conn, address), daemon=True)
        with self._lock:
            self._connections[thread] = conn
        thread.start()

    def _serve_connection(self, conn: socket.socket, address: tuple[str, int]) -> None:
        try:
            _Connection(conn, address, self)  # type: ignore[arg-type]
        except OSError:
            pass  # the client went away mid-request; nothing to answer
        except Exception:
            _log.exception("talon-fake: a connection to %s failed", self.base_url)
        finally:
            with contextlib.suppress(OSError):
                conn.close()
            with self._lock:
                self._connections.pop(threading.current_thread(), None)

    def _end_connections(self) -> None:
        with self._lock:
            connections = list(self._connections.items())
        for _, conn in connections:
            # Ends a connection waiting for its next request; one busy with a request still sends its answer.
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RD)
        deadline = time.monotonic() + _JOIN_TIMEOUT
        for thread, _ in connections:
            if thread is not threading.current_thread():  # stop() may be called from a handler
                thread.join(max(0.0, deadline - time.monotonic()))

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


@contextlib.contextmanager
def serve(
    handler: Handler, host: str = "127.0.0.1", port: int = 0, *, on_request: RequestLog | None = None
) -> Iterator[str]:
    """Run a :class:`LoopbackServer` for the ``with`` block and yield its base URL (``http://127.0.0.1:PORT``)."""
    with LoopbackServer(handler, host, port, on_request=on_request) as server:
        yield server.base_url
