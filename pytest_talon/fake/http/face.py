"""The HTTP face of the fake: one ``httpx.Request -> httpx.Response`` function for every adapter.

:meth:`HttpFace.handle` authenticates, matches the route (:mod:`.routes`), decodes the call, serialises work with
one lock (409 when two requests for one session or profile overlap), runs the one handler entry
(:func:`pytest_talon.fake.api.calls.handle`), encodes the reply or the error as JSON and records the exchange. It
never raises: a bug in the fake answers a recorded 500.

May import: :mod:`pytest_talon.fake.api.calls` (the handler entry and the call decoding), the state's request log
and Application type, and :mod:`pytest_talon.fake.errors`.
"""

from __future__ import annotations

import dataclasses
import json
import threading
import traceback
import weakref
from collections.abc import Callable, Mapping
from typing import Any, Protocol

import httpx

from pytest_talon._spec.operation import Operation
from pytest_talon.fake.api.calls import OperationCall, Trace, decode_call, effect_types_of, handle, json_bytes
from pytest_talon.fake.errors import Conflict, FakeBug, FakeError, Unauthorized, error_body
from pytest_talon.fake.http.guards import (
    FAULT_HEADER,
    TRANSPORT_FAULT,
    check_json_depth,
    injected_answer,
    match_route,
    take_fault,
    transport_fault,
)
from pytest_talon.fake.state.application import Application
from pytest_talon.fake.state.faults import Fault, FaultPlan
from pytest_talon.fake.state.records import JsonText, RecordedRequest, log_headers

__all__ = ["RULE_FAILURES", "HttpFace"]

#: The ``httpx.Response.extensions`` key of an answer's rule failures with details (only when it has some): a
#: server's request logger reads them there (``talon-fake serve`` prints them).
RULE_FAILURES = "talon_rule_failures"
#: The response extension holding the request log entry of the answer (what links an answer to its explanation).
LOGGED = "talon_logged_request"

#: Operations whose concurrent requests on one session or profile answer 409, and how to find that key.
_LOCK_KEYS: dict[str, Callable[[OperationCall], str | None]] = {
    "updateCustomerSessionV2": lambda c: f"session:{c.path['customerSessionId']}",
    "updateCustomerProfileV2": lambda c: f"profile:{c.path['integrationId']}",
    "trackEventV2": lambda c: f"profile:{c.body.profile_id}" if c.body.profile_id else None,
}


class Owner(Protocol):
    """What a face serves: the key requests must carry and the current Application (both may be replaced)."""

    api_key: str
    app: Application


class HttpFace:
    """The request pipeline over one fake's state: ``owner`` (a :class:`~pytest_talon.fake.FakeTalon`) has the
    key requests must carry and the current Application, ``lock`` serialises handlers (shared with the setup
    helpers)."""

    def __init__(self, owner: Owner, lock: threading.RLock) -> None:
        # A weak reference: the owner holds its face, so a strong one would make a cycle, and a fake nobody holds
        # any more (a suite makes one per test) would wait for the cyclic garbage collector.
        self._owner = weakref.ref(owner)
        self._lock = lock
        self._busy_lock = threading.Lock()
        #: Lock keys (``session:<id>``, ``profile:<id>``) of the requests in flight.
        self.busy: set[str] = set()
        #: Faults a test injected (answered before the handler runs).
        self.faults = FaultPlan()

    def handle(self, request: httpx.Request) -> httpx.Response:
        """Answer one request as the live API would; never raises (a fake bug becomes a recorded 500)."""
        seen = _Seen()
        try:
            request.read()
            status, content, headers = self._dispatch(request, seen)
        except FakeError as exc:
            status, content, headers = (
                exc.status_code,
                json_bytes(error_body(exc, seen.op)),
                getattr(exc, "headers", {}),
            )
        except Exception as exc:
            status, content, headers = 500, json_bytes(error_body(_bug(exc), seen.op)), {}
        response = _response(request, status, content, headers)
        acted = transport_fault(seen.fault)
        if acted is not None:
            response.extensions[TRANSPORT_FAULT] = acted
        self._record(request, seen, status, response)
        return response

    def _dispatch(self, request: httpx.Request, seen: _Seen) -> tuple[int, bytes, dict[str, str]]:
        self._authenticate(request)
        seen.op, params = match_route(request.method, request.url.raw_path.decode())
        seen.fault = take_fault(self.faults, seen.op, request.headers.get(FAULT_HEADER))
        if seen.fault is not None and seen.fault.kind != "truncated":
            status, body, headers = injected_answer(seen.fault, seen.op)
            if isinstance(body, bytes):
                return status, body, headers
            seen.effect_types = effect_types_of(body)
            seen.injected = True
            return status, b"" if body is None or status == 204 else json_bytes(body), headers
        check_json_depth(request.content)
        seen.call = decode_call(seen.op, params, request)
        key_of = _LOCK_KEYS.get(seen.op.operation_id)
        key = key_of(seen.call) if key_of is not None else None
        self._claim(key)
        try:
            with self._lock:
                reply = handle(self._live().app, seen.call)
                seen.effect_types = reply.effect_types()
                seen.rule_failures = reply.rule_failures
                seen.trace = reply.trace
                return reply.status, reply.content(), reply.headers
        finally:
            self._release(key)

    def _authenticate(self, request: httpx.Request) -> None:
        header = request.headers.get("Authorization")
        if header is None:
            raise Unauthorized("Unauthorized - Invalid API key: the Authorization header is missing")
        scheme, _, key = header.partition(" ")
        if scheme != "ApiKey-v1" or not key:
            raise Unauthorized("Unauthorized - Invalid API key: send 'Authorization: ApiKey-v1 <key>'")
        if key.strip() != self._live().api_key:
            raise Unauthorized("Unauthorized - Invalid API key: this key does not belong to the Application")

    def _live(self) -> Owner:
        owner = self._owner()
        if owner is None:  # pragma: no cover - adapters hold the fake, not its face
            raise RuntimeError("the fake behind this face no longer exists")
        return owner

    def _claim(self, key: str | None) -> None:
        """Mark ``key`` in flight (409 when it already is); :meth:`_release` ends the claim."""
        if key is None:
            return
        with self._busy_lock:
            if key in self.busy:
                kind = key.split(":", 1)[0]
                raise Conflict(f"Too many requests are updating this {kind} at the same time")
            self.busy.add(key)

    def _release(self, key: str | None) -> None:
        if key is not None:
            with self._busy_lock:
                self.busy.discard(key)

    def _record(self, request: httpx.Request, seen: _Seen, status: int, response: httpx.Response) -> None:
        # The log keeps the JSON bodies as the bytes on the wire (JsonText): a third of their decoded size.
        sent = seen.call is not None and seen.call.json is not None
        unanswered = seen.fault is not None and seen.fault.kind in ("reset", "stall")
        entry = RecordedRequest(
            method=request.method,
            path=request.url.path,
            operation_id=seen.op.operation_id if seen.op is not None else None,
            query=_query(request),
            json=JsonText(request.content) if sent else _json_or_none(request),
            status=0 if unanswered else status,
            response_json=_response_json(response) if not unanswered else None,
            effect_types=seen.effect_types,
            unknown_fields=list(seen.call.unknown_fields) if seen.call is not None else [],
            rule_failures=seen.rule_failures,
            raw_path=request.url.raw_path.decode("ascii", "replace").partition("?")[0],
            request_headers=log_headers(request.headers.multi_items(), redact=True),
            response_headers={} if unanswered else log_headers(response.headers.multi_items()),
            fault=seen.fault.kind if seen.fault is not None else None,
            trace=seen.trace if seen.trace is not None else _not_evaluated(seen),
        )
        if seen.rule_failures:  # for a server's request logger (talon-fake serve prints them)
            response.extensions[RULE_FAILURES] = seen.rule_failures
        response.extensions[LOGGED] = entry
        with self._lock:
            self._live().app.requests.append(entry)


