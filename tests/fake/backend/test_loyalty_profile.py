"""Profile loyalty: pending and expiring points on the fake clock, tiers, rollbacks, activation, deletion, paging."""

from __future__ import annotations

import copy
from datetime import timedelta

import pytest

from pytest_talon.client import TalonClient
from pytest_talon.errors import TalonAPIError
from pytest_talon.fake import AddLoyaltyPoints, Campaign, FakeTalon, Rule

from .conftest import error_of, props, raw, session


def earn(fake: FakeTalon, program_id: int, value: float) -> None:
    fake.add_campaign(
        Campaign(name=f"earn-{program_id}", rules=(Rule("earn", effects=(AddLoyaltyPoints(program_id, value=value),)),))
    )


def close(client: TalonClient, session_id: str, profile: str = "alice") -> None:
    client.update_customer_session_v2(session_id, session(profile, items=[("a", 1, 10.0)], state="closed"))


@pytest.fixture
def pending_program(fake: FakeTalon) -> FakeTalon:
    tiers = ({"name": "Silver", "minPoints": 50}, {"name": "Gold", "minPoints": 200})
    fake.add_loyalty_program(
        id=1, name="Points", sub_ledgers=("drinks",), tiers=tiers, default_pending="2D", default_validity="30D"
    )
    earn(fake, 1, 100)
    return fake


def test_points_are_pending_then_active_then_expired(pending_program: FakeTalon, client: TalonClient) -> None:
    fake = pending_program
    closed_at = fake.clock.now()
    close(client, "s1")
    balance = client.get_loyalty_balances("1", "alice").balance
    assert balance is not None
    assert (balance.active_points, balance.pending_points) == (0, 100)
    fake.clock.advance(days=2)
    balance = client.get_loyalty_balances("1", "alice", include_tiers=True).balance
    assert balance is not None
    assert (balance.active_points, balance.pending_points) == (100, 0)
    assert balance.current_tier is not None
    assert balance.current_tier.name == "Silver"
    assert (balance.next_tier_name, balance.points_to_next_tier) == ("Gold", 100)
    past = client.get_loyalty_balances("1", "alice", end_date=closed_at + timedelta(days=1)).balance
    assert past is not None
    assert past.pending_points == 100
    fake.clock.advance(days=30)
    balance = client.get_loyalty_balances("1", "alice").balance
    assert balance is not None
    assert (balance.active_points, balance.expired_points) == (0, 100)
    points = client.get_loyalty_program_profile_points("1", "alice", status="expired")
    assert [p.amount for p in points.data] == [100]
    assert points.data[0].start_date == (closed_at + timedelta(days=2)).isoformat().replace("+00:00", "Z")


def test_balances_list_declared_subledgers_and_the_projected_tier(
    pending_program: FakeTalon, client: TalonClient
) -> None:
    close(client, "s1")
    found = client.get_loyalty_balances("1", "alice", include_projected_tier=True)
    assert found.subledger_balances is not None
    assert set(found.subledger_balances) == {"drinks"}
    assert found.balance is not None
    assert found.balance.projected_tier is not None
    assert found.balance.projected_tier.projected_active_points == 100
    assert found.balance.projected_tier.projected_tier_name == "Silver"
    only = client.get_loyalty_balances("1", "alice", subledger_id="drinks")
    assert only.subledger_balances is not None
    assert list(only.subledger_balances) == ["drinks"]


def test_cancel_rolls_points_back_and_the_log_keeps_both_entries(fake: FakeTalon, client: TalonClient) -> None:
    fake.add_loyalty_program(id=2, name="Instant")
    earn(fake, 2, 10)
    close(client, "s2")
    assert client.get_loyalty_balances("2", "alice").balance.active_points == 10  # type: ignore[union-attr]
    client.update_customer_session_v2("s2", session(state="cancelled"))
    assert client.get_loyalty_balances("2", "alice").balance.active_points == 0  # type: ignore[union-attr]
    log = client.get_loyalty_program_profile_transactions("2", "alice")
    assert [(t.type, t.amount) for t in log.data] == [("subtraction", 10), ("addition", 10)]
    assert {t.customer_session_id for t in log.data} == {"s2"}


def test_only_pending_return_policy_keeps_active_points(fake: FakeTalon, client: TalonClient) -> None:
    fake.add_loyalty_program(id=2, name="Strict", return_policy="only_pending")
    earn(fake, 2, 10)
    close(client, "s2")
    client.update_customer_session_v2("s2", session(state="cancelled"))
    assert client.get_loyalty_balances("2", "alice").balance.active_points == 10  # type: ignore[union-attr]


