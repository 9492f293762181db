"""Seeds: the same seed gives byte-identical JSON (also in another process); contexts never leak."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from datetime import datetime, timezone

from pytest_talon import factories
from pytest_talon.factories import (
    IntegrationRequestFactory,
    current_faker,
    current_seed,
    derive_seed,
    seed,
    use_seed,
)
from tests.factories._support import FACTORY_CLASSES

SCRIPT = (
    "from pytest_talon import factories as f\n"
    "with f.use_seed(2024):\n"
    "    print(''.join(getattr(f, n).build_json() for n in f.__all__ if n.endswith('Factory') and n != 'Factory'))\n"
)


def _all_json(value: int) -> str:
    with use_seed(value):
        return "".join(factory.build_json() for factory in FACTORY_CLASSES)


def test_same_seed_same_bytes() -> None:
    assert _all_json(7) == _all_json(7)
    assert _all_json(7) != _all_json(8)


def test_same_seed_same_bytes_in_another_process() -> None:
    env = {**os.environ, "PYTHONHASHSEED": "123"}
    other = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=True, env=env)
    assert other.stdout.strip() == _all_json(2024)


def test_seed_outside_any_block_reseeds_the_process_default() -> None:
    script = (
        "from pytest_talon.factories import seed, IntegrationRequestFactory as F\n"
        "seed(11); a = F.build_json(); seed(11); print(a == F.build_json(), F.build_json() != a)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["True", "True"]


def test_seed_repeats_the_builds_that_follow() -> None:
    seed(11)
    first = IntegrationRequestFactory.build_json()
    seed(11)
    assert IntegrationRequestFactory.build_json() == first
    assert current_seed() == 11


def test_use_seed_does_not_disturb_the_global_sequence() -> None:
    seed(12)
    expected = [IntegrationRequestFactory.build_json() for _ in range(2)]
    seed(12)
    first = IntegrationRequestFactory.build_json()
    with use_seed(99):
        IntegrationRequestFactory.build_json()
    assert [first, IntegrationRequestFactory.build_json()] == expected


def test_use_seed_blocks_nest_and_restore() -> None:
    with use_seed(1) as outer:
        with use_seed(2) as inner:
            assert current_seed() == 2
            assert inner.seed == 2
        assert current_seed() == 1
        assert outer.seed == 1


def test_faker_is_seeded_and_carries_the_talon_provider() -> None:
    with use_seed(5):
        first = (current_faker().name(), current_faker().coupon_code())
    with use_seed(5):
        assert (current_faker().name(), current_faker().coupon_code()) == first


def test_using_the_faker_in_a_test_does_not_shift_factory_data() -> None:
    with use_seed(6):
        plain = IntegrationRequestFactory.build_json()
    with use_seed(6):
        current_faker().name()
        assert IntegrationRequestFactory.build_json() == plain


def test_threads_get_independent_contexts() -> None:
    results: dict[int, str] = {}

    def work(value: int) -> None:
        with use_seed(value):
            results[value] = IntegrationRequestFactory.build_json()

    threads = [threading.Thread(target=work, args=(v,)) for v in (1, 2, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with use_seed(1):
        assert results[1] == IntegrationRequestFactory.build_json()


def test_derive_seed_is_stable_and_depends_on_both_inputs() -> None:
    assert derive_seed(1, "tests/test_a.py::test_x") == 3957738636909988664
    assert derive_seed(1, "tests/test_a.py::test_y") != derive_seed(1, "tests/test_a.py::test_x")
    assert derive_seed(2, "tests/test_a.py::test_x") != derive_seed(1, "tests/test_a.py::test_x")


def test_dates_are_relative_to_a_fixed_reference_time_or_the_given_now() -> None:
    from pytest_talon.factories import BestPriorPriceRequestFactory

    with use_seed(1):
        assert BestPriorPriceRequestFactory.build().timeframe_end_date == factories.REFERENCE_TIME
    now = datetime(2030, 5, 1, tzinfo=timezone.utc)
    with use_seed(1, now=now):
        assert BestPriorPriceRequestFactory.build().timeframe_end_date == now
