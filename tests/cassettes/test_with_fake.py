"""Cassettes recorded against pytest-talon's own fake server, and snapshots that agree across fake and replay."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pytest_talon import TalonClient
from pytest_talon.cassettes import FAKE_LABEL, CassetteConfig, read_label, use_cassette
from pytest_talon.snapshots import TalonSnapshotExtension

import pytest_talon.fake as fake_module  # noqa: E402

BODY: dict[str, Any] = {
    "customerSession": {"profileId": "p1", "cartItems": [{"name": "Shoe", "sku": "A", "price": 10, "quantity": 1}]},
    "responseContent": ["customerSession", "customerProfile"],
}


def _checkout(client: TalonClient) -> list[str]:
    with client:
        states = [client.update_customer_session_v2("order-1", BODY) for _ in range(2)]
    return [str(TalonSnapshotExtension().serialize(state)) for state in states]


def test_traffic_to_the_fake_server_records_and_replays_to_the_same_snapshots(cassette_file: Path) -> None:
    # Given the same checkout run in-process against a fresh fake
    in_process = _checkout(fake_module.FakeTalon().client())
    # When it is recorded against the fake's loopback server, then replayed with the server gone
    fake = fake_module.FakeTalon()
    record = CassetteConfig(record_mode="once", api_key=fake.api_key, label=FAKE_LABEL)
    with fake.serve() as base_url, use_cassette(cassette_file, record):
        recorded = _checkout(TalonClient(base_url, fake.api_key))
    with use_cassette(cassette_file, CassetteConfig(record_mode="none")) as cassette:
        replayed = _checkout(TalonClient(base_url, "any-key"))
    # Then every path gives the same snapshots, and the cassette is labelled and free of the key
    assert in_process == recorded == replayed
    assert '"customerSession"' in replayed[0]
    assert cassette.played_count == 2
    assert read_label(cassette_file) == FAKE_LABEL
    assert fake.api_key not in cassette_file.read_text(encoding="utf-8")
