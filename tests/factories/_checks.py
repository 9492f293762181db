"""Checks for factory output: the spec's constraints (from the digest) and the semantic rules of issue 5."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any
from uuid import UUID

from pydantic import BaseModel

from pytest_talon._time import parse_rfc3339

DIGEST: dict[str, Any] = json.loads((Path(__file__).parent.parent / "data" / "spec_digest.json").read_text())
SCHEMAS: dict[str, Any] = DIGEST["schemas"]
REQUEST_SCHEMAS: list[str] = DIGEST["requestSchemas"]

_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "array": (list,),
    "object": (dict,),
}


def spec_problems(value: Any, schema: dict[str, Any], where: str = "$") -> list[str]:
    """Return every way ``value`` breaks ``schema`` (the subset of JSON Schema the spec digest uses)."""
    if "$ref" in schema:
        return spec_problems(value, SCHEMAS[schema["$ref"].rsplit("/", 1)[-1]], where)
    if value is None:
        return [] if schema.get("nullable") else [f"{where}: null"]
    expected = _TYPES.get(schema.get("type", ""), (object,))
    if not isinstance(value, expected) or (isinstance(value, bool) and bool not in expected):
        return [f"{where}: {value!r} is not {schema.get('type')}"]
    problems = _scalar_problems(value, schema, where)
    if isinstance(value, list):
        problems += _array_problems(value, schema, where)
    if isinstance(value, dict):
        problems += _object_problems(value, schema, where)
    return problems


def _scalar_problems(value: Any, schema: dict[str, Any], where: str) -> list[str]:
    checks = [
        ("enum" in schema and value not in schema["enum"], "not in enum"),
        (isinstance(value, str) and len(value) < schema.get("minLength", 0), "too short"),
        (isinstance(value, str) and len(value) > schema.get("maxLength", 10**9), "too long"),
        (isinstance(value, str) and "pattern" in schema and not re.search(schema["pattern"], value), "bad pattern"),
        (_number(value) and value < schema.get("minimum", -(10**18)), "below minimum"),
        (_number(value) and value > schema.get("maximum", 10**18), "above maximum"),
        (isinstance(value, str) and not _format_ok(value, schema.get("format")), "bad format"),
    ]
    return [f"{where}: {value!r} {message}" for failed, message in checks if failed]


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _format_ok(value: str, fmt: str | None) -> bool:
    try:
        if fmt == "date-time":
            return parse_rfc3339(value).tzinfo is not None
        if fmt == "uuid":
            return str(UUID(value)) == value
    except ValueError:
        return False
    return True


def _array_problems(value: list[Any], schema: dict[str, Any], where: str) -> list[str]:
    problems = []
    if not schema.get("minItems", 0) <= len(value) <= schema.get("maxItems", 10**9):
        problems.append(f"{where}: {len(value)} items")
    if schema.get("uniqueItems") and len({json.dumps(v, sort_keys=True) for v in value}) != len(value):
        problems.append(f"{where}: duplicate items")
    for index, item in enumerate(value):
        problems += spec_problems(item, schema.get("items", {}), f"{where}[{index}]")
    return problems


def _object_problems(value: dict[str, Any], schema: dict[str, Any], where: str) -> list[str]:
    problems = [f"{where}: missing {name}" for name in schema.get("required", []) if name not in value]
    properties = schema.get("properties", {})
    extra = schema.get("additionalProperties")
    for key, item in value.items():
        if key in properties:
            if properties[key].get("readOnly"):
                problems.append(f"{where}.{key}: read-only field sent")
            problems += spec_problems(item, properties[key], f"{where}.{key}")
        elif isinstance(extra, dict):
            problems += spec_problems(item, extra, f"{where}.{key}")
        elif properties:
            problems.append(f"{where}.{key}: unknown property")
    return problems


# -- semantic rules ---------------------------------------------------------------------------------------


def semantic_problems(model: BaseModel) -> list[str]:
    """Return the issue-5 consistency rules ``model`` (and every model nested in it) breaks."""
    problems = list(_RULES.get(type(model).__name__, _no_rule)(model))
    for name in type(model).model_fields:
        problems += [f"{name}: {p}" for value in _children(getattr(model, name)) for p in semantic_problems(value)]
    return problems


def _children(value: Any) -> list[BaseModel]:
    if isinstance(value, BaseModel):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, BaseModel)]
    if isinstance(value, dict):
        return [v for v in value.values() if isinstance(v, BaseModel)]
    return []


def _no_rule(model: Any) -> list[str]:
    return []


def _cart_item(item: Any) -> list[str]:
    problems = [] if item.quantity >= 1 else ["quantity < 1"]
    if item.price is not None and (item.price < 0 or round(item.price, 2) != item.price):
        problems.append(f"price {item.price} is not a non-negative amount with two decimals")
    return problems


def _ordered(first: Any, second: Any, label: str) -> list[str]:
    return [f"{label} not ordered"] if first and second and not first < second else []


def _iso(value: str | None) -> datetime | None:
    return parse_rfc3339(value) if value else None


def _catalog_action(action: Any) -> list[str]:
    payload = action.payload
    problems = []
    if action.type in ("PATCH_MANY", "REMOVE_MANY") and not payload.get("filters"):
        problems.append("bulk action without filters would touch every item")
    for adjustment in payload.get("adjustments", []):
        problems += _ordered(_iso(adjustment.get("effectiveFrom")), _iso(adjustment.get("effectiveUntil")), "window")
    if "price" in payload and payload["price"] < 0:
        problems.append("negative price")
    return problems


def _sync(request: Any) -> list[str]:
    kinds = {action.type for action in request.actions}
    skus = [action.payload["sku"] for action in request.actions if "sku" in action.payload]
    problems = [] if len(kinds) == 1 else [f"several action types {kinds}"]
    return problems + ([] if len(skus) == len(set(skus)) else ["duplicate SKUs"])


def _legacy_session(session: Any) -> list[str]:
    total = round(sum((item.price or 0) * item.quantity for item in session.cart_items or []), 2)
    return [] if session.total is None or session.total == total else [f"total {session.total} != {total}"]


_RULES: dict[str, Any] = {
    "CartItem": _cart_item,
    "LegacyCartItem": _cart_item,
    "AdditionalCost": lambda m: [] if m.price >= 0 else ["negative additional cost"],
    "NewCustomerSessionV2": lambda m: [] if m.state in ("open", "closed", "cancelled") else [f"state {m.state}"],
    "NewCustomerSession": _legacy_session,
    "ReturnedCartItem": lambda m: [] if (m.quantity or 1) >= 1 and (m.position or 0) >= 0 else ["bad returned item"],
    "NewReturn": lambda m: (
        []
        if [i.position for i in m.returned_cart_items] == sorted({i.position for i in m.returned_cart_items})
        else ["returned positions repeat or are unordered"]
    ),
    "NewReferral": lambda m: _ordered(m.start_date, m.expiry_date, "referral validity"),
    "NewReferralsForMultipleAdvocates": lambda m: _ordered(m.start_date, m.expiry_date, "referral validity"),
    "PriceDetail": lambda m: _ordered(m.adjustment_effective_from, m.adjustment_effective_until, "adjustment"),
    "ActivateLoyaltyPoints": lambda m: (
        [] if (m.session_id is None) != (m.transaction_uui_ds is None) else ["sessionId XOR transactionUUIDs"]
    ),
    "DeleteLoyaltyTransactionsRequest": lambda m: (
        [] if (m.scope == "SelectedSubledgers") == bool(m.subledger_ids) else ["scope and subledgerIds disagree"]
    ),
    "BestPriorTarget": lambda m: (
        [] if (m.target_type == "AUDIENCE") == (m.audience_id is not None) else ["targetType and audienceID"]
    ),
    "ProfileAudiencesChanges": lambda m: [] if not set(m.adds) & set(m.deletes) else ["adds and deletes overlap"],
    "NewAudience": lambda m: [] if bool(m.integration) == bool(m.integration_id) else ["integration without id"],
    "CatalogAction": _catalog_action,
    "CatalogSyncRequest": _sync,
}
