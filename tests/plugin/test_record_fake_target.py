"""Recording against a talon-fake server resets it before each test, so tests with a fixed id record the answers
fake mode gives: each test records against an Application of its own, with and without xdist (an older
talon-fake is reset instead); a Talon.One-like host that does not answer ``/_fake/`` is never touched."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import pytest
import yaml

from pytest_talon.cassettes import secret_forms
from pytest_talon.fake import FakeTalon
from pytest_talon.fake.http.server import LoopbackServer
from tests.plugin._deployment import (
    SHOE_CAMPAIGN,
    as_deployment,
    clean_environ,
    record_against_fake_serve,
    run,
    served_subprocess,
)

KEY = "sandbox-key-record-target"
# Two tests close a session for the same fixed profile: with shared state, the second sees the first's order.
SUITE = """
import httpx

CART = {"profileId": "alice", "cartItems": [{"name": "Shoe", "sku": "SH-1", "quantity": 1, "price": 80}]}


def _close(endpoint, session_id):
    _note(endpoint)
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


# Each test notes the key its endpoint carries, to show it is an Application's and in no cassette.
KEYS = """

def _note(endpoint):
    with open("keys.txt", "a") as out:
        out.write(endpoint.api_key + "\\n")
"""


def _answers(cassettes: Path) -> list[str]:
    files = sorted(cassettes.glob("test_shop/*.yaml"))
    return [yaml.safe_load(f.read_text())["interactions"][0]["response"]["body"]["string"] for f in files]


