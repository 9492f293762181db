"""P6's fake-mode suite run by two source trees of pytest-talon, for what a change costs a suite.

Run: ``python -m bench.compare_trees OLD NEW [--tests N] [--rounds R]``, with ``OLD`` and ``NEW`` two directories
holding a ``pytest_talon`` package (``git worktree add`` or ``git archive <commit> | tar -x -C <dir>``). The suite of
:func:`bench.bench_plugin.write_suite` (300 tests by default) runs in fake mode with each tree first on
``PYTHONPATH``, in R paired rounds (5 by default) alternating which goes first; it prints the median CPU time of each
and the median of the rounds' ratios (new / old).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

import yaml

from bench._scenario import CAMPAIGNS
from bench.bench_plugin import timed_pytest, write_suite


def compare(old: Path, new: Path, tests: int, rounds: int) -> tuple[float, float, float]:
    """Median CPU seconds of the suite with ``old`` and with ``new``, and the median of the rounds' ratios."""
    with tempfile.TemporaryDirectory(prefix="bench-trees-") as tmp:
        root = Path(tmp)
        write_suite(root, tests)
        (root / "campaigns.yaml").write_text(yaml.safe_dump(CAMPAIGNS))
        (root / "pytest.ini").write_text("[pytest]\ntalon_campaigns = campaigns.yaml\n")
        args = ["-p", "talon", "-p", "no:randomly", "-p", "no:cacheprovider", "-q"]

        def run(tree: Path) -> float:
            return timed_pytest(args, root, f"{tests} passed", {"PYTHONPATH": str(tree)}).cpu

        run(old), run(new)  # bytecode caches written, files warm
        times: dict[Path, list[float]] = {old: [], new: []}
        for r in range(rounds):
            for tree in (old, new) if r % 2 == 0 else (new, old):
                times[tree].append(run(tree))
    ratio = statistics.median(n / o for o, n in zip(times[old], times[new], strict=True))
    return statistics.median(times[old]), statistics.median(times[new]), ratio


def main(argv: list[str] | None = None) -> int:
    """Compare the two trees and print the figures."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n", 1)[0])
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    parser.add_argument("--tests", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    old, new, ratio = compare(args.old.resolve(), args.new.resolve(), args.tests, args.rounds)
    print(f"P6's {args.tests}-test fake-mode suite, CPU: old {old:.2f} s, new {new:.2f} s, new/old {ratio:.3f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
