"""Wire the example service to whatever the mode provides: the fake, a cassette or the deployment."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from checkout import Checkout


@pytest.fixture
def checkout(talon_endpoint) -> Iterator[Checkout]:  # type: ignore[no-untyped-def]
    """The service under test, pointed at the Talon.One endpoint of the current mode."""
    service = Checkout(talon_endpoint.base_url, talon_endpoint.api_key)
    yield service
    service.close_client()
