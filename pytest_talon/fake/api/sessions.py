"""Customer session operations: update (v2), get, return cart items and reopen, with the documented lifecycle."""

from __future__ import annotations

import copy
from datetime import datetime
from decimal import Decimal
from typing import Any

from pytest_talon import models
from pytest_talon._time import parse_rfc3339
from pytest_talon.fake.api import encode
from pytest_talon.fake.api.calls import Call, Reply, route
from pytest_talon.fake.api.encode import cart_totals
from pytest_talon.fake.api.responses import State, campaigns_in_scope, context_for, state_reply
from pytest_talon.fake.engine.context import dec
from pytest_talon.fake.engine.evaluation import Evaluation, evaluate
from pytest_talon.fake.engine.lifecycle import commit_close, rollback_close
from pytest_talon.fake.errors import BadRequest, NotFound
from pytest_talon.fake.state.application import Application
from pytest_talon.fake.state.records import EventRecord, ProfileRecord, SessionRecord
from pytest_talon.models._base import wire_dict_list

__all__ = ["get_customer_session", "reopen_customer_session", "session_or_404", "update_customer_session_v2"]

#: Allowed (from, to) state changes through updateCustomerSessionV2; None is a new session.
_TRANSITIONS = {
    (None, "open"),
    (None, "closed"),
    ("open", "open"),
    ("open", "closed"),
    ("open", "cancelled"),
    ("closed", "cancelled"),
    ("partially_returned", "cancelled"),
}
_READ_ONLY_ITEM_FIELDS = ("position", "returnedQuantity", "remainingQuantity")
#: The parts of the state a rollback changes, restored after a dry cancel (``extra`` holds achievement progress).
_ROLLBACK_TOUCHES = ("profiles", "coupons", "referrals", "usage", "loyalty", "extra")


def session_or_404(app: Application, call: Call) -> SessionRecord:
    """The stored session the call's ``customerSessionId`` names; 404 when there is none."""
    session_id = call.path["customerSessionId"]
    found = app.sessions.get(session_id)
    if found is None:
        raise NotFound(f"customer session {session_id!r} does not exist; create it with updateCustomerSessionV2")
    return found


def _check_transition(existing: SessionRecord | None, target: str) -> None:
    current = existing.state if existing is not None else None
    if (current, target) in _TRANSITIONS:
        return
    if current == "closed" and target == "closed":
        message = "the customer session is closed and cannot be modified; cancel it or reopen it first"
    elif current is None:
        message = f"a new customer session can only be created open or closed, not {target}"
    else:
        message = f"invalid customer session state transition from {current} to {target}"
    raise BadRequest(message, pointer="/customerSession/state")


def _now(app: Application, call: Call, dry: bool) -> datetime:
    raw = call.query.get("now")
    if raw is None:
        return app.now()
    if not dry:
        raise BadRequest("the now parameter needs dry=true", parameter="now")
    try:
        when = parse_rfc3339(str(raw), require_offset=False)
    except ValueError:
        raise BadRequest(f"now must be an RFC3339 date-time, got {raw!r}", parameter="now") from None
    if when.tzinfo is None or when <= app.now():
        raise BadRequest("now must be an RFC3339 date-time with a timezone, in the future", parameter="now")
    return when


def _validate_input(new: models.NewCustomerSessionV2, items: list[dict[str, Any]]) -> None:
    if len(items) > 1000:
        raise BadRequest("at most 1000 cart items per request", pointer="/customerSession/cartItems")
    if sum(i["quantity"] for i in items) > 10000:
        raise BadRequest("the cart items' quantities add up to more than 10000", pointer="/customerSession/cartItems")
    if new.identifiers is not None and len(new.identifiers) > 5:
        raise BadRequest("at most 5 identifiers per session", pointer="/customerSession/identifiers")
    if new.loyalty_cards is not None and len(new.loyalty_cards) > 1:
        raise BadRequest("at most 1 loyalty card per session", pointer="/customerSession/loyaltyCards")


