"""P5 and P6: what the pytest plugin costs a run, measured with pytest in subprocesses.

Run: ``python -m bench.bench_plugin [--quick] [--importtime]``.

- P5: ``pytest -p talon --co`` of a one-test file against ``pytest -p syrupy --co`` of the same file, both with
  ``PYTEST_DISABLE_PLUGIN_AUTOLOAD=1`` (N interleaved runs each; the difference of the median CPU times in ms). The
  baseline is pytest with syrupy, the one plugin pytest-talon registers (for ``talon_snapshot``; installed with it,
  syrupy autoloads in any normal run anyway), so the difference is the plugin's own cost rather than noise in
  loading every other plugin installed (about 1.3 s of CPU in the development environment, against about 0.25 s
  for pytest alone).
- P6: a generated suite of 1,000 tests (``--quick``: 50) in fake mode (``talon_client`` on the test's fake,
  preloaded from a ``talon_campaigns`` ini file holding the scenario's 3 campaigns and coupon) against the same test
  files with a ``talon_client`` fixture in ``conftest.py`` on a static respx route answering the fake's captured
  answer, run with ``-p no:talon``. Both serial, ``-p no:randomly -q``; the median of the CPU time ratios of N
  rounds, each running both sides back to back (5 rounds).

Figures are CPU time (user + system) of the pytest process: on 2 shared cores its wall time swings with other
processes' load, its CPU time much less; the wall times are printed alongside. Both sides run with bytecode caching
on and after one untimed warm-up run each, whatever ``PYTHONDONTWRITEBYTECODE`` says in the calling environment.

``--importtime`` also prints the top cumulative entries of ``python -X importtime -c "import pytest_talon.plugin"``.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from bench._common import Goal, Row, cli
from bench._scenario import CAMPAIGNS, captured_answer, session_body

REPO = Path(__file__).resolve().parent.parent

#: One pytest run: its arguments and the directory it runs in.
Run = tuple[Sequence[str], Path]

ONE_TEST = "def test_one():\n    pass\n"

STATIC_CONFTEST = '''"""The static baseline's talon_client: one static respx route, the captured bytes."""
from pathlib import Path

import pytest

from bench._scenario import static_respx_client


@pytest.fixture
def talon_client():
    with static_respx_client((Path(__file__).parent / "answer.json").read_bytes()) as client:
        yield client
