"""A failing assertion on an answer the fake gave ends with the part of the fake's explanation that matters."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from typing import Any

import pytest

from pytest_talon.assertions import TalonAssertionError, assert_coupon_accepted, assert_effect
from pytest_talon.client import TalonClient
from pytest_talon.fake import FakeTalon

from .scenario import build, session

WHY = 'campaign 1 "Summer coupons", rule 0 "Ten percent off" (code \'SUMMER10\'): condition 1 cartSubtotal >= 50 was '
WHY += "false (subtotal 45.00)"


@pytest.mark.parametrize(
    "given",
    [
        lambda answer, client, fake: answer,
        lambda answer, client, fake: client.last_response,
        lambda answer, client, fake: client.last_response.json(),
        lambda answer, client, fake: fake.requests[-1],
    ],
    ids=["model", "httpx response", "dict", "talon_requests entry"],
)
def test_a_rejected_coupon_names_campaign_rule_condition_and_subtotal(
    fake: FakeTalon, client: TalonClient, given: Callable[[Any, TalonClient, FakeTalon], object]
) -> None:
    build(fake)
    answer = client.update_customer_session_v2("s1", session(["SUMMER10"]))
    with pytest.raises(TalonAssertionError) as failed:
        assert_coupon_accepted(given(answer, client, fake), "SUMMER10")
    message = str(failed.value)
    tail = message[message.index("why, by the fake") :].splitlines()
    assert tail[0] == "why, by the fake (PUT /v2/customer_sessions/s1 -> 200):"
    assert f"  {WHY}" in tail
    assert tail[-1].startswith("  the whole tree: talon_fake.explain(0)")
    assert len(tail) <= 16


def test_an_effect_for_a_campaign_explains_that_campaign(fake: FakeTalon, client: TalonClient) -> None:
    build(fake)
    answer = client.update_customer_session_v2("s1", session([]))
    with pytest.raises(TalonAssertionError) as failed:
        assert_effect(answer, "setDiscount", campaign_id=2)
    why = 'campaign 2 "Small treat": excluded (by group "Exclusive" (highestDiscount): campaign 3 gave 12.00'
    assert why in str(failed.value)


def test_an_answer_no_fake_gave_is_not_explained() -> None:
    with pytest.raises(TalonAssertionError) as failed:
        assert_coupon_accepted({"effects": [{"effectType": "nothing", "campaignId": 9, "props": {}}]}, "X")
    assert "why, by the fake" not in str(failed.value)


def test_the_helpers_do_not_load_the_fake() -> None:
    code = "import sys, pytest_talon.assertions; print(any(m.startswith('pytest_talon.fake') for m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.strip() == "False"
