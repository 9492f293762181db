"""A downstream suite using the extension through syrupy's ``snapshot`` fixture, run with pytester."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.snapshots._states import integration_state

pytest_plugins = ["pytester"]

DOWNSTREAM = """
import json
from pathlib import Path

import pytest

from pytest_talon.snapshots import TalonSnapshotExtension

STATES = json.loads((Path(__file__).parent / "states.json").read_text())


@pytest.mark.parametrize("name", sorted(STATES))
def test_checkout_state(snapshot, name):
    assert snapshot.use_extension(TalonSnapshotExtension) == STATES[name]
"""


def _write_states(pytester: pytest.Pytester, count: int, *, shift: int = 0, **variant: Any) -> None:
    """Write ``count`` integration states for the downstream tests; ``shift`` moves every server id."""
    states = {f"cart{index}": integration_state(id_base=100 * index + shift, **variant) for index in range(count)}
    (pytester.path / "states.json").write_text(json.dumps(states), encoding="utf-8")


@pytest.fixture(autouse=True)
def _no_autoload(monkeypatch: pytest.MonkeyPatch) -> None:
    """Downstream runs load only syrupy (and xdist when asked), not every installed plugin: faster and isolated."""
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")


def _run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest_inprocess("-p", "syrupy", "-p", "no:cacheprovider", *args)


def _snapshot_files(pytester: pytest.Pytester) -> list[Path]:
    return sorted((pytester.path / "__snapshots__").rglob("*.talon"))


def test_snapshots_survive_new_ids_and_order_and_catch_a_changed_discount(pytester: pytest.Pytester) -> None:
    # Given snapshots written once
    pytester.makepyfile(test_checkout=DOWNSTREAM)
    _write_states(pytester, 1)
    _run(pytester, "--snapshot-update").assert_outcomes(passed=1)
    [written] = _snapshot_files(pytester)
    assert (
        written.relative_to(pytester.path).as_posix() == "__snapshots__/test_checkout/test_checkout_state[cart0].talon"
    )
    # When ids and timestamps change and effects come back in another order, then they still pass
    _write_states(pytester, 1, shift=7000, created="2031-01-01T00:00:00Z", reverse=True)
    _run(pytester).assert_outcomes(passed=1)
    # When a discount value changes, then the run fails with a diff that shows the value
    _write_states(pytester, 1, discount=12.5)
    result = _run(pytester)
    result.assert_outcomes(failed=1)
    result.stdout.re_match_lines([r".*-\s+\"value\": 10,?$", r".*\+\s+\"value\": 12\.5,?$"], consecutive=False)


def _discount_lines(pytester: pytest.Pytester) -> list[str]:
    return [
        line for path in _snapshot_files(pytester) for line in path.read_text().splitlines() if '"value": 10' in line
    ]


def test_parallel_workers_write_snapshots_without_races(pytester: pytest.Pytester) -> None:
    # Given eight snapshots written by two xdist workers at once
    pytester.makepyfile(test_checkout=DOWNSTREAM)
    _write_states(pytester, 8)
    _run(pytester, "-p", "xdist", "-n", "2", "--snapshot-update").assert_outcomes(passed=8)
    # Then every file is complete, and a plain run finds all of them matching
    files = _snapshot_files(pytester)
    assert len(files) == 8
    assert all(len(json.loads(path.read_text())["effects"]) == 3 for path in files)
    assert len(_discount_lines(pytester)) == 8
    _run(pytester).assert_outcomes(passed=8)


def test_talon_snapshots_live_beside_amber_and_json_snapshots(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_mixed="""
        from syrupy.extensions.json import JSONSnapshotExtension
        from pytest_talon.snapshots import TalonSnapshotExtension

        def test_all_three(snapshot):
            assert snapshot == {"plain": 1}
            assert snapshot.use_extension(JSONSnapshotExtension) == {"json": 2}
            assert snapshot.use_extension(TalonSnapshotExtension) == {"id": 3}
        """
    )
    _run(pytester, "--snapshot-update").assert_outcomes(passed=1)
    second = _run(pytester, "--snapshot-update")
    second.assert_outcomes(passed=1)
    assert "deleted" not in second.stdout.str()
    assert "unused" not in second.stdout.str()
    talon = pytester.path / "__snapshots__" / "test_mixed" / "test_all_three.talon"
    assert json.loads(talon.read_text()) == {"id": "<id-1>"}
