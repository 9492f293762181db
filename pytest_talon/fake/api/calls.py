"""The handlers' contract: an :class:`OperationCall` in (decoded by :func:`decode_call`), a :class:`Reply` out, and the
registry of handlers by operation id that :func:`handle` - the one entry the HTTP face calls - dispatches to.

Handlers are plain functions registered with :func:`route` by operation id::

    @route("getCustomerSession")
    def get_customer_session(app: Application, call: OperationCall) -> Reply:
        ...

The modules holding handlers are listed in :data:`HANDLER_MODULES` and imported by :func:`load_handlers`.
An operation of the spec without a handler answers 501 "not implemented in the fake".
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import httpx
import pydantic_core

from pytest_talon import models
from pytest_talon._spec.operation import Operation, Param
from pytest_talon._spec.operations import OPERATIONS
from pytest_talon.fake.api.bodies import Body, read_body
from pytest_talon.fake.engine.trace import Trace
from pytest_talon.fake.errors import BadRequest, NotImplementedInFake
from pytest_talon.fake.state.application import Application

__all__ = [
    "HANDLERS",
    "HANDLER_MODULES",
    "NOTES",
    "OperationCall",
    "Handler",
    "Reply",
    "Trace",
    "decode_call",
    "effect_types_of",
    "handle",
    "handler_for",
    "json_bytes",
    "load_handlers",
    "route",
    "wire_json",
]


@dataclass(slots=True)
class OperationCall:
    """A decoded request: its operation, percent-decoded path params, typed query params and parsed body."""

    op: Operation
    path: dict[str, str]
    query: dict[str, Any]
    body: Any
    request: httpx.Request
    #: JSON pointers of the body's fields the request model does not know (accepted and ignored, as live).
    unknown_fields: list[str] = field(default_factory=list)
    #: The decoded JSON body (None for operations without one).
    json: Body | None = None

    @property
    def raw_json(self) -> Any:
        """The body as parsed JSON (None for operations without one)."""
        return self.json.raw if self.json is not None else None

    def header(self, name: str) -> str | None:
        """A request header, or None."""
        value: str | None = self.request.headers.get(name)
        return value


@dataclass(slots=True)
class Reply:
    """What a handler answers: status and a body (a model, JSON-ready data, or None for an empty body)."""

    status: int
    body: models.WireModel | list[Any] | dict[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    #: The rule failures with ``details`` of the evaluation answered (a rule that failed at run time, an effect
    #: that could not be applied), whether or not the body shows ``ruleFailureReasons``: for the request log.
    rule_failures: list[dict[str, Any]] = field(default_factory=list)
    #: What the evaluation answered weighed (:mod:`pytest_talon.fake.engine.trace`), for the request log.
    trace: Trace | None = None

    def to_json(self) -> Any:
        """The body as JSON-ready data (None when empty)."""
        return wire_json(self.body)

    def content(self) -> bytes:
        """The body as the compact JSON bytes sent on the wire (empty when there is no body)."""
        if self.body is None or self.status == 204:
            return b""
        if isinstance(self.body, models.WireModel):
            return self.body.to_wire_bytes()
        return json_bytes(self.to_json())

    def effect_types(self) -> list[str]:
        """The ``effectType`` of each effect the body carries (for the request log)."""
        body = self.body
        if isinstance(body, models.WireModel):
            effects = getattr(body, "effects", None)
            return [e.effect_type for e in effects if isinstance(e, models.Effect)] if effects else []
        return effect_types_of(body)


def wire_json(value: Any) -> Any:
    """``value`` as JSON-ready data: models (also in lists) as :meth:`~pytest_talon.models.WireModel.to_wire`."""
    if isinstance(value, models.WireModel):
        return value.to_wire()
    if isinstance(value, list):
        return [wire_json(v) for v in value]
    return value


def json_bytes(data: Any) -> bytes:
    """``data`` (JSON-ready) as compact JSON bytes (UTF-8), as every answer of the fake is sent; written by
    pydantic-core (about three times as fast as ``json.dumps`` for an integration state, the same text)."""
    return pydantic_core.to_json(data, inf_nan_mode="constants")


def effect_types_of(body: Any) -> list[str]:
    """The ``effectType`` of each effect in a JSON-ready body (``[]`` when it has none)."""
    effects = body.get("effects") if isinstance(body, dict) else None
    return [e.get("effectType", "") for e in effects if isinstance(e, dict)] if isinstance(effects, list) else []


#: A handler: gets the Application and the decoded call, returns the reply or raises a FakeError.
Handler = Callable[[Application, OperationCall], Reply]

#: Registered handlers by operation id.
HANDLERS: dict[str, Handler] = {}

#: Known differences from the live API per operation id, given to :func:`route`; rendered in docs/fidelity.md.
NOTES: dict[str, str] = {}

#: Modules whose import registers handlers, one per domain; a new domain's module is added here.
HANDLER_MODULES: tuple[str, ...] = tuple(
    f"pytest_talon.fake.api.{name}"
    for name in (
        "sessions",
        "returns",
        "profiles",
        "events",
        "coupons",
        "referrals",
        "loyalty",
        "loyalty_cards",
        "audiences",
        "catalogs",
        "achievements",
        "pricing",
        "campaigns",
        "legacy",
    )
)

_OPS_BY_ID = {op.operation_id: op for op in OPERATIONS}
_TRUE = {"true", "1", "t"}
_FALSE = {"false", "0", "f"}


def route(operation_id: str, *, notes: str = "") -> Callable[[Handler], Handler]:
    """Register the decorated function as the handler of ``operation_id`` (which must exist in the spec).

    ``notes`` lists the handler's known differences from the live API (Markdown, one line); docs/fidelity.md
    shows them.
    """
    if operation_id not in _OPS_BY_ID:
        raise KeyError(f"unknown operation id {operation_id!r}; see pytest_talon._spec.operations.OPERATIONS")

    def register(handler: Handler) -> Handler:
        HANDLERS[operation_id] = handler
        NOTES[operation_id] = notes
        return handler

    return register


@functools.cache
def load_handlers() -> dict[str, Handler]:
    """Import every module in :data:`HANDLER_MODULES` (registering their handlers) and return the registry (once:
    every fake asks)."""
    for name in HANDLER_MODULES:
        importlib.import_module(name)
    return HANDLERS


def decode_call(op: Operation, path_params: dict[str, str], request: httpx.Request) -> OperationCall:
    """Type the path and query params and parse the body with the operation's request model (400 on failure)."""
    path = {p.name: path_params[p.name] for p in op.params if p.location == "path"}
    for param in op.params:
        if param.location == "path":
            _typed(param, [path[param.name]])
    pairs = parse_qsl(request.url.query.decode(), keep_blank_values=True)
    query: dict[str, Any] = {}
    for param in op.query_params:
        values = [v for k, v in pairs if k == param.name]
        query[param.name] = _typed(param, values) if values else param.default
    if op.body is None:
        return OperationCall(op=op, path=path, query=query, body=None, request=request)
    if not request.content.strip():
        raise BadRequest(f"{op.operation_id} needs a JSON body ({op.body}); the request had none", pointer="/")
    body = read_body(request.content, getattr(models, op.body))
    return OperationCall(
        op=op, path=path, query=query, body=body.model, request=request, unknown_fields=body.unknown_fields, json=body
    )


def handler_for(op: Operation) -> Handler:
    """The registered handler of ``op``; raises 501 when the fake does not implement it."""
    handler = load_handlers().get(op.operation_id)
    if handler is None:
        raise NotImplementedInFake(
            f"{op.operation_id} ({op.method} {op.path}) is not implemented in the fake yet; "
            "use a respx route or the live API for it"
        )
    return handler


def handle(app: Application, call: OperationCall) -> Reply:
    """Run the handler of ``call.op`` on ``app`` (501 when the fake does not implement it): the one handler entry."""
    return handler_for(call.op)(app, call)


def _typed(param: Param, values: list[str]) -> Any:
    if param.type == "array":
        return [item for v in values for item in v.split(",") if item != ""]
    value = values[-1]
    if param.type == "boolean":
        lowered = value.lower()
        if lowered in _TRUE or lowered in _FALSE:
            return lowered in _TRUE
        raise BadRequest(f"parameter {param.name!r} must be true or false, got {value!r}", parameter=param.name)
    if param.type == "integer":
        try:
            return int(value)
        except ValueError:
            raise BadRequest(
                f"parameter {param.name!r} must be an integer, got {value!r}", parameter=param.name
            ) from None
    return value
