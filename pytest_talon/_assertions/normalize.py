"""Turn every accepted input into wire JSON: our models, the official SDK's models, plain dicts, the answers of
httpx, requests and aiohttp, ``talon_requests`` entries, :class:`~pytest_talon.errors.TalonAPIError` and the SDK's
``ApiException``. Every comparison works on the result.

An *answer* is one HTTP exchange seen from the test: it has a status, a body and the request it answered
(:func:`answer_of`). requests and aiohttp are recognised only when the test already imported them, so neither is a
dependency; an aiohttp ``ClientResponse`` is read from the body aiohttp keeps once it was read (``await
resp.json()``, ``resp.text()`` or ``resp.read()``): its status needs no read."""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol, TypeGuard

import httpx
from pydantic_core import to_jsonable_python

from pytest_talon._assertions.errors import AssertionUsageError, TalonAssertionError
from pytest_talon.errors import TalonAPIError
from pytest_talon.models import WireModel

__all__ = [
    "Exchange",
    "Outcome",
    "Wire",
    "answer_of",
    "effects_of",
    "is_instance_of",
    "outcome_of",
    "session_of",
    "to_wire",
]

__tracebackhide__ = True

#: One JSON object as it travels on the wire (camelCase keys).
Wire = dict[str, Any]

_ABSENT = object()

_STATE_HINT = (
    "pass an integration state (IntegrationStateV2, IntegrationEventV2Response, ReopenSessionResponse, ...), "
    "the SDK's model of it, its wire dict, the httpx / requests / aiohttp response, a talon_requests entry "
    "or a list of effects"
)

#: What to pass for a status, named in usage errors.
_STATUS_HINT = (
    "pass the httpx / requests / aiohttp response (client.last_response), a talon_requests entry, "
    "the TalonAPIError or ApiException that was raised, or an error body"
)


@dataclass(frozen=True)
class Outcome:
    """What one API call produced: its status (when known), its JSON body (or ``None``), raw text and request."""

    status: int | None
    body: Any
    text: str
    where: str


class Exchange(Protocol):
    """A recorded exchange as ``talon_requests`` yields it in every mode (the fake's
    :class:`~pytest_talon.fake.RecordedRequest`): read by its ``status`` and ``response_json``; ``method`` and
    ``path`` name it in messages when present."""

    @property
    def status(self) -> int: ...

    @property
    def response_json(self) -> Any: ...


def answer_of(obj: object) -> Outcome | None:
    """The status, body, text and request of an HTTP answer, or ``None`` when ``obj`` is not one: an httpx,
    requests or aiohttp response, a ``talon_requests`` entry (:class:`Exchange`), a ``TalonAPIError`` or the SDK's
    ``ApiException``. ``body`` is ``None`` when the answer is not JSON."""
    if isinstance(obj, TalonAPIError):
        body = obj.error.to_wire() if obj.error is not None else _parse(obj.response.text)
        return Outcome(obj.status_code, body, obj.response.text, f"{obj.method} {obj.path}")
    if isinstance(obj, httpx.Response):
        if not hasattr(obj, "_content"):  # a streamed answer not read yet (``client.stream(...)``)
            return Outcome(obj.status_code, None, _UNREAD_STREAM, _request_of(obj))
        return Outcome(obj.status_code, _parse(obj.text), obj.text, _request_of(obj))
    if _is_sdk_exception(obj):
        text = _text(getattr(obj, "body", None))
        return Outcome(getattr(obj, "status", None), _parse(text), text, "")
    if is_instance_of(obj, "requests", "Response"):
        return _requests_answer(obj)
    if is_instance_of(obj, "aiohttp", "ClientResponse"):
        return _aiohttp_answer(obj)
    if _is_exchange(obj):
        return _exchange_answer(obj)
    return None


