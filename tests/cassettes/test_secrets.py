"""Secrets never reach disk: default header replacement, configurable scrubbing, the post-write scan."""

from __future__ import annotations

import os
from pathlib import Path

import httpx
import pytest
import vcr  # type: ignore[import-untyped]

from pytest_talon.cassettes import (
    FAKE_LABEL,
    CassetteConfig,
    CassetteError,
    read_label,
    scan_cassette,
    secret_forms,
    use_cassette,
)
from tests.cassettes._loopback import LoopbackServer, recording, replaying

API_KEY = "live-api-key-0123456789abcdef"
AUTH = {"Authorization": f"ApiKey-v1 {API_KEY}"}


def test_authorization_and_set_cookie_are_replaced_by_default(server: LoopbackServer, cassette_file: Path) -> None:
    with use_cassette(cassette_file, recording(api_key=API_KEY)), httpx.Client(base_url=server.url) as client:
        response = client.get("/v1/x", headers=AUTH)
    assert "cookie-secret-value" in response.headers["set-cookie"]  # the caller still sees the real answer
    text = cassette_file.read_text(encoding="utf-8")
    assert API_KEY not in text
    assert "cookie-secret-value" not in text
    assert "ApiKey-v1 <TALON_API_KEY>" in text
    assert "<set-cookie>" in text


def test_query_headers_and_json_paths_get_stable_placeholders_both_ways(
    server: LoopbackServer, cassette_file: Path
) -> None:
    # Given scrub rules for a query parameter, a header and JSON paths seen in requests and echoed in responses
    scrub = {
        "scrub_query": {"email": "email"},
        "scrub_headers": {"X-Session-Token": "token"},
        "scrub_json_paths": {
            "$.profile.email": "email",
            "$.profile.name": "name",
            "$.received.profile.email": "email",
            "$.received.profile.name": "name",
        },
    }
    alice, bob = "alice@example.com", "bob@example.com"
    with use_cassette(cassette_file, recording(**scrub)), httpx.Client(base_url=server.url) as client:
        client.put(
            "/v2/profiles/p1", json={"profile": {"email": alice, "name": "Alice"}}, headers={"X-Session-Token": "t1"}
        )
        client.put(
            "/v2/profiles/p2", json={"profile": {"email": bob, "name": "Bob"}}, headers={"X-Session-Token": "t1"}
        )
        client.get("/v2/profiles", params={"email": alice})
    text = cassette_file.read_text(encoding="utf-8")
    # Then no raw value is on disk, and the same value always got the same placeholder
    for raw in (alice, bob, "Alice", "Bob", "t1"):
        assert raw not in text
    assert text.count("<email-1>") == 3  # alice: request body, echoed response body, query string
    assert text.count("<email-2>") == 2  # bob: request body and its echo
    assert "<name-1>" in text
    assert "<name-2>" in text
    assert text.count("<token-1>") == 2
    assert "<token-2>" not in text
    # And the scrubbed cassette still replays the same traffic
    server.stop()
    with use_cassette(cassette_file, replaying(**scrub)) as cassette, httpx.Client(base_url=server.url) as client:
        echoed = client.put("/v2/profiles/p1", json={"profile": {"email": alice, "name": "Alice"}}).json()
        client.put("/v2/profiles/p2", json={"profile": {"email": bob, "name": "Bob"}})
        client.get("/v2/profiles", params={"email": alice})
    assert echoed["received"] == {"profile": {"email": "<email-1>", "name": "<name-1>"}}
    assert cassette.played_count == 3


def test_a_secret_left_in_the_answer_fails_loudly_and_is_not_written(
    server: LoopbackServer, cassette_file: Path
) -> None:
    # The server echoes the Authorization header into the body, which no default rule scrubs
    original = httpx.HTTPTransport.handle_request
    with (
        pytest.raises(CassetteError) as caught,
        use_cassette(cassette_file, recording(api_key=API_KEY)),
        httpx.Client(base_url=server.url) as client,
    ):
        client.get("/echo-auth", headers=AUTH)
    message = str(caught.value)
    assert str(cassette_file) in message
    assert "a secret (the API key" in message
    assert "<SECRET #1>" in message
    assert API_KEY not in message
    assert not cassette_file.exists()
    assert httpx.HTTPTransport.handle_request is original  # vcrpy's patch was removed before raising


