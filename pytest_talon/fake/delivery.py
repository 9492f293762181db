"""Sending the webhooks a campaigns file gives a ``url``: from one background thread, never under the fake's lock.

A failure (connection refused, timeout, a 4xx/5xx answer) is recorded on the
:class:`~pytest_talon.fake.state.webhooks.WebhookRecord` (``delivery``, ``delivery_status``, ``delivery_error``) and
never raised into the API answer that triggered the webhook.
"""

from __future__ import annotations

import json
import queue
import threading
from collections.abc import Iterable

import httpx

from pytest_talon.fake.state.webhooks import WebhookDef, WebhookRecord

__all__ = ["SEND_TIMEOUT", "WebhookSender"]

#: Seconds one webhook may take to be sent and answered.
SEND_TIMEOUT = 5.0
#: Seconds the sending thread waits for more work before it ends (a new webhook starts it again).
_IDLE = 1.0


class WebhookSender:
    """A queue of webhooks to send and the thread sending them; ``lock`` guards the records it updates."""

    def __init__(self, lock: threading.RLock) -> None:
        self._lock = lock
        self._queue: queue.SimpleQueue[tuple[WebhookRecord, WebhookDef]] = queue.SimpleQueue()
        self._state = threading.Condition()
        self._unsent = 0
        self._thread: threading.Thread | None = None

    def send(self, items: Iterable[tuple[WebhookRecord, WebhookDef]]) -> None:
        """Queue webhooks for sending and make sure the sending thread runs."""
        with self._state:
            for item in items:
                self._unsent += 1
                self._queue.put(item)
            if self._unsent and self._thread is None:
                self._thread = threading.Thread(target=self._run, name="talon-fake:webhooks", daemon=True)
                self._thread.start()

    def wait(self, timeout: float) -> bool:
        """Wait until every queued webhook was sent or failed (at most ``timeout`` seconds); False on timeout."""
        with self._state:
            return self._state.wait_for(lambda: self._unsent == 0, timeout)

    def _run(self) -> None:
        with httpx.Client(timeout=SEND_TIMEOUT, trust_env=False) as client:
            while True:
                try:
                    record, declared = self._queue.get(timeout=_IDLE)
                except queue.Empty:
                    with self._state:
                        if self._queue.empty():
                            self._thread = None
                            return
                    continue
                self._deliver(client, record, declared)
                with self._state:
                    self._unsent -= 1
                    self._state.notify_all()

    def _deliver(self, client: httpx.Client, record: WebhookRecord, declared: WebhookDef) -> None:
        status: int | None = None
        error: str | None = None
        try:
            content = json.dumps(record.payload).encode()
            headers = {"Content-Type": "application/json", **declared.headers}
            status = client.request(declared.method, str(declared.url), content=content, headers=headers).status_code
            if status >= 400:
                error = f"the receiver answered {status}"
        except (httpx.HTTPError, ValueError, TypeError) as exc:
            error = f"{type(exc).__name__}: {exc}"
        with self._lock:
            record.delivery = "failed" if error else "delivered"
            record.delivery_status, record.delivery_error = status, error
