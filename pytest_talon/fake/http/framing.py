"""HTTP/1.1 framing for the loopback server: request heads parsed, bodies read within limits, answers encoded.

Every answer the server gives on its own (a malformed request line, a method it does not know, a body too large,
too many connections) is JSON in the API's error shape, like the fake's answers. Parsing follows the standard
library's ``http.server`` (the same limits, checks and messages) without its ``email`` header parser.

May import: :mod:`pytest_talon.fake.errors`.
"""

from __future__ import annotations

import functools
import http
import io
import ipaddress
import json
import re
import time
from collections.abc import Callable, Iterable, Mapping
from email.utils import formatdate
from typing import NamedTuple

from pytest_talon.fake.errors import FakeError, error_body

__all__ = [
    "DEFAULT_MAX_BODY",
    "LOOPBACK_NAMES",
    "MAX_HEADERS",
    "MAX_LINE",
    "METHODS",
    "Dropped",
    "FramingError",
    "SERVER",
    "RequestHead",
    "check_host",
    "encode_answer",
    "is_loopback",
    "error_json",
    "phrase",
    "raw_error_response",
    "read_body",
    "read_head",
    "status_error",
]

#: The largest request body the server reads (bytes); a larger one answers 413.
DEFAULT_MAX_BODY = 5 * 1024 * 1024
#: The longest line (request line, header, chunk size) the server reads.
MAX_LINE = 65536
#: The most header lines a request may have (431 beyond), as in the standard library.
MAX_HEADERS = 100
#: The ``Server`` header of every answer.
SERVER = "talon-fake"
#: The methods the server passes to its handler; any other answers 405.
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")

_TOKEN = re.compile(rb"[-!#$%&'*+.^_`|~0-9A-Za-z]+")
#: Headers the server reads itself and does not pass on (the handler gets the decoded body).
_FRAMING = frozenset({b"content-length", b"transfer-encoding"})


