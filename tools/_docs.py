"""Our own words for the generated docstrings (never the spec's prose)."""

from __future__ import annotations

DOMAIN_DOCS = {
    "achievements": "Achievement progress and history of a customer profile.",
    "audiences": "Audiences, memberships and the bulk audience requests.",
    "campaigns": "Campaigns as the integration endpoints list them, with budgets and giveaways.",
    "catalogs": "Cart item catalogs, catalog sync actions, products and best prior prices.",
    "coupons": "Coupons, their reservations, limits and rejection reasons.",
    "effects": "The effect envelope and one typed props model per effect type, selected by ``effectType``.",
    "errors": "Error bodies: ``ErrorResponse``, ``ErrorResponseWithStatus`` and their parts.",
    "events": "Custom events, v2 and legacy v1.",
    "loyalty": "Loyalty programs, cards, balances, ledgers, tiers and points.",
    "profiles": "Customer profiles, bulk profile updates and the customer inventory.",
    "referrals": "Referral codes and their rejection reasons.",
    "sessions": "Customer sessions, cart items, returns and integration states.",
}

OPERATION_DOCS = {
    "activateLoyaltyPoints": "turn pending points into active ones, by session or by transaction.",
    "bestPriorPrice": "ask for the lowest price of SKUs over a past time window.",
    "createAudienceV2": "create an audience, optionally tied to a third-party integration.",
    "createCouponReservation": "reserve a coupon for the listed customer profiles.",
    "createReferral": "create a referral code for an advocate.",
    "createReferralsForMultipleAdvocates": "create one referral code per listed advocate.",
    "deleteAudienceMembershipsV2": "remove every customer profile from an audience.",
    "deleteAudienceV2": "delete an audience and its memberships.",
    "deleteCouponReservation": "release a coupon reservation for the listed customer profiles.",
    "deleteCustomerData": "erase a customer profile and everything tied to it.",
    "deleteLoyaltyTransactionsFromLedgers": "delete a profile's transactions from a program's ledgers.",
    "generateLoyaltyCard": "issue a new loyalty card, optionally linked to profiles.",
    "getCustomerAchievementHistory": "page through a profile's progress history for one achievement.",
    "getCustomerAchievements": "page through a profile's achievements and their progress.",
    "getCustomerInventory": "read what a profile holds: coupons, referrals, loyalty, giveaways, achievements.",
    "getCustomerSession": "read a customer session and its net effects.",
    "getLoyaltyBalances": "read a profile's balances in a loyalty program, optionally with tiers.",
    "getLoyaltyCardBalances": "read a loyalty card's balances.",
    "getLoyaltyCardPoints": "page through a loyalty card's points by status.",
    "getLoyaltyCardTransactions": "page through a loyalty card's ledger transactions.",
    "getLoyaltyProgramProfilePoints": "page through a profile's points by status.",
    "getLoyaltyProgramProfileTransactions": "page through a profile's ledger transactions.",
    "getReservedCustomers": "list the profiles that hold a reservation of a coupon.",
    "integrationGetAllCampaigns": "page through the Application's campaigns.",
    "linkLoyaltyCardToProfile": "link a customer profile to a loyalty card.",
    "reopenCustomerSession": "reopen a closed session; the answer lists the rolled-back effects.",
    "returnCartItems": "return items of a closed session and roll back their effects.",
    "syncCatalog": "apply add, patch and remove actions to a cart item catalog.",
    "trackEvent": "record a custom event (legacy v1 shape).",
    "trackEventV2": "record a custom event and evaluate the campaigns that listen to it.",
    "unlinkLoyaltyCardFromProfile": "unlink a customer profile from a loyalty card.",
    "updateAudienceCustomersAttributes": "set attributes on every profile in an audience.",
    "updateAudienceV2": "rename an audience.",
    "updateCustomerProfile": "create or update a customer profile (legacy v1 shape).",
    "updateCustomerProfileAudiences": "add profiles to audiences and remove them, in bulk.",
    "updateCustomerProfileV2": "create or update a customer profile, optionally running the rules.",
    "updateCustomerProfilesV2": "create or update several customer profiles at once.",
    "updateCustomerSession": "create or update a customer session (legacy v1 shape).",
    "updateCustomerSessionV2": "create or update a customer session and evaluate its campaigns.",
}

_ROLE = {
    "RequestModel": "Request body part",
    "ResponseModel": "Response body part",
    "SharedModel": "Body part used in requests and responses",
    "EffectPropsModel": "Typed ``props``",
}

_SPECIAL = {
    "Effect": "One effect in an integration state: the rule that fired it and its typed ``props``.",
    "IntegrationStateV2": "What a session, return or event update answers with: effects and requested extras.",
    "CustomerSessionV2": "A customer session as stored by Talon.One.",
    "NewCustomerSessionV2": "The session fields a client sends; omitted fields keep their stored value.",
    "IntegrationRequest": "Body of ``update_customer_session_v2``: the session and the response parts wanted.",
    "CartItem": "One line of a cart: SKU, quantity, price and item attributes.",
    "AdditionalCost": "A named extra cost (shipping, wrapping...) with its price.",
    "ErrorResponse": "Error body with a message and a list of errors.",
    "ErrorResponseWithStatus": "Error body with a message, a list of errors and ``StatusCode``.",
    "APIError": "One error entry: title, details and where in the request it points.",
    "CouponRejectionReason": "Why a coupon was rejected, and for which campaign.",
    "ReferralRejectionReason": "Why a referral code was rejected, and for which campaign.",
}


def schema_doc(py_name: str, schema_name: str, base: str) -> str:
    """One-line docstring for a generated model."""
    if schema_name in _SPECIAL:
        return _SPECIAL[schema_name]
    if base == "EffectPropsModel":
        effect = schema_name[0].lower() + schema_name[1 : -len("EffectProps")]
        return f"Typed ``props`` of the ``{effect}`` effect."
    if py_name.endswith("List") and schema_name.startswith("inline_response"):
        return f"A page of results (``data`` plus ``hasMore`` or ``totalResultSize``): {py_name}."
    legacy = " (legacy v1 shape)" if schema_name.startswith("Legacy") else ""
    return f"{_ROLE[base]}: ``{schema_name}``{legacy}."
