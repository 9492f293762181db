"""cProfile of the hot paths behind P1 and the scaling bench: input for whoever makes them faster.

Run: ``python -m bench.profile_hot p1|sessions|campaigns [--calls N] [--top N] [--sort tottime|cumulative]``.

- ``p1``: N scenario session updates through ``fake.transport()`` (as P1 measures them);
- ``sessions``: N first sessions of new profiles after 2,000 stored ones (as the scaling bench measures them);
- ``campaigns``: N coupon-less session updates against 1,000 campaigns of which one fires.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
from pathlib import Path

from bench._scenario import seeded_fake, session_body
from bench.bench_scale import fill, many_campaigns, new_customer
from pytest_talon.fake import FakeTalon

REPO = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    """Set the scene up unprofiled, then profile N calls and print the top entries."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("what", choices=("p1", "sessions", "campaigns"))
    parser.add_argument("--calls", type=int, default=300, help="profiled calls (default 300)")
    parser.add_argument("--top", type=int, default=30, help="entries printed (default 30)")
    parser.add_argument("--sort", choices=("tottime", "cumulative"), default="tottime")
    args = parser.parse_args(argv)
    if args.what == "campaigns":
        fake = FakeTalon()
        fake.load_campaigns(many_campaigns(1_000))
        client = fake.client()

        def call(i: int) -> object:
            return client.update_customer_session_v2(f"c{i}", session_body(coupon=None))
    else:
        client = seeded_fake().client()
        if args.what == "sessions":
            fill(client, 2_000)
            call = new_customer(client)
        else:

            def call(i: int) -> object:
                return client.update_customer_session_v2(f"s{i}", session_body())

    for i in range(10):
        call(-1 - i)
    profiler = cProfile.Profile()
    profiler.enable()
    for i in range(args.calls):
        call(i)
    profiler.disable()
    client.close()
    print_top(pstats.Stats(profiler), args.sort, args.top, args.calls)
    return 0


def short(path: str) -> str:
    """A profiled file as ``pytest_talon/fake/api/sessions.py`` or ``pydantic/main.py``: enough to find it."""
    for marker in ("site-packages/", f"{REPO}/", "lib/python"):
        if marker in path:
            return path.split(marker, 1)[1]
    return path


def print_top(stats: pstats.Stats, sort: str, top: int, calls: int) -> None:
    """The ``top`` entries by ``sort``: ms per profiled call (own and cumulative), calls per call, file:line(func)."""
    entries = stats.stats  # type: ignore[attr-defined]
    column = 2 if sort == "tottime" else 3
    print(f"{'own ms/call':>12} {'cum ms/call':>12} {'n/call':>8}  file:line(function), sorted by {sort}")
    for (path, line, func), row in sorted(entries.items(), key=lambda kv: -kv[1][column])[:top]:
        _, ncalls, own, cumulative, _ = row
        where = f"{short(path)}:{line}({func})"
        print(f"{own / calls * 1e3:12.4f} {cumulative / calls * 1e3:12.4f} {ncalls / calls:8.1f}  {where}")


if __name__ == "__main__":
    sys.exit(main())
