"""P4: builds per second of ``IntegrationRequestFactory`` (10 cart items) against polyfactory, three ways.

Run: ``python -m bench.bench_factories [--quick]``. Every side builds a validated ``IntegrationRequest`` whose
session holds exactly 10 generated cart items; polyfactory's ``ModelFactory`` is configured three ways:

- required fields only (``__use_defaults__ = True``: every field with a default keeps it, so of a cart item only
  ``sku`` and ``quantity`` are generated) - the baseline of P4's goal;
- polyfactory's defaults (each optional field filled or left ``None`` at random, nested models generated
  recursively) - the baseline of the README's old "127x";
- every optional field filled (``__allow_none_optionals__ = False``).

Paired, interleaved rounds; the ratio is pytest-talon's builds/s over polyfactory's (higher is better for us).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from polyfactory.factories.pydantic_factory import ModelFactory

from bench._common import Goal, Row, cli, ms, paired
from pytest_talon.factories import CartItemFactory, IntegrationRequestFactory, seed
from pytest_talon.models import CartItem, IntegrationRequest, NewCustomerSessionV2

CART_SIZE = 10

#: polyfactory settings per baseline: (name in the table, factory class attributes, goal on our/their ratio).
FLAVOURS: tuple[tuple[str, dict[str, Any], Goal | None], ...] = (
    (
        "polyfactory ModelFactory, required fields only (__use_defaults__=True)",
        {"__use_defaults__": True},
        Goal(">=", 3),
    ),
    ("polyfactory ModelFactory defaults (optional fields filled at random, nested models recursively)", {}, None),
    (
        "polyfactory ModelFactory, every optional field filled (__allow_none_optionals__=False)",
        {"__allow_none_optionals__": False},
        None,
    ),
)


def polyfactory_builder(settings: dict[str, Any]) -> Callable[[int], IntegrationRequest]:
    """A build of the request with exactly 10 cart items by polyfactory, every level using ``settings``.

    The cart items are passed as build kwargs (not ``Use`` fields): with ``__use_defaults__`` a field's default
    wins over a factory field, and ``cartItems`` has one.
    """
    item = ModelFactory.create_factory(CartItem, __random_seed__=0, **settings)
    session = ModelFactory.create_factory(NewCustomerSessionV2, __random_seed__=0, **settings)
    request = ModelFactory.create_factory(IntegrationRequest, __random_seed__=0, **settings)

    def build(_: int) -> IntegrationRequest:
        return request.build(customer_session=session.build(cart_items=item.batch(CART_SIZE)))

    return build


def build_ours(_: int) -> IntegrationRequest:
    """One pytest-talon build with 10 cart items."""
    return IntegrationRequestFactory.build(customer_session__cart_items=CartItemFactory.build_batch(CART_SIZE))


def flavour_row(name: str, settings: dict[str, Any], goal: Goal | None, quick: bool) -> Row:
    """Our builds/s over polyfactory's with ``settings``, in rounds sized so that each side runs a few ms at least."""
    theirs = polyfactory_builder(settings)
    assert len(theirs(0).customer_session.cart_items or []) == CART_SIZE
    batch = 40 if settings.get("__use_defaults__") else 5
    rounds = 6 if quick else 16
    result = paired(build_ours, theirs, rounds=rounds, batch=batch // 2 if quick else batch, warmup=3)
    return Row(
        f"P4 IntegrationRequestFactory ({CART_SIZE} items) builds/s",
        name,
        f"{ms(result.measured)} vs {ms(result.baseline)} per build",
        1 / result.ratio,
        "x",
        goal,
    )


def rows(quick: bool) -> list[Row]:
    """The rows of this script."""
    seed(0)
    assert len(build_ours(0).customer_session.cart_items or []) == CART_SIZE
    return [flavour_row(name, settings, goal, quick) for name, settings, goal in FLAVOURS]


if __name__ == "__main__":
    sys.exit(cli(rows, __doc__))
