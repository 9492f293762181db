"""What each performance device kept in the fake buys: a figure users feel, with the device and without it.

Run: ``python -m bench.bench_devices [--quick]``. Each row measures one figure twice in the same run: as the fake
ships, and with the device taken away by a patch of :mod:`bench._devices_off` (patches that never ship), in child
processes (``TALON_BENCH_OFF=<device>``):

- memory devices (the interner of stored cart items, the request log's packed bodies): tracemalloc's bytes per
  stored session over 1,000 sessions of the scenario (``--quick``: 300), one child each way;
- the body reader's shortcut, the learned effect recipes and the copy of a stored session: CPU time of the process
  per keep-alive request to ``fake.serve()`` (P3's scenario: the client's and the server's threads; for the copy,
  every request updates the same stored session), best of 5 batches of 200 requests
  (``--quick``: 50) in one child, in 5 paired rounds of children (``--quick``: 1), the median of their ratios;
- the campaigns-file cache: P6's fake-mode suite of 300 tests (``--quick``: 50) run by pytest, CPU time, the median
  of paired rounds' ratios (5; ``--quick``: 1), each round running both ways back to back.

A row's figure is "with / without"; its goal (<= 0.95x) says whether the device still buys at least 5%.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import yaml

from bench._common import Goal, Row, cli
from bench._scenario import CAMPAIGNS
from bench.bench_plugin import REPO, timed_pytest, write_suite

#: A device earns its place by at least this much (with / without).
EARNS = Goal("<=", 0.95)


def _env(off: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, (str(REPO), env.get("PYTHONPATH"))))
    env["TALON_BENCH_OFF"] = off
    return env


def _child(code: str, off: str) -> float:
    """The number ``code`` prints, run by a fresh Python with ``off`` patched away."""
    done = subprocess.run(
        [sys.executable, "-c", f"import bench._devices_off\n{code}"],
        cwd=REPO,
        env=_env(off),
        capture_output=True,
        text=True,
        timeout=900,
        check=True,
    )
    return float(done.stdout.split()[-1])


def _paired(device: str, rounds: int, measure: Callable[[str], float]) -> tuple[float, float, float]:
    """``measure(off)`` with the device (``off=""``) and without it, in ``rounds`` rounds alternating which goes
    first: the medians of both and the median of the rounds' ratios (with / without)."""
    times: dict[str, list[float]] = {"": [], device: []}
    for r in range(rounds):
        for off in ("", device) if r % 2 == 0 else (device, ""):
            times[off].append(measure(off))
    ratio = statistics.median(w / wo for w, wo in zip(times[""], times[device], strict=True))
    return statistics.median(times[""]), statistics.median(times[device]), ratio


def memory_row(device: str, what: str, sessions: int) -> Row:
    """Bytes per stored session with and without ``device``."""
    code = f"from bench.bench_scale import traced_bytes_per_session as t\nprint(t({sessions}))"
    with_it, without = (_child(code, off) / 1024 for off in ("", device))
    return Row(
        f"{what}: memory per stored session (tracemalloc over {sessions:,})",
        f"the same with {device} patched off (TALON_BENCH_OFF={device})",
        f"{with_it:.2f} vs {without:.2f} KiB/session",
        with_it / without,
        "x",
        EARNS,
    )


SERVED_CPU = """
import time, httpx
from bench._scenario import seeded_fake, wire_request
fake = seeded_fake()
content, headers = wire_request(fake.api_key)
with fake.serve() as url, httpx.Client(base_url=url, headers=headers) as http:
    for i in range(20):
        http.put(f"/v2/customer_sessions/w{i}", content=content).raise_for_status()
    best = []
    for r in range(5):
        started = time.process_time()
        for i in range(BATCH):
            http.put(f"/v2/customer_sessions/SESSION", content=content).raise_for_status()
        best.append((time.process_time() - started) / BATCH)
print(min(best))
"""


def served_row(device: str, what: str, batch: int, rounds: int, *, one_session: bool = False) -> Row:
    """CPU time per request served by ``fake.serve()`` with and without ``device`` (paired rounds of children): each
    request a new session, or with ``one_session`` the same stored session updated again and again."""
    code = SERVED_CPU.replace("BATCH", str(batch)).replace("SESSION", "same" if one_session else "s{r}_{i}")
    with_it, without, ratio = _paired(device, rounds, lambda off: _child(code, off))
    return Row(
        f"{what}: CPU per keep-alive request to fake.serve() (P3's scenario"
        + (", one stored session updated again and again)" if one_session else ")"),
        f"the same with {device} patched off (median of {rounds} paired rounds' ratios)",
        f"{with_it * 1e3:.3f} vs {without * 1e3:.3f} ms",
        ratio,
        "x",
        EARNS,
    )


def suite_row(device: str, what: str, tests: int, rounds: int) -> Row:
    """P6's fake-mode suite CPU time with and without ``device`` (paired rounds)."""
    with tempfile.TemporaryDirectory(prefix="bench-devices-") as tmp:
        root = Path(tmp)
        write_suite(root, tests)
        (root / "campaigns.yaml").write_text(yaml.safe_dump(CAMPAIGNS))
        (root / "pytest.ini").write_text("[pytest]\ntalon_campaigns = campaigns.yaml\n")
        args = ["-p", "talon", "-p", "bench._devices_off", "-p", "no:randomly", "-p", "no:cacheprovider", "-q"]

        def run(off: str) -> float:
            return timed_pytest(args, root, f"{tests} passed", {"TALON_BENCH_OFF": off}).cpu

        run("")  # bytecode caches written, files warm
        with_it, without, ratio = _paired(device, rounds, run)
    return Row(
        f"{what}: P6's {tests:,}-test fake-mode suite, CPU time",
        f"the same suite with {device} patched off (median of {rounds} paired rounds' ratios)",
        f"{with_it:.2f} vs {without:.2f} s",
        ratio,
        "x",
        EARNS,
    )


def rows(quick: bool) -> list[Row]:
    """One row per device kept."""
    sessions, tests, rounds, batch = (300, 50, 1, 50) if quick else (1000, 300, 5, 200)
    return [
        served_row("body_shortcut", "body reader's shortcut (fake/api/body_shortcut.py)", batch, rounds),
        served_row("effect_recipes", "learned effect recipes (fake/backend/effect_recipes.py)", batch, rounds),
        served_row("session_copy", "copy of a stored session (SessionRecord.copied)", batch, rounds, one_session=True),
        memory_row("interner", "Interner of stored cart items (fake/state/compact.py)", sessions),
        memory_row("packed_log", "request log's packed bodies (fake/state/packed_log.py)", sessions),
        suite_row("campaigns_file_cache", "campaigns-file cache (fake/setup/files.py)", tests, rounds),
    ]


if __name__ == "__main__":
    sys.exit(cli(rows, __doc__))
