"""Benchmark: builds per second of IntegrationRequestFactory with 10 cart items, against polyfactory.

Run: ``.venv/bin/python bench/bench_factories.py [--seconds 1.0] [--rounds 3]``. Both sides build a validated
``IntegrationRequest`` whose session holds 10 generated cart items; the best round of each is reported.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any

from polyfactory import Use
from polyfactory.factories.pydantic_factory import ModelFactory

from pytest_talon.factories import CartItemFactory, IntegrationRequestFactory, seed
from pytest_talon.models import CartItem, IntegrationRequest, NewCustomerSessionV2

CART_SIZE = 10


class PolyCartItem(ModelFactory[CartItem]):
    """polyfactory's factory for a cart item (all defaults)."""

    __model__ = CartItem


class PolySession(ModelFactory[NewCustomerSessionV2]):
    """polyfactory's factory for a session with exactly 10 cart items."""

    __model__ = NewCustomerSessionV2
    cart_items = Use(PolyCartItem.batch, size=CART_SIZE)


class PolyRequest(ModelFactory[IntegrationRequest]):
    """polyfactory's factory for the request, with the session above."""

    __model__ = IntegrationRequest
    customer_session = Use(PolySession.build)


def build_ours() -> IntegrationRequest:
    """One pytest-talon build with 10 cart items."""
    return IntegrationRequestFactory.build(customer_session__cart_items=CartItemFactory.build_batch(CART_SIZE))


def build_polyfactory() -> IntegrationRequest:
    """One polyfactory build with 10 cart items."""
    return PolyRequest.build()


def rate(build: Callable[[], Any], seconds: float, rounds: int) -> float:
    """Best builds per second over ``rounds`` rounds of about ``seconds`` each."""
    best = 0.0
    for _ in range(rounds):
        count, start = 0, time.perf_counter()
        while (elapsed := time.perf_counter() - start) < seconds:
            build()
            count += 1
        best = max(best, count / elapsed)
    return best


def main() -> None:
    """Print both rates and their ratio."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=1.0, help="length of one round (default 1.0)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per side; the best counts (default 3)")
    args = parser.parse_args()
    seed(0)
    PolyRequest.seed_random(0)
    assert len(build_ours().customer_session.cart_items or []) == CART_SIZE
    assert len(build_polyfactory().customer_session.cart_items or []) == CART_SIZE
    ours = rate(build_ours, args.seconds, args.rounds)
    theirs = rate(build_polyfactory, args.seconds, args.rounds)
    print(f"IntegrationRequest with {CART_SIZE} cart items, best of {args.rounds} x {args.seconds:.1f}s")
    print(f"  pytest-talon IntegrationRequestFactory: {ours:10.1f} builds/s")
    print(f"  polyfactory ModelFactory:               {theirs:10.1f} builds/s")
    print(f"  ratio (pytest-talon / polyfactory):     {ours / theirs:10.2f}x")


if __name__ == "__main__":
    main()
