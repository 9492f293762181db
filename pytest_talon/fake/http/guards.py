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
from pytest_talon.fake.errors import BadRequest, FakeError, FakeSetupError, NotFound, error_body
from pytest_talon.fake.http.framing import status_error
from pytest_talon.fake.http.routes import match
from pytest_talon.fake.state.faults import DEFAULT_STALL, Fault, FaultPlan, parse_fault_header

__all__ = [
    "FAULT_HEADER",
    "MAX_JSON_DEPTH",
    "TRANSPORT_FAULT",
    "MethodNotAllowed",
    "check_json_depth",
    "injected_answer",
    "match_route",
    "take_fault",
    "transport_fault",
]

#: The request header injecting a fault into that one request (see :func:`parse_fault_header`).
FAULT_HEADER = "X-Talon-Fake-Fault"
#: The ``httpx.Response.extensions`` key of a transport fault to act out: ``(kind, seconds)`` (seconds: a stall's
#: length). The loopback server acts it out on the socket; the in-process transports raise what httpx would.
TRANSPORT_FAULT = "talon_fake_fault"
_HTML = b"<html><head><title>{status}</title></head><body><h1>{status} (a non_json fault injected)</h1></body></html>"

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


def take_fault(faults: FaultPlan, op: Operation, header: str | None) -> Fault | None:
    """The fault of this request: its :data:`FAULT_HEADER` (a 400 naming the problem when it is wrong), else the
    first fault injected for ``op`` (used up), else None."""
    if header is None:
        return faults.take(op.operation_id)
    try:
        return parse_fault_header(header)
    except FakeSetupError as exc:
        raise BadRequest(f"bad {FAULT_HEADER} header {header!r}: {exc}", parameter=FAULT_HEADER) from None


def injected_answer(fault: Fault, op: Operation) -> tuple[int, Any, dict[str, str]]:
    """The answer of a fault other than ``truncated`` (after its delay): an error in the API's shape, an HTML body
    (``non_json``) or, for ``reset`` and ``stall``, a 503 never sent (see :func:`transport_fault`)."""
    if fault.delay and fault.kind != "stall":
        time.sleep(fault.delay)
    status = fault.status if fault.status is not None else 503
    if fault.kind == "non_json":
        return status, _HTML.replace(b"{status}", str(status).encode()), {"Content-Type": "text/html"}
    headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
    phrase = status_error(status, "").title
    error = status_error(status, f"{phrase} (a {fault.kind} fault injected into the fake for {op.operation_id})")
    return status, error_body(error, op), headers


def transport_fault(fault: Fault | None) -> tuple[str, float] | None:
    """The :data:`TRANSPORT_FAULT` extension of an answer to a request with ``fault`` (None: answer normally)."""
    if fault is None or fault.kind not in ("reset", "stall", "truncated"):
        return None
    return fault.kind, (fault.delay or DEFAULT_STALL) if fault.kind == "stall" else 0.0


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
