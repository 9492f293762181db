"""Assertion helpers that read like business rules: effects, coupons, referrals, totals, session states, errors.

Every helper accepts our response models, the official SDK's models, plain dicts of wire JSON (what ``resp.json()``
returns in any client), the answers of httpx, requests and aiohttp (a ``ClientResponse`` once its body was read) and
``talon_requests`` entries in every mode; it raises :class:`TalonAssertionError` with the expected value, a table
of the effects that came back and the closest candidate. Floats compare with ``rel_tol=abs_tol=1e-9``, money as
exact decimals.
"""

from __future__ import annotations

from pytest_talon._assertions.codes import (
    COUPON_REJECTION_REASONS,
    REFERRAL_REJECTION_REASONS,
    assert_coupon_accepted,
    assert_coupon_rejected,
    assert_referral_accepted,
    assert_referral_rejected,
)
from pytest_talon._assertions.compare import ABS_TOL, REL_TOL
from pytest_talon._assertions.effects import assert_effect, assert_effects, assert_no_effect
from pytest_talon._assertions.errors import AssertionUsageError, TalonAssertionError, get_verbosity, set_verbosity
from pytest_talon._assertions.responses import SESSION_STATES, assert_error, assert_session_state, assert_status
from pytest_talon._assertions.spec import EffectSpec
from pytest_talon._assertions.totals import (
    DISCOUNT_EFFECT_TYPES,
    ROLLBACK_EFFECT_TYPES,
    assert_discount_total,
    assert_loyalty_points,
    assert_rolled_back,
)

__all__ = [
    "ABS_TOL",
    "COUPON_REJECTION_REASONS",
    "DISCOUNT_EFFECT_TYPES",
    "REFERRAL_REJECTION_REASONS",
    "REL_TOL",
    "ROLLBACK_EFFECT_TYPES",
    "SESSION_STATES",
    "AssertionUsageError",
    "EffectSpec",
    "TalonAssertionError",
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
    "get_verbosity",
    "set_verbosity",
]
