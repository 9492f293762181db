"""Talang's run-time values and their checks: Decimal, String, Boolean, Time, List, Map and Null.

Every value the interpreter handles is one of ``Decimal``, ``str``, ``bool``, ``datetime`` (aware), ``list``,
``dict`` (a Map) or ``None`` (Null, what ``noop`` gives). JSON numbers become Decimals through their text, so
``0.1`` is exactly ``Decimal("0.1")``. A check that fails raises :class:`TalangRuntimeError` naming the function,
the argument and what it got: nothing is coerced to false silently.
"""

from __future__ import annotations

import decimal
from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

from pytest_talon._time import format_rfc3339, parse_rfc3339
from pytest_talon.fake.talang.errors import TalangRuntimeError

__all__ = [
    "ARITHMETIC",
    "KINDS",
    "as_kind",
    "atom_text",
    "describe",
    "format_decimal",
    "from_json",
    "parse_time",
    "type_name",
]

#: Decimal arithmetic of the interpreter, independent of the process's decimal context (INF: 34 digits).
ARITHMETIC = decimal.Context(
    prec=34, rounding=decimal.ROUND_HALF_EVEN, traps=[decimal.DivisionByZero, decimal.InvalidOperation]
)

#: Parameter kinds a function declares, and the Talang type name each stands for in messages.
KINDS: Mapping[str, str] = {
    "decimal": "Decimal",
    "string": "String",
    "boolean": "Boolean",
    "time": "Time",
    "list": "List",
    "map": "Map",
    "atom": "Atom",
    "any": "Any",
    "lambda": "Token",
}


def from_json(value: Any) -> object:
    """Turn a JSON value (from a session, an attribute, a rule literal) into a Talang value: numbers to Decimal."""
    if isinstance(value, bool) or value is None or isinstance(value, (str, Decimal, datetime)):
        return value
    if isinstance(value, (int, float)):
        return Decimal(str(value))
    if isinstance(value, Mapping):
        return {str(k): from_json(v) for k, v in value.items()}
    if isinstance(value, Sequence):
        return [from_json(v) for v in value]
    raise TalangRuntimeError(f"{value!r} ({type(value).__name__}) is not a JSON value")


_TYPE_NAMES = (
    (bool, "Boolean"),
    (Decimal, "Decimal"),
    (str, "String"),
    (datetime, "Time"),
    (list, "List"),
    (dict, "Map"),
)


def type_name(value: object) -> str:
    """The Talang type name of a run-time value (``Decimal``, ``String``, ...)."""
    if value is None:
        return "Null"
    return next((name for kind, name in _TYPE_NAMES if isinstance(value, kind)), type(value).__name__)


def describe(value: object) -> str:
    """A short, readable form of a value for error messages: its type and (cut) text."""
    text = repr(value if not isinstance(value, Decimal) else format_decimal(value))
    return f"{type_name(value)} {text[:60]}"


def format_decimal(value: Decimal) -> str:
    """The text of a Decimal without exponent or trailing zeros (``5.0`` -> ``5``, ``1E+1`` -> ``10``)."""
    text = format(value.normalize(ARITHMETIC), "f")
    return "0" if text in ("-0", "") else text


def shown(value: object) -> str:
    """A value as an explanation shows it: a fractional Decimal with at least two decimals (``45.00``), a whole one
    as written (``50``), texts quoted, Booleans and Null as Talang writes them, others as JSON-like text."""
    if isinstance(value, Decimal) and not isinstance(value, bool):
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and exponent < 0 and value == value.quantize(Decimal("0.01")):
            return str(value.quantize(Decimal("0.01")))
        return format_decimal(value) if value == value.to_integral_value() else str(value)
    if isinstance(value, str):
        return repr(value)
    if value is None:
        return "null"
    text = atom_text(value)
    if text is not None:
        return text
    if isinstance(value, float):
        return shown(Decimal(str(value)))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(shown(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {shown(v)}" for k, v in list(value.items())[:6]) + "}"
    return repr(value)


def atom_text(value: object) -> str | None:
    """The text of an Atom as the reference's ``toString`` gives it (``None`` for a List, Map or Null)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format_decimal(value)
    if isinstance(value, datetime):
        return format_rfc3339(value)
    return None


def parse_time(text: str) -> datetime:
    """Parse an RFC 3339 timestamp (``Z`` or an offset; a missing offset is UTC: INF) into an aware datetime."""
    try:
        parsed = parse_rfc3339(text.strip(), require_offset=False)
    except ValueError:
        raise TalangRuntimeError(f"{text!r} is not an RFC 3339 time (e.g. 2024-05-01T12:00:00Z)") from None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=timezone.utc)


#: The Python types each parameter kind accepts (``any`` and ``lambda``: everything).
_ACCEPTS: Mapping[str, type | tuple[type, ...]] = {
    "decimal": Decimal,
    "string": str,
    "boolean": bool,
    "time": datetime,
    "list": list,
    "map": dict,
    "atom": (Decimal, str, bool, datetime),
}


def as_kind(value: object, kind: str, *, function: str | None = None, position: int) -> object:
    """Check ``value`` against a parameter ``kind`` of ``function`` (argument ``position``, 1-based) and return it.

    A Time parameter also accepts an RFC 3339 string (attributes of type time arrive as strings: INF).
    """
    if kind == "time" and isinstance(value, str):
        try:
            return parse_time(value)
        except TalangRuntimeError as error:
            prefix = f"{function}: " if function else ""
            raise TalangRuntimeError(f"{prefix}argument {position}: {error.message}", function=function) from None
    accepted = _ACCEPTS.get(kind)
    ok = accepted is None or isinstance(value, accepted)
    if not ok:
        raise TalangRuntimeError(
            f"{function + ': ' if function else ''}argument {position} must be a {KINDS[kind]}, got {describe(value)}",
            function=function,
        )
    return value
