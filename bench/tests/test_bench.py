"""The bench scripts run and print every row of bench/README.md's table (figures are not checked: timing varies)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

#: One pattern per expected row's ``measure`` cell, in the order ``python -m bench`` prints them.
ROWS = (
    r"P1 update_customer_session_v2 via fake\.transport\(\)",
    r"P1's server side: fake\.handle",
    r"P1's floor: a stateless stub",
    r"P3 loopback keep-alive requests/s",
    r"server start \+ one request \+ stop",
    r"P4 .* builds/s \| polyfactory ModelFactory, required fields only",
    r"P4 .* builds/s \| polyfactory ModelFactory defaults",
    r"P4 .* builds/s \| polyfactory ModelFactory, every optional field filled",
    r"P5 plugin overhead",
    r"P6 20-test suite, fake mode",
    r"cost per request \(new customer's first session\) with 2,000 stored sessions",
    r"memory per stored session",
    r"fill 2,000 sessions",
    r"1,000 campaigns of which one fires",
    r"body reader's shortcut .*: CPU per keep-alive request",
    r"learned effect recipes .*: CPU per keep-alive request",
    r"copy of a stored session .*: CPU per keep-alive request",
    r"Interner of stored cart items .*: memory per stored session",
    r"request log's packed bodies .*: memory per stored session",
    r"campaigns-file cache .*: P6's 50-test fake-mode suite",
    r"PUT session, 100 Applications \(the last one's key\)",
)


@pytest.mark.slow
def test_quick_bench_prints_one_row_per_measure_with_a_status() -> None:
    # Given every bench script in its quick mode, run the way a developer does
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--quick"], cwd=REPO, capture_output=True, text=True, timeout=600
    )

    # Then it succeeds and prints the table: one row per measure, six cells, each with a goal status
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert "| measure | baseline (same run) | value | ratio | goal | status |" in lines
    rows = [line for line in lines if line.startswith("| ") and not line.startswith("| measure ")]
    assert len(rows) == len(ROWS), done.stdout
    for pattern, row in zip(ROWS, rows, strict=True):
        assert re.match(rf"\| {pattern}", row), f"expected a row for {pattern!r}, got {row!r}"
        cells = row.strip("|").split(" | ")
        assert len(cells) == 6, row
        assert cells[-1].strip() in ("PASS", "MISS", "info"), row


@pytest.mark.slow
def test_p1_parts_prints_p1_with_each_part_made_free_in_turn() -> None:
    # Given the P1 decomposition script in its quick mode
    done = subprocess.run(
        [sys.executable, "-m", "bench.p1_parts", "--quick"], cwd=REPO, capture_output=True, text=True, timeout=600
    )

    # Then it prints four information rows (no goal), the fake as it is first, each against its own static route
    assert done.returncode == 0, done.stdout + done.stderr
    rows = [line for line in done.stdout.splitlines() if line.startswith("| P1")]
    assert [row.split(" | ")[0] for row in rows] == [
        "| P1, the fake as it is",
        "| P1 with the evaluation free (first result reused)",
        "| P1 with the evaluation and the answer's body free",
        "| P1 with the evaluation, the answer's body and the request log free",
    ]
    assert all(row.endswith("| - | info |") and "static respx route" in row for row in rows), rows


@pytest.mark.slow
def test_compare_trees_prints_both_suites_cpu_and_their_ratio() -> None:
    # Given the repository compared with itself, in a tiny suite and one round
    done = subprocess.run(
        [sys.executable, "-m", "bench.compare_trees", ".", ".", "--tests", "5", "--rounds", "1"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )

    # Then it prints one line with both CPU times and the ratio
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.fullmatch(
        r"P6's 5-test fake-mode suite, CPU: old [0-9.]+ s, new [0-9.]+ s, new/old [0-9.]+x\n", done.stdout
    )


def test_the_prism_bench_without_prism_says_how_to_get_it(tmp_path: Path) -> None:
    # Given no Prism (no PRISM variable, a PATH without it)
    env = {"PATH": str(tmp_path), "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-m", "bench.bench_prism", "--quick"], cwd=REPO, capture_output=True, text=True, env=env
    )

    # Then it exits 2 saying how to install it, and prints no figure
    assert done.returncode == 2, done.stderr
    assert "npm install --prefix DIR @stoplight/prism-cli@5" in done.stderr
    assert "| talon-fake serve" not in done.stdout