def to_wire(obj: object) -> Any:
    """Return ``obj`` as JSON data with wire (camelCase) names; scalars are returned unchanged."""
    if isinstance(obj, WireModel):
        return obj.to_wire()
    answer = answer_of(obj)
    if answer is not None:
        return _json_of(answer)
    if isinstance(obj, Mapping):
        return {str(key): to_wire(value) for key, value in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_wire(item) for item in obj]
    to_dict = getattr(obj, "to_dict", None)
    if callable(to_dict):  # the official SDK's pydantic models: to_dict() gives wire names, but Python values
        return to_jsonable_python(to_dict())
    return obj


def effects_of(obj: object) -> list[Wire]:
    """The effects of an integration state, an event response, a reopen response or a list of effects."""
    answer = _successful_answer(obj)
    if answer is not None:
        data = _json_of(answer)
    else:  # a model's unset or None ``effects`` is left out of its wire form, so read the attribute first
        attribute = _ABSENT if isinstance(obj, Mapping) else getattr(obj, "effects", _ABSENT)
        data = to_wire(obj if attribute is _ABSENT else attribute or [])
    if isinstance(data, Mapping) and "effects" in data:
        data = data["effects"] or []
    if not isinstance(data, list):
        raise AssertionUsageError(f"cannot find effects in {_kind(obj)}: {_STATE_HINT}")
    for index, item in enumerate(data):
        if not isinstance(item, Mapping) or not isinstance(item.get("effectType"), str):
            raise AssertionUsageError(f"item #{index} of {_kind(obj)} is not an effect (no 'effectType'): {item!r}")
    return [dict(item) for item in data]


def session_of(obj: object) -> Wire:
    """The customer session in an integration state or session response, or the session itself."""
    answer = _successful_answer(obj)
    data = to_wire(obj) if answer is None else _json_of(answer)
    if isinstance(data, Mapping) and isinstance(data.get("customerSession"), Mapping):
        return dict(data["customerSession"])
    if isinstance(data, Mapping) and "state" in data:
        return dict(data)
    if isinstance(data, Mapping) and "effects" in data:
        raise TalonAssertionError(
            f"the {_kind(obj)} has no customerSession: request it with responseContent=['customerSession']"
        )
    raise AssertionUsageError(
        f"cannot find a customer session in {_kind(obj)}: pass a CustomerSessionV2, an integration state "
        "that includes customerSession, their wire dict, the httpx / requests / aiohttp response or a "
        "talon_requests entry"
    )


def outcome_of(obj: object) -> Outcome:
    """The status, body and request of a response, an API error, an SDK exception or an error body."""
    answer = answer_of(obj)
    if answer is not None:
        return answer
    last = getattr(obj, "last_response", None)
    if isinstance(last, httpx.Response):  # a TalonClient: look at its latest response
        return outcome_of(last)
    body = to_wire(obj)
    if isinstance(body, Mapping):
        code = body.get("StatusCode")
        return Outcome(code if isinstance(code, int) else None, body, json.dumps(body, default=str), "")
    raise AssertionUsageError(f"cannot read a status or an error body from {_kind(obj)}: {_STATUS_HINT}")


def _successful_answer(obj: object) -> Outcome | None:
    """``obj`` as an answer (:func:`answer_of`), or ``None`` when it is not one; raises when ``obj`` is a failed
    call: an error answer, or an error body given where a state was due."""
    answer = answer_of(obj)
    failed = answer if answer is not None and (answer.status is None or answer.status >= 400) else None
    failed = failed or (_error_body(obj) if answer is None else None)
    if failed is not None:
        raise TalonAssertionError(f"expected a successful response, but the call failed: {describe_failure(failed)}")
    return answer


def _error_body(obj: object) -> Outcome | None:
    """The outcome of an error body (a ``message`` and its ``errors``, no effects), such as what ``await
    resp.json()`` returned for a 400; ``None`` for anything else (states are never converted to find out)."""
    if isinstance(obj, Mapping):
        data: Any = obj
    elif isinstance(obj, (list, tuple)) or obj is None or hasattr(obj, "effects"):
        return None
    else:
        data = to_wire(obj)
    is_error = isinstance(data, Mapping) and "effects" not in data and isinstance(data.get("message"), str)
    return outcome_of(data) if is_error and isinstance(data.get("errors"), list) else None


