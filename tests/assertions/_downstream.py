"""Source of the ``conftest.py`` that the pytester tests give the downstream project (read as text, never imported
here): converters from wire data to every accepted input type (the plugin itself passes -v/-vv to the helpers)."""

from __future__ import annotations

import copy
import json
from typing import Any

import httpx
import pytest
from talon_data import ERROR_BODY  # type: ignore[import-not-found]

from pytest_talon import models
from pytest_talon.errors import TalonAPIError

ERROR_PATH = "/v2/customer_sessions/session-42/reopen"


def convert(kind: str, wire: dict[str, Any], schema: str = "IntegrationStateV2") -> Any:
    """``wire`` as our model, the SDK's model, a plain dict or an httpx.Response."""
    if kind == "model":
        return models.MODELS_BY_SCHEMA[schema].model_validate(wire)
    if kind == "sdk":
        import talon_one.models

        return getattr(talon_one.models, schema).from_dict(wire)
    if kind == "dict":
        return copy.deepcopy(wire)
    assert kind == "response", kind
    return httpx.Response(200, json=wire)


def failed(kind: str) -> Any:
    """A 400 for reopening a cancelled session, in each shape a test may hold it."""
    body = {**ERROR_BODY, "StatusCode": 400}
    response = httpx.Response(400, json=ERROR_BODY, request=httpx.Request("PUT", "https://t.example" + ERROR_PATH))
    if kind == "response":
        return response
    if kind == "talon_error":
        error = models.ErrorResponse.model_validate(ERROR_BODY)
        return TalonAPIError(status_code=400, method="PUT", path=ERROR_PATH, error=error, response=response)
    if kind == "sdk":
        from talon_one.exceptions import ApiException

        return ApiException(status=400, reason="Bad Request", body=json.dumps(ERROR_BODY))
    if kind == "sdk_model":
        from talon_one.models.error_response_with_status import ErrorResponseWithStatus

        return ErrorResponseWithStatus.from_dict(body)
    if kind == "model":
        return models.ErrorResponseWithStatus.model_validate(body)
    assert kind == "dict", kind
    return body


@pytest.fixture(params=["model", "sdk", "dict", "response"])
def kind(request: pytest.FixtureRequest) -> str:
    """Each input type a state helper accepts."""
    return str(request.param)


@pytest.fixture(params=["response", "talon_error", "sdk", "sdk_model", "model", "dict"])
def error_kind(request: pytest.FixtureRequest) -> str:
    """Each input type the error helpers accept."""
    return str(request.param)
