"""What the sync and async clients share: construction, request building, response parsing and errors."""

from __future__ import annotations

import difflib
import json
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timezone
from types import TracebackType
from typing import Any
from urllib.parse import quote

import httpx
import pydantic
from typing_extensions import Self

from pytest_talon import models
from pytest_talon._operation import Operation
from pytest_talon.errors import TalonAPIError, TalonRequestError

__all__ = ["DEFAULT_TIMEOUT", "AsyncClientBase", "ClientCore", "SyncClientBase"]

#: Seconds before a request times out, unless the client is given another ``timeout``.
DEFAULT_TIMEOUT = 10.0

_LIST_RESPONSES = {"BestPriorPriceResponse": pydantic.TypeAdapter(list[models.BestPriorPrice])}


def _query_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise TalonRequestError(f"naive datetime {value!r}: pass an aware datetime (e.g. tzinfo=timezone.utc)")
        return value.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def encode_query(op: Operation, params: Mapping[str, Any]) -> list[tuple[str, str | int | float | bool | None]]:
    """Turn keyword arguments into query pairs: ``None`` left out, RFC3339 dates, bool as true/false, arrays
    repeated or comma-joined as the spec's ``explode`` says."""
    explode = {p.name: p.explode for p in op.query_params}
    pairs: list[tuple[str, str | int | float | bool | None]] = []
    for name, value in params.items():
        if value is None:
            continue
        if isinstance(value, Sequence) and not isinstance(value, str):
            if explode.get(name, True):
                pairs.extend((name, _query_value(v)) for v in value)
            else:
                pairs.append((name, ",".join(_query_value(v) for v in value)))
        else:
            pairs.append((name, _query_value(value)))
    return pairs


def build_path(op: Operation, args: Sequence[str]) -> str:
    """Fill the path template; every path parameter is percent-encoded, ``/`` and ``%`` included."""
    path = op.path
    for name, value in zip(op.path_params, args, strict=True):
        if not isinstance(value, str) or value == "":
            raise TalonRequestError(
                f"{op.method_name}: path parameter {name!r} must be a non-empty string, got {value!r}"
            )
        path = path.replace("{" + name + "}", quote(value, safe=""))
    return path


def encode_body(op: Operation, body: Any) -> bytes | None:
    """Validate a body (a model or wire-format mapping) against the operation's request model; return JSON bytes."""
    if op.body is None:
        return None
    model_cls: type[models.WireModel] = getattr(models, op.body)
    if isinstance(body, model_cls):
        model = body
    elif isinstance(body, Mapping):
        try:
            model = model_cls.from_wire(dict(body))
        except pydantic.ValidationError as exc:
            raise TalonRequestError(_explain(op, model_cls, exc)) from exc
    else:
        raise TalonRequestError(
            f"{op.method_name}: body must be a {model_cls.__name__} or a dict in wire format, got {type(body).__name__}"
        )
    return json.dumps(model.to_wire(), separators=(",", ":")).encode()


def _known_wire_names() -> list[str]:
    return sorted({name for model in models.MODELS_BY_SCHEMA.values() for name in model.wire_names()})


