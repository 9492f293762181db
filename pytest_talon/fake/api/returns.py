"""The ``returnCartItems`` handler over :mod:`pytest_talon.fake.backend.returns`; a repeated ``Idempotency-Key``
gets the answer it got before."""

from __future__ import annotations

import json

from pytest_talon import models
from pytest_talon.fake.api.calls import OperationCall, Reply, route
from pytest_talon.fake.api.integration_states import state_reply
from pytest_talon.fake.backend import encode, returns
from pytest_talon.fake.state.application import Application

__all__ = ["return_cart_items"]


@route(
    "returnCartItems",
    notes=(
        "Only per-item discounts of the returned units are rolled back (session-level points stay); "
        "`runRuleEngine=true` adds the effects of campaigns with `reevaluateOnReturn` that fired at close, "
        "without committing them; `Idempotency-Key` answers are replayed for 24 h of fake time."
    ),
)
def return_cart_items(app: Application, call: OperationCall) -> Reply:
    """Return units of a closed (or partially returned) session; replays the answer for a repeated Idempotency-Key."""
    key = call.header("Idempotency-Key")
    replayed = returns.replayed_answer(app, key)
    if replayed is not None:
        return Reply(*replayed)
    body: models.ReturnIntegrationRequest = call.body
    dry = bool(call.query.get("dry"))
    returned = [i.to_wire() for i in body.return_.returned_cart_items]
    result, record = returns.return_cart_items(
        app, call.path["customerSessionId"], returned, dry=dry, rerun=bool(call.query.get("runRuleEngine"))
    )
    extra = {"return": encode.return_(app, record).to_wire()}
    reply = state_reply(app, result, body.response_content, extra=extra)
    if key and not dry:
        returns.remember_answer(app, key, reply.status, json.loads(reply.content()))  # a copy, as it was sent
    return reply