def describe_failure(outcome: Outcome) -> str:
    """One line per fact of a failed call: status, request, message and each listed error."""
    head = (f"HTTP {outcome.status}" if outcome.status is not None else "an error body") + (
        f" ({outcome.where})" if outcome.where else ""
    )
    body = outcome.body if isinstance(outcome.body, Mapping) else {}
    message = body.get("message") if body else outcome.text.strip()[:200]
    lines = [head + (f": {message}" if message else "")]
    for error in body.get("errors") or []:
        lines.append("  - " + describe_api_error(error))
    return "\n".join(lines)


def describe_api_error(error: Mapping[str, Any]) -> str:
    """``title: details (at /pointer)`` for one ``APIError`` entry."""
    source = error.get("source") or {}
    where = source.get("pointer") or source.get("parameter") or source.get("line") or ""
    details = f": {error['details']}" if error.get("details") else ""
    return f"{error.get('title', '')}{details}" + (f" (at {where})" if where else "")


def _is_sdk_exception(obj: object) -> bool:
    # duck-typed so that the SDK stays optional: its ApiException carries ``status`` and a raw ``body``
    return isinstance(obj, BaseException) and isinstance(getattr(obj, "status", None), int)


def _json_of(answer: Outcome) -> Any:
    if answer.text == _UNREAD:
        raise AssertionUsageError(
            f"the body of the aiohttp response to {answer.where} was not read yet: pass it after `await resp.json()` "
            "(or resp.read()), or pass what resp.json() returned"
        )
    if answer.body is None:
        where = f", {answer.where}" if answer.where else ""
        raise TalonAssertionError(f"the response body is not JSON (HTTP {answer.status}{where}): {answer.text[:200]!r}")
    return answer.body


def is_instance_of(obj: object, module: str, name: str) -> bool:
    """Whether ``obj`` is ``module.name``, without importing ``module`` (not imported: ``obj`` cannot be one)."""
    loaded = sys.modules.get(module)
    cls = getattr(loaded, name, None)
    return isinstance(cls, type) and isinstance(obj, cls)


def _is_exchange(obj: object) -> TypeGuard[Exchange]:
    return isinstance(getattr(obj, "status", None), int) and hasattr(obj, "response_json")


def _exchange_answer(exchange: Exchange) -> Outcome:
    body = exchange.response_json
    text = "" if body is None else json.dumps(body, default=str)
    method, path = getattr(exchange, "method", None), getattr(exchange, "path", None)
    where = f"{method} {path}" if isinstance(method, str) and isinstance(path, str) else ""
    return Outcome(exchange.status, body, text, where)


def _requests_answer(response: Any) -> Outcome:
    text = _text(response.content)
    request = response.request
    where = f"{request.method} {request.path_url}" if request is not None else ""
    return Outcome(response.status_code, _parse(text), text, where)


def _aiohttp_answer(response: Any) -> Outcome:
    where = f"{response.method} {response.url.raw_path_qs}"
    body = getattr(response, "_body", None)  # what aiohttp keeps once read (every aiohttp 3 release)
    if not isinstance(body, bytes):
        return Outcome(response.status, None, _UNREAD, where)
    text = _text(body)
    return Outcome(response.status, _parse(text), text, where)


#: The text of an aiohttp response whose body was not read yet.
_UNREAD = "(body not read yet: await resp.json() first, or pass its result)"
#: The text of an httpx response streamed and not read yet.
_UNREAD_STREAM = "(body not read yet: call resp.read() first, or pass resp.json())"


def _parse(text: str) -> Any:
    try:
        return json.loads(text) if text else None
    except ValueError:
        return None


def _text(body: object) -> str:
    if isinstance(body, (bytes, bytearray)):
        return body.decode("utf-8", "replace")
    return body if isinstance(body, str) else ""


def _request_of(response: httpx.Response) -> str:
    try:
        request = response.request
    except RuntimeError:  # a response built by hand has no request
        return ""
    return f"{request.method} {request.url.raw_path.decode('ascii')}"


def _kind(obj: object) -> str:
    return type(obj).__name__
