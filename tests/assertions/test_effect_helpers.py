"""Downstream tests of assert_effect, assert_no_effect and assert_effects, for every accepted input type."""

from __future__ import annotations

import pytest

from tests.assertions.conftest import CLOSED_TABLE as TABLE
from tests.assertions.conftest import expect_failures, run


def test_assert_effect_passes_and_fails_the_same_way_for_every_input(project: pytest.Pytester) -> None:
    project.makepyfile(
        """
        from pytest_talon.assertions import assert_effect
        from pytest_talon.models import Effect, SetDiscountEffectProps
        from conftest import convert
        from talon_data import CLOSED

        def test_summer_sale_gives_ten_percent(kind):
            found = assert_effect(convert(kind, CLOSED), "setDiscount", name="Summer sale 10%", value=2.5,
                                  campaign_id=7, triggeredByCoupon=501)
            assert isinstance(found, Effect) and isinstance(found.props, SetDiscountEffectProps)
            assert found.props.value == 2.5 and found.rule_name == "Summer sale"

        def test_summer_sale_gives_three(kind):
            assert_effect(convert(kind, CLOSED), "setDiscount", campaign_id=7, value=3)
        """
    )
    result = run(project)
    result.assert_outcomes(passed=4, failed=4)
    message = f"""\
expected an effect setDiscount with campaignId=7, value=3; found none
{TABLE}
closest: #1 setDiscount (campaign 7, rule 'Summer sale')
  value: expected 3, got 2.5"""
    expect_failures(result, message, 4)


def test_assert_effect_count_is_exact(project: pytest.Pytester) -> None:
    project.makepyfile(
        """
        from pytest_talon.assertions import assert_effect
        from conftest import convert
        from talon_data import CLOSED

        def test_one_coupon_accepted(kind):
            assert_effect(convert(kind, CLOSED), "acceptCoupon", count=1)

        def test_two_coupons_accepted(kind):
            assert_effect(convert(kind, CLOSED), "acceptCoupon", count=2)
        """
    )
    result = run(project)
    result.assert_outcomes(passed=4, failed=4)
    expect_failures(result, f"expected exactly 2 effects acceptCoupon; found 1 (#0)\n{TABLE}", 4)


def test_assert_no_effect(project: pytest.Pytester) -> None:
    project.makepyfile(
        """
        from pytest_talon.assertions import assert_no_effect
        from conftest import convert
        from talon_data import CLOSED

        def test_no_free_item(kind):
            assert_no_effect(convert(kind, CLOSED), "addFreeItem")
            assert_no_effect(convert(kind, CLOSED), "setDiscount", value=3)

        def test_no_bean_discount(kind):
            assert_no_effect(convert(kind, CLOSED), "setDiscountPerItem", position=0)
        """
    )
    result = run(project)
    result.assert_outcomes(passed=4, failed=4)
    expect_failures(result, f"expected no effect setDiscountPerItem with position=0; found 1 (#2)\n{TABLE}", 4)


def test_assert_effects_unordered_and_ordered(project: pytest.Pytester) -> None:
    project.makepyfile(
        """
        from pytest_talon.assertions import EffectSpec, assert_effects
        from conftest import convert
        from talon_data import CLOSED

        EXPECTED = [
            "acceptReferral",
            ("rejectCoupon", {"rejection_reason": "CouponExpired"}),
            EffectSpec("setDiscountPerItem", position=0),
            {"effectType": "setDiscount", "campaignId": 7, "props": {"value": 2.5}},
            EffectSpec("acceptCoupon", value="SUMMER-10"),
            "deductLoyaltyPoints",
            "addLoyaltyPoints",
        ]

        def test_exactly_these_effects(kind):
            found = assert_effects(convert(kind, CLOSED), EXPECTED)
            assert [effect.effect_type for effect in found][:2] == ["acceptReferral", "rejectCoupon"]

        def test_missing_and_unexpected(kind):
            assert_effects(convert(kind, CLOSED), EXPECTED[:5] + [EffectSpec("addFreeItem", sku="MUG-1")])

        def test_ordered(kind):
            assert_effects(convert(kind, CLOSED), EXPECTED, ordered=True)
        """
    )
    result = run(project)
    result.assert_outcomes(passed=4, failed=8)
    unordered = f"""\
effects differ from the expected set:
  missing: addFreeItem with sku='MUG-1'
  unexpected: #5 addLoyaltyPoints (campaign 11, rule 'Double points')
  unexpected: #6 deductLoyaltyPoints (campaign 12, rule 'Pay with points')
{TABLE}"""
    ordered = """\
effects differ from the expected list (ordered):
  #0: expected acceptReferral, got acceptCoupon
    effectType: expected 'acceptReferral', got 'acceptCoupon'
  #1: expected rejectCoupon with rejectionReason='CouponExpired', got setDiscount"""
    expect_failures(result, unordered, 4)
    expect_failures(result, ordered, 4)
