"""Scaling: cost per request as the fake's state grows, memory per stored session, and many campaigns.

Run: ``python -m bench.bench_scale [--quick]`` (``--quick``: 2,000 sessions instead of 10,000; under a minute).

- Cost per request with 10,000 stored sessions, each of its own profile, against the same fake with 10: the
  scenario's ``update_customer_session_v2`` (3 campaigns, a coupon) opening the first session of a new profile
  (what a fill call or a new test's customer does), through ``fake.transport()``, in paired interleaved rounds.
- Memory per stored session: the process's resident set (``/proc/self/statm``) before and after storing the
  sessions, divided by their number; tracemalloc over a smaller fill as a cross-check. Filling is timed too (it was
  quadratic in the sessions stored before issue #14's fixes; it is linear now).
- 1,000 campaigns of which one fires (the cart-subtotal campaign; 500 gated on a coupon code of their own that is
  never sent, 499 on an event type that is never sent) against that one campaign alone; the same session update
  without a coupon.
"""

from __future__ import annotations

import gc
import os
import resource
import sys
import time
import tracemalloc
from typing import Any

from bench._common import Goal, Row, cli, ms, paired
from bench._scenario import CAMPAIGNS, seeded_fake, session_body
from pytest_talon import TalonClient
from pytest_talon.fake import FakeTalon

SMALL = 10


def rss_bytes() -> int:
    """The process's resident set size now (Linux ``/proc/self/statm``; else the peak from ``getrusage``)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def fill(client: TalonClient, sessions: int) -> None:
    """Store ``sessions`` sessions through the client, each of its own profile ``p<i>``."""
    for i in range(sessions):
        client.update_customer_session_v2(f"fill{i}", session_body(profile=f"p{i}"))


def filled(sessions: int) -> tuple[TalonClient, float, float]:
    """A client on a seeded fake holding ``sessions`` sessions; the RSS bytes per session and the fill seconds."""
    client = seeded_fake().client()
    gc.collect()
    before, started = rss_bytes(), time.perf_counter()
    fill(client, sessions)
    seconds = time.perf_counter() - started
    gc.collect()
    return client, (rss_bytes() - before) / sessions, seconds


def traced_bytes_per_session(sessions: int) -> float:
    """tracemalloc's view of the same: bytes still allocated per stored session."""
    gc.collect()
    tracemalloc.start()
    try:
        client = seeded_fake().client()
        base = tracemalloc.get_traced_memory()[0]
        fill(client, sessions)
        gc.collect()
        grown = tracemalloc.get_traced_memory()[0] - base
    finally:
        tracemalloc.stop()
    client.close()
    return grown / sessions


def new_customer(client: TalonClient) -> Any:
    """The measured call: the first session of a new profile, both named by the call's index (as in the fill)."""
    return lambda i: client.update_customer_session_v2(f"new{i}", session_body(profile=f"new{i}"))


def sessions_rows(sessions: int, rounds: int, batch: int) -> list[Row]:
    """The cost-per-request, memory and fill rows."""
    large, per_session, seconds = filled(sessions)
    small = seeded_fake().client()
    fill(small, SMALL)
    result = paired(
        new_customer(large),
        new_customer(small),
        rounds=rounds,
        batch=batch,
    )
    large.close()
    small.close()
    traced_n = sessions // 10
    traced = traced_bytes_per_session(traced_n)
    return [
        Row(
            f"cost per request (new customer's first session) with {sessions:,} stored sessions and profiles",
            f"the same seeded fake with {SMALL} stored sessions and profiles",
            f"{ms(result.measured)} vs {ms(result.baseline)} per request",
            result.ratio,
            "x",
            Goal("<=", 1.2),
        ),
        Row(
            "memory per stored session (RSS delta / sessions)",
            f"none (absolute: RSS before/after storing {sessions:,}; tracemalloc over {traced_n:,}: "
            f"{traced / 1024:.1f} KiB/session)",
            f"{per_session / 1024:.1f} KiB/session",
            per_session / 1024,
            " KiB",
            Goal("<=", 8),
        ),
        Row(
            f"fill {sessions:,} sessions through fake.transport()",
            "none (absolute; linear in the sessions stored)",
            f"{seconds / sessions * 1e3:.2f} ms/session on average",
            seconds,
            " s",
        ),
    ]


def many_campaigns(count: int) -> dict[str, Any]:
    """The firing cart-subtotal campaign, then ``count - 1`` that cannot fire on a coupon-less session update."""
    firing = CAMPAIGNS["campaigns"][0]
    campaigns: list[dict[str, Any]] = [firing]
    coupons = []
    for n in range(2, count + 1):
        gate = {"couponValid": {}} if n % 2 == 0 else {"eventType": {"type": f"never_sent_{n}"}}
        rule = {
            "title": f"gated {n}",
            "conditions": [gate],
            "effects": [{"setDiscount": {"name": f"d{n}", "value": 1}}],
        }
        campaigns.append({"name": f"Gated {n}", "rules": [rule]})
        if n % 2 == 0:
            coupons.append({"value": f"NEVER-{n}", "campaignId": n, "usageLimit": 0})
    return {"campaigns": campaigns, "coupons": coupons}


def campaigns_row(count: int, rounds: int, batch: int) -> Row:
    """1,000 campaigns of which one fires vs that campaign alone."""
    clients = []
    for campaigns in (many_campaigns(count), many_campaigns(1)):
        fake = FakeTalon()
        fake.load_campaigns(campaigns)
        clients.append(fake.client())
    many, one = clients
    calls = [lambda i, c=c: c.update_customer_session_v2(f"c{i}", session_body(coupon=None)) for c in clients]
    effects = [call(-100).effects for call in calls]
    assert [len(e or []) for e in effects] == [1, 1], f"expected the one campaign to fire on both: {effects}"
    result = paired(calls[0], calls[1], rounds=rounds, batch=batch)
    many.close()
    one.close()
    return Row(
        f"{count:,} campaigns of which one fires",
        "1 campaign (the one that fires), same coupon-less session update",
        f"{ms(result.measured)} vs {ms(result.baseline)} per request",
        result.ratio,
        "x",
        Goal("<=", 3),
    )


def rows(quick: bool) -> list[Row]:
    """The rows of this script."""
    rounds, batch = (6, 10) if quick else (16, 20)
    return [
        *sessions_rows(2_000 if quick else 10_000, rounds, batch),
        campaigns_row(1_000, rounds, batch // 2),
    ]


if __name__ == "__main__":
    sys.exit(cli(rows, __doc__))
