"""The ``bestPriorPrice`` handler over :mod:`pytest_talon.fake.backend.pricing`."""

from __future__ import annotations

from typing import Any

from pytest_talon import models
from pytest_talon.fake.api.calls import OperationCall, Reply, route
from pytest_talon.fake.backend import pricing
from pytest_talon.fake.backend.pricing import PricePoint
from pytest_talon.fake.errors import BadRequest
from pytest_talon.fake.state.application import Application

__all__ = ["best_prior_price"]


def _days(raw: str) -> int:
    try:
        days = int(raw)
    except ValueError:
        raise BadRequest(
            f"timeframe must be a whole number of days as a string, got {raw!r}", pointer="/timeframe"
        ) from None
    if days < 1:
        raise BadRequest(f"timeframe must be at least 1 day, got {days}", pointer="/timeframe")
    return days


def _model(point: PricePoint, target: dict[str, Any]) -> models.BestPriorPrice:
    details = [
        models.InfluencingCampaignDetails(campaign_id=c, discount_value=v)
        for c, v in point.influencing_campaigns.items()
    ]
    adjustment = models.AdjustmentDetails(**point.adjustment) if point.adjustment else None
    return models.BestPriorPrice(
        id=point.id,
        sku=point.sku,
        observed_at=point.observed_at,
        context_id=point.context_id,
        price=point.price,
        target=target,
        metadata=models.BestPriorPriceMetadata(influencing_campaign_details=details, adjustment_details=adjustment),
    )


@route(
    "bestPriorPrice",
    notes=(
        "The lowest price in the window, counting the price in force when it opened (INF); SKUs without "
        "history are left out. API 26.2's `strictEndDate` is accepted (see the later versions section)."
    ),
)
def best_prior_price(app: Application, call: OperationCall) -> Reply:
    """The lowest prior price of each requested SKU (SKUs without history are left out)."""
    body: models.BestPriorPriceRequest = call.body
    days = _days(body.timeframe)
    audience: int | None = None
    target: dict[str, Any] = {"targetType": "NONE"}
    if body.target is not None and body.target.target_type == "AUDIENCE":
        if body.target.audience_id is None:
            raise BadRequest("targetType AUDIENCE needs audienceID", pointer="/target/audienceID")
        audience = body.target.audience_id
        target = {"targetType": "AUDIENCE", "audienceID": audience}
    return Reply(200, [_model(p, target) for p in pricing.best_prior_prices(app, body, days, audience)])
