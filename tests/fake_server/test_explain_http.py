"""The explanation of a request over HTTP (``GET /_fake/requests/{n}/explain``) and ``talon-fake serve --explain``."""

from __future__ import annotations

import signal
import sys

import httpx
import pytest

from pytest_talon.fake import FakeTalon

from ..fake_adapters.test_cli import PATIENCE, first_line, talon_fake
from .conftest import CAMPAIGNS

SMALL_CART = {"customerSession": {"profileId": "p1", "cartItems": [{"sku": "SH-1", "quantity": 1, "price": 45.0}]}}


def test_the_explanation_is_json_over_the_admin_api(fake: FakeTalon, client: httpx.Client) -> None:
    assert client.post("/_fake/campaigns", content=CAMPAIGNS).status_code == 201
    assert client.put("/v2/customer_sessions/s1", json=SMALL_CART).status_code == 200
    answer = client.get("/_fake/requests/0/explain")
    assert answer.status_code == 200
    data = answer.json()
    assert data["evaluated"] is True
    (campaign,) = data["campaigns"]
    assert (campaign["name"], campaign["outcome"]) == ("Ten percent over 50", "not fired")
    assert campaign["rules"][0]["detail"] == "condition 0 cartSubtotal >= 50 was false (subtotal 45.00)"
    assert data["text"] == str(fake.explain(0))
    assert client.get("/_fake/requests/-1/explain").json() == data
    big = {
        "customerSession": {**SMALL_CART["customerSession"], "cartItems": [{"sku": "SH-1", "quantity": 1, "price": 60}]}
    }
    assert client.put("/v2/customer_sessions/s2", json=big).status_code == 200
    (rule,) = client.get("/_fake/requests/-1/explain").json()["campaigns"][0]["rules"]
    assert (rule["outcome"], rule["held"], rule["shrunk"]) == (
        "fired",
        ["condition 0 cartSubtotal >= 50: subtotal 60.00 -> true"],
        [],
    )


def test_bad_positions_are_json_errors(client: httpx.Client) -> None:
    missing = client.get("/_fake/requests/5/explain")
    assert missing.status_code == 404
    assert "no request 5 in the request log" in missing.json()["message"]
    bad = client.get("/_fake/requests/x/explain")
    assert bad.status_code == 400
    assert "n must be an integer" in bad.json()["message"]


def test_a_request_the_fake_did_not_evaluate_says_so(client: httpx.Client) -> None:
    assert client.get("/v1/customer_profiles/nobody/inventory").status_code == 404
    data = client.get("/_fake/requests/0/explain").json()
    assert data["evaluated"] is False
    assert (
        data["text"] == "GET /v1/customer_profiles/nobody/inventory -> 404: the fake answered 404 and evaluated no rule"
    )


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_serve_explain_prints_each_requests_tree_on_stderr() -> None:
    process = talon_fake("serve", "--port", "0", "--api-key", "k", "--quiet", "--explain")
    try:
        url = first_line(process)
        with httpx.Client(base_url=url, headers={"Authorization": "ApiKey-v1 k"}) as client:
            assert client.post("/_fake/campaigns", content=CAMPAIGNS).status_code == 201
            assert client.put("/v2/customer_sessions/s1", json=SMALL_CART).status_code == 200
    finally:
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=PATIENCE)
    assert "talon-fake: explain: PUT /v2/customer_sessions/s1 -> 200 (talon_session_created)" in err
    assert 'rule 0 "10% off carts of 50 or more": condition 0 cartSubtotal >= 50 was false (subtotal 45.00)' in err
    assert "explain: POST /_fake" not in err
