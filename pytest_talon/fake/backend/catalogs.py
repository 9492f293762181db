"""Cart item catalogs: records, the setup helper and what ``syncCatalog`` does.

A sync applies its actions (one action type per request, unique SKUs, at most 1000) all or nothing, then bumps
the catalog's version. Cart items whose SKU is in a catalog are evaluated with the catalog item's attributes
(the cart item's own attributes win, see
:func:`~pytest_talon.fake.engine.conditions.with_catalog_attributes`), so ``itemAttribute`` conditions can use them.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pytest_talon import models
from pytest_talon.fake.errors import BadRequest, FakeSetupError, NotFound
from pytest_talon.fake.state.application import Application

__all__ = ["CatalogRecord", "catalog_model", "seed_catalog", "sync_catalog"]

_NUMERIC_OPS = {"LT": float.__lt__, "LE": float.__le__, "GT": float.__gt__, "GE": float.__ge__}


@dataclass
class CatalogRecord:
    """A catalog: its items by SKU (``{"sku", "price", "attributes", "product"}``) and its version."""

    id: int
    name: str
    created: datetime
    modified: datetime
    description: str = ""
    version: int = 1
    items: dict[str, dict[str, Any]] = field(default_factory=dict)


def catalog_model(app: Application, rec: CatalogRecord) -> models.Catalog:
    """A catalog as ``Catalog``."""
    return models.Catalog(
        id=rec.id,
        created=rec.created,
        account_id=app.account_id,
        modified=rec.modified,
        name=rec.name,
        description=rec.description,
        version=rec.version,
        created_by=1,
        subscribed_applications_ids=[app.application_id],
    )


def seed_catalog(
    app: Application,
    id: int,
    name: str = "",
    *,
    items: Sequence[dict[str, Any]] = (),
    description: str = "",
) -> CatalogRecord:
    """Store a catalog declared by a test with its items (``sku``, ``price``, ``attributes``, ``product``)."""
    if id in app.catalogs:
        raise FakeSetupError(f"add_catalog: catalog {id} already exists")
    now = app.now()
    rec = CatalogRecord(id=id, name=name or f"catalog-{id}", created=now, modified=now, description=description)
    for item in items:
        if not isinstance(item, dict) or not item.get("sku"):
            raise FakeSetupError(f"add_catalog: every item needs a sku, got {item!r}")
        rec.items[str(item["sku"])] = _item(item)
    app.catalogs[id] = rec
    return rec


def _item(payload: dict[str, Any], old: dict[str, Any] | None = None) -> dict[str, Any]:
    price = payload.get("price", (old or {}).get("price"))
    attributes = {**((old or {}).get("attributes") or {}), **(payload.get("attributes") or {})}
    return {"sku": str(payload["sku"]), "price": price, "attributes": attributes, "product": payload.get("product")}


def sync_catalog(app: Application, catalog_id: int, body: models.CatalogSyncRequest) -> CatalogRecord:
    """Apply the actions to a copy of the items, then store them and bump the version (400 leaves it untouched)."""
    rec: CatalogRecord | None = app.catalogs.get(catalog_id)
    if rec is None:
        raise NotFound(f"catalog {catalog_id} not found; declare it with fake.add_catalog()")
    if body.version is not None and body.version != rec.version:
        raise BadRequest(f"catalog {catalog_id} is at version {rec.version}, not {body.version}", pointer="/version")
    _check_actions(body.actions)
    items = copy.deepcopy(rec.items)
    for index, action in enumerate(body.actions):
        _APPLY[action.type](items, action.payload, f"/actions/{index}/payload")
    rec.items, rec.version, rec.modified = items, rec.version + 1, app.now()
    return rec


def _check_actions(actions: list[models.CatalogAction]) -> None:
    kinds = {a.type for a in actions}
    if len(kinds) > 1:
        raise BadRequest(f"one action type per request, got {sorted(kinds)}", pointer="/actions")
    seen: set[str] = set()
    for index, action in enumerate(actions):
        sku = action.payload.get("sku")
        if action.type in ("PATCH_MANY", "REMOVE_MANY"):
            continue
        if not isinstance(sku, str) or not sku:
            raise BadRequest(f"{action.type} needs a sku", pointer=f"/actions/{index}/payload/sku")
        if sku in seen:
            raise BadRequest(f"sku {sku!r} appears twice in one request", pointer=f"/actions/{index}/payload/sku")
        seen.add(sku)


def _add(items: dict[str, dict[str, Any]], payload: dict[str, Any], where: str) -> None:
    sku = payload["sku"]
    if sku in items and not payload.get("replaceIfExists", False):
        raise BadRequest(f"sku {sku!r} already exists; set replaceIfExists to replace it", pointer=f"{where}/sku")
    old = items.get(sku)
    items[sku] = {**_item(payload, old), "attributes": dict(payload.get("attributes") or {})}


def _patch(items: dict[str, dict[str, Any]], payload: dict[str, Any], where: str) -> None:
    sku = payload["sku"]
    if sku not in items and not payload.get("createIfNotExists", False):
        raise BadRequest(f"sku {sku!r} does not exist; set createIfNotExists to create it", pointer=f"{where}/sku")
    items[sku] = _item(payload, items.get(sku))


def _remove(items: dict[str, dict[str, Any]], payload: dict[str, Any], where: str) -> None:
    if payload["sku"] not in items:
        raise BadRequest(f"sku {payload['sku']!r} does not exist in the catalog", pointer=f"{where}/sku")
    del items[payload["sku"]]


def _patch_many(items: dict[str, dict[str, Any]], payload: dict[str, Any], where: str) -> None:
    for sku in _matching(items, payload.get("filters") or [], where):
        items[sku] = _item(
            {"sku": sku, **{k: v for k, v in payload.items() if k in ("price", "attributes")}}, items[sku]
        )


def _remove_many(items: dict[str, dict[str, Any]], payload: dict[str, Any], where: str) -> None:
    for sku in _matching(items, payload.get("filters") or [], where):
        del items[sku]


def _adjust(items: dict[str, dict[str, Any]], payload: dict[str, Any], where: str) -> None:
    if payload["sku"] not in items:
        raise BadRequest(f"sku {payload['sku']!r} does not exist in the catalog", pointer=f"{where}/sku")
    adjustments = items[payload["sku"]].setdefault("adjustments", {})
    for adjustment in payload.get("adjustments") or []:
        adjustments[str(adjustment.get("referenceId"))] = adjustment


_APPLY = {
    "ADD": _add,
    "PATCH": _patch,
    "REMOVE": _remove,
    "PATCH_MANY": _patch_many,
    "REMOVE_MANY": _remove_many,
    "ADD_PRICE_ADJUSTMENT": _adjust,
}


def _matching(items: dict[str, dict[str, Any]], filters: list[Any], where: str) -> list[str]:
    checks = [_filter(f, f"{where}/filters/{i}") for i, f in enumerate(filters)]
    return [sku for sku, item in items.items() if all(check(item) for check in checks)]


def _filter(raw: Any, where: str) -> Any:
    if not isinstance(raw, dict) or not {"attr", "op", "value"} <= set(raw):
        raise BadRequest("a filter needs attr, op and value", pointer=where)
    attr, op, value = raw["attr"], raw["op"], raw["value"]
    if op not in ("EQ", "IN", *_NUMERIC_OPS):
        raise BadRequest(f"op {op!r} is not one of EQ, LT, LE, GT, GE, IN", pointer=f"{where}/op")
    if op in _NUMERIC_OPS and not _is_number(value):
        raise BadRequest(f"op {op} applies to numbers only, got {value!r}", pointer=f"{where}/value")

    def check(item: dict[str, Any]) -> bool:
        actual = item.get(attr) if attr in ("sku", "price") else item["attributes"].get(attr)
        if op == "EQ":
            return str(actual) == str(value) if not _is_number(value) else _num_eq(actual, value)
        if op == "IN":
            return str(actual) in [v.strip() for v in str(value).split(",")]
        return _is_number(actual) and bool(_NUMERIC_OPS[op](float(actual or 0), float(value)))

    return check


def _is_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True


def _num_eq(actual: Any, value: Any) -> bool:
    return _is_number(actual) and float(actual) == float(value)
