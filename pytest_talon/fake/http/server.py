"""A real HTTP/1.1 server on the loopback interface that answers every request with a handler.

Built on the standard library only. ``start()`` binds and listens before it returns (so the server is ready, and a
taken port fails at once); a background thread accepts connections and serves each in its own thread, with
keep-alive; ``stop()`` wakes the accept loop through a socket pair (no polling interval), ends idle keep-alive
connections and joins every thread.
"""

from __future__ import annotations

import contextlib
import logging
import re
import selectors
import socket
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler
from types import TracebackType
from typing import TYPE_CHECKING, Any, NamedTuple

import httpx
from typing_extensions import Self

from pytest_talon.errors import TalonError
from pytest_talon.fake.http.framing import (
    DEFAULT_MAX_BODY,
    MAX_LINE,
    Dropped,
    FramingError,
    error_json,
    raw_error_response,
    read_body,
)

if TYPE_CHECKING:
    from pytest_talon.fake.http.adapters import Handler

__all__ = [
    "DEFAULT_MAX_CONNECTIONS",
    "DEFAULT_READ_TIMEOUT",
    "DEFAULT_STOP_TIMEOUT",
    "FakeServerError",
    "LoopbackServer",
    "ServedRequest",
    "serve",
]

_log = logging.getLogger(__name__)

_NON_ASCII = re.compile(rb"[\x80-\xff]")
_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")

