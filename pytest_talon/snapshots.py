"""Snapshots: a syrupy extension that turns Talon.One integration states and other responses into stable,
readable JSON text.

Volatile values (ids, server timestamps, transaction UUIDs, tokens) become placeholders, effects are sorted and
keys are sorted, so the same answer gives the same snapshot from the fake, a replayed cassette or a new run.
Placeholders are numbered per JSON path (list positions count as one path) in order of first appearance, so they
depend on which values are equal at one place of the answer, never on the values themselves or on ids that
happen to coincide elsewhere (a fresh fake's profile 1 and session 1; a deployment's profile 57 and session 123)::

    def test_checkout(snapshot):
        assert snapshot.use_extension(TalonSnapshotExtension) == client.update_customer_session_v2("s1", body)
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import json
import os
import re
import uuid
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar, Final

import httpx
from pydantic import BaseModel
from syrupy.data import SnapshotCollection
from syrupy.extensions.json import JSONSnapshotExtension
from syrupy.types import PropertyFilter, PropertyMatcher, SerializableData, SerializedData

from pytest_talon._cassettes.jsonpath import Segment, apply_path, parse_path
from pytest_talon._cassettes.scrub import Placeholders

__all__ = [
    "DEFAULT_ID_PATTERN",
    "DEFAULT_SORT_LISTS",
    "DEFAULT_TIMESTAMP_KEYS",
    "TalonSnapshotExtension",
    "normalize",
    "talon_snapshot_extension",
    "to_plain",
]

#: Keys whose values become numbered placeholders (``<campaignId-1>``): ids, UUIDs and tokens.
DEFAULT_ID_PATTERN: Final = (
    r"id|.*(Id|ID|Ids|IDs|UUID|UUIDs|Uuid)|.*[Tt]oken.*|triggeredByCoupon|triggeredForCatalogItem"
)

#: Keys holding server-side timestamps; their values become ``<key>`` (``"created": "<created>"``).
DEFAULT_TIMESTAMP_KEYS: Final = frozenset(
    {"created", "updated", "modified", "lastActivity", "lastUpdate", "timestamp", "observedAt", "joined", "joinDate"}
)

#: Lists sorted before rendering, by key name: the item fields compared first (the whole item breaks ties).
DEFAULT_SORT_LISTS: Final[Mapping[str, tuple[str, ...]]] = {
    "effects": ("effectType", "campaignId", "ruleIndex"),
    "triggeredCampaigns": ("name", "id"),
    "ruleFailureReasons": ("campaignName", "ruleIndex", "conditionIndex", "effectIndex"),
}


@dataclasses.dataclass(frozen=True)
class _Marked:
    """A value found at a volatile path, waiting for its placeholder."""

    kind: str
    value: Any


def to_plain(data: Any) -> Any:
    """Turn models (``.to_wire()``, SDK ``.to_dict()``), ``httpx.Response`` (its JSON), dataclasses, dates, UUIDs
    and enums into plain JSON-like data (string keys; whole floats become ints, so ``10.0`` and ``10`` agree)."""
    if isinstance(data, httpx.Response):
        try:
            return to_plain(data.json())
        except ValueError:
            return data.text
    if hasattr(data, "to_wire") and callable(data.to_wire):
        return to_plain(data.to_wire())
    if hasattr(data, "to_dict") and callable(data.to_dict) and not isinstance(data, type):
        return to_plain(data.to_dict())
    if isinstance(data, BaseModel):
        return to_plain(data.model_dump(mode="json", by_alias=True))
    if dataclasses.is_dataclass(data) and not isinstance(data, type):
        return to_plain(dataclasses.asdict(data))
    return _plain_scalar_or_container(data)


def _plain_scalar_or_container(data: Any) -> Any:
    if isinstance(data, Mapping):
        return {str(key): to_plain(value) for key, value in data.items()}
    if isinstance(data, (list, tuple)):
        return [to_plain(item) for item in data]
    if isinstance(data, (set, frozenset)):
        return sorted((to_plain(item) for item in data), key=_sort_token)
    if isinstance(data, (datetime, date, time)):
        return data.isoformat()
    if isinstance(data, enum.Enum):
        return to_plain(data.value)
    if isinstance(data, float) and data.is_integer():
        return int(data)  # 10.0 from a typed model and 10 from raw JSON must render alike
    if isinstance(data, Decimal):
        return int(data) if data == data.to_integral_value() else float(data)
    if isinstance(data, (uuid.UUID, Path)):
        return str(data)
    if isinstance(data, bytes):
        return data.decode("utf-8", errors="replace")
    return data


def _sort_token(value: Any) -> tuple[int, float, str]:
    """An ordering key that never compares unlike types: numbers numerically, anything else as JSON text."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (0, float(value), "")
    return (1, 0.0, json.dumps(value, sort_keys=True, default=repr))


