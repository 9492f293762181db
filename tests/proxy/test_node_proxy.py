"""examples/node/proxy.test.js: a ``node:test`` suite on the official JavaScript SDK (npm ``talon_one``) records
through ``talon-fake proxy`` (``talon-fake serve`` standing in for the sandbox), replays with the sandbox gone, and
runs again through ``--verify`` with a fake whose campaigns differ: the suite itself reads ``GET /_fake/verify`` and
finds the difference by its JSON path, as the report written at exit does. Skipped, with the reason, where node and
npm are not installed."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

from ..fake_adapters.test_cli import PATIENCE
from ..fake_server.test_node_sdk import node_modules  # noqa: F401 (the fixture: talon_one in the pytest cache)
from .conftest import CAMPAIGNS, KEY, Running

SUITE = Path(__file__).resolve().parents[2] / "examples" / "node" / "proxy.test.js"


def _node_test(modules: Path, url: str, mode: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NODE_PATH": str(modules), "TALON_URL": url, "TALON_KEY": KEY, "TALON_PROXY_MODE": mode}
    command = ["node", "--test", "--test-reporter=tap", str(SUITE)]
    return subprocess.run(command, capture_output=True, text=True, timeout=PATIENCE * 2, env=env, check=False)


def test_a_javascript_suite_records_through_the_proxy_and_replays_without_the_sandbox(
    node_modules: Path,  # noqa: F811
    start: Callable[..., Running],
    sandbox: Running,
    tmp_path: Path,
) -> None:
    cassettes = tmp_path / "cassettes"
    proxy = start("proxy", "--port", "0", "--upstream", sandbox.url, "--record", str(cassettes))
    recorded = _node_test(node_modules, proxy.url, "record")
    assert recorded.returncode == 0, recorded.stdout + recorded.stderr
    assert "# pass 2" in recorded.stdout
    proxy.stop()
    sandbox.stop()
    files = sorted(p.relative_to(cassettes).as_posix() for p in cassettes.rglob("*.yaml"))
    assert files == ["node/no_discount_under_50.yaml", "node/ten_percent_off_a_cart_of_80.yaml"]
    assert all(KEY not in p.read_text() for p in cassettes.rglob("*.yaml"))

    proxy = start("proxy", "--port", "0", "--replay", str(cassettes))
    replayed = _node_test(node_modules, proxy.url, "replay")
    assert replayed.returncode == 0, replayed.stdout + replayed.stderr
    assert "# pass 3" in replayed.stdout


def test_a_javascript_suite_verifies_through_the_proxy_and_finds_an_injected_difference(
    node_modules: Path,  # noqa: F811
    start: Callable[..., Running],
    sandbox: Running,
    tmp_path: Path,
) -> None:
    ours = tmp_path / "ours.yaml"  # the fake's campaigns: 20% where the sandbox gives 10%
    ours.write_text(CAMPAIGNS.replace("percent: 10", "percent: 20"))
    report = tmp_path / "verify.json"
    cassettes = tmp_path / "cassettes"
    args = ["--upstream", sandbox.url, "--verify", str(cassettes), "--campaigns", str(ours), "--report", str(report)]
    proxy = start("proxy", "--port", "0", *args)
    verified = _node_test(node_modules, proxy.url, "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    counts = [line for line in verified.stdout.splitlines() if line.startswith(("# pass", "# skipped"))]
    assert counts == ["# pass 3", "# skipped 1"]  # the replay-only test is skipped
    code, _ = proxy.stop()
    assert code == 0
    written = json.loads(report.read_text())
    assert KEY not in report.read_text()
    assert written["verify"]["differences"] == [
        {
            "test": "node/ten_percent_off_a_cart_of_80",
            "operation": "updateCustomerSessionV2",
            "request": "#1 PUT /v2/customer_sessions/order-1",
            "cassette": str(cassettes / "node" / "ten_percent_off_a_cart_of_80.yaml"),
            "path": "effects[0].props.value",
            "recorded": 8,
            "fake": 16,
        }
    ]
    assert written["verify"]["operations"]["updateCustomerSessionV2"]["different"] == 1
    assert written["verify"]["unmatched"] == []


def test_the_docs_show_the_suite_as_it_is_tested() -> None:
    docs = (SUITE.parents[2] / "docs" / "fake-server.md").read_text()
    block = docs.split("```js\n// A node:test suite", 1)[1].split("```", 1)[0]
    assert "// A node:test suite" + block == SUITE.read_text()
