"""Re-record the contract suite's cassettes (top-level ``cassettes/``) against pytest-talon's own fake.

Each test is recorded against a fresh fake loaded with ``tests/contract/contract.yaml`` and served on loopback,
exactly as each test sees a fresh fake in fake mode, so replayed answers and fake answers give the same snapshots.
Never points at a real deployment. Run from the repository root: ``python tools/record_contract.py``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from pytest_talon.fake import FakeTalon

ROOT = Path(__file__).resolve().parent.parent
SUITE = ROOT / "tests" / "contract" / "test_contract.py"
CASSETTES = ROOT / "cassettes"
KEY = "contract-recording-key"


def test_names() -> list[str]:
    listing = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "talon", "--collect-only", "-q", "--snapshot-warn-unused", str(SUITE)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return [line.split("::", 1)[1] for line in listing.splitlines() if "::" in line]


def record(name: str) -> None:
    fake = FakeTalon(api_key=KEY)
    fake.load_campaigns(SUITE.with_name("contract.yaml"))
    with fake.serve() as url:
        env = {**os.environ, "TALON_BASE_URL": url, "TALON_API_KEY": KEY}
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "-p",
                "talon",
                "-q",
                "--talon-mode=record",
                "--talon-allow-live",
                f"--talon-cassette-dir={CASSETTES}",
                f"{SUITE}::{name}",
            ],
            cwd=ROOT,
            env=env,
            check=True,
        )


def main() -> None:
    shutil.rmtree(CASSETTES / SUITE.stem, ignore_errors=True)
    for name in test_names():
        record(name)


if __name__ == "__main__":
    main()
