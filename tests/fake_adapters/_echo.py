"""A tiny thread-safe handler standing in for ``FakeTalon.handle``: it echoes what it received."""

from __future__ import annotations

import threading
from typing import Any

import httpx


class Echo:
    """Answers every request with a JSON echo of its method, raw path, body and headers; keeps the requests."""

    def __init__(self, status: int = 200) -> None:
        self.status = status
        self.requests: list[httpx.Request] = []
        self._lock = threading.Lock()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        with self._lock:
            self.requests.append(request)
        return httpx.Response(self.status, json=echo_of(request))


def echo_of(request: httpx.Request) -> dict[str, Any]:
    """What :class:`Echo` answers for ``request``."""
    return {
        "method": request.method,
        "rawPath": request.url.raw_path.decode(),
        "body": request.content.decode(),
        "authorization": request.headers.get("authorization"),
    }
