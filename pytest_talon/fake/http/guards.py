"""Checks the HTTP face makes before decoding a call: the method (405 when the path has others), injected faults,
and bodies nested too deeply to parse.

May import: :mod:`pytest_talon.fake.state` (faults) and :mod:`pytest_talon.fake.errors`.
"""

from __future__ import annotations

import itertools
import re
import time
from typing import Any

from pytest_talon._spec.operation import Operation
from pytest_talon._spec.routes import allowed_methods, request_path
from pytest_talon.fake.errors import BadRequest, FakeError, NotFound, error_body
from pytest_talon.fake.http.framing import status_error
from pytest_talon.fake.http.routes import match
from pytest_talon.fake.state.faults import FaultPlan

__all__ = ["MAX_JSON_DEPTH", "MethodNotAllowed", "check_json_depth", "injected_answer", "match_route"]

#: The deepest nesting of JSON arrays and objects a request body may have.
MAX_JSON_DEPTH = 128

_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKET = bytes(b for b in range(256) if b not in b"[]{}")
_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}


def check_json_depth(content: bytes) -> None:
    """Raise a 400 when ``content`` nests arrays and objects deeper than :data:`MAX_JSON_DEPTH`."""
    if len(content.translate(None, _NOT_BRACKET)) <= MAX_JSON_DEPTH:
        return  # the common case, without looking into strings
    brackets = _STRING.sub(b"", content).translate(None, _NOT_BRACKET)
    depth = max(itertools.accumulate(map(_STEP.__getitem__, brackets)))
    if depth > MAX_JSON_DEPTH:
        raise BadRequest(
            f"the request body nests arrays and objects {depth} levels deep; at most {MAX_JSON_DEPTH} are accepted",
            pointer="/",
        )


def injected_answer(faults: FaultPlan, op: Operation) -> tuple[int, Any, dict[str, str]] | None:
    """Use up a fault injected for ``op`` and return its answer (after its delay), or None."""
    fault = faults.take(op.operation_id)
    if fault is None:
        return None
    if fault.delay:
        time.sleep(fault.delay)
    headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
    phrase = status_error(fault.status, "").title
    error = status_error(fault.status, f"{phrase} (a fault injected into the fake for {op.operation_id})")
    return fault.status, error_body(error, op), headers


class MethodNotAllowed(FakeError):
    """405: the path exists in the Integration API, with other methods (listed in the ``Allow`` header)."""

    status_code = 405
    title = "Method Not Allowed"

    def __init__(self, message: str, allowed: list[str]) -> None:
        super().__init__(message)
        self.headers = {"Allow": ", ".join(allowed)}


def match_route(method: str, raw_path: str) -> tuple[Operation, dict[str, str]]:
    """:func:`~.routes.match`, with a 405 naming the allowed methods when only the method is wrong."""
    try:
        return match(method, raw_path)
    except NotFound:
        allowed = allowed_methods(raw_path)
        if not allowed:
            raise
        raise MethodNotAllowed(
            f"{method.upper()} is not allowed on {request_path(raw_path)}; use {', '.join(allowed)}", allowed
        ) from None
