"""pytest-talon: test Talon.One Integration API integrations without a live deployment.

The names below are the public API. The heavier layers (the clients, the fake, the assertion helpers, the
factories, the models) are imported on first use, so that loading the plugin stays cheap and the assertion
helpers are imported only after the plugin registered them for pytest's assertion rewriting.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from pytest_talon.errors import TalonAPIError, TalonError, TalonRequestError

if TYPE_CHECKING:
    from pytest_talon import factories, models
    from pytest_talon.assertions import *  # noqa: F403 - the assert_* names of __all__, loaded lazily below
    from pytest_talon.client import AsyncTalonClient, TalonClient
    from pytest_talon.fake import FakeClock, FakeTalon

_LAZY_MODULES = {"factories": "pytest_talon.factories", "models": "pytest_talon.models"}

__all__ = [
    "AsyncTalonClient",
    "FakeClock",
    "FakeTalon",
    "TalonAPIError",
    "TalonClient",
    "TalonError",
    "TalonRequestError",
    "assert_coupon_accepted",
    "assert_coupon_rejected",
    "assert_discount_total",
    "assert_effect",
    "assert_effects",
    "assert_error",
    "assert_loyalty_points",
    "assert_no_effect",
    "assert_referral_accepted",
    "assert_referral_rejected",
    "assert_rolled_back",
    "assert_session_state",
    "assert_status",
    "factories",
    "models",
]


#: Names imported on first use, by module: the clients, the fake's, and every ``assert_*`` name of ``__all__`` (the
#: helpers of :mod:`pytest_talon.assertions`, imported only after the plugin registered them for assertion rewriting).
_LAZY = {
    "AsyncTalonClient": "pytest_talon.client",
    "FakeClock": "pytest_talon.fake",
    "FakeTalon": "pytest_talon.fake",
    "TalonClient": "pytest_talon.client",
} | {name: "pytest_talon.assertions" for name in __all__ if name.startswith("assert_")}


def __getattr__(name: str) -> Any:
    if name in _LAZY_MODULES:
        return importlib.import_module(_LAZY_MODULES[name])
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'pytest_talon' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
