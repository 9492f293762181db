"""Concurrency: many threads updating sessions through the loopback server lose no update."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from pytest_talon.client import TalonClient
from pytest_talon.fake import AddLoyaltyPoints, Campaign, CouponValid, FakeTalon, Rule, SetDiscount

from .conftest import session

THREADS = 8
SESSIONS_PER_THREAD = 10


def test_parallel_closing_sessions_count_every_redemption(fake: FakeTalon) -> None:
    rule = Rule(
        "r", conditions=(CouponValid(),), effects=(SetDiscount("d", value=1), AddLoyaltyPoints(program_id=1, value=1))
    )
    campaign = fake.add_campaign(Campaign(name="busy", rules=(rule,)))
    fake.add_coupon("SHARED-1", campaign.id, usage_limit=0)

    def worker(base_url: str, thread: int) -> list[str]:
        kinds_seen = []
        with TalonClient(base_url, fake.api_key) as client:
            for n in range(SESSIONS_PER_THREAD):
                body = session(f"p{thread % 2}", coupons=["SHARED-1"], items=[("a", 1, 10.0)])
                client.update_customer_session_v2(f"t{thread}-s{n}", body)
                closed = client.update_customer_session_v2(f"t{thread}-s{n}", session(f"p{thread % 2}", state="closed"))
                kinds_seen.extend(e.effect_type for e in closed.effects)
        return kinds_seen

    with fake.serve() as base_url, ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(lambda t: worker(base_url, t), range(THREADS)))
    total = THREADS * SESSIONS_PER_THREAD
    assert all(r.count("acceptCoupon") == SESSIONS_PER_THREAD for r in results)
    assert fake.coupon("SHARED-1").usage_counter == total
    assert fake.loyalty_balance("p0", 1) + fake.loyalty_balance("p1", 1) == total
    assert fake.profile("p0").closed_sessions + fake.profile("p1").closed_sessions == total
    assert fake.profile("p0").total_sales + fake.profile("p1").total_sales == total * 10.0
    assert len([r for r in fake.requests if r.status == 200]) == 2 * total
