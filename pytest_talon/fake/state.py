"""The fake Application's state: entity records, id counters, the clock and the request log.

Everything here is plain data; the rules that change it live in :mod:`~pytest_talon.fake.engine` and the
per-domain handler modules. :meth:`FakeTalon.reset` simply replaces the :class:`Application`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from pytest_talon.fake.clock import FakeClock
from pytest_talon.fake.loyalty_ledger import LoyaltyLedger

if TYPE_CHECKING:
    from pytest_talon.fake.campaigns import Campaign
    from pytest_talon.fake.groups import EvaluationGroup

__all__ = [
    "ACCOUNT_ID",
    "APPLICATION_ID",
    "Application",
    "CampaignUsage",
    "Committed",
    "CouponRecord",
    "EventRecord",
    "ProfileRecord",
    "RecordedRequest",
    "ReferralRecord",
    "ReturnRecord",
    "SessionRecord",
]

#: The id of the one Application an API key gives access to.
APPLICATION_ID = 1
#: The account owning the Application.
ACCOUNT_ID = 1


@dataclass
class ProfileRecord:
    """A customer profile: attributes, audience memberships and the counters closing sessions maintain."""

    id: int
    integration_id: str
    created: datetime
    last_activity: datetime
    attributes: dict[str, Any] = field(default_factory=dict)
    audience_ids: list[int] = field(default_factory=list)
    closed_sessions: int = 0
    total_sales: float = 0.0


@dataclass
class Committed:
    """What closing a session committed, so cancel, reopen and returns can roll it back."""

    coupon_ids: list[int] = field(default_factory=list)
    referral_id: int | None = None
    effects: list[dict[str, Any]] = field(default_factory=list)
    total: float = 0.0
    profile_id: str = ""
    #: Campaigns with an effect at close (kept when returns take unit discounts out of ``effects``).
    campaign_ids: list[int] = field(default_factory=list)


@dataclass
class SessionRecord:
    """A customer session as stored: the merged input fields, the state and the last evaluation's effects."""

    id: int
    integration_id: str
    created: datetime
    updated: datetime
    profile_id: str = ""
    state: str = "open"
    cart_items: list[dict[str, Any]] = field(default_factory=list)
    additional_costs: dict[str, dict[str, Any]] = field(default_factory=dict)
    coupon_codes: list[str] = field(default_factory=list)
    referral_code: str | None = None
    loyalty_cards: list[str] | None = None
    identifiers: list[str] | None = None
    attributes: dict[str, Any] = field(default_factory=dict)
    store_integration_id: str | None = None
    evaluable_campaign_ids: list[int] | None = None
    experiment_variant_allocations: list[dict[str, Any]] | None = None
    first_session: bool = True
    update_count: int = 0
    effects: list[dict[str, Any]] = field(default_factory=list)
    committed: Committed | None = None
    return_ids: list[int] = field(default_factory=list)


@dataclass
class EventRecord:
    """A recorded event (custom or built-in) with the effects it produced."""

    id: int
    type: str
    created: datetime
    attributes: dict[str, Any] = field(default_factory=dict)
    profile_id: str | None = None
    session_id: str | None = None
    store_integration_id: str | None = None
    effects: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class CouponRecord:
    """A coupon code: its campaign, limits and counters, validity window, recipient and reservations."""

    id: int
    value: str
    campaign_id: int
    created: datetime
    usage_limit: int = 1
    usage_counter: int = 0
    profile_usage_limit: int = 0
    profile_redemptions: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    discount_limit: float | None = None
    discount_counter: float = 0.0
    start_date: datetime | None = None
    expiry_date: datetime | None = None
    recipient_integration_id: str | None = None
    attributes: dict[str, Any] = field(default_factory=dict)
    reservation: bool = True
    is_reservation_mandatory: bool = False
    reserved_by: list[str] = field(default_factory=list)
    referral_id: int | None = None
    batch_id: str | None = None


@dataclass
class ReferralRecord:
    """A referral code: campaign, advocate, optional bound friend, validity window, limit and counter."""

    id: int
    code: str
    campaign_id: int
    advocate_profile_integration_id: str
    created: datetime
    friend_profile_integration_id: str | None = None
    start_date: datetime | None = None
    expiry_date: datetime | None = None
    usage_limit: int = 0
    usage_counter: int = 0
    attributes: dict[str, Any] = field(default_factory=dict)
    referred_customers: list[str] = field(default_factory=list)
    batch_id: str | None = None


@dataclass
class ReturnRecord:
    """One return of cart items from a closed session."""

    id: int
    created: datetime
    session_id: int
    session_integration_id: str
    event_id: int
    returned_cart_items: list[dict[str, Any]]
    profile_id: int | None = None
    profile_integration_id: str | None = None


@dataclass
class CampaignUsage:
    """Run-time counters of one campaign: coupon/referral redemptions, total and per profile."""

    coupon_redemptions: int = 0
    referral_redemptions: int = 0
    profile_redemptions: dict[str, int] = field(default_factory=lambda: defaultdict(int))


@dataclass
class RecordedRequest:
    """One request the fake answered: what came in, what went out, and the effect types it returned."""

    method: str
    path: str
    operation_id: str | None
    query: dict[str, list[str]]
    json: Any
    status: int
    response_json: Any
    effect_types: list[str] = field(default_factory=list)


@dataclass
class Application:
    """The whole state of one fake Application; replaced wholesale by :meth:`FakeTalon.reset`."""

    clock: FakeClock
    application_id: int = APPLICATION_ID
    account_id: int = ACCOUNT_ID
    profiles: dict[str, ProfileRecord] = field(default_factory=dict)
    sessions: dict[str, SessionRecord] = field(default_factory=dict)
    events: list[EventRecord] = field(default_factory=list)
    campaigns: dict[int, Campaign] = field(default_factory=dict)
    #: Campaign evaluation groups by id (see :mod:`~pytest_talon.fake.groups`); campaigns in none are stackable.
    evaluation_groups: dict[int, EvaluationGroup] = field(default_factory=dict)
    usage: dict[int, CampaignUsage] = field(default_factory=lambda: defaultdict(CampaignUsage))
    coupons: dict[str, CouponRecord] = field(default_factory=dict)
    referrals: dict[str, ReferralRecord] = field(default_factory=dict)
    returns: dict[int, ReturnRecord] = field(default_factory=dict)
    loyalty: LoyaltyLedger = field(default_factory=LoyaltyLedger)
    requests: list[RecordedRequest] = field(default_factory=list)
    #: Stored answers of returnCartItems by ``Idempotency-Key``: (stored at, status, body).
    idempotency: dict[str, tuple[datetime, int, Any]] = field(default_factory=dict)
    # ---- part 2 slots: loyalty programs/cards, audiences, catalogs, achievements, price history -------------
    # Each part-2 domain module keeps its records here (replace ``Any`` by its record types when it lands).
    loyalty_programs: dict[int, Any] = field(default_factory=dict)
    loyalty_cards: dict[str, Any] = field(default_factory=dict)
    audiences: dict[int, Any] = field(default_factory=dict)
    catalogs: dict[int, Any] = field(default_factory=dict)
    achievements: dict[int, Any] = field(default_factory=dict)
    price_history: list[Any] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    _counters: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        from pytest_talon.fake.loyalty_rules import LedgerRules  # part 2: program rules for the ledger

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

    def record_event(self, type_: str, **fields: Any) -> EventRecord:
        """Create and store an event of ``type_`` (custom or built-in such as ``talon_session_created``)."""
        event = EventRecord(id=self.next_id("event"), type=type_, created=self.now(), **fields)
        self.events.append(event)
        return event
