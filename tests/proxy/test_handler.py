"""The proxy's handler in-process, in front of a loopback upstream that echoes what it received: what is forwarded,
what is passed back, what a cassette keeps."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from pytest_talon import TalonClient
from pytest_talon._proxy.handler import MISS_STATUS, NO_CASSETTE, ProxyHandler
from pytest_talon.cassettes import CassetteConfig, cassette_path, use_cassette
from pytest_talon.fake import FakeTalon
from pytest_talon.fake.http.server import serve

from .conftest import CAMPAIGNS, KEY, SESSION


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


def test_record_forwards_the_raw_path_without_hop_headers_and_stores_the_body_decoded(
    upstream: str, tmp_path: Path
) -> None:
    handler = ProxyHandler("record", tmp_path, upstream=f"{upstream}/")
    answer = _send(
        handler, "/v2/customer_sessions/a%2Fb?dry=true", Authorization=f"ApiKey-v1 {KEY}", **{"X-Talon-Cassette": "t/x"}
    )
    assert not (tmp_path / "t" / "x.yaml").exists()  # written when the proxy stops or a cassette is (re)opened
    assert handler.save() == []
    handler.close()
    echoed = json.loads(answer.read())
    assert answer.status_code == 200, echoed
    assert echoed["path"] == "/v2/customer_sessions/a%2Fb?dry=true"
    assert echoed["authorized"]
    assert "x-talon-cassette" not in echoed["headers"]
    assert "content-encoding" not in answer.headers
    cassette = (tmp_path / "t" / "x.yaml").read_text()
    assert KEY not in cassette
    assert "gzip" not in cassette.split("response:", 1)[1]
    assert '"/v2/customer_sessions/a%2Fb?dry=true"' in cassette.replace("\\", "")


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
    assert handler.save() == []
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
    with pytest.raises(ValueError, match="has a path"):
        ProxyHandler("verify", tmp_path, upstream="http://127.0.0.1:9/talon")


def test_replay_answers_from_a_cassette_the_python_plugin_recorded(tmp_path: Path) -> None:
    fake = FakeTalon()
    fake.load_campaigns(yaml.safe_load(CAMPAIGNS))
    config = CassetteConfig(cassette_dir=tmp_path, record_mode="all", api_key=fake.api_key)
    path = cassette_path(tmp_path, "test_checkout", "test_discount")
    with fake.serve() as url, use_cassette(path, config), TalonClient(url, fake.api_key) as client:
        client.update_customer_session_v2("s1", SESSION)
    handler = ProxyHandler("replay", tmp_path)
    answer = _send(handler, "/v2/customer_sessions/s1", **{"X-Talon-Cassette": "test_checkout/test_discount"})
    assert answer.status_code == 200
    assert [e["props"]["value"] for e in json.loads(answer.read())["effects"]] == [8.0]
    again = _send(handler, "/v2/customer_sessions/s1", **{"X-Talon-Cassette": "test_checkout/test_discount"})
    assert again.status_code == MISS_STATUS  # each recorded answer plays once, as in the plugin
    assert "already played back" in json.loads(again.read())["message"]


def test_parallel_workers_record_their_own_cassettes_in_order(upstream: str, tmp_path: Path) -> None:
    handler = ProxyHandler("record", tmp_path, upstream=upstream)

    def worker(name: str) -> list[int]:
        return [
            _send(handler, f"/v2/customer_sessions/{name}-{i}", **{"X-Talon-Cassette": f"w/{name}"}).status_code
            for i in range(10)
        ]

    with ThreadPoolExecutor(max_workers=4) as pool:
        statuses = list(pool.map(worker, ["a", "b", "c", "d"]))
    assert handler.save() == []
    handler.close()
    assert statuses == [[200] * 10] * 4
    for name in "abcd":
        cassette = yaml.safe_load((tmp_path / "w" / f"{name}.yaml").read_text())
        uris = [i["request"]["uri"] for i in cassette["interactions"]]
        assert [uri.rsplit("/", 1)[1] for uri in uris] == [f"{name}-{i}" for i in range(10)]


def _call(handler: ProxyHandler, method: str, path: str, **options: Any) -> httpx.Response:
    return handler(httpx.Request(method, f"http://127.0.0.1:1{path}", **options))


@pytest.mark.parametrize(
    ("name", "problem"),
    [("../escape", "'..'"), ("/etc/passwd", "absolute"), ("a//b", "''"), (".hidden/x", "'.hidden'"), ("", "empty")],
)
def test_a_cassette_name_leaving_its_folder_answers_400_and_changes_nothing(
    tmp_path: Path, name: str, problem: str
) -> None:
    cassettes = tmp_path / "inside" / "cassettes"
    handler = ProxyHandler("record", cassettes, upstream="http://127.0.0.1:9")
    assert _call(handler, "POST", "/_fake/cassette", json={"name": "ok/test"}).status_code == 200
    by_post = _call(handler, "POST", "/_fake/cassette", json={"name": name})
    current = _call(handler, "GET", "/_fake/cassette").json()
    by_header = _call(handler, "PUT", "/v2/customer_sessions/s1", json=SESSION, headers={"X-Talon-Cassette": name})
    assert by_post.status_code == 400
    assert problem in by_post.json()["message"]
    assert "field 'name'" in by_post.json()["message"]
    assert current["cassette"] == "ok/test"
    assert by_header.status_code == 400
    assert "X-Talon-Cassette" in by_header.json()["message"]
    assert handler.save() == []
    assert not list(tmp_path.rglob("*"))


def test_bad_admin_bodies_answer_400_naming_the_field(tmp_path: Path) -> None:
    handler = ProxyHandler("replay", tmp_path)
    unknown = _call(handler, "POST", "/_fake/cassette", json={"name": "a/b", "mode": "record"})
    not_json = _call(handler, "POST", "/_fake/cassette", content=b"a/b")
    not_text = _call(handler, "POST", "/_fake/cassette", json={"name": 7})
    route = _call(handler, "POST", "/_fake/reset")
    verify = _call(handler, "GET", "/_fake/verify")
    still = _call(handler, "GET", "/_fake/cassette").json()
    assert unknown.status_code == 400
    assert "unknown field(s) mode" in unknown.json()["message"]
    assert not_json.status_code == 400
    assert "not JSON" in not_json.json()["message"]
    assert not_text.status_code == 400
    assert "must be a string, got 7" in not_text.json()["message"]
    assert route.status_code == 404
    assert "POST, GET or DELETE /_fake/cassette" in route.json()["message"]
    assert verify.status_code == 404
    assert still == {"mode": "replay", "cassette": None}


def _echo_body(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json={"echoed": json.loads(request.content)})


def test_verify_withholds_values_holding_the_key_from_its_report(tmp_path: Path) -> None:
    with serve(_echo_body) as url:
        handler = ProxyHandler("verify", tmp_path, upstream=url)
        request = httpx.Request(
            "PUT",
            "http://127.0.0.1:1/v2/customer_sessions/s1",
            json={"customerSession": {"profileId": KEY}},  # the upstream's answer echoes it
            headers={"Authorization": f"ApiKey-v1 {KEY}"},
        )
        assert handler(request).status_code == 200
        handler.close()
    report = json.dumps(handler.report())
    assert KEY not in report
    assert '"path": "echoed", "recorded": "<withheld: holds an API key>"' in report
