"""Fixtures for ``talon-fake proxy``: ``talon-fake serve`` standing in for the sandbox, the proxy in front of it,
both real subprocesses on free loopback ports, waited on through their readiness line (never a sleep)."""

from __future__ import annotations

import signal
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from ..fake_adapters.test_cli import (
    CAMPAIGNS,
    PATIENCE,
    SESSION,
    campaigns_file,  # noqa: F401 (the fixture)
    first_line,
    talon_fake,
)

__all__ = ["CAMPAIGNS", "KEY", "SESSION", "Running", "stop"]

#: The sandbox's API key: it must never reach a cassette, a report or a log.
KEY = "sandbox-key-7f3a9c"


class Running:
    """A started ``talon-fake`` subprocess and its base URL."""

    def __init__(self, *args: str) -> None:
        self.process = talon_fake(*args)
        self.url = first_line(self.process)

    def stop(self) -> tuple[int, str]:
        """SIGTERM, then the exit code and everything it wrote on stderr."""
        self.process.send_signal(signal.SIGTERM)
        _, err = self.process.communicate(timeout=PATIENCE)
        return self.process.returncode, err


def stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.kill()
        process.communicate(timeout=PATIENCE)


@pytest.fixture
def start() -> Iterator[Callable[..., Running]]:
    """Start ``talon-fake`` subprocesses; each still running at the end of the test is killed."""
    started: list[Running] = []

    def run(*args: str) -> Running:
        running = Running(*args)
        started.append(running)
        return running

    yield run
    for running in started:
        stop(running.process)


@pytest.fixture
def sandbox(start: Callable[..., Running], campaigns_file: Path) -> Running:  # noqa: F811 (the imported fixture)
    """``talon-fake serve`` standing in for the Talon.One sandbox."""
    return start("serve", "--port", "0", "--api-key", KEY, "--campaigns", str(campaigns_file), "--quiet")