class _Normalizer:
    """One normalisation run: marks volatile values, sorts lists, then assigns placeholders in output order."""

    def __init__(self, extension: type[TalonSnapshotExtension]) -> None:
        self.ids = re.compile(extension.id_pattern)
        self.stable = extension.stable_keys
        self.explicit = extension.volatile_keys
        self.timestamps = extension.timestamp_keys
        self.sort_lists = extension.sort_lists
        self.paths = [parse_path(path) for path in extension.volatile_paths]
        self.placeholders = Placeholders()

    def run(self, data: Any) -> Any:
        plain = to_plain(data)
        for segments in self.paths:
            apply_path(plain, segments, functools.partial(_Marked, _kind(segments)))
        return self._finish(self._sorted(plain))

    def _volatile(self, key: str) -> bool:
        return key not in self.stable and (key in self.timestamps or self.ids.fullmatch(key) is not None)

    def _sorted(self, data: Any, key: str = "") -> Any:
        if isinstance(data, dict):
            return {name: self._sorted(value, name) for name, value in data.items()}
        if isinstance(data, list):
            items = [self._sorted(item) for item in data]
            fields = self.sort_lists.get(key)
            return sorted(items, key=lambda item: self._item_key(item, fields)) if fields is not None else items
        return data

    def _item_key(self, item: Any, fields: tuple[str, ...]) -> tuple[Any, ...]:
        picked = [_sort_token(item.get(name)) if isinstance(item, dict) else (2, 0.0, "") for name in fields]
        return (*picked, _sort_token(self._masked(item)))

    def _masked(self, data: Any) -> Any:
        """``data`` with volatile values blanked, so the tie-breaker never depends on them."""
        if isinstance(data, dict):
            return {name: "" if self._volatile(name) else self._masked(value) for name, value in data.items()}
        if isinstance(data, list):
            return [self._masked(item) for item in data]
        return "" if isinstance(data, _Marked) else data

    def _finish(self, data: Any, key: str = "", path: str = "$") -> Any:
        """Substitute placeholders in output order; ``path`` (list positions as ``[*]``) scopes their numbers."""
        if isinstance(data, _Marked):
            return self.placeholders(data.kind, to_plain(data.value), path)
        if isinstance(data, dict):
            return {name: self._finish(data[name], name, f"{path}.{name}") for name in sorted(data)}
        if isinstance(data, list):  # items inherit the key, so "campaignIds": [1, 2] gets placeholders too
            return [self._finish(item, key, f"{path}[*]") for item in data]
        if data is None or not key or not self._volatile(key):
            return data
        if key in self.timestamps:
            return f"<{key}>"
        return self.placeholders(key, data, path) if self._generated(key, data) else data

    def _generated(self, key: str, value: Any) -> bool:
        """Whether an id-like value was made by the server (a number, a UUID, a token) rather than chosen by the
        integration (a string integration id such as ``profileId: "alice"``, kept so snapshots stay readable)."""
        if key in self.explicit or "oken" in key or "uuid" in key.lower():
            return True
        if isinstance(value, bool):
            return False
        return isinstance(value, (int, float)) or (isinstance(value, str) and _UUID.fullmatch(value) is not None)


_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def _kind(segments: tuple[Segment, ...]) -> str:
    names = [segment for segment in segments if isinstance(segment, str) and segment != "*"]
    return names[-1] if names else "volatile"


def normalize(data: Any, extension: type[TalonSnapshotExtension] | None = None) -> Any:
    """The plain, placeholder-substituted, sorted form of ``data`` that a snapshot stores (as JSON)."""
    return _Normalizer(extension or TalonSnapshotExtension).run(data)


