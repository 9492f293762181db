"""The explanation read over HTTP from a non-Python client: examples/node/explain.js (Node's fetch, no SDK) against
``talon-fake serve``; skipped where node is not installed."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from ..fake_adapters.test_cli import PATIENCE, first_line, talon_fake
from .conftest import CAMPAIGNS

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "examples" / "node" / "explain.js"


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    campaigns = tmp_path / "campaigns.yaml"
    campaigns.write_text(CAMPAIGNS)
    process = talon_fake("serve", "--port", "0", "--quiet", "--campaigns", str(campaigns))
    try:
        yield first_line(process)
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=PATIENCE)


def test_node_reads_the_explanation_over_http(served: str) -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is needed to run examples/node/explain.js")
    env = {"PATH": str(Path(node).parent), "TALON_URL": served, "TALON_KEY": "fake-talon-api-key"}
    done = subprocess.run([node, str(SCRIPT)], capture_output=True, text=True, timeout=PATIENCE, env=env, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {
        "link": "/_fake/requests/0/explain",
        "evaluated": True,
        "notFired": [
            {
                "name": "Ten percent over 50",
                "rules": ["condition 0 cartSubtotal >= 50 was false (subtotal 45.00)"],
            }
        ],
        "missing": 404,
        "firstLine": "PUT /v2/customer_sessions/order-1 -> 200 (talon_session_created)",
    }
