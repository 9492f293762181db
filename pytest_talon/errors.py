"""The exception hierarchy of pytest-talon: every error we raise derives from :class:`TalonError`."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import httpx

    from pytest_talon.models import ErrorResponse, ErrorResponseWithStatus

__all__ = ["TalonAPIError", "TalonError", "TalonRequestError"]


class TalonError(Exception):
    """Base class of every error raised by pytest-talon."""


class TalonRequestError(TalonError, ValueError):
    """A request body or parameter was rejected before anything was sent."""


class TalonAPIError(TalonError):
    """The API answered with a non-2xx status.

    Carries the status code, the parsed error body (``None`` when it was not JSON in a known shape), the request
    method and path, and the raw :class:`httpx.Response`.
    """

    def __init__(
        self,
        *,
        status_code: int,
        method: str,
        path: str,
        error: ErrorResponse | ErrorResponseWithStatus | None,
        response: httpx.Response,
    ) -> None:
        self.status_code = status_code
        self.method = method
        self.path = path
        self.error = error
        self.response = response
        super().__init__(self._describe())

    @property
    def message(self) -> str:
        """The error body's ``message`` (or the raw body text when it was not a known JSON shape)."""
        if self.error is not None and self.error.message:
            return self.error.message
        return self.response.text

    def _describe(self) -> str:
        lines = [f"{self.method} {self.path} -> {self.status_code}: {self.message.strip()[:500] or '(empty body)'}"]
        for item in (self.error.errors or []) if self.error is not None else []:
            where = ""
            if item.source is not None:
                where = item.source.pointer or item.source.parameter or item.source.line or ""
            lines.append(f"  - {item.title}: {item.details}" + (f" (at {where})" if where else ""))
        return "\n".join(lines)
