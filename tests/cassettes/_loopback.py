"""A tiny loopback HTTP server to record cassettes against (vcrpy only records real transports), and config
shortcuts."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from pytest_talon.cassettes import CassetteConfig


class _Handler(BaseHTTPRequestHandler):
    """Answers every request with JSON describing it and a per-server call number."""

    server: LoopbackServer

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        self.server.calls += 1
        payload: dict[str, Any] = {
            "call": self.server.calls,
            "method": self.command,
            "path": self.path,
            "received": json.loads(body) if body else None,
        }
        if self.path.startswith("/echo-auth"):
            payload["auth"] = self.headers.get("Authorization")
        data = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Set-Cookie", "session=cookie-secret-value; HttpOnly")
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_PUT = do_POST = do_DELETE = _answer

    def log_message(self, format: str, *args: Any) -> None:
        """Keep the test output quiet."""


class LoopbackServer(ThreadingHTTPServer):
    """The server, its base URL and how many requests it answered."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.calls = 0
        self.url = f"http://127.0.0.1:{self.server_address[1]}"
        self._thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    def start(self) -> None:
        """Serve in a thread (the socket already listens, so clients can connect at once)."""
        self._thread.start()

    def stop(self) -> None:
        """Stop serving and close the socket: later connections are refused."""
        if self._thread.is_alive():
            self.shutdown()
            self._thread.join()
        self.server_close()


def recording(**overrides: Any) -> CassetteConfig:
    """A config that records new requests."""
    return CassetteConfig(**{"record_mode": "once", **overrides})


def replaying(**overrides: Any) -> CassetteConfig:
    """A config that only replays."""
    return CassetteConfig(**{"record_mode": "none", **overrides})
