"""Recording against a loopback server, then replaying with the server stopped."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from pytest_talon.cassettes import CassetteError, use_cassette
from tests.cassettes._loopback import LoopbackServer, recording, replaying


def _put(client: httpx.Client, url: str, body: object) -> dict[str, object]:
    response = client.put(url, json=body)
    data: dict[str, object] = response.json()
    return data


def test_recorded_answers_replay_with_the_server_stopped(server: LoopbackServer, cassette_file: Path) -> None:
    # Given a cassette recorded against the live loopback server
    with use_cassette(cassette_file, recording()) as cassette, httpx.Client(base_url=server.url) as client:
        recorded = client.get("/v2/things", params={"a": "1"}).json()
    assert cassette.recorded_count == 1
    assert cassette_file.is_file()
    server.stop()
    # When it is replayed with nothing listening
    with use_cassette(cassette_file, replaying()) as cassette, httpx.Client(base_url=server.url) as client:
        replayed = client.get("/v2/things", params={"a": "1"})
    # Then the answer is the recorded one
    assert replayed.json() == recorded
    assert replayed.headers["content-type"] == "application/json"
    assert (cassette.played_count, cassette.recorded_count) == (1, 0)


@pytest.mark.anyio
async def test_async_clients_record_and_replay(server: LoopbackServer, cassette_file: Path) -> None:
    with use_cassette(cassette_file, recording()):
        async with httpx.AsyncClient(base_url=server.url) as client:
            recorded = (await client.post("/v1/events", json={"type": "x"})).json()
    server.stop()
    with use_cassette(cassette_file, replaying()) as cassette:
        async with httpx.AsyncClient(base_url=server.url) as client:
            replayed = (await client.post("/v1/events", json={"type": "x"})).json()
    assert replayed == recorded
    assert cassette.played_count == 1


def test_two_puts_to_one_path_replay_by_body(server: LoopbackServer, cassette_file: Path) -> None:
    url = f"{server.url}/v2/customer_sessions/s1"
    with use_cassette(cassette_file, recording()), httpx.Client() as client:
        first = _put(client, url, {"customerSession": {"state": "open"}})
        second = _put(client, url, {"customerSession": {"state": "closed"}})
    server.stop()
    # Replayed in the opposite order: the body, not the position, picks the answer
    with use_cassette(cassette_file, replaying()), httpx.Client() as client:
        assert _put(client, url, {"customerSession": {"state": "closed"}}) == second
        assert _put(client, url, {"customerSession": {"state": "open"}}) == first


def test_repeated_identical_requests_replay_in_recorded_order(server: LoopbackServer, cassette_file: Path) -> None:
    with use_cassette(cassette_file, recording()), httpx.Client(base_url=server.url) as client:
        calls = [client.get("/ping").json()["call"] for _ in range(3)]
    assert calls == [1, 2, 3]
    server.stop()
    with use_cassette(cassette_file, replaying()), httpx.Client(base_url=server.url) as client:
        assert [client.get("/ping").json()["call"] for _ in range(3)] == [1, 2, 3]
        with pytest.raises(CassetteError, match="already played back"):
            client.get("/ping")


def test_json_bodies_match_regardless_of_key_order(server: LoopbackServer, cassette_file: Path) -> None:
    with use_cassette(cassette_file, recording()), httpx.Client(base_url=server.url) as client:
        recorded = client.post("/v2/events", content=b'{"a": 1, "b": {"c": 2, "d": 3}}').json()
    server.stop()
    with use_cassette(cassette_file, replaying()), httpx.Client(base_url=server.url) as client:
        replayed = client.post("/v2/events", content=json.dumps({"b": {"d": 3, "c": 2}, "a": 1}).encode()).json()
    assert replayed == recorded


def test_ignored_json_paths_do_not_take_part_in_matching(server: LoopbackServer, cassette_file: Path) -> None:
    ignore = ("$.customerSession.attributes.timestamp",)
    body = {"customerSession": {"attributes": {"timestamp": "2026-01-01T00:00:00Z", "channel": "web"}}}
    with use_cassette(cassette_file, recording(ignore_json_paths=ignore)), httpx.Client() as client:
        recorded = _put(client, f"{server.url}/v2/customer_sessions/s1", body)
    server.stop()
    body["customerSession"]["attributes"]["timestamp"] = "2031-05-05T12:00:00Z"
    with use_cassette(cassette_file, replaying(ignore_json_paths=ignore)), httpx.Client() as client:
        assert _put(client, f"{server.url}/v2/customer_sessions/s1", body) == recorded
        body["customerSession"]["attributes"]["channel"] = "store"
        with pytest.raises(CassetteError, match="json_body"):
            _put(client, f"{server.url}/v2/customer_sessions/s1", body)


def test_new_episodes_keeps_old_answers_and_records_new_ones(server: LoopbackServer, cassette_file: Path) -> None:
    with use_cassette(cassette_file, recording()), httpx.Client(base_url=server.url) as client:
        client.get("/one")
    with (
        use_cassette(cassette_file, recording(record_mode="new_episodes")) as cassette,
        httpx.Client(base_url=server.url) as client,
    ):
        assert client.get("/one").json()["call"] == 1
        assert client.get("/two").json()["call"] == 2
    assert (cassette.played_count, cassette.recorded_count) == (1, 1)
    assert server.calls == 2


def test_transports_that_are_not_real_are_never_recorded(cassette_file: Path) -> None:
    class InProcess(httpx.BaseTransport):
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            return httpx.Response(200, json={"fake": True})

    with (
        use_cassette(cassette_file, recording(record_mode="all")) as cassette,
        httpx.Client(transport=InProcess(), base_url="http://talon.test") as client,
    ):
        assert client.get("/v1/x").json() == {"fake": True}
    assert cassette.recorded_count == 0
    assert not cassette_file.exists()
