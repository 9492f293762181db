"""Fixtures for the fake engine's tests: a fresh fake, a typed client on its in-process transport, helpers."""

from __future__ import annotations

from typing import Any

import httpx

from pytest_talon.fake import FakeTalon


def session(
    profile: str | None = "alice",
    *,
    items: list[tuple[str, int, float]] | None = None,
    coupons: list[str] | None = None,
    referral: str | None = None,
    state: str | None = None,
    content: list[str] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """An ``IntegrationRequest`` body in wire format."""
    body: dict[str, Any] = {}
    if profile is not None:
        body["profileId"] = profile
    if items is not None:
        body["cartItems"] = [{"sku": s, "quantity": q, "price": p} for s, q, p in items]
    if coupons is not None:
        body["couponCodes"] = coupons
    if referral is not None:
        body["referralCode"] = referral
    if state is not None:
        body["state"] = state
    body.update(extra)
    out: dict[str, Any] = {"customerSession": body}
    if content is not None:
        out["responseContent"] = content
    return out


def kinds(effects: list[Any]) -> list[str]:
    """The effect types of a list of effects (models)."""
    return [e.effect_type for e in effects]


def of_type(effects: list[Any], effect_type: str) -> list[Any]:
    """The effects of one type."""
    return [e for e in effects if e.effect_type == effect_type]


AUTH = {"Authorization": "ApiKey-v1 fake-talon-api-key"}


def raw(fake: FakeTalon, method: str, path: str, **kwargs: Any) -> httpx.Response:
    """Send a raw request straight to ``fake.handle`` (headers default to a valid Authorization)."""
    headers = kwargs.pop("headers", AUTH)
    return fake.handle(httpx.Request(method, fake.base_url + path, headers=headers, **kwargs))
