"""Returning cart items of a closed session (``returnCartItems``): per-unit discount rollbacks, the return record,
optional re-evaluation, and answers replayed for a repeated ``Idempotency-Key``."""

from __future__ import annotations

import copy
import json
from datetime import timedelta
from typing import Any

from pytest_talon import models
from pytest_talon.fake.api import encode
from pytest_talon.fake.api.calls import Call, Reply, route
from pytest_talon.fake.api.responses import State, context_for, state_reply
from pytest_talon.fake.api.sessions import session_or_404
from pytest_talon.fake.engine.evaluation import Evaluation, evaluate
from pytest_talon.fake.engine.lifecycle import return_items
from pytest_talon.fake.errors import BadRequest
from pytest_talon.fake.state.application import Application
from pytest_talon.fake.state.records import EventRecord, ReturnRecord, SessionRecord

__all__ = ["return_cart_items"]

_IDEMPOTENCY_TTL = timedelta(hours=24)


@route(
    "returnCartItems",
    notes=(
        "Only per-item discounts of the returned units are rolled back (session-level points stay); "
        "`runRuleEngine=true` adds the effects of campaigns with `reevaluateOnReturn` that fired at close, "
        "without committing them; `Idempotency-Key` answers are replayed for 24 h of fake time."
    ),
)
def return_cart_items(app: Application, call: Call) -> Reply:
    """Return units of a closed (or partially returned) session; replays the answer for a repeated Idempotency-Key."""
    key = call.header("Idempotency-Key")
    stored = app.idempotency.get(key) if key else None
    if stored is not None and app.now() - stored[0] < _IDEMPOTENCY_TTL:
        return Reply(stored[1], stored[2])
    session = session_or_404(app, call)
    if session.state not in ("closed", "partially_returned"):
        raise BadRequest(f"cart items can only be returned from a closed session; this one is {session.state}")
    reply = _return(app, call, session)
    if key and not call.query.get("dry"):
        app.idempotency[key] = (app.now(), reply.status, json.loads(reply.content()))  # a copy, as it was sent
    return reply


def _return(app: Application, call: Call, session: SessionRecord) -> Reply:
    body: models.ReturnIntegrationRequest = call.body
    dry = bool(call.query.get("dry"))
    target = copy.deepcopy(session) if dry else session
    returned = [i.to_wire() for i in body.return_.returned_cart_items]
    resolved, rollbacks = return_items(app, target, returned, persist=not dry)
    fields: dict[str, Any] = {
        "profile_id": target.profile_id or None,
        "session_id": target.integration_id,
        "effects": rollbacks,
    }
    if dry:
        event = EventRecord(
            id=app.next_id("event"), type="talon_session_partially_returned", created=app.now(), **fields
        )
    else:
        event = app.record_event("talon_session_partially_returned", **fields)
    profile = app.profiles.get(target.profile_id)
    record = ReturnRecord(
        id=app.next_id("return"),
        created=app.now(),
        session_id=target.id,
        session_integration_id=target.integration_id,
        event_id=event.id,
        returned_cart_items=resolved,
        profile_id=profile.id if profile is not None else None,
        profile_integration_id=target.profile_id or None,
    )
    if not dry:
        app.returns[record.id] = record
        target.return_ids.append(record.id)
        target.state = "partially_returned"
        target.updated = app.now()
    effects = rollbacks + (_reevaluate(app, target) if call.query.get("runRuleEngine") else [])
    state = State(result=Evaluation(effects=effects), profile=profile, session=target, event=event)
    extra = {"return": encode.return_(app, record).to_wire()}
    return state_reply(app, state, body.response_content, extra=extra)


def _reevaluate(app: Application, session: SessionRecord) -> list[dict[str, Any]]:
    """Effects of the campaigns with ``reevaluate_on_return`` that produced effects at close, on the kept units."""
    committed_campaigns = set(session.committed.campaign_ids if session.committed else [])
    scope = [
        c
        for c in app.campaigns.values()
        if c.reevaluate_on_return and c.id in committed_campaigns and c.state != "archived"
    ]
    kept = copy.deepcopy(session)
    kept.cart_items = [
        {**i, "quantity": int(i.get("remainingQuantity", i["quantity"]))}
        for i in kept.cart_items
        if int(i.get("remainingQuantity", i["quantity"])) > 0
    ]
    ctx = context_for(app, app.now(), app.profiles.get(session.profile_id), "talon_session_partially_returned", kept)
    return evaluate(ctx, scope).effects
