"""Turn every accepted input into wire JSON: our models, the official SDK's models, plain dicts, httpx responses,
:class:`~pytest_talon.errors.TalonAPIError` and the SDK's ``ApiException``. Every comparison works on the result."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx
from pydantic_core import to_jsonable_python

from pytest_talon._assertions._errors import AssertionUsageError, TalonAssertionError
from pytest_talon.errors import TalonAPIError
from pytest_talon.models import WireModel

__all__ = ["Outcome", "Wire", "effects_of", "outcome_of", "session_of", "to_wire"]

__tracebackhide__ = True

#: One JSON object as it travels on the wire (camelCase keys).
Wire = dict[str, Any]

_ABSENT = object()

_STATE_HINT = (
    "pass an integration state (IntegrationStateV2, IntegrationEventV2Response, ReopenSessionResponse, ...), "
    "the SDK's model of it, its wire dict, the httpx.Response or a list of effects"
)


@dataclass(frozen=True)
class Outcome:
    """What one API call produced: its status (when known), its JSON body (or ``None``), raw text and request."""

    status: int | None
    body: Any
    text: str
    where: str


def to_wire(obj: object) -> Any:
    """Return ``obj`` as JSON data with wire (camelCase) names; scalars are returned unchanged."""
    if isinstance(obj, WireModel):
        return obj.to_wire()
    if isinstance(obj, httpx.Response):
        return _json_of(obj)
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
    _reject_failed_call(obj)
    # a model's unset or None ``effects`` is left out of its wire form, so read the attribute first
    attribute = _ABSENT if isinstance(obj, (Mapping, httpx.Response)) else getattr(obj, "effects", _ABSENT)
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
    _reject_failed_call(obj)
    data = to_wire(obj)
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
        "that includes customerSession, their wire dict or the httpx.Response"
    )


def outcome_of(obj: object) -> Outcome:
    """The status, body and request of a response, an API error, an SDK exception or an error body."""
    if isinstance(obj, TalonAPIError):
        body = obj.error.to_wire() if obj.error is not None else _json_or_none(obj.response)
        return Outcome(obj.status_code, body, obj.response.text, f"{obj.method} {obj.path}")
    if isinstance(obj, httpx.Response):
        return Outcome(obj.status_code, _json_or_none(obj), obj.text, _request_of(obj))
    last = getattr(obj, "last_response", None)
    if isinstance(last, httpx.Response):  # a TalonClient: look at its latest response
        return outcome_of(last)
    if _is_sdk_exception(obj):
        text = _text(getattr(obj, "body", None))
        return Outcome(getattr(obj, "status", None), _parse(text), text, "")
    body = to_wire(obj)
    if isinstance(body, Mapping):
        code = body.get("StatusCode")
        return Outcome(code if isinstance(code, int) else None, body, json.dumps(body, default=str), "")
    raise AssertionUsageError(
        f"cannot read a status or an error body from {_kind(obj)}: pass the httpx.Response "
        "(client.last_response), the TalonAPIError or ApiException that was raised, or an error body"
    )


def _reject_failed_call(obj: object) -> None:
    failed = isinstance(obj, httpx.Response) and obj.status_code >= 400
    if not (failed or isinstance(obj, TalonAPIError) or _is_sdk_exception(obj)):
        return
    outcome = outcome_of(obj)
    raise TalonAssertionError(f"expected a successful response, but the call failed: {describe_failure(outcome)}")


def describe_failure(outcome: Outcome) -> str:
    """One line per fact of a failed call: status, request, message and each listed error."""
    head = f"HTTP {outcome.status}" + (f" ({outcome.where})" if outcome.where else "")
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


def _json_of(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        raise TalonAssertionError(
            f"the response body is not JSON (HTTP {response.status_code}): {response.text[:200]!r}"
        ) from None


def _json_or_none(response: httpx.Response) -> Any:
    return _parse(response.text)


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
