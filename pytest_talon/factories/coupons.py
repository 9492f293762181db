"""Factories for coupon reservations and referrals."""

from __future__ import annotations

from typing import ClassVar

from pytest_talon.factories._core import Factory, Traits
from pytest_talon.factories._fields import Use
from pytest_talon.factories._helpers import after, before, distinct
from pytest_talon.models import CouponReservations, NewReferral, NewReferralsForMultipleAdvocates

__all__ = ["CouponReservationsFactory", "NewReferralFactory", "NewReferralsForMultipleAdvocatesFactory"]

_CODE_CHARACTERS = tuple("ABCDEFGHJKLMNPQRSTUVWXYZ23456789")


class CouponReservationsFactory(Factory[CouponReservations]):
    """The body of ``create_coupon_reservation`` / ``delete_coupon_reservation``: 1-3 distinct profile IDs."""

    __model__ = CouponReservations
    integration_i_ds = Use(lambda g, d: distinct(g, g.talon.profile_integration_id, 1, 3))


class NewReferralFactory(Factory[NewReferral]):
    """The body of ``create_referral``: a campaign and an advocate (validity and limits left to the campaign).

    Traits: ``with_friend``, ``unlimited`` (``usageLimit`` 0), ``limited`` (``usageLimit`` 1-10), ``scheduled``
    (validity window set, ``startDate`` < ``expiryDate``).
    """

    __model__ = NewReferral
    __traits__: ClassVar[Traits] = {
        "with_friend": {"friend_profile_integration_id": Use(lambda g, d: g.talon.profile_integration_id())},
        "unlimited": {"usage_limit": 0},
        "limited": {"usage_limit": Use(lambda g, d: g.random.randint(1, 10))},
        "scheduled": {
            "start_date": Use(before("expiry_date", 0, 30)),
            "expiry_date": Use(after("start_date", 30, 365)),
        },
    }
    campaign_id = Use(lambda g, d: g.talon.talon_id())
    advocate_profile_integration_id = Use(lambda g, d: g.talon.profile_integration_id())


class NewReferralsForMultipleAdvocatesFactory(Factory[NewReferralsForMultipleAdvocates]):
    """The body of ``create_referrals_for_multiple_advocates``: 1-3 distinct advocates, one use per code.

    Traits: ``scheduled`` (ordered validity dates), ``with_pattern`` (a code pattern of 3-100 characters, ``#`` =
    random character, with its character set).
    """

    __model__ = NewReferralsForMultipleAdvocates
    __traits__: ClassVar[Traits] = {
        "scheduled": {
            "start_date": Use(before("expiry_date", 0, 30)),
            "expiry_date": Use(after("start_date", 30, 365)),
        },
        "with_pattern": {
            "referral_pattern": Use(lambda g, d: "REF-" + "#" * g.random.randint(4, 8)),
            "valid_characters": Use(lambda g, d: list(_CODE_CHARACTERS)),
        },
    }
    campaign_id = Use(lambda g, d: g.talon.talon_id())
    advocate_profile_integration_ids = Use(lambda g, d: distinct(g, g.talon.profile_integration_id, 1, 3))
    usage_limit = 1
