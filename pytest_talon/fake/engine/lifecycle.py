"""Session lifecycle consequences: what closing commits, and the rollbacks of cancel, reopen and returns."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from pytest_talon.fake.engine.achievements import commit_progress, rollback_props
from pytest_talon.fake.engine.context import dec, money, number
from pytest_talon.fake.engine.evaluation import EvaluationResult
from pytest_talon.fake.errors import BadRequest
from pytest_talon.fake.state.application import Application
from pytest_talon.fake.state.compact import copy_json
from pytest_talon.fake.state.ledger import LedgerEntry
from pytest_talon.fake.state.records import Committed, SessionRecord

__all__ = ["ROLLED_BACK", "commit_close", "commit_loyalty", "return_items", "rollback_close"]

_DISCOUNTS = ("setDiscount", "setDiscountPerItem", "setDiscountPerAdditionalCost")

#: Effect types a cancel or reopen undoes (the others - free items, notifications, custom effects, created
#: coupons and referrals, reservations, attribute updates - stay, as the live API documents). Achievement progress
#: is undone only while the achievement is not completed (see :mod:`.achievements`).
ROLLED_BACK = {
    "acceptCoupon": "rollbackCoupon",
    "acceptReferral": "rollbackReferral",
    "setDiscount": "rollbackDiscount",
    "setDiscountPerItem": "rollbackDiscount",
    "setDiscountPerAdditionalCost": "rollbackDiscount",
    "addLoyaltyPoints": "rollbackAddedLoyaltyPoints",
    "deductLoyaltyPoints": "rollbackDeductedLoyaltyPoints",
    "increaseAchievementProgress": "rollbackIncreasedAchievementProgress",
}
_INCREASE = "increaseAchievementProgress"


def commit_loyalty(app: Application, effects: list[dict[str, Any]], profile_id: str, session_id: str | None) -> None:
    """Write the points of ``addLoyaltyPoints``/``deductLoyaltyPoints`` effects to the ledger."""
    for effect in effects:
        props, kind = effect["props"], effect["effectType"]
        if kind not in ("addLoyaltyPoints", "deductLoyaltyPoints"):
            continue
        entry = LedgerEntry(
            transaction_uuid=props["transactionUUID"],
            program_id=props["programId"],
            profile_id=profile_id,
            amount=dec(props["value"]) if kind == "addLoyaltyPoints" else -dec(props["value"]),
            name=props["name"],
            created=app.now(),
            session_id=session_id,
            sub_ledger_id=props["subLedgerId"],
        )
        app.loyalty.add(entry)


def commit_close(app: Application, session: SessionRecord, result: EvaluationResult, total: Decimal) -> Committed:
    """Count the redemptions of a closing session, write its points and update the profile's counters."""
    profile_id = session.profile_id
    for coupon in result.accepted_coupons:
        coupon.usage_counter += 1
        coupon.profile_redemptions[profile_id] += 1
        usage = app.usage[coupon.campaign_id]
        usage.coupon_redemptions += 1
        usage.profile_redemptions[profile_id] += 1
    referral = result.accepted_referral
    if referral is not None:
        referral.usage_counter += 1
        app.usage[referral.campaign_id].referral_redemptions += 1
        if profile_id and profile_id not in referral.referred_customers:
            referral.referred_customers.append(profile_id)
    commit_loyalty(app, result.effects, profile_id, session.integration_id)
    commit_progress(app, result.effects, profile_id, session.integration_id)
    _count_coupon_discounts(app, result.effects, +1)
    profile = app.profiles.get(profile_id)
    if profile is not None:
        profile.closed_sessions += 1
        profile.total_sales += total
    return Committed(
        coupon_ids=[c.id for c in result.accepted_coupons],
        referral_id=referral.id if referral is not None else None,
        effects=copy_json(result.effects),
        total=total,
        profile_id=profile_id,
        campaign_ids=list(dict.fromkeys(e["campaignId"] for e in result.effects if not _excluded(e))),
    )


def _excluded(effect: dict[str, Any]) -> bool:
    """Whether the effect is the verdict on a code of a campaign an evaluation group left out (it did not fire)."""
    return "campaignExclusionReason" in effect["props"]


