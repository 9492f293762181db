"""Users can declare their own factories and variants with the same machinery."""

from __future__ import annotations

from typing import Any, ClassVar

import pytest

from pytest_talon.factories import (
    FACTORIES,
    UNSET,
    Batch,
    CartItemFactory,
    Factory,
    NewCustomerSessionV2Factory,
    Use,
    factory_for,
    use_seed,
)
from pytest_talon.factories._core import Traits
from pytest_talon.models import (
    CartItem,
    CustomerProfileAudienceRequestItem,
    NewCustomerSessionV2,
    NewReferralsForMultipleAdvocates,
    Product,
    WireModel,
)
from tests.factories._checks import SCHEMAS, spec_problems


class VipSessionFactory(NewCustomerSessionV2Factory):
    """A variant: a VIP coupon and exactly two cart items."""

    __traits__: ClassVar[Traits] = {"no_coupon": {"coupon_codes": Use(lambda g, d: UNSET)}}
    coupon_codes = ["VIP-2026"]  # noqa: RUF012 - a constant declaration, copied by validation
    cart_items = Batch(CartItemFactory, 2, 2)


def test_a_variant_overrides_declarations_and_keeps_the_rest() -> None:
    with use_seed(1):
        session = VipSessionFactory.build()
    assert isinstance(session, NewCustomerSessionV2)
    assert session.coupon_codes == ["VIP-2026"]
    assert len(session.cart_items or []) == 2
    assert session.profile_id, "inherited declaration"
    assert VipSessionFactory.build(traits=["no_coupon"]).coupon_codes is None


def test_a_variant_does_not_replace_the_default_factory() -> None:
    assert factory_for(NewCustomerSessionV2) is NewCustomerSessionV2Factory
    assert FACTORIES[NewCustomerSessionV2] is NewCustomerSessionV2Factory


def test_declaring_a_field_the_model_lacks_fails_at_class_creation() -> None:
    with pytest.raises(TypeError, match=r"declares 'nme', which is not a field of Product \(did you mean 'name'\?\)"):

        class Broken(Factory[Product]):
            __model__ = Product
            __register__ = False
            nme = Use(lambda g, d: "x")


def test_a_factory_without_declarations_generates_required_fields_from_types() -> None:
    class BareProduct(Factory[Product]):
        """Only the type-driven generator."""

        __model__ = Product
        __register__ = False

    assert isinstance(BareProduct.build().name, str)
    assert factory_for(Product) is not BareProduct


@pytest.mark.parametrize("model", [CartItem, NewReferralsForMultipleAdvocates, CustomerProfileAudienceRequestItem])
def test_type_driven_generation_respects_field_constraints(model: type[WireModel]) -> None:
    bare: Any = type(f"Bare{model.__name__}", (Factory,), {"__model__": model, "__register__": False})
    with use_seed(4):
        for built in bare.build_batch(200):
            assert spec_problems(built.to_wire(), SCHEMAS[model.__schema_name__]) == []


def test_type_driven_generation_reads_annotated_and_field_constraints() -> None:
    from typing import Annotated

    import annotated_types as at

    from pytest_talon.factories import new_context
    from pytest_talon.factories._typegen import compile_type

    ctx = new_context(1)
    numbers = compile_type(int, lambda m, c: None, "x", [at.Ge(5), at.Le(6)])
    strings = compile_type(Annotated[str, at.MinLen(30), at.MaxLen(31)], lambda m, c: None, "y")
    assert {numbers(ctx) for _ in range(50)} == {5, 6}
    assert all(30 <= len(strings(ctx)) <= 31 for _ in range(50))
