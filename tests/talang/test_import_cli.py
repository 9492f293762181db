"""``talon-fake import`` as a real subprocess against the Management API stub; the file it writes runs in a fake."""

from __future__ import annotations

import signal
import subprocess
from pathlib import Path
from typing import Any

import httpx
import yaml

from pytest_talon.fake import FakeTalon
from tests.fake_adapters.test_cli import PATIENCE, TALON_FAKE, first_line, talon_fake
from tests.talang.conftest import APP, KEY

AUTH = {"Authorization": "ApiKey-v1 fake-talon-api-key"}


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    command = [*TALON_FAKE, *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=PATIENCE, check=False)


def test_an_imported_file_runs_in_the_fake(stub: Any, tmp_path: Path) -> None:
    url, seen = stub
    output = tmp_path / "imported.yaml"
    done = run_cli(
        "import", "--url", url, "--management-key", KEY, "--application-id", str(APP), "--output", str(output)
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip().endswith(f"3 campaign(s) written to {output}")
    assert len(seen) == 4

    fake = FakeTalon()
    summer, kitchen, draft = fake.load_campaigns(output)
    assert [(c.id, c.name, c.state, c.features) for c in (summer, kitchen, draft)] == [
        (1, "Summer coupons", "enabled", ["coupons"]),
        (2, "Kitchen", "enabled", []),
        (3, "Draft", "disabled", []),
    ]
    fake.add_coupon(value="SUMMER", campaign_id=1)
    body = {
        "customerSession": {
            "couponCodes": ["SUMMER"],
            "cartItems": [
                {"sku": "MUG", "quantity": 2, "price": 10.0, "category": "Kitchen"},
                {"sku": "PAN", "quantity": 1, "price": 30.0, "category": "Kitchen"},
            ],
        }
    }
    response = fake.handle(httpx.Request("PUT", f"{fake.base_url}/v2/customer_sessions/s1", json=body, headers=AUTH))
    assert response.status_code == 200, response.text
    assert [(e["campaignId"], e["effectType"], e["props"]) for e in response.json()["effects"]] == [
        (1, "acceptCoupon", {"value": "SUMMER"}),
        (1, "setDiscount", {"name": "10% off", "value": 5, "scope": "cartItems"}),
        (2, "setDiscount", {"name": "Kitchen", "value": 3, "scope": "cartItems"}),
    ]


def test_a_failed_import_exits_1_naming_the_status_and_writes_nothing(stub: Any, tmp_path: Path) -> None:
    url, _ = stub
    output = tmp_path / "imported.yaml"
    args = ("import", "--url", url, "--management-key", "wrong", "--application-id", str(APP), "--output", str(output))
    done = run_cli(*args)
    assert done.returncode == 1
    assert "-> 401" in done.stderr
    assert "wrong" not in done.stderr
    assert not output.exists()


def test_import_writes_to_standard_output_by_default(stub: Any) -> None:
    url, _ = stub
    done = run_cli("import", "--url", url, "--management-key", KEY, "--application-id", str(APP), "--campaign-id", "2")
    assert done.returncode == 0, done.stderr
    assert [c["name"] for c in yaml.safe_load(done.stdout)["campaigns"]] == ["Kitchen"]


def test_bare_options_still_serve() -> None:
    process = talon_fake("--port", "0", "--quiet")
    try:
        url = first_line(process)
        assert httpx.get(f"{url}/v2/customer_sessions/x", headers=AUTH).status_code == 404
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=PATIENCE)
    assert process.returncode == 0
