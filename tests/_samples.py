"""Schema-driven sample bodies for the model and client tests, built from the spec digest (never from ../shared).

Samples fill every property (``full=True``) or only the required ones, with values that respect types, formats,
enums, lengths and item counts, and look plausible (a price is a price, an id an id).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DIGEST: dict[str, Any] = json.loads((Path(__file__).parent / "data" / "spec_digest.json").read_text())
SCHEMAS: dict[str, Any] = DIGEST["schemas"]

_STRINGS = {
    "sku": "SKU-1042",
    "name": "Summer sale",
    "currency": "EUR",
    "profileId": "customer-7",
    "integrationId": "customer-7",
    "value": "SUMMER-2026",
    "code": "REF-8K2M",
    "identifier": "CARD-0001",
    "cardIdentifier": "CARD-0001",
    "effectType": "setDiscount",
    "type": "purchase",
    "category": "shoes",
    "state": "open",
    "timeframe": "30",
}


def _string(field: str, prop: dict[str, Any]) -> str:
    fmt = prop.get("format")
    if fmt == "date-time":
        return "2026-03-04T05:06:07Z"
    if fmt == "date":
        return "2026-03-04"
    if fmt == "uuid":
        return "5b1e7f6a-3c2d-4e8f-9a0b-1c2d3e4f5a6b"
    if "enum" in prop:
        return str(prop["enum"][0])
    text = _STRINGS.get(field, f"{field}-x")
    if "pattern" in prop:
        text = "Value42"
    lo, hi = prop.get("minLength", 0), prop.get("maxLength", 1000)
    text = text[:hi]
    return text + "x" * max(0, lo - len(text))


def _number(prop: dict[str, Any], integer: bool) -> float | int:
    value: float | int = 42 if integer else 19.99
    if "minimum" in prop and value < prop["minimum"]:
        value = prop["minimum"]
    if "maximum" in prop and value > prop["maximum"]:
        value = prop["maximum"]
    return int(value) if integer else float(value)


def sample_value(prop: dict[str, Any], field: str, full: bool, depth: int) -> Any:
    """A sample for one property schema."""
    if "$ref" in prop:
        return sample(prop["$ref"].rsplit("/", 1)[1], full=full, depth=depth + 1)
    kind = prop.get("type")
    if kind == "string":
        return _string(field, prop)
    if kind in {"integer", "number"}:
        return _number(prop, kind == "integer")
    if kind == "boolean":
        return True
    if kind == "array":
        count = 1 if depth < 4 else 0
        count = max(count, prop.get("minItems", 0))
        return [sample_value(prop.get("items", {}), field, full, depth + 1) for _ in range(count)]
    extra = prop.get("additionalProperties")
    if isinstance(extra, dict) and extra and depth < 4:
        return {"shipping": sample_value(extra, field, full, depth + 1)}
    if field == "attributes":
        return {"color": "red"}
    return {}


def sample(schema: str, *, full: bool = True, depth: int = 0) -> Any:
    """A valid wire-format instance of a spec schema."""
    node = SCHEMAS[schema]
    if node.get("type") == "array":
        return [sample_value(node["items"], schema, full, depth + 1)]
    required = set(node.get("required", []))
    out: dict[str, Any] = {}
    for field, prop in sorted(node.get("properties", {}).items()):
        if field in required or (full and depth < 3):
            out[field] = sample_value(prop, field, full, depth)
    if schema == "Effect":
        out["effectType"] = "setDiscount"
        out["props"] = {"name": "10% off", "value": 12.5}
    return out


def query_sample(param: dict[str, Any]) -> tuple[Any, list[tuple[str, str]]]:
    """A Python value for a query parameter and the pairs it must become on the wire."""
    name, kind, fmt = param["name"], param["type"], param["format"]
    if kind == "boolean":
        return True, [(name, "true")]
    if kind == "integer":
        return 7, [(name, "7")]
    if fmt == "date-time":
        from datetime import datetime, timezone

        return datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc), [(name, "2026-01-02T03:04:05Z")]
    if kind == "array":
        items = (param["enum"] or ["a b", "c,d"])[:2] if param["items"] != "integer" else [1, 2]
        values = [str(v) for v in items]
        if param["explode"]:
            return items, [(name, v) for v in values]
        return items, [(name, ",".join(values))]
    value = param["enum"][0] if param["enum"] else "x/y z"
    return value, [(name, value)]
