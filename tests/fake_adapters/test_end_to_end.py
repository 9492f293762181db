"""``FakeTalon`` through each of the three ways in, including the official SDK against the loopback server."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from pytest_talon import AsyncTalonClient, TalonClient
from pytest_talon.fake import FakeTalon
from pytest_talon.fake.http.adapters import respx_router
from pytest_talon.fake.http.server import LoopbackServer

TEN_PERCENT = {
    "name": "Ten percent over 50",
    "rules": [
        {
            "title": "10% off carts of 50 or more",
            "conditions": [{"cartSubtotal": {"op": ">=", "value": 50}}],
            "effects": [{"setDiscount": {"name": "10% off", "percent": 10}}],
        }
    ],
}
SESSION = {
    "customerSession": {
        "profileId": "p1",
        "cartItems": [{"name": "Shoe", "sku": "SH-1", "quantity": 1, "price": 80.0}],
    }
}


@pytest.fixture
def fake() -> FakeTalon:
    fake = FakeTalon(api_key="e2e-key")
    fake.add_campaign(TEN_PERCENT)
    return fake


def discounts(state: Any) -> list[float]:
    return [e.props.value for e in state.effects or [] if e.effect_type == "setDiscount"]


def test_in_process_transport_serves_talon_client(fake: FakeTalon) -> None:
    with TalonClient(fake.base_url, fake.api_key, transport=fake.transport()) as client:
        state = client.update_customer_session_v2("order/1", SESSION)
    assert discounts(state) == [8.0]
    assert fake.session("order/1").profile_id == "p1"


@pytest.mark.anyio
async def test_in_process_async_transport_serves_async_talon_client(fake: FakeTalon) -> None:
    async with AsyncTalonClient(fake.base_url, fake.api_key, transport=fake.async_transport()) as client:
        state = await client.update_customer_session_v2("order-2", SESSION)
    assert discounts(state) == [8.0]


def test_respx_router_serves_code_that_builds_its_own_httpx_client(fake: FakeTalon) -> None:
    with respx_router(fake.handle, fake.base_url), TalonClient(fake.base_url, fake.api_key) as client:
        state = client.update_customer_session_v2("order-3", SESSION)
    assert discounts(state) == [8.0]


def test_official_sdk_works_unmodified_against_the_loopback_server(fake: FakeTalon) -> None:
    import talon_one

    with fake.serve() as base_url:
        config = talon_one.Configuration(
            host=base_url, api_key={"api_key_v1": fake.api_key}, api_key_prefix={"api_key_v1": "ApiKey-v1"}
        )
        with talon_one.ApiClient(config) as api_client:
            api = talon_one.IntegrationApi(api_client)
            request = talon_one.IntegrationRequest(
                customer_session=talon_one.NewCustomerSessionV2(
                    profile_id="p1", cart_items=[talon_one.CartItem(name="Shoe", sku="SH-1", quantity=1, price=80.0)]
                )
            )
            updated = api.update_customer_session_v2("order/4", request)
            fetched = api.get_customer_session("order/4")
    assert isinstance(updated, talon_one.IntegrationStateV2)
    assert [e.effect_type for e in updated.effects] == ["setDiscount"]
    assert fetched.customer_session.integration_id == "order/4"
    assert fetched.customer_session.cart_items[0].sku == "SH-1"
    # the SDK escapes "/" in the session id; the server hands the escaped path on, so it is one id, not two segments
    assert [r.operation_id for r in fake.requests] == ["updateCustomerSessionV2", "getCustomerSession"]
    assert fake.session("order/4").integration_id == "order/4"


def test_loopback_server_serves_concurrent_sessions_without_losing_any(fake: FakeTalon) -> None:
    threads, per_thread = 4, 10
    with fake.serve() as base_url:

        def worker(t: int) -> list[float]:
            with TalonClient(base_url, fake.api_key) as client:
                return [
                    discounts(client.update_customer_session_v2(f"t{t}-{i}", SESSION))[0] for i in range(per_thread)
                ]

        with ThreadPoolExecutor(threads) as pool:
            results = list(pool.map(worker, range(threads)))
    assert results == [[8.0] * per_thread] * threads
    assert len(fake.requests) == threads * per_thread


def test_a_per_test_server_leaves_no_thread_behind(fake: FakeTalon) -> None:
    before = set(threading.enumerate())
    with LoopbackServer(fake.handle) as server, httpx.Client() as http:
        answer = http.get(
            server.base_url + "/v2/customer_sessions/nope", headers={"Authorization": "ApiKey-v1 e2e-key"}
        )
    assert answer.status_code == 404
    assert set(threading.enumerate()) == before
