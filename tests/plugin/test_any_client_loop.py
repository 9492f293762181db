"""Issue 26's downstream project, whole: a cart service on ``requests``, a profile sync on aiohttp and an inventory
reader on ``httpx.AsyncClient``, all on ``talon_endpoint`` with no mode switching, ids holding ``/ : @ + %``.

It passes in fake mode, records against a ``talon-fake serve`` subprocess on two xdist workers (each test on a
fresh Application, so a fixed profile id records what fake mode answers), replays with the server gone with and
without xdist, and verifies with every request compared; no form of any key reaches a cassette.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from pytest_talon.cassettes import secret_forms
from tests.plugin._deployment import SHOE_CAMPAIGN, clean_environ, record_against_fake_serve

KEY = "rec/key+with=odd&chars"
IDS = ["web/2026/3391", "shop:42", "o@x+y", "a%2Fb"]

PROJECT = {
    "campaigns.yaml": SHOE_CAMPAIGN
    + """\
  - name: Gold welcome
    rules:
      - title: Welcome gold members
        conditions:
          - profileAttribute: {name: tier, op: "==", value: gold}
        effects:
          - showNotification: {title: Welcome, body: Gold member, notificationType: info}
""",
    "pytest.ini": """\
[pytest]
talon_campaigns = campaigns.yaml
asyncio_default_fixture_loop_scope = function
addopts = -p no:cacheprovider -p no:randomly
""",
    "cart.py": '''\
"""A cart service on requests: closes a customer's session and returns Talon.One's answer."""

from urllib.parse import quote

import requests


class Cart:
    def __init__(self, base_url, api_key):
        self.base_url = base_url
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"ApiKey-v1 {api_key}"

    def close(self, session_id, profile_id, price):
        body = {
            "customerSession": {
                "profileId": profile_id,
                "state": "closed",
                "cartItems": [{"name": "Shoe", "sku": "SH-1", "quantity": 1, "price": price}],
            },
            "responseContent": ["customerProfile"],
        }
        return self.http.put(f"{self.base_url}/v2/customer_sessions/{quote(session_id, safe='')}", json=body)
''',
    "profile_sync.py": '''\
"""A profile sync on aiohttp: pushes attributes and returns the effects of the profile's campaigns."""

from urllib.parse import quote

import aiohttp


async def push(base_url, api_key, profile_id, attributes):
    url = f"{base_url}/v2/customer_profiles/{quote(profile_id, safe='')}"
    async with aiohttp.ClientSession(headers={"Authorization": f"ApiKey-v1 {api_key}"}) as session:
        async with session.put(url, params={"runRuleEngine": "true"}, json={"attributes": attributes}) as resp:
            resp.raise_for_status()
            return await resp.json()
''',
    "inventory.py": '''\
"""An inventory reader on httpx.AsyncClient: a customer's profile attributes."""

from urllib.parse import quote

import httpx


async def attributes(base_url, api_key, profile_id):
    headers = {"Authorization": f"ApiKey-v1 {api_key}"}
    async with httpx.AsyncClient(base_url=base_url, headers=headers) as client:
        answer = await client.get(f"/v1/customer_profiles/{quote(profile_id, safe='')}/inventory?profile=true")
        answer.raise_for_status()
        return answer.json()["profile"]["attributes"]
''',
    "conftest.py": '''\
"""The services on the endpoint pytest-talon gives each test: no mode switching."""

import pytest
from cart import Cart


@pytest.fixture
def cart(talon_endpoint):
    service = Cart(talon_endpoint.base_url, talon_endpoint.api_key)
    yield service
    service.http.close()


@pytest.fixture
def anyio_backend():
    return "asyncio"