def test_activation_by_session_starts_the_validity(fake: FakeTalon, client: TalonClient) -> None:
    fake.add_loyalty_program(id=3, name="On action", default_pending="on_action", default_validity="7D")
    earn(fake, 3, 40)
    close(client, "s3")
    waiting = client.get_loyalty_program_profile_transactions("3", "alice", awaits_activation=True)
    assert [t.start_date for t in waiting.data] == ["on_action"]
    assert waiting.data[0].validity_duration == "7D"
    fake.clock.advance(days=1)
    result = client.activate_loyalty_points("3", {"sessionId": "s3"})
    assert result.ledger_entries is not None
    assert [e.amount for e in result.ledger_entries] == [40]
    assert result.ledger_entries[0].expiry_date == fake.clock.now() + timedelta(days=7)
    assert client.get_loyalty_balances("3", "alice").balance.active_points == 40  # type: ignore[union-attr]
    again = client.activate_loyalty_points("3", {"transactionUUIDs": [waiting.data[0].transaction_uuid]})
    assert again.ledger_entries == []


@pytest.mark.parametrize(
    "body", [{}, {"sessionId": "s3", "transactionUUIDs": ["00000000-0000-0000-0000-000000000001"]}]
)
def test_activation_needs_exactly_one_selector(fake: FakeTalon, body: dict[str, object]) -> None:
    fake.add_loyalty_program(id=3, name="On action")
    response = raw(fake, "POST", "/v1/loyalty_programs/3/activate_points", json=body)
    assert error_of(response) == {"status": 400, "pointer": "/sessionId"}


def test_delete_transactions_by_subledger_then_all(fake: FakeTalon, client: TalonClient) -> None:
    fake.add_loyalty_program(id=1, name="Points", sub_ledgers=("drinks",))
    fake.add_loyalty_points(1, 5, profile="alice")
    fake.add_loyalty_points(1, 7, profile="alice", sub_ledger_id="drinks")
    client.delete_loyalty_transactions_from_ledgers(
        "1", "alice", {"scope": "SelectedSubledgers", "subledgerIds": ["drinks"]}
    )
    assert [t.subledger_id for t in client.get_loyalty_program_profile_transactions("1", "alice").data] == [""]
    client.delete_loyalty_transactions_from_ledgers("1", "alice", {"scope": "AllSubledgers"})
    assert client.get_loyalty_program_profile_transactions("1", "alice").data == []
    response = raw(
        fake, "POST", "/v1/loyalty_programs/1/profile/alice/delete_transactions", json={"scope": "SelectedSubledgers"}
    )
    assert error_of(response) == {"status": 400, "pointer": "/subledgerIds"}


def test_transactions_page_with_the_spec_default_and_maximum(fake: FakeTalon, client: TalonClient) -> None:
    fake.add_loyalty_program(id=1, name="Points")
    for amount in range(1, 61):
        fake.add_loyalty_points(1, amount, profile="alice")
    first = client.get_loyalty_program_profile_transactions("1", "alice")
    assert (len(first.data), first.has_more, first.data[0].amount) == (50, True, 60)
    rest = client.get_loyalty_program_profile_transactions("1", "alice", skip=50)
    assert (len(rest.data), rest.has_more) == (10, False)
    everything = client.get_loyalty_program_profile_transactions("1", "alice", page_size=1000)
    assert (len(everything.data), everything.has_more) == (60, False)
    exact = client.get_loyalty_program_profile_points("1", "alice", page_size=60)
    assert (len(exact.data), exact.has_more) == (60, False)
    assert {t.id for t in first.data}.isdisjoint({t.id for t in rest.data})


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("pageSize=1001", "pageSize"),
        ("pageSize=0", "pageSize"),
        ("skip=-1", "skip"),
        ("awaitsActivation=false", "awaitsActivation"),
        ("loyaltyTransactionType=gift", "loyaltyTransactionType"),
        ("startDate=yesterday", "startDate"),
    ],
)
def test_bad_transaction_queries_name_the_parameter(fake: FakeTalon, query: str, parameter: str) -> None:
    fake.add_loyalty_program(id=1, name="Points")
    fake.add_loyalty_points(1, 1, profile="alice")
    response = raw(fake, "GET", f"/v1/loyalty_programs/1/profile/alice/transactions?{query}")
    assert error_of(response) == {"status": 400, "parameter": parameter}


@pytest.mark.parametrize(
    ("query", "parameter"), [("status=used", "status"), ("sort=amount", "sort"), ("endDate=x", "endDate")]
)
def test_bad_points_and_balance_queries_name_the_parameter(fake: FakeTalon, query: str, parameter: str) -> None:
    fake.add_loyalty_program(id=1, name="Points")
    fake.add_loyalty_points(1, 1, profile="alice")
    endpoint = "balances" if parameter == "endDate" else "points"
    response = raw(fake, "GET", f"/v1/loyalty_programs/1/profile/alice/{endpoint}?{query}")
    assert error_of(response) == {"status": 400, "parameter": parameter}


