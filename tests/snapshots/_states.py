"""A realistic integration state (wire dict) whose volatile parts and effect order can be varied."""

from __future__ import annotations

from typing import Any


def integration_state(
    *, id_base: int = 100, created: str = "2026-03-04T05:06:07Z", reverse: bool = False, discount: float = 10.0
) -> dict[str, Any]:
    """A session update answer: two campaigns, three effects; ``id_base`` shifts every server id."""
    summer, loyalty = id_base + 1, id_base + 2
    effects = [
        _effect("setDiscount", summer, 0, {"name": "10% off", "value": discount}),
        _effect("acceptCoupon", summer, 1, {"value": "SUMMER-2026"}),
        _effect("addLoyaltyPoints", loyalty, 0, _points(id_base)),
    ]
    return {
        "customerSession": {
            "id": id_base + 50,
            "integrationId": "session-1",
            "profileId": "customer-7",
            "state": "open",
            "created": created,
            "updated": created,
            "cartItems": [{"sku": "SKU-1", "price": 100, "quantity": 1}],
            "applicationId": id_base + 3,
            "attributes": {},
            "firstSession": True,
            "total": 90,
            "cartItemTotal": 100,
            "additionalCostTotal": 0,
            "updateCount": 1,
        },
        "effects": list(reversed(effects)) if reverse else effects,
        "triggeredCampaigns": [{"id": summer, "name": "Summer"}, {"id": loyalty, "name": "Loyalty"}][
            :: -1 if reverse else 1
        ],
        "createdCoupons": [],
        "createdReferrals": [],
    }


def _points(id_base: int) -> dict[str, Any]:
    return {
        "name": "points",
        "value": 5.0,
        "programId": id_base + 7,
        "subLedgerId": "",
        "recipientIntegrationId": "customer-7",
        "transactionUUID": f"uuid-{id_base}",
    }


def _effect(effect_type: str, campaign_id: int, rule_index: int, props: dict[str, Any]) -> dict[str, Any]:
    return {
        "effectType": effect_type,
        "campaignId": campaign_id,
        "rulesetId": campaign_id * 10,
        "ruleIndex": rule_index,
        "ruleName": f"rule {rule_index}",
        "props": props,
    }
