"""Injected faults: answers a test asks the fake to give instead of the real one (a 429, a 503, a slow reply), or
failures of the transport (:data:`FAULT_KINDS`: a dropped connection, a stall, a truncated or non-JSON body).

A :class:`Fault` matches one operation id or any (``None``) and is used up after ``times`` requests; the HTTP face
asks its :class:`FaultPlan` before running a handler. Faults belong to the transport, not to the Application: they
are not part of a state snapshot, and a reset clears them.
"""

from __future__ import annotations

import threading
from collections.abc import Collection
from dataclasses import dataclass, replace

from pytest_talon.fake.errors import FakeSetupError

__all__ = ["DEFAULT_STALL", "FAULT_KINDS", "Fault", "FaultPlan", "check_fault", "parse_fault_header"]

#: What a fault does: ``status`` answers an error status in the API's error shape; ``reset`` closes the connection
#: without an answer (the request is not handled); ``stall`` answers nothing for ``delay`` seconds (default
#: :data:`DEFAULT_STALL`), then closes; ``truncated`` handles the request and sends the first half of its answer
#: under the full ``Content-Length``, then closes; ``non_json`` answers ``status`` (default 502) with an HTML body,
#: as a proxy in front of the API may.
FAULT_KINDS = ("status", "reset", "stall", "truncated", "non_json")
#: Seconds a ``stall`` fault holds the connection when no delay is given (past most clients' timeouts).
DEFAULT_STALL = 30.0


@dataclass
class Fault:
    """Answer the next ``times`` requests for ``operation_id`` (any when None) with ``status`` after ``delay`` s, or
    fail them as ``kind`` says (:data:`FAULT_KINDS`)."""

    operation_id: str | None
    status: int | None
    times: int = 1
    retry_after: int | None = None
    delay: float = 0.0
    kind: str = "status"


def check_fault(fault: Fault, known: Collection[str]) -> Fault:
    """Return ``fault`` when it is usable (a ``non_json`` one without a status answers 502); raise
    :class:`FakeSetupError` naming the wrong field otherwise."""
    if fault.kind not in FAULT_KINDS:
        raise FakeSetupError(f"kind must be one of {', '.join(FAULT_KINDS)}, got {fault.kind!r}")
    if fault.operation_id is not None and fault.operation_id not in known:
        raise FakeSetupError(f"operationId {fault.operation_id!r} is not an Integration API operation of the fake")
    if fault.status is None and fault.kind == "non_json":
        fault = replace(fault, status=502)
    if fault.kind in ("status", "non_json") and (
        isinstance(fault.status, bool) or not isinstance(fault.status, int) or not 400 <= fault.status <= 599
    ):
        raise FakeSetupError(f"status must be an HTTP error status (400-599), got {fault.status!r}")
    if fault.kind not in ("status", "non_json") and fault.status is not None:
        raise FakeSetupError(f"a {fault.kind} fault answers no status of its own: leave status out")
    if isinstance(fault.times, bool) or not isinstance(fault.times, int) or fault.times < 1:
        raise FakeSetupError(f"times must be a positive integer, got {fault.times!r}")
    if fault.retry_after is not None and (
        isinstance(fault.retry_after, bool) or not isinstance(fault.retry_after, int) or fault.retry_after < 0
    ):
        raise FakeSetupError(f"retryAfter must be a non-negative integer (seconds) or null, got {fault.retry_after!r}")
    if isinstance(fault.delay, bool) or not isinstance(fault.delay, (int, float)) or not 0 <= fault.delay <= 60:
        raise FakeSetupError(f"the delay must be between 0 and 60 seconds, got {fault.delay!r}")
    return fault


def parse_fault_header(value: str) -> Fault:
    """The fault of one request's ``X-Talon-Fake-Fault`` header: ``<status or kind>[; retry-after=S][; delay-ms=MS]
    [; status=N]`` (``503; retry-after=2``, ``reset``, ``stall; delay-ms=5000``, ``non-json; status=504``,
    ``truncated``); raise :class:`FakeSetupError` naming what is wrong."""
    head, *params = (part.strip() for part in value.split(";"))
    fault = Fault(None, None)
    if head.isdigit() and len(head) == 3:
        fault.status = int(head)
    elif head.replace("-", "_") in FAULT_KINDS[1:]:
        fault.kind = head.replace("-", "_")
    else:
        kinds = ", ".join(k.replace("_", "-") for k in FAULT_KINDS[1:])
        raise FakeSetupError(f"starts with {head!r}: give an HTTP error status (400-599) or one of {kinds}")
    for param in params:
        name, sep, raw = (p.strip() for p in param.partition("="))
        if not sep or name not in ("retry-after", "delay-ms", "status"):
            raise FakeSetupError(f"unknown parameter {param!r}: use retry-after=S, delay-ms=MS or status=N")
        try:
            number = float(raw) if name == "delay-ms" else int(raw)
        except ValueError:
            raise FakeSetupError(f"{name} must be a number, got {raw!r}") from None
        if name == "retry-after":
            fault.retry_after = int(number)
        elif name == "delay-ms":
            fault.delay = number / 1000
        else:
            fault.status = int(number)
    return check_fault(fault, set())


class FaultPlan:
    """The faults still to answer with, oldest first; thread-safe (its own lock, never the fake's)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []

    def add(self, fault: Fault) -> None:
        """Queue a checked fault (see :func:`check_fault`)."""
        with self._lock:
            self._faults.append(fault)

    def clear(self) -> None:
        """Forget every fault."""
        with self._lock:
            self._faults.clear()

    def pending(self) -> list[Fault]:
        """Copies of the faults still queued."""
        with self._lock:
            return [replace(f) for f in self._faults]

    def take(self, operation_id: str) -> Fault | None:
        """The first fault matching ``operation_id``, counted as used (dropped once used up); None when none."""
        with self._lock:
            for fault in self._faults:
                if fault.operation_id in (None, operation_id):
                    fault.times -= 1
                    if fault.times <= 0:
                        self._faults.remove(fault)
                    return fault
        return None
