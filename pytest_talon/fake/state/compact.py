"""Compact storage for what the Application keeps long: shared strings and numbers, deflated request log bodies.

Stored cart items are JSON-like dicts made from each request's parsed body, so every session holds its own copies
of the same keys (``"sku"``, ``"quantity"``...) and often of the same values (SKUs, names, categories, prices).
:class:`Interner` gives equal strings and floats one shared object per Application: the stored data stays equal
(the same dicts, lists, strings and numbers), only duplicates are dropped.

The request log keeps each body as the bytes that went over the wire; once an entry is no longer among the newest,
:class:`PackedJson` deflates its request and answer together (they are read back, decoded, only when viewed).
"""

from __future__ import annotations

import zlib
from typing import Any, TypeVar, cast

__all__ = ["Interner", "PackedJson"]

_T = TypeVar("_T")


class Interner:
    """One shared object per distinct string and float stored through it (kept as long as the Application)."""

    __slots__ = ("_floats", "_strings")

    def __init__(self) -> None:
        self._strings: dict[str, str] = {}
        self._floats: dict[float, float] = {}

    def __deepcopy__(self, memo: dict[int, Any]) -> Interner:
        """A copy of the Application (dry runs) shares the table: it holds immutable values only."""
        return self

    def json(self, value: _T) -> _T:
        """``value`` (JSON-like: dicts with string keys, lists, scalars) rebuilt with shared strings and floats."""
        return cast(_T, self._json(value))

    def _json(self, value: Any) -> Any:
        kind = type(value)
        if kind is dict:
            return self._dict(value)
        if kind is list:
            return [self._json(v) for v in value]
        return self._leaf(kind, value)

    def _dict(self, value: dict[Any, Any]) -> dict[Any, Any]:
        # The loop of :meth:`_json` unrolled for a dict of scalars (a cart item): this runs on every request.
        shared = self._strings.setdefault
        out = {}
        for key, item in value.items():
            kind = type(item)
            if kind is str:
                item = shared(item, item)
            elif kind is dict or kind is list or kind is float:
                item = self._json(item)
            out[shared(key, key) if type(key) is str else key] = item
        return out

    def _leaf(self, kind: type[Any], value: Any) -> Any:
        if kind is str:
            return self._strings.setdefault(value, value)
        # 0.0 and -0.0 are equal but print differently, and NaN equals nothing: those stay as they are.
        if kind is float and value and value == value:
            return self._floats.setdefault(value, value)
        return value


#: Raw deflate with a 4 KiB window: logged bodies are a few KiB, and a small window is quick to set up.
_WBITS = -12


class PackedJson(bytes):
    """A request body and its answer (JSON bytes as on the wire) deflated together: about a quarter of their size.

    Made with :meth:`pack`; ``part(0)`` is the first document, ``part(1)`` the second, byte for byte as given.
    """

    __slots__ = ()

    @classmethod
    def pack(cls, first: bytes, second: bytes) -> PackedJson:
        """Deflate ``first`` and ``second`` together (the first's length leads, in four bytes)."""
        packer = zlib.compressobj(1, zlib.DEFLATED, _WBITS)
        deflated = packer.compress(first) + packer.compress(second) + packer.flush()
        return cls(len(first).to_bytes(4, "big") + deflated)

    def part(self, index: int) -> bytes:
        """The first (``0``) or second (``1``) document's bytes."""
        split = int.from_bytes(self[:4], "big")
        raw = zlib.decompress(memoryview(self)[4:], _WBITS)
        return raw[:split] if index == 0 else raw[split:]
