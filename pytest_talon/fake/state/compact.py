"""Compact storage for what the Application keeps long: shared strings and numbers, cheap copies of JSON data.

Stored cart items are JSON-like dicts made from each request's parsed body, so every session holds its own copies
of the same keys (``"sku"``, ``"quantity"``...) and often of the same values (SKUs, names, categories, prices).
:class:`Interner` gives equal strings and floats one shared object per Application: the stored data stays equal
(equal dicts, lists, strings and numbers), only duplicates are dropped.

The request log's bodies are kept compact by :mod:`pytest_talon.fake.state.packed_log`.
"""

from __future__ import annotations

from typing import Any, TypeVar, cast

__all__ = ["JSON_SCALARS", "Interner", "copy_json"]

_T = TypeVar("_T")


def copy_json(value: _T) -> _T:
    """A deep copy of JSON-like data (parsed YAML or JSON, stored JSON values): its dicts and lists copied, the rest
    (strings, numbers, dates) shared as the immutable values they are - :func:`copy.deepcopy` at a fraction of its
    cost."""
    return cast(_T, _copy_json(value))


def _copy_json(value: Any) -> Any:
    if type(value) is dict:
        return {k: _copy_json(v) for k, v in value.items()}
    if type(value) is list:
        return [_copy_json(v) for v in value]
    return value  # JSON-like data holds no other container


class Interner:
    """One shared object per distinct string and float stored through it, for one Application (its stored cart
    items repeat the same keys, SKUs, names and prices); the tables are bounded (cleared when full: values stay
    equal, only the sharing of the ones stored before is lost).

    A memory device: a stored session takes about 4.9 KiB with it and 6.8 without (``python -m
    bench.bench_devices``, bench/README.md)."""

    __slots__ = ("_floats", "_records", "_strings")

    def __init__(self) -> None:
        self._strings: dict[str, str] = {}
        self._floats: dict[float, float] = {}
        #: Flat records already stored, by (keys, values, value types): see :meth:`records`.
        self._records: dict[tuple[Any, ...], dict[str, Any]] = {}

    def __deepcopy__(self, memo: dict[int, Any]) -> Interner:
        """A copy of the Application (dry runs) shares the table: it holds immutable values only."""
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        """A pickled Application (a server's checkpoint) unpickles with an empty interner: the tables only share
        values, so they are not worth writing out."""
        return Interner, ()

    def json(self, value: _T) -> _T:
        """``value`` (JSON-like: dicts with string keys, lists, scalars) with shared strings and floats, keys too.

        Lists and dicts are updated in place (a dict whose keys are not the shared ones yet is rebuilt): pass data
        that is about to be stored, not data anyone else holds.
        """
        self._bound()
        return cast(_T, self._json(value))

    def _bound(self) -> None:
        if len(self._strings) >= _STRINGS_MAX or len(self._floats) >= _STRINGS_MAX:
            self._strings.clear()
            self._floats.clear()

    def records(self, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """``records`` (JSON objects, e.g. cart items) through :meth:`json`, except that a record of scalars equal to
        one stored before (same keys in the same order, same values of the same types) *is* that one: shared, so
        stored records are read-only (replace a record to change it). Records holding a zero or ``false`` (``0.0``
        and ``-0.0`` are equal but print differently) or nested values only share their strings and floats."""
        self._bound()
        out: list[dict[str, Any]] = []
        known = self._records
        for record in records:
            values = tuple(record.values())
            types = tuple(map(type, values))
            if 0 in values or not JSON_SCALARS.issuperset(types):
                out.append(self._json(record))
                continue
            key = (tuple(record), values, types)
            found = known.get(key)
            if found is None:
                if len(known) >= _RECORDS_MAX:
                    known.clear()
                found = known[key] = self._dict(record)
            out.append(found)
        return out

    def _json(self, value: Any) -> Any:
        kind = type(value)
        if kind is dict:
            return self._dict(value)
        if kind is list:
            for index, item in enumerate(value):
                value[index] = self._json(item)
            return value
        return self._leaf(kind, value)

    def _dict(self, value: dict[Any, Any]) -> dict[Any, Any]:
        # The loop of :meth:`_json` unrolled for a dict of scalars (a cart item): this runs on every request.
        shared, floats = self._strings.setdefault, self._floats.setdefault
        keys_shared = True
        for key, item in value.items():  # values replaced in place: the dict does not change size
            if type(key) is str and shared(key, key) is not key:
                keys_shared = False
            kind = type(item)
            if kind is str:
                value[key] = shared(item, item)
            elif kind is float:
                if item and item == item:  # see _leaf
                    value[key] = floats(item, item)
            elif kind is dict or kind is list:
                value[key] = self._json(item)
        if keys_shared:
            return value
        return {shared(key, key) if type(key) is str else key: item for key, item in value.items()}

    def _leaf(self, kind: type[Any], value: Any) -> Any:
        if kind is str:
            return self._strings.setdefault(value, value)
        # 0.0 and -0.0 are equal but print differently, and NaN equals nothing: those stay as they are.
        if kind is float and value and value == value:
            return self._floats.setdefault(value, value)
        return value


#: The Python types of JSON scalars (``null`` aside): what a shared record, or an effect sent by recipe, may hold.
JSON_SCALARS = frozenset({str, int, float, bool})
#: How many distinct records :meth:`Interner.records` remembers (cleared when full).
_RECORDS_MAX = 4096
#: How many distinct strings (and floats) an :class:`Interner` shares (cleared when full).
_STRINGS_MAX = 1 << 16
