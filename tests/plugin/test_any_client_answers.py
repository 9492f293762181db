"""Every assertion helper on every client's answer: a downstream suite sends its requests with ``requests`` and
``aiohttp`` to ``talon_endpoint`` and asserts on the ``requests.Response``, the aiohttp ``ClientResponse`` (read),
the body ``await resp.json()`` returned and the ``talon_requests`` entry, in fake mode (also under xdist), record
mode against a loopback fake posing as the deployment, and replay with that deployment gone."""

from __future__ import annotations

from pathlib import Path

import pytest

from pytest_talon.fake import FakeTalon
from tests.plugin._deployment import run

KEY = "any-client-key"

CAMPAIGNS = """
campaigns:
  - id: 1
    name: Coupons
    rules:
      - title: Ten percent off
        conditions: [{couponValid: {}}]
        effects: [{setDiscount: {name: "10% off", percent: 10}}]
  - id: 2
    name: Referrals
    rules:
      - title: Friend discount
        conditions: [{referralValid: {}}]
        effects: [{setDiscount: {name: "Friend discount", value: 5}}]
  - id: 3
    name: Points
    rules:
      - title: Earn points
        conditions: [{always: {}}]
        effects: [{addLoyaltyPoints: {programId: 1, value: 7, name: Points}}]
coupons:
  - {value: SAVE-10, campaignId: 1, usageLimit: 0}
referrals:
  - {code: FRIEND-1, campaignId: 2, advocate: alice}
loyaltyPrograms:
  - {id: 1, name: Points}
"""

SUITE = '''
import asyncio

import aiohttp
import pytest
import requests

from pytest_talon.assertions import (
    AssertionUsageError, TalonAssertionError, assert_coupon_accepted, assert_coupon_rejected, assert_discount_total,
    assert_effect, assert_effects, assert_error, assert_loyalty_points, assert_no_effect, assert_referral_accepted,
    assert_referral_rejected, assert_rolled_back, assert_session_state, assert_status,
)

KINDS = ["requests", "aiohttp", "aiohttp_body", "requests_entry", "aiohttp_entry"]



def close(profile):
    """Close a session of ``profile`` (one per test: a deployment keeps its profiles across tests)."""
    return {
        "customerSession": {
            "profileId": profile, "state": "closed", "couponCodes": ["SAVE-10", "NOPE"], "referralCode": "FRIEND-1",
            "cartItems": [{"sku": "A", "quantity": 1, "price": 100}],
        },
        "responseContent": ["customerSession"],
    }

CANCEL = {"customerSession": {"state": "cancelled"}}


async def _aiohttp(endpoint, path, body):
    async with aiohttp.ClientSession(headers=endpoint.headers) as session:
        async with session.put(endpoint.base_url + path, json=body) as response:
            parsed = await response.json()
    return response, parsed


def send(kind, endpoint, talon_requests, path, body=None):
    """PUT ``path`` with the client ``kind`` names; the answer in the shape ``kind`` names."""
    if kind.startswith("requests"):
        answer = requests.put(endpoint.base_url + path, json=body, headers=endpoint.headers)
    else:
        response, parsed = asyncio.run(_aiohttp(endpoint, path, body))
        answer = parsed if kind == "aiohttp_body" else response
    return talon_requests[-1] if kind.endswith("_entry") else answer


@pytest.mark.parametrize("kind", KINDS)
def test_every_helper_on_a_closed_session(kind, talon_endpoint, talon_requests):
    answer = send(kind, talon_endpoint, talon_requests, f"/v2/customer_sessions/{kind}", close(kind))
    assert assert_effect(answer, "setDiscount", name="10% off", value=10).props.value == 10
    assert_effects(answer, [
        "rejectCoupon", "acceptCoupon", ("setDiscount", {"name": "10% off"}), "acceptReferral",
        ("setDiscount", {"value": 5}), "addLoyaltyPoints",
    ])
    assert_no_effect(answer, "deductLoyaltyPoints")
    assert_coupon_accepted(answer, "SAVE-10")
    assert_coupon_rejected(answer, "NOPE", reason="CouponNotFound")
    assert_referral_accepted(answer, "FRIEND-1")
    with pytest.raises(TalonAssertionError, match="expected referral 'FRIEND-1' to be rejected; it was accepted"):
        assert_referral_rejected(answer, "FRIEND-1")
    assert_discount_total(answer, 15)
    assert_loyalty_points(answer, added=7, program_id=1)
    assert_session_state(answer, "closed")
    if kind == "aiohttp_body":  # a parsed success body has no status: the usage error says what to pass
        with pytest.raises(AssertionUsageError, match="rather than what resp.json[(][)] returned"):
            assert_status(answer, 200)
    else:
        assert_status(answer, 200)
        assert_status(answer, [200, 201])


@pytest.mark.parametrize("kind", KINDS)
def test_rollback_and_error(kind, talon_endpoint, talon_requests):
    path = f"/v2/customer_sessions/{kind}-rb"
    send(kind, talon_endpoint, talon_requests, path, close(kind + "-rb"))
    cancelled = send(kind, talon_endpoint, talon_requests, path, CANCEL)
    assert_rolled_back(cancelled, coupon="SAVE-10", referral="FRIEND-1", discount=15, added_points=7)
    failed = send(kind, talon_endpoint, talon_requests, path + "/reopen")
    error = assert_error(failed, message="only a closed customer session can be reopened", field="/")
    assert error.message.endswith("this one is cancelled")
    failure = "an error body" if kind == "aiohttp_body" else "HTTP 400"
    with pytest.raises(TalonAssertionError, match=f"expected a successful response, but the call failed: {failure}"):
        assert_effect(failed, "setDiscount")
    if kind != "aiohttp_body":
        assert_status(failed, 400)
        assert_error(failed, 400, title="Bad Request")


@pytest.mark.parametrize("kind", ["requests", "aiohttp", "requests_entry", "aiohttp_entry"])
def test_messages_name_the_request(kind, talon_endpoint, talon_requests):
    path = f"/v2/customer_sessions/{kind}-msg"
    answer = send(kind, talon_endpoint, talon_requests, path, close(kind + "-msg"))
    with pytest.raises(TalonAssertionError) as raised:
        assert_status(answer, 404)
    assert str(raised.value) == f"expected HTTP status 404; got HTTP 200 (PUT {path})"
    with pytest.raises(TalonAssertionError) as raised:
        assert_effect(answer, "addFreeItem")
    assert "got 6 effects:" in str(raised.value)
'''


