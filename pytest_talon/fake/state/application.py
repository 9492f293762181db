"""The :class:`Application` container: every record of one fake Application, its id counters and its clock.

:meth:`FakeTalon.reset` simply replaces the Application. :class:`LedgerRules` is its loyalty ledger's policy.
"""

from __future__ import annotations

import weakref
from collections import defaultdict, deque
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from pytest_talon.fake.campaigns.campaign import Campaign
from pytest_talon.fake.campaigns.groups import EvaluationGroup
from pytest_talon.fake.state.clock import FakeClock
from pytest_talon.fake.state.compact import Interner
from pytest_talon.fake.state.ledger import LedgerEntry, LoyaltyLedger
from pytest_talon.fake.state.points import replay
from pytest_talon.fake.state.programs import CardRecord, LoyaltyProgram, add_duration
from pytest_talon.fake.state.records import (
    ACCOUNT_ID,
    APPLICATION_ID,
    CampaignUsage,
    CouponRecord,
    EventRecord,
    ProfileRecord,
    RecordedRequest,
    ReferralRecord,
    RequestLog,
    ReturnRecord,
    SessionRecord,
)
from pytest_talon.fake.state.webhooks import WebhookDef, WebhookRecord

__all__ = ["DEFAULT_MAX_REQUESTS", "Application", "LedgerRules"]

#: How many requests the request log keeps (the oldest are dropped first), unless told otherwise.
DEFAULT_MAX_REQUESTS = 10_000
#: How many of the newest stored events keep their effects (older ones keep everything else: type, time, ids).
EVENT_EFFECTS_KEPT = 64


