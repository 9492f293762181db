"""Entity records of the fake Application (profiles, sessions, events, coupons, referrals, returns) and the
request log entry.

Everything here is plain data; the rules that change it live in :mod:`pytest_talon.fake.engine` and the services
in :mod:`pytest_talon.fake.backend`.
"""

from __future__ import annotations

import copy
import dataclasses
import json
from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from pytest_talon.fake.state.compact import copy_json
from pytest_talon.fake.state.explanation import Explanation
from pytest_talon.fake.state.packed_log import PACK_BATCH, RECENT_UNPACKED, JsonText, PackedPair, pack_bodies

__all__ = [
    "ACCOUNT_ID",
    "APPLICATION_ID",
    "CampaignUsage",
    "Committed",
    "CouponRecord",
    "EventRecord",
    "ProfileRecord",
    "JsonText",
    "PACK_BATCH",
    "RECENT_UNPACKED",
    "RecordedRequest",
    "ReferralRecord",
    "RequestLog",
    "ReturnRecord",
    "SessionRecord",
    "log_headers",
    "pack_bodies",
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
    total_sales: Decimal = Decimal(0)


@dataclass
class Committed:
    """What closing a session committed, so cancel, reopen and returns can roll it back."""

    coupon_ids: list[int] = field(default_factory=list)
    referral_id: int | None = None
    effects: list[dict[str, Any]] = field(default_factory=list)
    total: Decimal = Decimal(0)
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

    def copied(self) -> SessionRecord:
        """A copy to change and store in place of this one (``copy.deepcopy`` at a fraction of its cost, for every
        update of a stored session): lists and dicts copied with their JSON values, the commit deep-copied. The
        cart's items and the effects are shared: stored items and effects are read-only (a return replaces the
        item it changes, an evaluation or a rollback replaces the list of effects, which the session's event
        shares). A speed device: about 8% of a served fake's CPU per update of a stored session
        (``python -m bench.bench_devices``, bench/README.md)."""
        twin = copy.copy(self)
        for name in _SESSION_CONTAINERS:
            value = getattr(self, name)
            if value is not None:
                setattr(twin, name, copy_json(value))
        twin.cart_items = list(self.cart_items)
        twin.effects = list(self.effects)
        twin.committed = copy.deepcopy(self.committed)
        return twin


#: The fields of :class:`SessionRecord` holding JSON-like lists and dicts (their annotations say so), but the cart
#: and the effects (shared: see :meth:`SessionRecord.copied`).
_SESSION_CONTAINERS = tuple(
    f.name
    for f in dataclasses.fields(SessionRecord)
    if str(f.type).startswith(("list[", "dict[")) and f.name not in ("cart_items", "effects")
)


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
    discount_counter: Decimal = Decimal(0)
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


class _Json:
    """A :class:`RecordedRequest` field holding decoded JSON: a :class:`JsonText` is stored as is, and a
    :class:`PackedPair` (document ``index`` of it) once :class:`RequestLog` packed the entry; both decoded on read."""

    def __init__(self, name: str, index: int) -> None:
        self._slot = "_" + name
        self._index = index

    def __get__(self, obj: Any, owner: type[Any] | None = None) -> Any:
        if obj is None:
            raise AttributeError(self._slot[1:])
        value = obj.__dict__[self._slot]
        if isinstance(value, JsonText):
            return json.loads(value)
        if isinstance(value, PackedPair):
            return json.loads(value.document(self._index))
        return value

    def __set__(self, obj: Any, value: Any) -> None:
        obj.__dict__[self._slot] = value


class _Headers:
    """A :class:`RecordedRequest` headers field: stored as one string (``name\0value`` lines, a third of a dict's
    size: the log keeps thousands of entries), read as a new ``dict[str, str]``."""

    def __init__(self, name: str) -> None:
        self._slot = "_" + name

    def __get__(self, obj: Any, owner: type[Any] | None = None) -> dict[str, str]:
        if obj is None:
            raise AttributeError(self._slot[1:])
        packed: str = obj.__dict__[self._slot]
        return dict(line.split("\0", 1) for line in packed.split("\n")) if packed else {}

    def __set__(self, obj: Any, value: dict[str, str]) -> None:
        obj.__dict__[self._slot] = "\n".join(f"{k}\0{v}" for k, v in value.items())


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
    #: JSON pointers of request-body fields the fake ignored because the operation's model does not know them.
    unknown_fields: list[str] = field(default_factory=list)
    #: The ``ruleFailureReasons`` entries with ``details`` of the evaluation answered - a Talang rule that failed at
    #: run time, an effect that could not be applied - whether or not the answer shows ``ruleFailureReasons``.
    rule_failures: list[dict[str, Any]] = field(default_factory=list)
    #: The path exactly as sent, percent-escapes kept (``path`` is decoded): ``/v2/customer_sessions/a%2Fb``.
    raw_path: str = ""
    #: The request headers (names lower-case, repeated ones joined by ``", "``), ``Authorization`` redacted to its
    #: scheme: ``"ApiKey-v1 [redacted]"``. Kept packed; each read gives a new dict.
    request_headers: dict[str, str] = field(default_factory=dict)
    #: The answer's headers (names lower-case): ``retry-after`` of a 429, ``content-type``...
    response_headers: dict[str, str] = field(default_factory=dict)
    #: The kind of fault injected into this request (``status``, ``reset``, ``stall``, ``truncated``, ``non_json``),
    #: None when it had none. A ``reset`` or ``stall`` sent no answer: its ``status`` is 0.
    fault: str | None = None
    #: What the evaluation answered weighed (read it with :meth:`explain`); a one-line note, or None, for a request
    #: the fake did not evaluate.
    trace: Any = field(default=None, repr=False, compare=False)

    def explain(self) -> Explanation:
        """Why the fake answered as it did: the campaigns it weighed, the rule and condition that decided, on what
        values, the verdict on each code (docs/explain.md); for a request it did not evaluate, one line saying so."""
        request = f"{self.method} {self.path} -> {self.status}"
        if self.trace is not None and not isinstance(self.trace, str):
            explanation: Explanation = self.trace.explain(request)
            return replace(explanation, rule_failures=tuple(self.rule_failures))
        return Explanation(request, False, note=self.trace or _why_not_evaluated(self))


def _why_not_evaluated(entry: RecordedRequest) -> str:
    if entry.status >= 400:
        return f"the fake answered {entry.status} and evaluated no rule"
    return f"the fake evaluated no rule for this request ({entry.operation_id or 'not an API operation'})"


# Installed after the dataclass is built, so both fields stay required; its __init__ then stores through them.
for _index, _name in enumerate(("json", "response_json")):
    setattr(RecordedRequest, _name, _Json(_name, _index))
for _name in ("request_headers", "response_headers"):
    setattr(RecordedRequest, _name, _Headers(_name))


def log_headers(items: Iterable[tuple[str, str]], *, redact: bool = False) -> dict[str, str]:
    """Headers as a request log keeps them: names lower-case, repeats joined by ``", "``; with ``redact``, the
    ``Authorization`` value cut to its scheme (``"ApiKey-v1 [redacted]"``)."""
    out: dict[str, str] = {}
    for name, value in items:
        key = name.lower()
        if redact and key == "authorization":
            value = f"{value.partition(' ')[0]} [redacted]"
        out[key] = f"{out[key]}, {value}" if key in out else value
    return out


class RequestLog(deque[RecordedRequest]):
    """The request log: a deque (bounded by ``maxlen``) that packs the wire bodies of its entries older than the
    newest :data:`~pytest_talon.fake.state.packed_log.RECENT_UNPACKED`, ``PACK_BATCH`` at a time
    (:func:`~pytest_talon.fake.state.packed_log.pack_bodies`); reading them is unchanged."""

    def __init__(self, entries: Iterable[RecordedRequest] = (), maxlen: int | None = None) -> None:
        super().__init__(entries, maxlen)
        #: How many of the newest entries were appended since the last packing (none of them is packed).
        self._unpacked = 0

    def append(self, entry: RecordedRequest) -> None:
        """Log ``entry``; pack the oldest :data:`PACK_BATCH` unpacked entries once they are not among the newest."""
        super().append(entry)
        self._unpacked = min(self._unpacked + 1, len(self))
        if self._unpacked >= RECENT_UNPACKED + PACK_BATCH:
            first = -self._unpacked
            pack_bodies([self[i] for i in range(first, first + PACK_BATCH)])
            self._unpacked -= PACK_BATCH

    def clear(self) -> None:
        """Remove every entry."""
        super().clear()
        self._unpacked = 0
