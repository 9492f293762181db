"""Small providers shared by the per-domain factory modules: ids, ordered dates, subsets, omission."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any, TypeVar

from pytest_talon._time import parse_rfc3339
from pytest_talon.factories._context import GenContext
from pytest_talon.factories._fields import UNSET, Draft, Use

__all__ = ["OMIT", "after", "before", "distinct", "subset"]

T = TypeVar("T")

#: A declaration that leaves the field unset (traits use it to remove a default field).
OMIT = Use(lambda g, d: UNSET)


def distinct(ctx: GenContext, make: Callable[[], T], low: int, high: int) -> list[T]:
    """Return ``low`` to ``high`` distinct values drawn with ``make``, in drawing order."""
    count = ctx.random.randint(low, high)
    values: list[T] = []
    while len(values) < count:
        value = make()
        if value not in values:
            values.append(value)
    return values


def subset(ctx: GenContext, choices: Sequence[T], low: int = 1, high: int | None = None) -> list[T]:
    """Return a random non-repeating selection of ``choices`` kept in their original order."""
    count = ctx.random.randint(low, len(choices) if high is None else high)
    picked = set(ctx.random.sample(range(len(choices)), count))
    return [choice for index, choice in enumerate(choices) if index in picked]


def _seconds(ctx: GenContext, low_days: int, high_days: int) -> timedelta:
    return timedelta(seconds=ctx.random.randint(low_days * 86_400, high_days * 86_400))


def before(other: str, low_days: int, high_days: int) -> Callable[[GenContext, Draft], datetime]:
    """A date ``low_days``-``high_days`` before the draft's ``other`` date (or before "now" when unset)."""

    def provide(ctx: GenContext, draft: Draft) -> datetime:
        anchor: Any = draft.get(other) or ctx.now
        return _as_datetime(anchor) - _seconds(ctx, low_days, high_days)

    return provide


def after(other: str, low_days: int, high_days: int) -> Callable[[GenContext, Draft], datetime]:
    """A date ``low_days``-``high_days`` after the draft's ``other`` date (or after "now" when unset)."""

    def provide(ctx: GenContext, draft: Draft) -> datetime:
        anchor: Any = draft.get(other) or ctx.now
        return _as_datetime(anchor) + _seconds(ctx, low_days, high_days)

    return provide


def _as_datetime(value: Any) -> datetime:
    if isinstance(value, str):
        return parse_rfc3339(value)
    if not isinstance(value, datetime):
        raise TypeError(f"expected a datetime, got {value!r}")
    return value
