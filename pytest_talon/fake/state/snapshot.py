"""The whole state of a fake Application as JSON, and back: what ``GET``/``PUT /_fake/state`` carry.

Records are dataclasses of :mod:`pytest_talon.fake`; each is written as ``{"$type": "module:Class", ...fields}``
and read back only when its class is a dataclass of this package (a snapshot never names any other code to run).
Dates, decimals, tuples, sets, defaultdicts, dicts with non-string keys and compiled Talang rulesets (as their
source) are tagged the same way. The clock's
instant travels with the state; the ledger's policy is rebuilt on import.
"""

from __future__ import annotations

import dataclasses
import importlib
import math
import typing
from collections import defaultdict, deque
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from pytest_talon._time import parse_rfc3339
from pytest_talon.errors import TalonError
from pytest_talon.fake.errors import FakeSetupError
from pytest_talon.fake.state.application import Application
from pytest_talon.fake.state.clock import FakeClock, check_instant
from pytest_talon.fake.state.records import CampaignUsage, RequestLog
from pytest_talon.fake.state.snapshot_refs import DanglingReference, check_references
from pytest_talon.fake.state.snapshot_schema import SnapshotTypeError, check_record, record_hints
from pytest_talon.fake.talang.rules import CompiledRuleset, compile_ruleset

__all__ = ["FORMAT", "SnapshotError", "export_state", "import_state"]

#: The ``format`` of every snapshot; an import of another format is refused (``talon-fake-state/1`` is upgraded:
#: version 2 holds loyalty amounts as decimals, which version 1 held as numbers).
FORMAT = "talon-fake-state/2"
_V1 = "talon-fake-state/1"
_READABLE = frozenset({FORMAT, _V1})
_PACKAGE = "pytest_talon.fake."
#: Fields that are not state: the clock (its instant is stored apart), the ledger's policy (rebuilt on import),
#: webhooks waiting to be sent (a restored state sends nothing again), the Application's shared strings.
_SKIPPED = frozenset({"clock", "policy", "outbox", "interned", "indexes"})
#: What ``export_state(..., logs=False)`` leaves out: the record of what happened, not the state it left.
_LOGS = frozenset({"requests", "webhooks"})
#: defaultdict factories a snapshot may name.
_FACTORIES: dict[str, Any] = {"int": int, "float": float, "list": list, "CampaignUsage": CampaignUsage}


class SnapshotError(FakeSetupError):
    """A snapshot that cannot be imported; ``pointer`` is the JSON pointer of what is wrong in it."""

    def __init__(self, message: str, *, pointer: str = "/") -> None:
        super().__init__(message)
        self.pointer = pointer


def export_state(app: Application, *, logs: bool = True) -> dict[str, Any]:
    """A JSON-ready snapshot of ``app`` (every record, id counter, fault and webhook) and its clock's instant;
    without ``logs`` the request log and the triggered webhooks are left out (restored empty)."""
    encoded = _encode_record(app, _SKIPPED if logs else _SKIPPED | _LOGS)
    if not logs:
        encoded.update({name: [] for name in _LOGS})
    return {"format": FORMAT, "now": app.now().isoformat(), "application": encoded}


def import_state(data: Any, clock: FakeClock, max_requests: int | None) -> Application:
    """A new Application from a snapshot made by :func:`export_state`; the clock is moved to the snapshot's instant.

    The snapshot is checked completely before anything changes: every record's fields against their declared types
    (:mod:`.snapshot_schema`), the references between records (:mod:`.snapshot_refs`), the checks each record's
    constructor makes, the tags, the instant. Raises :class:`FakeSetupError` naming what is wrong with
    ``data`` and where (a JSON pointer), and then neither ``clock`` nor anything else has changed. A snapshot of
    format ``talon-fake-state/1`` is upgraded (numbers where amounts are decimals now are read as decimals).
    """
    if not isinstance(data, dict) or "format" not in data:
        raise SnapshotError(f"not a fake state snapshot: expected an object with format {FORMAT!r}")
    version = data["format"]
    if not isinstance(version, str) or version not in _READABLE:
        raise SnapshotError(
            f"/format: this server reads snapshots of format {FORMAT!r} (and upgrades {_V1!r}), not {version!r}: "
            "export the state again from this version",
            pointer="/format",
        )
    now = _instant(data.get("now"))
    reader = _Reader(upgrade=version == _V1)
    try:
        app = reader.decode(data.get("application"), "/application")
    except SnapshotError:
        raise
    except RecursionError:
        raise SnapshotError("/application: the snapshot nests too deeply", pointer="/application") from None
    if not isinstance(app, Application):
        raise SnapshotError(
            "/application: the snapshot's application is not a fake Application", pointer="/application"
        )
    try:
        check_record(app, "/application", _SKIPPED)
        check_references(app)
    except (SnapshotTypeError, DanglingReference) as exc:
        raise SnapshotError(f"the snapshot cannot be read: {exc}", pointer=exc.where) from None
    for where, record in reader.checked:  # the checks the record's constructor makes (an achievement's name...)
        try:
            record.__post_init__()
        except (TalonError, ValueError, TypeError, ArithmeticError) as exc:
            raise SnapshotError(f"{where}: {exc}", pointer=where) from None
    app.clock = clock
    app.__post_init__()
    app.requests = RequestLog(app.requests, maxlen=max_requests)
    app.webhooks = deque(app.webhooks, maxlen=max_requests)
    app.count_achievement_events()  # from an older snapshot's records, before the bound drops any
    app.events = deque(app.events, maxlen=max_requests)
    clock.set(now)
    return app


