"""The ``syncCatalog`` handler over :mod:`pytest_talon.fake.backend.catalogs`."""

from __future__ import annotations

from pytest_talon.fake.api.calls import OperationCall, Reply, route
from pytest_talon.fake.api.paging import path_int
from pytest_talon.fake.backend import catalogs
from pytest_talon.fake.state.application import Application

__all__ = ["sync_catalog"]


@route(
    "syncCatalog",
    notes=(
        "All or nothing; a stale `version`, ADD of an existing SKU without `replaceIfExists`, PATCH/REMOVE of"
        " a missing SKU answer 400 (INF); price adjustments are stored, not evaluated; filters may also use "
        "`sku` and `price`."
    ),
)
def sync_catalog(app: Application, call: OperationCall) -> Reply:
    """Apply the actions all or nothing and answer the catalog at its new version."""
    rec = catalogs.sync_catalog(app, path_int(call, "catalogId", "catalog"), call.body)
    return Reply(200, catalogs.catalog_model(app, rec))
