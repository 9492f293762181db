"""The fakes alive in this process, weakly held in creation order: what an assertion helper searches for the request
that gave an answer (:mod:`pytest_talon._assertions.explain`)."""

from __future__ import annotations

import itertools
import weakref
from typing import Any

__all__ = ["live_fakes", "register"]

_LIVE: weakref.WeakValueDictionary[int, Any] = weakref.WeakValueDictionary()
_BORN = itertools.count()


def register(fake: Any) -> None:
    """Count ``fake`` among the live fakes (until it is garbage)."""
    _LIVE[next(_BORN)] = fake


def live_fakes() -> list[Any]:
    """The fakes alive in this process (``FakeTalon`` objects), newest first."""
    return [fake for _, fake in sorted(_LIVE.items(), key=lambda item: -item[0])]
