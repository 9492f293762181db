"""The admin API under ``/_fake/``: what a suite in any language needs to drive the standalone fake.

:func:`with_admin` wraps a fake's handler: requests under ``/_fake/`` are answered here (behind the same
``Authorization: ApiKey-v1 <key>``), every other request goes to the fake. ``POST /_fake/reset`` goes back to the
state the fake had when the wrapper was made (when the server started), kept as an in-process
:class:`~pytest_talon.fake.state.checkpoint.Checkpoint`. Errors are JSON in the API's error shape.

May import: :mod:`pytest_talon.fake.state` and :mod:`pytest_talon.fake.errors` (the fake is reached through the
:class:`AdminTarget` protocol, which :class:`~pytest_talon.fake.FakeTalon` satisfies).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Mapping
from typing import Any, Protocol

import httpx
import yaml

from pytest_talon._time import format_rfc3339, parse_rfc3339
from pytest_talon.errors import TalonError
from pytest_talon.fake.errors import BadRequest, FakeError, NotFound, Unauthorized, error_body
from pytest_talon.fake.http.framing import status_error
from pytest_talon.fake.rules.campaign import Campaign
from pytest_talon.fake.state.application import Application
from pytest_talon.fake.state.checkpoint import checkpoint, restore
from pytest_talon.fake.state.clock import FakeClock
from pytest_talon.fake.state.records import RecordedRequest
from pytest_talon.fake.state.webhooks import WebhookRecord

__all__ = ["PREFIX", "AdminTarget", "with_admin"]

#: The path prefix of the admin API.
PREFIX = "/_fake/"


class AdminTarget(Protocol):
    """What the admin API needs of a fake (:class:`~pytest_talon.fake.FakeTalon` has it all)."""

    api_key: str
    clock: FakeClock
    #: The current state, replaced wholesale by a reset.
    app: Application

    @property
    def requests(self) -> list[RecordedRequest]: ...
    @property
    def webhooks(self) -> list[WebhookRecord]: ...
    def handle(self, request: httpx.Request) -> httpx.Response: ...
    def load_campaigns(self, source: Mapping[str, Any]) -> list[Campaign]: ...
    def clear_requests(self) -> None: ...
    def inject_fault(
        self,
        operation_id: str | None = None,
        *,
        status: int,
        times: int = 1,
        retry_after: int | None = None,
        delay: float = 0.0,
    ) -> None: ...
    def clear_faults(self) -> None: ...
    def export_state(self, *, logs: bool = True) -> dict[str, Any]: ...
    def import_state(self, data: Any) -> None: ...


Answer = tuple[int, Any]
_Route = Callable[["_Admin", Any], Answer]


def with_admin(fake: AdminTarget, lock: threading.RLock | None = None) -> Callable[[httpx.Request], httpx.Response]:
    """A handler answering ``/_fake/...`` itself and everything else with ``fake.handle``; the fake's state now is
    what ``POST /_fake/reset`` restores. ``lock`` is the lock serialising the fake's requests (``FakeTalon``'s own
    lock, which ``FakeTalon.serve()`` and ``talon-fake serve`` pass), held while the state is kept and restored."""
    return _Admin(fake, lock if lock is not None else threading.RLock()).handle


class _Admin:
    def __init__(self, fake: AdminTarget, lock: threading.RLock) -> None:
        self.fake = fake
        self.lock = lock
        with lock:
            self.baseline = checkpoint(fake.app)  # reset restores the state, with empty logs

    def handle(self, request: httpx.Request) -> httpx.Response:
        if not request.url.path.startswith(PREFIX):
            return self.fake.handle(request)
        try:
            request.read()
            _authenticate(request, self.fake.api_key)
            route = _route(request.method, request.url.path[len(PREFIX) :].rstrip("/"))
            status, body = route(self, _json_body(request) if request.method in ("POST", "PUT") else None)
        except FakeError as exc:
            status, body = exc.status_code, error_body(exc, None)
        except TalonError as exc:
            status, body = 400, error_body(BadRequest(str(exc)), None)
        if body is None:
            return httpx.Response(status, request=request)
        content = json.dumps(body, separators=(",", ":")).encode()
        return httpx.Response(status, content=content, headers={"Content-Type": "application/json"}, request=request)

    # ---- the endpoints ----

    def reset(self, _: Any) -> Answer:
        with self.lock:
            self.fake.app = restore(self.baseline, self.fake.clock)
        self.fake.clear_faults()
        return 204, None

    def load(self, data: Any) -> Answer:
        if not isinstance(data, dict):
            raise BadRequest("the body must be a campaigns file: a mapping with 'campaigns', 'coupons'...")
        before = self.fake.export_state()
        try:
            loaded = self.fake.load_campaigns(data)
        except (TalonError, ValueError, TypeError, KeyError) as exc:
            self.fake.import_state(before)  # all or nothing
            raise BadRequest(f"bad campaigns file: {exc}") from None
        return 201, {"campaigns": [{"id": c.id, "name": c.name} for c in loaded]}

    def clock(self, _: Any) -> Answer:
        return 200, {"now": format_rfc3339(self.fake.clock.now())}

    def set_clock(self, data: Any) -> Answer:
        raw = _field(data, "now", str, required=True)
        try:
            self.fake.clock.set(parse_rfc3339(raw))
        except ValueError as exc:
            raise BadRequest(f"now: {exc}", pointer="/now") from None
        return self.clock(None)

    def advance(self, data: Any) -> Answer:
        units = {name: _field(data, name, (int, float), default=0) for name in ("days", "hours", "minutes", "seconds")}
        unknown = set(data) - set(units) if isinstance(data, dict) else set()
        if unknown:
            raise BadRequest(f"unknown field(s) {sorted(unknown)}; use days, hours, minutes, seconds", pointer="/")
        self.fake.clock.advance(**units)
        return self.clock(None)

    def requests(self, _: Any) -> Answer:
        return 200, [_request_json(r) for r in self.fake.requests]

    def clear_requests(self, _: Any) -> Answer:
        self.fake.clear_requests()
        return 204, None

    def add_fault(self, data: Any) -> Answer:
        known = {"operationId", "status", "times", "retryAfter", "delayMs"}
        unknown = set(data) - known if isinstance(data, dict) else set()
        if unknown:
            raise BadRequest(f"unknown field(s) {sorted(unknown)}; use {', '.join(sorted(known))}", pointer="/")
        fault = {
            "operation_id": _field(data, "operationId", str),
            "status": _field(data, "status", int, required=True),
            "times": _field(data, "times", int, default=1),
            "retry_after": _field(data, "retryAfter", int),
            "delay": _field(data, "delayMs", (int, float), default=0) / 1000,
        }
        self.fake.inject_fault(fault["operation_id"], **{k: v for k, v in fault.items() if k != "operation_id"})
        names = {"operation_id": "operationId", "retry_after": "retryAfter"}
        echoed = {names.get(k, k): v for k, v in fault.items() if k != "delay"}
        return 201, {**echoed, "delayMs": round(fault["delay"] * 1000)}

    def clear_faults(self, _: Any) -> Answer:
        self.fake.clear_faults()
        return 204, None

    def webhooks(self, _: Any) -> Answer:
        return 200, [w.to_json() for w in self.fake.webhooks]

    def state(self, _: Any) -> Answer:
        return 200, self.fake.export_state()

    def restore(self, data: Any) -> Answer:
        self.fake.import_state(data)
        return 204, None


#: (method, path under /_fake/) -> endpoint.
_ROUTES: dict[tuple[str, str], _Route] = {
    ("POST", "reset"): _Admin.reset,
    ("POST", "campaigns"): _Admin.load,
    ("GET", "clock"): _Admin.clock,
    ("PUT", "clock"): _Admin.set_clock,
    ("POST", "clock/advance"): _Admin.advance,
    ("GET", "requests"): _Admin.requests,
    ("DELETE", "requests"): _Admin.clear_requests,
    ("POST", "faults"): _Admin.add_fault,
    ("DELETE", "faults"): _Admin.clear_faults,
    ("GET", "webhooks"): _Admin.webhooks,
    ("GET", "state"): _Admin.state,
    ("PUT", "state"): _Admin.restore,
}


def _route(method: str, path: str) -> _Route:
    found = _ROUTES.get((method.upper(), path))
    if found is not None:
        return found
    allowed = sorted(m for m, p in _ROUTES if p == path)
    if allowed:
        error = status_error(405, f"{method} is not allowed on {PREFIX}{path}; use {', '.join(allowed)}")
        raise error
    paths = ", ".join(sorted({f"{m} {PREFIX}{p}" for m, p in _ROUTES}))
    raise NotFound(f"no admin endpoint {method} {PREFIX}{path}; the admin API has {paths}")


def _authenticate(request: httpx.Request, api_key: str) -> None:
    scheme, _, key = request.headers.get("Authorization", "").partition(" ")
    if scheme != "ApiKey-v1" or key.strip() != api_key:
        raise Unauthorized("Unauthorized - Invalid API key: the admin API needs 'Authorization: ApiKey-v1 <key>'")


def _json_body(request: httpx.Request) -> Any:
    if not request.content.strip():
        return {}
    try:
        return yaml.safe_load(request.content) if _is_yaml(request) else json.loads(request.content)
    except (ValueError, yaml.YAMLError) as exc:
        raise BadRequest(f"the body is not valid JSON or YAML: {exc}", pointer="/") from None


def _is_yaml(request: httpx.Request) -> bool:
    kind = request.headers.get("Content-Type", "")
    return "yaml" in kind or (request.url.path.endswith("/campaigns") and "json" not in kind)


def _field(data: Any, name: str, kind: type | tuple[type, ...], *, required: bool = False, default: Any = None) -> Any:
    value = data.get(name) if isinstance(data, dict) else None
    if value is None:
        if required:
            raise BadRequest(f"{name} is required", pointer=f"/{name}")
        return default
    if isinstance(value, bool) or not isinstance(value, kind):
        raise BadRequest(f"{name} must be {_KINDS.get(kind, 'a number')}, got {value!r}", pointer=f"/{name}")
    return value


_KINDS: dict[Any, str] = {int: "an integer", str: "a string"}


def _request_json(entry: RecordedRequest) -> dict[str, Any]:
    return {
        "method": entry.method,
        "path": entry.path,
        "operationId": entry.operation_id,
        "query": entry.query,
        "json": entry.json,
        "status": entry.status,
        "responseJson": entry.response_json,
        "effectTypes": entry.effect_types,
        "ruleFailures": entry.rule_failures,
    }