def _response(request: httpx.Request, status: int, content: bytes, headers: Mapping[str, str]) -> httpx.Response:
    """The answer, read (so ``.json()`` works on what :meth:`HttpFace.handle` returns). Built from a byte stream with
    its headers written out: what ``httpx.Response(content=...)`` does, without encoding the content again."""
    if not content or status == 204:
        return httpx.Response(status, headers=dict(headers), request=request)
    given = {name.lower() for name in headers}
    fields = [("Content-Length", str(len(content)))] if "content-length" not in given else []
    if "content-type" not in given:
        fields.append(("Content-Type", "application/json"))
    fields += headers.items()
    response = httpx.Response(status, headers=fields, stream=httpx.ByteStream(content), request=request)
    response.read()
    return response


def _bug(exc: BaseException) -> FakeBug:
    where = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)[-3:])
    message = (
        f"pytest-talon fake bug (not a Talon.One answer): {type(exc).__name__}: {exc}. Please report it with this body."
    )
    return FakeBug(message, details=where)


def _response_json(response: httpx.Response) -> Any:
    if not response.content:
        return None
    if response.headers.get("Content-Type", "").startswith("text/html"):  # a non_json fault's body
        return response.text
    return JsonText(response.content)


def _not_evaluated(seen: _Seen) -> str | None:
    """Why a request has no trace, when its status alone does not say (an injected fault)."""
    injected = seen.injected or (seen.fault is not None and seen.fault.kind != "truncated")
    return "an injected fault answered it; no rule was evaluated" if injected else None


def _query(request: httpx.Request) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    if not request.url.query:
        return out
    for key, value in request.url.params.multi_items():
        out.setdefault(key, []).append(value)
    return out


def _json_or_none(request: httpx.Request) -> Any:
    try:
        return json.loads(request.content) if request.content else None
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError, httpx.RequestNotRead):
        return None


@dataclasses.dataclass(slots=True)
class _Seen:
    """How far dispatching got: the matched operation and the decoded call (for error shapes and the log)."""

    op: Operation | None = None
    call: OperationCall | None = None
    #: The answer's effect types (for the log), set once a handler or an injected fault answered.
    effect_types: list[str] = dataclasses.field(default_factory=list)
    #: The answer's rule failures with details (for the log), set once a handler answered.
    rule_failures: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    #: The fault injected into this request (by a header or a test), if any.
    fault: Fault | None = None
    #: What the evaluation answered weighed, set once a handler that evaluated answered.
    trace: Trace | None = None
    #: Set when an injected fault answered.
    injected: bool = False
