"""The pytest plugin: loaded with ``pytest -p talon``. Options, markers and fixtures live here; logic lives in
the library modules."""

from __future__ import annotations

import pytest

__all__ = ["pytest_addoption"]


def pytest_addoption(parser: pytest.Parser) -> None:
    """Register the ``talon`` option group."""
    group = parser.getgroup("talon", "Talon.One Integration API testing (pytest-talon)")
    group.addoption(
        "--talon-mode",
        action="store",
        dest="talon_mode",
        default=None,
        choices=("fake", "replay", "record", "live"),
        help="where Talon.One requests go: fake (default), replay, record or live.",
    )
    parser.addini("talon_mode", "default for --talon-mode", default="fake")