def _merge(
    app: Application,
    base: SessionRecord,
    new: models.NewCustomerSessionV2,
    items: list[dict[str, Any]] | None,
    *,
    fresh: bool = False,
) -> SessionRecord:
    """``base`` with what ``new`` sends (its cart ``items`` as :func:`_items` gives them); a stored ``base`` is copied
    first, a ``fresh`` (unstored) one is reused."""
    merged = base if fresh else base.copied()
    sent = new.model_fields_set
    if "profile_id" in sent:
        merged.profile_id = new.profile_id or ""
    if items is not None:
        merged.cart_items = app.interned.records(items)  # stored for long: repeats shared
    if new.additional_costs is not None:
        merged.additional_costs = {k: v.to_wire() for k, v in new.additional_costs.items()}
    if new.coupon_codes is not None:
        merged.coupon_codes = list(dict.fromkeys(new.coupon_codes))
    if new.referral_code is not None:
        merged.referral_code = new.referral_code or None
    if new.attributes is not None:
        merged.attributes.update(new.attributes)
    for name in ("store_integration_id", "loyalty_cards", "identifiers", "evaluable_campaign_ids"):
        if getattr(new, name) is not None:
            setattr(merged, name, copy.copy(getattr(new, name)))  # a string or a list of strings/ints
    if new.experiment_variant_allocations is not None:
        merged.experiment_variant_allocations = [a.to_wire() for a in new.experiment_variant_allocations]
    merged.state = new.state
    return merged


def _items(new: models.NewCustomerSessionV2) -> list[dict[str, Any]] | None:
    """The cart items ``new`` sends in wire form without the read-only fields (None when it sends none). The fast
    body reader gives them as validated wire dicts (``bodies.WIRE_FIELDS``), the exact one as models."""
    items: list[Any] | None = new.cart_items
    if items is None:
        return None
    if items and type(items[0]) is dict:  # one validator read the whole list: all dicts or all models
        dumped: list[dict[str, Any]] = wire_dict_list(models.CartItem).dump_python(
            items, mode="json", exclude_none=True, exclude={"__all__": set(_READ_ONLY_ITEM_FIELDS)}
        )
        return dumped
    wire = models.CartItem.wire_list(items)
    for item in wire:
        for name in _READ_ONLY_ITEM_FIELDS:
            item.pop(name, None)
    return wire


def _blank(app: Application, session_id: str) -> SessionRecord:
    now = app.now()
    return SessionRecord(id=0, integration_id=session_id, created=now, updated=now)


def _profile_for(app: Application, profile_id: str, persist: bool) -> ProfileRecord | None:
    if not profile_id:
        return None
    if persist:
        return app.profile_or_create(profile_id)[0]
    found = app.profiles.get(profile_id)
    if found is not None:
        return copy.deepcopy(found)
    return ProfileRecord(id=0, integration_id=profile_id, created=app.now(), last_activity=app.now())


@route(
    "updateCustomerSessionV2",
    notes=(
        "Cost names and custom attributes are not checked against definitions; identifiers and store budgets "
        "are not modelled; `experimentVariantAllocations` is stored only; `evaluableCampaignIds` runs listed "
        "campaigns (disabled ones too) only with `dry=true`; a dry close evaluates the payload alone "
        "(INF, behaviour §9.14)."
    ),
)
def update_customer_session_v2(app: Application, call: Call) -> Reply:
    """Create or update a session, evaluate the campaigns, and apply the requested lifecycle change."""
    body: models.IntegrationRequest = call.body
    new = body.customer_session
    dry = bool(call.query.get("dry"))
    now = _now(app, call, dry)
    session_id = call.path["customerSessionId"]
    existing = app.sessions.get(session_id)
    _check_transition(existing, new.state)
    items = _items(new)
    _validate_input(new, items or [])
    if existing is not None and existing.state != "open" and new.state == "cancelled":
        return _revoke(app, existing, body, dry)
    if existing is not None and new.state == "cancelled":
        return _cancel_open(app, existing, new, items, body, dry)
    if existing is not None and not (dry and new.state == "closed"):
        candidate = _merge(app, existing, new, items)
    else:
        candidate = _merge(app, _blank(app, session_id), new, items, fresh=True)
    return _evaluate_and_store(app, candidate, existing, body, dry, now)


def _event_type(existing: SessionRecord | None, target: str) -> str:
    if existing is None:
        return "talon_session_created"
    return "talon_session_closed" if target == "closed" else "talon_session_updated"


def _evaluate_and_store(
    app: Application,
    candidate: SessionRecord,
    existing: SessionRecord | None,
    body: models.IntegrationRequest,
    dry: bool,
    now: datetime,
) -> Reply:
    profile = _profile_for(app, candidate.profile_id, persist=not dry)
    event_type = _event_type(existing, candidate.state)
    ctx = context_for(app, now, profile, event_type, candidate)
    if existing is None and candidate.state == "closed":
        ctx.also_events = frozenset({"talon_session_closed"})
    scope = campaigns_in_scope(app, candidate.evaluable_campaign_ids, dry)
    result = evaluate(ctx, scope, candidate.coupon_codes, candidate.referral_code)
    candidate.effects = result.effects
    if existing is None:
        candidate.first_session = not candidate.profile_id or not app.has_sessions(candidate.profile_id)
    event = _event(app, event_type, candidate, result, dry)
    if not dry:
        _store(app, candidate, existing, result, profile, now, ctx.subtotal)
    state = State(result=result, profile=profile, session=candidate, event=event, subtotal=ctx.subtotal)
    return state_reply(app, state, body.response_content)


