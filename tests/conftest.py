"""Shared helpers for pytest-talon's own test suite."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from pytest_talon.client import TalonClient
from pytest_talon.fake import FakeTalon

pytest_plugins = ["pytester"]

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def spec_digest() -> dict[str, Any]:
    """The facts of the Integration API spec (paths, parameters, schemas), without its prose."""
    digest: dict[str, Any] = json.loads((DATA / "spec_digest.json").read_text())
    return digest


class LocalTransport(httpx.BaseTransport):
    """A minimal transport handing requests to a fake (independent of the fake's own adapters)."""

    def __init__(self, fake: FakeTalon) -> None:
        self.fake = fake

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self.fake.handle(request)


@pytest.fixture
def fake() -> FakeTalon:
    """A fresh, empty fake."""
    return FakeTalon()


@pytest.fixture
def client(fake: FakeTalon) -> Iterator[TalonClient]:
    """A TalonClient talking to ``fake`` in-process."""
    with TalonClient(fake.base_url, fake.api_key, transport=LocalTransport(fake)) as talon:
        yield talon