''',
    "test_shop.py": f"""\
from urllib.parse import quote

import inventory
import profile_sync
import pytest

from pytest_talon.assertions import assert_effect, assert_no_effect, assert_status

IDS = {IDS!r}


@pytest.mark.parametrize("session_id", IDS)
def test_a_closed_cart_gets_its_discount(cart, talon_requests, session_id):
    answer = cart.close(session_id, "alice", 80)
    assert_status(answer, 200)
    assert_effect(answer, "setDiscount", value=8)
    assert_effect(talon_requests[-1], "setDiscount")
    # A fixed profile id: a fresh fake per test, so alice has closed exactly one session in each.
    assert answer.json()["customerProfile"]["closedSessions"] == 1
    assert talon_requests[-1].raw_path == "/v2/customer_sessions/" + quote(session_id, safe="")
    assert talon_requests[-1].path == "/v2/customer_sessions/" + session_id


@pytest.mark.parametrize("profile_id", IDS)
@pytest.mark.asyncio
async def test_gold_profiles_are_welcomed(talon_endpoint, talon_requests, profile_id):
    answer = await profile_sync.push(talon_endpoint.base_url, talon_endpoint.api_key, profile_id, {{"tier": "gold"}})
    assert_effect(answer, "showNotification", title="Welcome")
    assert_status(talon_requests[-1], 200)
    read = await inventory.attributes(talon_endpoint.base_url, talon_endpoint.api_key, profile_id)
    assert read == {{"tier": "gold"}}
    assert [r.path for r in talon_requests] == [
        f"/v2/customer_profiles/{{profile_id}}", f"/v1/customer_profiles/{{profile_id}}/inventory"
    ]


@pytest.mark.anyio
async def test_silver_profiles_are_not(talon_endpoint, talon_requests):
    answer = await profile_sync.push(talon_endpoint.base_url, talon_endpoint.api_key, "o@x+y", {{"tier": "silver"}})
    assert_no_effect(answer, "showNotification")
    assert talon_requests.operations() == ["updateCustomerProfileV2"]
""",
}
#: Requests of one run: a cart per id, a push and a read per id, one silver push.
REQUESTS = len(IDS) * 3 + 1


def _pytest(shop: Path, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", *args],
        cwd=shop,
        env=clean_environ(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, f"pytest {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def test_requests_aiohttp_and_httpx_async_pass_fake_record_replay_and_verify(tmp_path: Path) -> None:
    pytest.importorskip("aiohttp")
    for name, text in PROJECT.items():
        (tmp_path / name).write_text(text)
    tests = len(IDS) * 2 + 1
    assert f"{tests} passed" in _pytest(tmp_path, "-p", "no:xdist")

    recorded = record_against_fake_serve(tmp_path, KEY, "-n", "2")
    assert recorded.returncode == 0, recorded.stdout + recorded.stderr
    assert "talon: the record target is a talon-fake server: each test records against a fresh Application" in (
        recorded.stdout
    )
    cassettes = sorted((tmp_path / "cassettes").rglob("*.yaml"))
    assert len(cassettes) == tests
    for path in cassettes:
        text = path.read_text(encoding="utf-8")
        assert "talon-fake-app-" not in text  # no Application's key, in any encoding (each starts so)
        leaked = [name for name, form in secret_forms(KEY).items() if form in text]
        assert leaked == [], f"{path} holds the key ({', '.join(leaked)})"

    # The server is gone: the cassettes alone answer, in one process and on two workers.
    for workers in (["-p", "no:xdist"], ["-n", "2"]):
        replayed = _pytest(tmp_path, "--talon-mode=replay", *workers)
        assert f"{tests} passed" in replayed
        assert f"mode: replay; requests: {REQUESTS}; cassettes replayed: {tests}, recorded: 0" in replayed

    verified = _pytest(tmp_path, "--talon-mode=verify", "-p", "no:xdist")
    assert f"{tests} passed" in verified
    summary = f"verify: {REQUESTS} answers compared with the recordings ({REQUESTS} identical, 0 different), "
    assert summary + "0 without a recorded answer, 0 fake-only tests skipped" in verified
    assert "not compared" not in verified
    assert not re.search(r"without a recorded answer \(not compared\)", verified)
