"""The admin API under ``/_fake/``: what a suite in any language needs to drive the standalone fake.

:func:`with_admin` wraps a fake's handler: requests under ``/_fake/`` are answered here (behind the same
``Authorization: ApiKey-v1 <key>``), every other request goes to the fake. ``POST /_fake/reset`` goes back to the
state the fake had when the wrapper was made (when the server started), kept as an in-process
:class:`~pytest_talon.fake.state.checkpoint.Checkpoint`. Errors are JSON in the API's error shape.

The endpoints are a route table, :data:`ROUTES` (one :class:`AdminRoute` each, registered with ``@_route``), as the
Integration API's operations are. Writes are atomic: the input is checked first (bodies by :mod:`.admin_bodies`),
then the state changes in one step under the fake's lock; a campaigns file failing halfway is undone from a
checkpoint taken under the same lock, so nothing a concurrent request did is lost.

May import: :mod:`pytest_talon.fake.state`, :mod:`pytest_talon.fake.errors`, :mod:`.guards` and
:mod:`.admin_bodies` (the fake is reached through the :class:`AdminTarget` protocol, which
:class:`~pytest_talon.fake.FakeTalon` satisfies).
"""

from __future__ import annotations

import contextlib
import json
import math
import threading
from collections.abc import Callable, Iterator, Mapping
from typing import Any, NamedTuple, Protocol

import httpx
import pydantic

from pytest_talon import models
from pytest_talon._memory import release
from pytest_talon._time import format_rfc3339, parse_rfc3339
from pytest_talon.errors import TalonError
from pytest_talon.fake.campaigns.campaign import Campaign
from pytest_talon.fake.errors import BadRequest, FakeError, Forbidden, NotFound, Unauthorized, error_body
from pytest_talon.fake.http.admin_bodies import MAX_YAML_NODES, field_of, object_body, only, query_int
from pytest_talon.fake.http.applications import Applications, Spawn
from pytest_talon.fake.http.guards import MethodNotAllowed
from pytest_talon.fake.http.log_json import request_json
from pytest_talon.fake.state.application import Application
from pytest_talon.fake.state.checkpoint import checkpoint, restore
from pytest_talon.fake.state.clock import FakeClock, check_instant
from pytest_talon.fake.state.records import APPLICATION_ID, RecordedRequest
from pytest_talon.fake.state.webhooks import WebhookRecord

__all__ = ["MAX_YAML_NODES", "PREFIX", "ROUTES", "AdminRoute", "AdminTarget", "with_admin"]

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
        status: int | None = None,
        times: int = 1,
        retry_after: int | None = None,
        delay: float = 0.0,
        kind: str = "status",
    ) -> None: ...
    def clear_faults(self) -> None: ...
    def export_state(self, *, logs: bool = True) -> dict[str, Any]: ...
    def import_state(self, data: Any) -> None: ...
    def session(self, integration_id: str) -> Any: ...
    def profile(self, integration_id: str) -> Any: ...
    def coupon(self, value: str) -> Any: ...
    def referral(self, code: str) -> Any: ...


Answer = tuple[int, Any]
Endpoint = Callable[["_Admin", "_Input"], Answer]

#: What the bodies of endpoints that read one must be (anything else is a 400 saying so).
_OBJECT = "a JSON object"
_CAMPAIGNS = "a campaigns file: a mapping with 'campaigns', 'coupons'... (YAML or JSON)"


class AdminRoute(NamedTuple):
    """One endpoint of the admin API: method and path under ``/_fake/``, what its body is, and the code."""

    method: str
    path: str
    #: What the body must be (None: the endpoint reads no body).
    body: str | None
    endpoint: Endpoint


#: The admin API's routes, in the order the docs list them: registered with :func:`_route`.
ROUTES: list[AdminRoute] = []


def _route(method: str, path: str, *, body: str | None = None) -> Callable[[Endpoint], Endpoint]:
    def register(endpoint: Endpoint) -> Endpoint:
        ROUTES.append(AdminRoute(method, path, body, endpoint))
        return endpoint

    return register


class _Input(NamedTuple):
    """What an endpoint reads: the decoded body (``{}`` when it has none) and the query parameters."""

    body: dict[str, Any]
    query: httpx.QueryParams
    #: The path's ``{name}`` segments.
    path: dict[str, str]