def test_points_filters_and_sort(fake: FakeTalon, client: TalonClient) -> None:
    fake.add_loyalty_program(id=1, name="Points", sub_ledgers=("drinks",))
    now = fake.clock.now()
    fake.add_loyalty_points(1, 5, profile="alice", expiry_date=now + timedelta(days=9))
    fake.add_loyalty_points(1, 6, profile="alice", expiry_date=now + timedelta(days=3), sub_ledger_id="drinks")
    fake.add_loyalty_points(1, -2, profile="alice", sub_ledger_id="drinks")
    by_expiry = client.get_loyalty_program_profile_points("1", "alice", sort="-expiryDate")  # type: ignore[arg-type]  # "-" sorts descending
    assert [p.amount for p in by_expiry.data] == [5, 4]
    drinks = client.get_loyalty_program_profile_points("1", "alice", subledger_id="drinks")
    assert [(p.amount, p.subledger_id) for p in drinks.data] == [(4, "drinks")]
    imported = client.get_loyalty_program_profile_transactions("1", "alice", loyalty_transaction_type="import")
    assert len(imported.data) == 3


def test_unknown_program_profile_and_wrong_kind(fake: FakeTalon, client: TalonClient) -> None:
    fake.add_loyalty_program(id=1, name="Points")
    fake.add_loyalty_program(id=2, name="Cards", card_based=True)
    with pytest.raises(TalonAPIError) as missing_program:
        client.get_loyalty_balances("99", "alice")
    assert missing_program.value.status_code == 404
    with pytest.raises(TalonAPIError) as missing_profile:
        client.get_loyalty_balances("1", "nobody")
    assert missing_profile.value.status_code == 404
    fake.add_loyalty_points(1, 1, profile="alice")
    assert error_of(raw(fake, "GET", "/v1/loyalty_programs/2/profile/alice/balances")) == {
        "status": 400,
        "parameter": "loyaltyProgramId",
    }


def test_session_loyalty_section_shows_pending_and_tentative(pending_program: FakeTalon, client: TalonClient) -> None:
    open_state = client.update_customer_session_v2("s1", session(items=[("a", 1, 10.0)], content=["loyalty"]))
    ledger = open_state.loyalty.programs["1"].ledger  # type: ignore[union-attr]
    assert (ledger.current_balance, ledger.tentative_current_balance, ledger.tentative_pending_balance) == (0, 0, 100)
    closed = client.update_customer_session_v2("s1", session(state="closed", content=["loyalty"]))
    ledger = closed.loyalty.programs["1"].ledger  # type: ignore[union-attr]
    assert (ledger.current_balance, ledger.pending_balance) == (0, 100)


def test_a_dry_cancel_leaves_the_ledger_live(pending_program: FakeTalon, client: TalonClient) -> None:
    close(client, "s1")
    client.update_customer_session_v2("s1", session(state="cancelled"), dry=True)
    pending_program.clock.advance(days=2)
    assert client.get_loyalty_balances("1", "alice").balance.active_points == 100  # type: ignore[union-attr]
    copied = copy.deepcopy(pending_program.app.loyalty)
    assert copied.policy is pending_program.app.loyalty.policy


def test_added_points_effects_carry_the_program_dates(fake: FakeTalon, client: TalonClient) -> None:
    fake.add_loyalty_program(id=1, name="Later", default_pending="2D", default_validity="30D")
    fake.add_loyalty_program(id=3, name="On action", default_pending="on_action", default_validity="7D")
    earn(fake, 1, 10)
    earn(fake, 3, 10)
    state = client.update_customer_session_v2("s1", session(items=[("a", 1, 10.0)]))
    by_program = {props(e)["programId"]: props(e) for e in state.effects}
    now = fake.clock.now()
    later = (by_program[1]["startDate"], by_program[1]["expiryDate"])
    assert later == ("2026-01-03T00:00:00Z", "2026-02-02T00:00:00Z")
    assert now.isoformat() == "2026-01-01T00:00:00+00:00"
    assert (by_program[3]["awaitsActivation"], by_program[3]["validityDuration"]) == (True, "7D")
    assert "startDate" not in by_program[3]


def test_points_lifting_a_profile_into_a_tier_announce_it(fake: FakeTalon, client: TalonClient) -> None:
    tiers = ({"name": "Silver", "minPoints": 50}, {"name": "Gold", "minPoints": 100})
    fake.add_loyalty_program(id=2, name="Tiers", tiers=tiers)
    earn(fake, 2, 60)
    first = client.update_customer_session_v2("s1", session(items=[("a", 1, 10.0)], state="closed"))
    assert [e.effect_type for e in first.effects] == ["addLoyaltyPoints", "changeLoyaltyTierLevel"]
    assert props(first.effects[1]) == {"ruleTitle": "earn", "programId": 2, "subLedgerId": "", "newTierName": "Silver"}
    second = client.update_customer_session_v2("s2", session(items=[("a", 1, 10.0)], state="closed"))
    assert props(second.effects[1])["previousTierName"] == "Silver"
    assert props(second.effects[1])["newTierName"] == "Gold"
    third = client.update_customer_session_v2("s3", session(items=[("a", 1, 10.0)]))
    assert [e.effect_type for e in third.effects] == ["addLoyaltyPoints"]
