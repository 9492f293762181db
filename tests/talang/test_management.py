"""``talon-fake import`` against a local stub of the Management API's campaigns and rulesets endpoints."""

from __future__ import annotations

import io
import json
import os
import socket
import threading
from collections.abc import Iterator
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from pytest_talon.fake.talang import Context, EffectIntent, Session, TalangImportError, compile_ruleset
from pytest_talon.fake.talang.management import fetch_campaigns, run_import, write_campaigns_file
from tests.talang._run import CTX

KEY = "bd9479c59e16"
APP = 5
SPEC_RULE = {
    "id": "7fa800a8-ac8d-4792-85dc-c4650dcc8f23",
    "title": "10% off with a coupon",
    "description": "Creates a discount when a coupon is valid",
    "bindings": [],
    "condition": ["and", ["couponValid"]],
    "effects": ["catch", ["noop"], ["setDiscount", "10% off", ["*", [".", "Session", "Total"], ["/", 10, 100]]]],
}
KITCHEN_RULE = {
    "title": "Two kitchen items",
    "condition": [">=", ["count", [".", "kitchen"]], 2],
    "effects": [["setDiscount", "Kitchen", 3]],
}
CAMPAIGNS = [
    {
        "id": 1,
        "name": "Summer coupons",
        "state": "enabled",
        "activeRulesetId": 11,
        "tags": ["summer"],
        "startTime": "2026-01-01T00:00:00Z",
        "attributes": "{}",
        "discountCount": 288.0,
    },
    {"id": 2, "name": "Kitchen", "state": "enabled", "activeRulesetId": 21, "attributes": {"team": "home"}},
    {"id": 3, "name": "Draft", "state": "disabled"},
]
RULESETS = {
    (1, 11): {"id": 11, "created": "2020-06-10T09:05:27Z", "userId": 1, "rbVersion": "v2", "rules": [SPEC_RULE],
              "bindings": []},
    (2, 21): {"id": 21, "created": "2020-06-10T09:05:27Z", "userId": 1, "rules": [KITCHEN_RULE], "bindings": [
        {"name": "kitchen", "type": "cartItemFilter", "expression": ["filter", [".", "Session", "CartItems"],
         [["Item"], ["catch", False, ["=", [".", "Item", "Category"], "Kitchen"]]]]}]},
}  # fmt: skip


class ManagementStub(BaseHTTPRequestHandler):
    """Serves getCampaigns (at most 2 per page, whatever pageSize says), getCampaign and getRuleset."""

    requests: list[tuple[str, str | None]]
    campaigns: list[dict[str, Any]] = CAMPAIGNS
    rulesets: dict[tuple[int, int], dict[str, Any]] = RULESETS

    def do_GET(self) -> None:
        self.requests.append((self.path, self.headers.get("Authorization")))
        if self.headers.get("Authorization") != f"ManagementKey-v1 {KEY}":
            return self.answer(401, {"message": "Unauthorized", "errors": [], "StatusCode": 401})
        url = urlsplit(self.path)
        parts = url.path.strip("/").split("/")
        if parts[:3] != ["v1", "applications", str(APP)] or parts[3:4] != ["campaigns"]:
            return self.answer(404, {"message": "Not found", "StatusCode": 404})
        if len(parts) == 4:
            query = parse_qs(url.query)
            skip, size = int(query["skip"][0]), min(int(query["pageSize"][0]), 2)
            return self.answer(
                200, {"totalResultSize": len(self.campaigns), "data": self.campaigns[skip : skip + size]}
            )
        found = [c for c in self.campaigns if str(c["id"]) == parts[4]]
        if len(parts) == 5 and found:
            return self.answer(200, found[0])
        if len(parts) == 7 and parts[5] == "rulesets" and (int(parts[4]), int(parts[6])) in self.rulesets:
            return self.answer(200, self.rulesets[int(parts[4]), int(parts[6])])
        return self.answer(404, {"message": f"{self.path} not found", "StatusCode": 404})

    def answer(self, status: int, body: Any) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def stub() -> Iterator[tuple[str, list[tuple[str, str | None]]]]:
    """A Management API stub on 127.0.0.1 (a free port), and the requests it received."""
    seen: list[tuple[str, str | None]] = []
    handler = type("Stub", (ManagementStub,), {"requests": seen})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)  # listening once constructed: no wait needed
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", seen
    server.shutdown()
    server.server_close()
    thread.join()


