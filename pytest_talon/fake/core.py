"""``FakeTalon``: the public face of the fake, one thread-safe request handler over one Application's state."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import threading
import traceback
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from pytest_talon import models
from pytest_talon._operation import Operation
from pytest_talon.fake import encode
from pytest_talon.fake.campaign_files import load_campaign_file, parse_campaign
from pytest_talon.fake.engine.codes import seed_coupon, seed_referral
from pytest_talon.fake.engine.groups import seed_group
from pytest_talon.fake.errors import Conflict, FakeBug, FakeError, FakeSetupError, NotFound, Unauthorized, error_body
from pytest_talon.fake.part2_setup import Part2Setup
from pytest_talon.fake.routes import Call, decode_call, handler_for, load_handlers, match
from pytest_talon.fake.rules.campaign import Campaign
from pytest_talon.fake.rules.groups import EvaluationGroup, parse_group
from pytest_talon.fake.state.application import Application
from pytest_talon.fake.state.clock import FakeClock
from pytest_talon.fake.state.records import RecordedRequest

if TYPE_CHECKING:
    import respx

    from pytest_talon.client import AsyncTalonClient, TalonClient

__all__ = ["DEFAULT_API_KEY", "DEFAULT_BASE_URL", "FakeTalon"]

#: The API key a :class:`FakeTalon` accepts when none is given.
DEFAULT_API_KEY = "fake-talon-api-key"
#: The base URL a :class:`FakeTalon` claims when none is given (``.test`` never resolves on a real network).
DEFAULT_BASE_URL = "https://fake-talon.test"

#: Operations whose concurrent requests on one session or profile answer 409, and how to find that key.
_LOCK_KEYS: dict[str, Callable[[Call], str | None]] = {
    "updateCustomerSessionV2": lambda c: f"session:{c.path['customerSessionId']}",
    "updateCustomerProfileV2": lambda c: f"profile:{c.path['integrationId']}",
    "trackEventV2": lambda c: f"profile:{c.body.profile_id}" if c.body.profile_id else None,
}


class FakeTalon(Part2Setup):
    """An in-memory Talon.One Application: fresh and empty, deterministic ids and an injectable clock.

    Every request goes through :meth:`handle`; :meth:`transport`, :meth:`mock` and :meth:`serve` are three ways
    of getting requests to it. Seed state with :meth:`add_campaign`, :meth:`add_evaluation_group`,
    :meth:`load_campaigns`, :meth:`add_coupon` and :meth:`add_referral`; inspect it with :attr:`requests`,
    :meth:`session` and :meth:`profile`.
    """

    def __init__(
        self, api_key: str = DEFAULT_API_KEY, *, base_url: str = DEFAULT_BASE_URL, clock: FakeClock | None = None
    ) -> None:
        if not api_key:
            raise FakeSetupError("FakeTalon(api_key='') is not usable: pass a non-empty key or omit it for the default")
        self.api_key = api_key
        self.base_url = base_url.rstrip("/")
        self.clock = clock if clock is not None else FakeClock()
        self._lock = threading.RLock()
        self._busy_lock = threading.Lock()
        self._busy: set[str] = set()
        self.app = Application(clock=self.clock)
        load_handlers()

    # ---- the handler ---------------------------------------------------------------------------------------

    def handle(self, request: httpx.Request) -> httpx.Response:
        """Answer one request as the live API would; never raises (a fake bug becomes a recorded 500)."""
        seen = _Seen()
        try:
            request.read()
            status, body, headers = self._dispatch(request, seen)
        except FakeError as exc:
            status, body, headers = exc.status_code, error_body(exc, seen.op), {}
        except Exception as exc:
            status, body, headers = 500, error_body(_bug(exc), seen.op), {}
        response = _response(request, status, body, headers)
        self._record(request, seen, status, body)
        return response

    def _dispatch(self, request: httpx.Request, seen: _Seen) -> tuple[int, Any, dict[str, str]]:
        self._authenticate(request)
        seen.op, params = match(request.method, request.url.raw_path.decode())
        seen.call = decode_call(seen.op, params, request)
        handler = handler_for(seen.op)
        key_of = _LOCK_KEYS.get(seen.op.operation_id)
        key = key_of(seen.call) if key_of is not None else None
        with self._claim(key), self._lock:
            reply = handler(self.app, seen.call)
            return reply.status, reply.to_json(), reply.headers

    def _authenticate(self, request: httpx.Request) -> None:
        header = request.headers.get("Authorization")
        if header is None:
            raise Unauthorized("Unauthorized - Invalid API key: the Authorization header is missing")
        scheme, _, key = header.partition(" ")
        if scheme != "ApiKey-v1" or not key:
            raise Unauthorized("Unauthorized - Invalid API key: send 'Authorization: ApiKey-v1 <key>'")
        if key.strip() != self.api_key:
            raise Unauthorized("Unauthorized - Invalid API key: this key does not belong to the Application")

    @contextlib.contextmanager
    def _claim(self, key: str | None) -> Iterator[None]:
        if key is None:
            yield
            return
        with self._busy_lock:
            if key in self._busy:
                kind = key.split(":", 1)[0]
                raise Conflict(f"Too many requests are updating this {kind} at the same time")
            self._busy.add(key)
        try:
            yield
        finally:
            with self._busy_lock:
                self._busy.discard(key)

    def _record(self, request: httpx.Request, seen: _Seen, status: int, body: Any) -> None:
        effects = body.get("effects") if isinstance(body, dict) else None
        entry = RecordedRequest(
            method=request.method,
            path=request.url.path,
            operation_id=seen.op.operation_id if seen.op is not None else None,
            query=_query(request),
            json=seen.call.raw_json if seen.call is not None else _json_or_none(request),
            status=status,
            response_json=body,
            effect_types=[e.get("effectType", "") for e in effects if isinstance(e, dict)] if effects else [],
        )
        with self._lock:
            self.app.requests.append(entry)

    # ---- lifecycle and adapters ----------------------------------------------------------------------------

    def reset(self) -> None:
        """Forget everything: campaigns, coupons, profiles, sessions, the request log (the clock keeps its time)."""
        with self._lock:
            self.app = Application(clock=self.clock)

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request answered so far, oldest first (a copy)."""
        with self._lock:
            return list(self.app.requests)

    def transport(self) -> httpx.BaseTransport:
        """An httpx transport that answers in-process (not a ``MockTransport``, so vcrpy leaves it alone)."""
        from pytest_talon.fake.adapters import HandlerTransport

        return HandlerTransport(self.handle)

    def async_transport(self) -> httpx.AsyncBaseTransport:
        """The async counterpart of :meth:`transport`."""
        from pytest_talon.fake.adapters import AsyncHandlerTransport

        return AsyncHandlerTransport(self.handle)

    def mock(self) -> respx.MockRouter:
        """A respx router sending every httpx request for :attr:`base_url` to this fake."""
        from pytest_talon.fake.adapters import respx_router

        return respx_router(self.handle, self.base_url)

    @contextlib.contextmanager
    def serve(self, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
        """Serve this fake over real HTTP on ``host:port`` (0 = a free port); yields the base URL."""
        from pytest_talon.fake.server import serve

        with serve(self.handle, host, port) as base_url:
            yield base_url

    def client(self, **kwargs: Any) -> TalonClient:
        """A :class:`~pytest_talon.client.TalonClient` wired to :meth:`transport` (extra kwargs go to it)."""
        from pytest_talon.client import TalonClient

        return TalonClient(self.base_url, self.api_key, transport=self.transport(), **kwargs)

    def async_client(self, **kwargs: Any) -> AsyncTalonClient:
        """An :class:`~pytest_talon.client.AsyncTalonClient` wired to :meth:`async_transport`."""
        from pytest_talon.client import AsyncTalonClient

        return AsyncTalonClient(self.base_url, self.api_key, transport=self.async_transport(), **kwargs)

    # ---- setup helpers -------------------------------------------------------------------------------------

    def add_campaign(self, campaign: Campaign | Mapping[str, Any] | None = None, **fields: Any) -> Campaign:
        """Add a campaign: a :class:`Campaign`, a mapping in the campaigns-file vocabulary, or ``Campaign`` kwargs."""
        with self._lock:
            parsed = parse_campaign(campaign, fields, next_id=self._next_campaign_id())
            if parsed.id in self.app.campaigns:
                raise FakeSetupError(f"add_campaign: campaign id {parsed.id} is taken; omit id to get the next one")
            self.app.campaigns[parsed.id] = parsed
            return parsed

    def load_campaigns(self, source: str | Path | Mapping[str, Any]) -> list[Campaign]:
        """Load campaigns (and their ``coupons``/``referrals``) from a YAML/JSON file path or an equivalent mapping."""
        loaded = load_campaign_file(source)
        added = [self.add_campaign(c) for c in loaded.campaigns]
        for label, group in loaded.evaluation_groups:
            try:
                self.add_evaluation_group(group)
            except FakeSetupError as exc:
                raise FakeSetupError(f"{label}: {exc}") from None
        for coupon in loaded.coupons:
            self.add_coupon(**coupon)
        for referral in loaded.referrals:
            self.add_referral(**referral)
        self.load_sections(loaded.sections, loaded.where)
        return added

    def add_evaluation_group(
        self, group: EvaluationGroup | Mapping[str, Any] | None = None, **fields: Any
    ) -> EvaluationGroup:
        """Group existing campaigns: an :class:`EvaluationGroup`, a campaigns-file mapping, or its keyword fields."""
        with self._lock:
            return seed_group(self.app, parse_group(group, fields))

    def add_coupon(self, value: str, campaign_id: int, **fields: Any) -> models.Coupon:
        """Create a coupon code in a campaign (``usage_limit``, ``expiry_date``, ``recipient_integration_id``...)."""
        with self._lock:
            return encode.coupon(seed_coupon(self.app, value, campaign_id, **fields))

    def add_referral(self, code: str, campaign_id: int, advocate: str, **fields: Any) -> models.Referral:
        """Create a referral code for an advocate in a campaign (``friend``, ``usage_limit``, dates...)."""
        with self._lock:
            return encode.referral(seed_referral(self.app, code, campaign_id, advocate, **fields))

    def _next_campaign_id(self) -> int:
        return max(self.app.campaigns, default=0) + 1

    # ---- inspection ----------------------------------------------------------------------------------------

    def session(self, integration_id: str) -> models.CustomerSessionV2:
        """The stored session with this integration id, as the API shows it; raises :class:`NotFound`."""
        with self._lock:
            record = self.app.sessions.get(integration_id)
            if record is None:
                raise NotFound(f"no customer session {integration_id!r} in the fake")
            return encode.session(self.app, record)

    def profile(self, integration_id: str) -> models.CustomerProfile:
        """The stored profile with this integration id, as the API shows it; raises :class:`NotFound`."""
        with self._lock:
            record = self.app.profiles.get(integration_id)
            if record is None:
                raise NotFound(f"no customer profile {integration_id!r} in the fake")
            return encode.profile(self.app, record)

    def coupon(self, value: str) -> models.Coupon:
        """The coupon with this code, with its current counters; raises :class:`NotFound`."""
        with self._lock:
            record = self.app.coupons.get(value)
            if record is None:
                raise NotFound(f"no coupon {value!r} in the fake")
            return encode.coupon(record)

    def referral(self, code: str) -> models.Referral:
        """The referral with this code, with its current counter; raises :class:`NotFound`."""
        with self._lock:
            record = self.app.referrals.get(code)
            if record is None:
                raise NotFound(f"no referral {code!r} in the fake")
            return encode.referral(record)

    def loyalty_balance(self, profile_id: str, program_id: int) -> float:
        """The committed loyalty balance of a profile in a program (points written at session close)."""
        with self._lock:
            return self.app.loyalty.balance(program_id, profile_id)

    def operations_implemented(self) -> list[str]:
        """Operation ids the fake has a handler for, sorted."""
        return sorted(load_handlers())


def _response(request: httpx.Request, status: int, body: Any, headers: Mapping[str, str]) -> httpx.Response:
    if body is None or status == 204:
        return httpx.Response(status, headers=dict(headers), request=request)
    content = json.dumps(body, separators=(",", ":")).encode()
    return httpx.Response(
        status, content=content, headers={"Content-Type": "application/json", **headers}, request=request
    )


def _bug(exc: BaseException) -> FakeBug:
    where = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)[-3:])
    message = (
        f"pytest-talon fake bug (not a Talon.One answer): {type(exc).__name__}: {exc}. Please report it with this body."
    )
    return FakeBug(message, details=where)


def _query(request: httpx.Request) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, value in request.url.params.multi_items():
        out.setdefault(key, []).append(value)
    return out


def _json_or_none(request: httpx.Request) -> Any:
    try:
        return json.loads(request.content) if request.content else None
    except (json.JSONDecodeError, UnicodeDecodeError, httpx.RequestNotRead):
        return None


@dataclasses.dataclass
class _Seen:
    """How far dispatching got: the matched operation and the decoded call (for error shapes and the log)."""

    op: Operation | None = None
    call: Call | None = None
