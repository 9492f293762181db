"""Fixtures for the fake's domain tests (loyalty, audiences, catalogs, achievements, prices, v1): a fresh fake,
a typed client on its transport, raw requests, helpers."""

from __future__ import annotations

from typing import Any

import httpx

from pytest_talon import models
from pytest_talon.fake import FakeTalon

AUTH = {"Authorization": "ApiKey-v1 fake-talon-api-key"}


def raw(fake: FakeTalon, method: str, path: str, **kwargs: Any) -> httpx.Response:
    """Send a raw request straight to ``fake.handle`` (with a valid Authorization header)."""
    return fake.handle(httpx.Request(method, fake.base_url + path, headers=AUTH, **kwargs))


def session(
    profile: str | None = "alice",
    *,
    items: list[tuple[str, int, float]] | None = None,
    state: str | None = None,
    cards: list[str] | None = None,
    content: list[str] | None = None,
) -> dict[str, Any]:
    """An ``IntegrationRequest`` body in wire format."""
    body: dict[str, Any] = {}
    if profile is not None:
        body["profileId"] = profile
    if items is not None:
        body["cartItems"] = [{"sku": s, "quantity": q, "price": p, "name": s} for s, q, p in items]
    if state is not None:
        body["state"] = state
    if cards is not None:
        body["loyaltyCards"] = cards
    out: dict[str, Any] = {"customerSession": body}
    if content is not None:
        out["responseContent"] = content
    return out


def error_of(response: httpx.Response) -> dict[str, Any]:
    """The first ``errors[]`` entry's source of an error response, with the status for convenience."""
    body = response.json()
    return {"status": response.status_code, **body["errors"][0]["source"]}


def props(effect: models.Effect) -> dict[str, Any]:
    """An effect's props as wire data, whatever their typing."""
    found = effect.props
    return found.to_wire() if isinstance(found, models.WireModel) else dict(found)
