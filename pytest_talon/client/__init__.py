"""Typed httpx clients for the Talon.One Integration API, sync and async."""

from pytest_talon.client._async import AsyncTalonClient
from pytest_talon.client._base import DEFAULT_TIMEOUT
from pytest_talon.client._sync import TalonClient

__all__ = ["DEFAULT_TIMEOUT", "AsyncTalonClient", "TalonClient"]