def _count_coupon_discounts(app: Application, effects: list[dict[str, Any]], sign: int) -> None:
    """Add (or, with sign -1, remove) coupon-triggered discounts to their coupon's ``discountCounter``."""
    by_id = {c.id: c for c in app.coupons.values()}
    for effect in effects:
        coupon = by_id.get(effect.get("triggeredByCoupon", -1))
        if coupon is not None and effect["effectType"] in _DISCOUNTS:
            coupon.discount_counter = money(coupon.discount_counter + sign * dec(effect["props"]["value"]))


def rollback_close(app: Application, session: SessionRecord) -> list[dict[str, Any]]:
    """Undo what closing committed (cancel or reopen); returns the rollback effects. The commit is cleared."""
    committed = session.committed
    if committed is None:
        return []
    pairs = [(e, _rollback_of(app, e, committed.profile_id, session.integration_id)) for e in committed.effects]
    rollbacks = [r for _, r in pairs if r is not None]
    _count_coupon_discounts(app, committed.effects, -1)
    for coupon in app.coupons.values():
        if coupon.id in committed.coupon_ids:
            _uncount_coupon(app, coupon.campaign_id, committed.profile_id, coupon)
    for referral in app.referrals.values():
        if referral.id == committed.referral_id:
            referral.usage_counter = max(0, referral.usage_counter - 1)
            app.usage[referral.campaign_id].referral_redemptions -= 1
            if committed.profile_id in referral.referred_customers:
                referral.referred_customers.remove(committed.profile_id)
    profile = app.profiles.get(committed.profile_id)
    if profile is not None:
        profile.closed_sessions = max(0, profile.closed_sessions - 1)
        profile.total_sales -= committed.total
    session.effects = [e for e, r in pairs if not _undone(e, r)]
    session.committed = None
    return rollbacks


def _undone(effect: dict[str, Any], rollback: dict[str, Any] | None) -> bool:
    """Whether a rollback cancelled the effect (an achievement increase that stays is still in force)."""
    if effect["effectType"] == _INCREASE:
        return rollback is not None
    return effect["effectType"] in ROLLED_BACK


def _uncount_coupon(app: Application, campaign_id: int, profile_id: str, coupon: Any) -> None:
    coupon.usage_counter = max(0, coupon.usage_counter - 1)
    coupon.profile_redemptions[profile_id] = max(0, coupon.profile_redemptions[profile_id] - 1)
    usage = app.usage[campaign_id]
    usage.coupon_redemptions = max(0, usage.coupon_redemptions - 1)
    usage.profile_redemptions[profile_id] = max(0, usage.profile_redemptions[profile_id] - 1)


def _rollback_of(
    app: Application, effect: dict[str, Any], profile_id: str, session_id: str = ""
) -> dict[str, Any] | None:
    kind = ROLLED_BACK.get(effect["effectType"])
    if kind is None:
        return None
    props = effect["props"]
    if kind == "rollbackIncreasedAchievementProgress":
        found = rollback_props(app, effect, profile_id, session_id)
        if found is None:
            return None
        new_props: dict[str, Any] = found
    elif kind in ("rollbackCoupon", "rollbackReferral"):
        new_props = {"value": props["value"]}
    elif kind == "rollbackDiscount":
        if not props["value"]:
            return None
        new_props = _discount_rollback_props(effect)
    else:
        new_props = _points_rollback(app, effect, profile_id)
    out = {k: v for k, v in effect.items() if k not in ("props", "effectType")}
    return {**out, "effectType": kind, "props": new_props}


def _discount_rollback_props(effect: dict[str, Any]) -> dict[str, Any]:
    props = effect["props"]
    out: dict[str, Any] = {"name": props["name"], "value": props["value"]}
    if "position" in props:
        out["cartItemPosition"] = props["position"]
    if "subPosition" in props:
        out["cartItemSubPosition"] = props["subPosition"]
    for key in ("scope", "additionalCostId", "additionalCost"):
        if key in props:
            out[key] = props[key]
    return out


