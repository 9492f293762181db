"""A fake nobody holds any more is freed at once by reference counting: a suite makes one per test, and fakes left
for the cyclic garbage collector pile up between its runs (and make each run longer)."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import httpx
import pytest

from pytest_talon.fake import FakeTalon


@pytest.fixture
def no_cycle_collector() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@pytest.mark.usefixtures("no_cycle_collector")
def test_a_fake_that_answered_requests_is_freed_as_soon_as_nobody_holds_it() -> None:
    fake = FakeTalon()
    fake.add_campaign(name="ten", rules=[{"effects": [{"setDiscount": {"name": "ten", "value": 10}}]}])
    fake.add_loyalty_program(id=1, name="points")
    client = fake.client()
    state = client.update_customer_session_v2(
        "s1", {"customerSession": {"profileId": "p1", "cartItems": [{"sku": "x", "quantity": 1, "price": 20}]}}
    )
    assert [e.effect_type for e in state.effects or []] == ["setDiscount"]
    client.close()
    fake_ref, app_ref = weakref.ref(fake), weakref.ref(fake.app)
    del fake, client
    assert fake_ref() is None
    assert app_ref() is None


@pytest.mark.usefixtures("no_cycle_collector")
def test_a_fake_held_only_by_its_client_transport_or_server_keeps_answering() -> None:
    body = {"customerSession": {"profileId": "p1", "cartItems": [{"sku": "x", "quantity": 1, "price": 20}]}}
    client = FakeTalon().client()
    assert client.update_customer_session_v2("s1", body).customer_session is None  # not asked back: still answered
    client.close()

    transport = FakeTalon().transport()
    request = httpx.Request("GET", "https://fake-talon.test/v1/customer_profiles/nobody/inventory")
    assert transport.handle_request(request).status_code == 401  # no key: the fake answered, in its error shape

    with FakeTalon().serve() as base_url, httpx.Client(base_url=base_url) as http:
        assert http.get("/v2/customer_sessions/s1").status_code == 401
