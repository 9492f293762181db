"""What a replay miss says: the cassette path, the unmatched request and the closest recorded one."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

from pytest_talon.cassettes import CassetteError, use_cassette
from tests.cassettes._loopback import LoopbackServer, recording, replaying


def test_a_missing_cassette_names_its_path_and_how_to_record(server: LoopbackServer, cassette_file: Path) -> None:
    with (
        use_cassette(cassette_file, replaying()),
        httpx.Client(base_url=server.url) as client,
        pytest.raises(CassetteError) as caught,
    ):
        client.put("/v2/customer_sessions/s1", json={"customerSession": {}})
    message = str(caught.value)
    assert str(cassette_file) in message
    assert f"PUT {server.url}/v2/customer_sessions/s1" in message
    assert "does not exist" in message
    assert "To fix: record it first: pytest --talon-mode=record (with use_cassette: " in message
    assert server.calls == 0
    assert not cassette_file.exists()


def test_an_unmatched_request_shows_the_closest_recording_and_the_difference(
    server: LoopbackServer, cassette_file: Path
) -> None:
    with use_cassette(cassette_file, recording()), httpx.Client(base_url=server.url) as client:
        client.get("/v1/other")
        client.put("/v2/customer_sessions/s1", json={"customerSession": {"cartItems": [{"sku": "A", "price": 10}]}})
    with (
        use_cassette(cassette_file, replaying()),
        httpx.Client(base_url=server.url) as client,
        pytest.raises(CassetteError) as caught,
    ):
        client.put("/v2/customer_sessions/s1", json={"customerSession": {"cartItems": [{"sku": "A", "price": 12}]}})
    message = str(caught.value)
    assert str(cassette_file) in message
    assert f"request: PUT {server.url}/v2/customer_sessions/s1" in message
    assert '"price": 12' in message  # the body excerpt of the unmatched request
    assert "interaction #2 of 2" in message
    assert "differs in json_body" in message
    assert re.search(r'^\s+-\s+"price": 10,$', message, re.MULTILINE)
    assert re.search(r'^\s+\+\s+"price": 12,$', message, re.MULTILINE)
    assert "differs in path" not in message
    assert "record the cassette again: pytest --talon-mode=record --talon-record-mode=new_episodes" in message
    assert "override the talon_cassette_config fixture" in message
    assert server.calls == 2  # only the recording run reached the server


def test_a_miss_in_once_mode_with_an_existing_cassette_is_an_error_too(
    server: LoopbackServer, cassette_file: Path
) -> None:
    with use_cassette(cassette_file, recording()), httpx.Client(base_url=server.url) as client:
        client.get("/v1/a")
    with (
        use_cassette(cassette_file, recording()),
        httpx.Client(base_url=server.url) as client,
        pytest.raises(CassetteError, match=r"differs in path:\n\s+/v1/b != /v1/a"),
    ):
        client.get("/v1/b")
    assert server.calls == 1


def test_a_request_sent_more_often_than_recorded_names_new_episodes(
    server: LoopbackServer, cassette_file: Path
) -> None:
    with use_cassette(cassette_file, recording()), httpx.Client(base_url=server.url) as client:
        client.get("/v1/a")
    with (
        use_cassette(cassette_file, replaying()),
        httpx.Client(base_url=server.url) as client,
        pytest.raises(CassetteError) as caught,
    ):
        client.get("/v1/a")
        client.get("/v1/a")
    message = str(caught.value)
    assert "already played back" in message
    assert "record the extra request: pytest --talon-mode=record --talon-record-mode=new_episodes" in message
    assert "record_mode 'new_episodes'" not in message  # vcrpy's spelling: only inside CassetteConfig(...)


def test_a_corrupt_cassette_is_reported_on_entry(cassette_file: Path) -> None:
    cassette_file.parent.mkdir(parents=True)
    cassette_file.write_text("interactions: [unclosed\n", encoding="utf-8")
    with (
        pytest.raises(CassetteError, match=r"(?s)cannot be loaded.*delete it and record it again"),
        use_cassette(cassette_file, replaying()),
    ):
        pass  # pragma: no cover


@pytest.mark.anyio
async def test_async_clients_get_the_same_miss_error(server: LoopbackServer, cassette_file: Path) -> None:
    with use_cassette(cassette_file, replaying()):
        async with httpx.AsyncClient(base_url=server.url) as client:
            with pytest.raises(CassetteError, match=r"GET http://127\.0\.0\.1:\d+/v1/x"):
                await client.get("/v1/x")
    assert server.calls == 0
