"""``FakeTalon``: the public face of the fake, one thread-safe request handler over one Application's state."""

from __future__ import annotations

import contextlib
import dataclasses
import threading
from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from pytest_talon import models
from pytest_talon._spec.operations import OPERATIONS
from pytest_talon.fake.backend import encode
from pytest_talon.fake.backend.achievements import seed_achievement, seed_achievement_progress
from pytest_talon.fake.backend.audiences import audience_model, seed_audience
from pytest_talon.fake.backend.campaigns import next_campaign_id, seed_group, store_campaign
from pytest_talon.fake.backend.catalogs import catalog_model, seed_catalog
from pytest_talon.fake.backend.coupons import seed_coupon
from pytest_talon.fake.backend.giveaways import giveaway_model, seed_giveaway
from pytest_talon.fake.backend.loyalty import seed_card, seed_points, seed_program
from pytest_talon.fake.backend.loyalty_views import card_entries, card_model, profile_entries
from pytest_talon.fake.backend.pricing import seed_price
from pytest_talon.fake.backend.referrals import seed_referral
from pytest_talon.fake.campaigns.campaign import Campaign
from pytest_talon.fake.campaigns.groups import EvaluationGroup, parse_group
from pytest_talon.fake.delivery import SEND_TIMEOUT, WebhookSender
from pytest_talon.fake.errors import FakeSetupError, NotFound
from pytest_talon.fake.http.face import HttpFace
from pytest_talon.fake.live import register
from pytest_talon.fake.setup.files import load_campaign_file, parse_campaign
from pytest_talon.fake.setup.sections import apply_sections
from pytest_talon.fake.state.achievements import AchievementDef
from pytest_talon.fake.state.application import DEFAULT_MAX_REQUESTS, Application
from pytest_talon.fake.state.clock import FakeClock
from pytest_talon.fake.state.explanation import Explanation
from pytest_talon.fake.state.faults import Fault, check_fault
from pytest_talon.fake.state.points import Balance, balances_by_subledger
from pytest_talon.fake.state.programs import LoyaltyProgram
from pytest_talon.fake.state.records import RecordedRequest, RequestLog
from pytest_talon.fake.state.snapshot import export_state, import_state
from pytest_talon.fake.state.webhooks import WebhookRecord

if TYPE_CHECKING:
    import respx

    from pytest_talon.client import AsyncTalonClient, TalonClient

__all__ = ["DEFAULT_API_KEY", "DEFAULT_BASE_URL", "FakeTalon"]

#: The API key a :class:`FakeTalon` accepts when none is given.
DEFAULT_API_KEY = "fake-talon-api-key"
#: The base URL a :class:`FakeTalon` claims when none is given (``.test`` never resolves on a real network).
DEFAULT_BASE_URL = "https://fake-talon.test"


_OPERATION_IDS = frozenset(op.operation_id for op in OPERATIONS)  # what inject_fault accepts


