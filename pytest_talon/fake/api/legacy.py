"""The legacy v1 operations (``trackEvent``, ``updateCustomerSession``, ``updateCustomerProfile``).

Each one is translated into its v2 counterpart and run by the same handlers on the same state, then the v2 answer
is reshaped into the legacy ``IntegrationState``/``LegacyIntegrationState``: one coupon per session and a
``discounts`` map. ``event.effects`` are the v2 effect objects: the spec types them as objects, although old docs
showed positional arrays (INF).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, get_args
from urllib.parse import quote, urlencode

import httpx

from pytest_talon import models
from pytest_talon._spec.operations import OPERATIONS_BY_ID
from pytest_talon.fake.api.calls import HANDLERS, OperationCall, Reply, decode_call, route
from pytest_talon.fake.backend import encode, events
from pytest_talon.fake.engine.context import dec, number
from pytest_talon.fake.errors import BadRequest, FakeError
from pytest_talon.fake.state.application import Application

__all__ = ["track_event_v1", "update_customer_profile_v1", "update_customer_session_v1"]

_CONTENT = ["customerProfile", "event", "loyalty"]
_COUPON_REASONS = set(get_args(models.LegacyCouponRejectionReason.model_fields["reason"].annotation))
_REFERRAL_REASONS = set(get_args(models.LegacyReferralRejectionReason.model_fields["reason"].annotation))


def _inner(app: Application, operation_id: str, path: dict[str, str], query: dict[str, Any], body: Any) -> Any:
    op = OPERATIONS_BY_ID[operation_id]
    # The path parameters reach the handler decoded (below); the URL carries them percent-encoded, so an ID with
    # control characters (legal in a path segment once encoded) does not make an invalid URL.
    encoded = {name: quote(value, safe="") for name, value in path.items()}
    url = (
        "http://fake.internal"
        + op.path.format(**encoded)
        + "?"
        + urlencode({k: v for k, v in query.items() if v is not None})
    )
    request = httpx.Request(op.method, url, json=body)
    try:
        reply = HANDLERS[operation_id](app, decode_call(op, path, request))
    except FakeError as exc:
        if exc.pointer and exc.pointer.startswith("/customerSession/"):
            exc.pointer = exc.pointer[len("/customerSession") :]
        raise
    if isinstance(reply.body, dict) and op.response is not None:  # an integration state, sent as its JSON
        return getattr(models, op.response).model_validate(reply.body)
    return reply.body


def _query(value: bool | None) -> str | None:
    return "true" if value else None


def _discounts(effects: list[dict[str, Any]]) -> dict[str, float]:
    out: dict[str, Decimal] = {}
    for effect in effects:
        if effect["effectType"] in ("setDiscount", "setDiscountPerItem", "setDiscountPerAdditionalCost"):
            name = effect["props"]["name"]
            out[name] = out.get(name, Decimal(0)) + dec(effect["props"]["value"])
    return {name: number(value) for name, value in out.items()}


def _session_fields(session: models.CustomerSessionV2, effects: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "integration_id": session.integration_id,
        "created": session.created,
        "application_id": session.application_id,
        "profile_id": session.profile_id or "",
        "coupon": (session.coupon_codes or [""])[0],
        "referral": session.referral_code or "",
        "state": "closed" if session.state == "partially_returned" else session.state,
        "cart_items": [models.LegacyCartItem.model_validate(i.to_wire()) for i in session.cart_items],
        "identifiers": session.identifiers,
        "total": session.total,
        "attributes": session.attributes,
        "first_session": session.first_session,
        "discounts": _discounts(effects),
    }


def _profile(app: Application, profile: models.CustomerProfile | None) -> models.LegacyCustomerProfile:
    if profile is not None:
        return models.LegacyCustomerProfile.model_validate(profile.to_wire())
    now = app.now()
    return models.LegacyCustomerProfile(
        id=0,
        integration_id="",
        created=now,
        attributes={},
        account_id=app.account_id,
        closed_sessions=0,
        total_sales=0,
        last_activity=now,
    )


def _meta(app: Application, effects: list[dict[str, Any]]) -> models.LegacyMeta | None:
    fields: dict[str, Any] = {}
    for effect in effects:
        props, kind = effect["props"], effect["effectType"]
        reason = props.get("rejectionReason")
        if kind == "rejectCoupon" and reason in _COUPON_REASONS:
            found = app.coupons.get(props["value"])
            fields["coupon_rejection_reason"] = {
                "campaignId": effect["campaignId"],
                "couponId": found.id if found else 0,
                "reason": reason,
            }
        if kind == "rejectReferral" and reason in _REFERRAL_REASONS:
            found_referral = app.referrals.get(props["value"])
            referral_id = found_referral.id if found_referral else 0
            fields["referral_rejection_reason"] = {
                "campaignId": effect["campaignId"],
                "referralId": referral_id,
                "reason": reason,
            }
    return models.LegacyMeta(**fields) if fields else None


def _event(
    app: Application, event: models.Event | None, effects: list[dict[str, Any]], session_id: str, kind: str
) -> models.LegacyEvent:
    return encode.build(
        models.LegacyEvent,
        id=event.id if event is not None else 0,
        created=event.created if event is not None else app.now(),
        application_id=app.application_id,
        type=event.type if event is not None else kind,
        attributes=event.attributes if event is not None else {},
        profile_id=event.profile_id if event is not None else None,
        session_id=session_id or None,
        effects=effects,
        ledger_entries=[],
        meta=_meta(app, effects),
    )


def _extras(app: Application, state: Any, session: models.CustomerSessionV2 | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if state.loyalty is not None:
        out["loyalty"] = models.LegacyLoyalty.model_validate(state.loyalty.to_wire())
    coupon = (
        app.coupons.get((session.coupon_codes or [""])[0]) if session is not None and session.coupon_codes else None
    )
    if coupon is not None:
        out["coupon"] = models.LegacyCoupon.model_validate(encode.coupon(coupon).to_wire())
    return out


def _effects(state: Any) -> list[dict[str, Any]]:
    return [e.to_wire() if isinstance(e, models.WireModel) else e for e in state.effects]


@route(
    "updateCustomerSession",
    notes=(
        "Runs updateCustomerSessionV2; `partially_returned` shows as `closed`; `discounts` sums the discount "
        "effects by name."
    ),
)
def update_customer_session_v1(app: Application, call: OperationCall) -> Reply:
    """v1 session update: run as ``updateCustomerSessionV2`` and answer ``LegacyIntegrationState``."""
    body: models.NewCustomerSession = call.body
    for index, item in enumerate(body.cart_items or []):
        for name in ("name", "price"):
            if getattr(item, name) is None:
                raise BadRequest(f"v1 cart items need {name}", pointer=f"/cartItems/{index}/{name}")
    session_id = call.path["customerSessionId"]
    new: dict[str, Any] = {"state": body.state, "attributes": body.attributes, "identifiers": body.identifiers}
    new.update(
        profileId=body.profile_id, referralCode=body.referral, couponCodes=[body.coupon] if body.coupon else None
    )
    new["cartItems"] = [i.to_wire() for i in body.cart_items] if body.cart_items is not None else None
    v2 = {
        "customerSession": {k: v for k, v in new.items() if v is not None},
        "responseContent": ["customerSession", *_CONTENT],
    }
    state = _inner(
        app, "updateCustomerSessionV2", {"customerSessionId": session_id}, {"dry": _query(call.query.get("dry"))}, v2
    )
    effects = _effects(state)
    session = state.customer_session
    answer = encode.build(
        models.LegacyIntegrationState,
        session=models.LegacyCustomerSession(**_session_fields(session, effects)),
        profile=_profile(app, state.customer_profile),
        event=_event(app, state.event, effects, session_id, "talon_session_updated"),
        **_extras(app, state, session),
    )
    return Reply(200, answer)


@route(
    "trackEvent",
    notes=(
        "Runs trackEventV2 on the same state; `event.effects` are v2 effect objects (the spec types them as "
        "objects) and `ledgerEntries` is empty."
    ),
)
def track_event_v1(app: Application, call: OperationCall) -> Reply:
    """v1 event: creates the session when missing (400 if it belongs to another profile), runs ``trackEventV2``."""
    body: models.NewEvent = call.body
    dry = _query(call.query.get("dry"))
    existing = app.sessions.get(body.session_id)
    if existing is not None and body.profile_id and existing.profile_id and existing.profile_id != body.profile_id:
        raise BadRequest(f"session {body.session_id!r} belongs to another profile", pointer="/profileId")
    profile_id = body.profile_id or (existing.profile_id if existing is not None else "")
    if not profile_id:
        raise BadRequest("profileId is required when the session has no profile", pointer="/profileId")
    if existing is None and not dry:
        new_session = {"customerSession": {"profileId": profile_id}}
        _inner(app, "updateCustomerSessionV2", {"customerSessionId": body.session_id}, {}, new_session)
    v2 = {"type": body.type, "profileId": profile_id, "attributes": body.attributes, "responseContent": _CONTENT}
    state = _inner(app, "trackEventV2", {}, {"silent": "no", "dry": dry}, v2)
    if not dry:
        events.attach_last_event(app, body.session_id)
    stored = app.sessions.get(body.session_id)
    session = encode.session(app, stored) if stored is not None else _placeholder(app, body.session_id, profile_id)
    effects = _effects(state)
    answer = encode.build(
        models.IntegrationState,
        session=models.CustomerSession(**_session_fields(session, []), updated=session.updated),
        profile=_profile(app, state.customer_profile),
        event=_event(app, state.event, effects, body.session_id, body.type),
        **_extras(app, state, None),
    )
    return Reply(201, answer)


@route(
    "updateCustomerProfile",
    notes=(
        "Runs updateCustomerProfileV2 with the rule engine on; `session` is the profile's latest session or "
        "an empty placeholder (INF)."
    ),
)
def update_customer_profile_v1(app: Application, call: OperationCall) -> Reply:
    """v1 profile update: ``updateCustomerProfileV2`` with the rule engine on; ``session`` is the latest session."""
    body: models.NewCustomerProfile = call.body
    profile_id = call.path["integrationId"]
    query = {"runRuleEngine": "true", "dry": _query(call.query.get("dry"))}
    v2 = {"attributes": body.attributes or {}, "responseContent": _CONTENT}
    state = _inner(app, "updateCustomerProfileV2", {"integrationId": profile_id}, query, v2)
    mine = sorted((s for s in app.sessions.values() if s.profile_id == profile_id), key=lambda s: s.updated)
    session = encode.session(app, mine[-1]) if mine else _placeholder(app, "", profile_id)
    effects = _effects(state)
    answer = encode.build(
        models.LegacyIntegrationState,
        session=models.LegacyCustomerSession(**_session_fields(session, [])),
        profile=_profile(app, state.customer_profile),
        event=_event(app, state.event, effects, "", "talon_profile_updated"),
        **_extras(app, state, None),
    )
    return Reply(200, answer)


def _placeholder(app: Application, session_id: str, profile_id: str) -> models.CustomerSessionV2:
    now = app.now()
    return models.CustomerSessionV2(
        id=0,
        integration_id=session_id,
        created=now,
        updated=now,
        application_id=app.application_id,
        profile_id=profile_id,
        state="open",
        cart_items=[],
        attributes={},
        first_session=True,
        total=0,
        cart_item_total=0,
        additional_cost_total=0,
        coupon_codes=[],
        update_count=0,
    )
