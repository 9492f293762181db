"""Best prior price: a price history declared by the test, and what ``bestPriorPrice`` finds in it.

For each SKU the window is ``timeframe`` days ending at ``timeframeEndDate`` (``strict``), where the current
price started (``price``) or where the current ``contextId`` started (``sale``). The answer is the lowest price
observed in the window, counting the price in force when the window opened (INF).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from pytest_talon import models
from pytest_talon.fake.errors import FakeSetupError
from pytest_talon.fake.state.application import Application

__all__ = ["PricePoint", "best_prior_prices", "seed_price"]


@dataclass
class PricePoint:
    """One observed price of a SKU, optionally for one audience, with the campaigns that discounted it."""

    id: int
    sku: str
    price: float
    observed_at: datetime
    context_id: str = ""
    audience_id: int | None = None
    influencing_campaigns: dict[int, float] = field(default_factory=dict)
    adjustment: dict[str, Any] | None = None


def seed_price(
    app: Application,
    sku: str,
    price: float,
    observed_at: datetime,
    *,
    context_id: str = "",
    audience_id: int | None = None,
    influencing_campaigns: dict[int, float] | None = None,
    adjustment: dict[str, Any] | None = None,
) -> PricePoint:
    """Store one price observation; raises :class:`FakeSetupError` for a naive date or a negative price."""
    if not isinstance(observed_at, datetime) or observed_at.tzinfo is None:
        raise FakeSetupError(f"add_price_history: observed_at must be an aware datetime, got {observed_at!r}")
    if price < 0:
        raise FakeSetupError(f"add_price_history: price must not be negative, got {price}")
    point = PricePoint(
        id=app.next_id("price"),
        sku=sku,
        price=float(price),
        observed_at=observed_at,
        context_id=context_id,
        audience_id=audience_id,
        influencing_campaigns={int(k): float(v) for k, v in (influencing_campaigns or {}).items()},
        adjustment=adjustment,
    )
    app.price_history.append(point)
    return point


def _run_start(points: list[PricePoint], same: Any) -> datetime:
    start = points[-1]
    for point in reversed(points):
        if same(point) != same(points[-1]):
            break
        start = point
    return start.observed_at


def _best(points: list[PricePoint], body: models.BestPriorPriceRequest, days: int) -> PricePoint | None:
    # API 26.2 replaced timeframeEndDateType with strictEndDate (true: the end date counts, as "strict").
    kind = body.timeframe_end_date_type or ("strict" if body.strict_end_date else None)
    if kind == "price":
        end = _run_start(points, lambda p: p.price)
    elif kind == "sale":
        end = _run_start(points, lambda p: p.context_id)
    else:
        end = body.timeframe_end_date
    start = end - timedelta(days=days)
    window = [p for p in points if start <= p.observed_at < end or (kind == "strict" and p.observed_at == end)]
    before = [p for p in points if p.observed_at < start]
    if before:
        window.append(before[-1])
    return min(window, key=lambda p: (p.price, -p.observed_at.timestamp())) if window else None


def best_prior_prices(
    app: Application, body: models.BestPriorPriceRequest, days: int, audience: int | None
) -> list[PricePoint]:
    """The lowest prior price of each requested SKU in the window (SKUs without history are left out)."""
    out = []
    for sku in dict.fromkeys(body.skus):
        points = sorted(
            (
                p
                for p in app.price_history
                if p.sku == sku and p.audience_id == audience and p.observed_at <= body.timeframe_end_date
            ),
            key=lambda p: p.observed_at,
        )
        best = _best(points, body, days) if points else None
        if best is not None:
            out.append(best)
    return out
