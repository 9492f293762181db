"""Benchmark the fake Talon.One's three ways in. Run: ``python bench/bench_fake.py [--quick]``.

Prints, in one run:

(a) the per-request cost of ``TalonClient.update_customer_session_v2`` (10 cart items, 3 campaigns, 1 coupon, the
    session and profile asked back with ``responseContent``) through
    ``FakeTalon.transport()``, as a ratio to the same client against a static respx route answering a fixed, realistic
    IntegrationStateV2 body (the fake's own answer to that request, captured once);
(b) requests per second through the loopback server, sequentially and from 4 threads (each with its own client);
(c) the loopback server's start-plus-stop time (median and max of N).

Loops are bounded and everything stays on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import respx

from pytest_talon import TalonClient
from pytest_talon.fake import FakeTalon
from pytest_talon.fake.http.server import LoopbackServer

CART = [
    {"name": f"Item {i}", "sku": f"SKU-{i}", "quantity": 1 + i % 3, "price": 9.5 + i, "category": "shoes"}
    for i in range(10)
]


def session_body(coupon: str = "WELCOME") -> dict[str, Any]:
    """The request of every measured call: 10 cart items, one coupon code, the session and profile asked back."""
    return {
        "customerSession": {"profileId": "bench-profile", "couponCodes": [coupon], "cartItems": CART},
        "responseContent": ["customerSession", "customerProfile"],
    }


def seeded_fake() -> FakeTalon:
    """A fake with 3 campaigns (cart subtotal, item SKU, coupon) and 1 coupon."""
    fake = FakeTalon()
    fake.add_campaign(
        {
            "name": "Ten percent over 50",
            "rules": [
                {
                    "title": "10% off carts of 50 or more",
                    "conditions": [{"cartSubtotal": {"op": ">=", "value": 50}}],
                    "effects": [{"setDiscount": {"name": "10% off", "percent": 10}}],
                }
            ],
        }
    )
    fake.add_campaign(
        {
            "name": "Shoe promo",
            "rules": [
                {
                    "title": "5 off each SKU-3",
                    "conditions": [{"itemSku": {"sku": "SKU-3"}}],
                    "effects": [{"setDiscountPerItem": {"name": "SKU-3 promo", "value": 5, "sku": "SKU-3"}}],
                }
            ],
        }
    )
    welcome = fake.add_campaign(
        {
            "name": "Welcome coupon",
            "rules": [
                {
                    "title": "15 off with a valid coupon",
                    "conditions": [{"couponValid": {}}],
                    "effects": [{"setDiscount": {"name": "Welcome", "value": 15}}],
                }
            ],
        }
    )
    fake.add_coupon("WELCOME", welcome.id)
    return fake


def per_call_seconds(call: Callable[[int], object], n: int, *, warmup: int = 20) -> float:
    """Median over 5 batches of the mean seconds per ``call(i)``."""
    for i in range(warmup):
        call(-1 - i)
    batch = max(1, n // 5)
    timings = []
    for b in range(5):
        started = time.perf_counter()
        for i in range(b * batch, (b + 1) * batch):
            call(i)
        timings.append((time.perf_counter() - started) / batch)
    return statistics.median(timings)


def bench_in_process(n: int) -> tuple[float, float, int]:
    """(a): seconds per call through the fake's transport and through a static respx route; the body size."""
    fake = seeded_fake()
    with fake.client() as client:
        static_body = client.update_customer_session_v2("capture", session_body(), dry=True)
        fake_s = per_call_seconds(lambda i: client.update_customer_session_v2(f"s{i}", session_body()), n)
        assert client.last_response is not None
        raw = client.last_response.content
    assert static_body.effects, "the seeded campaigns gave no effects: the benchmark would measure nothing"
    with respx.mock(base_url=fake.base_url, assert_all_called=False) as router:
        router.put(path__startswith="/v2/customer_sessions/").mock(
            return_value=httpx.Response(200, content=raw, headers={"Content-Type": "application/json"})
        )
        with TalonClient(fake.base_url, fake.api_key) as client:
            respx_s = per_call_seconds(lambda i: client.update_customer_session_v2(f"s{i}", session_body()), n)
    return fake_s, respx_s, len(raw)


def bench_loopback(n: int, threads: int) -> tuple[float, float, float]:
    """(b): requests/s through the loopback server, sequential and from ``threads`` threads; static-handler baseline."""
    fake = seeded_fake()
    with fake.serve() as base_url:
        with TalonClient(base_url, fake.api_key) as client:
            sequential = 1.0 / per_call_seconds(lambda i: client.update_customer_session_v2(f"s{i}", session_body()), n)

        def worker(t: int) -> None:
            with TalonClient(base_url, fake.api_key) as own:
                for i in range(n // threads):
                    own.update_customer_session_v2(f"t{t}-{i}", session_body())

        with ThreadPoolExecutor(threads) as pool:
            started = time.perf_counter()
            list(pool.map(worker, range(threads)))
            parallel = (n // threads * threads) / (time.perf_counter() - started)
    static = httpx.Response(200, json={"effects": []})
    with LoopbackServer(lambda request: static) as server, httpx.Client(base_url=server.base_url) as http:
        baseline = 1.0 / per_call_seconds(lambda i: http.put(f"/v2/customer_sessions/s{i}", content=b"{}"), n)
    return sequential, parallel, baseline


def bench_start_stop(n: int) -> tuple[float, float]:
    """(c): median and max seconds of ``LoopbackServer(fake.handle).start(); .stop()``."""
    fake = FakeTalon()
    timings = []
    for _ in range(n):
        started = time.perf_counter()
        LoopbackServer(fake.handle).start().stop()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings), max(timings)


def main(argv: list[str] | None = None) -> int:
    """Run the three benchmarks and print their figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="fewer iterations (a smoke run, noisier figures)")
    args = parser.parse_args(argv)
    n = 100 if args.quick else 500
    print(f"python {platform.python_version()} on {platform.system()} {platform.machine()}, httpx {httpx.__version__}")
    fake_s, respx_s, size = bench_in_process(n)
    print("(a) update_customer_session_v2, 10 items, 3 campaigns, 1 coupon, in-process:")
    print(f"    fake.transport()       {fake_s * 1e3:7.3f} ms/request")
    print(f"    static respx route     {respx_s * 1e3:7.3f} ms/request  ({size} byte IntegrationStateV2 body)")
    print(f"    ratio fake / respx     {fake_s / respx_s:7.2f} x")
    sequential, parallel, baseline = bench_loopback(n, threads=4)
    print("(b) the same call through the loopback server (fake.serve(), keep-alive):")
    print(f"    sequential             {sequential:7.0f} requests/s")
    print(f"    4 threads              {parallel:7.0f} requests/s")
    print(f"    static handler, seq.   {baseline:7.0f} requests/s  (server + httpx overhead alone)")
    median, worst = bench_start_stop(50)
    print("(c) loopback server start + stop, 50 times:")
    print(f"    median {median * 1e3:.2f} ms, max {worst * 1e3:.2f} ms (target < 50 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
