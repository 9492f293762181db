"""The one RFC 3339 parser: Python 3.10's rules, whatever Python runs the suite.

Python 3.10's ``datetime.fromisoformat`` refuses ``Z`` and fractions other than 3 or 6 digits; the expected values
below are built with the ``datetime`` constructor, never with ``fromisoformat``, so the table holds on 3.10 too.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest

from pytest_talon import _time
from pytest_talon._time import parse_rfc3339

UTC = timezone.utc


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-01-31T10:00:00Z", datetime(2026, 1, 31, 10, tzinfo=UTC)),
        ("2026-01-31t10:00:00z", datetime(2026, 1, 31, 10, tzinfo=UTC)),
        ("2026-01-31 10:00:00Z", datetime(2026, 1, 31, 10, tzinfo=UTC)),
        ("2026-01-31T10:00:00+00:00", datetime(2026, 1, 31, 10, tzinfo=UTC)),
        ("2026-01-31T10:00:00-00:00", datetime(2026, 1, 31, 10, tzinfo=UTC)),
        ("2026-01-31T10:00:00.12+00:00", datetime(2026, 1, 31, 10, 0, 0, 120000, tzinfo=UTC)),
        ("2026-01-31T10:00:00.1Z", datetime(2026, 1, 31, 10, 0, 0, 100000, tzinfo=UTC)),
        ("2026-01-31T10:00:00.1234Z", datetime(2026, 1, 31, 10, 0, 0, 123400, tzinfo=UTC)),
        ("2026-01-31T10:00:00.123456Z", datetime(2026, 1, 31, 10, 0, 0, 123456, tzinfo=UTC)),
        ("2026-01-31T10:00:00.123456789Z", datetime(2026, 1, 31, 10, 0, 0, 123456, tzinfo=UTC)),
        ("2026-01-31T10:00:00.999999999Z", datetime(2026, 1, 31, 10, 0, 0, 999999, tzinfo=UTC)),
        ("2026-01-31T12:30:00+02:30", datetime(2026, 1, 31, 10, tzinfo=UTC)),
        ("2026-01-31T05:00:00.5-05:00", datetime(2026, 1, 31, 10, 0, 0, 500000, tzinfo=UTC)),
        ("2024-02-29T23:59:59+23:59", datetime(2024, 2, 29, 0, 0, 59, tzinfo=UTC)),
    ],
)
def test_parses_rfc3339(text: str, expected: datetime) -> None:
    parsed = parse_rfc3339(text)
    assert parsed == expected
    assert parsed.utcoffset() is not None


def test_offsets_are_kept_and_utc_is_the_utc_singleton() -> None:
    assert parse_rfc3339("2026-01-31T10:00:00+02:00").utcoffset() == timedelta(hours=2)
    assert parse_rfc3339("2026-01-31T10:00:00-05:30").utcoffset() == -timedelta(hours=5, minutes=30)
    assert parse_rfc3339("2026-01-31T10:00:00Z").tzinfo is UTC
    assert parse_rfc3339("2026-01-31T10:00:00+00:00").tzinfo is UTC


def test_naive_only_when_asked() -> None:
    with pytest.raises(ValueError, match="no UTC offset: add Z"):
        parse_rfc3339("2026-01-31T10:00:00")
    assert parse_rfc3339("2026-01-31T10:00:00.25", require_offset=False) == datetime(2026, 1, 31, 10, 0, 0, 250000)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "yesterday",
        "2026-01-31",
        "2026-01-31T10:00Z",
        "2026-01-31T10:00:00.Z",
        "2026-1-31T10:00:00Z",
        "20260131T100000Z",
        "2026-01-31T10:00:00+0200",
        "2026-01-31T10:00:00+02",
        "2026-01-31T10:00:00 Z",
        "2026-01-31T10:00:00Z ",
        "2026-13-01T10:00:00Z",
        "2026-02-30T10:00:00Z",
        "2026-01-31T24:00:00Z",
        "2026-01-31T23:59:60Z",
        "2026-01-31T10:00:00+24:00",
        "2026-01-31T10:00:00+01:60",
        "\uff12\uff10\uff12\uff16-01-31T10:00:00Z",  # full-width digits: \\d must mean ASCII digits
    ],
)
def test_refuses_what_is_not_rfc3339(text: str) -> None:
    with pytest.raises(ValueError, match=r"not an RFC 3339 timestamp|not a valid timestamp"):
        parse_rfc3339(text)


class _Py310Datetime(datetime):
    """``datetime`` with 3.10's ``fromisoformat``: no ``Z``, fractions of 3 or 6 digits only."""

    @classmethod
    def fromisoformat(cls, date_string: str) -> _Py310Datetime:
        if date_string.endswith(("Z", "z")) or re.search(r"\.(\d{1,2}|\d{4,5}|\d{7,})(?!\d)", date_string):
            raise ValueError(f"Invalid isoformat string: {date_string!r}")
        parsed = datetime.fromisoformat(date_string)
        return cls.combine(parsed.date(), parsed.timetz())


def test_holds_under_python_310_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_time, "datetime", _Py310Datetime)
    with pytest.raises(ValueError, match="Invalid isoformat"):
        _Py310Datetime.fromisoformat("2026-01-31T10:00:00.12+00:00")
    assert parse_rfc3339("2026-01-31T10:00:00.12+00:00") == datetime(2026, 1, 31, 10, 0, 0, 120000, tzinfo=UTC)
    assert parse_rfc3339("2026-01-31T10:00:00Z") == datetime(2026, 1, 31, 10, tzinfo=UTC)
