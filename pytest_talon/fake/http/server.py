"""A real HTTP/1.1 server on the loopback interface that answers every request with a handler.

Built on the standard library only. ``start()`` binds and listens before it returns (so the server is ready, and a
taken port fails at once); a background thread accepts connections and serves each in its own thread, with
keep-alive; ``stop()`` wakes the accept loop through a socket pair (no polling interval), ends idle keep-alive
connections and joins every thread.
"""

from __future__ import annotations

import contextlib
import logging
import selectors
import socket
import threading
import time
from collections.abc import Collection, Iterator
from types import TracebackType
from typing import TYPE_CHECKING, Any

import httpx
from typing_extensions import Self

from pytest_talon.errors import TalonError
from pytest_talon.fake.http.connection import Connection, RequestLog, ServedRequest
from pytest_talon.fake.http.framing import (
    DEFAULT_MAX_BODY,
    LOOPBACK_NAMES,
    is_loopback,
    raw_error_response,
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

#: Seconds a connection may stay silent (mid-request or idle between requests) before the server closes it.
DEFAULT_READ_TIMEOUT = 30.0
#: Connections served at once; one more is answered 503 and closed.
DEFAULT_MAX_CONNECTIONS = 100
#: Seconds a closing connection waits for the client to read the last answer (and to stop sending).
_LINGER = 0.5
#: Seconds ``stop()`` waits for connection threads still busy with a request before giving up on them.
DEFAULT_STOP_TIMEOUT = 5.0


class FakeServerError(TalonError):
    """The loopback server could not start (for example, its port is taken) or was used in the wrong state."""


class LoopbackServer:
    """An HTTP/1.1 server answering every request with ``handler``, for clients in any language or library.

    ``port=0`` picks a free port; :attr:`base_url` says which. ``on_request`` (optional) is called once per answered
    request with a :class:`ServedRequest`. A handler exception becomes a 500 and never stops the server. Limits:
    ``max_body`` bytes per request body (413 beyond), ``read_timeout`` seconds of silence before a connection is
    closed, ``max_connections`` served at once (503 beyond). On a loopback address, a request whose ``Host`` header
    names another host (not ``localhost``, a loopback address or one of ``allowed_hosts``) answers 403: a page in a
    browser cannot reach the server through DNS rebinding.
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
        allowed_hosts: Collection[str] = (),
    ) -> None:
        self.handler = handler
        self.host = host
        self.port = port
        self.on_request = on_request
        self.max_body = max_body
        self.read_timeout = read_timeout
        self.max_connections = max_connections
        #: The Host header names accepted (None: any, off loopback).
        self.allowed_hosts = LOOPBACK_NAMES | {h.lower() for h in allowed_hosts} if is_loopback(host) else None
        #: Set by :meth:`stop`: requests still arriving are dropped instead of handled.
        self.stopping = False
        self._listener: socket.socket | None = None
        self._wake: tuple[socket.socket, socket.socket] | None = None
        self._acceptor: threading.Thread | None = None
        self._connections: dict[threading.Thread, socket.socket] = {}
        #: :attr:`base_url` parsed once (at start), the base of every request's URL.
        self.url = httpx.URL("http://127.0.0.1")
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
            self.port = listener.getsockname()[1]
            try:
                self.url = httpx.URL(self.base_url)
            except httpx.InvalidURL as exc:
                listener.close()
                raise FakeServerError(f"cannot serve on {self.host!r}: {exc}; pass an IP address or name") from None
            self._listener = listener
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
            self._shut_connections()  # idle connections wake up while the acceptor does
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
        name = f"talon-fake:{self.port}:{address[1] if isinstance(address, tuple) else address}"
        thread = threading.Thread(target=self._serve_connection, args=(conn,), name=name, daemon=True)
        with self._lock:
            full = len(self._connections) >= self.max_connections
            if not full:
                self._connections[thread] = conn
        if full:
            threading.Thread(target=_refuse, args=(conn, self.max_connections), daemon=True).start()
            return
        thread.start()

    def _serve_connection(self, conn: socket.socket) -> None:
        try:
            conn.settimeout(self.read_timeout)  # a stalled client cannot hold its thread forever
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, True)  # Nagle would only add latency
            Connection(self, conn).serve()
        except OSError:
            pass  # the client went away mid-request, or stayed silent too long; nothing to answer
        except Exception:
            _log.exception("talon-fake: a connection to %s failed", self.base_url)
        finally:
            _close_gently(conn)
            with self._lock:
                self._connections.pop(threading.current_thread(), None)

    def _shut_connections(self) -> list[tuple[threading.Thread, socket.socket]]:
        """End every connection waiting for (or still receiving) a request; one busy with a handler still answers."""
        with self._lock:
            connections = list(self._connections.items())
        for _, conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RD)
        return connections

    def _end_connections(self, timeout: float) -> None:
        connections = self._shut_connections()  # again: the acceptor may have accepted one more before it stopped
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
    ``limits`` are :class:`LoopbackServer`'s ``max_body``, ``read_timeout``, ``max_connections`` and
    ``allowed_hosts``."""
    with LoopbackServer(handler, host, port, on_request=on_request, **limits) as server:
        yield server.base_url