class TalonSnapshotExtension(JSONSnapshotExtension):
    """A syrupy extension storing one readable JSON snapshot per assertion in
    ``__snapshots__/<test module>/<test name>.talon``; server-made ids (numbers, UUIDs, tokens) and timestamps
    become placeholders, integration ids you chose (strings such as ``"alice"``) stay. It is syrupy's
    ``JSONSnapshotExtension`` (its key sorting, ``exclude``/``include`` filters and ``matcher``) applied to the
    normalised answer."""

    file_extension = "talon"

    #: Regular expression (full match) of keys whose values get numbered placeholders.
    id_pattern: ClassVar[str] = DEFAULT_ID_PATTERN
    #: Keys whose values become ``<key>``.
    timestamp_keys: ClassVar[frozenset[str]] = DEFAULT_TIMESTAMP_KEYS
    #: Keys never replaced, even when they match ``id_pattern`` or ``timestamp_keys``.
    stable_keys: ClassVar[frozenset[str]] = frozenset()
    #: Keys whose values are always replaced (``id_pattern`` keys only when the value is a number, UUID or token).
    volatile_keys: ClassVar[frozenset[str]] = frozenset()
    #: JSON paths (``$.customerSession.attributes.orderNumber``) whose values get numbered placeholders.
    volatile_paths: ClassVar[tuple[str, ...]] = ()
    #: Lists sorted before rendering: list key -> item fields compared first.
    sort_lists: ClassVar[Mapping[str, tuple[str, ...]]] = DEFAULT_SORT_LISTS

    def serialize(
        self,
        data: SerializableData,
        *,
        exclude: PropertyFilter | None = None,
        include: PropertyFilter | None = None,
        matcher: PropertyMatcher | None = None,
    ) -> SerializedData:
        """Render ``data`` as sorted, indented JSON text after normalisation (see :func:`normalize`), filtered by
        syrupy's JSON extension."""
        return super().serialize(normalize(data, type(self)), exclude=exclude, include=include, matcher=matcher)

    @classmethod
    def write_snapshot_collection(
        cls, *, snapshot_collection: SnapshotCollection, name_order: dict[str, int] | None = None
    ) -> None:
        """Write the snapshot through a temporary file and a rename, so no reader sees half a file."""
        path = Path(snapshot_collection.location)
        data = str(next(iter(snapshot_collection)).data)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
        try:
            temporary.write_text(data, encoding="utf-8")
            os.replace(temporary, path)
        finally:
            temporary.unlink(missing_ok=True)


def talon_snapshot_extension(
    *,
    volatile_paths: Iterable[str] = (),
    volatile_keys: Iterable[str] = (),
    timestamp_keys: Iterable[str] = (),
    stable_keys: Iterable[str] = (),
    sort_lists: Mapping[str, tuple[str, ...]] | None = None,
    name: str = "ConfiguredTalonSnapshotExtension",
) -> type[TalonSnapshotExtension]:
    """Build a :class:`TalonSnapshotExtension` subclass with extra volatile JSON paths or keys, extra timestamp
    keys, keys to keep, or more sorted lists (added to the defaults)."""
    paths = tuple(volatile_paths)
    for path in paths:
        parse_path(path)  # fail now, with the path in the message, rather than at the first assertion
    volatile_keys = tuple(volatile_keys)
    extra_ids = "|".join(re.escape(key) for key in volatile_keys)
    attributes: dict[str, Any] = {
        "id_pattern": f"{DEFAULT_ID_PATTERN}|{extra_ids}" if extra_ids else DEFAULT_ID_PATTERN,
        "timestamp_keys": DEFAULT_TIMESTAMP_KEYS | frozenset(timestamp_keys),
        "stable_keys": frozenset(stable_keys),
        "volatile_keys": frozenset(volatile_keys),
        "volatile_paths": paths,
        "sort_lists": {**DEFAULT_SORT_LISTS, **(sort_lists or {})},
    }
    extension: type[TalonSnapshotExtension] = type(name, (TalonSnapshotExtension,), attributes)
    return extension