def with_admin(
    fake: AdminTarget, lock: threading.RLock | None = None, *, spawn: Spawn | None = None
) -> Callable[[httpx.Request], httpx.Response]:
    """A handler answering ``/_fake/...`` itself and everything else with ``fake.handle``; the fake's state now is
    what ``POST /_fake/reset`` restores. ``lock`` is the lock serialising the fake's requests (``FakeTalon``'s own
    lock, which ``FakeTalon.serve()`` and ``talon-fake serve`` pass): every admin write validates its input first,
    then changes the state in one step under this lock, so a concurrent request sees the state before or after it,
    and a refused write changes nothing.

    With ``spawn``, ``POST /_fake/applications`` adds Applications, each a fake of its own (state, caches, faults,
    clock, lock) reached with its own API key: every request, admin calls included, goes to the Application of the
    key in its ``Authorization`` header (one dictionary look-up, whatever the number of Applications)."""
    return Applications(_Admin, fake, lock if lock is not None else threading.RLock(), spawn).handle


class _Admin:
    def __init__(self, fake: AdminTarget, lock: threading.RLock, registry: Applications, app_id: int) -> None:
        self.fake = fake
        self.lock = lock
        self.registry = registry
        self.app_id = app_id
        with lock:
            self.baseline = checkpoint(fake.app)  # reset restores the state, with empty logs

    def handle(self, request: httpx.Request) -> httpx.Response:
        if not request.url.path.startswith(PREFIX):
            return self.fake.handle(request)
        headers: dict[str, str] = {}
        try:
            request.read()
            _authenticate(request, self.fake.api_key)
            route, params = _find(request.method, request.url.path[len(PREFIX) :].rstrip("/"))
            body = object_body(request, route.body) if route.body is not None else {}
            status, answer = route.endpoint(self, _Input(body, request.url.params, params))
        except FakeError as exc:
            status, answer = exc.status_code, error_body(exc, None)
            headers = dict(getattr(exc, "headers", {}))
        except TalonError as exc:
            pointer = getattr(exc, "pointer", None)
            status, answer = 400, error_body(BadRequest(str(exc), pointer=pointer), None)
        if answer is None:
            return httpx.Response(status, headers=headers, request=request)
        content = json.dumps(answer, separators=(",", ":")).encode()
        headers["Content-Type"] = "application/json"
        return httpx.Response(status, content=content, headers=headers, request=request)

    @contextlib.contextmanager
    def _all_or_nothing(self) -> Iterator[None]:
        """Hold the fake's lock for a write; when it fails, put the state back as it was (logs included)."""
        with self.lock:
            live = self.fake.app
            before = checkpoint(live)
            try:
                yield
            except BaseException:
                app = restore(before, self.fake.clock)
                app.requests, app.webhooks, app.outbox = live.requests, live.webhooks, live.outbox
                self.fake.app = app
                raise

    # ---- the endpoints, in the order of the docs ----

    @_route("POST", "applications", body=_CAMPAIGNS)
    def add_application(self, given: _Input) -> Answer:
        self._root_only()
        unknown = sorted(set(given.query) - {"copyFrom"})
        if unknown:
            raise BadRequest(f"unknown query parameter(s) {unknown}; use copyFrom", parameter=unknown[0])
        if len(given.query.get_list("copyFrom")) > 1:
            raise BadRequest("copyFrom is given more than once: name one Application", parameter="copyFrom")
        copy_from = query_int(given.query, "copyFrom")
        created = self.registry.add(given.body, copy_from)
        answer: dict[str, Any] = {"applicationId": created.app_id, "apiKey": created.fake.api_key}
        if copy_from is not None:
            answer["copiedFrom"] = copy_from  # an older server ignores the parameter: clients can tell
        return 201, answer

    @_route("GET", "applications")
    def applications(self, _: _Input) -> Answer:
        self._root_only()
        return 200, [{"applicationId": i} for i in sorted(self.registry.by_id)]

    @_route("DELETE", "applications/{applicationId}")
    def drop_application(self, given: _Input) -> Answer:
        self._root_only()
        self.registry.drop(given.path["applicationId"])
        return 204, None

    def _root_only(self) -> None:
        if self.app_id != APPLICATION_ID:
            raise Forbidden(
                f"this key belongs to Application {self.app_id}: /_fake/applications takes the server's key "
                "(the default Application's)"
            )

    @_route("POST", "reset")
    def reset(self, _: _Input) -> Answer:
        with self.lock:
            self.fake.app = restore(self.baseline, self.fake.clock)
            self.fake.clear_faults()
        release()  # the old state's memory goes back to the system (pytest_talon._memory)
        return 204, None

    @_route("POST", "campaigns", body=_CAMPAIGNS)
    def load(self, given: _Input) -> Answer:
        try:
            with self._all_or_nothing():
                loaded = self.fake.load_campaigns(given.body)
        except (TalonError, ValueError, TypeError, KeyError) as exc:
            raise BadRequest(f"bad campaigns file (nothing was loaded): {exc}", pointer="/") from None
        return 201, {"campaigns": [{"id": c.id, "name": c.name} for c in loaded]}

    @_route("GET", "clock")
    def clock(self, _: _Input) -> Answer:
        return 200, {"now": format_rfc3339(self.fake.clock.now())}

    @_route("PUT", "clock", body=_OBJECT)
    def set_clock(self, given: _Input) -> Answer:
        only(given.body, {"now"})
        raw = field_of(given.body, "now", str, required=True)
        try:
            when = check_instant(parse_rfc3339(raw))
        except (ValueError, TalonError, OverflowError) as exc:
            raise BadRequest(f"now: {exc}", pointer="/now") from None
        with self.lock:
            self.fake.clock.set(when)
        return self.clock(given)

    @_route("POST", "clock/advance", body=_OBJECT)
    def advance(self, given: _Input) -> Answer:
        units = ("days", "hours", "minutes", "seconds")
        only(given.body, set(units))
        step = {name: field_of(given.body, name, (int, float), default=0) for name in units}
        for name, amount in step.items():
            if not math.isfinite(amount) or amount < 0:
                message = f"{name} must be a finite number, 0 or more, got {amount!r} (backwards: PUT /_fake/clock)"
                raise BadRequest(message, pointer=f"/{name}")
        with self.lock:
            try:
                self.fake.clock.advance(**step)
            except TalonError as exc:
                field = next((n for n in units if step[n]), "days")
                raise BadRequest(f"{field}: {exc}", pointer=f"/{field}") from None
        return self.clock(given)

    @_route("GET", "requests")
    def requests(self, given: _Input) -> Answer:
        limit = query_int(given.query, "limit")
        after = query_int(given.query, "after") or 0
        with self.lock:
            log = self.fake.app.requests
            stop = len(log) if limit is None else min(len(log), after + limit)
            page = [log[i] for i in range(after, stop)]
        return 200, [request_json(r, after + i) for i, r in enumerate(page)]

    @_route("GET", "requests/{n}/explain")
    def explain(self, given: _Input) -> Answer:
        raw = given.path["n"]
        try:
            index = int(raw)
        except ValueError:
            raise BadRequest(f"n must be an integer (a position in GET {PREFIX}requests), got {raw!r}") from None
        with self.lock:
            log = self.fake.app.requests
            if not -len(log) <= index < len(log):
                raise NotFound(f"no request {index} in the request log: it has {len(log)}")
            entry = log[index]
        return 200, entry.explain().to_json()

    @_route("DELETE", "requests")
    def clear_requests(self, _: _Input) -> Answer:
        self.fake.clear_requests()
        return 204, None

    @_route("POST", "faults", body=_OBJECT)
    def add_fault(self, given: _Input) -> Answer:
        data = given.body
        only(data, {"operationId", "status", "times", "retryAfter", "delayMs", "kind"})
        kind = field_of(data, "kind", str, default="status")
        fault = {
            "operation_id": field_of(data, "operationId", str),
            "kind": kind,
            "status": field_of(data, "status", int, required=kind == "status"),
            "times": field_of(data, "times", int, default=1),
            "retry_after": field_of(data, "retryAfter", int),
            "delay": field_of(data, "delayMs", (int, float), default=0) / 1000,
        }
        if not math.isfinite(fault["delay"]):
            raise BadRequest("delayMs must be a finite number", pointer="/delayMs")
        self.fake.inject_fault(fault["operation_id"], **{k: v for k, v in fault.items() if k != "operation_id"})
        names = {"operation_id": "operationId", "retry_after": "retryAfter"}
        echoed = {names.get(k, k): v for k, v in fault.items() if k != "delay"}
        return 201, {**echoed, "delayMs": round(fault["delay"] * 1000)}

    @_route("DELETE", "faults")
    def clear_faults(self, _: _Input) -> Answer:
        self.fake.clear_faults()
        return 204, None

    @_route("GET", "webhooks")
    def webhooks(self, _: _Input) -> Answer:
        return 200, [w.to_json() for w in self.fake.webhooks]

    @_route("GET", "state")
    def state(self, _: _Input) -> Answer:
        return 200, self.fake.export_state()

    @_route("PUT", "state", body=_OBJECT)
    def restore(self, given: _Input) -> Answer:
        with self.lock:
            before, now = self.fake.app, self.fake.clock.now()
            self.fake.import_state(given.body)  # every record checked first; the Application keeps its id
            try:
                _read_back(self.fake)
            except BadRequest:
                self.fake.app = before
                self.fake.clock.set(now)
                raise
        return 204, None


