"""Webhooks: what a campaigns file declares (``webhooks:``) and what ``triggerWebhook`` effects triggered.

A declared webhook may have a ``url`` (with ``method``, ``headers`` and a ``payload`` template); the fake then also
sends it, from a background thread (:mod:`pytest_talon.fake.delivery`). Templates replace ``${name}`` in every
string of the payload with ``webhookId``, ``webhookName``, ``campaignId``, ``sessionId``, ``profileId`` or ``time``.
Declaring is :func:`pytest_talon.fake.setup.webhooks.seed_webhook`; recording is
:func:`pytest_talon.fake.engine.webhooks.record_webhook`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pytest_talon._time import format_rfc3339

__all__ = ["WebhookDef", "WebhookRecord", "render"]

_PLACEHOLDER = re.compile(r"\$\{(\w+)\}")


@dataclass
class WebhookDef:
    """A webhook of the campaigns file: where and how to send it (no ``url``: recorded, never sent)."""

    id: int
    name: str = ""
    url: str | None = None
    method: str = "POST"
    headers: dict[str, str] = field(default_factory=dict)
    payload: Any = None


@dataclass
class WebhookRecord:
    """One webhook a ``triggerWebhook`` effect triggered, and how sending it went (when it has a ``url``)."""

    webhook_id: int
    webhook_name: str
    campaign_id: int
    session_id: str | None
    profile_id: str | None
    payload: Any
    time: datetime
    #: ``pending``, ``delivered``, ``failed``, or None when the webhook has no ``url``.
    delivery: str | None = None
    #: The receiver's HTTP status, or what went wrong (``ConnectError: ...``).
    delivery_status: int | None = None
    delivery_error: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The camelCase JSON shape ``GET /_fake/webhooks`` answers with."""
        out: dict[str, Any] = {
            "webhookId": self.webhook_id,
            "webhookName": self.webhook_name,
            "campaignId": self.campaign_id,
            "payload": self.payload,
            "time": format_rfc3339(self.time),
        }
        if self.session_id is not None:
            out["sessionId"] = self.session_id
        if self.profile_id:
            out["profileId"] = self.profile_id
        if self.delivery is not None:
            out["delivery"] = {"state": self.delivery, "status": self.delivery_status, "error": self.delivery_error}
        return out


def render(template: Any, values: dict[str, Any]) -> Any:
    """``template`` with ``${name}`` replaced from ``values`` in every string (a whole-string placeholder keeps the
    value's JSON type)."""
    if isinstance(template, str):
        whole = _PLACEHOLDER.fullmatch(template)
        if whole and whole.group(1) in values:
            return values[whole.group(1)]  # keeps the value's JSON type ("${campaignId}" -> 3)
        return _PLACEHOLDER.sub(lambda m: str(values.get(m.group(1), m.group(0))), template)
    if isinstance(template, dict):
        return {key: render(value, values) for key, value in template.items()}
    if isinstance(template, list):
        return [render(item, values) for item in template]
    return template
