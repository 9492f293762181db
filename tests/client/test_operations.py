"""Every one of the 39 operations on the wire and back, sync and async, through an injected transport."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

import httpx
import pytest

from pytest_talon import AsyncTalonClient, TalonClient, models
from pytest_talon._spec.operations import OPERATIONS
from tests._samples import DIGEST, query_sample, sample

BASE = "https://acme.europe-west1.talon.one"
KEY = "dbc644d33aa74d582bd9479c59e16f970fe13bf3"
# Path parameters with characters that must be escaped: "/", "%", a space and a non-ASCII letter.
PATH_VALUE = "A/B%20 ü"
PATH_ESCAPED = "A%2FB%2520%20%C3%BC"

OPS = {op["operationId"]: op for op in DIGEST["operations"]}


class Capture(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """A transport answering with a canned body and keeping the requests it saw."""

    def __init__(self, status: int, body: Any) -> None:
        self.status, self.body, self.requests = status, body, []  # type: list[httpx.Request]

    def _answer(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.body is None:
            return httpx.Response(self.status)
        return httpx.Response(self.status, json=self.body)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        return self._answer(request)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        return self._answer(request)


def call_plan(operation_id: str) -> tuple[list[Any], dict[str, Any], list[tuple[str, str]], Any]:
    """Positional args, keyword query args, expected query pairs and the body sent, for one operation."""
    spec = OPS[operation_id]
    path_names = [p["name"] for p in spec["params"] if p["in"] == "path"]
    args: list[Any] = [PATH_VALUE for _ in path_names]
    body = sample(spec["body"]) if spec["body"] else None
    if body is not None:
        args.append(body)
    kwargs: dict[str, Any] = {}
    expected: list[tuple[str, str]] = []
    for param in spec["params"]:
        if param["in"] != "query":
            continue
        value, pairs = query_sample(param)
        kwargs[_snake(param["name"])] = value
        expected.extend(pairs)
    return args, kwargs, expected, body


def _snake(name: str) -> str:
    """customerSessionIDs -> customer_session_ids: the keyword-only name of a query parameter."""
    name = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).lower()


def success_body(operation_id: str) -> tuple[int, Any]:
    spec = OPS[operation_id]
    status = sorted(s for s in spec["responses"] if s.startswith("2") and s != "204")
    if not status:
        return 204, None
    return int(status[0]), sample(spec["responses"][status[0]])


def check_request(request: httpx.Request, operation_id: str, expected_query: list[tuple[str, str]], body: Any) -> None:
    spec = OPS[operation_id]
    assert request.method == spec["method"]
    expected_path = spec["path"]
    for param in spec["params"]:
        if param["in"] == "path":
            expected_path = expected_path.replace("{" + param["name"] + "}", PATH_ESCAPED)
    raw_path, _, raw_query = request.url.raw_path.decode().partition("?")
    assert raw_path == expected_path
    assert sorted(parse_qsl(raw_query)) == sorted(expected_query)
    assert request.headers["Authorization"] == f"ApiKey-v1 {KEY}"
    if body is None:
        assert request.content == b""
    else:
        assert request.headers["Content-Type"] == "application/json"
        sent = json.loads(request.content)
        model = getattr(models, models.MODELS_BY_SCHEMA[spec["body"]].__name__)
        assert sent == model.from_wire(body).to_wire()
        assert _normalise(sent) == _normalise(body)


def _normalise(data: Any) -> Any:
    """Numbers as floats so that 42 == 42.0 after a model round trip."""
    if isinstance(data, dict):
        return {k: _normalise(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_normalise(v) for v in data]
    if isinstance(data, bool) or not isinstance(data, (int, float)):
        return data
    return float(data)


def check_result(result: Any, operation_id: str, status: int, body: Any) -> None:
    op = next(o for o in OPERATIONS if o.operation_id == operation_id)
    if status == 204:
        assert result is None
        return
    if op.response == "BestPriorPriceResponse":
        assert [item.to_wire() for item in result] == [models.BestPriorPrice.from_wire(b).to_wire() for b in body]
        assert result[0].sku == body[0]["sku"]
        return
    model_cls = getattr(models, op.response or "")
    assert isinstance(result, model_cls)
    assert _normalise(result.to_wire()) == _normalise(model_cls.model_validate(body).to_wire())


OPERATION_IDS = sorted(OPS)


def test_every_operation_has_a_method() -> None:
    assert len(OPERATIONS) == 39
    for op in OPERATIONS:
        assert callable(getattr(TalonClient, op.method_name))
        assert callable(getattr(AsyncTalonClient, op.method_name))


@pytest.mark.parametrize("operation_id", OPERATION_IDS)
def test_sync_operation_on_the_wire(operation_id: str) -> None:
    args, kwargs, expected_query, body = call_plan(operation_id)
    status, response_body = success_body(operation_id)
    transport = Capture(status, response_body)
    with TalonClient(BASE, KEY, transport=transport) as client:
        method: Callable[..., Any] = getattr(client, _method_name(operation_id))
        result = method(*args, **kwargs)
        assert client.last_response is not None
        assert client.last_response.status_code == status
    (request,) = transport.requests
    check_request(request, operation_id, expected_query, body)
    check_result(result, operation_id, status, response_body)


@pytest.mark.anyio
@pytest.mark.parametrize("operation_id", OPERATION_IDS)
async def test_async_operation_on_the_wire(operation_id: str) -> None:
    args, kwargs, expected_query, body = call_plan(operation_id)
    status, response_body = success_body(operation_id)
    transport = Capture(status, response_body)
    async with AsyncTalonClient(BASE, KEY, transport=transport) as client:
        result = await getattr(client, _method_name(operation_id))(*args, **kwargs)
    (request,) = transport.requests
    check_request(request, operation_id, expected_query, body)
    check_result(result, operation_id, status, response_body)


def _method_name(operation_id: str) -> str:
    return next(o.method_name for o in OPERATIONS if o.operation_id == operation_id)
