"""What the plugin's endpoint fixtures hand to code under test: where Talon.One requests go in the mode
(:class:`TalonEndpoint`), a live view of the test's exchanges (:class:`TalonRequests`) and the async client aimed
at a deployment or a cassette. Plain classes that work without pytest; the clients and httpx are imported on first
use, so loading the plugin stays cheap.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, overload

if TYPE_CHECKING:
    from pytest_talon.client import AsyncTalonClient
    from pytest_talon.fake import RecordedRequest

__all__ = ["TalonEndpoint", "TalonRequests", "close_async_client", "remote_async_client"]


class TalonEndpoint:
    """Where code under test sends its Talon.One requests in this mode, and with which key; any HTTP client or
    language works. In fake and verify modes :attr:`base_url` starts the test's fake on a loopback port the first
    time it is read. Send the key as ``Authorization: ApiKey-v1 <api_key>`` (:attr:`headers`). The repr masks the
    key."""

    def __init__(self, base_url: str | Callable[[], str], api_key: str) -> None:
        self._base_url = base_url
        self.api_key = api_key

    @property
    def base_url(self) -> str:
        """The base URL: the fake on 127.0.0.1, ``TALON_BASE_URL`` (record, live) or the replay placeholder."""
        if callable(self._base_url):
            self._base_url = self._base_url()
        return self._base_url

    @property
    def headers(self) -> dict[str, str]:
        """The ``Authorization`` header every Integration API request carries."""
        return {"Authorization": f"ApiKey-v1 {self.api_key}"}

    def __repr__(self) -> str:
        url = self._base_url if isinstance(self._base_url, str) else "<fake on loopback, started on first use>"
        return f"TalonEndpoint(base_url={url!r}, api_key='***')"


class TalonRequests(Sequence["RecordedRequest"]):
    """The test's Talon.One exchanges so far, oldest first, in every mode (a live view: read it after the calls).

    Each item has the fields of the fake's request log (:class:`pytest_talon.fake.RecordedRequest`):
    ``operation_id``, ``method``, ``path``, ``query``, ``json``, ``status``, ``response_json``, ``effect_types``.
    """

    def __init__(self, source: Callable[[], list[RecordedRequest]]) -> None:
        self._source = source

    @overload
    def __getitem__(self, index: int) -> RecordedRequest: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[RecordedRequest]: ...

    def __getitem__(self, index: int | slice) -> RecordedRequest | Sequence[RecordedRequest]:
        return self._source()[index]

    def __len__(self) -> int:
        return len(self._source())

    def operations(self) -> list[str | None]:
        """The operation id of each exchange, in order (``None`` for a request that is not an API operation)."""
        return [exchange.operation_id for exchange in self._source()]

    def __repr__(self) -> str:
        return f"TalonRequests({self._source()!r})"


def remote_async_client(base_url: str, api_key: str) -> AsyncTalonClient:
    """An async client for a deployment or a cassette, built with the typed client's own timeout and User-Agent;
    it keeps no connection open between requests, so closing it needs no event loop of the test's."""
    import httpx

    from pytest_talon.client import AsyncTalonClient
    from pytest_talon.client._base import DEFAULT_TIMEOUT, USER_AGENT

    http = httpx.AsyncClient(
        limits=httpx.Limits(max_keepalive_connections=0),
        timeout=DEFAULT_TIMEOUT,
        headers={"User-Agent": USER_AGENT},
    )
    return AsyncTalonClient(base_url, api_key, http_client=http)


def close_async_client(client: AsyncTalonClient) -> None:
    """Close the client's HTTP client, borrowed or owned (the test is done with it), in a loop of its own."""
    import asyncio

    asyncio.run(client.http.aclose())
