"""Record through the proxy (with httpx and the official Python SDK), then replay with the sandbox gone."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from pytest_talon import TalonClient
from pytest_talon.cassettes import CassetteConfig, use_cassette

from .conftest import KEY, SESSION, Running

AUTH = {"Authorization": f"ApiKey-v1 {KEY}"}


def _session(client: httpx.Client, session_id: str, cassette: str | None = None) -> httpx.Response:
    headers = {"X-Talon-Cassette": cassette} if cassette else {}
    return client.put(f"/v2/customer_sessions/{session_id}", json=SESSION, headers=headers)


def _discounts(body: dict[str, Any]) -> list[float]:
    return [e["props"]["value"] for e in body["effects"] if e["effectType"] == "setDiscount"]


def _sdk_session(base_url: str, session_id: str) -> Any:
    import talon_one

    config = talon_one.Configuration(
        host=base_url, api_key={"api_key_v1": KEY}, api_key_prefix={"api_key_v1": "ApiKey-v1"}
    )
    with talon_one.ApiClient(config) as api_client:
        api = talon_one.IntegrationApi(api_client)
        request = talon_one.IntegrationRequest(
            customer_session=talon_one.NewCustomerSessionV2(
                profile_id="p1", cart_items=[talon_one.CartItem(name="Shoe", sku="SH-1", quantity=1, price=80.0)]
            )
        )
        return api.update_customer_session_v2(session_id, request)


def _record(start: Callable[..., Running], sandbox: Running, cassettes: Path) -> dict[str, Any]:
    """Record two tests' cassettes (one named by header with httpx, one by POST /_fake/cassette with the SDK)."""
    proxy = start("proxy", "--port", "0", "--upstream", sandbox.url, "--record", str(cassettes))
    with httpx.Client(base_url=proxy.url, headers=AUTH) as client:
        answer = _session(client, "s1", cassette="checkout/test_coupon")
        fetched = client.get("/v2/customer_sessions/s1", headers={"X-Talon-Cassette": "checkout/test_coupon"})
        selected = client.post("/_fake/cassette", json={"name": "checkout/test_sdk"})
    assert answer.status_code == 200, answer.text
    assert fetched.status_code == 200, fetched.text
    assert selected.json()["cassette"] == "checkout/test_sdk"
    state = _sdk_session(proxy.url, "s2")
    code, err = proxy.stop()
    assert code == 0, err
    assert KEY not in err
    return {"answer": answer.json(), "fetched": fetched.json(), "sdk": _discounts(state.to_dict())}


def test_record_writes_the_plugins_cassettes_without_the_key_then_replay_answers_the_same(
    start: Callable[..., Running], sandbox: Running, tmp_path: Path
) -> None:
    cassettes = tmp_path / "cassettes"
    recorded = _record(start, sandbox, cassettes)
    assert _discounts(recorded["answer"]) == [8.0]
    assert recorded["sdk"] == [8.0]
    files = sorted(p.relative_to(cassettes).as_posix() for p in cassettes.rglob("*.yaml"))
    assert files == ["checkout/test_coupon.yaml", "checkout/test_sdk.yaml"]
    for path in cassettes.rglob("*.yaml"):
        text = path.read_text()
        assert KEY not in text
        assert "ApiKey-v1 <TALON_API_KEY>" in text
        assert text.startswith("# recorded against a Talon.One deployment (pytest-talon cassette)")

    sandbox.stop()  # replay needs no network
    proxy = start("proxy", "--port", "0", "--replay", str(cassettes))
    with httpx.Client(base_url=proxy.url, headers=AUTH) as client:
        replayed = _session(client, "s1", cassette="checkout/test_coupon")
        fetched = client.get("/v2/customer_sessions/s1", headers={"X-Talon-Cassette": "checkout/test_coupon"})
        client.post("/_fake/cassette", json={"name": "checkout/test_sdk"})
    assert replayed.status_code == 200
    assert replayed.json() == recorded["answer"]
    assert fetched.json() == recorded["fetched"]
    assert _discounts(_sdk_session(proxy.url, "s2").to_dict()) == [8.0]

    # The Python plugin replays what the proxy recorded: the teams share cassettes.
    config = CassetteConfig(cassette_dir=cassettes, record_mode="none")
    path = cassettes / "checkout" / "test_coupon.yaml"
    with use_cassette(path, config), TalonClient("http://talon.invalid", "any-key") as python_client:
        state = python_client.update_customer_session_v2("s1", SESSION)
    assert state.model_dump(mode="json", by_alias=True, exclude_unset=True)["effects"] == recorded["answer"]["effects"]


def test_a_replay_miss_answers_599_naming_the_closest_recorded_request(
    start: Callable[..., Running], sandbox: Running, tmp_path: Path
) -> None:
    cassettes = tmp_path / "cassettes"
    _record(start, sandbox, cassettes)
    proxy = start("proxy", "--port", "0", "--replay", str(cassettes))
    with httpx.Client(base_url=proxy.url, headers=AUTH) as client:
        other = {"customerSession": {**SESSION["customerSession"], "profileId": "p9"}}
        missed = client.put(
            "/v2/customer_sessions/s1", json=other, headers={"X-Talon-Cassette": "checkout/test_coupon"}
        )
        unknown = _session(client, "s1", cassette="checkout/never_recorded")
    assert missed.status_code == 599
    message = missed.json()["message"]
    assert "Closest recorded request (interaction #1 of 2)" in message
    assert "PUT http" in message
    assert "differs in json_body" in message
    assert '"p9"' in message
    assert unknown.status_code == 599
    assert "does not exist" in unknown.json()["message"]


def test_record_mode_forwards_nothing_without_a_cassette_and_says_how_to_name_one(
    start: Callable[..., Running], sandbox: Running, tmp_path: Path
) -> None:
    proxy = start("proxy", "--port", "0", "--upstream", sandbox.url, "--record", str(tmp_path / "c"))
    with httpx.Client(base_url=proxy.url, headers=AUTH) as client:
        answer = _session(client, "s1")
        log = httpx.get(f"{sandbox.url}/_fake/requests", headers=AUTH)
    assert answer.status_code == 400
    assert "X-Talon-Cassette" in answer.json()["message"]
    body = log.json()
    assert (body if isinstance(body, list) else body["requests"]) == []  # a list, or a page of it
    assert not (tmp_path / "c").exists()


def test_an_unreachable_upstream_answers_502_and_records_nothing(
    start: Callable[..., Running], sandbox: Running, tmp_path: Path
) -> None:
    proxy = start("proxy", "--port", "0", "--upstream", sandbox.url, "--record", str(tmp_path / "c"))
    sandbox.stop()
    with httpx.Client(base_url=proxy.url, headers=AUTH) as client:
        answer = _session(client, "s1", cassette="a/b")
    assert answer.status_code == 502
    assert "did not answer" in answer.json()["message"]
    assert not (tmp_path / "c").exists()
