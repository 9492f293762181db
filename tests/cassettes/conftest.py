"""Fixtures for the cassette tests: a loopback server and a cassette path."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cassettes._loopback import LoopbackServer


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    """A running loopback server, stopped after the test."""
    instance = LoopbackServer()
    instance.start()
    yield instance
    instance.stop()


@pytest.fixture
def cassette_file(tmp_path: Path) -> Path:
    """Where the test's cassette goes."""
    return tmp_path / "cassettes" / "test_module" / "test_case.yaml"
