"""The schema of a state snapshot: the annotations of the fake's record dataclasses, checked on every decoded value.

:func:`check_record` walks a record decoded from a snapshot and compares every field with its annotation
(``int``, ``str``, ``Decimal``, ``datetime``, ``list[...]``, ``dict[..., ...]``, ``X | None``, nested records...),
so an import with a field of the wrong type (``sessions: 5``, a ledger amount that is a float) is refused naming
the field, before the state is replaced, instead of answering 500 on the next read. ``Any`` accepts anything.
"""

from __future__ import annotations

import collections.abc
import dataclasses
import functools
import types
import typing
from collections import defaultdict, deque
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

__all__ = ["SnapshotTypeError", "check_record", "record_hints"]


class SnapshotTypeError(ValueError):
    """A decoded value does not have the type its field declares; ``where`` is its JSON pointer."""

    def __init__(self, where: str, expected: str, value: Any) -> None:
        shown = repr(value)
        shown = shown if len(shown) <= 60 else shown[:57] + "..."
        super().__init__(f"{where or '/'}: expected {expected}, got {type(value).__name__} {shown}")
        self.where = where


@functools.cache
def record_hints(cls: Any) -> dict[str, Any]:
    """The declared types of a record's fields (cached per class)."""
    return typing.get_type_hints(cls)


def check_record(record: Any, where: str = "", skipped: frozenset[str] = frozenset()) -> None:
    """Raise :class:`SnapshotTypeError` when a field of ``record`` (a dataclass), or of a record it holds, does not
    have its declared type; fields named in ``skipped`` (not part of a snapshot) are not checked."""
    hints = record_hints(type(record))  # type: ignore[arg-type]
    for f in dataclasses.fields(record):
        if f.name in hints and f.name not in skipped:
            _check(getattr(record, f.name), hints[f.name], f"{where}/{f.name}", skipped)


_SCALARS: dict[type, tuple[type, ...]] = {
    float: (float, int),
    Decimal: (Decimal,),
    int: (int,),
    str: (str,),
    bytes: (bytes,),
    datetime: (datetime,),
    date: (date,),
    timedelta: (timedelta,),
}


def _check(value: Any, hint: Any, where: str, skipped: frozenset[str] = frozenset()) -> None:
    if hint is Any or hint is object or getattr(hint, "_is_protocol", False) or isinstance(hint, typing.TypeVar):
        _check_records_in(value, where, skipped)
        return
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin is typing.Union or origin is types.UnionType:
        _check_union(value, args, hint, where, skipped)
        return
    if origin is typing.Literal:
        if value not in args:
            raise SnapshotTypeError(where, " or ".join(map(repr, args)), value)
        return
    if hint is type(None):
        if value is not None:
            raise SnapshotTypeError(where, "null", value)
        return
    if hint is bool:
        if not isinstance(value, bool):
            raise SnapshotTypeError(where, "a boolean", value)
        return
    if hint in _SCALARS:
        if isinstance(value, bool) or not isinstance(value, _SCALARS[hint]):
            raise SnapshotTypeError(where, _name(hint), value)
        if isinstance(value, datetime) and value.tzinfo is None:
            raise SnapshotTypeError(where, "an aware datetime", value)
        return
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        if not isinstance(value, hint):
            raise SnapshotTypeError(where, f"a {hint.__qualname__} record", value)
        check_record(value, where, skipped)
        return
    _check_container(value, origin or hint, args, where, skipped)


def _check_records_in(value: Any, where: str, skipped: frozenset[str]) -> None:
    """A value of any type may still hold records (``dict[int, Any]`` of achievements): each is checked."""
    pending = [(value, where)]
    while pending:
        item, at = pending.pop()
        if dataclasses.is_dataclass(item) and not isinstance(item, type):
            check_record(item, at, skipped)
        elif isinstance(item, dict):
            pending.extend((v, f"{at}/{k}") for k, v in item.items())
        elif isinstance(item, (list, tuple, set, frozenset, deque)):
            pending.extend((v, f"{at}/{i}") for i, v in enumerate(item))


def _check_union(value: Any, args: tuple[Any, ...], hint: Any, where: str, skipped: frozenset[str]) -> None:
    for arg in args:
        try:
            _check(value, arg, where, skipped)
        except SnapshotTypeError:
            continue
        return
    raise SnapshotTypeError(where, _name(hint), value)


def _check_container(value: Any, origin: Any, args: tuple[Any, ...], where: str, skipped: frozenset[str]) -> None:
    if origin in (dict, defaultdict, collections.abc.Mapping, collections.abc.MutableMapping):
        if not isinstance(value, dict):
            raise SnapshotTypeError(where, "an object", value)
        if len(args) == 2:
            for key, item in value.items():
                _check(key, args[0], f"{where}/{key}", skipped)
                _check(item, args[1], f"{where}/{key}", skipped)
        return
    if origin in (list, deque, collections.abc.Sequence, collections.abc.MutableSequence):
        if not isinstance(value, (list, deque)):
            raise SnapshotTypeError(where, "an array", value)
        for i, item in enumerate(value):
            if args:
                _check(item, args[0], f"{where}/{i}", skipped)
        return
    if origin in (set, frozenset, collections.abc.Set):
        if not isinstance(value, (set, frozenset)):
            raise SnapshotTypeError(where, "a set", value)
        for item in value:
            if args:
                _check(item, args[0], where, skipped)
        return
    if origin is tuple:
        if not isinstance(value, tuple):
            raise SnapshotTypeError(where, "a tuple", value)
        items = args if len(args) != 2 or args[1] is not Ellipsis else (args[0],) * len(value)
        if items and len(items) != len(value):
            raise SnapshotTypeError(where, f"a tuple of {len(items)}", value)
        for i, (item, arg) in enumerate(zip(value, items, strict=True)):
            _check(item, arg, f"{where}/{i}", skipped)
        return
    if isinstance(origin, type) and not isinstance(value, origin):
        raise SnapshotTypeError(where, _name(origin), value)


def _name(hint: Any) -> str:
    names = {int: "an integer", float: "a number", str: "a string", Decimal: "a $decimal", datetime: "a $datetime"}
    if hint in names:
        return names[hint]
    args = typing.get_args(hint)
    if args:
        return " or ".join(_name(a) for a in args)
    if hint is type(None):
        return "null"
    return getattr(hint, "__qualname__", str(hint))
