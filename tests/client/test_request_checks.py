"""What the typed client checks before sending (path and query parameters, non-finite numbers), what it keeps of an
injected httpx client, and the per-call raw answers of ``responses()``."""

from __future__ import annotations

import asyncio
import json
import math
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from pytest_talon import AsyncTalonClient, TalonClient, TalonRequestError, models
from pytest_talon._spec.operations import OPERATIONS
from pytest_talon.client import DEFAULT_TIMEOUT
from pytest_talon.client._base import encode_body
from pytest_talon.factories import factory_for
from pytest_talon.fake import FakeTalon
from pytest_talon.models import CartItem, IntegrationRequest, NewCustomerSessionV2

BASE = "https://acme.europe-west1.talon.one"


class Seen(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Answers every request with an empty list page (204 to a DELETE) and keeps it."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        if request.method == "DELETE":
            return httpx.Response(204)
        return httpx.Response(200, json={"hasMore": False, "totalResultSize": 0, "data": []})

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return self.handle_request(request)


@pytest.fixture
def seen() -> Seen:
    return Seen()


@pytest.fixture
def talon(seen: Seen) -> TalonClient:
    return TalonClient(BASE, "key-1", transport=seen)


# ---- path parameters --------------------------------------------------------------------------------------------


def test_integer_path_parameters_take_an_int_or_a_string(talon: TalonClient, seen: Seen) -> None:
    talon.get_loyalty_program_profile_points(1, "alice")
    talon.get_loyalty_program_profile_points("1", "alice")
    talon.get_customer_achievement_history("alice", 7)
    assert [r.url.path for r in seen.requests] == [
        "/v1/loyalty_programs/1/profile/alice/points",
        "/v1/loyalty_programs/1/profile/alice/points",
        "/v1/customer_profiles/alice/achievements/7",
    ]


def test_an_audience_id_from_create_goes_straight_back_in() -> None:
    with FakeTalon().client() as talon:
        audience = talon.create_audience_v2({"name": "VIP"})
        renamed = talon.update_audience_v2(audience.id, {"name": "Very important"})
        talon.delete_audience_v2(audience.id)
    assert renamed.name == "Very important"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda t: t.delete_audience_v2(True), "'audienceId' must be an int or a non-empty string, got True"),
        (lambda t: t.delete_audience_v2(""), "'audienceId' must be an int or a non-empty string, got ''"),
        (lambda t: t.delete_customer_data(3), "'integrationId' must be a non-empty string, got 3"),
        (lambda t: t.get_loyalty_card_points(5, "ABC"), "'loyaltyCardId' must be 4 to 108 characters long, got 'ABC'"),
    ],
)
def test_bad_path_parameters_are_refused_naming_them(
    talon: TalonClient, seen: Seen, call: Callable[[TalonClient], Any], message: str
) -> None:
    with pytest.raises(TalonRequestError, match=f"path parameter {message}"):
        call(talon)
    assert seen.requests == []


# ---- query parameters -------------------------------------------------------------------------------------------

QUERY_ERRORS = [
    (lambda t: t.integration_get_all_campaigns(page_size=0), "'pageSize' (page_size=0) must be at least 1"),
    (lambda t: t.integration_get_all_campaigns(page_size=1001), "'pageSize' (page_size=1001) must be at most 1000"),
    (lambda t: t.integration_get_all_campaigns(page_size="10"), "'pageSize' (page_size='10') must be an int"),
    (lambda t: t.integration_get_all_campaigns(skip=True), "'skip' (skip=True) must be an int"),
    (
        lambda t: t.get_loyalty_program_profile_points(1, "a", status="bogus"),
        "'status' (status='bogus') must be one of 'active', 'pending', 'expired'",
    ),
    (
        lambda t: t.get_loyalty_balances(1, "a", end_date="notadate"),
        "'endDate' (end_date='notadate') must be an aware datetime or an RFC 3339 string",
    ),
    (
        lambda t: t.get_loyalty_balances(1, "a", end_date="2026-01-01T00:00:00"),
        "'endDate' .* has no UTC offset",
    ),
    (lambda t: t.get_loyalty_balances(1, "a", include_tiers="yes"), "'includeTiers' .* must be True or False"),
    (
        lambda t: t.update_customer_profiles_v2({"customerProfiles": []}, silent="maybe"),
        "'silent' (silent='maybe') must be one of 'yes', 'no'",
    ),
    (
        lambda t: t.get_customer_achievements("a", achievement_status=["active", "bogus"]),
        "'achievementStatus' .* must be one of 'active', 'scheduled'",
    ),
    (
        lambda t: t.integration_get_all_campaigns(campaign_ids="1,2"),
        "'campaignIds' (campaign_ids='1,2') must be a list",
    ),
    (
        lambda t: t.get_loyalty_card_points(5, "CARD-1", sort="name"),
        "'sort' .* must be one of 'startDate', '-startDate', 'expiryDate', '-expiryDate'",
    ),
]


