"""A fake Talon.One on loopback posing as a deployment for inner pytest runs (never a real deployment)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from pytest_talon.fake import FakeTalon


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
