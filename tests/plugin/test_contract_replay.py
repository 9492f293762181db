"""The contract suite (tests/contract) replayed from the top-level cassettes/ directory, against the snapshots the
same suite produces in fake mode. Every one of the 39 operations goes through record/replay this way."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pytest_talon._spec.operations import OPERATIONS

ROOT = Path(__file__).resolve().parents[2]
SUITE = ROOT / "tests" / "contract"


def test_the_contract_suite_replays_from_the_cassettes(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("CI", "TALON_BASE_URL", "TALON_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    for name in ("test_contract.py", "conftest.py", "contract.yaml"):
        shutil.copy(SUITE / name, pytester.path / name)
    shutil.copytree(SUITE / "__snapshots__", pytester.path / "__snapshots__")
    result = pytester.runpytest_inprocess(
        "-p",
        "talon",
        "-p",
        "no:cacheprovider",
        "-p",
        "no:asyncio",
        "--talon-mode=replay",
        f"--talon-cassette-dir={ROOT / 'cassettes'}",
        "--talon-report=report.json",
    )
    result.assert_outcomes(passed=10)
    result.stdout.fnmatch_lines(
        ["mode: replay; *cassettes replayed: 10, recorded: 0", "API coverage: 39/39 operations*"]
    )
    assert len(OPERATIONS) == 39


def test_the_cassettes_hold_no_key_and_say_what_they_were_recorded_against() -> None:
    cassettes = sorted((ROOT / "cassettes" / "test_contract").glob("*.yaml"))
    assert len(cassettes) == 10
    for cassette in cassettes:
        text = cassette.read_text()
        assert "contract-recording-key" not in text
        assert text.startswith("# recorded against the pytest-talon fake")
