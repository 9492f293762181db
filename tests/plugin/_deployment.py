"""A fake Talon.One on loopback posing as a deployment for inner pytest runs (never a real deployment)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from pytest_talon.fake import FakeTalon

from ..fake_adapters.test_cli import TALON_FAKE


@contextmanager
def as_deployment(monkeypatch: pytest.MonkeyPatch, key: str) -> Iterator[str]:
    """Serve a fake with ``key`` and set ``TALON_BASE_URL`` / ``TALON_API_KEY`` to it (``CI`` unset)."""
    for name in ("CI", "TALON_BASE_URL", "TALON_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    with FakeTalon(api_key=key).serve() as url:
        monkeypatch.setenv("TALON_BASE_URL", url)
        monkeypatch.setenv("TALON_API_KEY", key)
        yield url


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    """Run pytest in-process with the plugin and without the cache and pytest-asyncio."""
    return pytester.runpytest_inprocess("-p", "talon", "-p", "no:cacheprovider", "-p", "no:asyncio", *args)


@contextmanager
def served_subprocess(campaigns: Path, key: str) -> Iterator[str]:
    """``talon-fake serve`` in a subprocess with ``campaigns`` and ``key``: yields its base URL once it printed it
    (its readiness line), stops it with SIGINT afterwards."""
    command = [*TALON_FAKE, "serve", "--port", "0", "--campaigns", str(campaigns)]
    server = subprocess.Popen(
        [*command, "--api-key", key], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    try:
        assert server.stdout is not None
        url = server.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:"), f"talon-fake serve printed {url!r}"
        yield url
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)
        if server.stdout is not None:
            server.stdout.close()


#: A campaigns file with one 10% discount on carts of 60 or more (the inner suites' shoe at 80 gets it).
SHOE_CAMPAIGN = """\
campaigns:
  - name: Shoe week
    rules:
      - title: 10% off carts of 60 or more
        conditions:
          - cartSubtotal: {op: ">=", value: 60}
        effects:
          - setDiscount: {name: "10% off", percent: 10}
"""


def clean_environ() -> dict[str, str]:
    """The environment without the deployment, pytest's and CI's variables, for an inner pytest subprocess."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("TALON_", "PYTEST_")) and k != "CI"}


def record_against_fake_serve(directory: Path, key: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``pytest --talon-mode=record`` in ``directory`` against ``talon-fake serve`` loaded with
    ``directory/campaigns.yaml``, in a subprocess; ``args`` are added to the pytest command."""
    with served_subprocess(directory / "campaigns.yaml", key) as url:
        return subprocess.run(
            [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--talon-mode=record", *args],
            cwd=directory,
            env={**clean_environ(), "TALON_BASE_URL": url, "TALON_API_KEY": key},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