@dataclass
class Application:
    """The whole state of one fake Application; replaced wholesale by :meth:`FakeTalon.reset`."""

    clock: FakeClock
    application_id: int = APPLICATION_ID
    account_id: int = ACCOUNT_ID
    profiles: dict[str, ProfileRecord] = field(default_factory=dict)
    sessions: dict[str, SessionRecord] = field(default_factory=dict)
    #: The newest event records (custom and built-in), bounded like the request log (``FakeTalon(max_requests=...)``);
    #: what the API reads back of older ones is in :attr:`event_times`.
    events: deque[EventRecord] = field(default_factory=lambda: deque(maxlen=DEFAULT_MAX_REQUESTS))
    #: For each event type an achievement counts (``event:<type>``), the times of every such event per profile: the
    #: only part of events the API reads back (achievement progress), kept whole while the records are bounded.
    event_times: dict[str, dict[str, list[datetime]]] = field(default_factory=dict)
    campaigns: dict[int, Campaign] = field(default_factory=dict)
    #: Campaign evaluation groups by id (see :mod:`~pytest_talon.fake.campaigns.groups`); campaigns in none are
    #: stackable.
    evaluation_groups: dict[int, EvaluationGroup] = field(default_factory=dict)
    usage: dict[int, CampaignUsage] = field(default_factory=lambda: defaultdict(CampaignUsage))
    coupons: dict[str, CouponRecord] = field(default_factory=dict)
    referrals: dict[str, ReferralRecord] = field(default_factory=dict)
    returns: dict[int, ReturnRecord] = field(default_factory=dict)
    loyalty: LoyaltyLedger = field(default_factory=LoyaltyLedger)
    #: The request log, newest last, bounded (``FakeTalon(max_requests=...)``).
    requests: deque[RecordedRequest] = field(default_factory=lambda: RequestLog(maxlen=DEFAULT_MAX_REQUESTS))
    #: The webhooks declared, triggered (bounded like the request log) and waiting to be sent.
    webhook_defs: dict[int, WebhookDef] = field(default_factory=dict)
    webhooks: deque[WebhookRecord] = field(default_factory=lambda: deque(maxlen=DEFAULT_MAX_REQUESTS))
    outbox: list[tuple[WebhookRecord, WebhookDef]] = field(default_factory=list)
    #: Stored answers of returnCartItems by ``Idempotency-Key``: (stored at, status, body).
    idempotency: dict[str, tuple[datetime, int, Any]] = field(default_factory=dict)
    # ---- loyalty programs and cards, audiences, catalogs, achievements, price history ----------------------
    loyalty_programs: dict[int, LoyaltyProgram] = field(default_factory=dict)
    loyalty_cards: dict[str, CardRecord] = field(default_factory=dict)
    audiences: dict[int, Any] = field(default_factory=dict)
    catalogs: dict[int, Any] = field(default_factory=dict)
    achievements: dict[int, Any] = field(default_factory=dict)
    price_history: list[Any] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    _counters: dict[str, int] = field(default_factory=dict)
    #: Lookup structures derived from the state (e.g. the campaign index), rebuilt when what they index changes.
    indexes: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    #: How many stored sessions name each profile integration id (kept by :meth:`store_session`).
    _sessions_per_profile: dict[str, int] = field(default_factory=lambda: defaultdict(int), repr=False, compare=False)
    #: Shared copies of the strings, floats and records stored cart items repeat (not state: a memory device).
    interned: Interner = field(default_factory=Interner, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.loyalty.policy = LedgerRules(self)

    def next_id(self, kind: str) -> int:
        """The next deterministic id for one kind of entity (``"session"``, ``"coupon"``...), starting at 1."""
        self._counters[kind] = self._counters.get(kind, 0) + 1
        return self._counters[kind]

    def counters(self) -> dict[str, int]:
        """A copy of the id counters, to undo the ids a trial evaluation used (see :meth:`restore_counters`)."""
        return dict(self._counters)

    def restore_counters(self, snapshot: dict[str, int]) -> None:
        """Put back id counters taken with :meth:`counters`."""
        self._counters = dict(snapshot)

    def now(self) -> datetime:
        """The fake's current instant."""
        return self.clock.now()

    def profile_or_create(self, integration_id: str) -> tuple[ProfileRecord, bool]:
        """The profile with this integration id, created empty if missing; the flag says whether it was created."""
        found = self.profiles.get(integration_id)
        if found is not None:
            return found, False
        now = self.now()
        created = ProfileRecord(
            id=self.next_id("profile"), integration_id=integration_id, created=now, last_activity=now
        )
        self.profiles[integration_id] = created
        return created, True

    def store_session(self, record: SessionRecord) -> None:
        """Store (or replace) a session under its integration id, keeping the per-profile index current."""
        per_profile = self._sessions_per_profile
        replaced = self.sessions.get(record.integration_id)
        if replaced is not None:
            per_profile[replaced.profile_id] -= 1
        per_profile[record.profile_id] += 1
        self.sessions[record.integration_id] = record

    def has_sessions(self, profile_id: str) -> bool:
        """Whether any stored session belongs to this profile (O(1); sessions are stored with :meth:`store_session`)."""
        return self._sessions_per_profile.get(profile_id, 0) > 0

    def record_event(self, type_: str, **fields: Any) -> EventRecord:
        """Create and store an event of ``type_`` (custom or built-in such as ``talon_session_created``)."""
        event = EventRecord(id=self.next_id("event"), type=type_, created=self.now(), **fields)
        events = self.events
        if len(events) >= EVENT_EFFECTS_KEPT:
            # Effects of a stored event are only ever read in the answer of the request that recorded it: past the
            # newest events they go, so updating the same sessions over and over does not grow the state by them.
            events[-EVENT_EFFECTS_KEPT].effects = []
        events.append(event)  # the oldest record goes once the deque is full
        counted = self.event_times.get(type_)
        if counted is not None and event.profile_id:
            counted.setdefault(event.profile_id, []).append(event.created)
        return event

    def counted_events(self, type_: str) -> dict[str, list[datetime]]:
        """The times of the events of ``type_`` per profile, counted from now on as an achievement counts them (the
        first call for a type starts from the event records still kept)."""
        counted = self.event_times.get(type_)
        if counted is None:
            counted = self.event_times[type_] = {}
            for event in self.events:
                if event.type == type_ and event.profile_id:
                    counted.setdefault(event.profile_id, []).append(event.created)
        return counted

    def count_achievement_events(self) -> None:
        """Keep the times of every event type an achievement counts (:meth:`counted_events`) from now on, beyond the
        bounded event records."""
        for achievement in self.achievements.values():
            if achievement.counted_event is not None:
                self.counted_events(achievement.counted_event)


class LedgerRules:
    """The ledger policy of one Application: program defaults on new entries, active balances now."""

    def __init__(self, app: Application) -> None:
        # A weak reference: the Application holds its ledger, which holds this policy; a strong one would make a
        # cycle, and a fake nobody holds any more would wait for the cyclic garbage collector.
        self._app = weakref.ref(app)

    @property
    def app(self) -> Application:
        """The Application whose ledger this is."""
        app = self._app()
        if app is None:  # pragma: no cover - the Application holds its ledger, which holds this
            raise RuntimeError("the Application of this ledger no longer exists")
        return app

    def __reduce__(self) -> tuple[type[LedgerRules], tuple[Application]]:
        """Pickled with its Application (state checkpoints)."""
        return LedgerRules, (self.app,)

    def __deepcopy__(self, memo: dict[int, Any]) -> LedgerRules:
        """Stay bound to the live Application when only the ledger is copied (dry runs), to the copy otherwise."""
        copied = memo.get(id(self.app))
        return LedgerRules(copied) if copied is not None else self

    def on_add(self, entry: LedgerEntry) -> None:
        """Give the entry an id, its card (card programs), its dates (additions) or its cap (rollbacks)."""
        app = self.app
        entry.id = entry.id or app.next_id("ledger_entry")
        program = app.loyalty_programs.get(entry.program_id)
        if program is None:
            return
        original = self._reversed(entry)
        if original is not None:
            entry.card_identifier = entry.card_identifier or original.card_identifier
            entry.session_id = entry.session_id or original.session_id
        if program.card_based and entry.card_identifier is None:
            entry.card_identifier = self._session_card(entry.session_id)
        if entry.amount > 0 and entry.reverses is None:
            self.settle_dates(program, entry)
        elif entry.amount < 0 and entry.reverses is not None:
            entry.amount = -self._rollback_cap(program, entry)

    def balance(self, entries: list[LedgerEntry], sub_ledger_id: str | None) -> Decimal:
        """The active points of these entries now (all subledgers when ``sub_ledger_id`` is None)."""
        subs = {e.sub_ledger_id for e in entries} if sub_ledger_id is None else {sub_ledger_id}
        now = self.app.now()
        return sum((replay([e for e in entries if e.sub_ledger_id == s], now).balance.active for s in subs), Decimal(0))

    def _reversed(self, entry: LedgerEntry) -> LedgerEntry | None:
        if entry.reverses is None:
            return None
        found = [e for e in self.app.loyalty.entries(entry.program_id) if e.transaction_uuid == entry.reverses]
        return found[0] if found else None

    def _session_card(self, session_id: str | None) -> str | None:
        session = self.app.sessions.get(session_id or "")
        cards = session.loyalty_cards if session is not None else None
        return cards[0] if cards else None

    @staticmethod
    def settle_dates(program: LoyaltyProgram, entry: LedgerEntry) -> None:
        """Set a new addition's start/expiry (or activation wait and validity) from the program's settings."""
        pending, validity = program.default_pending, program.default_validity
        if entry.start_date is None and not entry.awaits_activation:
            if pending == "on_action":
                entry.awaits_activation = True
            elif pending != "immediate":
                entry.start_date = add_duration(entry.created, pending)
        if entry.expiry_date is None and validity != "unlimited":
            if entry.awaits_activation and entry.start_date is None:
                entry.validity_duration = entry.validity_duration or validity
            else:
                entry.expiry_date = add_duration(entry.start_date or entry.created, validity)

    def _rollback_cap(self, program: LoyaltyProgram, entry: LedgerEntry) -> Decimal:
        wanted = -entry.amount
        if program.return_policy == "unlimited":
            return wanted
        same = [
            e
            for e in self.app.loyalty.entries(entry.program_id, entry.profile_id)
            if e.sub_ledger_id == entry.sub_ledger_id and e.card_identifier == entry.card_identifier
        ]
        state = replay(same, entry.created)
        target = next((b for b in state.buckets if b.entry.transaction_uuid == entry.reverses), None)
        pending = target.remaining if target is not None and target.status() == "pending" else Decimal(0)
        if program.return_policy == "only_pending":
            return min(wanted, pending)
        return min(wanted, pending + state.balance.active)
