"""pytest-talon: test Talon.One Integration API integrations without a live deployment."""

from pytest_talon.client import AsyncTalonClient, TalonClient
from pytest_talon.errors import TalonAPIError, TalonError, TalonRequestError

__all__ = [
    "AsyncTalonClient",
    "TalonAPIError",
    "TalonClient",
    "TalonError",
    "TalonRequestError",
]
