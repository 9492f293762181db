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
from collections import defaultdict, deque
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from pytest_talon._time import parse_rfc3339
from pytest_talon.fake.errors import FakeSetupError
from pytest_talon.fake.state.application import Application
from pytest_talon.fake.state.clock import FakeClock
from pytest_talon.fake.state.records import CampaignUsage, RequestLog
from pytest_talon.fake.talang.rules import CompiledRuleset, compile_ruleset

__all__ = ["FORMAT", "export_state", "import_state"]

#: The ``format`` of every snapshot; an import of another format is refused.
FORMAT = "talon-fake-state/1"
_PACKAGE = "pytest_talon.fake."
#: Fields that are not state: the clock (its instant is stored apart), the ledger's policy (rebuilt on import),
#: webhooks waiting to be sent (a restored state sends nothing again), the Application's shared strings.
_SKIPPED = frozenset({"clock", "policy", "outbox", "interned", "indexes"})
#: What ``export_state(..., logs=False)`` leaves out: the record of what happened, not the state it left.
_LOGS = frozenset({"requests", "webhooks"})
#: defaultdict factories a snapshot may name.
_FACTORIES: dict[str, Any] = {"int": int, "float": float, "list": list, "CampaignUsage": CampaignUsage}


def export_state(app: Application, *, logs: bool = True) -> dict[str, Any]:
    """A JSON-ready snapshot of ``app`` (every record, id counter, fault and webhook) and its clock's instant;
    without ``logs`` the request log and the triggered webhooks are left out (restored empty)."""
    encoded = _encode_record(app, _SKIPPED if logs else _SKIPPED | _LOGS)
    if not logs:
        encoded.update({name: [] for name in _LOGS})
    return {"format": FORMAT, "now": app.now().isoformat(), "application": encoded}


def import_state(data: Any, clock: FakeClock, max_requests: int | None) -> Application:
    """A new Application from a snapshot made by :func:`export_state`; the clock is moved to the snapshot's instant.

    Raises :class:`FakeSetupError` naming what is wrong with ``data``.
    """
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise FakeSetupError(f"not a fake state snapshot: expected an object with format {FORMAT!r}")
    try:
        now = parse_rfc3339(str(data.get("now")))
        app = _decode(data.get("application"), "/application")
    except (TypeError, ValueError, KeyError, AttributeError) as exc:
        raise FakeSetupError(f"the snapshot cannot be read: {exc}") from None
    if not isinstance(app, Application):
        raise FakeSetupError("the snapshot's application is not a fake Application")
    app.clock = clock
    app.__post_init__()
    app.requests = RequestLog(app.requests, maxlen=max_requests)
    app.webhooks = deque(app.webhooks, maxlen=max_requests)
    clock.set(now)
    return app


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


def _decode(value: Any, where: str) -> Any:
    if isinstance(value, list):
        return [_decode(v, f"{where}/{i}") for i, v in enumerate(value)]
    if not isinstance(value, dict):
        return value
    if "$type" in value:
        return _decode_record(value, where)
    tags = [k for k in value if k.startswith("$")]
    if not tags:
        return {k: _decode(v, f"{where}/{k}") for k, v in value.items()}
    return _decode_tagged(tags[0], value, where)


def _decode_tagged(tag: str, value: dict[str, Any], where: str) -> Any:
    raw = value[tag]
    if tag == "$datetime":
        return datetime.fromisoformat(raw)
    if tag == "$date":
        return date.fromisoformat(raw)
    if tag == "$timedelta":
        return timedelta(seconds=raw)
    if tag == "$decimal":
        return Decimal(raw)
    if tag == "$talang":
        return compile_ruleset(_decode(raw, where), campaign=value.get("campaign"))
    if tag in ("$tuple", "$set", "$frozenset"):
        kind: Any = {"$tuple": tuple, "$set": set, "$frozenset": frozenset}[tag]
        return kind(_decode(raw, where))
    if tag == "$dict":
        return {_decode(k, where): _decode(v, where) for k, v in raw}
    if tag == "$defaultdict":
        out: defaultdict[Any, Any] = defaultdict(_FACTORIES[raw])
        out.update((_decode(k, where), _decode(v, where)) for k, v in value["items"])
        return out
    raise ValueError(f"{where}: unknown tag {tag!r}")


def _decode_record(value: dict[str, Any], where: str) -> Any:
    module_name, _, qualname = str(value["$type"]).partition(":")
    if not module_name.startswith(_PACKAGE):
        raise ValueError(f"{where}: {value['$type']!r} is not a record of the fake")
    cls: Any = importlib.import_module(module_name)
    for part in qualname.split("."):
        cls = getattr(cls, part)
    if not (isinstance(cls, type) and dataclasses.is_dataclass(cls)):
        raise ValueError(f"{where}: {value['$type']!r} is not a record of the fake")
    record = cls.__new__(cls)
    for f in dataclasses.fields(cls):
        if f.name in _SKIPPED:
            object.__setattr__(record, f.name, _default(f, where, None))
        elif f.name in value:
            object.__setattr__(record, f.name, _decode(value[f.name], f"{where}/{f.name}"))
        else:
            object.__setattr__(record, f.name, _default(f, where))
    return record


def _default(f: dataclasses.Field[Any], where: str, missing: Any = dataclasses.MISSING) -> Any:
    if f.default is not dataclasses.MISSING:
        return f.default
    if f.default_factory is not dataclasses.MISSING:
        return f.default_factory()
    if missing is dataclasses.MISSING:
        raise ValueError(f"{where}: field {f.name!r} is missing")
    return missing