def _pytest(directory: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:randomly", *args]
    return subprocess.run(
        command,
        cwd=directory,
        env={**clean_environ(), **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,  # a hung inner run fails this test instead of hanging the suite
        check=False,
    )


@pytest.mark.parametrize("workers", ["0", "2"])
def test_recording_against_talon_fake_serve_gives_each_test_a_fresh_application(tmp_path: Path, workers: str) -> None:
    (tmp_path / "test_shop.py").write_text(SUITE + KEYS)
    (tmp_path / "campaigns.yaml").write_text(SHOE_CAMPAIGN)
    (tmp_path / "pytest.ini").write_text("[pytest]\ntalon_campaigns = campaigns.yaml\n")
    fake = _pytest(tmp_path, "-q", "--talon-mode=fake")
    assert fake.returncode == 0, fake.stdout + fake.stderr
    (tmp_path / "keys.txt").unlink()  # fake mode's keys
    with served_subprocess(tmp_path / "campaigns.yaml", KEY) as url:
        deployment = {"TALON_BASE_URL": url, "TALON_API_KEY": KEY}
        recorded = _pytest(tmp_path, "--talon-mode=record", "-n", workers, env=deployment)  # without -q: the header
        assert recorded.returncode == 0, recorded.stdout + recorded.stderr
        left = httpx.get(url + "/_fake/applications", headers={"Authorization": f"ApiKey-v1 {KEY}"}).json()
    assert left == [{"applicationId": 1}]  # every test's Application was deleted after it
    assert (
        "talon: the record target is a talon-fake server: each test records against a fresh Application of its own "
        "(POST /_fake/applications?copyFrom=1, deleted after the test)"
    ) in recorded.stdout
    first, second = _answers(tmp_path / "cassettes")
    assert first == second  # the same answer for the same id, as fake mode gives
    keys = (tmp_path / "keys.txt").read_text().split()
    assert len(set(keys)) == 2  # an Application per test
    assert KEY not in keys
    for cassette in (tmp_path / "cassettes").rglob("*.yaml"):
        text = cassette.read_text()
        assert not [form for key in (*keys, KEY) for form in secret_forms(key).values() if form in text]
    verified = _pytest(tmp_path, "-q", "--talon-mode=verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "2 answers compared with the recordings (2 identical, 0 different), 0 without" in verified.stdout


def test_a_test_sending_its_application_key_in_a_body_records_no_cassette(tmp_path: Path) -> None:
    leaky = """
import httpx


def test_leaks(talon_endpoint):
    body = {"customerSession": {"profileId": "p", "attributes": {"note": talon_endpoint.api_key}}}
    with httpx.Client(base_url=talon_endpoint.base_url, headers=talon_endpoint.headers) as http:
        assert http.put("/v2/customer_sessions/s", json=body).status_code in (200, 400)
"""
    (tmp_path / "test_leaky.py").write_text(leaky)
    (tmp_path / "campaigns.yaml").write_text(SHOE_CAMPAIGN)
    recorded = record_against_fake_serve(tmp_path, KEY, "-q")
    assert recorded.returncode != 0
    assert "talon-fake-app-" not in recorded.stdout + recorded.stderr  # the key is masked in the message too
    assert "secret" in recorded.stdout.lower()
    assert not list((tmp_path / "cassettes").rglob("*.yaml"))


EVERY_CLIENT = """
import asyncio

import httpx
import requests
import talon_one

SESSION = {"customerSession": {"profileId": "alice"}}


def test_every_client(talon_endpoint, talon_client, async_talon_client, talon_sdk, talon_requests):
    url, headers = talon_endpoint.base_url, talon_endpoint.headers
    assert httpx.put(url + "/v2/customer_sessions/a", json=SESSION, headers=headers).status_code == 200
    assert requests.put(url + "/v2/customer_sessions/b", json=SESSION, headers=headers).status_code == 200
    talon_client.update_customer_session_v2("c", SESSION)
    asyncio.run(async_talon_client.update_customer_session_v2("d", SESSION))
    body = talon_one.IntegrationRequest(customer_session=talon_one.NewCustomerSessionV2(profile_id="alice"))
    talon_sdk.update_customer_session_v2("e", body)
    assert httpx.get(url + "/v2/customer_sessions/e", headers=headers).status_code == 200  # the SDK's, in this one
    assert len(talon_requests) == 6
    assert talon_endpoint.api_key.startswith("talon-fake-app-")
"""


def test_every_client_reaches_the_tests_application(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("talon_one")
    pytester.makepyfile(test_clients=EVERY_CLIENT)
    for name in ("CI", "TALON_BASE_URL", "TALON_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    deployment = FakeTalon(api_key=KEY)
    with deployment.serve() as url:
        monkeypatch.setenv("TALON_BASE_URL", url)
        monkeypatch.setenv("TALON_API_KEY", KEY)
        run(pytester, "--talon-mode=record").assert_outcomes(passed=1)
        run(pytester, "--talon-mode=record", "--talon-record-mode=all").assert_outcomes(passed=1)
    assert deployment.requests == []  # the default Application saw none of the test's requests
    assert deployment.app.sessions == {}
    cassette = (pytester.path / "cassettes" / "test_clients" / "test_every_client.yaml").read_text()
    assert cassette.count("uri: ") == 6
    assert "talon-fake-app-" not in cassette


def test_an_older_talon_fake_without_applications_is_reset_or_left_alone_under_xdist(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pytest_talon._plugin.fake_target import probe_fake_target
    from pytest_talon.fake.http.admin import with_admin

    fake = FakeTalon(api_key=KEY)
    with LoopbackServer(with_admin(fake)) as server:  # no spawn: POST /_fake/applications answers 404
        target = probe_fake_target(server.base_url, KEY)
        assert target is not None
        assert not target.applications
        assert KEY not in repr(target)  # a traceback or --showlocals never prints the run's key
        assert (
            "makes no Applications for this key (an older talon-fake, or an Application's key): reset"
            in target.describe()
        )
        shared = probe_fake_target(server.base_url, KEY, shared=True)
        assert shared is not None
        assert "shared by the xdist workers: not reset between tests" in shared.describe()
        fake.add_campaign(name="left by another test")
        with shared.fresh() as key:
            assert key == KEY
            assert len(fake.app.campaigns) == 1  # shared: never reset
        with target.fresh() as key:
            assert key == KEY
            assert fake.app.campaigns == {}  # back to the state the server started with


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
