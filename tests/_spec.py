"""Validate a JSON answer of an operation against the vendored spec's response schema (``spec/``).

OpenAPI 3.0 schemas are JSON Schema draft 4 plus a few keywords; the differences handled here are ``nullable``
(turned into a ``null`` type or an ``anyOf`` with ``null``) and the ``$ref`` siblings OpenAPI ignores. ``format``
``date-time`` is checked with the product's RFC 3339 parser, ``uuid`` with :class:`uuid.UUID`; other formats
(``int64``, ``float``) only name a width. Test-only: ``jsonschema`` is in the ``test`` extra, and the installed
package never reads the spec.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from uuid import UUID

import jsonschema

from pytest_talon._time import parse_rfc3339

__all__ = ["SPEC_PATH", "log_errors", "response_schema", "spec_errors", "to_json_schema"]

SPEC_PATH = Path(__file__).parents[1] / "spec" / "integration-api.json"

# Keywords whose value is one schema, or a list or a map of schemas: walked by the conversion.
_ONE = ("items", "not", "additionalProperties")
_LIST = ("allOf", "anyOf", "oneOf")
_MAP = ("properties",)


def to_json_schema(node: Any) -> Any:
    """Convert one OpenAPI 3.0 schema node (recursively) to JSON Schema draft 4."""
    if not isinstance(node, dict):
        return node
    if "$ref" in node:  # OpenAPI ignores a $ref's siblings, except the nullable some generators add
        ref = {"$ref": node["$ref"]}
        return {"anyOf": [ref, {"type": "null"}]} if node.get("nullable") else ref
    out = {key: value for key, value in node.items() if key not in {"nullable", "example", "discriminator"}}
    for key in _ONE:
        if isinstance(node.get(key), dict):
            out[key] = to_json_schema(node[key])
    for key in _LIST:
        if key in node:
            out[key] = [to_json_schema(n) for n in node[key]]
    for key in _MAP:
        if key in node:
            out[key] = {name: to_json_schema(n) for name, n in node[key].items()}
    if node.get("nullable"):
        if "type" in out:
            out["type"] = [out["type"], "null"]
            if "enum" in out:
                out["enum"] = [*out["enum"], None]
        else:
            out = {"anyOf": [out, {"type": "null"}]}
    return out


@functools.cache
def _spec() -> dict[str, Any]:
    spec: dict[str, Any] = json.loads(SPEC_PATH.read_text())
    return spec


@functools.cache
def _components() -> dict[str, Any]:
    return {name: to_json_schema(schema) for name, schema in _spec()["components"]["schemas"].items()}


def _operation(operation_id: str) -> dict[str, Any]:
    for item in _spec()["paths"].values():
        for method, op in item.items():
            if isinstance(op, dict) and op.get("operationId") == operation_id and method != "parameters":
                return op
    raise KeyError(f"no operation {operation_id!r} in {SPEC_PATH}")


def response_schema(operation_id: str, status: int | str) -> dict[str, Any] | None:
    """The JSON Schema of an operation's answer with this status (None: the spec declares no body for it).
    Raises KeyError when the spec does not declare the status at all."""
    responses = _operation(operation_id)["responses"]
    if str(status) not in responses:
        raise KeyError(f"{operation_id} declares no {status} answer (it declares {', '.join(sorted(responses))})")
    schema = responses[str(status)].get("content", {}).get("application/json", {}).get("schema")
    if schema is None:
        return None
    return {**to_json_schema(schema), "components": {"schemas": _components()}}


_FORMATS = jsonschema.FormatChecker(formats=())


@_FORMATS.checks("date-time", raises=ValueError)
def _date_time(value: object) -> bool:
    return not isinstance(value, str) or parse_rfc3339(value) is not None


@_FORMATS.checks("uuid", raises=ValueError)
def _uuid(value: object) -> bool:
    return not isinstance(value, str) or UUID(value) is not None


def spec_errors(operation_id: str, status: int | str, body: Any) -> list[str]:
    """Every way ``body`` (parsed JSON, None for no body) breaks the spec's schema for this answer, as
    ``$.json.path: message`` lines; empty when it is valid."""
    try:
        schema = response_schema(operation_id, status)
    except KeyError as exc:
        return [str(exc.args[0])]
    if schema is None:
        return [] if body is None else [f"$: {status} declares no body, got {json.dumps(body)[:200]}"]
    if body is None:
        return [f"$: {status} declares a body, got none"]
    validator = jsonschema.Draft4Validator(schema, format_checker=_FORMATS)
    errors = sorted(validator.iter_errors(body), key=lambda e: [str(p) for p in e.absolute_path])
    return [f"{e.json_path}: {_short(e)}" for e in errors]


def _short(error: jsonschema.ValidationError) -> str:
    message = error.message
    return message if len(message) <= 300 else message[:300] + "..."


def log_errors(requests: Iterable[Any]) -> list[str]:
    """Spec violations of every answer in a fake's request log (``fake.requests``) whose status the spec declares
    for its operation, as ``METHOD path (status): $.json.path: message`` lines. Statuses the spec leaves out (the
    404s and 400s the live API also sends) and requests matching no operation are not checked."""
    problems: list[str] = []
    for entry in requests:
        if entry.operation_id is None:
            continue
        try:
            response_schema(entry.operation_id, entry.status)
        except KeyError:
            continue
        where = f"{entry.method} {entry.path} ({entry.status})"
        problems += [f"{where}: {p}" for p in spec_errors(entry.operation_id, entry.status, entry.response_json)]
    return problems