class FramingError(Exception):
    """A request the server answers itself with ``status`` (JSON) and extra ``headers``, without calling the
    handler."""

    def __init__(self, status: int, message: str, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = dict(headers or {})


class Dropped(Exception):
    """The client stopped sending mid-request (or the server is stopping): nothing to answer."""


class RequestHead(NamedTuple):
    """The request line and headers of one request, as received."""

    method: str
    #: The request target's bytes as sent (a leading ``//`` reduced to ``/``, as the standard library does).
    target: bytes
    #: The header lines (name, value) as sent, except ``Content-Length`` and ``Transfer-Encoding``.
    headers: list[tuple[bytes, bytes]]
    #: Every ``Content-Length`` value received.
    lengths: list[bytes]
    chunked: bool
    #: Whether the connection stays open after the answer (HTTP/1.1 unless ``Connection: close``).
    keep_alive: bool
    #: Whether the client waits for ``100 Continue`` before sending the body.
    expect_continue: bool


def status_error(status: int, message: str) -> FakeError:
    """A :class:`FakeError` with any HTTP status, titled with the status's phrase."""
    error = FakeError(message)
    error.status_code = status
    error.title = phrase(status)
    return error


def error_json(status: int, message: str) -> bytes:
    """The body of an answer the server gives itself: the API's error shape with ``StatusCode``."""
    return json.dumps(error_body(status_error(status, message), None), separators=(",", ":")).encode()


def encode_answer(status: int, reason: str, headers: Iterable[tuple[str, str]], body: bytes = b"") -> bytes:
    """One whole HTTP/1.1 answer, ready for one ``sendall``: the status line, ``Server`` and ``Date``, ``headers``
    (latin-1) and ``body``."""
    lines = [f"HTTP/1.1 {status} {reason}", f"Server: {SERVER}", f"Date: {_http_date(int(time.time()))}"]
    head = "\r\n".join([*lines, *(f"{k}: {v}" for k, v in headers), "", ""])
    return head.encode("latin-1") + body


@functools.lru_cache(maxsize=1)
def _http_date(second: int) -> str:
    return formatdate(second, usegmt=True)


def raw_error_response(
    status: int, message: str, headers: Mapping[str, str] | None = None, *, body: bool = True
) -> bytes:
    """A whole HTTP/1.1 error answer (status line, headers, JSON body unless ``body`` is false, as for ``HEAD``)
    that closes the connection."""
    content = error_json(status, message)
    fields = [("Content-Type", "application/json"), ("Content-Length", str(len(content))), ("Connection", "close")]
    return encode_answer(status, phrase(status), [*fields, *(headers or {}).items()], content if body else b"")


def read_head(line: bytes, rfile: io.BufferedIOBase) -> RequestHead | None:
    """Parse the request line ``line`` and read the headers that follow it from ``rfile``; None for a blank line
    (nothing to answer). :class:`FramingError` when the request is malformed (the checks of ``http.server``)."""
    if len(line) > MAX_LINE:
        raise FramingError(414, f"the request line is longer than {MAX_LINE} bytes; shorten the URL")
    words = line.split()
    if not words:
        return None
    version = _version(words[-1].decode("latin-1")) if len(words) >= 3 else (0, 9)
    keep_alive = version >= (1, 1)
    if not 2 <= len(words) <= 3:
        raise FramingError(400, f"Bad request syntax ({line.decode('latin-1').rstrip(chr(13) + chr(10))!r})")
    method, target = words[0].decode("latin-1"), words[1]
    if len(words) == 2 and method != "GET":
        raise FramingError(400, f"Bad HTTP/0.9 request type ({method!r})")
    if target.startswith(b"//"):
        target = b"/" + target.lstrip(b"/")
    headers, lengths, fields = _read_headers(rfile)
    connection = {token.strip() for token in fields.get(b"connection", b"").lower().split(b",")}
    if b"close" in connection:
        keep_alive = False
    elif b"keep-alive" in connection:
        keep_alive = True
    if method not in METHODS:
        allowed = ", ".join(METHODS)
        raise FramingError(405, f"the method {method!r} is not allowed; use one of {allowed}", {"Allow": allowed})
    return RequestHead(
        method,
        target,
        headers,
        lengths,
        b"chunked" in fields.get(b"transfer-encoding", b"").lower(),
        keep_alive,
        version >= (1, 1) and fields.get(b"expect", b"").lower() == b"100-continue",
    )


def _version(version: str) -> tuple[int, int]:
    """``HTTP/x.y`` as ``(x, y)``; a 400 when malformed, a 505 from HTTP/2 on."""
    numbers = version[5:].split(".") if version.startswith("HTTP/") else []
    if len(numbers) != 2 or not all(n.isdigit() and len(n) <= 10 for n in numbers):
        raise FramingError(400, f"Bad request version ({version!r})")
    major, minor = int(numbers[0]), int(numbers[1])
    if major >= 2:
        raise FramingError(505, f"Invalid HTTP version ({version[5:]})")
    return major, minor


def _read_headers(rfile: io.BufferedIOBase) -> tuple[list[tuple[bytes, bytes]], list[bytes], dict[bytes, bytes]]:
    """The header lines up to the blank line (or the end of input), the Content-Length values, and the first value
    of each header by lower-case name."""
    headers: list[tuple[bytes, bytes]] = []
    lengths: list[bytes] = []
    fields: dict[bytes, bytes] = {}
    count = 0
    while True:
        line = rfile.readline(MAX_LINE + 1)
        if len(line) > MAX_LINE:
            raise FramingError(431, f"Line too long: a header line is longer than {MAX_LINE} bytes")
        if line in (b"\r\n", b"\n", b""):
            return headers, lengths, fields
        count += 1
        if count > MAX_HEADERS:
            raise FramingError(431, f"Too many headers: a request may have at most {MAX_HEADERS}")
        name, colon, value = line.partition(b":")
        if not colon or not _TOKEN.fullmatch(name):
            shown = line.decode("latin-1").rstrip("\r\n")[:80]
            raise FramingError(400, f"malformed header line {shown!r}: expected 'Name: value'")
        value = value.strip(b" \t\r\n")
        lower = name.lower()
        fields.setdefault(lower, value)
        if lower == b"content-length":
            lengths.append(value)
        elif lower not in _FRAMING:
            headers.append((name, value))


def read_body(
    head: RequestHead, rfile: io.BufferedIOBase, max_body: int, on_continue: Callable[[], None] | None = None
) -> bytes:
    """The request body (``Content-Length`` or chunked); :class:`FramingError` when it is malformed or too large,
    :class:`Dropped` when the client stopped sending before its end. ``on_continue`` is called before reading a
    body the client waits to be asked for (``Expect: 100-continue``), once its length is known to be acceptable."""
    ask = on_continue if head.expect_continue and on_continue is not None else None
    if head.chunked:
        if ask is not None:
            ask()
        return _read_chunked(rfile, max_body)
    lengths = head.lengths
    if not lengths:
        return b""
    if len(set(lengths)) > 1 or not lengths[0].isdigit():
        shown = ", ".join(v.decode("latin-1") for v in lengths)
        raise FramingError(400, f"Content-Length must be one non-negative integer (bytes in the body), got {shown!r}")
    length = int(lengths[0])
    _check_size(length, max_body)
    if not length:
        return b""
    if ask is not None:
        ask()
    body = rfile.read(length)
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


#: The names a request may give in its ``Host`` header to a server listening on a loopback address.
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})


def is_loopback(host: str) -> bool:
    """Whether ``host`` (an address or ``localhost``) is on the loopback interface only."""
    name = host.strip("[]").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def check_host(head: RequestHead, allowed: frozenset[str]) -> None:
    """A 403 when the request's ``Host`` header names a host outside ``allowed`` (lower-case names, without port):
    a page in a browser that reached a loopback server through DNS rebinding sends its own domain there. A request
    without ``Host`` (HTTP/1.0) passes."""
    for name, value in head.headers:
        if name.lower() == b"host":
            host = _host_name(value.decode("latin-1").strip().lower())
            # A name without a dot never comes from public DNS, which a rebinding page needs.
            if "." in host and host not in allowed and not is_loopback(host):
                raise FramingError(
                    403,
                    f"the Host header names {host!r}, and this server on a loopback address answers only requests "
                    f"for {', '.join(sorted(allowed))}: send Host: 127.0.0.1 (talon-fake serve --allow-host adds "
                    "a name)",
                )
            return


def _host_name(value: str) -> str:
    """The host of a ``Host`` header value, without its port (``[::1]:8080`` -> ``::1``)."""
    if value.startswith("["):
        return value[1:].split("]", 1)[0]
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


def phrase(status: int) -> str:
    """The reason phrase of ``status`` (``Error`` for a status HTTP does not name)."""
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return "Error"
