"""The error raised when a factory cannot build what it was asked for."""

from __future__ import annotations

from pytest_talon.errors import TalonError

__all__ = ["FactoryError"]


class FactoryError(TalonError, ValueError):
    """A factory was misused: an unknown field or trait, an invalid override, or a missing optional package."""
