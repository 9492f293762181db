"""How one expected value is compared with one value from the wire, and how names are checked against a list.

Rules: numbers within ``math.isclose(rel_tol=1e-9, abs_tol=1e-9)``, except a :class:`~decimal.Decimal` expectation,
which compares exactly as decimals; strings, booleans and ``None`` exactly; a compiled regular expression must
match the whole string; a ``datetime`` equals the parsed RFC3339 timestamp; dicts and lists element by element.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from uuid import UUID

from pytest_talon._assertions.errors import AssertionUsageError
from pytest_talon._time import parse_rfc3339

__all__ = ["ABS_TOL", "MISSING", "REL_TOL", "check_choice", "is_number", "suggest", "to_decimal", "values_match"]

__tracebackhide__ = True

#: Relative tolerance for float comparisons.
REL_TOL = 1e-9
#: Absolute tolerance for float comparisons (so that 0.1 + 0.2 equals 0.3 and tiny values equal 0).
ABS_TOL = 1e-9


class _Missing:
    """The value of a field absent from the wire data."""

    def __repr__(self) -> str:
        return "<missing>"


#: Placeholder for a field the wire data does not have.
MISSING: Any = _Missing()


def is_number(value: object) -> bool:
    """Whether ``value`` is a JSON number (``bool`` is not)."""
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def to_decimal(value: object) -> Decimal:
    """``value`` as an exact decimal via its string form, so ``0.1`` becomes ``Decimal('0.1')``."""
    if isinstance(value, bool):
        raise AssertionUsageError(f"expected an amount, got the boolean {value!r}")
    try:
        return value if isinstance(value, Decimal) else Decimal(str(value))
    except InvalidOperation:
        raise AssertionUsageError(f"expected an amount (a number or a numeric string), got {value!r}") from None


def values_match(expected: Any, actual: Any) -> bool:
    """Whether the wire value ``actual`` satisfies ``expected`` (see the module docstring for the rules)."""
    if isinstance(expected, re.Pattern):
        return isinstance(actual, str) and expected.fullmatch(actual) is not None
    if isinstance(expected, bool) or isinstance(actual, bool):
        return isinstance(expected, bool) and isinstance(actual, bool) and expected == actual
    if isinstance(expected, Decimal):
        return is_number(actual) and to_decimal(actual) == expected
    if is_number(expected):
        return is_number(actual) and math.isclose(float(expected), float(actual), rel_tol=REL_TOL, abs_tol=ABS_TOL)
    if isinstance(expected, datetime):
        return _datetime_matches(expected, actual)
    if isinstance(expected, UUID):
        return isinstance(actual, str) and actual.lower() == str(expected)
    if isinstance(expected, Mapping):
        return _mapping_matches(expected, actual)
    if isinstance(expected, (list, tuple)):
        return _sequence_matches(expected, actual)
    return bool(expected == actual)


def _datetime_matches(expected: datetime, actual: Any) -> bool:
    if not isinstance(actual, str):
        return False
    try:
        parsed = parse_rfc3339(actual, require_offset=False)
    except ValueError:
        return False
    if (parsed.tzinfo is None) != (expected.tzinfo is None):
        return False
    return parsed == expected


def _mapping_matches(expected: Mapping[Any, Any], actual: Any) -> bool:
    if not isinstance(actual, Mapping) or set(map(str, expected)) != set(actual):
        return False
    return all(values_match(value, actual[str(key)]) for key, value in expected.items())


def _sequence_matches(expected: Sequence[Any], actual: Any) -> bool:
    if not isinstance(actual, list) or len(actual) != len(expected):
        return False
    return all(values_match(want, got) for want, got in zip(expected, actual, strict=True))


def suggest(name: str, choices: Iterable[str]) -> str | None:
    """The closest of ``choices`` to a mistyped ``name``, or ``None`` when nothing is close."""
    found = difflib.get_close_matches(name, sorted(choices), n=1, cutoff=0.6)
    return found[0] if found else None


def check_choice(kind: str, value: object, choices: Sequence[str]) -> None:
    """Raise :class:`AssertionUsageError` naming the closest choice when ``value`` is not one of ``choices``."""
    if value in choices:
        return
    close = suggest(value, choices) if isinstance(value, str) else None
    if close is not None:
        raise AssertionUsageError(f"unknown {kind} {value!r}, did you mean {close!r}?")
    raise AssertionUsageError(f"unknown {kind} {value!r}; known: {', '.join(choices)}")
