"""Coupon and referral outcomes: ``assert_coupon_accepted`` / ``_rejected`` and ``assert_referral_accepted`` /
``_rejected``, with the rejection reason checked against the spec's enums (§4.3, §4.4)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pytest_talon._assertions.compare import check_choice
from pytest_talon._assertions.effects import describe_effect, fail, to_model
from pytest_talon._assertions.explain import explained
from pytest_talon._assertions.normalize import Wire, effects_of
from pytest_talon._assertions.render import closest, found_among
from pytest_talon._assertions.spec import EffectSpec
from pytest_talon.models import Effect

__all__ = [
    "COUPON_REJECTION_REASONS",
    "REFERRAL_REJECTION_REASONS",
    "assert_coupon_accepted",
    "assert_coupon_rejected",
    "assert_referral_accepted",
    "assert_referral_rejected",
]

__tracebackhide__ = True

#: ``rejectionReason`` values of ``rejectCoupon`` (the spec's enum plus the legacy ``CouponLimitReached``).
COUPON_REJECTION_REASONS: tuple[str, ...] = (
    "CampaignLimitReached",
    "CouponExpired",
    "CouponLimitReached",
    "CouponNotFound",
    "CouponPartOfNotRunningCampaign",
    "CouponPartOfNotTriggeredCampaign",
    "CouponRecipientDoesNotMatch",
    "CouponRejectedByCondition",
    "CouponReservationRequired",
    "CouponStartDateInFuture",
    "EffectCouldNotBeApplied",
    "ProfileLimitReached",
    "ProfileRequired",
)

#: ``rejectionReason`` values of ``rejectReferral`` (the spec's enum plus two reasons named only in the docs).
REFERRAL_REJECTION_REASONS: tuple[str, ...] = (
    "AdvocateNotFound",
    "CampaignLimitReached",
    "EffectCouldNotBeApplied",
    "ProfileLimitReached",
    "ReferralCustomerAlreadyReferred",
    "ReferralExpired",
    "ReferralLimitReached",
    "ReferralNotFound",
    "ReferralPartOfNotRunningCampaign",
    "ReferralPartOfNotTriggeredCampaign",
    "ReferralRecipientDoesNotMatch",
    "ReferralRecipientIdSameAsAdvocate",
    "ReferralRejectedByCondition",
    "ReferralStartDateInFuture",
)


@dataclass(frozen=True)
class _Kind:
    noun: str
    accept: str
    reject: str
    reasons: tuple[str, ...]


_COUPON = _Kind("coupon", "acceptCoupon", "rejectCoupon", COUPON_REJECTION_REASONS)
_REFERRAL = _Kind("referral", "acceptReferral", "rejectReferral", REFERRAL_REJECTION_REASONS)


def _mentions(effects: Sequence[Wire], effect_type: str, code: str) -> list[int]:
    return [
        i
        for i, effect in enumerate(effects)
        if effect.get("effectType") == effect_type and (effect.get("props") or {}).get("value") == code
    ]


def _rejections(effects: Sequence[Wire], indices: Sequence[int]) -> str:
    return ", ".join(f"{effects[i]['props'].get('rejectionReason')} in {describe_effect(effects, i)}" for i in indices)


def _acceptances(effects: Sequence[Wire], indices: Sequence[int]) -> str:
    return ", ".join(describe_effect(effects, i) for i in indices)


def _accepted(kind: _Kind, state: object, code: str, fields: dict[str, Any]) -> Effect:
    spec = EffectSpec(kind.accept, value=code, **fields)
    effects = effects_of(state)
    for effect in effects:
        if spec.matches(effect):
            return to_model(effect)
    rejected, accepted = _mentions(effects, kind.reject, code), _mentions(effects, kind.accept, code)
    if rejected:
        why = f"it was rejected: {_rejections(effects, rejected)}"
    elif accepted:
        why = f"it was accepted, but with other fields: {_acceptances(effects, accepted)}"
    else:
        why = f"no {kind.accept} or {kind.reject} effect names it"
    head = f"expected {kind.noun} {code!r} to be accepted; {why}"
    raise fail(head, found_among(effects, spec.prop_names), closest(spec, effects))


def _rejected(kind: _Kind, state: object, code: str, reason: str | None, fields: dict[str, Any]) -> Effect:
    if reason is not None:
        check_choice(f"{kind.noun} rejection reason", reason, kind.reasons)
        fields = {"rejectionReason": reason, **fields}
    spec = EffectSpec(kind.reject, value=code, **fields)
    effects = effects_of(state)
    for effect in effects:
        if spec.matches(effect):
            return to_model(effect)
    rejected, accepted = _mentions(effects, kind.reject, code), _mentions(effects, kind.accept, code)
    if accepted:
        why = f"it was accepted: {_acceptances(effects, accepted)}"
    elif rejected:
        why = f"it was rejected with {_rejections(effects, rejected)}"
    else:
        why = f"no {kind.accept} or {kind.reject} effect names it"
    wanted = f" with {reason}" if reason else ""
    head = f"expected {kind.noun} {code!r} to be rejected{wanted}; {why}"
    raise fail(head, found_among(effects, spec.prop_names), closest(spec, effects))


@explained
def assert_coupon_accepted(state: object, code: str, /, **fields: Any) -> Effect:
    """Assert an ``acceptCoupon`` effect for ``code`` (plus optional fields such as ``campaign_id``); returns it."""
    return _accepted(_COUPON, state, code, fields)


@explained
def assert_coupon_rejected(state: object, code: str, /, reason: str | None = None, **fields: Any) -> Effect:
    """Assert a ``rejectCoupon`` effect for ``code``, with ``reason`` as its ``rejectionReason`` if given."""
    return _rejected(_COUPON, state, code, reason, fields)


@explained
def assert_referral_accepted(state: object, code: str, /, **fields: Any) -> Effect:
    """Assert an ``acceptReferral`` effect for the referral ``code``; returns it."""
    return _accepted(_REFERRAL, state, code, fields)


@explained
def assert_referral_rejected(state: object, code: str, /, reason: str | None = None, **fields: Any) -> Effect:
    """Assert a ``rejectReferral`` effect for ``code``, with ``reason`` as its ``rejectionReason`` if given."""
    return _rejected(_REFERRAL, state, code, reason, fields)
