"""Fields that decide what the answer contains or what the API does are fixed by default, varied by traits."""

from __future__ import annotations

from typing import Any

import pytest

from pytest_talon.factories import (
    BestPriorPriceRequestFactory,
    CatalogSyncRequestFactory,
    CustomerProfileAudienceRequestItemFactory,
    CustomerProfileIntegrationRequestV2Factory,
    GenerateLoyaltyCardFactory,
    IntegrationEventV2RequestFactory,
    IntegrationRequestFactory,
    NewAudienceFactory,
    NewReferralFactory,
    ReturnIntegrationRequestFactory,
    use_seed,
)

SEEDS = range(40)


def wire_over_seeds(factory: Any, path: tuple[str, ...], **overrides: Any) -> list[Any]:
    values = []
    for seed in SEEDS:
        with use_seed(seed):
            value: Any = factory.build_dict(**overrides)
        for key in path:
            value = value.get(key) if isinstance(value, dict) else None
        values.append(value)
    return values


@pytest.mark.parametrize(
    ("factory", "path", "expected"),
    [
        (IntegrationRequestFactory, ("responseContent",), ["customerSession", "customerProfile"]),
        (IntegrationRequestFactory, ("customerSession", "state"), "open"),
        (IntegrationRequestFactory, ("customerSession", "storeIntegrationId"), None),
        (IntegrationRequestFactory, ("customerSession", "additionalCosts"), None),
        (ReturnIntegrationRequestFactory, ("responseContent",), ["customerSession", "customerProfile"]),
        (IntegrationEventV2RequestFactory, ("responseContent",), ["customerProfile", "triggeredCampaigns"]),
        (CustomerProfileIntegrationRequestV2Factory, ("responseContent",), ["customerProfile"]),
        (CustomerProfileAudienceRequestItemFactory, ("action",), "add"),
        (NewAudienceFactory, ("integration",), None),
        (NewReferralFactory, ("expiryDate",), None),
        (CatalogSyncRequestFactory, ("version",), None),
        (BestPriorPriceRequestFactory, ("timeframeEndDateType",), "strict"),
        (GenerateLoyaltyCardFactory, ("status",), "active"),
    ],
)
def test_behaviour_deciding_fields_are_the_same_for_every_seed(
    factory: Any, path: tuple[str, ...], expected: Any
) -> None:
    assert wire_over_seeds(factory, path) == [expected] * len(SEEDS)


def test_a_trait_varies_the_response_content() -> None:
    varied = wire_over_seeds(IntegrationRequestFactory, ("responseContent",), traits=["random_response"])
    assert len({tuple(value) for value in varied}) > 1
    full = IntegrationRequestFactory.build_dict(traits=["full_response"])["responseContent"]
    assert {"customerSession", "customerProfile", "coupons", "loyalty"} <= set(full)
