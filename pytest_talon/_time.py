"""The one RFC 3339 timestamp parser, with the same rules on every Python version we support.

Python 3.10's ``datetime.fromisoformat`` reads neither the ``Z`` suffix nor fractions of other than 3 or 6 digits
(``2026-01-01T00:00:00.12+00:00`` raises there), and 3.11's reads much more than RFC 3339. Everything in
pytest-talon that reads a timestamp from the wire or from the user goes through :func:`parse_rfc3339`, and everything
that writes one goes through :func:`format_rfc3339`.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

__all__ = ["format_rfc3339", "parse_rfc3339"]

_RFC3339 = re.compile(
    r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})"
    r"[Tt ](?P<hour>\d{2}):(?P<minute>\d{2}):(?P<second>\d{2})(?:\.(?P<fraction>\d+))?"
    r"(?P<offset>[Zz]|(?P<sign>[+-])(?P<off_hour>\d{2}):(?P<off_minute>\d{2}))?",
    re.ASCII,
)


def parse_rfc3339(text: str, *, require_offset: bool = True) -> datetime:
    """Parse an RFC 3339 timestamp (``2026-01-01T10:00:00.12Z``, ``...+02:00``) into an aware datetime.

    Fractions of any length are read (digits past microseconds are truncated); ``T`` may be ``t`` or a space.
    Without an offset the text is refused, unless ``require_offset=False`` (then the result is naive).
    Raises :class:`ValueError` saying what is wrong.
    """
    match = _RFC3339.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        raise ValueError(f"{text!r} is not an RFC 3339 timestamp (like 2026-01-31T10:00:00Z or ...T10:00:00.5+02:00)")
    if match["offset"] is None and require_offset:
        raise ValueError(f"{text!r} has no UTC offset: add Z or an offset like +02:00")
    fraction = (match["fraction"] or "")[:6].ljust(6, "0")
    try:
        return datetime(
            int(match["year"]),
            int(match["month"]),
            int(match["day"]),
            int(match["hour"]),
            int(match["minute"]),
            int(match["second"]),
            int(fraction),
            tzinfo=_zone(match),
        )
    except ValueError as exc:  # month 13, hour 24, leap second 60, offset +25:00, ...
        raise ValueError(f"{text!r} is not a valid timestamp: {exc}") from None


def _zone(match: re.Match[str]) -> timezone | None:
    if match["offset"] is None:
        return None
    if match["sign"] is None:
        return timezone.utc
    minutes = int(match["off_hour"]) * 60 + int(match["off_minute"])
    if int(match["off_minute"]) >= 60 or minutes >= 24 * 60:
        raise ValueError(f"UTC offset {match['offset']} is out of range")
    if minutes == 0:
        return timezone.utc
    return timezone(timedelta(minutes=-minutes if match["sign"] == "-" else minutes))


def format_rfc3339(when: datetime) -> str:
    """The RFC 3339 text of an aware datetime, ``Z`` for UTC (``2026-01-01T10:00:00Z``)."""
    text = when.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text
