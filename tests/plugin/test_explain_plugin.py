"""In a pytest run in fake mode, a failing helper's message ends with the fake's explanation, whatever the test
handed it: the typed client's model, ``talon_requests[-1]``, or a ``requests`` answer from the served fake."""

from __future__ import annotations

import pytest

from tests.plugin._deployment import run

CAMPAIGNS = """\
campaigns:
  - id: 1
    name: Summer coupons
    rules:
      - title: Ten percent off
        conditions:
          - couponValid: {}
          - cartSubtotal: {op: ">=", value: 50}
        effects:
          - setDiscount: {name: "10% off", percent: 10}
coupons:
  - {value: SUMMER10, campaignId: 1, usageLimit: 0}
"""
SUITE = """
import pytest
import requests

from pytest_talon import assert_coupon_accepted

CART = {"customerSession": {"profileId": "p1", "couponCodes": ["SUMMER10"],
        "cartItems": [{"sku": "MUG", "quantity": 1, "price": 45}]}}


def test_model(talon_client):
    assert_coupon_accepted(talon_client.update_customer_session_v2("s1", CART), "SUMMER10")


def test_entry(talon_client, talon_requests):
    talon_client.update_customer_session_v2("s1", CART)
    assert talon_requests[-1].explain().campaign(1).outcome == "not fired"
    assert_coupon_accepted(talon_requests[-1], "SUMMER10")


def test_requests_answer(talon_endpoint):
    answer = requests.put(talon_endpoint.base_url + "/v2/customer_sessions/s1", json=CART,
                          headers=talon_endpoint.headers, timeout=10)
    assert_coupon_accepted(answer, "SUMMER10")
"""
WHY = (
    '*campaign 1 "Summer coupons", rule 0 "Ten percent off" (code *SUMMER10*): condition 1 cartSubtotal >= 50 '
    "was false (subtotal 45.00)"
)


def test_failing_helpers_explain_in_fake_mode(pytester: pytest.Pytester) -> None:
    pytest.importorskip("requests")
    pytester.makepyfile(test_shop=SUITE)
    (pytester.path / "campaigns.yaml").write_text(CAMPAIGNS)
    pytester.makeini("[pytest]\ntalon_campaigns = campaigns.yaml\n")
    result = run(pytester)
    result.assert_outcomes(failed=3)
    for test in ("test_model", "test_entry", "test_requests_answer"):
        result.stdout.fnmatch_lines([f"*_ {test} _*", "*why, by the fake (PUT /v2/customer_sessions/s1 -> 200):", WHY])
    result.stdout.fnmatch_lines(["*the whole tree: talon_fake.explain(0)*"])
