"""Response-level helpers: ``assert_status``, ``assert_error`` (error body, field, message, title) and
``assert_session_state``."""

from __future__ import annotations

import re
import typing
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import ValidationError

from pytest_talon._assertions.compare import check_choice
from pytest_talon._assertions.effects import fail
from pytest_talon._assertions.errors import AssertionUsageError
from pytest_talon._assertions.normalize import Outcome, describe_failure, outcome_of, session_of
from pytest_talon.models import CustomerSessionV2, ErrorResponseWithStatus

__all__ = ["SESSION_STATES", "assert_error", "assert_session_state", "assert_status"]

__tracebackhide__ = True

#: The states of a customer session, from the spec's ``CustomerSessionV2.state`` enum.
SESSION_STATES: tuple[str, ...] = typing.get_args(CustomerSessionV2.model_fields["state"].annotation)

#: Text to look for: a substring, or a regular expression searched anywhere.
TextMatch = str | re.Pattern[str]


def _statuses(expected: int | Iterable[int]) -> tuple[int, ...]:
    statuses = (expected,) if isinstance(expected, int) else tuple(expected)
    if not statuses or not all(isinstance(s, int) and not isinstance(s, bool) for s in statuses):
        raise AssertionUsageError(f"expected status must be an int or a collection of ints, got {expected!r}")
    return statuses


def _known_status(outcome: Outcome, obj: object) -> int:
    if outcome.status is None:
        raise AssertionUsageError(
            f"{type(obj).__name__} carries no HTTP status: pass the httpx or requests response (client.last_response), "
            "the aiohttp ClientResponse itself rather than what resp.json() returned, a talon_requests entry, "
            "or the TalonAPIError / ApiException that was raised"
        )
    return outcome.status


def assert_status(response_or_error: object, expected: int | Iterable[int], /) -> None:
    """Assert the HTTP status of a response (httpx, requests, aiohttp: read or not), a ``talon_requests`` entry, a
    raised ``TalonAPIError`` / SDK ``ApiException``, a client's ``last_response`` or an error body with
    ``StatusCode``; ``expected`` is one status or several."""
    statuses = _statuses(expected)
    outcome = outcome_of(response_or_error)
    if _known_status(outcome, response_or_error) not in statuses:
        wanted = " or ".join(map(str, statuses))
        raise fail(f"expected HTTP status {wanted}; got {describe_failure(outcome)}")


def _contains(pattern: TextMatch, text: object) -> bool:
    if not isinstance(text, str):
        return False
    return pattern.search(text) is not None if isinstance(pattern, re.Pattern) else pattern in text


def _at(field: str, source: Mapping[str, Any]) -> bool:
    pointer = "/" + field.replace(".", "/") if not field.startswith("/") else field
    return source.get("pointer") == pointer or field in (source.get("parameter"), source.get("line"))


def _entry_matches(entry: Mapping[str, Any], field: str | None, title: TextMatch | None) -> bool:
    source = entry.get("source") or {}
    if field is not None and not (isinstance(source, Mapping) and _at(field, source)):
        return False
    return title is None or _contains(title, entry.get("title"))


def _wanted(status: int | None, field: str | None, message: TextMatch | None, title: TextMatch | None) -> str:
    parts = [f"HTTP status {status}"] if status is not None else []
    parts += [f"message containing {_show(message)}"] if message is not None else []
    if field is not None or title is not None:
        entry = "an entry" + (f" at {field!r}" if field is not None else "")
        parts.append(entry + (f" titled {_show(title)}" if title is not None else ""))
    return "an error" + (" with " + ", ".join(parts) if parts else "")


def _show(text: TextMatch | None) -> str:
    return f"re.compile({text.pattern!r})" if isinstance(text, re.Pattern) else repr(text)


def _to_model(outcome: Outcome) -> ErrorResponseWithStatus:
    if isinstance(outcome.body, Mapping):
        try:
            return ErrorResponseWithStatus.model_validate({"StatusCode": outcome.status, **outcome.body})
        except ValidationError:
            pass  # an error body outside the spec still yields its message below
    return ErrorResponseWithStatus(message=outcome.text, StatusCode=outcome.status)


def assert_error(
    response_or_error: object,
    /,
    status: int | None = None,
    *,
    field: str | None = None,
    message: TextMatch | None = None,
    title: TextMatch | None = None,
) -> ErrorResponseWithStatus:
    """Assert an error response: its status, that its message contains ``message``, and that one ``errors`` entry
    points at ``field`` (a JSON pointer, a dotted path or a parameter) and has a title containing ``title``."""
    outcome = outcome_of(response_or_error)
    wanted = _wanted(status, field, message, title)
    if outcome.status is not None and outcome.status < 400:
        raise fail(f"expected {wanted}; got a success: {describe_failure(outcome)}")
    if status is not None and _known_status(outcome, response_or_error) != status:
        raise fail(f"expected {wanted}; got {describe_failure(outcome)}")
    body = outcome.body if isinstance(outcome.body, Mapping) else {}
    text = body.get("message") if body else outcome.text
    entries = [e for e in body.get("errors") or [] if isinstance(e, Mapping)]
    if message is not None and not _contains(message, text):
        raise fail(f"expected {wanted}; got {describe_failure(outcome)}")
    if (field is not None or title is not None) and not any(_entry_matches(e, field, title) for e in entries):
        raise fail(f"expected {wanted}; got {describe_failure(outcome)}", [] if entries else ["  (no errors listed)"])
    return _to_model(outcome)


def assert_session_state(state_or_session: object, expected: str, /) -> None:
    """Assert the state (``open``, ``closed``, ``partially_returned``, ``cancelled``) of a customer session, given
    the session or an integration state / session response that includes it."""
    check_choice("session state", expected, SESSION_STATES)
    session = session_of(state_or_session)
    actual = session.get("state")
    if actual != expected:
        name = f"session {session['integrationId']!r}" if "integrationId" in session else "the session"
        raise fail(f"expected {name} to be {expected!r}, got {actual!r}")