def _event(app: Application, event_type: str, session: SessionRecord, result: Evaluation, dry: bool) -> EventRecord:
    fields: dict[str, Any] = {
        "profile_id": session.profile_id or None,
        "session_id": session.integration_id,
        "store_integration_id": session.store_integration_id,
        "effects": result.effects,
    }
    if dry:
        return EventRecord(id=app.next_id("event"), type=event_type, created=app.now(), **fields)
    return app.record_event(event_type, **fields)


def _store(
    app: Application,
    candidate: SessionRecord,
    existing: SessionRecord | None,
    result: Evaluation,
    profile: ProfileRecord | None,
    now: datetime,
    subtotal: Decimal,
) -> None:
    if existing is None:
        candidate.id = app.next_id("session")
    candidate.update_count += 1
    candidate.updated = now
    app.store_session(candidate)
    result.persist()
    if profile is not None:
        profile.last_activity = now
    if candidate.state == "closed":
        items, costs = cart_totals(candidate.cart_items, candidate.additional_costs, subtotal)
        candidate.committed = commit_close(app, candidate, result, dec(items) + dec(costs))


def _revoke(app: Application, existing: SessionRecord, body: models.IntegrationRequest, dry: bool) -> Reply:
    target = existing if not dry else copy.deepcopy(existing)
    if dry:
        rollbacks = _dry_rollbacks(app, target)
    else:
        rollbacks = rollback_close(app, target)
        target.state = "cancelled"
        target.updated = app.now()
        target.update_count += 1
        app.record_event(
            "talon_session_revoked", profile_id=target.profile_id or None, session_id=target.integration_id
        )
    result = Evaluation(effects=rollbacks)
    profile = app.profiles.get(target.profile_id)
    state = State(result=result, profile=profile, session=target)
    return state_reply(app, state, body.response_content)


def _dry_rollbacks(app: Application, session: SessionRecord) -> list[dict[str, Any]]:
    saved = {name: copy.deepcopy(getattr(app, name)) for name in _ROLLBACK_TOUCHES}
    try:
        return rollback_close(app, session)
    finally:
        for name, value in saved.items():
            setattr(app, name, value)


def _cancel_open(
    app: Application,
    existing: SessionRecord,
    new: models.NewCustomerSessionV2,
    items: list[dict[str, Any]] | None,
    body: models.IntegrationRequest,
    dry: bool,
) -> Reply:
    target = _merge(app, existing, new, items)
    if not dry:
        target.updated = app.now()
        target.update_count += 1
        target.effects = []
        app.store_session(target)
        app.record_event(
            "talon_session_cancelled", profile_id=target.profile_id or None, session_id=target.integration_id
        )
    state = State(result=Evaluation(), profile=app.profiles.get(target.profile_id), session=target)
    return state_reply(app, state, body.response_content)


@route(
    "getCustomerSession",
    notes=("Unknown id answers 404 `ErrorResponseWithStatus` (INF, behaviour §9.3)."),
)
def get_customer_session(app: Application, call: Call) -> Reply:
    """The stored session and its net effects (rolled-back effects removed with what they cancel)."""
    session = session_or_404(app, call)
    effects = session.committed.effects if session.committed is not None else session.effects
    return Reply(
        200,
        models.IntegrationCustomerSessionResponse(customer_session=encode.session(app, session), effects=effects),
    )


@route(
    "reopenCustomerSession",
    notes=(
        "Loyalty rollbacks are capped by the program's `returnPolicy` (see the INF points); free items, "
        "created coupons/referrals, reservations, custom effects and attribute updates stay, as documented."
    ),
)
def reopen_customer_session(app: Application, call: Call) -> Reply:
    """closed -> open, rolling back what closing committed; the rollback effects are the answer."""
    session = session_or_404(app, call)
    if session.state != "closed":
        raise BadRequest(f"only a closed customer session can be reopened; this one is {session.state}")
    rollbacks = rollback_close(app, session)
    session.state = "open"
    session.updated = app.now()
    app.record_event("talon_session_reopened", profile_id=session.profile_id or None, session_id=session.integration_id)
    return Reply(200, models.ReopenSessionResponse(effects=rollbacks))
