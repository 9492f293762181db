"""Shared by the bench scripts: paired interleaved rounds, the result row, the table and the command line."""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import httpx

#: The table's header, printed by every script and by ``python -m bench``; rows are ``| ... |`` lines.
HEADER = "| measure | baseline (same run) | value | ratio | goal | status |\n|---|---|---|---|---|---|"


@dataclass(frozen=True)
class Goal:
    """A target for a row's figure: ``figure <op> target`` with ``op`` one of ``<=`` and ``>=``."""

    op: str
    target: float

    def met(self, figure: float) -> bool:
        """Whether ``figure`` reaches the goal."""
        return figure <= self.target if self.op == "<=" else figure >= self.target


@dataclass(frozen=True)
class Row:
    """One measure against its named baseline: ``figure`` (in ``unit``) is what the goal is checked on."""

    measure: str
    baseline: str
    value: str
    figure: float
    unit: str
    goal: Goal | None = None

    def status(self) -> str:
        """PASS or MISS against the goal; ``info`` for rows without one."""
        if self.goal is None:
            return "info"
        return "PASS" if self.goal.met(self.figure) else "MISS"

    def line(self) -> str:
        """The row as a markdown table line."""
        goal = f"{self.goal.op} {self.goal.target:g}{self.unit}" if self.goal else "-"
        cells = (self.measure, self.baseline, self.value, f"{self.figure:.2f}{self.unit}", goal, self.status())
        return "| " + " | ".join(cells) + " |"


@dataclass(frozen=True)
class Paired:
    """Seconds per call of a measured side and its baseline, and the median of their per-round ratios."""

    measured: float
    baseline: float
    ratio: float


def paired(
    measured: Callable[[int], object],
    baseline: Callable[[int], object],
    *,
    rounds: int,
    batch: int,
    warmup: int = 10,
) -> Paired:
    """Time ``batch`` calls of each side per round, alternating which side goes first, for ``rounds`` rounds.

    Each call gets a distinct non-negative index (``i``); warm-up calls get negative ones. Per-round ratios
    cancel out the machine's slow drifts (other processes on the 2 shared cores); their median is reported.
    """
    for i in range(warmup):
        measured(-1 - i)
        baseline(-1 - i)
    per_call: dict[int, list[float]] = {0: [], 1: []}
    sides = (measured, baseline)
    for r in range(rounds):
        order = (0, 1) if r % 2 == 0 else (1, 0)
        for side in order:
            started = time.perf_counter()
            for i in range(r * batch, (r + 1) * batch):
                sides[side](i)
            per_call[side].append((time.perf_counter() - started) / batch)
    ratios = [m / b for m, b in zip(per_call[0], per_call[1], strict=True)]
    return Paired(statistics.median(per_call[0]), statistics.median(per_call[1]), statistics.median(ratios))


def ms(seconds: float) -> str:
    """Seconds as milliseconds with 3 decimals."""
    return f"{seconds * 1e3:.3f} ms"


def environment() -> str:
    """One line naming the date, Python, platform, cores and httpx version, printed above every table."""
    now = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
    return (
        f"{now}; python {platform.python_version()} on {platform.system()} {platform.machine()}, "
        f"{os.cpu_count()} cores, httpx {httpx.__version__}"
    )


def print_table(rows: Sequence[Row] | Sequence[str]) -> None:
    """Print the header and the rows (Row objects or already formatted lines)."""
    print(HEADER)
    for row in rows:
        print(row if isinstance(row, str) else row.line(), flush=True)


def cli(
    rows: Callable[[bool], list[Row]],
    description: str | None,
    argv: Sequence[str] | None = None,
    extras: Mapping[str, tuple[str, Callable[[], None]]] | None = None,
) -> int:
    """The command line every script shares: ``--quick`` for a short, noisier run; prints the environment and table.

    ``extras`` maps a script's own flags (``"--importtime"``) to their help and what they print after the table.
    """
    parser = argparse.ArgumentParser(description=(description or "").split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="fewer and smaller rounds: a smoke run, noisier figures")
    for flag, (help_text, _) in (extras or {}).items():
        parser.add_argument(flag, action="store_true", help=help_text)
    args = parser.parse_args(argv)
    print(environment(), file=sys.stderr)
    print_table(rows(args.quick))
    for flag, (_, action) in (extras or {}).items():
        if getattr(args, flag.lstrip("-").replace("-", "_")):
            action()
    return 0
