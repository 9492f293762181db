"""Downstream tests of assert_discount_total, assert_loyalty_points and assert_rolled_back, for every input type."""

from __future__ import annotations

import pytest

from tests.assertions.conftest import CANCEL_TABLE, CLOSED_TABLE, expect_failures, run


def test_assert_discount_total_is_exact_in_decimals(project: pytest.Pytester) -> None:
    project.makepyfile(
        """
        from decimal import Decimal
        from pytest_talon.assertions import assert_discount_total
        from conftest import convert
        from talon_data import CANCELLED, CLOSED

        def test_the_discounts_add_up(kind):
            assert_discount_total(convert(kind, CLOSED), Decimal("3.75"))
            assert_discount_total(convert(kind, CLOSED), "3.750")
            assert_discount_total(convert(kind, CLOSED), 2.5, campaign_id=7)
            assert_discount_total(convert(kind, CANCELLED), -3.75)  # net: rollbacks subtract

        def test_one_cent_off(kind):
            assert_discount_total(convert(kind, CLOSED), 3.76)
        """
    )
    result = run(project)
    result.assert_outcomes(passed=4, failed=4)
    message = f"""\
expected a discount total of 3.76, got 3.75:
  + 2.5   #1 setDiscount (campaign 7, rule 'Summer sale')
  + 1.25  #2 setDiscountPerItem (campaign 8, rule 'Bean bonus')
{CLOSED_TABLE}"""
    expect_failures(result, message, 4)


def test_assert_loyalty_points(project: pytest.Pytester) -> None:
    project.makepyfile(
        """
        from pytest_talon.assertions import assert_loyalty_points
        from conftest import convert
        from talon_data import CLOSED

        def test_points_earned_and_spent(kind):
            assert_loyalty_points(convert(kind, CLOSED), added=50, deducted=20.0000000001, program_id=3)
            assert_loyalty_points(convert(kind, CLOSED), added=0, program_id=4)

        def test_points_in_another_subledger(kind):
            assert_loyalty_points(convert(kind, CLOSED), added=50, deducted=10, sub_ledger_id="")
        """
    )
    result = run(project)
    result.assert_outcomes(passed=4, failed=4)
    message = f"""\
loyalty points differ (subLedgerId=''):
  deducted: expected 10, got 20 from deductLoyaltyPoints:
    + 20  #6 deductLoyaltyPoints (campaign 12, rule 'Pay with points')
{CLOSED_TABLE}"""
    expect_failures(result, message, 4)


def test_assert_rolled_back(project: pytest.Pytester) -> None:
    project.makepyfile(
        """
        from pytest_talon.assertions import assert_rolled_back
        from conftest import convert
        from talon_data import CANCEL_EFFECTS, CANCELLED

        def test_cancel_rolls_everything_back(kind):
            assert_rolled_back(convert(kind, CANCELLED), coupon="SUMMER-10", referral=["FRIEND-1"], discount="3.75",
                               added_points=50, deducted_points=20, program_id=3)
            reopened = convert(kind, {"effects": CANCEL_EFFECTS}, "ReopenSessionResponse")
            assert_rolled_back(reopened)

        def test_cancel_misses_a_coupon_and_some_points(kind):
            assert_rolled_back(convert(kind, CANCELLED), coupon=["SUMMER-10", "OLD-5"], discount=3.5, added_points=40)
        """
    )
    result = run(project)
    result.assert_outcomes(passed=4, failed=4)
    message = f"""\
expected a rollback, but:
  no rollbackCoupon for coupon 'OLD-5'
  rolled-back discount: expected 3.5, got 3.75:
    + 2.5   #2 rollbackDiscount (campaign 7, rule 'Summer sale')
    + 1.25  #3 rollbackDiscount (campaign 8, rule 'Bean bonus')
  rolled-back added points: expected 40, got 50 from rollbackAddedLoyaltyPoints:
    + 50  #4 rollbackAddedLoyaltyPoints (campaign 11, rule 'Double points')
{CANCEL_TABLE}"""
    expect_failures(result, message, 4)


def test_assert_rolled_back_without_criteria_needs_some_rollback(project: pytest.Pytester) -> None:
    project.makepyfile(
        """
        from pytest_talon.assertions import assert_rolled_back
        from conftest import convert
        from talon_data import CLOSED

        def test_closing_rolls_back(kind):
            assert_rolled_back(convert(kind, CLOSED))
        """
    )
    result = run(project)
    result.assert_outcomes(failed=4)
    message = f"""\
expected a rollback, but:
  no rollback effect (rollbackAddedLoyaltyPoints, rollbackCoupon, rollbackDeductedLoyaltyPoints, rollbackDiscount, \
rollbackIncreasedAchievementProgress, rollbackReferral)
{CLOSED_TABLE}"""
    expect_failures(result, message, 4)
