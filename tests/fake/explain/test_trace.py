"""The trace of an evaluation read back with ``explain()``: campaigns weighed and skipped, the deciding condition and
its input, Talang's deciding sub-expression, group exclusions and code verdicts with their figures."""

from __future__ import annotations

import httpx
import pytest

from pytest_talon.client import TalonClient
from pytest_talon.errors import TalonAPIError
from pytest_talon.fake import FakeTalon

from .scenario import build, session


@pytest.fixture
def seeded(fake: FakeTalon, client: TalonClient) -> FakeTalon:
    build(fake)
    client.update_customer_session_v2("s0", session(["ONCE"], price=60.0, state="closed"))  # uses ONCE up
    client.update_customer_session_v2("s1", session(["SUMMER10", "ONCE"]))
    return fake


def test_a_coupon_rejected_by_a_cart_subtotal_condition_names_campaign_rule_condition_and_subtotal(
    seeded: FakeTalon,
) -> None:
    explanation = seeded.explain()
    summer = explanation.campaign(1)
    assert (summer.name, summer.outcome) == ("Summer coupons", "not fired")
    (rule,) = summer.rules
    assert (rule.title, rule.outcome, rule.code) == ("Ten percent off", "false", "SUMMER10")
    assert rule.detail == "condition 1 cartSubtotal >= 50 was false (subtotal 45.00)"
    assert 'campaign 1 "Summer coupons", rule 0 "Ten percent off" (code \'SUMMER10\'): condition 1 cartSubtotal' in (
        explanation.summary(codes=["SUMMER10"])
    )


def test_an_exclusive_group_names_the_winner_and_both_figures(seeded: FakeTalon) -> None:
    small, big = seeded.explain().campaign(2), seeded.explain().campaign(3)
    assert small.outcome == "excluded"
    assert small.why == 'by group "Exclusive" (highestDiscount): campaign 3 gave 12.00, this one 5.00'
    assert big.outcome == "fired"


def test_a_reached_coupon_limit_gives_the_counter_and_the_limit(seeded: FakeTalon) -> None:
    verdicts = {v.code: v for v in seeded.explain().codes}
    assert str(verdicts["ONCE"]) == "coupon 'ONCE': rejected CouponLimitReached (campaign 6): usages 1 of limit 1"
    assert str(verdicts["SUMMER10"]) == "coupon 'SUMMER10': rejected CouponRejectedByCondition (campaign 1)"


def test_a_talang_rule_shows_the_deciding_sub_expression_with_its_values(seeded: FakeTalon) -> None:
    (rule,) = seeded.explain().campaign(4).rules
    assert rule.detail == 'condition 1 was false: [">=", [".", "Session", "Total"], 50]: 45.00 >= 50 -> false'


def test_skipped_campaigns_say_why(seeded: FakeTalon) -> None:
    explanation = seeded.explain()
    assert explanation.campaign(5).outcome == "skipped"
    assert explanation.campaign(5).why == "its rules need event talon_session_closed; this was talon_session_created"
    closed = seeded.explain(-2)
    assert closed.campaign(5).outcome == "fired"


def test_a_campaign_not_running_says_why(fake: FakeTalon, client: TalonClient) -> None:
    fake.add_campaign(name="Off", state="disabled", rules=[{"title": "r", "conditions": [], "effects": []}])
    client.update_customer_session_v2("s1", session([]))
    off = fake.explain().campaign(1)
    assert (off.outcome, off.why) == ("not running", "disabled")


def test_the_tree_reads_top_down(seeded: FakeTalon) -> None:
    text = str(seeded.explain())
    assert text.splitlines()[0] == "PUT /v2/customer_sessions/s1 -> 200 (talon_session_created)"
    assert '  campaign 1 "Summer coupons": not fired' in text.splitlines()
    assert seeded.requests[-1].explain() == seeded.explain()


def test_requests_the_fake_did_not_evaluate_say_so_in_one_line(fake: FakeTalon, client: TalonClient) -> None:
    bad = fake.handle(httpx.Request("GET", f"{fake.base_url}/v1/customer_profiles/x/x"))
    assert bad.status_code == 401
    assert str(fake.explain()) == "GET /v1/customer_profiles/x/x -> 401: the fake answered 401 and evaluated no rule"
    fake.inject_fault("updateCustomerSessionV2", status=500)
    with pytest.raises(TalonAPIError):
        client.update_customer_session_v2("s1", session([]))
    assert str(fake.explain()).endswith("an injected fault answered it; no rule was evaluated")
    assert not fake.explain().evaluated


def test_an_index_out_of_range_is_an_index_error(fake: FakeTalon) -> None:
    with pytest.raises(IndexError):
        fake.explain()
    with pytest.raises(IndexError):
        fake.explain(3)


def test_a_read_and_a_cancel_evaluate_nothing(fake: FakeTalon, client: TalonClient) -> None:
    client.update_customer_session_v2("s1", session([]))
    client.get_customer_session("s1")
    assert str(fake.explain()) == (
        "GET /v2/customer_sessions/s1 -> 200: the fake evaluated no rule for this request (getCustomerSession)"
    )
    client.update_customer_session_v2("s1", session([], state="cancelled"))
    assert not fake.explain().evaluated
