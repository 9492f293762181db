"""Sums over effects: ``assert_discount_total`` (money, exact decimals), ``assert_loyalty_points`` (tolerant) and
``assert_rolled_back`` for cancel, reopen and return flows."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from pytest_talon._assertions.compare import is_number, to_decimal, values_match
from pytest_talon._assertions.effects import describe_effect, fail
from pytest_talon._assertions.errors import AssertionUsageError
from pytest_talon._assertions.explain import explained
from pytest_talon._assertions.normalize import Wire, effects_of
from pytest_talon._assertions.render import fmt, found_among

__all__ = [
    "DISCOUNT_EFFECT_TYPES",
    "ROLLBACK_EFFECT_TYPES",
    "assert_discount_total",
    "assert_loyalty_points",
    "assert_rolled_back",
]

__tracebackhide__ = True

#: The effect types whose ``value`` is a granted discount.
DISCOUNT_EFFECT_TYPES: tuple[str, ...] = (
    "setDiscount",
    "setDiscountPerAdditionalCost",
    "setDiscountPerAdditionalCostPerItem",
    "setDiscountPerItem",
)

#: The effect types that undo something committed when the session closed.
ROLLBACK_EFFECT_TYPES: tuple[str, ...] = (
    "rollbackAddedLoyaltyPoints",
    "rollbackCoupon",
    "rollbackDeductedLoyaltyPoints",
    "rollbackDiscount",
    "rollbackIncreasedAchievementProgress",
    "rollbackReferral",
)

# effect type -> sign of its value in a sum
_Signs = Mapping[str, int]


def _terms(effects: Sequence[Wire], signs: _Signs, where: Mapping[str, Any]) -> list[tuple[int, Decimal]]:
    """``(index, signed value)`` of every effect of a type in ``signs`` whose props match ``where``."""
    found: list[tuple[int, Decimal]] = []
    for index, effect in enumerate(effects):
        props = effect.get("props") or {}
        if effect.get("effectType") not in signs or not all(values_match(v, props.get(k)) for k, v in where.items()):
            continue
        value = props.get("value")
        if not is_number(value):
            raise fail(f"effect {describe_effect(effects, index)} has a non-numeric value {fmt(value)}")
        found.append((index, signs[str(effect["effectType"])] * to_decimal(value)))
    return found


def _breakdown(effects: Sequence[Wire], terms: Sequence[tuple[int, Decimal]]) -> list[str]:
    if not terms:
        return ["  (no such effects)"]
    amounts = [_amount(abs(value)) for _, value in terms]
    width = max(map(len, amounts))
    return [
        f"  {'+' if value >= 0 else '-'} {amount.ljust(width)}  {describe_effect(effects, i)}"
        for (i, value), amount in zip(terms, amounts, strict=True)
    ]


def _amount(value: Decimal) -> str:
    """A decimal as written, but integral values without a fraction (``50.0`` -> ``50``)."""
    return str(value.quantize(Decimal(1))) if value == value.to_integral_value() else str(value)


@explained
def assert_discount_total(state: object, amount: object, /, *, campaign_id: int | None = None) -> None:
    """Assert the net discount of ``state``: the ``value`` of every ``setDiscount*`` effect minus every
    ``rollbackDiscount``, summed as exact decimals and compared exactly with ``amount``."""
    expected = to_decimal(amount)
    effects = effects_of(state)
    signs = {**dict.fromkeys(DISCOUNT_EFFECT_TYPES, 1), "rollbackDiscount": -1}
    terms = [
        (i, value)
        for i, value in _terms(effects, signs, {})
        if campaign_id is None or effects[i].get("campaignId") == campaign_id
    ]
    total = sum((value for _, value in terms), Decimal(0))
    if total != expected:
        scope = f" for campaign {campaign_id}" if campaign_id is not None else ""
        head = f"expected a discount total{scope} of {expected}, got {total}:"
        raise fail(head, _breakdown(effects, terms), found_among(effects))


def _points_check(
    effects: Sequence[Wire], label: str, effect_type: str, expected: object, where: Mapping[str, Any]
) -> list[str]:
    """Failure lines for one points sum (empty when it matches); a Decimal expectation compares exactly."""
    if isinstance(expected, bool) or not is_number(expected):
        raise AssertionUsageError(f"{label} must be a number, got {expected!r}")
    terms = _terms(effects, {effect_type: 1}, where)
    total = sum((value for _, value in terms), Decimal(0))
    if values_match(expected, total if isinstance(expected, Decimal) else float(total)):
        return []
    return [
        f"{label}: expected {fmt(expected)}, got {fmt(float(total))} from {effect_type}:",
        *_breakdown(effects, terms),
    ]


def _points_where(program_id: int | None, sub_ledger_id: str | None) -> dict[str, Any]:
    where: dict[str, Any] = {}
    if program_id is not None:
        where["programId"] = program_id
    if sub_ledger_id is not None:
        where["subLedgerId"] = sub_ledger_id
    return where


def _scope(where: Mapping[str, Any]) -> str:
    return f" ({', '.join(f'{key}={fmt(value)}' for key, value in where.items())})" if where else ""


@explained
def assert_loyalty_points(
    state: object,
    /,
    *,
    added: float | Decimal | None = None,
    deducted: float | Decimal | None = None,
    program_id: int | None = None,
    sub_ledger_id: str | None = None,
) -> None:
    """Assert the points that ``addLoyaltyPoints`` / ``deductLoyaltyPoints`` effects add and deduct in total,
    optionally only in one program (``program_id``) and subledger (``sub_ledger_id``)."""
    if added is None and deducted is None:
        raise AssertionUsageError("assert_loyalty_points needs added=, deducted= or both")
    effects = effects_of(state)
    where = _points_where(program_id, sub_ledger_id)
    problems: list[str] = []
    if added is not None:
        problems += _points_check(effects, "added", "addLoyaltyPoints", added, where)
    if deducted is not None:
        problems += _points_check(effects, "deducted", "deductLoyaltyPoints", deducted, where)
    if problems:
        raise fail(f"loyalty points differ{_scope(where)}:", ["  " + line for line in problems], found_among(effects))


def _codes(value: str | Iterable[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _code_problems(effects: Sequence[Wire], effect_type: str, noun: str, codes: Iterable[str]) -> list[str]:
    present = {
        (effect.get("props") or {}).get("value") for effect in effects if effect.get("effectType") == effect_type
    }
    return [f"no {effect_type} for {noun} {code!r}" for code in codes if code not in present]


@explained
def assert_rolled_back(
    state: object,
    /,
    *,
    coupon: str | Iterable[str] | None = None,
    referral: str | Iterable[str] | None = None,
    discount: object = None,
    added_points: float | Decimal | None = None,
    deducted_points: float | Decimal | None = None,
    program_id: int | None = None,
) -> None:
    """Assert the rollback effects of a cancel, reopen or return: redeemed coupons and referrals, the discount
    amount (exact decimals) and the points taken back; with no criteria, that at least one rollback is present."""
    effects = effects_of(state)
    problems = _code_problems(effects, "rollbackCoupon", "coupon", _codes(coupon))
    problems += _code_problems(effects, "rollbackReferral", "referral", _codes(referral))
    if discount is not None:
        terms = _terms(effects, {"rollbackDiscount": 1}, {})
        total = sum((value for _, value in terms), Decimal(0))
        if total != to_decimal(discount):
            problems += [f"rolled-back discount: expected {to_decimal(discount)}, got {total}:"]
            problems += _breakdown(effects, terms)
    where = _points_where(program_id, None)
    if added_points is not None:
        problems += _points_check(
            effects, "rolled-back added points", "rollbackAddedLoyaltyPoints", added_points, where
        )
    if deducted_points is not None:
        label, effect_type = "rolled-back deducted points", "rollbackDeductedLoyaltyPoints"
        problems += _points_check(effects, label, effect_type, deducted_points, where)
    criteria = (coupon, referral, discount, added_points, deducted_points)
    if all(c is None for c in criteria) and not any(e.get("effectType") in ROLLBACK_EFFECT_TYPES for e in effects):
        problems.append(f"no rollback effect ({', '.join(ROLLBACK_EFFECT_TYPES)})")
    if problems:
        raise fail("expected a rollback, but:", ["  " + line for line in problems], found_among(effects))
