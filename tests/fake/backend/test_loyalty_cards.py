"""Card loyalty: generating cards, linking within the user limit, points earned through a session's card."""

from __future__ import annotations

import pytest

from pytest_talon.client import TalonClient
from pytest_talon.errors import TalonAPIError
from pytest_talon.fake import AddLoyaltyPoints, Campaign, FakeTalon, Rule

from .conftest import error_of, props, raw, session


@pytest.fixture
def cards(fake: FakeTalon) -> FakeTalon:
    fake.add_loyalty_program(id=5, name="Cards", card_based=True, users_per_card_limit=2, sub_ledgers=("fuel",))
    fake.add_loyalty_program(id=1, name="Profiles")
    rule = Rule("earn", effects=(AddLoyaltyPoints(5, value=20),))
    fake.add_campaign(Campaign(name="card points", rules=(rule,)))
    return fake


def test_points_go_to_the_session_card_and_roll_back(cards: FakeTalon, client: TalonClient) -> None:
    card = client.generate_loyalty_card("5", {"cardIdentifier": "CARD-ABCD", "customerProfileIds": ["alice"]})
    assert (card.identifier, card.program_id, card.users_per_card_limit) == ("CARD-ABCD", 5, 2)
    assert [p.integration_id for p in card.profiles or []] == ["alice"]
    opened = client.update_customer_session_v2("s1", session(items=[("a", 1, 5.0)], cards=["CARD-ABCD"]))
    assert [props(e)["cardIdentifier"] for e in opened.effects] == ["CARD-ABCD"]
    state = client.update_customer_session_v2("s1", session(cards=["CARD-ABCD"], state="closed"))
    assert [props(e)["cardIdentifier"] for e in state.effects] == ["CARD-ABCD"]
    balances = client.get_loyalty_card_balances("5", "CARD-ABCD")
    assert balances.balance is not None
    assert balances.balance.active_points == 20
    assert balances.subledger_balances is not None
    assert set(balances.subledger_balances) == {"fuel"}
    log = client.get_loyalty_card_transactions("5", "CARD-ABCD")
    assert [(t.card_identifier, t.amount, t.customer_session_id) for t in log.data] == [("CARD-ABCD", 20, "s1")]
    points = client.get_loyalty_card_points("5", "CARD-ABCD")
    assert [(p.amount, p.customer_profile_id) for p in points.data] == [(20, "alice")]
    client.update_customer_session_v2("s1", session(state="cancelled"))
    after = client.get_loyalty_card_balances("5", "CARD-ABCD").balance
    assert after is not None
    assert after.active_points == 0
    assert cards.loyalty_card("CARD-ABCD").ledger.current_balance == 0  # type: ignore[union-attr]


def test_link_respects_the_user_limit_and_unlink(cards: FakeTalon, client: TalonClient) -> None:
    cards.add_loyalty_card(5, "CARD-0042", profiles=["alice"])
    linked = client.link_loyalty_card_to_profile("5", "CARD-0042", {"integrationId": "bob"})
    assert [p.integration_id for p in linked.profiles or []] == ["alice", "bob"]
    again = client.link_loyalty_card_to_profile("5", "CARD-0042", {"integrationId": "bob"})
    assert len(again.profiles or []) == 2
    over = raw(cards, "POST", "/v2/loyalty_programs/5/cards/CARD-0042/link_profile", json={"integrationId": "carol"})
    assert error_of(over) == {"status": 400, "pointer": "/integrationId"}
    unlinked = client.unlink_loyalty_card_from_profile("5", "CARD-0042", {"integrationId": "bob"})
    assert [p.integration_id for p in unlinked.profiles or []] == ["alice"]
    twice = raw(cards, "POST", "/v2/loyalty_programs/5/cards/CARD-0042/unlink_profile", json={"integrationId": "bob"})
    assert error_of(twice) == {"status": 400, "pointer": "/integrationId"}


def test_generated_identifiers_and_bad_cards(cards: FakeTalon, client: TalonClient) -> None:
    first = client.generate_loyalty_card("5", {})
    second = client.generate_loyalty_card("5", {"status": "inactive"})
    assert (first.identifier, second.identifier, second.status) == ("CARD-0001", "CARD-0002", "inactive")
    duplicate = raw(cards, "POST", "/v1/loyalty_programs/5/cards", json={"cardIdentifier": "CARD-0001"})
    assert error_of(duplicate) == {"status": 400, "pointer": "/cardIdentifier"}
    crowded = raw(cards, "POST", "/v1/loyalty_programs/5/cards", json={"customerProfileIds": ["a", "b", "c"]})
    assert error_of(crowded) == {"status": 400, "pointer": "/customerProfileIds"}
    short = raw(cards, "POST", "/v1/loyalty_programs/5/cards", json={"cardIdentifier": "AB"})
    assert error_of(short) == {"status": 400, "pointer": "/cardIdentifier"}
    profile_program = raw(cards, "POST", "/v1/loyalty_programs/1/cards", json={})
    assert error_of(profile_program) == {"status": 400, "parameter": "loyaltyProgramId"}
    unknown_program = raw(cards, "POST", "/v1/loyalty_programs/77/cards", json={})
    assert error_of(unknown_program) == {"status": 400, "parameter": "loyaltyProgramId"}
    with pytest.raises(TalonAPIError) as missing:
        client.get_loyalty_card_balances("5", "CARD-9999")
    assert missing.value.status_code == 404


def test_card_points_and_transactions_page_and_filter(cards: FakeTalon, client: TalonClient) -> None:
    cards.add_loyalty_card(5, "CARD-0042")
    for amount in range(1, 56):
        cards.add_loyalty_points(5, amount, card="CARD-0042", sub_ledger_id="fuel" if amount % 5 == 0 else "")
    page = client.get_loyalty_card_points("5", "CARD-0042")
    assert (len(page.data), page.has_more) == (50, True)
    fuel = client.get_loyalty_card_transactions("5", "CARD-0042", subledger_id=["fuel"], page_size=1000)
    assert {t.subledger_id for t in fuel.data} == {"fuel"}
    assert len(fuel.data) == 11
    too_big = raw(cards, "GET", "/v1/loyalty_programs/5/cards/CARD-0042/points?pageSize=1001")
    assert error_of(too_big) == {"status": 400, "parameter": "pageSize"}
    balances = client.get_loyalty_card_balances("5", "CARD-0042", subledger_id=["fuel"])
    assert balances.subledger_balances is not None
    assert balances.subledger_balances["fuel"].active_points == sum(range(5, 56, 5))