def _instant(raw: Any) -> datetime:
    try:
        return check_instant(parse_rfc3339(raw if isinstance(raw, str) else repr(raw)))
    except (TalonError, ValueError, OverflowError) as exc:
        raise SnapshotError(f"/now: the snapshot cannot be read: {exc}", pointer="/now") from None


def _encode(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, timedelta):
        return {"$timedelta": value.total_seconds()}
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, CompiledRuleset):  # compiled code is not state: its source is, compiled again on import
        return {"$talang": _encode(dict(value.source)), "campaign": value.campaign}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _encode_record(value)
    if isinstance(value, defaultdict):
        factory = getattr(value.default_factory, "__name__", "")
        if factory not in _FACTORIES:
            raise TypeError(f"cannot snapshot a defaultdict of {factory or value.default_factory!r}")
        return {"$defaultdict": factory, "items": _encode_items(value)}
    if isinstance(value, dict):
        if all(isinstance(k, str) and not k.startswith("$") for k in value):
            return {k: _encode(v) for k, v in value.items()}
        return {"$dict": _encode_items(value)}
    if isinstance(value, (list, deque)):
        return [_encode(v) for v in value]
    if isinstance(value, tuple):
        return {"$tuple": [_encode(v) for v in value]}
    if isinstance(value, (set, frozenset)):
        tag = "$frozenset" if isinstance(value, frozenset) else "$set"
        return {tag: [_encode(v) for v in sorted(value, key=repr)]}
    raise TypeError(f"cannot snapshot a {type(value).__qualname__}")


def _encode_items(value: dict[Any, Any]) -> list[list[Any]]:
    return [[_encode(k), _encode(v)] for k, v in value.items()]


def _encode_record(value: Any, skipped: frozenset[str] = _SKIPPED) -> dict[str, Any]:
    cls = type(value)
    if not cls.__module__.startswith(_PACKAGE):
        raise TypeError(f"cannot snapshot {cls.__module__}.{cls.__qualname__}: not a record of the fake")
    out: dict[str, Any] = {"$type": f"{cls.__module__}:{cls.__qualname__}"}
    for f in dataclasses.fields(value):
        if f.name not in skipped:
            out[f.name] = _encode(getattr(value, f.name))
    return out


