"""The effect registry: every ``effectType`` the fake emits is registered once, where it is built.

- A declared effect (a :class:`~pytest_talon.fake.campaigns.effects.CampaignEffect` subclass, whose ``kind`` is its
  ``effectType``) is registered by :func:`effect` on its builder: the declaration, the builder, what the fake does
  and its known differences from the live API, in one decorator.
- An effect the engine emits on its own (coupon and referral verdicts, rollbacks, follow-ups such as
  ``changeLoyaltyTierLevel``) is documented by :func:`emitted` (at the end of :mod:`.effects`).

:data:`BUILDERS` and :data:`EFFECT_REGISTRY` are filled from those registrations;
:mod:`pytest_talon.fake.fidelity` renders :data:`EFFECT_REGISTRY` into ``docs/fidelity.md``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from pytest_talon.fake.campaigns.effects import CampaignEffect
from pytest_talon.fake.engine.context import Produced, RuleContext

__all__ = [
    "BUILDERS",
    "EFFECT_REGISTRY",
    "ROLLBACK",
    "RULE",
    "VERDICT",
    "WITH_CAMPAIGN",
    "EffectInfo",
    "build",
    "effect",
    "emitted",
]

#: How an effect comes about, the "Produced as" column of docs/fidelity.md.
RULE = "rule effect"
VERDICT = "coupon/referral verdict"
ROLLBACK = "rollback"


@dataclass(frozen=True)
class EffectInfo:
    """What the fake does for one ``effectType``: where it comes from, and differences from the live API."""

    source: str
    summary: str
    differences: str = ""


Builder = Callable[..., list[Produced]]
_B = TypeVar("_B", bound=Builder)

#: The builder of each declared effect class.
BUILDERS: dict[type[CampaignEffect], Builder] = {}
#: Declared effect classes whose builder also takes the id of the campaign firing it.
WITH_CAMPAIGN: set[type[CampaignEffect]] = set()
#: Every effectType the fake emits, with how and the known differences from the live API.
EFFECT_REGISTRY: dict[str, EffectInfo] = {}


def _document(effect_type: str, info: EffectInfo) -> None:
    if effect_type in EFFECT_REGISTRY:
        raise ValueError(f"effect type {effect_type!r} is registered twice")
    EFFECT_REGISTRY[effect_type] = info


def effect(
    declared: type[CampaignEffect], summary: str, differences: str = "", *, campaign_id: bool = False
) -> Callable[[_B], _B]:
    """Register the decorated function as the builder of ``declared`` (``builder(spec, ctx)``, or
    ``builder(spec, ctx, campaign_id)`` with ``campaign_id=True``) and document the ``effectType`` it emits
    (``declared.kind``): ``summary`` says what the fake does, ``differences`` what the live API does otherwise."""

    def register(builder: _B) -> _B:
        if declared in BUILDERS:
            raise ValueError(f"{declared.__name__} has a builder already")
        BUILDERS[declared] = builder
        if campaign_id:
            WITH_CAMPAIGN.add(declared)
        _document(declared.kind, EffectInfo(RULE, summary, differences))
        return builder

    return register


def emitted(effect_type: str, source: str, summary: str, differences: str = "") -> None:
    """Document an ``effectType`` the engine emits without a declaration of its own (``source``: :data:`RULE`,
    :data:`VERDICT` or :data:`ROLLBACK`)."""
    _document(effect_type, EffectInfo(source, summary, differences))


def build(spec: CampaignEffect, ctx: RuleContext, campaign_id: int) -> Any:
    """Run the registered builder of ``spec``."""
    builder = BUILDERS[type(spec)]
    if type(spec) in WITH_CAMPAIGN:
        return builder(spec, ctx, campaign_id)
    return builder(spec, ctx)
