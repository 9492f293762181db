"""The Talon.One Faker provider draws well-formed values."""

from __future__ import annotations

import re

import pytest

from pytest_talon.factories import GenContext, current_faker, new_context


@pytest.fixture
def ctx() -> GenContext:
    return new_context(3)


def test_codes_and_ids_have_their_documented_shapes(ctx: GenContext) -> None:
    talon = ctx.talon
    for _ in range(200):
        assert re.fullmatch(r"[A-Z0-9]+-[A-Z2-9]{4,8}", talon.coupon_code())
        assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", talon.referral_code())
        assert re.fullmatch(r"SKU-[A-Z]{3}-\d{6}", talon.sku())
        assert re.fullmatch(r"cust-[0-9a-f]{12}", talon.profile_integration_id())
        assert re.fullmatch(r"store-[a-z]+-\d{3}", talon.store_integration_id())
        assert re.fullmatch(r"[A-Za-z0-9._%+@-]{4,108}", talon.loyalty_card_identifier())
        assert re.fullmatch(r"[0-9a-f]{64}", talon.hashed_identifier())


def test_amounts_have_two_decimals_within_bounds(ctx: GenContext) -> None:
    for _ in range(500):
        amount = ctx.talon.amount(0.5, 3.0)
        assert 0.5 <= amount <= 3.0
        assert amount == round(amount, 2)
        assert len(repr(amount).split(".")[1]) <= 2


def test_sku_follows_the_category(ctx: GenContext) -> None:
    assert ctx.talon.sku("footwear").startswith("SKU-FOO-")


def test_catalog_attributes_use_known_names_and_values(ctx: GenContext) -> None:
    for _ in range(50):
        attributes = ctx.talon.catalog_attributes()
        assert {"brand", "color"} <= set(attributes) <= {"brand", "color", "material", "size"}
        for value in attributes.values():
            assert isinstance(value, str)
            assert value


def test_the_active_faker_offers_the_provider() -> None:
    assert current_faker().coupon_code()
    assert re.fullmatch(r"LC-\d{4}-\d{4}-\d{4}", current_faker().loyalty_card_identifier())
