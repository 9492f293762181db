"""In-process ways into a request handler: httpx transports (sync and async) and a respx router.

A *handler* is any thread-safe callable turning an :class:`httpx.Request` into an :class:`httpx.Response`;
``FakeTalon.handle`` is the one pytest-talon ships. These adapters only move requests and responses; they hold no
state of their own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import respx
from respx.patterns import M

from pytest_talon.fake.http.guards import TRANSPORT_FAULT

__all__ = ["AsyncHandlerTransport", "Handler", "HandlerTransport", "respx_router", "url_prefix"]

#: The signature every adapter serves: one request in, one response out (must be thread-safe).
Handler = Callable[[httpx.Request], httpx.Response]


#: What httpx raises over a real connection for each transport fault (``non_json`` is an answer, not an error).
_RAISED: dict[str, tuple[type[httpx.TransportError], str]] = {
    "reset": (httpx.RemoteProtocolError, "Server disconnected without sending a response."),
    "stall": (httpx.ReadTimeout, "timed out (a stall fault injected into the fake)"),
    "truncated": (httpx.RemoteProtocolError, "peer closed connection without sending complete message body"),
}


def _ready(response: httpx.Response) -> httpx.Response:
    """Return ``response`` with its body read and a stream both sync and async clients can consume; a transport fault
    (``extensions["talon_fake_fault"]``) raises what httpx raises over HTTP instead."""
    acted = response.extensions.get(TRANSPORT_FAULT)
    if acted is not None:
        error, message = _RAISED[acted[0]]
        raise error(message, request=response.request)
    content = response.read()
    if isinstance(response.stream, httpx.ByteStream):
        return response
    return httpx.Response(
        response.status_code,
        headers=response.headers,
        content=content,
        extensions=response.extensions,
    )


class HandlerTransport(httpx.BaseTransport):
    """An httpx transport for ``httpx.Client`` that answers every request by calling ``handler``.

    Deliberately not an :class:`httpx.MockTransport`: vcrpy (8.2 and later) patches that class, and would then record
    fake traffic into a user's cassettes.
    """

    def __init__(self, handler: Handler) -> None:
        self.handler = handler

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Read the request body, call the handler, and hand back its (fully read) response."""
        request.read()
        return _ready(self.handler(request))


class AsyncHandlerTransport(httpx.AsyncBaseTransport):
    """An httpx transport for ``httpx.AsyncClient`` that answers every request by calling ``handler``.

    The handler is synchronous and called on the event loop: it is an in-memory computation that never waits on I/O.
    """

    def __init__(self, handler: Handler) -> None:
        self.handler = handler

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Read the request body, call the handler, and hand back its (fully read) response."""
        await request.aread()
        return _ready(self.handler(request))


def url_prefix(base_url: str | httpx.URL) -> str:
    """The normalised prefix (``scheme://host[:port]/path/``) every URL under ``base_url`` starts with."""
    url = httpx.URL(base_url)
    if url.scheme not in ("http", "https") or not url.host:
        raise ValueError(f"base_url {str(base_url)!r} is not an absolute http(s) URL: pass e.g. 'https://x.talon.one'")
    if url.query or url.fragment:
        raise ValueError(f"base_url {str(base_url)!r} has a query or fragment: pass only scheme, host, port and path")
    return str(url.copy_with(path=url.path.rstrip("/") + "/"))


def respx_router(handler: Handler, base_url: str | httpx.URL, **respx_kwargs: Any) -> respx.MockRouter:
    """A respx router sending every httpx request whose URL starts with ``base_url`` to ``handler``.

    Use it as a context manager or decorator around code that builds its own ``httpx.Client`` or ``AsyncClient``.
    ``respx_kwargs`` go to :class:`respx.MockRouter` (``assert_all_called`` defaults to False); requests to other hosts
    are answered as respx's ``assert_all_mocked`` says (default: raise), and more routes can be added to the router.
    """
    respx_kwargs.setdefault("assert_all_called", False)
    router = respx.MockRouter(**respx_kwargs)

    def answer(request: httpx.Request) -> httpx.Response:
        request.read()
        return _ready(handler(request))

    prefix = url_prefix(base_url)
    pattern = M(url__startswith=prefix)
    if httpx.URL(prefix).path != "/":
        pattern |= M(url=prefix[:-1])  # the base URL itself, without the trailing slash
    router.route(pattern, name="talon-fake").mock(side_effect=answer)
    return router
