"""HTTP/1.1 framing for the loopback server: request bodies read within limits, and errors as JSON.

Every answer the server gives on its own (a malformed request line, a method it does not know, a body too large,
too many connections) is JSON in the API's error shape, like the fake's answers.

May import: :mod:`pytest_talon.fake.errors`.
"""

from __future__ import annotations

import http
import io
import json
from collections.abc import Mapping
from email.message import Message

from pytest_talon.fake.errors import FakeError, error_body

__all__ = [
    "DEFAULT_MAX_BODY",
    "MAX_LINE",
    "Dropped",
    "FramingError",
    "error_json",
    "raw_error_response",
    "read_body",
    "status_error",
]

#: The largest request body the server reads (bytes); a larger one answers 413.
DEFAULT_MAX_BODY = 5 * 1024 * 1024
#: The longest line (request line, header, chunk size) the server reads.
MAX_LINE = 65536


class FramingError(Exception):
    """A request the server answers itself with ``status`` (JSON), without calling the handler."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class Dropped(Exception):
    """The client stopped sending mid-request (or the server is stopping): nothing to answer."""


def status_error(status: int, message: str) -> FakeError:
    """A :class:`FakeError` with any HTTP status, titled with the status's phrase."""
    error = FakeError(message)
    error.status_code = status
    error.title = _phrase(status)
    return error


def error_json(status: int, message: str) -> bytes:
    """The body of an answer the server gives itself: the API's error shape with ``StatusCode``."""
    return json.dumps(error_body(status_error(status, message), None), separators=(",", ":")).encode()


def raw_error_response(status: int, message: str, headers: Mapping[str, str] | None = None) -> bytes:
    """A whole HTTP/1.1 error answer (status line, headers, JSON body) that closes the connection."""
    body = error_json(status, message)
    lines = [f"HTTP/1.1 {status} {_phrase(status)}", "Content-Type: application/json"]
    lines += [f"Content-Length: {len(body)}", "Connection: close", *(f"{k}: {v}" for k, v in (headers or {}).items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def read_body(headers: Message, rfile: io.BufferedIOBase, max_body: int) -> bytes:
    """The request body (``Content-Length`` or chunked); :class:`FramingError` when it is malformed or too large,
    :class:`Dropped` when the client stopped sending before its end."""
    if "chunked" in headers.get("Transfer-Encoding", "").lower():
        return _read_chunked(rfile, max_body)
    lengths = headers.get_all("Content-Length") or []
    if not lengths:
        return b""
    if len(set(lengths)) > 1 or not lengths[0].strip().isdigit():
        shown = ", ".join(lengths)
        raise FramingError(400, f"Content-Length must be one non-negative integer (bytes in the body), got {shown!r}")
    length = int(lengths[0])
    _check_size(length, max_body)
    body = rfile.read(length) if length else b""
    if len(body) < length:
        raise Dropped
    return body


def _read_chunked(rfile: io.BufferedIOBase, max_body: int) -> bytes:
    chunks: list[bytes] = []
    total = 0
    while True:
        line = rfile.readline(MAX_LINE + 1)
        if not line.endswith(b"\n"):
            raise Dropped if len(line) <= MAX_LINE else FramingError(400, "a chunk-size line is too long")
        text = line.split(b";", 1)[0].strip()
        try:
            size = int(text, 16)
        except ValueError:
            raise FramingError(400, f"malformed chunk size {text[:40]!r} in a chunked body") from None
        if size < 0:
            raise FramingError(400, f"negative chunk size {size} in a chunked body")
        if size == 0:
            break
        total += size
        _check_size(total, max_body)
        chunk = rfile.read(size)
        if len(chunk) < size:
            raise Dropped
        chunks.append(chunk)
        rfile.readline(MAX_LINE)
    while rfile.readline(MAX_LINE) not in (b"\r\n", b"\n", b""):
        pass  # trailers
    return b"".join(chunks)


def _check_size(length: int, max_body: int) -> None:
    if length > max_body:
        raise FramingError(413, f"the request body has {length} bytes; the server accepts at most {max_body}")


def _phrase(status: int) -> str:
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return "Error"