def test_configured_secrets_are_scanned_too(server: LoopbackServer, cassette_file: Path) -> None:
    with (
        pytest.raises(CassetteError, match="a secret"),
        use_cassette(cassette_file, recording(secrets=("customer-card-4242",))),
        httpx.Client(base_url=server.url) as client,
    ):
        client.post("/v1/pay", json={"card": "customer-card-4242"})
    assert not cassette_file.exists()


def test_scan_cassette_checks_an_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("interactions: []\nkey: abc-secret\n", encoding="utf-8")
    scan_cassette(path, ["other"])
    with pytest.raises(CassetteError, match=r"line 2: key: <SECRET #1>"):
        scan_cassette(path, ["abc-secret"])


def test_a_failed_write_leaves_the_previous_cassette_intact(
    server: LoopbackServer, cassette_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with use_cassette(cassette_file, recording()), httpx.Client(base_url=server.url) as client:
        client.get("/one")
    before = cassette_file.read_bytes()

    def broken_fsync(fd: int) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with (
        pytest.raises(CassetteError, match=r"could not be written.*disk full"),
        use_cassette(cassette_file, recording(record_mode="new_episodes")),
        httpx.Client() as client,
    ):
        client.get(f"{server.url}/two")
    assert cassette_file.read_bytes() == before
    assert sorted(p.name for p in cassette_file.parent.iterdir()) == [cassette_file.name]


def test_the_label_is_in_the_metadata_and_plain_vcrpy_still_loads_it(
    server: LoopbackServer, cassette_file: Path
) -> None:
    with use_cassette(cassette_file, recording(label=FAKE_LABEL)), httpx.Client(base_url=server.url) as client:
        recorded = client.get("/v1/x").json()
    assert cassette_file.read_text(encoding="utf-8").startswith(f"# {FAKE_LABEL}")
    assert read_label(cassette_file) == FAKE_LABEL
    server.stop()
    with vcr.VCR(record_mode="none").use_cassette(str(cassette_file)) as cassette, httpx.Client() as client:
        assert client.get(f"{server.url}/v1/x").json() == recorded
    if hasattr(cassette, "get_metadata"):  # vcrpy >= 9 exposes metadata; older versions only load interactions
        assert cassette.get_metadata("pytest-talon", None) == {"label": FAKE_LABEL}


def test_a_secret_folded_across_yaml_lines_is_still_found(server: LoopbackServer, cassette_file: Path) -> None:
    secret = "card holder " + "x" * 40 + " number 4242 4242"  # spaces let YAML fold it inside a long body
    with (
        pytest.raises(CassetteError, match="in a stored value"),
        use_cassette(cassette_file, recording(secrets=(secret,))),
        httpx.Client(base_url=server.url) as client,
    ):
        client.post("/v1/pay", json={"note": "y" * 60, "card": secret})
    assert not cassette_file.exists()


TRICKY_KEY = "k3y/with+plus=eq&amp"


@pytest.mark.parametrize(
    ("form", "stored"),
    [
        ("raw", TRICKY_KEY),
        ("URL-encoded", "k3y%2Fwith%2Bplus%3Deq%26amp"),
        ("URL-encoded, '/' kept", "k3y/with%2Bplus%3Deq%26amp"),
        ("URL-encoded, lower-case", "k3y%2fwith%2bplus%3deq%26amp"),
        ("base64", "azN5L3dpdGgrcGx1cz1lcSZhbXA"),
        ("JSON-escaped, '/' escaped", "k3y\\/with+plus=eq&amp"),
    ],
)
def test_every_encoded_form_of_the_key_is_found(tmp_path: Path, form: str, stored: str) -> None:
    assert secret_forms(TRICKY_KEY)[form] == stored
    path = tmp_path / "c.yaml"
    path.write_text(f"interactions:\n- request:\n    uri: https://x.test/v1?key={stored}&page=1\n", encoding="utf-8")
    with pytest.raises(CassetteError) as caught:
        scan_cassette(path, [TRICKY_KEY])
    message = str(caught.value)
    assert "<SECRET #1" in message
    assert all(value not in message for value in secret_forms(TRICKY_KEY).values())


def test_the_key_is_masked_in_the_reprs_of_the_config() -> None:
    config = CassetteConfig(api_key=TRICKY_KEY, secrets=("card-4242",))
    assert TRICKY_KEY not in repr(config)
    assert "card-4242" not in repr(config)
    assert "api_key='***'" in repr(config)
