"""What the fake chooses where public sources do not fix Talang's behaviour (INF points).

One list, rendered into docs/fidelity.md by :mod:`pytest_talon.fake.fidelity` and quoted by docs/talang.md (a test
checks both).
"""

from __future__ import annotations

__all__ = ["INF_POINTS"]

#: Talang's inferred behaviour: the language, the product functions, the engine integration and the import.
INF_POINTS: tuple[str, ...] = (
    # ---- the language ----
    "Product function signatures: only `setDiscount(name, value)` is public. The others follow the matching "
    "`*EffectProps` schema of the Integration API: `setDiscount`'s optional `scope`; "
    "`setDiscountPerItem(name, value, Item or position)`; `setDiscountPerAdditionalCost(name, additionalCost, value)`; "
    "`addLoyaltyPoints` / `deductLoyaltyPoints(programId, value, name?, subLedgerId?)`; "
    "`addFreeItem(sku, name, desiredQuantity?)`; `showNotification(title, body, notificationType?)`; "
    "`createCoupon` / `createReferral(prefix?, usageLimit?)`; `customEffect(name, payload?)`; "
    "`triggerWebhook(webhookId, webhookName?)`; `rejectCoupon(rejectionReason?)`.",
    "Variables: the field names of `Session`, `Item`, `Profile` and `Event` beyond `Session.Total`, "
    "`Session.CartItems`, `Item.Category` and `Item.Attributes`; `Session.CouponCode` is the first coupon code; "
    'bindings are read as `[".", name]`, each evaluated at most once per rule evaluation.',
    'Decimal arithmetic has 34 significant digits, rounding half-even (`["/", 1, 3]` is 0.333...3, 34 threes).',
    "Where the reference's doc text or examples disagree with its code and tests, the code and tests win (each such "
    "point is listed under Documented differences).",
    "`days(t)` counts days from `t` to the fake's clock (positive for a past `t`); `daysBetween(a, b)` is `b - a` in "
    "days (negative when `b` is earlier); both with fractions.",
    "Durations take `seconds`, `minutes`, `hours`, `days`, `weeks` (singular or plural); layouts for `parseTime` and "
    "`matchTime` use the tokens `YYYY MM DD HH mm ss`; a layout without a date gives 1900-01-01; times without an "
    "offset are UTC; time arguments also accept RFC 3339 strings.",
    "`weekday` is 0 (Sunday) to 6; `month`, `monthDay`, `hour` and `minute` have no leading zero.",
    "`sum` without a block sums the List's Decimals.",
    # ---- the engine ----
    "A rule whose condition, effects or bindings call `couponValid` is evaluated once per valid coupon of its "
    "campaign in the session (its effects are triggered by that coupon) and not at all without one, like a declared "
    "`couponValid` rule; `referralValid` likewise; any other rule once per evaluation.",
    "A condition that does not hold is a rule failure whose `conditionIndex` is the index of the first false "
    "argument of a top-level `and` (0 for any other condition).",
    "`Session.Total` is the cart items' total plus the additional costs (`CartItemTotal` and `AdditionalCostTotal` "
    "apart), before discounts; `Session.State` is the session's state (`open`, `closed`, `cancelled`), "
    "`partially_returned` when a return re-evaluates it; `Event` has the evaluation's `Type` and `Attributes` (a "
    "custom event's, empty for the built-in session and profile events); an anonymous session has no `Profile`.",
    "Effects become the fake's declared effects and go through the same budgets: `setDiscount`'s value is a fixed "
    "amount capped like a declared one (scope `cartItems` by default); `setDiscountPerItem` discounts each unit of "
    "the one line it names; defaults as declared effects: `addLoyaltyPoints` name `Points`, `deductLoyaltyPoints` "
    "`Points spent`, `showNotification` type `info`, `createCoupon`/`createReferral` prefix `GEN-` and usage "
    "limit 1, `triggerWebhook` name empty.",
    "`rejectCoupon` in a rule evaluated for a coupon rejects that coupon with its `rejectionReason` (default "
    "`CouponRejectedByCondition`): the rule's other effects are dropped and no later rule accepts that coupon. "
    "Outside such a rule it is a run-time failure.",
    "A run-time failure (a value of the wrong type, a division by zero, a missing value without `catch` or `.|`, an "
    "effect the engine refuses such as a negative discount) fails that rule only: no effects from it, a "
    "`ruleFailureReasons` entry whose `conditionIndex` (the argument of a top-level `and`, else 0) or `effectIndex` "
    "says where and whose `details` name the function, the place and the cause; the other rules and campaigns run "
    "and the answer stays 200. It never makes a condition silently false.",
    # ---- the import ----
    "`talon-fake import` copies `id`, `name`, `description`, `state`, `startTime`, `endTime`, `tags`, "
    "`reevaluateOnReturn`, `attributes` and the active ruleset; the Management API's limits and budgets are not "
    "imported (add `limits` to the file by hand); a campaign without an active ruleset gets an empty one.",
)
