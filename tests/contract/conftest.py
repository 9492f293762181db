"""The contract suite runs against the fake (fake mode) or its recorded cassettes (replay mode)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pytest_talon._plugin.settings import Settings

APPLICATION = Path(__file__).with_name("contract.yaml")


@pytest.fixture(autouse=True)
def _application(request: pytest.FixtureRequest, talon_settings: Settings) -> None:
    """In fake mode, load the contract Application into the test's fake."""
    if talon_settings.mode == "fake":
        request.getfixturevalue("talon_fake").load_campaigns(APPLICATION)
