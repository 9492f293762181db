"""Customer session operations: update (v2), get and reopen, over :mod:`pytest_talon.fake.backend.sessions`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pytest_talon import models
from pytest_talon._time import parse_rfc3339
from pytest_talon.fake.api.calls import OperationCall, Reply, route
from pytest_talon.fake.api.integration_states import state_reply
from pytest_talon.fake.backend import encode, sessions
from pytest_talon.fake.backend.sessions import READ_ONLY_ITEM_FIELDS
from pytest_talon.fake.errors import BadRequest
from pytest_talon.fake.state.application import Application

__all__ = ["get_customer_session", "reopen_customer_session", "update_customer_session_v2"]


def _now(app: Application, call: OperationCall, dry: bool) -> datetime:
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


def _items(new: models.NewCustomerSessionV2) -> list[dict[str, Any]] | None:
    """The cart items ``new`` sends in wire form without the read-only fields (None when it sends none)."""
    if new.cart_items is None:
        return None
    wire = models.CartItem.wire_list(new.cart_items)
    for item in wire:
        for name in READ_ONLY_ITEM_FIELDS:
            item.pop(name, None)
    return wire


@route(
    "updateCustomerSessionV2",
    notes=(
        "Cost names and custom attributes are not checked against definitions; identifiers and store budgets "
        "are not modelled; `experimentVariantAllocations` is stored only; `evaluableCampaignIds` runs listed "
        "campaigns (disabled ones too) only with `dry=true`; a dry close evaluates the payload alone "
        "(INF, behaviour §9.14)."
    ),
)
def update_customer_session_v2(app: Application, call: OperationCall) -> Reply:
    """Create or update a session, evaluate the campaigns, and apply the requested lifecycle change."""
    body: models.IntegrationRequest = call.body
    dry = bool(call.query.get("dry"))
    now = _now(app, call, dry)
    new = body.customer_session
    result = sessions.update_session(app, call.path["customerSessionId"], new, _items(new), dry=dry, now=now)
    return state_reply(app, result, body.response_content)


@route(
    "getCustomerSession",
    notes=("Unknown id answers 404 `ErrorResponseWithStatus` (INF, behaviour §9.3)."),
)
def get_customer_session(app: Application, call: OperationCall) -> Reply:
    """The stored session and its net effects (rolled-back effects removed with what they cancel)."""
    session = sessions.session_or_404(app, call.path["customerSessionId"])
    return Reply(
        200,
        models.IntegrationCustomerSessionResponse(
            customer_session=encode.session(app, session), effects=sessions.net_effects(session)
        ),
    )


@route(
    "reopenCustomerSession",
    notes=(
        "Loyalty rollbacks are capped by the program's `returnPolicy` (see the INF points); free items, "
        "created coupons/referrals, reservations, custom effects and attribute updates stay, as documented."
    ),
)
def reopen_customer_session(app: Application, call: OperationCall) -> Reply:
    """closed -> open, rolling back what closing committed; the rollback effects are the answer."""
    rollbacks = sessions.reopen_session(app, call.path["customerSessionId"])
    return Reply(200, models.ReopenSessionResponse(effects=rollbacks))
