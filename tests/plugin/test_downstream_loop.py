"""The whole downstream loop on examples/checkout, as a user runs it: an SDK-based service plus an httpx module,
no mode-switching glue and no pinned seed.

fake mode (writing the snapshots), fake again, record against a ``talon-fake serve`` subprocess standing in for the
deployment (with a key full of characters that URL-encoding changes), replay with the server gone, and ``-n 2`` in
fake and replay mode; then no form of the key may be in any cassette.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from pytest_talon.cassettes import secret_forms
from tests.plugin._deployment import served_subprocess

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "checkout"
KEY = "rec/key+with=odd&chars"

pytestmark = pytest.mark.slow


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    """A copy of the example without its snapshots and cassettes, as a user's repository before the first run."""
    target = tmp_path / "shop"
    shutil.copytree(EXAMPLE, target, ignore=shutil.ignore_patterns("__snapshots__", "cassettes", "__pycache__"))
    return target


def run_pytest(shop: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("TALON_", "PYTEST_"))}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
        cwd=shop,
        env={**environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, f"pytest {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture
def deployment(shop: Path) -> Iterator[str]:
    """``talon-fake serve`` in a subprocess with a non-default key; yields its URL once it is ready."""
    with served_subprocess(shop / "campaigns.yaml", KEY) as url:
        yield url


def test_fake_record_replay_and_xdist_without_glue(shop: Path, deployment: str) -> None:
    first = run_pytest(shop, "--snapshot-update")
    assert "snapshots generated" in first.stdout
    run_pytest(shop)
    recorded = run_pytest(
        shop,
        "--talon-mode=record",
        "--talon-allow-live",
        env={"TALON_BASE_URL": deployment, "TALON_API_KEY": KEY},
    )
    assert "recorded: " in recorded.stdout
    cassettes = sorted((shop / "cassettes").rglob("*.yaml"))
    assert {path.parent.name for path in cassettes} == {"test_checkout", "test_loyalty_desk"}
    # With the deployment gone, the cassettes alone answer, in one process and on two workers
    replayed = run_pytest(shop, "--talon-mode=replay", "-p", "no:xdist")
    assert "recorded: 0" in replayed.stdout
    run_pytest(shop, "-n", "2")
    run_pytest(shop, "--talon-mode=replay", "-n", "2")
    for path in cassettes:
        text = path.read_text(encoding="utf-8")
        leaked = [name for name, form in secret_forms(KEY).items() if form in text]
        assert leaked == [], f"{path} holds the key ({', '.join(leaked)})"
        assert "seed: " in text  # the test's seed, used again in replay
