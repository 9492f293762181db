"""Hand-built wire data for the assertion tests: a closed session with coupons, a referral, discounts and points,
its cancellation (rollback effects) and a 400 error body."""

from __future__ import annotations

from typing import Any


def _effect(campaign: int, rule: str, effect_type: str, props: dict[str, Any], **extra: Any) -> dict[str, Any]:
    envelope = {"campaignId": campaign, "rulesetId": campaign * 10 + 1, "ruleIndex": 0, "ruleName": rule}
    return {**envelope, "effectType": effect_type, "props": props, **extra}


def session(state: str) -> dict[str, Any]:
    """A customer session in ``state`` with two cart items."""
    return {
        "id": 4242,
        "integrationId": "session-42",
        "applicationId": 1,
        "profileId": "customer-7",
        "created": "2026-11-20T10:00:00Z",
        "updated": "2026-11-20T10:05:00Z",
        "state": state,
        "cartItems": [
            {"name": "Espresso beans", "sku": "BEANS-1", "quantity": 1, "price": 20.0, "position": 0},
            {"name": "Milk frother", "sku": "FROTH-1", "quantity": 1, "price": 5.0, "position": 1},
        ],
        "couponCodes": ["SUMMER-10", "OLD-5"],
        "referralCode": "FRIEND-1",
        "attributes": {},
        "firstSession": False,
        "total": 25.0,
        "cartItemTotal": 25.0,
        "additionalCostTotal": 0.0,
        "updateCount": 3,
    }


#: The effects of closing ``session-42``.
CLOSED_EFFECTS: list[dict[str, Any]] = [
    _effect(7, "Summer sale", "acceptCoupon", {"value": "SUMMER-10"}, triggeredByCoupon=501),
    _effect(7, "Summer sale", "setDiscount", {"name": "Summer sale 10%", "value": 2.5}, triggeredByCoupon=501),
    _effect(8, "Bean bonus", "setDiscountPerItem", {"name": "Bean bonus#0", "value": 1.25, "position": 0}),
    _effect(9, "Old promo", "rejectCoupon", {"value": "OLD-5", "rejectionReason": "CouponExpired"}),
    _effect(10, "Refer a friend", "acceptReferral", {"value": "FRIEND-1"}),
    _effect(
        11,
        "Double points",
        "addLoyaltyPoints",
        {
            "name": "Double points",
            "programId": 3,
            "subLedgerId": "",
            "value": 50.0,
            "recipientIntegrationId": "customer-7",
            "transactionUUID": "5a3f6c1e-0000-4000-8000-000000000001",
        },
    ),
    _effect(
        12,
        "Pay with points",
        "deductLoyaltyPoints",
        {
            "ruleTitle": "Pay with points",
            "name": "Pay with points",
            "programId": 3,
            "subLedgerId": "",
            "value": 20.0,
            "transactionUUID": "5a3f6c1e-0000-4000-8000-000000000002",
        },
    ),
]

#: The rollback effects of cancelling the closed ``session-42``.
CANCEL_EFFECTS: list[dict[str, Any]] = [
    _effect(7, "Summer sale", "rollbackCoupon", {"value": "SUMMER-10"}),
    _effect(10, "Refer a friend", "rollbackReferral", {"value": "FRIEND-1"}),
    _effect(7, "Summer sale", "rollbackDiscount", {"name": "Summer sale 10%", "value": 2.5, "scope": "sessionTotal"}),
    _effect(8, "Bean bonus", "rollbackDiscount", {"name": "Bean bonus#0", "value": 1.25, "cartItemPosition": 0}),
    _effect(
        11,
        "Double points",
        "rollbackAddedLoyaltyPoints",
        {
            "programId": 3,
            "subLedgerId": "",
            "value": 50.0,
            "recipientIntegrationId": "customer-7",
            "transactionUUID": "5a3f6c1e-0000-4000-8000-000000000003",
        },
    ),
    _effect(
        12,
        "Pay with points",
        "rollbackDeductedLoyaltyPoints",
        {
            "programId": 3,
            "subLedgerId": "",
            "value": 20.0,
            "recipientIntegrationId": "customer-7",
            "transactionUUID": "5a3f6c1e-0000-4000-8000-000000000004",
        },
    ),
]


def state(session_state: str, effects: list[dict[str, Any]]) -> dict[str, Any]:
    """An ``IntegrationStateV2`` wire body with the session in ``session_state`` and ``effects``."""
    return {"customerSession": session(session_state), "effects": effects, "createdCoupons": [], "createdReferrals": []}


#: ``IntegrationStateV2`` after closing the session.
CLOSED = state("closed", CLOSED_EFFECTS)
#: ``IntegrationStateV2`` after cancelling it.
CANCELLED = state("cancelled", CANCEL_EFFECTS)

#: A 400 ``ErrorResponse`` body for an invalid state transition.
ERROR_BODY: dict[str, Any] = {
    "message": "Invalid customer session state transition",
    "errors": [
        {
            "title": "Invalid state",
            "details": "a cancelled session cannot be reopened",
            "source": {"pointer": "/customerSession/state"},
        }
    ],
}
