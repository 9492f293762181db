"""The request log over HTTP (``GET /_fake/requests``): each :class:`RecordedRequest` as a JSON object in the
admin API's camelCase, with every field the Python log has (docs/fake-server.md lists them).

May import: the state's request log entry.
"""

from __future__ import annotations

from typing import Any

from pytest_talon.fake.state.records import RecordedRequest

__all__ = ["request_json"]


def request_json(entry: RecordedRequest, position: int) -> dict[str, Any]:
    """Log entry ``position`` (its place in ``GET /_fake/requests``, 0 the oldest kept) as JSON: what came in
    (method, decoded and raw path, query, headers with ``Authorization`` redacted, body and the fields the fake
    ignored), what went out (status, headers, body, effect types, rule failures), the fault injected, if any, and
    ``links.explain``, the admin path of its explanation (relative to the server, read with the same key)."""
    return {
        "method": entry.method,
        "path": entry.path,
        "rawPath": entry.raw_path or entry.path,
        "operationId": entry.operation_id,
        "query": entry.query,
        "headers": entry.request_headers,
        "json": entry.json,
        "unknownFields": entry.unknown_fields,
        "status": entry.status,
        "responseHeaders": entry.response_headers,
        "responseJson": entry.response_json,
        "effectTypes": entry.effect_types,
        "ruleFailures": entry.rule_failures,
        "fault": entry.fault,
        "links": {"explain": f"/_fake/requests/{position}/explain"},
    }
