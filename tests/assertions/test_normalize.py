"""Unit tests of the normalisation of every accepted input to wire JSON."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from typing import Any

import httpx
import pytest
from talon_one.exceptions import ApiException
from talon_one.models.customer_session_v2 import CustomerSessionV2 as SdkSession
from talon_one.models.integration_state_v2 import IntegrationStateV2 as SdkState

from pytest_talon import models
from pytest_talon._assertions.normalize import effects_of, outcome_of, session_of, to_wire
from pytest_talon.assertions import AssertionUsageError, TalonAssertionError
from pytest_talon.errors import TalonAPIError
from tests.assertions._data import CLOSED, CLOSED_EFFECTS, ERROR_BODY, session


@pytest.mark.parametrize(
    "make",
    [
        lambda wire: models.IntegrationStateV2.model_validate(wire),
        lambda wire: SdkState.from_dict(wire),
        lambda wire: json.loads(json.dumps(wire)),
        lambda wire: httpx.Response(200, json=wire),
    ],
    ids=["model", "sdk", "dict", "response"],
)
def test_every_input_type_gives_the_same_wire_effects(make: Any) -> None:
    assert effects_of(make(CLOSED)) == CLOSED_EFFECTS


def test_sdk_datetimes_become_rfc3339_strings() -> None:
    wire = to_wire(SdkSession.from_dict(session("open")))
    assert wire["created"] == "2026-11-20T10:00:00Z"
    assert wire["cartItems"][0]["sku"] == "BEANS-1"


def test_a_list_of_effect_models_is_a_list_of_effects() -> None:
    effects = [models.Effect.model_validate(effect) for effect in CLOSED_EFFECTS]
    assert effects_of(effects) == CLOSED_EFFECTS
    assert effects_of(models.IntegrationCustomerSessionResponse()) == []


def test_something_without_effects_is_a_usage_error() -> None:
    with pytest.raises(AssertionUsageError, match="cannot find effects in CustomerSessionV2: pass an integration"):
        effects_of(models.CustomerSessionV2.model_validate(session("open")))
    with pytest.raises(AssertionUsageError, match=r"item #1 of list is not an effect \(no 'effectType'\): 'oops'"):
        effects_of([CLOSED_EFFECTS[0], "oops"])


def test_a_response_that_is_not_json_is_reported() -> None:
    with pytest.raises(TalonAssertionError, match=r"the response body is not JSON \(HTTP 200\): '<html>'"):
        effects_of(httpx.Response(200, text="<html>"))


def test_the_session_comes_from_the_state_or_is_the_input() -> None:
    assert session_of(CLOSED)["state"] == "closed"
    assert session_of(session("open"))["state"] == "open"
    with pytest.raises(AssertionUsageError, match="cannot find a customer session in list"):
        session_of([])


def _response(status: int, **kwargs: Any) -> httpx.Response:
    return httpx.Response(status, request=httpx.Request("GET", "https://t.example/v1/x?y=1"), **kwargs)


def test_outcome_of_each_error_shape() -> None:
    raw = _response(400, json=ERROR_BODY)
    without_model = TalonAPIError(status_code=400, method="GET", path="/v1/x", error=None, response=raw)
    assert outcome_of(without_model).body == ERROR_BODY  # falls back to the response JSON
    assert outcome_of(raw).where == "GET /v1/x?y=1"
    assert outcome_of(httpx.Response(204)).where == ""  # built by hand: no request
    assert outcome_of(ApiException(status=404, body='{"message": "gone"}')).body == {"message": "gone"}
    assert outcome_of(ApiException(status=502, body="Bad gateway")).body is None
    assert outcome_of({**ERROR_BODY, "StatusCode": 409}).status == 409
    assert outcome_of(ERROR_BODY).status is None


def test_a_client_is_read_through_its_last_response() -> None:
    class Client:
        last_response = _response(201, json={})

    assert outcome_of(Client()).status == 201


def test_something_without_status_or_body_is_a_usage_error() -> None:
    with pytest.raises(AssertionUsageError, match="cannot read a status or an error body from int"):
        outcome_of(400)


def test_importing_the_helpers_does_not_import_the_sdk() -> None:
    code = "import sys, pytest_talon.assertions; print('talon_one' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


#: Our schema name -> the SDK's class name for the same body.
SDK_NAMES = {
    "IntegrationEventV2Response": "TrackEventV2Response",
    "CustomerProfileIntegrationResponseV2": "CustomerProfileIntegrationResponseV2",
    "ReopenSessionResponse": "ReopenSessionResponse",
    "IntegrationCustomerSessionResponse": "IntegrationCustomerSessionResponse",
}


@pytest.mark.parametrize("schema", sorted(SDK_NAMES))
def test_every_response_with_effects_is_read(schema: str) -> None:
    wire: dict[str, Any] = {"effects": CLOSED_EFFECTS}
    if "Session" not in schema:
        wire.update(createdCoupons=[], createdReferrals=[])
    sdk_class = getattr(importlib.import_module("talon_one.models"), SDK_NAMES[schema])
    assert effects_of(models.MODELS_BY_SCHEMA[schema].model_validate(wire)) == CLOSED_EFFECTS
    assert effects_of(sdk_class.from_dict(wire)) == CLOSED_EFFECTS


def _requests_response(status: int, body: bytes) -> Any:
    import requests

    url = "https://t.example/v2/customer_sessions/a%2Fb?dry=true"

    response = requests.Response()
    response.status_code, response._content = status, body
    response.request = requests.Request("PUT", url).prepare()
    return response


def test_a_requests_response_is_read_like_an_httpx_one() -> None:
    answer = _requests_response(200, json.dumps(CLOSED).encode())
    assert effects_of(answer) == CLOSED_EFFECTS
    assert session_of(answer)["state"] == "closed"
    outcome = outcome_of(_requests_response(400, json.dumps(ERROR_BODY).encode()))
    assert (outcome.status, outcome.body, outcome.where) == (
        400,
        ERROR_BODY,
        "PUT /v2/customer_sessions/a%2Fb?dry=true",
    )
    with pytest.raises(TalonAssertionError, match=r"not JSON \(HTTP 200, PUT /v2/customer_sessions/a%2Fb\?dry=true\)"):
        effects_of(_requests_response(200, b"<html>"))


def test_a_talon_requests_entry_is_read_by_status_and_response_json() -> None:
    from pytest_talon.fake import RecordedRequest

    entry = RecordedRequest("PUT", "/v2/customer_sessions/s1", "updateCustomerSessionV2", {}, {}, 200, CLOSED)
    assert effects_of(entry) == CLOSED_EFFECTS
    assert outcome_of(entry).where == "PUT /v2/customer_sessions/s1"
    failed = RecordedRequest("PUT", "/v2/customer_sessions/s1/reopen", None, {}, None, 400, ERROR_BODY)
    with pytest.raises(TalonAssertionError, match=r"the call failed: HTTP 400 \(PUT /v2/customer_sessions/s1/reopen\)"):
        effects_of(failed)


def test_any_object_with_status_and_response_json_is_an_exchange() -> None:
    class Exchange:  # what another mode's entry may be: only the two fields are needed
        status = 201
        response_json = CLOSED

    assert effects_of(Exchange()) == CLOSED_EFFECTS
    assert (outcome_of(Exchange()).status, outcome_of(Exchange()).where) == (201, "")


def test_a_parsed_error_body_is_reported_as_a_failed_call() -> None:
    with pytest.raises(TalonAssertionError, match="the call failed: an error body: Invalid customer session state"):
        effects_of(json.loads(json.dumps(ERROR_BODY)))


async def _aiohttp_answers(url: str) -> tuple[Any, Any]:
    import aiohttp

    async with aiohttp.ClientSession() as session:
        async with session.get(url + "/v2/customer_sessions/s1?a=1") as unread:
            pass
        async with session.get(url + "/v2/customer_sessions/s1?a=1") as read:
            await read.json()
    return unread, read


def test_an_aiohttp_response_is_read_from_its_read_body() -> None:
    import asyncio

    from pytest_talon.fake import FakeTalon

    with FakeTalon().serve() as url:  # no API key: a 401 error body
        unread, read = asyncio.run(_aiohttp_answers(url))
    assert outcome_of(read).status == outcome_of(unread).status == 401
    assert outcome_of(read).where == "GET /v2/customer_sessions/s1?a=1"
    assert outcome_of(read).body["message"]
    with pytest.raises(AssertionUsageError, match=r"was not read yet: pass it after `await resp.json\(\)`"):
        to_wire(unread)