def _read_back(fake: AdminTarget) -> None:
    """A 400 naming the first session, profile, coupon or referral of an imported state the API could not show (a
    value of the right type it refuses, such as an unknown session state), before any request sees it."""
    for kind, ids, read in (
        ("sessions", fake.app.sessions, _session_reader(fake)),
        ("profiles", fake.app.profiles, fake.profile),
        ("coupons", fake.app.coupons, fake.coupon),
        ("referrals", fake.app.referrals, fake.referral),
    ):
        for key in list(ids):
            try:
                read(key)
            except (ValueError, TypeError, KeyError, AttributeError, ArithmeticError) as exc:
                first = str(exc).splitlines()[:3]
                pointer = f"/application/{kind}/{key}"
                raise BadRequest(f"{pointer}: the API cannot show it: {' '.join(first)}", pointer=pointer) from None


def _session_reader(fake: AdminTarget) -> Callable[[str], None]:
    """Reads a session as the API shows it: the session and the effects of its last evaluation and of its close."""

    def read(key: str) -> None:
        fake.session(key)
        record = fake.app.sessions[key]
        committed = record.committed.effects if record.committed is not None else []
        _EFFECTS.validate_python([*record.effects, *committed])

    return read


_EFFECTS = pydantic.TypeAdapter(list[models.Effect])


