"""The per-test seed, kept free of heavy imports so the plugin can set it for every test at no cost.

The plugin derives each test's seed from the run's base seed and the test id and puts it in :data:`TEST_SEED`;
:mod:`pytest_talon.factories` builds its seeded generators from it the first time a test uses them (so a test that
uses no factory never pays for Faker).
"""

from __future__ import annotations

import hashlib
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Final

__all__ = ["DEFAULT_BASE_SEED", "TEST_SEED", "TestSeed", "derive_seed", "honour_faker_seed", "use_recorded_seed"]

#: The base seed of a run that does not choose one: fixed, so factory data repeats across runs and machines.
DEFAULT_BASE_SEED: Final = 2026


def derive_seed(base_seed: int, test_id: str) -> int:
    """Derive a per-test seed from a base seed and a test id; stable across processes and Python versions."""
    digest = hashlib.sha256(f"{base_seed}:{test_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


@dataclass
class TestSeed:
    """The seed of the running test, and the generator context the factories built from it (lazily)."""

    __test__ = False  # not a test class, whatever pytest's collection patterns say

    seed: int
    #: The factories' :class:`~pytest_talon.factories.GenContext`, created on first use.
    context: Any = None

    def reseed(self, seed: int) -> None:
        """Use ``seed`` from now on (for example the one a replayed cassette was recorded with)."""
        self.seed = seed
        self.context = None


#: The running test's seed; set by the plugin around each test, ``None`` outside tests.
TEST_SEED: ContextVar[TestSeed | None] = ContextVar("pytest_talon_test_seed", default=None)


def honour_faker_seed(faker_seed: object, test_id: str) -> None:
    """Seed the running test from Faker's ``faker_seed`` fixture value (with the test id), once."""
    test_seed = TEST_SEED.get()
    if test_seed is None or not isinstance(faker_seed, int):
        return
    seed = derive_seed(faker_seed, test_id)
    if test_seed.seed != seed:
        test_seed.reseed(seed)


def use_recorded_seed(recorded_seed: int | None) -> None:
    """Build the same factory data as when a cassette was recorded with ``recorded_seed`` (when it stores one)."""
    test_seed = TEST_SEED.get()
    if test_seed is not None and recorded_seed is not None:
        test_seed.reseed(recorded_seed)
