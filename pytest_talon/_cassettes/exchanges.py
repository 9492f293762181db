"""Cassette exchanges read as the fake's request-log entries (:class:`~pytest_talon.fake.RecordedRequest`), so
``talon_requests``, the run summary and verify mode see a replayed, recorded or live exchange the way they see one
the fake answered. The fake and the route table are imported on first use, so loading the plugin stays cheap.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, unquote, urlsplit

if TYPE_CHECKING:
    from pytest_talon.cassettes import TalonCassette
    from pytest_talon.fake import RecordedRequest

__all__ = ["cassette_requests", "effect_types_in", "operation_for", "recorded_request"]


def operation_for(method: str, raw_path: str) -> str | None:
    """The operation id of a request, from its method and raw (percent-encoded) path; None for other URLs."""
    from pytest_talon._spec.routes import find

    found = find(method, raw_path)
    return None if found is None else found[0].operation_id


def _json(raw: Any) -> Any:
    if not raw:
        return None
    try:
        return json.loads(raw)
    except (TypeError, ValueError):
        return raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else raw


def recorded_request(request: Any, response: dict[str, Any]) -> RecordedRequest:
    """One cassette exchange (a vcrpy request and response dict) as the fake's request-log entry, with the same
    fields as one the fake answered (the headers a cassette does not keep are absent)."""
    from pytest_talon.fake import RecordedRequest
    from pytest_talon.fake.state.records import log_headers

    parts = urlsplit(request.uri)
    answered = [(k, v) for k, values in (response.get("headers") or {}).items() for v in _listed(values)]
    body = _json((response.get("body") or {}).get("string"))
    return RecordedRequest(
        method=request.method.upper(),
        path=unquote(parts.path),
        operation_id=operation_for(request.method, parts.path),
        query=parse_qs(parts.query, keep_blank_values=True),
        json=_json(request.body),
        status=int((response.get("status") or {}).get("code", 0)),
        response_json=body,
        effect_types=effect_types_in(body),
        raw_path=parts.path,
        request_headers=log_headers(_header_items(request), redact=True),
        response_headers=log_headers(answered),
    )


def _listed(values: Any) -> list[str]:
    return [str(v) for v in values] if isinstance(values, (list, tuple)) else [str(values)]


def _header_items(request: Any) -> list[tuple[str, str]]:
    headers = getattr(request, "headers", None) or {}
    return [(str(k), v) for k, values in headers.items() for v in _listed(values)]


def cassette_requests(cassette: TalonCassette) -> list[RecordedRequest]:
    """A cassette's exchanges so far (replayed, recorded or observed live) as the fake's request-log entries."""
    return [recorded_request(*exchange) for exchange in cassette.exchanges or ()]


def effect_types_in(body: Any) -> list[str]:
    """The ``effectType`` of every effect in a response body (top-level ``effects`` and ``event.effects``)."""
    if not isinstance(body, dict):
        return []
    effects = list(body.get("effects") or [])
    event = body.get("event")
    if isinstance(event, dict):
        effects += [e for e in event.get("effects") or [] if isinstance(e, dict)]
    return [str(e["effectType"]) for e in effects if isinstance(e, dict) and "effectType" in e]
