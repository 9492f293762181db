"""Errors the fake answers with, one class per HTTP status, and their encoding in the live API's error shapes."""

from __future__ import annotations

from typing import Any

from pytest_talon._spec.operation import Operation
from pytest_talon.errors import TalonError

__all__ = [
    "BadRequest",
    "Conflict",
    "FakeBug",
    "Forbidden",
    "FakeError",
    "FakeSetupError",
    "NotFound",
    "NotImplementedInFake",
    "Unauthorized",
    "error_body",
]


class FakeError(TalonError):
    """An error the fake answers with: HTTP status, message, and an optional pointer/parameter into the request.

    ``pointer`` is a JSON pointer into the body (``/customerSession/state``), ``parameter`` a query or path
    parameter name; at most one of the two is set.
    """

    status_code: int = 500
    title: str = "Error"

    def __init__(
        self, message: str, *, pointer: str | None = None, parameter: str | None = None, details: str | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.pointer = pointer
        self.parameter = parameter
        self.details = details


class BadRequest(FakeError):
    """400: the request is malformed, fails validation, or asks for something the current state forbids."""

    status_code = 400
    title = "Bad Request"


class Unauthorized(FakeError):
    """401: the ``Authorization: ApiKey-v1 <key>`` header is missing, malformed or names another key."""

    status_code = 401
    title = "Unauthorized"


class Forbidden(FakeError):
    """403: the key is valid but may not do this (an Application's key on the server's admin calls)."""

    status_code = 403
    title = "Forbidden"


class NotFound(FakeError):
    """404: the path or the entity it names does not exist."""

    status_code = 404
    title = "Not Found"


class Conflict(FakeError):
    """409: another request for the same session or profile is in flight (the documented concurrency answer)."""

    status_code = 409
    title = "Conflict"


class NotImplementedInFake(FakeError):
    """501: the operation exists in the live API but the fake does not implement it (yet)."""

    status_code = 501
    title = "Not Implemented"


class FakeBug(FakeError):
    """500: a bug in the fake itself; the body says so and the request is recorded."""

    status_code = 500
    title = "Internal Server Error"


class FakeSetupError(TalonError, ValueError):
    """A test seeded the fake with something invalid (a campaign, a coupon, a referral); the message says what."""


#: Error schemas that carry ``StatusCode``; every other named schema is the plain ``ErrorResponse``.
_WITH_STATUS = {"ErrorResponseWithStatus", "LegacyErrorResponseWithStatus"}


def error_body(error: FakeError, op: Operation | None) -> dict[str, Any]:
    """Encode ``error`` in the shape ``op`` declares for its status (``ErrorResponse`` or ``...WithStatus``).

    401 is always ``ErrorResponseWithStatus``; statuses an operation does not declare (and 409, whose schema the
    spec leaves untyped) get ``ErrorResponseWithStatus`` too (INF, behaviour.md §6).
    """
    source = {"parameter": error.parameter} if error.parameter is not None else {"pointer": error.pointer or "/"}
    entry: dict[str, Any] = {"title": error.title, "source": source}
    if error.details or error.message:
        entry["details"] = error.details or error.message
    body: dict[str, Any] = {"message": error.message, "errors": [entry]}
    schema = op.errors.get(str(error.status_code)) if op is not None else None
    if error.status_code == 401 or schema is None or schema in _WITH_STATUS:
        body["StatusCode"] = error.status_code
    return body
