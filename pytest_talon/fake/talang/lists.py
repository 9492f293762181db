"""Talang's list functions (talon-one/talang's function reference): building, reading, folding and sorting lists.

Registered in :data:`LIST_FUNCTIONS`; the compiler merges them with the core, time and product functions.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from pytest_talon.fake.talang.errors import TalangRuntimeError
from pytest_talon.fake.talang.nodes import Frame, FunctionSpec, Lambda, define
from pytest_talon.fake.talang.values import ARITHMETIC, as_kind, describe, format_decimal

__all__ = ["LIST_FUNCTIONS"]

#: The list functions the fake implements, by name.
LIST_FUNCTIONS: dict[str, FunctionSpec] = {}

_fn = LIST_FUNCTIONS


@define(_fn, "list", rest="any")
def _list(frame: Frame, args: Sequence[Any]) -> object:
    """A List of the arguments."""
    return list(args)


@define(_fn, "count", "list")
def _count(frame: Frame, args: Sequence[Any]) -> object:
    """The number of items of a List."""
    return Decimal(len(args[0]))


@define(_fn, "isEmpty", "list")
def _is_empty(frame: Frame, args: Sequence[Any]) -> object:
    """True when the List has no items."""
    return not args[0]


@define(_fn, "head", "list")
def _head(frame: Frame, args: Sequence[Any]) -> object:
    """The first item of a List (Null for an empty List, as the reference's code and tests)."""
    return args[0][0] if args[0] else None


@define(_fn, "tail", "list")
def _tail(frame: Frame, args: Sequence[Any]) -> object:
    """The List without its first item."""
    return args[0][1:]


@define(_fn, "drop", "list")
def _drop(frame: Frame, args: Sequence[Any]) -> object:
    """The List without its last item."""
    return args[0][:-1]


@define(_fn, "reverse", "list")
def _reverse(frame: Frame, args: Sequence[Any]) -> object:
    """The List in reverse order."""
    return args[0][::-1]


@define(_fn, "item", "list", "decimal")
def _item(frame: Frame, args: Sequence[Any]) -> object:
    """The item at a 0-based index (an index out of range fails)."""
    items, index = args
    if index != index.to_integral_value() or not 0 <= index < len(items):
        raise TalangRuntimeError(f"index {format_decimal(index)} is not an item of a List of {len(items)}")
    return items[int(index)]


def _extend(frame: Frame, args: Sequence[Any]) -> object:
    return [*args[0], *args[1:]]


for _name in ("append", "push"):
    LIST_FUNCTIONS[_name] = FunctionSpec(
        _name, _extend, ("list", "any"), "any", summary="A new List: the List with the other arguments at its end."
    )


def _numbers(items: list[Any]) -> list[Decimal]:
    # As the reference's code and tests: items that are not Decimals are left out; a List without any fails.
    numbers = [item for item in items if isinstance(item, Decimal)]
    if not numbers:
        raise TalangRuntimeError(f"the List has no Decimal (it has {len(items)} items)")
    return numbers


@define(_fn, "min", "list")
def _min(frame: Frame, args: Sequence[Any]) -> object:
    """The smallest Decimal of a List (other items are left out; a List without a Decimal fails)."""
    return min(_numbers(args[0]))


@define(_fn, "max", "list")
def _max(frame: Frame, args: Sequence[Any]) -> object:
    """The largest Decimal of a List (other items are left out; a List without a Decimal fails)."""
    return max(_numbers(args[0]))


def _predicate(frame: Frame, block: Lambda, item: object) -> bool:
    result = block.apply(frame, item)
    if not isinstance(result, bool):
        raise TalangRuntimeError(f"the block must give a Boolean, got {describe(result)}")
    return result


@define(_fn, "filter", "list", "lambda", binder=1)
def _filter(frame: Frame, args: Sequence[Any]) -> object:
    """The items for which the block is true."""
    return [item for item in args[0] if _predicate(frame, args[1], item)]


@define(_fn, "every", "list", "lambda", binder=1)
def _every(frame: Frame, args: Sequence[Any]) -> object:
    """True when the block is true for every item (an empty List gives true)."""
    return all(_predicate(frame, args[1], item) for item in args[0])


@define(_fn, "exists", "list", "lambda", binder=1)
def _exists(frame: Frame, args: Sequence[Any]) -> object:
    """True when the block is true for some item."""
    return any(_predicate(frame, args[1], item) for item in args[0])


@define(_fn, "map", "list", "lambda", binder=1)
def _map(frame: Frame, args: Sequence[Any]) -> object:
    """The block's value for each item."""
    return [args[1].apply(frame, item) for item in args[0]]


@define(_fn, "sum", "list", "lambda", optional=1, binder=1)
def _sum(frame: Frame, args: Sequence[Any]) -> object:
    """The sum of the block's Decimal for each item (of the items themselves without a block: INF)."""
    values = [args[1].apply(frame, item) for item in args[0]] if len(args) > 1 else list(args[0])
    total = Decimal(0)
    for value in values:
        total = ARITHMETIC.add(total, as_kind(value, "decimal", function="sum", position=1))  # type: ignore[arg-type]
    return total


def _sortable(values: list[Any]) -> list[Any]:
    kinds = {type(v) for v in values}
    if len(kinds) > 1 or not kinds <= {Decimal, str, datetime}:
        raise TalangRuntimeError(
            f"sorts Decimals, Strings or Times of one kind, got {sorted(k.__name__ for k in kinds)}"
        )
    return values


@define(_fn, "sort", "list", rest="boolean")
def _sort(frame: Frame, args: Sequence[Any]) -> object:
    """The List sorted ascending; descending when the second argument is true."""
    return sorted(_sortable(args[0]), reverse=bool(args[1:] and args[1]))


def _sort_by(kind: str) -> Callable[[Frame, Sequence[Any]], object]:
    # The flag means descending for both (the reference's code and tests; its sortByString examples say the reverse).
    def sort_by(frame: Frame, args: Sequence[Any]) -> object:
        items, block, flag = args
        keys: list[Any] = [as_kind(block.apply(frame, item), kind, position=2) for item in items]
        order = sorted(range(len(items)), key=lambda i: keys[i], reverse=flag)
        return [items[i] for i in order]

    return sort_by


LIST_FUNCTIONS["sortByNumber"] = FunctionSpec(
    "sortByNumber",
    _sort_by("decimal"),
    ("list", "lambda", "boolean"),
    summary="The List sorted by the block's Decimal: descending when the flag is true, ascending when false.",
)
LIST_FUNCTIONS["sortByString"] = FunctionSpec(
    "sortByString",
    _sort_by("string"),
    ("list", "lambda", "boolean"),
    summary="The List sorted by the block's String: descending when the flag is true, ascending when false.",
)
