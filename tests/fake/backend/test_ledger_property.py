"""Property: whatever sessions, closes, cancels, reopens, returns, activations and clock moves happen, the balances
the API reports equal the sum of the transaction log, match the points lists, and never go negative where the
program's return policy forbids it."""

from __future__ import annotations

from typing import Any, Literal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_talon.client import TalonClient
from pytest_talon.errors import TalonAPIError
from pytest_talon.fake import AddLoyaltyPoints, Campaign, DeductLoyaltyPoints, FakeTalon, Rule, SessionAttribute
from pytest_talon.fake.state.programs import LoyaltyProgram
from tests._spec import log_errors

ACTIONS = st.one_of(
    st.tuples(st.just("close"), st.integers(1, 200), st.booleans()),
    st.tuples(st.just("cancel"), st.integers(0, 9), st.none()),
    st.tuples(st.just("reopen"), st.integers(0, 9), st.none()),
    st.tuples(st.just("return"), st.integers(0, 9), st.none()),
    st.tuples(st.just("activate"), st.integers(0, 9), st.none()),
    st.tuples(st.just("advance"), st.integers(1, 96), st.none()),
)
PROGRAMS = st.fixed_dictionaries(
    {
        "default_pending": st.sampled_from(["immediate", "1D", "on_action"]),
        "default_validity": st.sampled_from(["unlimited", "2D", "5D"]),
        "return_policy": st.sampled_from(["only_pending", "within_balance", "unlimited"]),
    }
)


def build(program: dict[str, str]) -> FakeTalon:
    fake = FakeTalon()
    pending, validity, policy = program["default_pending"], program["default_validity"], program["return_policy"]
    fake.add_loyalty_program(
        LoyaltyProgram(id=1, name="Points", default_pending=pending, default_validity=validity, return_policy=policy)
    )
    spend = Rule(
        "spend", conditions=(SessionAttribute("spend", "==", True),), effects=(DeductLoyaltyPoints(1, value=5),)
    )
    fake.add_campaign(Campaign(name="spend", rules=(spend,)))
    fake.add_campaign(Campaign(name="earn", rules=(Rule("earn", effects=(AddLoyaltyPoints(1, percent=10),)),)))
    return fake


def step(fake: FakeTalon, client: TalonClient, sessions: list[str], action: tuple[str, int, Any]) -> None:
    kind, number, flag = action
    target = sessions[number % len(sessions)] if sessions else None
    body: dict[str, Any] = {"customerSession": {"profileId": "alice"}}
    try:
        if kind == "close":
            sessions.append(f"s{len(sessions)}")
            items = [{"sku": "a", "quantity": 2, "price": number}]
            body["customerSession"].update(cartItems=items, state="closed", attributes={"spend": flag})
            client.update_customer_session_v2(sessions[-1], body)
        elif kind == "advance":
            fake.clock.advance(hours=number)
        elif target is None:
            return
        elif kind == "cancel":
            client.update_customer_session_v2(target, {"customerSession": {"state": "cancelled"}})
        elif kind == "reopen":
            client.reopen_customer_session(target)
        elif kind == "return":
            client.return_cart_items(target, {"return": {"returnedCartItems": [{"position": 0, "quantity": 1}]}})
        else:
            client.activate_loyalty_points("1", {"sessionId": target})
    except TalonAPIError as exc:
        if exc.status_code != 400:  # 400: an invalid transition for the session's current state
            raise


def check(client: TalonClient, policy: str) -> None:
    balance = client.get_loyalty_balances("1", "alice").balance
    assert balance is not None
    log = client.get_loyalty_program_profile_transactions("1", "alice", page_size=1000).data
    total = sum(t.amount if t.type == "addition" else -t.amount for t in log)
    held = (balance.active_points or 0) + (balance.pending_points or 0) + (balance.expired_points or 0)
    assert total == pytest.approx(held - (balance.negative_points or 0), abs=1e-6)
    statuses: tuple[tuple[Literal["active", "pending"], float | None], ...] = (
        ("active", balance.active_points),
        ("pending", balance.pending_points),
    )
    for status, expected in statuses:
        points = client.get_loyalty_program_profile_points("1", "alice", status=status, page_size=1000).data
        assert sum(p.amount for p in points) == pytest.approx(expected, abs=1e-6)
    assert min(balance.active_points or 0, balance.pending_points or 0, balance.expired_points or 0) >= 0
    if policy != "unlimited":
        assert balance.negative_points == 0


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(program=PROGRAMS, actions=st.lists(ACTIONS, min_size=1, max_size=12))
def test_balances_always_equal_the_ledger(program: dict[str, str], actions: list[tuple[str, int, Any]]) -> None:
    fake = build(program)
    sessions: list[str] = []
    with fake.client() as client:
        client.update_customer_profile_v2("alice", {"attributes": {}})
        for action in actions:
            step(fake, client, sessions, action)
            check(client, program["return_policy"])
    assert not log_errors(fake.requests)