def _find(method: str, path: str) -> tuple[AdminRoute, dict[str, str]]:
    method = method.upper()
    methods: set[str] = set()
    for route in ROUTES:
        params = _match(route.path, path)
        if params is None:
            continue
        if route.method == method:
            return route, params
        methods.add(route.method)
    allowed = sorted(methods)
    if allowed:
        raise MethodNotAllowed(f"{method} is not allowed on {PREFIX}{path}; use {', '.join(allowed)}", allowed)
    paths = ", ".join(f"{r.method} {PREFIX}{r.path}" for r in ROUTES)
    raise NotFound(f"no admin endpoint {method} {PREFIX}{path}; the admin API has {paths}")


def _match(template: str, path: str) -> dict[str, str] | None:
    """The ``{name}`` segments of ``path`` when it matches ``template``, else None."""
    if "{" not in template:
        return {} if template == path else None
    want, got = template.split("/"), path.split("/")
    if len(want) != len(got):
        return None
    params: dict[str, str] = {}
    for pattern, segment in zip(want, got, strict=True):
        if pattern.startswith("{"):
            params[pattern[1:-1]] = segment
        elif pattern != segment:
            return None
    return params


def _authenticate(request: httpx.Request, api_key: str) -> None:
    scheme, _, key = request.headers.get("Authorization", "").partition(" ")
    if scheme != "ApiKey-v1" or key.strip() != api_key:
        raise Unauthorized("Unauthorized - Invalid API key: the admin API needs 'Authorization: ApiKey-v1 <key>'")