@pytest.mark.parametrize(("call", "message"), QUERY_ERRORS)
def test_bad_query_parameters_are_refused_before_sending(
    talon: TalonClient, seen: Seen, call: Callable[[TalonClient], Any], message: str
) -> None:
    with pytest.raises(TalonRequestError, match="query parameter " + message.replace("(", r"\(").replace(")", r"\)")):
        call(talon)
    assert seen.requests == []
    assert talon.last_response is None


def test_good_query_parameters_go_out(talon: TalonClient, seen: Seen) -> None:
    talon.get_loyalty_balances(1, "a", end_date="2026-01-01T00:00:00.12+00:00", include_tiers=True)
    talon.integration_get_all_campaigns(page_size=1000, skip=0)
    assert [str(r.url.query, "ascii") for r in seen.requests] == [
        "endDate=2026-01-01T00%3A00%3A00.12%2B00%3A00&includeTiers=true",
        "pageSize=1000&skip=0",
    ]


# ---- bodies -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "where"),
    [
        (
            {"customerSession": {"cartItems": [{"sku": "A", "quantity": 1, "price": math.nan}]}},
            "customerSession.cartItems.0.price is nan",
        ),
        ({"customerSession": {"attributes": {"weight": -math.inf}}}, "customerSession.attributes.weight is -inf"),
        (
            IntegrationRequest(
                customer_session=NewCustomerSessionV2(cart_items=[CartItem(sku="A", quantity=1, price=math.inf)])
            ),
            "customerSession.cartItems.0.price is inf",
        ),
    ],
)
def test_nan_and_infinity_are_refused_naming_the_field(talon: TalonClient, seen: Seen, body: Any, where: str) -> None:
    with pytest.raises(TalonRequestError, match=f"JSON has no NaN or Infinity: {where}"):
        talon.update_customer_session_v2("s1", body)
    assert seen.requests == []


def test_unknown_fields_in_what_the_client_sends_are_still_refused(talon: TalonClient) -> None:
    with pytest.raises(TalonRequestError, match=r"customerSession.cartItem: .*\(did you mean 'cartItems'\?\)"):
        talon.update_customer_session_v2("s1", {"customerSession": {"cartItem": []}})


def test_an_unknown_field_in_a_nested_shared_model_is_refused_naming_the_known_ones(talon: TalonClient) -> None:
    item = {"sku": "A", "quantity": 1, "colour": "red"}
    with pytest.raises(TalonRequestError, match="unknown field\\(s\\) 'colour' for CartItem; known fields: "):
        talon.update_customer_session_v2("s1", {"customerSession": {"cartItems": [item]}})


def _json_dumps(wire: Any) -> bytes:
    """How request bodies have always been written (what pydantic-core's faster JSON must match byte for byte)."""
    return json.dumps(wire, separators=(",", ":"), allow_nan=False).encode()


