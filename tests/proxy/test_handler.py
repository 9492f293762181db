"""The proxy's handler in-process, in front of a loopback upstream that echoes what it received: what is forwarded,
what is passed back, what a cassette keeps."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from pytest_talon._proxy.handler import MISS_STATUS, NO_CASSETTE, ProxyHandler
from pytest_talon.fake.http.server import serve

from .conftest import KEY, SESSION


def _echo(request: httpx.Request) -> httpx.Response:
    """Answers the path and header names it received, gzip-compressed as Talon.One answers (an answer echoing the
    key would never be written: the secret scan refuses it)."""
    echoed = {
        "path": request.url.raw_path.decode(),
        "headers": sorted(request.headers),
        "authorized": request.headers.get("Authorization") == f"ApiKey-v1 {KEY}",
    }
    body = json.dumps(echoed).encode()
    headers = {"Content-Type": "application/json", "Content-Encoding": "gzip"}
    return httpx.Response(200, content=gzip.compress(body), headers=headers)


@pytest.fixture
def upstream() -> Iterator[str]:
    with serve(_echo) as url:
        yield url


def _send(handler: ProxyHandler, path: str, **headers: str) -> httpx.Response:
    request = httpx.Request("PUT", f"http://127.0.0.1:1{path}", json=SESSION, headers=headers)
    return handler(request)


def test_record_forwards_under_the_upstreams_path_without_hop_headers_and_stores_the_body_decoded(
    upstream: str, tmp_path: Path
) -> None:
    handler = ProxyHandler("record", tmp_path, upstream=f"{upstream}/prefix/")
    answer = _send(
        handler, "/v2/customer_sessions/a%2Fb?dry=true", Authorization=f"ApiKey-v1 {KEY}", **{"X-Talon-Cassette": "t/x"}
    )
    handler.close()
    echoed = json.loads(answer.read())
    assert answer.status_code == 200, echoed
    assert echoed["path"] == "/prefix/v2/customer_sessions/a%2Fb?dry=true"
    assert echoed["authorized"]
    assert "x-talon-cassette" not in echoed["headers"]
    assert "content-encoding" not in answer.headers
    cassette = (tmp_path / "t" / "x.yaml").read_text()
    assert KEY not in cassette
    assert "gzip" not in cassette.split("response:", 1)[1]
    assert '"/prefix/v2/customer_sessions/a%2Fb?dry=true"' in cassette.replace("\\", "")


def test_a_cassette_that_would_hold_the_key_is_not_written_and_the_answer_says_where(
    upstream: str, tmp_path: Path
) -> None:
    handler = ProxyHandler("record", tmp_path, upstream=upstream)
    request = httpx.Request(
        "PUT",
        "http://127.0.0.1:1/v2/customer_sessions/s1",
        json={"customerSession": {"profileId": KEY}},
        headers={"Authorization": f"ApiKey-v1 {KEY}", "X-Talon-Cassette": "t/leak"},
    )
    answer = handler(request)
    handler.close()
    assert answer.status_code == MISS_STATUS
    message = json.loads(answer.read())["message"]
    assert "would contain (so it was not written) a secret" in message
    assert "<SECRET #" in message
    assert KEY not in message
    assert not (tmp_path / "t" / "leak.yaml").exists()


def test_verify_compares_a_request_that_names_no_cassette_without_recording_it(upstream: str, tmp_path: Path) -> None:
    handler = ProxyHandler("verify", tmp_path, upstream=upstream)
    answer = _send(handler, "/v2/customer_sessions/s1", Authorization=f"ApiKey-v1 {KEY}")
    handler.close()
    assert answer.status_code == 200
    report = handler.report()["verify"]
    assert {d["test"] for d in report["differences"]} == {NO_CASSETTE}
    assert not list(tmp_path.rglob("*.yaml"))


def test_modes_and_upstreams_are_checked_when_the_handler_is_made(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown proxy mode 'mirror'"):
        ProxyHandler("mirror", tmp_path, upstream="http://127.0.0.1:9")
    with pytest.raises(ValueError, match="--record needs --upstream"):
        ProxyHandler("record", tmp_path)