def cli(url: str, *extra: str, key: str = KEY) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run_import(["--url", url, "--management-key", key, "--application-id", str(APP), *extra], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_import_reads_every_page_and_every_active_ruleset(stub: Any, tmp_path: Path) -> None:
    url, seen = stub
    output = tmp_path / "campaigns.yaml"
    code, _, err = cli(url, "--output", str(output))
    assert code == 0, err
    assert "3 campaign(s) written to" in err
    paths = [path for path, _ in seen]
    assert paths == [
        f"/v1/applications/{APP}/campaigns?pageSize=1000&skip=0",
        f"/v1/applications/{APP}/campaigns?pageSize=1000&skip=2",
        f"/v1/applications/{APP}/campaigns/1/rulesets/11",
        f"/v1/applications/{APP}/campaigns/2/rulesets/21",
    ]
    assert {auth for _, auth in seen} == {f"ManagementKey-v1 {KEY}"}
    campaigns = yaml.safe_load(output.read_text())["campaigns"]
    assert [c["name"] for c in campaigns] == ["Summer coupons", "Kitchen", "Draft"]
    assert campaigns[0] == {
        "id": 1,
        "name": "Summer coupons",
        "state": "enabled",
        "startTime": "2026-01-01T00:00:00Z",
        "tags": ["summer"],
        "ruleset": {
            "rules": [{k: SPEC_RULE[k] for k in ("title", "condition", "effects", "bindings")}],
            "bindings": [],
        },
    }
    assert campaigns[1]["attributes"] == {"team": "home"}
    assert campaigns[2]["ruleset"] == {"rules": [], "bindings": []}


def test_an_imported_file_runs(stub: Any, tmp_path: Path) -> None:
    url, _ = stub
    output = tmp_path / "campaigns.yaml"
    assert cli(url, "--output", str(output))[0] == 0
    summer, kitchen, draft = yaml.safe_load(output.read_text())["campaigns"]
    ctx = Context(Session(total=Decimal(50)), coupon_is_valid=True)
    assert compile_ruleset(summer["ruleset"], campaign=summer["name"]).intents(ctx) == [
        EffectIntent("setDiscount", {"name": "10% off", "value": Decimal(5)})
    ]
    assert compile_ruleset(kitchen["ruleset"]).intents(CTX) == [
        EffectIntent("setDiscount", {"name": "Kitchen", "value": Decimal(3)})
    ]
    assert compile_ruleset(draft["ruleset"]).intents(CTX) == []


def test_campaign_ids_fetch_only_those_campaigns(stub: Any) -> None:
    url, seen = stub
    code, out, _ = cli(url, "--campaign-id", "2")
    assert code == 0
    assert [c["id"] for c in yaml.safe_load(out)["campaigns"]] == [2]
    assert [path for path, _ in seen] == [
        f"/v1/applications/{APP}/campaigns/2",
        f"/v1/applications/{APP}/campaigns/2/rulesets/21",
    ]


def test_a_wrong_key_is_reported_with_the_url_and_status_and_nothing_is_written(stub: Any, tmp_path: Path) -> None:
    url, _ = stub
    output = tmp_path / "campaigns.yaml"
    output.write_text("campaigns: []  # previous import\n")
    code, out, err = cli(url, "--output", str(output), key="wrong")
    assert code == 1
    assert f"GET {url}/v1/applications/{APP}/campaigns -> 401: Unauthorized (check --management-key" in err
    assert "wrong" not in err  # the key is never printed
    assert output.read_text() == "campaigns: []  # previous import\n"
    assert out == ""


def test_an_unknown_campaign_is_a_404_naming_the_url(stub: Any) -> None:
    url, _ = stub
    with pytest.raises(TalangImportError) as caught:
        fetch_campaigns(url, KEY, APP, campaign_ids=[99])
    assert caught.value.status_code == 404
    assert caught.value.url == f"{url}/v1/applications/{APP}/campaigns/99"
    assert "check --url, --application-id and --campaign-id" in str(caught.value)


def test_a_network_error_is_reported_clearly() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    code, _, err = cli(f"http://127.0.0.1:{port}")
    assert code == 1
    assert f"GET http://127.0.0.1:{port}/v1/applications/{APP}/campaigns: cannot reach the Management API" in err


def test_a_ruleset_the_fake_cannot_run_is_imported_with_a_warning(stub: Any) -> None:
    url, _ = stub
    odd = {"title": "Templates", "condition": ["!", "Template1"], "effects": []}
    ManagementStub.rulesets = {**RULESETS, (1, 11): {**RULESETS[1, 11], "rules": [odd]}}
    try:
        code, out, err = cli(url)
    finally:
        ManagementStub.rulesets = RULESETS
    assert code == 0
    assert "warning: the fake will refuse campaign 'Summer coupons', rule 'Templates': condition: function '!'" in err
    assert yaml.safe_load(out)["campaigns"][0]["ruleset"]["rules"] == [{**odd}]


def test_the_key_may_come_from_the_environment(stub: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    url, _ = stub
    monkeypatch.setenv("TALON_MANAGEMENT_KEY", KEY)
    err = io.StringIO()
    assert run_import(["--url", url, "--application-id", str(APP)], out=io.StringIO(), err=err) == 0
    monkeypatch.delenv("TALON_MANAGEMENT_KEY")
    assert run_import(["--url", url, "--application-id", str(APP)], out=io.StringIO(), err=err) == 2
    assert "give --management-key or set $TALON_MANAGEMENT_KEY" in err.getvalue()


def test_the_file_is_replaced_atomically(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    output = tmp_path / "campaigns.yaml"
    output.write_text("old\n")

    def fail(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError, match="disk full"):
        write_campaigns_file([{"id": 1, "name": "x", "ruleset": {"rules": [], "bindings": []}}], output)
    assert output.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["campaigns.yaml"]
    monkeypatch.undo()
    write_campaigns_file([{"id": 1, "name": "x", "ruleset": {"rules": [], "bindings": []}}], output, source="u")
    assert yaml.safe_load(output.read_text()) == {
        "campaigns": [{"id": 1, "name": "x", "ruleset": {"rules": [], "bindings": []}}]
    }
    assert output.read_text().startswith("# Imported by talon-fake import from u")
