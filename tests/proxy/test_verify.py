"""Verify (shadow) mode: the proxy answers with the upstream's answer, runs each request on its own fake, and
reports every difference by JSON path, over HTTP and in a JSON report at exit."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import httpx

from .conftest import CAMPAIGNS, KEY, SESSION, Running

AUTH = {"Authorization": f"ApiKey-v1 {KEY}"}


def test_verify_answers_with_the_upstream_and_reports_an_injected_difference_by_path(
    start: Callable[..., Running], sandbox: Running, tmp_path: Path
) -> None:
    ours = tmp_path / "ours.yaml"
    ours.write_text(CAMPAIGNS.replace("percent: 10", "percent: 20"))  # the injected difference: 20% on our fake
    report = tmp_path / "report" / "verify.json"
    cassettes = tmp_path / "cassettes"
    proxy = start(
        "proxy", "--port", "0", "--upstream", sandbox.url, "--verify", str(cassettes),
        "--campaigns", str(ours), "--report", str(report),
    )  # fmt: skip
    with httpx.Client(base_url=proxy.url, headers=AUTH) as client:
        answer = client.put("/v2/customer_sessions/s1", json=SESSION, headers={"X-Talon-Cassette": "shop/test_a"})
        same = client.get("/v2/customer_sessions/s1", headers={"X-Talon-Cassette": "shop/test_a"})
        live = client.get("/_fake/verify").json()
    assert answer.status_code == 200
    assert [e["props"]["value"] for e in answer.json()["effects"]] == [8.0]  # the upstream's answer, not ours (16)
    assert same.status_code == 200
    differences = live["verify"]["differences"]
    paths = {d["path"]: (d["recorded"], d["fake"]) for d in differences}
    assert paths["effects[0].props.value"] == (8, 16)
    assert {d["test"] for d in differences} == {"shop/test_a"}
    assert differences[0]["operation"] == "updateCustomerSessionV2"
    assert differences[0]["cassette"] == str(cassettes / "shop" / "test_a.yaml")
    counts = live["verify"]["operations"]
    assert counts["updateCustomerSessionV2"] == {"compared": 1, "identical": 0, "different": 1, "unmatched": 0}
    assert counts["getCustomerSession"]["compared"] == 1
    assert live["upstream"] == sandbox.url
    code, err = proxy.stop()
    assert code == 0, err
    written = json.loads(report.read_text())
    assert written == live
    assert KEY not in report.read_text()
    assert KEY not in (cassettes / "shop" / "test_a.yaml").read_text()


def test_verify_with_the_same_campaigns_finds_no_difference(
    start: Callable[..., Running], sandbox: Running, campaigns_file: Path, tmp_path: Path
) -> None:
    proxy = start(
        "proxy", "--port", "0", "--upstream", sandbox.url, "--verify", str(tmp_path / "c"),
        "--campaigns", str(campaigns_file),
    )  # fmt: skip
    with httpx.Client(base_url=proxy.url, headers=AUTH) as client:
        client.post("/_fake/cassette", json={"name": "shop/test_b"})
        for session in ("s1", "s2"):
            assert client.put(f"/v2/customer_sessions/{session}", json=SESSION).status_code == 200
        live = client.get("/_fake/verify").json()["verify"]
    assert live["differences"] == []
    assert live["operations"]["updateCustomerSessionV2"]["identical"] == 2
