"""Errors in the live API's shapes: 401, 404, 400 naming the field or parameter, 409, 501 and fake bugs."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from pytest_talon.client import TalonClient
from pytest_talon.errors import TalonAPIError
from pytest_talon.fake import FakeTalon
from pytest_talon.fake.api import calls as routes
from pytest_talon.fake.api.calls import OperationCall, Reply
from pytest_talon.fake.state.application import Application

from .conftest import AUTH, raw, session


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "fake-talon-api-key"},
        {"Authorization": "Bearer fake-talon-api-key"},
        {"Authorization": "ApiKey-v1 other"},
    ],
)
def test_bad_or_missing_api_key_is_401_with_status(fake: FakeTalon, headers: dict[str, str]) -> None:
    response = raw(fake, "GET", "/v2/customer_sessions/s1", headers=headers)
    assert response.status_code == 401
    body = response.json()
    assert body["StatusCode"] == 401
    assert "Invalid API key" in body["message"]


def test_custom_api_key_is_the_only_one_accepted() -> None:
    fake = FakeTalon("secret-key")
    assert raw(fake, "GET", "/v1/customer_profiles/x/inventory").status_code == 401
    ok = raw(fake, "GET", "/v1/customer_profiles/x/inventory", headers={"Authorization": "ApiKey-v1 secret-key"})
    assert ok.status_code == 404


def test_unknown_path_is_404(fake: FakeTalon) -> None:
    response = raw(fake, "GET", "/v2/nothing_here")
    assert response.status_code == 404
    assert "no Integration API operation" in response.json()["message"]


def test_unknown_session_is_404_with_status(client: TalonClient) -> None:
    with pytest.raises(TalonAPIError) as info:
        client.get_customer_session("missing")
    assert info.value.status_code == 404
    assert info.value.response.json()["StatusCode"] == 404


def test_invalid_json_is_400(fake: FakeTalon) -> None:
    response = raw(fake, "PUT", "/v2/customer_sessions/s1", content=b"{not json")
    assert response.status_code == 400
    body = response.json()
    assert "not valid JSON" in body["message"]
    assert "StatusCode" not in body  # updateCustomerSessionV2 declares ErrorResponse for 400


def test_validation_failure_names_the_field(fake: FakeTalon) -> None:
    response = raw(fake, "PUT", "/v2/customer_sessions/s1", json={"customerSession": {"cartItems": [{"sku": "a"}]}})
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["source"]["pointer"] == "/customerSession/cartItems/0/quantity"
    assert "quantity" in response.json()["message"]


def test_profile_errors_carry_status_code(fake: FakeTalon) -> None:
    response = raw(fake, "PUT", "/v2/customer_profiles/p1", json={"attributes": "nope"})
    assert response.status_code == 400
    assert response.json()["StatusCode"] == 400


def test_bad_query_parameter_is_400_naming_it(fake: FakeTalon) -> None:
    response = raw(fake, "PUT", "/v2/customer_sessions/s1?dry=maybe", json=session())
    assert response.status_code == 400
    assert response.json()["errors"][0]["source"] == {"parameter": "dry"}


def test_unimplemented_operation_is_501(fake: FakeTalon, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(routes.HANDLERS, "integrationGetAllCampaigns", raising=False)
    response = raw(fake, "GET", "/v1/integration/campaigns")
    assert response.status_code == 501
    assert "not implemented in the fake" in response.json()["message"]
    assert "integrationGetAllCampaigns" not in fake.operations_implemented()


def test_fake_bug_is_a_recorded_500(fake: FakeTalon, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(app: Application, call: OperationCall) -> Reply:
        raise ZeroDivisionError("boom")

    monkeypatch.setitem(routes.HANDLERS, "getCustomerSession", broken)
    response = raw(fake, "GET", "/v2/customer_sessions/s1")
    assert response.status_code == 500
    assert "fake bug" in response.json()["message"]
    assert fake.requests[-1].status == 500


def test_overlapping_updates_of_one_session_get_409(fake: FakeTalon) -> None:
    answers: dict[str, Any] = {}
    fake._lock.acquire()  # hold the engine so the first request stays in flight
    try:
        first = threading.Thread(
            target=lambda: answers.setdefault("first", raw(fake, "PUT", "/v2/customer_sessions/s1", json=session()))
        )
        first.start()
        while not fake._busy:
            threading.Event().wait(0.001)
        answers["second"] = raw(fake, "PUT", "/v2/customer_sessions/s1", json=session())
    finally:
        fake._lock.release()
    first.join()
    assert answers["first"].status_code == 200
    assert answers["second"].status_code == 409
    assert answers["second"].json() == {
        "message": "Too many requests are updating this session at the same time",
        "errors": [
            {
                "title": "Conflict",
                "source": {"pointer": "/"},
                "details": "Too many requests are updating this session at the same time",
            }
        ],
        "StatusCode": 409,
    }


def test_requests_are_recorded(fake: FakeTalon, client: TalonClient) -> None:
    fake.add_campaign(
        name="always", rules=[{"title": "r", "effects": [{"showNotification": {"title": "t", "body": "b"}}]}]
    )
    client.update_customer_session_v2("s1", session(), dry=True)
    entry = fake.requests[-1]
    assert (entry.method, entry.path, entry.operation_id, entry.status) == (
        "PUT",
        "/v2/customer_sessions/s1",
        "updateCustomerSessionV2",
        200,
    )
    assert entry.query == {"dry": ["true"]}
    assert entry.json == session()
    assert entry.effect_types == ["showNotification"]
    assert entry.response_json["effects"][0]["props"]["title"] == "t"
    _ = AUTH
