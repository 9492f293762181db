"""Request shapes of API versions after the one the fake follows (25.17) are accepted, and docs/fidelity.md lists
them (issue 12, part 4)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from pytest_talon.client import TalonClient
from pytest_talon.fake import FakeTalon
from pytest_talon.fake.fidelity import API_VERSION, LATER_VERSIONS, render
from tests._spec import SPEC_PATH

T0 = datetime(2026, 1, 1, tzinfo=timezone.utc)


@pytest.fixture
def prices(fake: FakeTalon) -> FakeTalon:
    for day, price in ((0, 20.0), (5, 15.0), (10, 12.0)):
        fake.add_price_history("A1", price, T0 + timedelta(days=day))
    return fake


def _ask(client: TalonClient, **shape: Any) -> list[float]:
    body = {"skus": ["A1"], "timeframe": "5", "timeframeEndDate": (T0 + timedelta(days=10)).isoformat(), **shape}
    return [p.price for p in client.best_prior_price(body)]


def test_best_prior_price_accepts_the_26_2_strict_end_date_shape(prices: FakeTalon, client: TalonClient) -> None:
    assert _ask(client, strictEndDate=True) == _ask(client, timeframeEndDateType="strict") == [12.0]
    assert _ask(client, strictEndDate=False) == [15.0]  # the end date itself left out
    assert _ask(client) == [15.0]
    assert _ask(client, strictEndDate=False, timeframeEndDateType="strict") == [12.0]


def test_referrals_for_multiple_advocates_without_usage_limit(fake: FakeTalon, client: TalonClient) -> None:
    fake.load_campaigns({"campaigns": [{"id": 3, "name": "Friends", "rules": []}]})
    referrals = client.create_referrals_for_multiple_advocates(
        {"campaignId": 3, "advocateProfileIntegrationIds": ["bob"]}, silent="no"
    )
    assert [r.usage_limit for r in referrals.data] == [0]
    assert fake.requests[-1].status == 201


def test_fidelity_names_the_api_version_and_every_later_difference() -> None:
    assert json.loads(SPEC_PATH.read_text())["info"]["version"].startswith(API_VERSION + ".")
    text = render()
    assert f"Integration API **{API_VERSION}**" in text
    for version, change, _ in LATER_VERSIONS:
        assert f"| {version} | {change} |" in text
    assert "strictEndDate" in text
    assert "usageLimit" in text
