"""``talon-fake import`` against a local stub of the Management API's campaigns and rulesets endpoints."""

from __future__ import annotations

import io
import os
import socket
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from pytest_talon.fake.talang import Context, EffectIntent, Session, TalangImportError, compile_ruleset
from pytest_talon.fake.talang.management import fetch_campaigns, run_import, write_campaigns_file
from tests.talang._run import CTX
from tests.talang.conftest import APP, KEY, RULESETS, SPEC_RULE, ManagementStub


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
