"""Error mapping: non-2xx answers become TalonAPIError with everything needed to debug them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import httpx
import pytest

from pytest_talon import TalonAPIError, TalonClient, TalonRequestError, models

BASE = "https://acme.talon.one"


def client_answering(status: int, **response: Any) -> TalonClient:
    return TalonClient(BASE, "key-1", transport=httpx.MockTransport(lambda r: httpx.Response(status, **response)))


SESSION_BODY = {"customerSession": {"profileId": "p1", "cartItems": [{"sku": "S1", "quantity": 1, "price": 5}]}}


def test_400_error_response_is_parsed_and_shown() -> None:
    body = {
        "message": "Invalid request",
        "errors": [
            {"title": "bad state", "details": "unknown state 'shut'", "source": {"pointer": "/customerSession/state"}}
        ],
    }
    client = client_answering(400, json=body)
    with pytest.raises(TalonAPIError) as info:
        client.update_customer_session_v2("s/1", SESSION_BODY)
    err = info.value
    assert err.status_code == 400
    assert err.method == "PUT"
    assert err.path == "/v2/customer_sessions/s%2F1"
    assert isinstance(err.error, models.ErrorResponse)
    assert err.error.errors is not None
    assert err.error.errors[0].source is not None
    assert err.error.errors[0].source.pointer == "/customerSession/state"
    assert err.response.status_code == 400
    assert str(err) == (
        "PUT /v2/customer_sessions/s%2F1 -> 400: Invalid request\n"
        "  - bad state: unknown state 'shut' (at /customerSession/state)"
    )
    assert client.last_response is err.response


def test_401_with_status_shape() -> None:
    client = client_answering(401, json={"message": "Unauthorized - Invalid API key", "StatusCode": 401, "errors": []})
    with pytest.raises(TalonAPIError) as info:
        client.get_customer_session("s1")
    assert isinstance(info.value.error, models.ErrorResponseWithStatus)
    assert info.value.error.status_code == 401
    assert str(info.value) == "GET /v2/customer_sessions/s1 -> 401: Unauthorized - Invalid API key"


def test_404_on_loyalty_balances() -> None:
    client = client_answering(404, json={"message": "profile not found", "StatusCode": 404})
    with pytest.raises(TalonAPIError) as info:
        client.get_loyalty_balances("12", "ghost", include_tiers=True)
    assert info.value.status_code == 404
    assert info.value.message == "profile not found"
    assert info.value.path == "/v1/loyalty_programs/12/profile/ghost/balances?includeTiers=true"


def test_409_parallel_update() -> None:
    body = {"message": "Too many requests are updating this session at the same time", "errors": [], "StatusCode": 409}
    client = client_answering(409, json=body)
    with pytest.raises(TalonAPIError) as info:
        client.update_customer_profile_v2("p1", {"attributes": {"tier": "gold"}})
    assert info.value.status_code == 409
    assert "at the same time" in str(info.value)


def test_non_json_error_body_keeps_the_text() -> None:
    client = client_answering(502, text="<html>Bad gateway</html>")
    with pytest.raises(TalonAPIError) as info:
        client.get_customer_session("s1")
    assert info.value.error is None
    assert info.value.message == "<html>Bad gateway</html>"
    assert str(info.value) == "GET /v2/customer_sessions/s1 -> 502: <html>Bad gateway</html>"


def test_empty_error_body() -> None:
    client = client_answering(500)
    with pytest.raises(TalonAPIError, match=r"-> 500: \(empty body\)"):
        client.get_customer_session("s1")


def test_timeouts_are_not_swallowed() -> None:
    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    client = TalonClient(BASE, "key", transport=httpx.MockTransport(slow), timeout=0.01)
    with pytest.raises(httpx.ReadTimeout):
        client.get_customer_session("s1")


def test_invalid_body_names_the_field_and_suggests_the_fix() -> None:
    client = client_answering(200, json={})
    with pytest.raises(TalonRequestError) as info:
        client.update_customer_session_v2("s1", {"customerSession": {"profileID": "p", "cartItems": [{"sku": "A"}]}})
    message = str(info.value)
    assert "customerSession.profileID: Extra inputs are not permitted (did you mean 'profileId'?)" in message
    assert "customerSession.cartItems.0.quantity: Field required" in message
    assert client.last_response is None  # nothing was sent


def test_unknown_field_in_shared_model_is_rejected_in_requests() -> None:
    client = client_answering(200, json={})
    with pytest.raises(TalonRequestError, match="unknown field\\(s\\) 'prise' for CartItem"):
        client.update_customer_session_v2(
            "s1", {"customerSession": {"cartItems": [{"sku": "A", "quantity": 1, "prise": 2}]}}
        )


def test_body_of_wrong_type() -> None:
    client = client_answering(200, json={})
    with pytest.raises(TalonRequestError, match="body must be a IntegrationRequest or a dict"):
        client.update_customer_session_v2("s1", ["not", "a", "body"])  # type: ignore[arg-type]


def test_naive_datetime_query_is_refused() -> None:
    client = client_answering(200, json={"hasMore": False, "data": []})
    with pytest.raises(TalonRequestError, match="naive datetime"):
        client.integration_get_all_campaigns(start_after=datetime(2026, 1, 1))


def test_empty_path_parameter_is_refused() -> None:
    client = client_answering(200, json={})
    with pytest.raises(TalonRequestError, match="path parameter 'customerSessionId' must be a non-empty string"):
        client.get_customer_session("")


def test_empty_api_key_is_refused() -> None:
    with pytest.raises(TalonRequestError, match="api_key is empty"):
        TalonClient(BASE, "")


def test_injected_http_client_is_not_closed() -> None:
    http = httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(204)))
    with TalonClient(BASE, "k", http_client=http) as client:
        client.delete_customer_data("p1")
    assert not http.is_closed
    http.close()


def test_transport_and_http_client_are_exclusive() -> None:
    transport = httpx.MockTransport(lambda r: httpx.Response(204))
    with httpx.Client() as http, pytest.raises(TalonRequestError, match="either transport= or http_client="):
        TalonClient(BASE, "k", transport=transport, http_client=http)
