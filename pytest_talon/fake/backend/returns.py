"""Returning cart items of a closed session: per-unit discount rollbacks, the return record, optional
re-evaluation, and the answers kept for a repeated ``Idempotency-Key``."""

from __future__ import annotations

import copy
from datetime import timedelta
from typing import Any

from pytest_talon.fake.backend.integration import IntegrationResult, context_for
from pytest_talon.fake.backend.sessions import session_or_404
from pytest_talon.fake.engine.evaluation import EvaluationResult, evaluate
from pytest_talon.fake.engine.lifecycle import return_items
from pytest_talon.fake.errors import BadRequest
from pytest_talon.fake.state.application import Application
from pytest_talon.fake.state.records import EventRecord, ReturnRecord, SessionRecord

__all__ = ["remember_answer", "replayed_answer", "return_cart_items"]

_IDEMPOTENCY_TTL = timedelta(hours=24)


def replayed_answer(app: Application, key: str | None) -> tuple[int, Any] | None:
    """The status and JSON body answered for ``key`` in the last 24 hours of fake time, or None."""
    stored = app.idempotency.get(key) if key else None
    if stored is not None and app.now() - stored[0] < _IDEMPOTENCY_TTL:
        return stored[1], stored[2]
    return None


def remember_answer(app: Application, key: str, status: int, body: Any) -> None:
    """Keep the answer (status and JSON body, a copy of what was sent) for a repeated ``key``."""
    app.idempotency[key] = (app.now(), status, body)


def return_cart_items(
    app: Application, session_id: str, returned: list[dict[str, Any]], *, dry: bool, rerun: bool
) -> tuple[IntegrationResult, ReturnRecord]:
    """Return units (``returned``: wire ``ReturnedCartItem`` dicts) of a closed or partially returned session: the
    per-unit rollbacks, the return record and, with ``rerun``, the effects of the campaigns that re-evaluate on
    returns; a ``dry`` return changes nothing."""
    session = session_or_404(app, session_id)
    if session.state not in ("closed", "partially_returned"):
        raise BadRequest(f"cart items can only be returned from a closed session; this one is {session.state}")
    target = copy.deepcopy(session) if dry else session
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
    effects = rollbacks + (_reevaluate(app, target) if rerun else [])
    result = IntegrationResult(result=EvaluationResult(effects=effects), profile=profile, session=target, event=event)
    return result, record


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
