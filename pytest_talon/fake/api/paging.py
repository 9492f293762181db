"""Query helpers shared by the handlers: pagination, date filters and enum checks (400 naming the parameter)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, timezone
from typing import Any, TypeVar

from pytest_talon._time import parse_rfc3339
from pytest_talon.fake.api.calls import OperationCall
from pytest_talon.fake.errors import BadRequest, NotFound

__all__ = ["MAX_PAGE_SIZE", "check_enum", "page", "parse_when", "path_int", "when_param"]

#: The largest ``pageSize`` any paginated endpoint accepts.
MAX_PAGE_SIZE = 1000

_T = TypeVar("_T")


_DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")


def page(items: Sequence[_T], call: OperationCall) -> tuple[list[_T], bool]:
    """The page ``skip``/``pageSize`` asks for (the operation's default size), and whether more items follow."""
    size = call.query.get("pageSize")
    skip = call.query.get("skip") or 0
    if size is None or not 1 <= size <= MAX_PAGE_SIZE:
        raise BadRequest(
            f"parameter 'pageSize' must be between 1 and {MAX_PAGE_SIZE}, got {size}", parameter="pageSize"
        )
    if skip < 0:
        raise BadRequest(f"parameter 'skip' must not be negative, got {skip}", parameter="skip")
    return list(items[skip : skip + size]), skip + size < len(items)


def parse_when(value: str, name: str) -> datetime:
    """An RFC3339 date-time (a date alone is midnight UTC) as an aware datetime; 400 naming ``name`` otherwise."""
    text = value.strip()
    try:
        parsed = parse_rfc3339(text + "T00:00:00Z" if _DATE_ONLY.fullmatch(text) else text, require_offset=False)
    except ValueError:
        raise BadRequest(f"parameter {name!r} must be an RFC3339 date-time, got {value!r}", parameter=name) from None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=timezone.utc)


def when_param(call: OperationCall, name: str) -> datetime | None:
    """The date-time query parameter ``name``, or None when absent."""
    value = call.query.get(name)
    return None if value is None else parse_when(str(value), name)


def check_enum(value: Any, allowed: Sequence[str], name: str) -> None:
    """400 naming the parameter unless ``value`` is one of ``allowed``."""
    if value not in allowed:
        raise BadRequest(f"parameter {name!r} must be one of {', '.join(allowed)}, got {value!r}", parameter=name)


def path_int(call: OperationCall, name: str, what: str) -> int:
    """An integer path parameter; 404 when it is not a number (no entity can have that id)."""
    try:
        return int(call.path[name])
    except ValueError:
        raise NotFound(f"{what} {call.path[name]!r} not found: {name} must be an integer") from None
