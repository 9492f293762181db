"""The request every bench sends and the campaigns it meets: P1's scenario, shared by all scripts.

``update_customer_session_v2`` with 10 cart items and one coupon code, asking the session and profile back;
three campaigns (cart subtotal, item SKU, coupon) and that coupon. The static baselines answer the fake's own
answer to this request, captured once (:func:`captured_answer`), so both sides return the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import httpx
import respx

from pytest_talon import TalonClient

if TYPE_CHECKING:
    from pytest_talon.fake import FakeTalon

CART = [
    {"name": f"Item {i}", "sku": f"SKU-{i}", "quantity": 1 + i % 3, "price": 9.5 + i, "category": "shoes"}
    for i in range(10)
]

#: The three campaigns and the coupon, in the campaigns-file vocabulary (also written as P6's YAML file).
CAMPAIGNS: dict[str, Any] = {
    "campaigns": [
        {
            "name": "Ten percent over 50",
            "rules": [
                {
                    "title": "10% off carts of 50 or more",
                    "conditions": [{"cartSubtotal": {"op": ">=", "value": 50}}],
                    "effects": [{"setDiscount": {"name": "10% off", "percent": 10}}],
                }
            ],
        },
        {
            "name": "Shoe promo",
            "rules": [
                {
                    "title": "5 off each SKU-3",
                    "conditions": [{"itemSku": {"sku": "SKU-3"}}],
                    "effects": [{"setDiscountPerItem": {"name": "SKU-3 promo", "value": 5, "sku": "SKU-3"}}],
                }
            ],
        },
        {
            "name": "Welcome coupon",
            "rules": [
                {
                    "title": "15 off with a valid coupon",
                    "conditions": [{"couponValid": {}}],
                    "effects": [{"setDiscount": {"name": "Welcome", "value": 15}}],
                }
            ],
        },
    ],
    "coupons": [{"value": "WELCOME", "campaignId": 3, "usageLimit": 0}],
}


def session_body(profile: str = "bench-profile", coupon: str | None = "WELCOME") -> dict[str, Any]:
    """The body of every measured call: 10 cart items, a coupon code, the session and profile asked back."""
    session: dict[str, Any] = {"profileId": profile, "cartItems": CART}
    if coupon:
        session["couponCodes"] = [coupon]
    return {"customerSession": session, "responseContent": ["customerSession", "customerProfile"]}


def wire_request(api_key: str) -> tuple[bytes, dict[str, str]]:
    """The scenario's request body as sent on the wire and its headers, for plain httpx clients."""
    content = httpx.Request("PUT", "http://bench.invalid", json=session_body()).read()
    return content, {"Authorization": f"ApiKey-v1 {api_key}", "Content-Type": "application/json"}


def seeded_fake() -> FakeTalon:
    """A fresh fake holding the three campaigns and the coupon."""
    # Imported here: P6's static baseline imports this module and must not pay for importing the fake.
    from pytest_talon.fake import FakeTalon

    fake = FakeTalon()
    fake.load_campaigns(CAMPAIGNS)
    return fake


def captured_answer() -> bytes:
    """The fake's answer to the scenario's request, as bytes; checks the campaigns fired (else nothing is measured)."""
    with seeded_fake().client() as client:
        state = client.update_customer_session_v2("capture", session_body())
        assert client.last_response is not None
        raw = client.last_response.content
    kinds = {effect.effect_type for effect in state.effects or []}
    assert {"setDiscount", "setDiscountPerItem", "acceptCoupon"} <= kinds, f"campaigns did not fire: {kinds}"
    json.loads(raw)
    return raw


@contextmanager
def static_respx_client(raw: bytes) -> Iterator[TalonClient]:
    """A TalonClient whose every session update is answered ``raw`` by one static respx route.

    The router is the client's transport (``httpx.MockTransport(router.handler)``, respx's public API), the way
    ``fake.client()`` gets the fake's transport: neither side builds an SSL context per client, so a per-test client
    costs both sides the same.
    """
    with TalonClient(STATIC_URL, "bench-key", transport=static_transport(raw)) as client:
        yield client


STATIC_URL = "https://static.bench.invalid"


def static_transport(raw: bytes) -> httpx.MockTransport:
    """The static side's transport: one respx route answering ``raw`` to every session update under
    :data:`STATIC_URL` (``httpx.MockTransport(router.handler)``, respx's public API)."""
    router = respx.MockRouter(base_url=STATIC_URL, assert_all_called=False)
    router.put(path__startswith="/v2/customer_sessions/").mock(
        return_value=httpx.Response(200, content=raw, headers={"Content-Type": "application/json"})
    )
    return httpx.MockTransport(router.handler)