def _project(pytester: pytest.Pytester) -> None:
    pytester.makefile(".yaml", campaigns=CAMPAIGNS)
    pytester.makeini("[pytest]\ntalon_campaigns = campaigns.yaml\n")
    pytester.makepyfile(test_any_client=SUITE)


def test_every_helper_on_every_client_answer_in_fake_mode(pytester: pytest.Pytester) -> None:
    _project(pytester)
    run(pytester, "-p", "no:xdist").assert_outcomes(passed=14)


@pytest.mark.slow  # two worker processes: about 10 s
def test_every_helper_on_every_client_answer_under_xdist(pytester: pytest.Pytester) -> None:
    _project(pytester)
    run(pytester, "-n", "2").assert_outcomes(passed=14)


def test_every_helper_on_every_client_answer_recorded_and_replayed(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    _project(pytester)
    for name in ("CI", "TALON_BASE_URL", "TALON_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    deployment = FakeTalon(api_key=KEY)
    deployment.load_campaigns(Path(pytester.path, "campaigns.yaml"))
    with deployment.serve() as url:
        monkeypatch.setenv("TALON_BASE_URL", url)
        monkeypatch.setenv("TALON_API_KEY", KEY)
        run(pytester, "-p", "no:xdist", "--talon-mode=record").assert_outcomes(passed=14)
    monkeypatch.delenv("TALON_BASE_URL")
    monkeypatch.delenv("TALON_API_KEY")
    replayed = run(pytester, "-p", "no:xdist", "--talon-mode=replay")
    replayed.assert_outcomes(passed=14)
    replayed.stdout.fnmatch_lines(["mode: replay; requests: *; cassettes replayed: 14, recorded: 0"])
