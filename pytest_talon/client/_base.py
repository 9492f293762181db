"""What the sync and async clients share: construction, request building, response parsing and errors."""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import difflib
import json
import math
from collections.abc import Iterator, Mapping, Sequence
from datetime import date, datetime, timezone
from types import TracebackType
from typing import Any, Generic, TypeVar
from urllib.parse import quote

import httpx
import pydantic
from typing_extensions import Self

from pytest_talon import models
from pytest_talon._spec.operation import Operation, Param
from pytest_talon._time import format_rfc3339, parse_rfc3339
from pytest_talon.errors import TalonAPIError, TalonRequestError

__all__ = ["DEFAULT_TIMEOUT", "USER_AGENT", "AsyncClientBase", "ClientCore", "SyncClientBase"]

#: Seconds before a request times out, unless the client is given another ``timeout`` or an ``http_client``.
DEFAULT_TIMEOUT = 10.0

#: The ``User-Agent`` of the httpx clients pytest-talon builds (an injected ``http_client`` keeps its own).
USER_AGENT = "pytest-talon"

_LIST_RESPONSES = {"BestPriorPriceResponse": pydantic.TypeAdapter(list[models.BestPriorPrice])}


def _query_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return format_rfc3339(value.astimezone(timezone.utc))
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _scalar_problem(param: Param, kind: str | None, value: Any) -> str | None:
    """What is wrong with one query value (an array's item: ``kind`` is the item type), or None."""
    if kind == "boolean":
        return None if isinstance(value, bool) else "must be True or False"
    if kind == "integer":
        if not _is_int(value):
            return "must be an int"
        if param.minimum is not None and value < param.minimum:
            return f"must be at least {param.minimum}"
        if param.maximum is not None and value > param.maximum:
            return f"must be at most {param.maximum}"
        return None
    if param.format == "date-time":
        return _datetime_problem(value)
    if not isinstance(value, str):
        return "must be a str"
    if param.enum is not None and value not in param.enum:
        return "must be one of " + ", ".join(repr(v) for v in param.enum)
    return None


def _datetime_problem(value: Any) -> str | None:
    if isinstance(value, datetime):
        return None if value.tzinfo is not None else "is a naive datetime: pass an aware one (tzinfo=timezone.utc)"
    if not isinstance(value, str):
        return "must be an aware datetime or an RFC 3339 string"
    try:
        parse_rfc3339(value)
    except ValueError as exc:
        return f"must be an aware datetime or an RFC 3339 string: {exc}"
    return None


def check_query(op: Operation, params: Mapping[str, Any]) -> None:
    """Refuse a query value the spec does not allow (type, range, enum, date-time), naming the parameter."""
    specs = {p.name: p for p in op.query_params}
    for name, value in params.items():
        param = specs[name]
        if value is None:
            continue
        if param.type == "array":
            if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
                problem: str | None = "must be a list (or another sequence) of values"
            else:
                problem = next((p for p in (_scalar_problem(param, param.items, v) for v in value) if p), None)
        else:
            problem = _scalar_problem(param, param.type, value)
        if problem is not None:
            raise TalonRequestError(
                f"{op.method_name}: query parameter {name!r} ({param.keyword}={value!r}) {problem}; nothing was sent"
            )


def encode_query(op: Operation, params: Mapping[str, Any]) -> list[tuple[str, str | int | float | bool | None]]:
    """Check the query keyword arguments (see :func:`check_query`) and turn them into query pairs: ``None`` left
    out, RFC3339 dates, bool as true/false, arrays repeated or comma-joined as the spec's ``explode`` says."""
    check_query(op, params)
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


def _path_value(op: Operation, param: Param, value: Any) -> str:
    integer = param.type == "integer"
    if integer and _is_int(value):
        return str(value)
    if not isinstance(value, str) or value == "":
        kind = "an int or a non-empty string" if integer else "a non-empty string"
        raise TalonRequestError(f"{op.method_name}: path parameter {param.name!r} must be {kind}, got {value!r}")
    too_short = param.min_length is not None and len(value) < param.min_length
    if too_short or (param.max_length is not None and len(value) > param.max_length):
        raise TalonRequestError(
            f"{op.method_name}: path parameter {param.name!r} must be {param.min_length} to {param.max_length} "
            f"characters long, got {value!r} ({len(value)})"
        )
    return value


def build_path(op: Operation, args: Sequence[int | str]) -> str:
    """Fill the path template; every path parameter is percent-encoded, ``/`` and ``%`` included. Integer
    parameters (``loyaltyProgramId``, ``audienceId``, ...) take an ``int`` or a string."""
    path = op.path
    params = {p.name: p for p in op.params if p.location == "path"}
    for name, value in zip(op.path_params, args, strict=True):
        path = path.replace("{" + name + "}", quote(_path_value(op, params[name], value), safe=""))
    return path


