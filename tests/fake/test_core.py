"""FakeTalon's own surface: clients, reset, clock, inspection helpers and deterministic ids."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from pytest_talon.errors import TalonError
from pytest_talon.fake import (
    DEFAULT_API_KEY,
    Campaign,
    FakeClock,
    FakeError,
    FakeSetupError,
    FakeTalon,
    Rule,
    SetDiscount,
)

from .conftest import session


def test_defaults_and_wired_clients() -> None:
    fake = FakeTalon()
    assert (fake.api_key, fake.base_url) == (DEFAULT_API_KEY, "https://fake-talon.test")
    with fake.client() as client:
        client.update_customer_session_v2("s1", session())
    assert fake.session("s1").profile_id == "alice"


@pytest.mark.anyio
async def test_async_client() -> None:
    fake = FakeTalon("k")
    async with fake.async_client() as client:
        state = await client.update_customer_session_v2("s1", session(content=["customerSession"]))
    assert state.customer_session is not None
    assert state.customer_session.integration_id == "s1"


def test_ids_and_timestamps_are_deterministic() -> None:
    def run() -> list[object]:
        fake = FakeTalon()
        with fake.client() as client:
            first = client.update_customer_session_v2("a", session("p", content=["customerSession"]))
            fake.clock.advance(minutes=5)
            second = client.update_customer_session_v2("b", session("q", content=["customerSession"]))
        assert first.customer_session is not None
        assert second.customer_session is not None
        return [first.customer_session.id, second.customer_session.id, second.customer_session.created]

    assert run() == run() == [1, 2, datetime(2026, 1, 1, 0, 5, tzinfo=timezone.utc)]


def test_reset_forgets_everything_but_the_clock() -> None:
    fake = FakeTalon()
    fake.add_campaign(Campaign(name="c", rules=(Rule("r", effects=(SetDiscount("d", value=1),)),)))
    fake.clock.advance(days=1)
    with fake.client() as client:
        client.update_customer_session_v2("s1", session())
    fake.reset()
    assert fake.requests == []
    with pytest.raises(FakeError):
        fake.session("s1")
    assert fake.add_campaign(Campaign(name="again")).id == 1
    assert fake.clock.now() == datetime(2026, 1, 2, tzinfo=timezone.utc)


def test_clock() -> None:
    clock = FakeClock(datetime(2030, 5, 1, tzinfo=timezone.utc))
    assert clock.advance(hours=2) == datetime(2030, 5, 1, 2, tzinfo=timezone.utc)
    assert clock.set(datetime(2029, 1, 1, tzinfo=timezone.utc)).year == 2029
    with pytest.raises(TalonError, match="backwards"):
        clock.advance(seconds=-1)
    with pytest.raises(TalonError, match="naive"):
        clock.set(datetime(2029, 1, 1))
    fake = FakeTalon(clock=clock)
    assert fake.clock is clock


def test_campaign_ids_cannot_collide(fake: FakeTalon) -> None:
    fake.add_campaign(Campaign(name="a", id=5))
    assert fake.add_campaign(Campaign(name="b")).id == 6
    with pytest.raises(FakeSetupError, match="taken"):
        fake.add_campaign(Campaign(name="c", id=5))


def test_inspection_helpers_raise_for_unknown_entities(fake: FakeTalon) -> None:
    for helper in (fake.session, fake.profile, fake.coupon, fake.referral):
        with pytest.raises(FakeError, match="no "):
            helper("nothing")


def test_empty_api_key_is_refused() -> None:
    with pytest.raises(FakeSetupError, match="non-empty key"):
        FakeTalon("")
