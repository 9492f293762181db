"""Downstream tests of the coupon and referral helpers, for every accepted input type."""

from __future__ import annotations

import pytest

from tests.assertions.conftest import CLOSED_TABLE as TABLE
from tests.assertions.conftest import expect_failures, run


def test_assert_coupon_accepted(project: pytest.Pytester) -> None:
    project.makepyfile(
        """
        from pytest_talon.assertions import assert_coupon_accepted
        from conftest import convert
        from talon_data import CLOSED

        def test_summer_coupon_is_accepted(kind):
            effect = assert_coupon_accepted(convert(kind, CLOSED), "SUMMER-10", campaign_id=7)
            assert effect.triggered_by_coupon == 501

        def test_old_coupon_is_accepted(kind):
            assert_coupon_accepted(convert(kind, CLOSED), "OLD-5")
        """
    )
    result = run(project)
    result.assert_outcomes(passed=4, failed=4)
    message = f"""\
expected coupon 'OLD-5' to be accepted; it was rejected: CouponExpired in #3 rejectCoupon (campaign 9, rule 'Old promo')
{TABLE}
closest: #0 acceptCoupon (campaign 7, rule 'Summer sale')
  value: expected 'OLD-5', got 'SUMMER-10'"""
    expect_failures(result, message, 4)


def test_assert_coupon_rejected(project: pytest.Pytester) -> None:
    project.makepyfile(
        """
        from pytest_talon.assertions import assert_coupon_rejected
        from conftest import convert
        from talon_data import CLOSED

        def test_old_coupon_has_expired(kind):
            effect = assert_coupon_rejected(convert(kind, CLOSED), "OLD-5", reason="CouponExpired")
            assert effect.props.rejection_reason == "CouponExpired"
            assert_coupon_rejected(convert(kind, CLOSED), "OLD-5", campaign_id=9)

        def test_old_coupon_was_not_found(kind):
            assert_coupon_rejected(convert(kind, CLOSED), "OLD-5", reason="CouponNotFound")

        def test_summer_coupon_is_rejected(kind):
            assert_coupon_rejected(convert(kind, CLOSED), "SUMMER-10")
        """
    )
    result = run(project)
    result.assert_outcomes(passed=4, failed=8)
    wrong_reason = f"""\
expected coupon 'OLD-5' to be rejected with CouponNotFound; it was rejected with CouponExpired in #3 rejectCoupon \
(campaign 9, rule 'Old promo')
{TABLE}
closest: #3 rejectCoupon (campaign 9, rule 'Old promo')
  rejectionReason: expected 'CouponNotFound', got 'CouponExpired'"""
    accepted = f"""\
expected coupon 'SUMMER-10' to be rejected; it was accepted: #0 acceptCoupon (campaign 7, rule 'Summer sale')
{TABLE}
closest: #3 rejectCoupon (campaign 9, rule 'Old promo')
  value: expected 'SUMMER-10', got 'OLD-5'"""
    expect_failures(result, wrong_reason, 4)
    expect_failures(result, accepted, 4)


def test_assert_referral_accepted(project: pytest.Pytester) -> None:
    project.makepyfile(
        """
        from pytest_talon.assertions import assert_referral_accepted
        from conftest import convert
        from talon_data import CLOSED

        def test_friend_referral_is_accepted(kind):
            assert assert_referral_accepted(convert(kind, CLOSED), "FRIEND-1").campaign_id == 10

        def test_other_referral_is_accepted(kind):
            assert_referral_accepted(convert(kind, CLOSED), "FRIEND-2")
        """
    )
    result = run(project)
    result.assert_outcomes(passed=4, failed=4)
    message = f"""\
expected referral 'FRIEND-2' to be accepted; no acceptReferral or rejectReferral effect names it
{TABLE}
closest: #4 acceptReferral (campaign 10, rule 'Refer a friend')
  value: expected 'FRIEND-2', got 'FRIEND-1'"""
    expect_failures(result, message, 4)


def test_assert_referral_rejected(project: pytest.Pytester) -> None:
    project.makepyfile(
        """
        from pytest_talon.assertions import assert_referral_rejected
        from conftest import convert
        from talon_data import CLOSED, state

        REJECTED = {"campaignId": 10, "rulesetId": 101, "ruleIndex": 0, "ruleName": "Refer a friend",
                    "effectType": "rejectReferral",
                    "props": {"value": "SELF-1", "rejectionReason": "ReferralRecipientIdSameAsAdvocate"}}

        def test_self_referral_is_rejected(kind):
            found = assert_referral_rejected(convert(kind, state("open", [REJECTED])), "SELF-1",
                                             "ReferralRecipientIdSameAsAdvocate")
            assert found.props.value == "SELF-1"

        def test_friend_referral_has_expired(kind):
            assert_referral_rejected(convert(kind, CLOSED), "FRIEND-1", "ReferralExpired")
        """
    )
    result = run(project)
    result.assert_outcomes(passed=4, failed=4)
    message = f"""\
expected referral 'FRIEND-1' to be rejected with ReferralExpired; it was accepted: #4 acceptReferral \
(campaign 10, rule 'Refer a friend')
{TABLE}
closest: #4 acceptReferral (campaign 10, rule 'Refer a friend')
  effectType: expected 'rejectReferral', got 'acceptReferral'
  rejectionReason: expected 'ReferralExpired', got <missing>"""
    expect_failures(result, message, 4)


def test_a_mistyped_rejection_reason_names_the_closest_one(project: pytest.Pytester) -> None:
    project.makepyfile(
        """
        from pytest_talon.assertions import assert_coupon_rejected
        from talon_data import CLOSED

        def test_typo():
            assert_coupon_rejected(CLOSED, "OLD-5", reason="CouponExpierd")
        """
    )
    result = run(project)
    result.assert_outcomes(failed=1)
    message = "unknown coupon rejection reason 'CouponExpierd', did you mean 'CouponExpired'?"
    expect_failures(result, message, 1, error="AssertionUsageError")