def _non_finite(value: Any, where: str) -> Iterator[str]:
    if isinstance(value, float) and not math.isfinite(value):
        yield f"{where or '(body)'} is {value!r}"
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _non_finite(item, f"{where}.{key}" if where else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _non_finite(item, f"{where}.{index}" if where else str(index))


def encode_body(op: Operation, body: Any) -> bytes | None:
    """Validate a body (a model or wire-format mapping) against the operation's request model; return JSON bytes.
    NaN and Infinity, which JSON cannot carry, are refused naming the field."""
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
    wire = model.to_wire()
    try:
        return json.dumps(wire, separators=(",", ":"), allow_nan=False).encode()
    except ValueError:  # NaN or Infinity somewhere: name every place (walked only for such bodies)
        bad = list(_non_finite(wire, ""))
        if not bad:
            raise
        raise TalonRequestError(
            f"{op.method_name}: JSON has no NaN or Infinity: {'; '.join(bad)}. Send a finite number; nothing was sent"
        ) from None


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


#: The :meth:`ClientCore.responses` blocks open in the current context (thread or asyncio task), innermost last.
_CAPTURES: contextvars.ContextVar[tuple[_Capture, ...]] = contextvars.ContextVar("talon_captures", default=())


@dataclasses.dataclass(frozen=True)
class _Capture:
    client: ClientCore[Any, Any]
    responses: list[httpx.Response]


_Http = TypeVar("_Http", httpx.Client, httpx.AsyncClient)
_Transport = TypeVar("_Transport", httpx.BaseTransport, httpx.AsyncBaseTransport)


class ClientCore(Generic[_Http, _Transport]):
    """Construction and shared state of :class:`TalonClient` and :class:`AsyncTalonClient`.

    ``base_url`` is the deployment (``https://yourbaseurl.talon.one``); ``api_key`` is sent as
    ``Authorization: ApiKey-v1 <key>``. Inject an httpx ``transport`` or a ready ``http_client``: the client then
    does not close it and keeps its timeout, headers (``User-Agent`` included) and event hooks; ``timeout=``
    overrides its timeout. After every call, :attr:`last_response` holds the raw :class:`httpx.Response`, also
    when the call raised :class:`TalonAPIError`; :meth:`responses` gives the raw answers of one block of calls,
    which concurrent tasks do not share.
    """

    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        transport: _Transport | None = None,
        http_client: _Http | None = None,
        timeout: float | httpx.Timeout | None = None,
    ) -> None:
        if not api_key:
            raise TalonRequestError("api_key is empty: pass the Application's Integration API key")
        if http_client is not None and transport is not None:
            raise TalonRequestError("pass either transport= or http_client=, not both")
        self.base_url = str(base_url).rstrip("/")
        self.api_key = api_key
        self._owns_http = http_client is None
        if http_client is None:
            http_client = self._new_http(transport, DEFAULT_TIMEOUT if timeout is None else timeout)
        self.http: _Http = http_client
        #: The timeout of every request: ``timeout=``, else the injected client's own, else :data:`DEFAULT_TIMEOUT`.
        self.timeout: httpx.Timeout = httpx.Timeout(timeout) if timeout is not None else http_client.timeout
        #: The raw answer to the last call made by this client, or None before the first.
        self.last_response: httpx.Response | None = None

    def _new_http(self, transport: _Transport | None, timeout: float | httpx.Timeout) -> _Http:
        raise NotImplementedError  # pragma: no cover - each half builds its own kind of httpx client

    @property
    def headers(self) -> dict[str, str]:
        """Headers every request carries on top of the httpx client's own (a client this one builds sends
        ``User-Agent: pytest-talon``; an injected one keeps its own)."""
        return {"Authorization": f"ApiKey-v1 {self.api_key}", "Accept": "application/json"}

    @contextlib.contextmanager
    def responses(self) -> Iterator[list[httpx.Response]]:
        """Collect the raw :class:`httpx.Response` of every call this client makes inside the ``with`` block, in
        order, also for calls that raised :class:`TalonAPIError`. The list belongs to the current thread or asyncio
        task (a context variable), so concurrent tasks each see only their own answers::

            with talon.responses() as raw:
                await talon.get_customer_session("s1")
            assert raw[0].status_code == 200
        """
        capture = _Capture(self, [])
        token = _CAPTURES.set((*_CAPTURES.get(), capture))
        try:
            yield capture.responses
        finally:
            _CAPTURES.reset(token)

    def _received(self, response: httpx.Response) -> None:
        self.last_response = response
        for capture in _CAPTURES.get():
            if capture.client is self:
                capture.responses.append(response)

    def build_request(
        self,
        op: Operation,
        args: Sequence[int | str],
        body: Any,
        query: Mapping[str, Any],
    ) -> httpx.Request:
        """Build the request of one call, validating the body and encoding path and query."""
        content = encode_body(op, body)
        headers = self.headers
        if content is not None:
            headers["Content-Type"] = "application/json"
        return self.http.build_request(
            op.method,
            self.base_url + build_path(op, args),
            params=encode_query(op, query),
            content=content,
            headers=headers,
            timeout=self.timeout,
        )


class SyncClientBase(ClientCore[httpx.Client, httpx.BaseTransport]):
    """The synchronous half: owns or borrows an :class:`httpx.Client`."""

    def _new_http(self, transport: httpx.BaseTransport | None, timeout: float | httpx.Timeout) -> httpx.Client:
        return httpx.Client(transport=transport, timeout=timeout, headers={"User-Agent": USER_AGENT})

    def _call(self, op: Operation, args: Sequence[int | str], body: Any, query: Mapping[str, Any]) -> Any:
        request = self.build_request(op, args, body, query)
        response = self.http.send(request)
        response.read()
        self._received(response)
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


class AsyncClientBase(ClientCore[httpx.AsyncClient, httpx.AsyncBaseTransport]):
    """The asynchronous half: owns or borrows an :class:`httpx.AsyncClient`."""

    def _new_http(
        self, transport: httpx.AsyncBaseTransport | None, timeout: float | httpx.Timeout
    ) -> httpx.AsyncClient:
        return httpx.AsyncClient(transport=transport, timeout=timeout, headers={"User-Agent": USER_AGENT})

    async def _call(self, op: Operation, args: Sequence[int | str], body: Any, query: Mapping[str, Any]) -> Any:
        request = self.build_request(op, args, body, query)
        response = await self.http.send(request)
        await response.aread()
        self._received(response)
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
