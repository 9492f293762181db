"""The campaigns file's ``webhooks:`` section: one :class:`~pytest_talon.fake.state.webhooks.WebhookDef` per item."""

from __future__ import annotations

import re
from typing import Any

from pytest_talon.fake.errors import FakeSetupError
from pytest_talon.fake.state.application import Application
from pytest_talon.fake.state.webhooks import WebhookDef

__all__ = ["seed_webhook"]

_METHODS = ("POST", "PUT", "PATCH", "GET", "DELETE")


def seed_webhook(
    app: Application,
    id: int,
    name: str = "",
    url: str | None = None,
    method: str = "POST",
    headers: dict[str, str] | None = None,
    payload: Any = None,
) -> WebhookDef:
    """Declare a webhook (one item of a campaigns file's ``webhooks:`` section)."""
    if isinstance(id, bool) or not isinstance(id, int):
        raise FakeSetupError(f"id must be an integer, got {id!r}")
    if url is not None and not re.match(r"https?://", str(url)):
        raise FakeSetupError(f"url must be an http:// or https:// URL, got {url!r}")
    if method.upper() not in _METHODS:
        raise FakeSetupError(f"method must be one of {', '.join(_METHODS)}, got {method!r}")
    if headers is not None and not all(isinstance(k, str) and isinstance(v, str) for k, v in headers.items()):
        raise FakeSetupError(f"headers must map names to string values, got {headers!r}")
    declared = WebhookDef(id, name, url, method.upper(), dict(headers or {}), payload)
    app.webhook_defs[id] = declared
    return declared
