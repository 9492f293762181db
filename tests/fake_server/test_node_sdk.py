"""The admin API from a non-Python client: examples/node/admin-api.js (the official JavaScript SDK, npm
``talon_one``, plus fetch) run by Node against ``talon-fake serve``; the same script is the example in
docs/fake-server.md. examples/node/parallel-workers.js runs two worker threads on two Applications, each with its
own queued and header-scoped faults."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from ..fake_adapters.test_cli import PATIENCE, first_line, talon_fake

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "examples" / "node" / "admin-api.js"
#: Where ``npm ci --prefix examples/node`` installs the examples' one dependency (npm ``talon_one``, pinned in
#: examples/node/package-lock.json). It is installed with the environment (README's test command, .ci/run), never
#: by a test: the tests reach no network but loopback.
NODE_MODULES = ROOT / "examples" / "node" / "node_modules"
INSTALL = "npm ci --prefix examples/node"


@pytest.fixture(scope="session")
def node_modules() -> Path:
    """The examples' ``node_modules`` with ``talon_one``; the test is skipped, naming the command, without them."""
    if shutil.which("node") is None:
        pytest.skip("node is needed to run the JavaScript SDK examples")
    if not (NODE_MODULES / "talon_one" / "package.json").exists():
        pytest.skip(f"the JavaScript SDK is not installed: run `{INSTALL}` (the README's test command does)")
    return NODE_MODULES


@pytest.fixture
def served() -> Iterator[str]:
    process = talon_fake("serve", "--port", "0", "--quiet")
    try:
        yield first_line(process)
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=PATIENCE)


def test_the_javascript_sdk_example_drives_the_admin_api(node_modules: Path, served: str) -> None:
    env = {**os.environ, "NODE_PATH": str(node_modules), "TALON_URL": served, "TALON_KEY": "fake-talon-api-key"}
    done = subprocess.run(["node", str(SCRIPT)], capture_output=True, text=True, timeout=PATIENCE, env=env, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"ok": True, "requests": 3, "webhooks": 2}


def test_two_parallel_node_workers_on_two_applications_never_see_each_other(node_modules: Path, served: str) -> None:
    env = {**os.environ, "NODE_PATH": str(node_modules), "TALON_URL": served, "TALON_KEY": "fake-talon-api-key"}
    script = ROOT / "examples" / "node" / "parallel-workers.js"
    done = subprocess.run(["node", str(script)], capture_output=True, text=True, timeout=PATIENCE, env=env, check=False)
    assert done.returncode == 0, done.stderr
    workers = [{"name": n, "requests": 12, "sessions": 10} for n in ("left", "right")]
    assert json.loads(done.stdout) == {"ok": True, "workers": workers, "rootRequests": 0}


def test_the_docs_show_the_example_as_it_is_tested() -> None:
    docs = (ROOT / "docs" / "fake-server.md").read_text()
    block = docs.split("```javascript\n", 1)[1].split("```", 1)[0]
    assert block == SCRIPT.read_text()
