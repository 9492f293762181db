"""Recording the webhooks ``triggerWebhook`` effects trigger, and queueing those with a ``url`` for sending."""

from __future__ import annotations

from typing import Any

from pytest_talon._time import format_rfc3339
from pytest_talon.fake.state.application import Application
from pytest_talon.fake.state.webhooks import WebhookRecord, render

__all__ = ["record_webhook"]


def record_webhook(
    app: Application, webhook_id: int, webhook_name: str, campaign_id: int, session_id: str | None, profile_id: str
) -> WebhookRecord:
    """Record that a rule triggered a webhook (its payload rendered now); queue it for sending when it has a url."""
    declared = app.webhook_defs.get(webhook_id)
    now = app.now()
    values: dict[str, Any] = {
        "webhookId": webhook_id,
        "webhookName": webhook_name or (declared.name if declared else ""),
        "campaignId": campaign_id,
        "sessionId": session_id,
        "profileId": profile_id or None,
        "time": format_rfc3339(now),
    }
    payload = values if declared is None or declared.payload is None else render(declared.payload, values)
    record = WebhookRecord(webhook_id, values["webhookName"], campaign_id, session_id, profile_id or None, payload, now)
    app.webhooks.append(record)
    if declared is not None and declared.url:
        record.delivery = "pending"
        app.outbox.append((record, declared))
    return record