'''


def _env() -> dict[str, str]:
    """The environment of every pytest subprocess: no user addopts or plugins, ``bench`` importable, and bytecode
    caching on (``PYTHONDONTWRITEBYTECODE`` dropped) as on a developer's machine or a CI job's second run: with it
    off, every run compiles every module it imports and the figures measure the compiler, not the plugin."""
    dropped = ("PYTEST_ADDOPTS", "PYTEST_PLUGINS", "PYTHONDONTWRITEBYTECODE")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, (str(REPO), env.get("PYTHONPATH"))))
    return env


@dataclass(frozen=True)
class Timing:
    """A subprocess's wall seconds and CPU seconds (user + system): CPU time is steadier on a shared machine."""

    wall: float
    cpu: float


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed_pytest(args: Sequence[str], cwd: Path, expect: str, env: Mapping[str, str] | None = None) -> Timing:
    """Times ``python -m pytest <args>`` in ``cwd`` (``env`` added to :func:`_env`); fails unless it exits 0 and
    prints ``expect``."""
    cpu, started = _children_cpu(), time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", *args],
        cwd=cwd,
        env={**_env(), **(env or {})},
        capture_output=True,
        text=True,
        timeout=900,
    )
    timing = Timing(time.perf_counter() - started, _children_cpu() - cpu)
    if done.returncode != 0 or expect not in done.stdout:
        raise AssertionError(f"pytest {args} in {cwd} did not print {expect!r}:\n{done.stdout}{done.stderr}")
    return timing


def interleaved(
    measured: Run, baseline: Run, expect: str, runs: int, env: Mapping[str, str] | None = None
) -> tuple[Timing, Timing, float]:
    """Median wall and CPU time of ``runs`` runs of each ``(pytest args, directory)``, alternating the first, after
    one untimed run of each (which writes the bytecode caches both sides then read), and the median of the rounds'
    CPU time ratios (each round runs both sides back to back, so a slow phase of the machine hits both)."""
    for args, cwd in (measured, baseline):
        timed_pytest(args, cwd, expect, env)
    times: dict[int, list[Timing]] = {0: [], 1: []}
    for r in range(runs):
        for side in (0, 1) if r % 2 == 0 else (1, 0):
            args, cwd = measured if side == 0 else baseline
            times[side].append(timed_pytest(args, cwd, expect, env))
    medians = [
        Timing(statistics.median(t.wall for t in times[s]), statistics.median(t.cpu for t in times[s])) for s in (0, 1)
    ]
    ratio = statistics.median(m.cpu / b.cpu for m, b in zip(times[0], times[1], strict=True))
    return medians[0], medians[1], ratio


def _compare(measured: Timing, baseline: Timing, unit: str) -> str:
    if unit == "ms":
        return (
            f"CPU {measured.cpu * 1e3:.0f} vs {baseline.cpu * 1e3:.0f} ms; "
            f"wall {measured.wall * 1e3:.0f} vs {baseline.wall * 1e3:.0f} ms"
        )
    return f"CPU {measured.cpu:.2f} vs {baseline.cpu:.2f} s; wall {measured.wall:.2f} vs {baseline.wall:.2f} s"


def p5_collect_overhead(runs: int) -> Row:
    """P5: ``--co`` of one test with the plugin against without it."""
    with tempfile.TemporaryDirectory(prefix="bench-p5-") as tmp:
        root = Path(tmp)
        (root / "pytest.ini").write_text("[pytest]\n")
        (root / "test_one.py").write_text(ONE_TEST)
        common = ["--co", "-q", "-p", "no:cacheprovider", "test_one.py"]
        talon, bare, _ = interleaved(
            (["-p", "talon", *common], root),
            (["-p", "syrupy", *common], root),
            "1 test",
            runs,
            {"PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"},
        )
    return Row(
        "P5 plugin overhead, pytest -p talon --co of one test (CPU time difference)",
        f"pytest -p syrupy --co of the same file; both with PYTEST_DISABLE_PLUGIN_AUTOLOAD=1, so the baseline is "
        f"pytest with the one plugin pytest-talon registers (medians of {runs} runs each)",
        _compare(talon, bare, "ms"),
        (talon.cpu - bare.cpu) * 1e3,
        " ms",
        Goal("<=", 50),
    )


def write_suite(root: Path, tests: int) -> None:
    """The P6 suite: test files of up to 100 tests, each updating a session through ``talon_client``."""
    body = repr(session_body())
    for start in range(0, tests, 100):
        lines = [f"BODY = {body}\n"]
        for i in range(start, min(start + 100, tests)):
            lines.append(
                f"\ndef test_{i}(talon_client):\n"
                f"    state = talon_client.update_customer_session_v2('s{i}', BODY)\n"
                "    assert len(state.effects) >= 3\n"
            )
        (root / f"test_suite_{start // 100:02d}.py").write_text("".join(lines))


def p6_suite(tests: int, runs: int) -> Row:
    """P6: the same generated test files in fake mode and on a static respx route."""
    with tempfile.TemporaryDirectory(prefix="bench-p6-") as tmp:
        fake_root, static_root = Path(tmp, "fake"), Path(tmp, "static")
        for root in (fake_root, static_root):
            root.mkdir()
            write_suite(root, tests)
        (fake_root / "campaigns.yaml").write_text(yaml.safe_dump(CAMPAIGNS))
        (fake_root / "pytest.ini").write_text("[pytest]\ntalon_campaigns = campaigns.yaml\n")
        (static_root / "pytest.ini").write_text("[pytest]\n")
        (static_root / "conftest.py").write_text(STATIC_CONFTEST)
        (static_root / "answer.json").write_bytes(captured_answer())
        common = ["-p", "no:randomly", "-p", "no:cacheprovider", "-q"]
        fake, static, ratio = interleaved(
            (["-p", "talon", *common], fake_root), (["-p", "no:talon", *common], static_root), f"{tests} passed", runs
        )
    return Row(
        f"P6 {tests:,}-test suite, fake mode (talon_client + talon_campaigns ini), serial, CPU time",
        f"the same test files, talon_client on a static respx route, -p no:talon (median of {runs} paired rounds' "
        "ratios; times are medians)",
        _compare(fake, static, "s"),
        ratio,
        "x",
        Goal("<=", 1.3),
    )


def print_importtime(top: int = 15) -> None:
    """The ``top`` largest cumulative import times of ``import pytest_talon.plugin`` (microseconds)."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import pytest_talon.plugin"],
        env=_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    entries = []
    for line in done.stderr.splitlines():
        parts = line.removeprefix("import time:").split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            entries.append((int(parts[1]), parts[2].rstrip()))
    print(f"\npython -X importtime -c 'import pytest_talon.plugin': top {top} cumulative (us)")
    for cumulative, name in sorted(entries, reverse=True)[:top]:
        print(f"{cumulative:>10}  {name}")


def rows(quick: bool) -> list[Row]:
    """The rows of this script."""
    return [p5_collect_overhead(1 if quick else 11), p6_suite(20 if quick else 1000, 1 if quick else 5)]


if __name__ == "__main__":
    sys.exit(
        cli(rows, __doc__, extras={"--importtime": ("also print the plugin's top import times", print_importtime)})
    )
