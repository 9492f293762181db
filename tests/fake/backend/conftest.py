"""Helpers for the backend's domain tests (loyalty, audiences, catalogs, achievements, prices, v1): session bodies
with named items and cards, error sources, effect props; raw requests come from the parent conftest."""

from __future__ import annotations

from typing import Any

import httpx

from pytest_talon import models

from ..conftest import AUTH, raw

__all__ = ["AUTH", "error_of", "props", "raw", "session"]


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