class _Reader:
    """Decodes a snapshot's tagged JSON; ``upgrade`` reads a ``talon-fake-state/1`` snapshot (numbers where a
    record's field is a Decimal now become Decimals)."""

    def __init__(self, *, upgrade: bool) -> None:
        self.upgrade = upgrade
        #: The records decoded whose class checks its fields on construction (``__post_init__``), with where.
        self.checked: list[tuple[str, Any]] = []

    def decode(self, value: Any, where: str) -> Any:
        if isinstance(value, list):
            return [self.decode(v, f"{where}/{i}") for i, v in enumerate(value)]
        if not isinstance(value, dict):
            return value
        if "$type" in value:
            return self.record(value, where)
        tags = [k for k in value if isinstance(k, str) and k.startswith("$")]
        if not tags:
            return {k: self.decode(v, f"{where}/{k}") for k, v in value.items()}
        try:
            return self.tagged(tags[0], value, where)
        except SnapshotError:
            raise
        except (TypeError, ValueError, KeyError, ArithmeticError, AttributeError, TalonError) as exc:
            message = f"{where}: a bad {tags[0]} value {_shown(value[tags[0]])}: {exc or type(exc).__name__}"
            raise SnapshotError(message, pointer=where) from None

    def tagged(self, tag: str, value: dict[str, Any], where: str) -> Any:
        raw = value[tag]
        if tag in _SCALAR_TAGS:
            accepted, reader = _SCALAR_TAGS[tag]
            if not isinstance(raw, accepted) or isinstance(raw, bool):
                raise TypeError(f"expected {_KIND_NAMES[accepted]}")
            return reader(raw)
        if tag == "$talang":
            return compile_ruleset(self.decode(raw, where), campaign=value.get("campaign"))
        if tag in ("$tuple", "$set", "$frozenset"):
            kind: Any = {"$tuple": tuple, "$set": set, "$frozenset": frozenset}[tag]
            return kind(self.decode(_array(raw), where))
        if tag == "$dict":
            return dict(self.pairs(raw, where))
        if tag == "$defaultdict":
            if raw not in _FACTORIES:
                raise ValueError(f"the factory must be one of {sorted(_FACTORIES)}")
            out: defaultdict[Any, Any] = defaultdict(_FACTORIES[raw])
            out.update(self.pairs(value.get("items"), where))
            return out
        raise ValueError(f"unknown tag {tag!r}")

    def pairs(self, raw: Any, where: str) -> list[tuple[Any, Any]]:
        out = []
        seen: set[Any] = set()
        for pair in _array(raw):
            if not isinstance(pair, list) or len(pair) != 2:
                raise TypeError("expected [key, value] pairs")
            key = self.decode(pair[0], where)
            if key in seen:
                raise ValueError(f"the key {key!r} comes twice")
            seen.add(key)
            out.append((key, self.decode(pair[1], f"{where}/{key}")))
        return out

    def record(self, value: dict[str, Any], where: str) -> Any:
        cls = _record_class(value["$type"], where)
        hints = record_hints(cls) if self.upgrade else {}
        record = cls.__new__(cls)
        fields = dataclasses.fields(cls)
        unknown = set(value) - {f.name for f in fields} - {"$type"}
        if unknown:
            name = sorted(unknown)[0]
            raise SnapshotError(f"{where}/{name}: {cls.__qualname__} has no field {name!r}", pointer=f"{where}/{name}")
        for f in fields:
            if f.name in _SKIPPED:
                object.__setattr__(record, f.name, _default(f, where, None))
            elif f.name in value:
                raw = value[f.name]
                if self.upgrade and _decimal_field(hints.get(f.name)) and _is_number(raw):
                    raw = {"$decimal": str(int(raw) if float(raw).is_integer() else raw)}
                object.__setattr__(record, f.name, self.decode(raw, f"{where}/{f.name}"))
            else:
                object.__setattr__(record, f.name, _default(f, where))
        if hasattr(cls, "__post_init__") and cls is not Application:
            self.checked.append((where, record))
        return record


def _record_class(name: Any, where: str) -> Any:
    module_name, _, qualname = str(name).partition(":")
    refused = SnapshotError(f"{where}/$type: {name!r} is not a record of the fake", pointer=f"{where}/$type")
    if not isinstance(name, str) or not module_name.startswith(_PACKAGE):
        raise refused
    try:
        cls: Any = importlib.import_module(module_name)
        for part in qualname.split("."):
            cls = getattr(cls, part)
    except (ImportError, AttributeError, ValueError):
        raise refused from None
    if not (isinstance(cls, type) and dataclasses.is_dataclass(cls)):
        raise refused
    return cls


def _decimal(raw: str) -> Decimal:
    value = Decimal(raw)
    if not value.is_finite():
        raise ValueError("not a finite number")
    return value


def _seconds(raw: float) -> timedelta:
    if not math.isfinite(raw):
        raise ValueError("not a finite number of seconds")
    return timedelta(seconds=raw)


_SCALAR_TAGS: dict[str, tuple[Any, Any]] = {
    "$datetime": (str, datetime.fromisoformat),
    "$date": (str, date.fromisoformat),
    "$timedelta": ((int, float), _seconds),
    "$decimal": (str, _decimal),
}
_KIND_NAMES: dict[Any, str] = {str: "a string", (int, float): "a number"}


def _array(raw: Any) -> list[Any]:
    if not isinstance(raw, list):
        raise TypeError("expected an array")
    return raw


def _is_number(raw: Any) -> bool:
    return isinstance(raw, (int, float)) and not isinstance(raw, bool)


def _decimal_field(hint: Any) -> bool:
    return hint is Decimal or Decimal in typing.get_args(hint)


def _shown(raw: Any) -> str:
    text = repr(raw)
    return text if len(text) <= 60 else text[:57] + "..."


def _default(f: dataclasses.Field[Any], where: str, missing: Any = dataclasses.MISSING) -> Any:
    if f.default is not dataclasses.MISSING:
        return f.default
    if f.default_factory is not dataclasses.MISSING:
        return f.default_factory()
    if missing is dataclasses.MISSING:
        raise SnapshotError(f"{where}/{f.name}: the field is missing", pointer=f"{where}/{f.name}")
    return missing
