"""Recording against a talon-fake server resets it before each test, so tests with a fixed id record the answers
fake mode gives; a Talon.One-like host that does not answer ``/_fake/`` is never reset."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.plugin._deployment import SHOE_CAMPAIGN, as_deployment, clean_environ, record_against_fake_serve, run

KEY = "sandbox-key-record-target"
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


def _answers(cassettes: Path) -> list[str]:
    files = sorted(cassettes.glob("test_shop/*.yaml"))
    return [yaml.safe_load(f.read_text())["interactions"][0]["response"]["body"]["string"] for f in files]


def test_recording_against_talon_fake_serve_gives_each_test_a_fresh_fake(tmp_path: Path) -> None:
    (tmp_path / "test_shop.py").write_text(SUITE)
    (tmp_path / "campaigns.yaml").write_text(SHOE_CAMPAIGN)
    (tmp_path / "pytest.ini").write_text("[pytest]\ntalon_campaigns = campaigns.yaml\n")
    base = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly"]
    fake = subprocess.run(
        [*base, "--talon-mode=fake"], cwd=tmp_path, env=clean_environ(), capture_output=True, text=True, check=False
    )
    assert fake.returncode == 0, fake.stdout + fake.stderr
    recorded = record_against_fake_serve(tmp_path, KEY, "-p", "no:randomly")  # without -q: the header shows
    assert recorded.returncode == 0, recorded.stdout + recorded.stderr
    assert "talon: the record target is a talon-fake server: reset (POST /_fake/reset) before each test" in (
        recorded.stdout
    )
    first, second = _answers(tmp_path / "cassettes")
    assert first == second  # the same answer for the same id, as fake mode gives
    verified = subprocess.run(
        [*base, "--talon-mode=verify"], cwd=tmp_path, env=clean_environ(), capture_output=True, text=True, check=False
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
