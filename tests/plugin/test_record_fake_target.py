"""Recording against a talon-fake server resets it before each test, so tests with a fixed id record the answers
fake mode gives; a Talon.One-like host that does not answer ``/_fake/`` is never reset."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.plugin._deployment import as_deployment, run, served_subprocess

KEY = "sandbox-key-record-target"
CAMPAIGN = """\
campaigns:
  - name: Shoe week
    rules:
      - title: 10% off carts of 60 or more
        conditions:
          - cartSubtotal: {op: ">=", value: 60}
        effects:
          - setDiscount: {name: "10% off", percent: 10}
"""
# Two tests close a session for the same fixed profile: with shared state, the second sees the first's order.
SUITE = """
import httpx

CART = {"profileId": "alice", "cartItems": [{"name": "Shoe", "sku": "SH-1", "quantity": 1, "price": 80}]}


def _close(endpoint, session_id):
    body = {"customerSession": {**CART, "state": "closed"}, "responseContent": ["customerProfile"]}
    with httpx.Client(base_url=endpoint.base_url, headers=endpoint.headers) as http:
        answer = http.put(f"/v2/customer_sessions/{session_id}", json=body)
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_first(talon_endpoint):
    profile = _close(talon_endpoint, "s1")["customerProfile"]
    assert profile["closedSessions"] == 1


def test_second(talon_endpoint):
    profile = _close(talon_endpoint, "s1")["customerProfile"]
    assert profile["closedSessions"] == 1
"""


def _environ() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith(("TALON_", "PYTEST_")) and k != "CI"}


def _answers(cassettes: Path) -> list[str]:
    files = sorted(cassettes.glob("test_shop/*.yaml"))
    return [yaml.safe_load(f.read_text())["interactions"][0]["response"]["body"]["string"] for f in files]


def test_recording_against_talon_fake_serve_gives_each_test_a_fresh_fake(tmp_path: Path) -> None:
    (tmp_path / "test_shop.py").write_text(SUITE)
    (tmp_path / "campaigns.yaml").write_text(CAMPAIGN)
    (tmp_path / "pytest.ini").write_text("[pytest]\ntalon_campaigns = campaigns.yaml\n")
    base = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly"]
    fake = subprocess.run(
        [*base, "--talon-mode=fake"], cwd=tmp_path, env=_environ(), capture_output=True, text=True, check=False
    )
    assert fake.returncode == 0, fake.stdout + fake.stderr
    with served_subprocess(tmp_path / "campaigns.yaml", KEY) as url:
        recorded = subprocess.run(
            [*base, "--talon-mode=record", "-v"],  # -v undoes -q: the header shows
            cwd=tmp_path,
            env={**_environ(), "TALON_BASE_URL": url, "TALON_API_KEY": KEY},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert recorded.returncode == 0, recorded.stdout + recorded.stderr
    assert "talon: the record target is a talon-fake server: reset (POST /_fake/reset) before each test" in (
        recorded.stdout
    )
    first, second = _answers(tmp_path / "cassettes")
    assert first == second  # the same answer for the same id, as fake mode gives
    verified = subprocess.run(
        [*base, "--talon-mode=verify"], cwd=tmp_path, env=_environ(), capture_output=True, text=True, check=False
    )
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "2 answers compared with the recordings (2 identical, 0 different), 0 without" in verified.stdout


def test_a_target_without_the_fake_admin_api_is_never_reset(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pytest_talon._plugin.fake_target import probe_fake_target

    with as_deployment(monkeypatch, KEY) as url:
        assert probe_fake_target(url, KEY) is not None
        assert probe_fake_target(url, "another-key") is None  # the admin API wants the key: 401, not a fake
        assert probe_fake_target(url + "/v2", KEY) is None  # 404 as a deployment answers
    assert probe_fake_target("http://127.0.0.1:9", KEY) is None  # nothing listening
    pytester.makepyfile("def test_nothing(talon_endpoint): pass")
    monkeypatch.setenv("TALON_BASE_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("TALON_API_KEY", KEY)
    result = run(pytester, "--talon-mode=record")
    result.assert_outcomes(passed=1)
    result.stdout.no_fnmatch_line("*talon-fake server*")
