"""The inventory's loyalty, giveaways and achievements, deleting customer data, and the campaigns-file sections
beside campaigns."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from pytest_talon.client import TalonClient
from pytest_talon.fake import FakeSetupError, FakeTalon

YAML = """
campaigns:
  - name: Points
    rules:
      - title: earn
        effects: [{addLoyaltyPoints: {programId: 1, value: 5}}]
loyaltyPrograms:
  - {id: 1, name: Points, subLedgers: [drinks], tiers: [{name: Gold, minPoints: 100}], defaultValidity: 1Y}
  - {id: 5, name: Cards, cardBased: true, usersPerCardLimit: 1}
loyaltyCards:
  - {programId: 5, identifier: CARD-0042, profiles: [alice]}
loyaltyPoints:
  - {programId: 1, profile: alice, amount: 120, expiryDate: "2027-01-01T00:00:00Z"}
audiences:
  - {id: 7, name: VIP, members: [alice]}
catalogs:
  - {id: 3, name: main, items: [{sku: A1, price: 10, attributes: {color: red}}]}
achievements:
  - {id: 2, name: FirstOrder, title: First order, target: 1, campaignId: 1}
priceHistory:
  - {sku: A1, price: 9.5, observedAt: "2025-12-01T00:00:00Z", contextId: winter}
giveaways:
  - {poolId: 4, code: GIFT-0001, profile: alice, attributes: {note: hello}}
"""


@pytest.fixture
def loaded(fake: FakeTalon, tmp_path: Path) -> FakeTalon:
    path = tmp_path / "campaigns.yaml"
    path.write_text(YAML, encoding="utf-8")
    fake.load_campaigns(path)
    return fake


def test_a_campaigns_file_declares_every_domain_section(loaded: FakeTalon) -> None:
    app = loaded.app
    assert (app.loyalty_programs[1].tiers[0].name, app.loyalty_programs[5].card_based) == ("Gold", True)
    assert loaded.loyalty_card("CARD-0042").profiles[0].integration_id == "alice"  # type: ignore[index]
    assert loaded.loyalty_points(1, profile="alice")[""].active == 120
    assert [m.name for m in loaded.profile("alice").audience_memberships or []] == ["VIP"]
    assert loaded.catalog_items(3)["A1"]["attributes"] == {"color": "red"}
    assert (app.achievements[2].name, app.price_history[0].context_id) == ("FirstOrder", "winter")


def test_inventory_lists_loyalty_cards_giveaways_and_achievements(loaded: FakeTalon, client: TalonClient) -> None:
    loaded.add_achievement_progress("alice", 2)
    inventory = client.get_customer_inventory("alice", loyalty=True, giveaways=True, achievements=True)
    assert inventory.loyalty is not None
    ledger = inventory.loyalty.programs["1"].ledger
    assert (ledger.current_balance, ledger.current_tier.name if ledger.current_tier else None) == (120, "Gold")
    assert [c.identifier for c in inventory.loyalty.cards or []] == ["CARD-0042"]
    assert [(g.code, g.pool_id, g.attributes) for g in inventory.giveaways or []] == [
        ("GIFT-0001", 4, {"note": "hello"})
    ]
    assert [(a.name, a.status, a.progress) for a in inventory.achievements or []] == [("FirstOrder", "completed", 1)]


def test_delete_customer_data_clears_loyalty_achievements_and_giveaways(loaded: FakeTalon, client: TalonClient) -> None:
    loaded.add_achievement_progress("alice", 2)
    client.delete_customer_data("alice")
    inventory = client.get_customer_inventory("alice", loyalty=True, giveaways=True, achievements=True)
    assert inventory.loyalty is not None
    assert inventory.loyalty.programs == {}
    assert not inventory.loyalty.cards
    assert [g.attributes for g in inventory.giveaways or []] == [{}]
    assert [a.status for a in inventory.achievements or []] == ["not_started"]
    assert loaded.loyalty_card("CARD-0042").profiles == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("loyaltyPrograms: [{id: 1, name: P, defaultPending: soon}]", "loyaltyPrograms #1: defaultPending"),
        ("loyaltyCards: [{programId: 9}]", "loyaltyCards #1: add_loyalty_card: program 9"),
        ("audiences: [{name: A, colour: red}]", "audiences #1: add_audience: unknown field(s) ['colour']"),
        ("priceHistory: [{sku: A, price: 1, observedAt: yesterday}]", "priceHistory #1: observedAt"),
        ("achievements: [{name: '1st', title: t, target: 1, campaignId: 1}]", "achievements #1: achievement name"),
        ("giveaway: []", "unknown top-level key(s) ['giveaway']"),
    ],
)
def test_bad_sections_name_file_section_and_field(fake: FakeTalon, tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FakeSetupError) as caught:
        fake.load_campaigns(path)
    assert str(path) in str(caught.value)
    assert message in str(caught.value)


def test_python_setup_helpers_validate(fake: FakeTalon) -> None:
    fake.add_loyalty_program(id=1, name="Points")
    with pytest.raises(FakeSetupError, match="already exists"):
        fake.add_loyalty_program(id=1, name="Again")
    with pytest.raises(FakeSetupError, match="exactly one of profile or card"):
        fake.add_loyalty_points(1, 5)
    with pytest.raises(FakeSetupError, match="returnPolicy"):
        fake.add_loyalty_program(id=2, name="P", return_policy="never")
    naive = datetime(2026, 1, 1)
    with pytest.raises(FakeSetupError, match="aware datetime"):
        fake.add_price_history("A", 1.0, naive)