@pytest.mark.parametrize(
    "value",
    [9.5, 1e16, 1.5e-5, 0.0001, 123456789.125, 2**70, "café", "tab\tnew\nline", "del\x7f", "1e5", "NaN bread", True],
)
def test_bodies_go_out_byte_for_byte_as_json_dumps_writes_them(value: Any) -> None:
    price = value if type(value) is float else 1.0
    item = {"sku": "A", "quantity": 1, "price": price}
    body = {"customerSession": {"profileId": "p", "attributes": {"v": value}, "cartItems": [item]}}
    op = next(op for op in OPERATIONS if op.operation_id == "updateCustomerSessionV2")

    assert encode_body(op, body) == _json_dumps(IntegrationRequest.from_wire(body).to_wire())


def test_factory_bodies_of_every_operation_go_out_as_json_dumps_writes_them() -> None:
    ops = [op for op in OPERATIONS if op.body]
    assert len(ops) >= 20
    for op in ops:
        for built in factory_for(getattr(models, str(op.body))).build_batch(3):
            reference = _json_dumps(built.to_wire())
            assert encode_body(op, built.to_wire()) == reference, op.operation_id
            assert encode_body(op, built) == reference, op.operation_id


# ---- an injected http_client keeps what its owner configured ----------------------------------------------------


def _timeout(request: httpx.Request) -> float:
    return float(request.extensions["timeout"]["read"])


def test_an_injected_client_keeps_its_timeout_and_headers(seen: Seen) -> None:
    http = httpx.Client(transport=seen, timeout=60, headers={"User-Agent": "shop/1.0", "X-Trace": "t-1"})
    with TalonClient(BASE, "key-1", http_client=http) as talon:
        talon.delete_customer_data("p1")
    (request,) = seen.requests
    assert _timeout(request) == 60
    assert request.headers["User-Agent"] == "shop/1.0"
    assert request.headers["X-Trace"] == "t-1"
    assert request.headers["Authorization"] == "ApiKey-v1 key-1"
    http.close()


def test_timeout_overrides_an_injected_clients_and_a_built_client_has_the_defaults(seen: Seen) -> None:
    with httpx.Client(transport=seen, timeout=60) as http, TalonClient(BASE, "k", http_client=http, timeout=3) as t:
        t.delete_customer_data("p1")
    with TalonClient(BASE, "k", transport=seen) as built:
        built.delete_customer_data("p1")
    assert [_timeout(r) for r in seen.requests] == [3, DEFAULT_TIMEOUT]
    assert seen.requests[1].headers["User-Agent"] == "pytest-talon"


# ---- per-call raw answers ---------------------------------------------------------------------------------------


def test_responses_collects_the_raw_answers_of_a_block() -> None:
    with FakeTalon().client() as talon:
        talon.update_customer_session_v2("s1", {"customerSession": {"profileId": "p1"}})
        with talon.responses() as raw:
            talon.get_customer_session("s1")
            with pytest.raises(TalonRequestError):
                talon.get_customer_session("")  # refused before sending: no response
            talon.delete_customer_data("p1")
        talon.get_customer_session("s1")
    assert [(r.request.method, r.status_code) for r in raw] == [("GET", 200), ("DELETE", 204)]


def test_concurrent_tasks_each_see_their_own_answers() -> None:
    fake = FakeTalon()

    async def task(talon: AsyncTalonClient, session_id: str) -> list[httpx.Response]:
        with talon.responses() as raw:
            await talon.update_customer_session_v2(session_id, {"customerSession": {"profileId": "p"}})
            await asyncio.sleep(0)  # let the other task run its call in between
            await talon.get_customer_session(session_id)
        return raw

    async def main() -> list[list[httpx.Response]]:
        async with fake.async_client() as talon:
            return await asyncio.gather(task(talon, "a"), task(talon, "b"))

    first, second = asyncio.run(main())
    assert [r.url.path for r in first] == ["/v2/customer_sessions/a"] * 2
    assert [r.url.path for r in second] == ["/v2/customer_sessions/b"] * 2


def test_responses_belong_to_their_client(seen: Seen) -> None:
    with (
        TalonClient(BASE, "k", transport=seen) as one,
        TalonClient(BASE, "k", transport=seen) as other,
        one.responses() as raw,
    ):
        other.delete_customer_data("p1")
        one.delete_customer_data("p2")
    assert [r.request.url.path for r in raw] == ["/v1/customer_data/p2"]
