"""Shared helpers for pytest-talon's own test suite."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

pytest_plugins = ["pytester"]

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def spec_digest() -> dict[str, Any]:
    """The facts of the Integration API spec (paths, parameters, schemas), without its prose."""
    digest: dict[str, Any] = json.loads((DATA / "spec_digest.json").read_text())
    return digest
