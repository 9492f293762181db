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

__all__ = ["DEFAULT_BASE_SEED", "TEST_SEED", "TestSeed", "derive_seed"]

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
