"""The in-process ways in: httpx transports (sync and async) and the respx router, over a stand-in handler."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
import vcr  # type: ignore[import-untyped]

from pytest_talon.fake.http.adapters import AsyncHandlerTransport, HandlerTransport, respx_router, url_prefix
from tests.fake_adapters._echo import Echo

BASE = "https://acme.europe-west1.talon.one"


def chunks() -> Iterator[bytes]:
    yield b'{"a":'
    yield b"1}"


async def async_chunks() -> AsyncIterator[bytes]:
    yield b'{"a":'
    yield b"1}"


def streaming_handler(request: httpx.Request) -> httpx.Response:
    """A handler answering with a generator body, which no client could read twice."""
    return httpx.Response(201, content=iter([b"str", b"eamed"]), headers={"X-Kind": "stream"})


def test_sync_transport_reads_a_streamed_request_body_before_calling_the_handler() -> None:
    echo = Echo()
    with httpx.Client(transport=HandlerTransport(echo), base_url=BASE) as client:
        response = client.put("/v2/customer_sessions/a%2Fb", content=chunks(), headers={"Authorization": "ApiKey-v1 k"})
    assert response.status_code == 200
    assert response.json() == {
        "method": "PUT",
        "rawPath": "/v2/customer_sessions/a%2Fb",
        "body": '{"a":1}',
        "authorization": "ApiKey-v1 k",
    }
    assert echo.requests[0].content == b'{"a":1}'


@pytest.mark.anyio
async def test_async_transport_reads_a_streamed_request_body_before_calling_the_handler() -> None:
    echo = Echo(status=404)
    async with httpx.AsyncClient(transport=AsyncHandlerTransport(echo), base_url=BASE) as client:
        response = await client.post("/v2/events", content=async_chunks())
    assert response.status_code == 404
    assert response.json()["body"] == '{"a":1}'
    assert response.json()["rawPath"] == "/v2/events"


def test_sync_transport_turns_a_streamed_answer_into_a_normal_readable_response() -> None:
    with httpx.Client(transport=HandlerTransport(streaming_handler)) as client:
        response = client.get(BASE + "/x")
    assert (response.status_code, response.text, response.headers["x-kind"]) == (201, "streamed", "stream")
    assert response.read() == b"streamed"


@pytest.mark.anyio
async def test_async_transport_turns_a_sync_only_stream_into_a_response_an_async_client_can_read() -> None:
    async with httpx.AsyncClient(transport=AsyncHandlerTransport(streaming_handler)) as client:
        response = await client.get(BASE + "/x")
    assert (response.status_code, response.text) == (201, "streamed")


def test_transports_are_not_mock_transports_so_vcrpy_does_not_record_them(tmp_path: Path) -> None:
    # Given a cassette recording everything httpx sends (vcrpy patches httpx.MockTransport, among others)
    recorder = vcr.VCR(record_mode="all")
    with recorder.use_cassette(str(tmp_path / "cassette.yaml")) as cassette:
        # When the same handler is reached through our transport and through a MockTransport
        httpx.Client(transport=HandlerTransport(Echo())).get(BASE + "/through-ours")
        httpx.Client(transport=httpx.MockTransport(Echo())).get(BASE + "/through-mock")
    # Then only the MockTransport request reached the cassette
    assert [request.uri for request in cassette.requests] == [BASE + "/through-mock"]
    assert not isinstance(HandlerTransport(Echo()), httpx.MockTransport)
    assert not isinstance(AsyncHandlerTransport(Echo()), httpx.MockTransport)


def test_respx_router_intercepts_a_client_built_by_the_code_under_test() -> None:
    echo = Echo()
    # the code under test builds its own client, no transport injected
    with respx_router(echo, BASE), httpx.Client() as client:
        response = client.post(BASE + "/v1/coupon_reservations/C%2F1", content=b"{}")
    assert response.json()["rawPath"] == "/v1/coupon_reservations/C%2F1"
    assert response.json()["body"] == "{}"
    assert len(echo.requests) == 1


@pytest.mark.anyio
async def test_respx_router_intercepts_an_async_client_built_by_the_code_under_test() -> None:
    echo = Echo()
    with respx_router(echo, BASE):
        async with httpx.AsyncClient() as client:
            response = await client.put(BASE + "/v2/customer_profiles/p1", content=async_chunks())
    assert response.json() == {
        "method": "PUT",
        "rawPath": "/v2/customer_profiles/p1",
        "body": '{"a":1}',
        "authorization": None,
    }


def test_respx_router_works_as_a_decorator() -> None:
    echo = Echo()

    @respx_router(echo, BASE)
    def code_under_test() -> int:
        return httpx.get(BASE + "/v1/integration/campaigns").status_code

    assert code_under_test() == 200
    assert echo.requests[0].url.path == "/v1/integration/campaigns"


def test_respx_router_leaves_other_hosts_to_respx_assert_all_mocked() -> None:
    echo = Echo()
    with respx_router(echo, BASE), httpx.Client() as client, pytest.raises(AssertionError, match="not mocked"):
        client.get("https://other.example.com/v2/events")
    with respx_router(echo, BASE, assert_all_mocked=False), httpx.Client() as client:
        response = client.get("https://other.example.com/v2/events")
    assert (response.status_code, response.content) == (200, b"")  # respx's auto-mocked answer, not the handler
    assert echo.requests == []


def test_respx_router_only_takes_urls_under_the_base_path_and_port() -> None:
    echo = Echo()
    with respx_router(echo, "http://127.0.0.1:1234/api", assert_all_mocked=False), httpx.Client() as client:
        client.get("http://127.0.0.1:1234/api/v2/x")
        client.get("http://127.0.0.1:1234/api")
        client.get("http://127.0.0.1:12345/api/v2/x")
        client.get("http://127.0.0.1:1234/apiary")
    assert [r.url.raw_path for r in echo.requests] == [b"/api/v2/x", b"/api"]


@pytest.mark.parametrize(
    ("base_url", "prefix"),
    [
        ("https://ACME.talon.one", "https://acme.talon.one/"),
        ("https://acme.talon.one:443/", "https://acme.talon.one/"),
        ("http://127.0.0.1:8080/base/", "http://127.0.0.1:8080/base/"),
    ],
)
def test_url_prefix_is_normalised_like_httpx_normalises_request_urls(base_url: str, prefix: str) -> None:
    assert url_prefix(base_url) == prefix


@pytest.mark.parametrize("base_url", ["acme.talon.one", "ftp://acme.talon.one", "https://acme.talon.one/?x=1"])
def test_url_prefix_rejects_what_is_not_a_plain_http_base_url(base_url: str) -> None:
    with pytest.raises(ValueError, match="base_url"):
        url_prefix(base_url)
