"""``python -m bench [--quick] [--only NAME ...]``: run every bench script and print one table.

Each script runs in its own process (so one bench's heap, imports and threads never skew another's figures);
their table rows are gathered under one header. Exits 1 if a script fails; a MISS is a figure, not a failure.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

from bench._common import HEADER, environment, print_table

#: The scripts, in the order their rows are printed.
SCRIPTS = (
    "bench_fake",
    "bench_factories",
    "bench_plugin",
    "bench_scale",
    "bench_devices",
    "bench_applications",
)


def run_script(name: str, quick: bool) -> list[str]:
    """The table rows printed by ``python -m bench.<name>``; raises if it fails."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", f"bench.{name}", *(["--quick"] if quick else [])],
        capture_output=True,
        text=True,
        timeout=1800,
    )
    if done.returncode != 0:
        raise SystemExit(f"bench.{name} failed (exit {done.returncode}):\n{done.stdout}{done.stderr}")
    print(f"bench.{name}: {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    header = set(HEADER.splitlines())
    return [line for line in done.stdout.splitlines() if line.startswith("| ") and line not in header]


def main(argv: list[str] | None = None) -> int:
    """Run the chosen scripts and print the environment line and the combined table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="each script's quick mode: a smoke run, noisier figures")
    parser.add_argument("--only", nargs="+", choices=SCRIPTS, default=SCRIPTS, help="run only these scripts")
    args = parser.parse_args(argv)
    rows = [row for name in args.only for row in run_script(name, args.quick)]
    print(environment())
    print()
    print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