def _points_rollback(app: Application, effect: dict[str, Any], profile_id: str) -> dict[str, Any]:
    props = effect["props"]
    added = effect["effectType"] == "addLoyaltyPoints"
    transaction = str(uuid.UUID(int=app.next_id("transaction")))
    entry = app.loyalty.add(
        LedgerEntry(
            transaction_uuid=transaction,
            program_id=props["programId"],
            profile_id=profile_id,
            amount=-dec(props["value"]) if added else dec(props["value"]),
            name=f"Rollback: {props['name']}",
            created=app.now(),
            sub_ledger_id=props["subLedgerId"],
            reverses=props["transactionUUID"],
        )
    )
    return {
        "programId": props["programId"],
        "subLedgerId": props["subLedgerId"],
        "value": number(abs(entry.amount)),  # what the program's rules let the rollback take back
        "recipientIntegrationId": profile_id,
        "transactionUUID": transaction,
    }


def return_items(
    app: Application, session: SessionRecord, returned: list[dict[str, Any]], *, persist: bool = True
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Validate and apply returned units; returns (resolved returned items, one discount rollback per returned unit).

    ``persist=False`` (dry runs, on a copy of the session) leaves the profile's ``totalSales`` and the coupons'
    ``discountCounter`` alone.
    """
    resolved = [_resolve(session, item, index) for index, item in enumerate(returned)]
    rollbacks: list[dict[str, Any]] = []
    committed = session.committed
    for item in resolved:
        # Stored cart items are shared read-only records (Interner.records): the returned line is replaced.
        line = session.cart_items[item["position"]] = dict(session.cart_items[item["position"]])
        remaining = _left(line)
        quantity = item["quantity"]
        first = int(line["quantity"]) - remaining  # units leave lowest subPosition first (INF)
        line["returnedQuantity"] = int(line.get("returnedQuantity", 0)) + quantity
        line["remainingQuantity"] = remaining - quantity
        value = dec(line.get("price")) * quantity
        if committed is not None:
            committed.total -= value
            undone = _return_discounts(app, committed, item["position"], range(first, first + quantity))
            if persist:
                _count_coupon_discounts(app, [{**r, "effectType": "setDiscountPerItem"} for r in undone], -1)
            rollbacks.extend(undone)
        profile = app.profiles.get(session.profile_id)
        if profile is not None and persist:
            profile.total_sales -= value
    return resolved, rollbacks


def _resolve(session: SessionRecord, item: dict[str, Any], index: int) -> dict[str, Any]:
    pointer = f"/return/returnedCartItems/{index}"
    position = item.get("position")
    if position is None:
        matches = [i for i, line in enumerate(session.cart_items) if line["sku"] == item.get("sku") and _left(line)]
        if not matches:
            raise BadRequest(f"no returnable cart item with sku {item.get('sku')!r} in the session", pointer=pointer)
        position = matches[0]
    if not 0 <= position < len(session.cart_items):
        raise BadRequest(f"position {position} is not a cart item of the session", pointer=pointer + "/position")
    line = session.cart_items[position]
    if item.get("sku") is not None and item["sku"] != line["sku"]:
        raise BadRequest(f"cart item {position} has sku {line['sku']!r}, not {item['sku']!r}", pointer=pointer + "/sku")
    quantity = item.get("quantity") or _left(line)
    if quantity < 1 or quantity > _left(line):
        raise BadRequest(
            f"cannot return {quantity} unit(s) of cart item {position}: {_left(line)} left",
            pointer=pointer + "/quantity",
        )
    return {"position": position, "quantity": quantity, "sku": line["sku"]}


def _left(line: dict[str, Any]) -> int:
    return int(line.get("remainingQuantity", line["quantity"]))


def _return_discounts(app: Application, committed: Committed, position: int, units: range) -> list[dict[str, Any]]:
    """One ``rollbackDiscount`` per discounted returned unit; their discounts leave the committed effects."""
    kept: list[dict[str, Any]] = []
    out: list[dict[str, Any]] = []
    for effect in committed.effects:
        props = effect["props"]
        returned = (
            effect["effectType"] == "setDiscountPerItem"
            and props.get("position") == position
            and props.get("subPosition", 0) in units
        )
        if not returned:
            kept.append(effect)
        elif (rollback := _rollback_of(app, effect, committed.profile_id)) is not None:
            out.append(rollback)
    committed.effects = kept
    return out
