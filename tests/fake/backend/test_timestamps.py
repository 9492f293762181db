"""The fake reads every timestamp with the one RFC 3339 parser (pytest_talon._time), with the same rules on every
Python version: 2-digit fractions are read (Python 3.10's fromisoformat refuses them), ISO forms that are not
RFC 3339 are refused (3.11's fromisoformat accepts them) (issue 12, part 8)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from pytest_talon.fake import FakeSetupError, FakeTalon

from .conftest import raw

TWO_DIGITS = "2026-01-01T00:00:00.12+00:00"


def test_campaign_times_read_two_digit_fractions(fake: FakeTalon) -> None:
    (campaign,) = fake.load_campaigns({"campaigns": [{"name": "c", "startTime": TWO_DIGITS}]})
    assert campaign.start_time == datetime(2026, 1, 1, 0, 0, 0, 120000, tzinfo=timezone.utc)


@pytest.mark.parametrize("text", ["20260101T000000Z", "2026-01-01T00:00:00"])
def test_campaign_times_refuse_what_is_not_rfc3339(fake: FakeTalon, text: str) -> None:
    with pytest.raises(FakeSetupError, match="start_time"):
        fake.load_campaigns({"campaigns": [{"name": "c", "startTime": text}]})


def test_section_dates_read_two_digit_fractions(fake: FakeTalon) -> None:
    fake.load_campaigns({"priceHistory": [{"sku": "A1", "price": 9.5, "observedAt": TWO_DIGITS}]})
    with pytest.raises(FakeSetupError, match="observedAt"):
        fake.load_campaigns({"priceHistory": [{"sku": "A1", "price": 9.5, "observedAt": "20260101T000000Z"}]})


def test_query_date_times_read_two_digit_fractions_and_dates(fake: FakeTalon) -> None:
    fake.load_campaigns({"loyaltyPrograms": [{"id": 1, "name": "Points"}]})
    fake.add_loyalty_points(1, 10, profile="alice")
    for when in ("2030-01-01T00:00:00.12Z", "2030-01-01"):
        response = raw(fake, "GET", f"/v1/loyalty_programs/1/profile/alice/balances?endDate={when}")
        assert response.status_code == 200, response.text
    bad = raw(fake, "GET", "/v1/loyalty_programs/1/profile/alice/balances?endDate=20300101T000000Z")
    assert bad.status_code == 400
