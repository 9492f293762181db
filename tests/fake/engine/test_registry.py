"""The effect registry: each declared effect is registered once, with its builder and its docs line."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import pytest

from pytest_talon.fake import EFFECT_KINDS, CampaignEffect
from pytest_talon.fake.engine import effects, registry
from pytest_talon.fake.engine.registry import BUILDERS, EFFECT_REGISTRY


def test_every_declared_effect_has_a_builder_and_a_docs_line() -> None:
    assert effects.produce  # the builders are registered once the effects module is imported
    assert set(BUILDERS) == set(EFFECT_KINDS.values())
    for kind, declared in EFFECT_KINDS.items():
        assert declared.kind == kind
        assert EFFECT_REGISTRY[kind].source == registry.RULE
        assert EFFECT_REGISTRY[kind].summary


def test_the_builders_that_create_things_get_the_campaign_id() -> None:
    assert {c.kind for c in registry.WITH_CAMPAIGN} == {"couponCreated", "referralCreated", "triggerWebhook"}


def test_an_effect_type_is_registered_once() -> None:
    with pytest.raises(ValueError, match="registered twice"):
        registry.emitted("acceptCoupon", registry.VERDICT, "again")
    with pytest.raises(ValueError, match="has a builder already"):
        registry.effect(EFFECT_KINDS["setDiscount"], "again")(lambda spec, ctx: [])


def test_a_kind_is_declared_once() -> None:
    with pytest.raises(ValueError, match="declared twice"):

        @dataclass(frozen=True)
        class Again(CampaignEffect):
            kind: ClassVar[str] = "setDiscount"

    assert EFFECT_KINDS["setDiscount"].__name__ == "SetDiscount"
