"""The integration campaigns list (running campaigns, filters, paging) and best prior price over a price history."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from pytest_talon.client import TalonClient
from pytest_talon.fake import AddLoyaltyPoints, Campaign, CouponValid, FakeTalon, Rule, SetDiscount

from .conftest import error_of, raw

T0 = datetime(2026, 1, 1, tzinfo=timezone.utc)


def test_only_running_campaigns_are_listed_with_their_features(fake: FakeTalon, client: TalonClient) -> None:
    coupons = Rule("c", conditions=(CouponValid(),), effects=(SetDiscount("d", value=1),))
    fake.add_campaign(Campaign(name="coupons", rules=(coupons,), tags=("summer",), description="Coupons"))
    fake.add_campaign(Campaign(name="points", rules=(Rule("p", effects=(AddLoyaltyPoints(1, value=1),)),)))
    fake.add_campaign(Campaign(name="off", state="disabled"))
    fake.add_campaign(Campaign(name="later", start_time=T0 + timedelta(days=3)))
    fake.add_campaign(Campaign(name="ended", end_time=T0 - timedelta(days=1)))
    listed = client.integration_get_all_campaigns()
    assert [(c.id, c.name, c.features, c.state) for c in listed.data] == [
        (1, "coupons", ["coupons"], "enabled"),
        (2, "points", ["loyalty"], "enabled"),
    ]
    assert (listed.data[0].tags, listed.data[0].description, listed.has_more) == (["summer"], "Coupons", False)
    assert [c.id for c in client.integration_get_all_campaigns(campaign_ids=["2"]).data] == [2]
    fake.clock.advance(days=4)
    assert [c.name for c in client.integration_get_all_campaigns().data] == ["coupons", "points", "later"]
    after = client.integration_get_all_campaigns(start_after=T0 + timedelta(days=1))
    assert [c.name for c in after.data] == ["later"]


def test_campaign_list_pages(fake: FakeTalon, client: TalonClient) -> None:
    for index in range(52):
        fake.add_campaign(Campaign(name=f"c{index}", end_time=T0 + timedelta(days=index + 1)))
    first = client.integration_get_all_campaigns()
    assert (len(first.data), first.has_more) == (50, True)
    last = client.integration_get_all_campaigns(skip=50)
    assert ([c.id for c in last.data], last.has_more) == ([51, 52], False)
    assert len(client.integration_get_all_campaigns(end_before=T0 + timedelta(days=3)).data) == 2
    for query, parameter in (
        ("pageSize=1001", "pageSize"),
        ("endAfter=soon", "endAfter"),
        ("campaignIds=x", "campaignIds"),
    ):
        assert error_of(raw(fake, "GET", f"/v1/integration/campaigns?{query}")) == {
            "status": 400,
            "parameter": parameter,
        }


@pytest.fixture
def prices(fake: FakeTalon) -> FakeTalon:
    history = [(0, 20.0, "regular"), (5, 15.0, "sale"), (8, 18.0, "sale"), (12, 25.0, "regular")]
    for day, price, context in history:
        fake.add_price_history(
            "A1", price, T0 + timedelta(days=day), context_id=context, influencing_campaigns={3: 5.0}
        )
    fake.add_price_history("A1", 9.0, T0 + timedelta(days=6), audience_id=4)
    return fake


def ask(client: TalonClient, end_day: int, days: int, kind: str, **extra: object) -> list[tuple[str, float]]:
    body = {
        "skus": ["A1", "ZZ"],
        "timeframe": str(days),
        "timeframeEndDate": (T0 + timedelta(days=end_day)).isoformat(),
        "timeframeEndDateType": kind,
        **extra,
    }
    return [(p.sku, p.price) for p in client.best_prior_price(body)]


def test_best_prior_price_windows(prices: FakeTalon, client: TalonClient) -> None:
    assert ask(client, 13, 30, "strict") == [("A1", 15.0)]
    assert ask(client, 13, 3, "strict") == [("A1", 18.0)]
    assert ask(client, 13, 3, "price") == [("A1", 18.0)]
    assert ask(client, 9, 2, "sale") == [("A1", 20.0)]
    assert ask(client, 13, 30, "strict", target={"targetType": "AUDIENCE", "audienceID": 4}) == [("A1", 9.0)]
    found = client.best_prior_price(
        {
            "skus": ["A1"],
            "timeframe": "30",
            "timeframeEndDate": (T0 + timedelta(days=13)).isoformat(),
            "timeframeEndDateType": "strict",
        }
    )
    assert found[0].context_id == "sale"
    assert found[0].target == {"targetType": "NONE"}
    assert [(d.campaign_id, d.discount_value) for d in found[0].metadata.influencing_campaign_details] == [(3, 5.0)]


@pytest.mark.parametrize(
    ("change", "pointer"),
    [
        ({"timeframe": "a week"}, "/timeframe"),
        ({"timeframe": "0"}, "/timeframe"),
        ({"skus": []}, "/skus"),
        ({"timeframeEndDateType": "soon"}, "/timeframeEndDateType"),
        ({"target": {"targetType": "AUDIENCE"}}, "/target/audienceID"),
    ],
)
def test_best_prior_price_bad_input(prices: FakeTalon, change: dict[str, object], pointer: str) -> None:
    body = {
        "skus": ["A1"],
        "timeframe": "30",
        "timeframeEndDate": T0.isoformat(),
        "timeframeEndDateType": "strict",
        **change,
    }
    assert error_of(raw(prices, "POST", "/v1/best_prior_price", json=body)) == {"status": 400, "pointer": pointer}
