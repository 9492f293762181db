"""The example's fixtures: the services under test, each on the Talon.One endpoint pytest-talon provides.

No mode switching here: ``talon_endpoint`` and ``talon_sdk`` reach the test's fake (fake mode), its cassette
(replay and record modes) or the deployment (live mode) on their own.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from checkout import Checkout
from loyalty_desk import LoyaltyDesk


@pytest.fixture
def checkout(talon_endpoint) -> Iterator[Checkout]:  # type: ignore[no-untyped-def]
    """The httpx-based checkout service, pointed at the test's Talon.One endpoint."""
    service = Checkout(talon_endpoint.base_url, talon_endpoint.api_key)
    yield service
    service.close_client()


@pytest.fixture
def desk(talon_sdk) -> LoyaltyDesk:  # type: ignore[no-untyped-def]
    """The SDK-based loyalty desk, on the official SDK configured for the test's endpoint."""
    return LoyaltyDesk(talon_sdk)
