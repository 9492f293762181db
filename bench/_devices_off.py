"""Patches that turn one performance device of the fake off, for :mod:`bench.bench_devices` (never shipped).

``TALON_BENCH_OFF=<device>[,<device>...]`` in the environment applies them when this module is imported: by
``pytest -p bench._devices_off`` in a P6 suite, or by the bench's own child processes. Each patch keeps the
fake's answers the same; it only takes the device's shortcut away.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any


def _body_shortcut() -> None:
    from pytest_talon.fake.api import body_shortcut

    body_shortcut.validated = lambda content, model_cls: None


def _effect_recipes() -> None:
    from pytest_talon.fake.backend import effect_recipes

    effect_recipes._MAX_RECIPES = 0


def _session_copy() -> None:
    import copy

    from pytest_talon.fake.state import records

    records.SessionRecord.copied = lambda self: copy.deepcopy(self)  # type: ignore[method-assign]


def _interner() -> None:
    from pytest_talon.fake.state import compact

    compact.Interner.json = lambda self, value: value  # type: ignore[method-assign]
    compact.Interner.records = lambda self, records: records  # type: ignore[method-assign]


def _packed_log() -> None:
    from pytest_talon.fake.state import records

    records.pack_bodies = lambda entries: None


class _Reparsed(dict[Any, Any]):
    """A cache whose entries are always replaced: every look-up misses, the entry stored is then read back."""

    def __contains__(self, key: object) -> bool:
        return False


def _campaigns_file_cache() -> None:
    from pytest_talon.fake.setup import files

    files._PARSED = _Reparsed()


#: Each device's name, with the patch that takes it away.
DEVICES: dict[str, Callable[[], None]] = {
    "body_shortcut": _body_shortcut,
    "effect_recipes": _effect_recipes,
    "session_copy": _session_copy,
    "interner": _interner,
    "packed_log": _packed_log,
    "campaigns_file_cache": _campaigns_file_cache,
}


def apply(names: str) -> None:
    """Turn off the devices named (comma-separated)."""
    for name in filter(None, names.split(",")):
        DEVICES[name]()


apply(os.environ.get("TALON_BENCH_OFF", ""))
