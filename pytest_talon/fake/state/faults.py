"""Injected faults: answers a test asks the fake to give instead of the real one (a 429, a 503, a slow reply).

A :class:`Fault` matches one operation id or any (``None``) and is used up after ``times`` requests; the HTTP face
asks its :class:`FaultPlan` before running a handler. Faults belong to the transport, not to the Application: they
are not part of a state snapshot, and a reset clears them.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace

from pytest_talon.fake.errors import FakeSetupError

__all__ = ["Fault", "FaultPlan", "check_fault"]


@dataclass
class Fault:
    """Answer the next ``times`` requests for ``operation_id`` (any when None) with ``status`` after ``delay`` s."""

    operation_id: str | None
    status: int
    times: int = 1
    retry_after: int | None = None
    delay: float = 0.0


def check_fault(fault: Fault, known: set[str]) -> Fault:
    """Return ``fault`` when it is usable; raise :class:`FakeSetupError` naming the wrong field otherwise."""
    if fault.operation_id is not None and fault.operation_id not in known:
        raise FakeSetupError(f"operationId {fault.operation_id!r} is not an Integration API operation of the fake")
    if isinstance(fault.status, bool) or not isinstance(fault.status, int) or not 400 <= fault.status <= 599:
        raise FakeSetupError(f"status must be an HTTP error status (400-599), got {fault.status!r}")
    if isinstance(fault.times, bool) or not isinstance(fault.times, int) or fault.times < 1:
        raise FakeSetupError(f"times must be a positive integer, got {fault.times!r}")
    if fault.retry_after is not None and (
        isinstance(fault.retry_after, bool) or not isinstance(fault.retry_after, int) or fault.retry_after < 0
    ):
        raise FakeSetupError(f"retryAfter must be a non-negative integer (seconds) or null, got {fault.retry_after!r}")
    if isinstance(fault.delay, bool) or not isinstance(fault.delay, (int, float)) or not 0 <= fault.delay <= 60:
        raise FakeSetupError(f"the delay must be between 0 and 60 seconds, got {fault.delay!r}")
    return fault


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
