"""Generator contexts: one seeded Faker and ``random.Random`` per seeding scope, never a class-level singleton.

The active context lives in a :class:`contextvars.ContextVar`, so threads and asyncio tasks that enter
:func:`use_seed` never share generators by accident. Outside any :func:`use_seed` block the process-wide
default context is used; :func:`seed` replaces the active one.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime, timezone

from faker import Faker

from pytest_talon._seed import TEST_SEED, derive_seed
from pytest_talon.factories._provider import TalonProvider

__all__ = [
    "REFERENCE_TIME",
    "GenContext",
    "current_context",
    "current_faker",
    "current_seed",
    "derive_seed",
    "new_context",
    "random_seed",
    "seed",
    "use_seed",
]

#: The fixed "now" generated dates are relative to, so the same seed gives the same bytes on any day.
REFERENCE_TIME = datetime(2026, 1, 1, tzinfo=timezone.utc)

_FAKER_SALT = 0x7A10_0E0F


@dataclass
class GenContext:
    """Everything one build draws from: the seed, a seeded Faker, a seeded random generator and "now"."""

    seed: int
    now: datetime
    faker: Faker = field(repr=False)
    random: random.Random = field(repr=False)
    talon: TalonProvider = field(repr=False)


def new_context(seed: int, *, now: datetime | None = None) -> GenContext:
    """Create a fresh context seeded with ``seed``; ``now`` defaults to :data:`REFERENCE_TIME`."""
    faker = Faker("en_US")
    faker.seed_instance(seed ^ _FAKER_SALT)
    rng = random.Random(seed)
    talon = TalonProvider(faker, rng)
    faker.add_provider(talon)
    return GenContext(seed=seed, now=now or REFERENCE_TIME, faker=faker, random=rng, talon=talon)


def random_seed() -> int:
    """Return a fresh random 32-bit seed, as the plugin uses when ``--talon-seed`` is not given."""
    return secrets.randbelow(2**32)


class _Default:
    """Holder of the process-wide default context (replaced wholesale by :func:`seed`)."""

    context: GenContext | None = None


_ACTIVE: ContextVar[GenContext | None] = ContextVar("pytest_talon_factories_context", default=None)


def current_context() -> GenContext:
    """Return the active context: the innermost :func:`use_seed` block, else the running test's (the plugin sets
    its seed), else the process-wide default."""
    active = _ACTIVE.get()
    if active is not None:
        return active
    test = TEST_SEED.get()
    if test is not None:
        if test.context is None:
            test.context = new_context(test.seed)
        context: GenContext = test.context
        return context
    if _Default.context is None:
        _Default.context = new_context(random_seed())
    return _Default.context


def current_faker() -> Faker:
    """Return the active context's seeded Faker (with the Talon.One provider added)."""
    return current_context().faker


def current_seed() -> int:
    """Return the seed of the active context, to print it or to rebuild the same data later."""
    return current_context().seed


def seed(value: int, *, now: datetime | None = None) -> None:
    """Reseed the active context (the innermost :func:`use_seed` block, else the running test's, else the
    process-wide default) so the builds that follow repeat exactly."""
    test = TEST_SEED.get()
    if _ACTIVE.get() is not None:
        _ACTIVE.set(new_context(value, now=now))
    elif test is not None:
        test.seed, test.context = value, new_context(value, now=now)
    else:
        _Default.context = new_context(value, now=now)


@contextmanager
def use_seed(value: int, *, now: datetime | None = None) -> Iterator[GenContext]:
    """Build with a fresh context seeded with ``value`` inside the block (the plugin wraps each test in one)."""
    token = _ACTIVE.set(new_context(value, now=now))
    try:
        active = _ACTIVE.get()
        assert active is not None
        yield active
    finally:
        _ACTIVE.reset(token)