class FakeTalon:
    """An in-memory Talon.One Application: fresh and empty, deterministic ids and an injectable clock. Its
    arguments are attributes of the same name: ``api_key``, sent as ``Authorization: ApiKey-v1 <key>``; ``base_url``,
    the URL it claims for :meth:`mock` and the clients (``https://fake-talon.test``, never resolvable); ``clock``, its
    :class:`FakeClock` (pass one to share it); ``max_requests``, the entries the request and webhook logs and the
    event records keep."""

    def __init__(
        self,
        api_key: str = DEFAULT_API_KEY,
        *,
        base_url: str = DEFAULT_BASE_URL,
        clock: FakeClock | None = None,
        max_requests: int = DEFAULT_MAX_REQUESTS,
    ) -> None:
        if not api_key:
            raise FakeSetupError("FakeTalon(api_key='') is not usable: pass a non-empty key or omit it for the default")
        self.api_key = api_key
        register(self)
        self.base_url = base_url.rstrip("/")
        self.clock = clock if clock is not None else FakeClock()
        self.max_requests = max_requests
        self._lock = threading.RLock()
        self.app = self._new_app()
        self._face = HttpFace(self, self._lock)
        self._busy = self._face.busy
        self._sender = WebhookSender(self._lock)

    def handle(self, request: httpx.Request) -> httpx.Response:
        """Answer one ``httpx.Request`` as the live API would; never raises (a fake bug becomes a recorded 500)."""
        response = self._face.handle(request)
        if self.app.outbox:  # webhooks with a url: sent from another thread, after the answer, outside the lock
            with self._lock:
                outbox, self.app.outbox = self.app.outbox, []
            self._sender.send(outbox)
        return response

    def _new_app(self) -> Application:
        bound = self.max_requests
        return Application(
            clock=self.clock,
            requests=RequestLog(maxlen=bound),
            webhooks=deque(maxlen=bound),
            events=deque(maxlen=bound),
        )

    # ---- lifecycle and adapters ----------------------------------------------------------------------------

    def reset(self) -> None:
        """Forget everything: campaigns, coupons, profiles, sessions, the request log (the clock keeps its time)."""
        with self._lock:
            self.app = self._new_app()
        self.clear_faults()

    @property
    def requests(self) -> list[RecordedRequest]:
        """The requests answered, oldest first (a copy; the last ``max_requests``), as ``RecordedRequest`` entries:
        docs/fake.md says what each field holds (``raw_path``, ``request_headers``...); each entry's ``explain()`` says
        why it was answered so (docs/explain.md)."""
        with self._lock:
            return list(self.app.requests)

    def explain(self, index: int = -1) -> Explanation:
        """Why the fake answered request ``index`` of :attr:`requests` (default: the last) as it did: the campaigns
        it weighed, the rule and condition that decided, on what values (docs/explain.md); IndexError if none."""
        with self._lock:
            entry = self.app.requests[index]
        return entry.explain()

    def clear_requests(self) -> None:
        """Empty the request log."""
        with self._lock:
            self.app.requests.clear()

    # ---- faults, webhooks and snapshots --------------------------------------------------------------------

    def inject_fault(
        self,
        operation_id: str | None = None,
        *,
        status: int | None = None,
        times: int = 1,
        retry_after: int | None = None,
        delay: float = 0.0,
        kind: str = "status",
    ) -> None:
        """Answer the next ``times`` requests for ``operation_id`` (any when None) with ``status`` (400-599) in the
        API's error shape, after ``delay`` seconds (0-60), with ``Retry-After: <retry_after>`` when it is given (whole
        seconds). ``kind`` fails the transport instead: ``"reset"`` (no answer: httpx raises
        ``RemoteProtocolError``), ``"stall"`` (no answer for ``delay`` seconds, default 30: ``ReadTimeout``),
        ``"truncated"`` (the request is handled, half its answer sent: ``RemoteProtocolError``), ``"non_json"`` (an
        HTML body with ``status``, default 502); in-process transports raise at once what httpx raises over HTTP;
        :meth:`clear_faults` and :meth:`reset` drop the faults left (snapshots leave them out)."""
        self._face.faults.add(check_fault(Fault(operation_id, status, times, retry_after, delay, kind), _OPERATION_IDS))

    def clear_faults(self) -> None:
        """Forget every injected fault not used up yet."""
        self._face.faults.clear()

    @property
    def webhooks(self) -> list[WebhookRecord]:
        """Every webhook ``triggerWebhook`` effects triggered, oldest first (a copy, once those with a ``url`` were
        sent or failed, waiting at most a few seconds)."""
        self._sender.wait(SEND_TIMEOUT + 1)
        with self._lock:
            return [dataclasses.replace(w) for w in self.app.webhooks]

    def export_state(self, *, logs: bool = True) -> dict[str, Any]:
        """A JSON-ready snapshot of the whole state (records, id counters, request log, webhooks, clock); with
        ``logs=False`` the request log and the triggered webhooks are left out (restored empty)."""
        with self._lock:
            return export_state(self.app, logs=logs)

    def import_state(self, data: Any) -> None:
        """Replace the state with a snapshot from :meth:`export_state` (the clock moves to its instant). The fake
        keeps its own ``applicationId``: a snapshot of another Application takes this one's id."""
        with self._lock:
            application_id = self.app.application_id
            self.app = import_state(data, self.clock, self.max_requests)
            self.app.application_id = application_id

    def transport(self) -> httpx.BaseTransport:
        """An httpx transport that answers in-process (not a ``MockTransport``, so vcrpy leaves it alone)."""
        from pytest_talon.fake.http.adapters import HandlerTransport

        return HandlerTransport(self.handle)

    def async_transport(self) -> httpx.AsyncBaseTransport:
        """The async counterpart of :meth:`transport`."""
        from pytest_talon.fake.http.adapters import AsyncHandlerTransport

        return AsyncHandlerTransport(self.handle)

    def mock(self) -> respx.MockRouter:
        """A respx router sending every httpx request for :attr:`base_url` to this fake."""
        from pytest_talon.fake.http.adapters import respx_router

        return respx_router(self.handle, self.base_url)

    @contextlib.contextmanager
    def serve(self, host: str = "127.0.0.1", port: int = 0, **limits: Any) -> Iterator[str]:
        """Serve this fake and its admin API (``/_fake/``) over real HTTP on ``host:port`` (0 = a free port); yields
        the base URL; ``POST /_fake/applications`` adds Applications, each with its own key and state
        (docs/fake-server.md). ``limits``: the server's ``max_body`` (bytes per request body; 413 beyond),
        ``read_timeout`` (seconds of silence before a connection is closed), ``max_connections`` (served at once; 503
        beyond)."""
        from pytest_talon.fake.http.admin import with_admin
        from pytest_talon.fake.http.server import serve

        with serve(with_admin(self, self._lock, spawn=self._spawn), host, port, **limits) as base_url:
            yield base_url

    def _spawn(self, api_key: str) -> tuple[FakeTalon, threading.RLock]:  # another Application of its server
        fake = FakeTalon(api_key, base_url=self.base_url, max_requests=self.max_requests)
        return fake, fake._lock

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
            parsed = parse_campaign(campaign, fields, next_id=next_campaign_id(self.app))
            return store_campaign(self.app, parsed)

    def load_campaigns(self, source: str | Path | Mapping[str, Any]) -> list[Campaign]:
        """Load campaigns (and their ``coupons``/``referrals``) from a YAML/JSON file path or an equivalent mapping."""
        loaded = load_campaign_file(source)
        added = [self.add_campaign(c) for c in loaded.campaigns]
        for label, group in loaded.evaluation_groups:
            try:
                self.add_evaluation_group(group)
            except FakeSetupError as exc:
                raise FakeSetupError(f"{label}: {exc}") from None
        with self._lock:  # seeded as add_coupon/add_referral do, without building the answers they return
            for coupon in loaded.coupons:
                seed_coupon(self.app, **coupon)
            for referral in loaded.referrals:
                seed_referral(self.app, **referral)
        self.load_sections(loaded.sections, loaded.where)
        return added

    def add_evaluation_group(
        self, group: EvaluationGroup | Mapping[str, Any] | None = None, **fields: Any
    ) -> EvaluationGroup:
        """Group existing campaigns: an :class:`EvaluationGroup`, a campaigns-file mapping, or its keyword fields."""
        with self._lock:
            return seed_group(self.app, parse_group(group, fields))

    def add_coupon(self, value: str, campaign_id: int, **fields: Any) -> models.Coupon:
        """Create a coupon code in a campaign (a ``models.Coupon``): ``usage_limit`` (default 1; 0 = unlimited, also for
        ``profile_usage_limit``), ``start_date``, ``expiry_date`` (aware), ``recipient_integration_id``, ``reservation``
        (True), ``is_reservation_mandatory``, ``reserved_by`` (profile ids), ``discount_limit``, ``attributes``..."""
        with self._lock:
            return encode.coupon(seed_coupon(self.app, value, campaign_id, **fields))

    def add_referral(self, code: str, campaign_id: int, advocate: str, **fields: Any) -> models.Referral:
        """Create a referral code for an advocate in a campaign (a ``models.Referral``): ``friend``, ``start_date``,
        ``expiry_date`` (aware), ``usage_limit`` (0 = unlimited), ``attributes``, ``batch_id``."""
        with self._lock:
            return encode.referral(seed_referral(self.app, code, campaign_id, advocate, **fields))

    def add_loyalty_program(self, program: LoyaltyProgram | None = None, **fields: Any) -> LoyaltyProgram:
        """Declare a loyalty program: a :class:`LoyaltyProgram` or its fields (``id``, ``name``, ``card_based``...)."""
        with self._lock:
            return seed_program(self.app, program, **fields)

    def add_loyalty_card(
        self,
        program_id: int,
        identifier: str | None = None,
        *,
        profiles: Sequence[str] = (),
        status: str = "active",
    ) -> models.LoyaltyCard:
        """Create a card in a card-based program (identifier generated when omitted), linked to ``profiles``."""
        with self._lock:
            return card_model(
                self.app, seed_card(self.app, program_id, identifier, profiles=list(profiles), status=status)
            )

    def add_loyalty_points(self, program_id: int, amount: float | Decimal, **fields: Any) -> str:
        """Import points for a ``profile=`` or a ``card=`` (``sub_ledger_id``, ``start_date``, ``expiry_date``,
        ``awaits_activation``, ``name``); a negative amount deducts. Returns the transaction UUID."""
        with self._lock:
            return seed_points(self.app, program_id, amount, **fields).transaction_uuid

    def loyalty_points(
        self, program_id: int, *, profile: str | None = None, card: str | None = None
    ) -> dict[str, Balance]:
        """The point totals now, per subledger (``""`` is the main ledger), of a profile or a card."""
        with self._lock:
            if card is not None:
                entries = card_entries(self.app, program_id, card)
            else:
                entries = profile_entries(self.app, program_id, profile or "")
            return {sub: r.balance for sub, r in balances_by_subledger(entries, self.app.now()).items()}

    def loyalty_card(self, identifier: str) -> models.LoyaltyCard:
        """The card with this identifier, as the API shows it; raises :class:`NotFound`."""
        with self._lock:
            card = self.app.loyalty_cards.get(identifier)
            if card is None:
                raise NotFound(f"no loyalty card {identifier!r} in the fake")
            return card_model(self.app, card)

    def add_audience(
        self, name: str, *, id: int | None = None, members: Sequence[str] = (), **fields: Any
    ) -> models.Audience:
        """Declare an audience (``description``, ``integration``, ``integration_id``, ``sandbox``) with members."""
        with self._lock:
            return audience_model(self.app, seed_audience(self.app, name, id=id, members=list(members), **fields))

    def add_catalog(
        self,
        id: int,
        name: str = "",
        *,
        items: Sequence[dict[str, Any]] = (),
        description: str = "",
    ) -> models.Catalog:
        """Declare a cart item catalog with items (``sku``, ``price``, ``attributes``, ``product``)."""
        with self._lock:
            return catalog_model(self.app, seed_catalog(self.app, id, name, items=list(items), description=description))

    def catalog_items(self, catalog_id: int) -> dict[str, dict[str, Any]]:
        """The items of a catalog by SKU (a copy); raises :class:`NotFound`."""
        with self._lock:
            found = self.app.catalogs.get(catalog_id)
            if found is None:
                raise NotFound(f"no catalog {catalog_id} in the fake")
            return {sku: dict(item) for sku, item in found.items.items()}

    def add_achievement(self, name: str, title: str, target: float, campaign_id: int, **fields: Any) -> AchievementDef:
        """Declare an achievement (``metric``, ``period``, ``fixed_start_date``, ``end_date``, ``id``...)."""
        with self._lock:
            return seed_achievement(self.app, name=name, title=title, target=target, campaign_id=campaign_id, **fields)

    def add_achievement_progress(
        self, profile: str, achievement_id: int, delta: float = 1.0, *, at: datetime | None = None
    ) -> None:
        """Record progress of a profile in an achievement (at ``at``, default now)."""
        with self._lock:
            seed_achievement_progress(self.app, profile, achievement_id, delta, at)

    def add_price_history(self, sku: str, price: float, observed_at: datetime, **fields: Any) -> None:
        """Record an observed price (``context_id``, ``audience_id``, ``influencing_campaigns``, ``adjustment``)."""
        with self._lock:
            seed_price(self.app, sku, price, observed_at, **fields)

    def add_giveaway(self, pool_id: int, code: str, *, profile: str | None = None, **fields: Any) -> models.Giveaway:
        """Create a giveaway code in a pool, awarded to ``profile`` when given."""
        with self._lock:
            return giveaway_model(self.app, seed_giveaway(self.app, pool_id, code, profile=profile, **fields))

    def load_sections(self, sections: Mapping[str, Any], where: str = "<mapping>") -> None:
        """Apply the other sections of a campaigns file (``loyaltyPrograms``, ``audiences``, ``catalogs``...)."""
        with self._lock:
            apply_sections(self.app, sections, where)

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

    def loyalty_balance(self, profile_id: str, program_id: int) -> Decimal:
        """The committed loyalty balance of a profile in a program (points written at session close), exact."""
        with self._lock:
            return self.app.loyalty.balance(program_id, profile_id)

    def operations_implemented(self) -> list[str]:
        """Operation ids the fake has a handler for, sorted."""
        from pytest_talon.fake.fidelity import implemented_operations  # the handler registry, loaded on first use

        return implemented_operations()
