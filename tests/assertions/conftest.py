"""Fixtures for the assertion-helper tests: a pytester project that has our data and converters."""

from __future__ import annotations

import glob
from pathlib import Path

import pytest

# Imported here, outside the in-process runs: pytester drops modules first imported inside a run, and importing
# the SDK takes about two seconds.
import talon_one.exceptions
import talon_one.models  # noqa: F401

HERE = Path(__file__).parent
#: The effects table printed for ``talon_data.CLOSED``.
CLOSED_TABLE = """\
got 7 effects:
  #  type                 campaign  rule             props
  0  acceptCoupon         7         Summer sale      value='SUMMER-10'
  1  setDiscount          7         Summer sale      name='Summer sale 10%', value=2.5
  2  setDiscountPerItem   8         Bean bonus       name='Bean bonus#0', value=1.25, position=0
  3  rejectCoupon         9         Old promo        value='OLD-5', rejectionReason='CouponExpired'
  4  acceptReferral       10        Refer a friend   value='FRIEND-1'
  5  addLoyaltyPoints     11        Double points    programId=3, value=50
  6  deductLoyaltyPoints  12        Pay with points  programId=3, value=20"""

#: The effects table printed for ``talon_data.CANCELLED``.
CANCEL_TABLE = """\
got 6 effects:
  #  type                           campaign  rule             props
  0  rollbackCoupon                 7         Summer sale      value='SUMMER-10'
  1  rollbackReferral               10        Refer a friend   value='FRIEND-1'
  2  rollbackDiscount               7         Summer sale      name='Summer sale 10%', value=2.5
  3  rollbackDiscount               8         Bean bonus       name='Bean bonus#0', value=1.25, cartItemPosition=0
  4  rollbackAddedLoyaltyPoints     11        Double points    programId=3, value=50
  5  rollbackDeductedLoyaltyPoints  12        Pay with points  programId=3, value=20"""

#: How pytest prefixes the lines of an exception raised in a test function (long traceback style).
PREFIX = "E       "


def pytest_configure(config: pytest.Config) -> None:
    """Enable the builtin pytester plugin (``pytest_plugins`` is only allowed in the top-level conftest)."""
    if not config.pluginmanager.has_plugin("pytester"):
        config.pluginmanager.import_plugin("pytester")


@pytest.fixture
def project(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    """A downstream project whose conftest converts wire data to each accepted input type."""
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")  # only our plugin: keeps each run fast
    pytester.makepyfile(talon_data=(HERE / "_data.py").read_text())
    pytester.makeconftest((HERE / "_downstream.py").read_text())
    return pytester


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    """Run the downstream tests in-process with the talon plugin."""
    return pytester.runpytest_inprocess("-p", "talon", "-p", "no:cacheprovider", *args)


def failure_lines(message: str, error: str = "TalonAssertionError") -> list[str]:
    """The exact lines pytest prints for a helper failing with ``message`` (as fnmatch patterns)."""
    first, *rest = message.splitlines()
    lines = [f"{PREFIX}pytest_talon.assertions.{error}: {first}", *(PREFIX + line for line in rest)]
    return [glob.escape(line) for line in lines]


def expect_failures(result: pytest.RunResult, message: str, times: int, error: str = "TalonAssertionError") -> None:
    """Assert that ``message`` was printed, exactly as given, for ``times`` failing tests in a row."""
    result.stdout.fnmatch_lines(failure_lines(message, error) * times)
    first = f"{PREFIX}pytest_talon.assertions.{error}: {message.splitlines()[0]}"
    assert result.stdout.lines.count(first) == times