def _explain(op: Operation, model_cls: type[Any], exc: pydantic.ValidationError) -> str:
    lines = [f"{op.method_name}: the body is not a valid {model_cls.__name__}:"]
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"]) or "(body)"
        hint = ""
        if err["type"] == "extra_forbidden" and err["loc"]:
            close = difflib.get_close_matches(str(err["loc"][-1]), _known_wire_names(), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
        lines.append(f"  - {where}: {err['msg']}{hint}")
    lines.append("Fix the field(s) above; both camelCase (wire) and snake_case names are accepted.")
    return "\n".join(lines)


def parse_response(op: Operation, response: httpx.Response) -> Any:
    """Return the typed body of a 2xx answer (None for an empty one); raise :class:`TalonAPIError` otherwise."""
    if not response.is_success:
        raise api_error(op, response)
    if response.status_code == 204 or not response.content:
        return None
    if op.response in _LIST_RESPONSES:
        return _LIST_RESPONSES[op.response].validate_json(response.content)
    model_cls: type[models.WireModel] = getattr(models, op.response or "")
    return model_cls.model_validate_json(response.content)


def api_error(op: Operation, response: httpx.Response) -> TalonAPIError:
    """Build the :class:`TalonAPIError` for a non-2xx answer, parsing its body when it is a known JSON shape."""
    error: models.ErrorResponse | models.ErrorResponseWithStatus | None = None
    try:
        data = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        data = None
    if isinstance(data, dict):
        shape = (
            models.ErrorResponseWithStatus if "StatusCode" in data or "message" not in data else models.ErrorResponse
        )
        try:
            error = shape.model_validate(data)
        except pydantic.ValidationError:
            error = None
    return TalonAPIError(
        status_code=response.status_code,
        method=response.request.method,
        path=response.request.url.raw_path.decode(),
        error=error,
        response=response,
    )


class ClientCore:
    """Construction and shared state of :class:`TalonClient` and :class:`AsyncTalonClient`.

    ``base_url`` is the deployment (``https://yourbaseurl.talon.one``); ``api_key`` is sent as
    ``Authorization: ApiKey-v1 <key>``. Inject an httpx ``transport`` or a ready ``http_client`` (which the client
    then does not close). After every call, :attr:`last_response` holds the raw :class:`httpx.Response`, also when
    the call raised :class:`TalonAPIError`.
    """

    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
    ) -> None:
        if not api_key:
            raise TalonRequestError("api_key is empty: pass the Application's Integration API key")
        self.base_url = str(base_url).rstrip("/")
        self.api_key = api_key
        self.timeout = timeout
        #: The raw answer to the last call made by this client, or None before the first.
        self.last_response: httpx.Response | None = None

    @property
    def headers(self) -> dict[str, str]:
        """Headers sent with every request."""
        return {
            "Authorization": f"ApiKey-v1 {self.api_key}",
            "Accept": "application/json",
            "User-Agent": "pytest-talon",
        }

    def build_request(
        self,
        client: httpx.Client | httpx.AsyncClient,
        op: Operation,
        args: Sequence[str],
        body: Any,
        query: Mapping[str, Any],
    ) -> httpx.Request:
        """Build the request of one call, validating the body and encoding path and query."""
        content = encode_body(op, body)
        headers = self.headers
        if content is not None:
            headers["Content-Type"] = "application/json"
        return client.build_request(
            op.method,
            self.base_url + build_path(op, args),
            params=encode_query(op, query),
            content=content,
            headers=headers,
            timeout=self.timeout,
        )


class SyncClientBase(ClientCore):
    """The synchronous half: owns or borrows an :class:`httpx.Client`."""

    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        transport: httpx.BaseTransport | None = None,
        http_client: httpx.Client | None = None,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
    ) -> None:
        super().__init__(base_url, api_key, timeout=timeout)
        if http_client is not None and transport is not None:
            raise TalonRequestError("pass either transport= or http_client=, not both")
        self._owns_http = http_client is None
        self.http = http_client if http_client is not None else httpx.Client(transport=transport, timeout=timeout)

    def _call(self, op: Operation, args: Sequence[str], body: Any, query: Mapping[str, Any]) -> Any:
        request = self.build_request(self.http, op, args, body, query)
        response = self.http.send(request)
        response.read()
        self.last_response = response
        return parse_response(op, response)

    def close(self) -> None:
        """Close the underlying httpx client if this client created it."""
        if self._owns_http:
            self.http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncClientBase(ClientCore):
    """The asynchronous half: owns or borrows an :class:`httpx.AsyncClient`."""

    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        http_client: httpx.AsyncClient | None = None,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
    ) -> None:
        super().__init__(base_url, api_key, timeout=timeout)
        if http_client is not None and transport is not None:
            raise TalonRequestError("pass either transport= or http_client=, not both")
        self._owns_http = http_client is None
        self.http = http_client if http_client is not None else httpx.AsyncClient(transport=transport, timeout=timeout)

    async def _call(self, op: Operation, args: Sequence[str], body: Any, query: Mapping[str, Any]) -> Any:
        request = self.build_request(self.http, op, args, body, query)
        response = await self.http.send(request)
        await response.aread()
        self.last_response = response
        return parse_response(op, response)

    async def aclose(self) -> None:
        """Close the underlying httpx client if this client created it."""
        if self._owns_http:
            await self.http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