#: Seconds a connection may stay silent (mid-request or idle between requests) before the server closes it.
DEFAULT_READ_TIMEOUT = 30.0
#: Connections served at once; one more is answered 503 and closed.
DEFAULT_MAX_CONNECTIONS = 100
#: Seconds a closing connection waits for the client to read the last answer (and to stop sending).
_LINGER = 0.5
#: Seconds ``stop()`` waits for connection threads still busy with a request before giving up on them.
DEFAULT_STOP_TIMEOUT = 5.0
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

    def setup(self) -> None:
        """Give the connection the server's read timeout, so a stalled client cannot hold its thread forever."""
        super().setup()
        self.connection.settimeout(self.server.read_timeout)

    def version_string(self) -> str:
        """The ``Server`` header: just ``talon-fake``."""
        return self.server_version

    def log_message(self, format: str, *args: object) -> None:
        """Silence the stdlib's access log: requests are reported through the server's ``on_request`` callback."""

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Answer a request the stdlib could not parse in JSON, in the API's error shape (never an HTML page)."""
        headers = {}
        if code == 501:  # the stdlib's answer to a method without a do_<METHOD>
            code, headers = 405, {"Allow": ", ".join(_METHODS)}
            message = f"the method {self.command!r} is not allowed; use one of {', '.join(_METHODS)}"
        elif code == 414:
            message = f"the request line is longer than {MAX_LINE} bytes; shorten the URL"
        self._send_error_json(code, message or explain or "malformed HTTP request", headers)

    def _send_error_json(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        if self.request_version == "HTTP/0.9":  # set before the request line was understood: answer HTTP/1.1
            self.request_version = "HTTP/1.1"
        body = error_json(status, message)
        self.send_response(status)
        for name, value in {"Content-Type": "application/json", **(headers or {})}.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _serve(self) -> None:
        started = time.perf_counter()
        try:
            request = self._to_httpx()
        except Dropped:
            self.close_connection = True
            return
        except FramingError as exc:
            self._send_error_json(exc.status, exc.message)
            self.server.report(ServedRequest(self.command, self.path, exc.status, _ms_since(started)))
            return
        except (ValueError, httpx.InvalidURL) as exc:
            self._send_error_json(400, f"malformed request: {exc}")
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
        body = read_body(self.headers, self.rfile, self.server.max_body)
        if self.server.stopping:
            raise Dropped  # stop() was called while the request was still arriving
        # Headers go on as the bytes received, so a non-ASCII value reaches the handler (and fails authentication).
        headers = [
            (k.encode("latin-1"), v.encode("latin-1"))
            for k, v in self.headers.items()
            if k.lower() not in ("transfer-encoding", "content-length")
        ]
        # http.server decoded the target as latin-1: back to the bytes sent, non-ASCII bytes escaped as a client would.
        raw_target = _NON_ASCII.sub(lambda m: b"%%%02X" % m.group()[0], self.path.encode("latin-1"))
        url = httpx.URL(self.server.base_url).copy_with(raw_path=raw_target)
        return httpx.Request(self.command, url, headers=headers, content=body)

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


def _crash_response(exc: Exception) -> tuple[httpx.Response, bytes]:
    kind = type(exc).__name__
    message = f"talon-fake: the handler raised {kind}: {exc}. This is a bug in the fake; please report it."
    body = error_json(500, message)
    return httpx.Response(500, headers={"Content-Type": "application/json"}, content=body), body


def _ms_since(started: float) -> float:
    return (time.perf_counter() - started) * 1000.0


class LoopbackServer:
    """An HTTP/1.1 server answering every request with ``handler``, for clients in any language or library.

    ``port=0`` picks a free port; :attr:`base_url` says which. ``on_request`` (optional) is called once per answered
    request with a :class:`ServedRequest`. A handler exception becomes a 500 and never stops the server. Limits:
    ``max_body`` bytes per request body (413 beyond), ``read_timeout`` seconds of silence before a connection is
    closed, ``max_connections`` served at once (503 beyond).
    """

    def __init__(
        self,
        handler: Handler,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        on_request: RequestLog | None = None,
        max_body: int = DEFAULT_MAX_BODY,
        read_timeout: float = DEFAULT_READ_TIMEOUT,
        max_connections: int = DEFAULT_MAX_CONNECTIONS,
    ) -> None:
        self.handler = handler
        self.host = host
        self.port = port
        self.on_request = on_request
        self.max_body = max_body
        self.read_timeout = read_timeout
        self.max_connections = max_connections
        #: Set by :meth:`stop`: requests still arriving are dropped instead of handled.
        self.stopping = False
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
            self.stopping = False
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

    def stop(self, timeout: float = DEFAULT_STOP_TIMEOUT) -> None:
        """Stop accepting, end idle connections, drop requests still arriving, and join every thread (waiting at
        most ``timeout`` seconds for answers in progress). Safe to call twice."""
        with self._lifecycle:
            listener, wake, acceptor = self._listener, self._wake, self._acceptor
            if listener is None or wake is None or acceptor is None:
                return
            self.stopping = True
            wake[1].send(b"x")
            acceptor.join()
            listener.close()
            for sock in wake:
                sock.close()
            self._listener = self._wake = self._acceptor = None
        self._end_connections(timeout)

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
            full = len(self._connections) >= self.max_connections
            if not full:
                self._connections[thread] = conn
        if full:
            threading.Thread(target=_refuse, args=(conn, self.max_connections), daemon=True).start()
            return
        thread.start()

    def _serve_connection(self, conn: socket.socket, address: tuple[str, int]) -> None:
        try:
            _Connection(conn, address, self)  # type: ignore[arg-type]
        except OSError:
            pass  # the client went away mid-request; nothing to answer
        except Exception:
            _log.exception("talon-fake: a connection to %s failed", self.base_url)
        finally:
            _close_gently(conn)
            with self._lock:
                self._connections.pop(threading.current_thread(), None)

    def _end_connections(self, timeout: float) -> None:
        with self._lock:
            connections = list(self._connections.items())
        for _, conn in connections:
            # Ends a connection waiting for (or still receiving) a request; one busy with a handler still answers.
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RD)
        deadline = time.monotonic() + timeout
        for thread, _ in connections:
            if thread is not threading.current_thread():  # stop() may be called from a handler
                thread.join(max(0.0, deadline - time.monotonic()))

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def _refuse(conn: socket.socket, limit: int) -> None:
    """Answer a connection over the limit with a JSON 503 and close it."""
    message = f"the fake serves at most {limit} connections at once; retry, or close idle connections"
    with contextlib.suppress(OSError):
        conn.settimeout(_LINGER)
        conn.sendall(raw_error_response(503, message, {"Retry-After": "1"}))
    _close_gently(conn)


def _close_gently(conn: socket.socket) -> None:
    """Close after the client read the answer: a close with unread request bytes would reset the connection and
    could destroy the answer (a 413 sent before the body was read, a 503 to a connection over the limit)."""
    with contextlib.suppress(OSError):
        conn.shutdown(socket.SHUT_WR)
        conn.settimeout(_LINGER)
        deadline = time.monotonic() + _LINGER
        while conn.recv(65536) and time.monotonic() < deadline:
            pass
    with contextlib.suppress(OSError):
        conn.close()


@contextlib.contextmanager
def serve(
    handler: Handler, host: str = "127.0.0.1", port: int = 0, *, on_request: RequestLog | None = None, **limits: Any
) -> Iterator[str]:
    """Run a :class:`LoopbackServer` for the ``with`` block and yield its base URL (``http://127.0.0.1:PORT``);
    ``limits`` are :class:`LoopbackServer`'s ``max_body``, ``read_timeout`` and ``max_connections``."""
    with LoopbackServer(handler, host, port, on_request=on_request, **limits) as server:
        yield server.base_url
