"""Campaign declarations from YAML/JSON files and mappings, and their validation errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from pytest_talon.client import TalonClient
from pytest_talon.fake import (
    CONDITION_KINDS,
    EFFECT_KINDS,
    Campaign,
    CartSubtotal,
    FakeSetupError,
    FakeTalon,
    SetDiscount,
)
from pytest_talon.fake.setup import files
from pytest_talon.fake.setup.files import TOP_LEVEL_KEYS
from pytest_talon.fake.setup.sections import SECTIONS

from ..conftest import kinds, session

EXAMPLE = Path(__file__).parents[3] / "examples" / "campaigns.yaml"


def test_example_file_loads_and_uses_the_whole_vocabulary(fake: FakeTalon) -> None:
    loaded = fake.load_campaigns(EXAMPLE)
    assert [c.id for c in loaded] == [1, 2, 3, 4, 5]
    conditions = {type(c).kind for camp in loaded for r in camp.rules for c in r.conditions}
    effects = {type(e).kind for camp in loaded for r in camp.rules for e in r.effects}
    assert conditions == set(CONDITION_KINDS)
    assert effects == set(EFFECT_KINDS)
    assert fake.coupon("SUMMER-10").campaign_id == 1
    assert fake.referral("ALICE-REF").advocate_profile_integration_id == "alice"
    sections = set(yaml.safe_load(EXAMPLE.read_text()))
    assert sections == {"campaigns", "evaluationGroups", "coupons", "referrals", *SECTIONS} == set(TOP_LEVEL_KEYS)
    assert [g.mode for g in fake.app.evaluation_groups.values()] == ["stackable"]
    assert fake.loyalty_balance("alice", 1) == 120


def test_example_file_behaves(fake: FakeTalon, client: TalonClient) -> None:
    fake.load_campaigns(EXAMPLE)
    body = session(
        "bob",
        coupons=["SUMMER-10"],
        items=[("SHIRT-1", 2, 30.0)],
        additionalCosts={"shipping": {"price": 5}},
    )
    result = client.update_customer_session_v2("s1", body)
    assert kinds(result.effects) == [
        "acceptCoupon",
        "setDiscount",
        "showNotification",
        "setDiscountPerItem",
        "setDiscountPerItem",
        "addLoyaltyPoints",
    ]
    assert result.effects[1].props.value == 6.0
    shirts = [(e.props.sub_position, e.props.value) for e in result.effects[3:5]]
    assert shirts == [(0, 2.0), (1, 2.0)]  # one effect per shirt unit


def test_json_file_and_mapping(tmp_path: Path, fake: FakeTalon) -> None:
    data = {
        "campaigns": [
            {"name": "json", "rules": [{"title": "r", "effects": [{"set_discount": {"name": "d", "value": 1}}]}]}
        ]
    }
    with pytest.raises(FakeSetupError, match="unknown kind 'set_discount'"):
        fake.load_campaigns(data)
    data["campaigns"][0]["rules"][0]["effects"] = [{"setDiscount": {"name": "d", "value": 1}}]
    path = tmp_path / "c.json"
    path.write_text(json.dumps(data))
    (campaign,) = fake.load_campaigns(path)
    assert campaign.rules[0].effects == (SetDiscount("d", value=1),)


@pytest.mark.parametrize(
    ("campaign", "message"),
    [
        (
            {"name": "x", "rules": [{"title": "r", "conditions": [{"cartSubtotal": {"op": "~", "value": 1}}]}]},
            "rules[0]: conditions[0]: cartSubtotal: op: unknown operator '~'",
        ),
        (
            {"name": "x", "rules": [{"title": "r", "effects": [{"setDiscount": {"name": "d"}}]}]},
            "effects[0]: setDiscount: value/percent",
        ),
        (
            {
                "name": "x",
                "rules": [{"title": "r", "effects": [{"setDiscount": {"name": "d", "value": 1, "bogus": 2}}]}],
            },
            "unknown field(s) ['bogus']",
        ),
        ({"name": "x", "startTime": "yesterday"}, "start_time: 'yesterday' is not an RFC3339 date-time"),
        ({"name": "x", "limits": {"coupons": 1}}, "limits: unknown field(s) ['coupons']"),
        ({"name": "x", "state": "paused"}, "state: 'paused' is not enabled"),
    ],
)
def test_errors_name_file_campaign_and_field(tmp_path: Path, campaign: dict[str, object], message: str) -> None:
    path = tmp_path / "campaigns.yaml"
    path.write_text(json.dumps({"campaigns": [campaign]}))
    with pytest.raises(FakeSetupError) as info:
        FakeTalon().load_campaigns(path)
    assert str(info.value).startswith(f"{path}: campaign #1 'x': ")
    assert message in str(info.value)


def test_bad_files(tmp_path: Path) -> None:
    fake = FakeTalon()
    with pytest.raises(FakeSetupError, match="cannot read"):
        fake.load_campaigns(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("campaigns: [\n")
    with pytest.raises(FakeSetupError, match="not valid YAML"):
        fake.load_campaigns(bad)
    with pytest.raises(FakeSetupError, match="unknown top-level key"):
        fake.load_campaigns({"campaign": []})


def test_python_declarations_and_ids(fake: FakeTalon) -> None:
    first = fake.add_campaign(Campaign(name="a"))
    second = fake.add_campaign(
        name="b", rules=[{"title": "r", "conditions": [{"cartSubtotal": {"op": ">", "value": 1}}]}]
    )
    assert (first.id, second.id) == (1, 2)
    assert second.rules[0].conditions == (CartSubtotal(">", 1),)
    with pytest.raises(FakeSetupError, match="name"):
        Campaign(name="")


def test_seed_helpers_validate(fake: FakeTalon) -> None:
    with pytest.raises(FakeSetupError, match="campaign 9 does not exist"):
        fake.add_coupon("CODE-1", 9)
    campaign = fake.add_campaign(Campaign(name="a"))
    with pytest.raises(FakeSetupError, match="shorter than 4"):
        fake.add_coupon("AB", campaign.id)
    with pytest.raises(FakeSetupError, match="unknown field"):
        fake.add_coupon("CODE-1", campaign.id, usage=3)
    fake.add_coupon("CODE-1", campaign.id)
    with pytest.raises(FakeSetupError, match="already exists"):
        fake.add_coupon("CODE-1", campaign.id)


def test_a_file_is_parsed_once_while_unchanged_and_each_fake_gets_its_own_seeds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "campaigns.yaml"
    data = {
        "campaigns": [{"name": "Ten off", "rules": [{"effects": [{"setDiscount": {"name": "ten", "value": 10}}]}]}],
        "coupons": [{"value": "SAVE", "campaignId": 1, "attributes": {"tier": "gold"}}],
    }
    path.write_text(yaml.safe_dump(data))
    parses: list[Path] = []
    real_parse = files._parse
    monkeypatch.setattr(files, "_parse", lambda p: parses.append(p) or real_parse(p))
    first, second = files.load_campaign_file(path), files.load_campaign_file(path)
    assert parses == [path]
    assert first.campaigns == second.campaigns
    assert first.campaigns is not second.campaigns
    first.coupons[0]["attributes"]["tier"] = "changed"  # a fake may change what it stores: others never see it
    assert files.load_campaign_file(path).coupons[0]["attributes"] == {"tier": "gold"}
    one, two = FakeTalon(), FakeTalon()
    one.load_campaigns(path)
    two.load_campaigns(path)
    assert [c.name for c in two.app.campaigns.values()] == ["Ten off"]
    data["campaigns"][0]["name"] = "Twenty off, a longer name"  # a changed file (size or mtime) is read again
    path.write_text(yaml.safe_dump(data))
    assert files.load_campaign_file(path).campaigns[0].name == "Twenty off, a longer name"
    assert parses == [path, path]
