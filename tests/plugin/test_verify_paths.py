"""Verify mode matches requests on their path exactly as sent (``/ : @ + %`` in ids), fails a test whose cassette
has no answer for one of its requests unless it is marked, and skips the tests using the fake itself."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.plugin._deployment import SHOE_CAMPAIGN, record_against_fake_serve, run

KEY = "sandbox-key-verify-paths"
SUITE = """
from urllib.parse import quote

import httpx
import pytest
import requests
import talon_one

IDS = ["web/2026/3391", "shop:42", "o@x+y", "a%2Fb", "plain-1"]
CART = {"profileId": "p1", "cartItems": [{"name": "Shoe", "sku": "SH-1", "quantity": 1, "price": 80}]}


@pytest.mark.parametrize("session_id", IDS)
def test_sdk(talon_sdk, session_id):
    body = talon_one.IntegrationRequest(customer_session=talon_one.NewCustomerSessionV2(**{
        "profile_id": "p1", "cart_items": [talon_one.CartItem(name="Shoe", sku="SH-1", quantity=1, price=80)]
    }))
    state = talon_sdk.update_customer_session_v2(session_id, body)
    assert [effect.effect_type for effect in state.effects] == ["setDiscount"]


@pytest.mark.parametrize("session_id", IDS)
def test_httpx(talon_endpoint, session_id):
    # ':', '@' and '+' go out as they are, '/' and '%' quoted: each client's own choice, kept by verify.
    sent = quote(session_id, safe=":@+")
    with httpx.Client(base_url=talon_endpoint.base_url, headers=talon_endpoint.headers) as http:
        answer = http.put(f"/v2/customer_sessions/{sent}", json={"customerSession": CART})
    assert [effect["effectType"] for effect in answer.json()["effects"]] == ["setDiscount"]


@pytest.mark.parametrize("session_id", IDS)
def test_requests(talon_endpoint, session_id):
    sent = quote(session_id, safe="")
    url = f"{talon_endpoint.base_url}/v2/customer_sessions/{sent}?dry=false"
    answer = requests.put(url, json={"customerSession": CART}, headers=talon_endpoint.headers)
    assert [effect["effectType"] for effect in answer.json()["effects"]] == ["setDiscount"]
"""
SESSIONS = 15


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The suite and its cassettes, recorded against ``talon-fake serve``."""
    shop = tmp_path_factory.mktemp("recorded")
    (shop / "test_ids.py").write_text(SUITE)
    (shop / "campaigns.yaml").write_text(SHOE_CAMPAIGN)
    result = record_against_fake_serve(shop, KEY, "-q")
    assert result.returncode == 0, result.stdout + result.stderr
    return shop


@pytest.fixture
def shop(pytester: pytest.Pytester, recorded: Path) -> pytest.Pytester:
    pytest.importorskip("talon_one")
    pytester.makepyfile(test_ids=SUITE)
    shutil.copytree(recorded / "cassettes", pytester.path / "cassettes")
    (pytester.path / "same.yaml").write_text(SHOE_CAMPAIGN)
    return pytester


@pytest.fixture(autouse=True)
def _no_deployment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("CI", "TALON_BASE_URL", "TALON_API_KEY"):
        monkeypatch.delenv(name, raising=False)


def test_ids_with_reserved_characters_replay_and_verify_with_every_request_compared(shop: pytest.Pytester) -> None:
    replayed = run(shop, "--talon-mode=replay")
    replayed.assert_outcomes(passed=SESSIONS)
    verified = run(shop, "--talon-mode=verify", "-o", "talon_campaigns=same.yaml")
    verified.assert_outcomes(passed=SESSIONS)
    verified.stdout.fnmatch_lines(
        [
            f"verify: {SESSIONS} answers compared with the recordings ({SESSIONS} identical, 0 different), "
            "0 without a recorded answer, 0 fake-only tests skipped",
        ]
    )


def test_a_request_its_cassette_has_no_answer_for_fails_unless_the_test_is_marked(shop: pytest.Pytester) -> None:
    shop.makepyfile(test_ids=SUITE.replace('"quantity": 1', '"quantity": 2'))  # httpx and requests bodies change
    failed = run(shop, "--talon-mode=verify", "-o", "talon_campaigns=same.yaml")
    failed.assert_outcomes(passed=5, failed=10)
    failed.stdout.fnmatch_lines(
        [
            "talon verify: 1 request of the test has no recorded answer in cassettes/test_ids/test_httpx*.yaml",
            "  updateCustomerSessionV2 (request #1 PUT /v2/customer_sessions/web%2F2026%2F3391): *",
            "Replay would fail too: record the test again, or mark it @pytest.mark.talon_verify_partial*",
        ]
    )
    marked = SUITE.replace('"quantity": 1', '"quantity": 2').replace(
        "import talon_one\n", "import talon_one\n\npytestmark = pytest.mark.talon_verify_partial\n"
    )
    shop.makepyfile(test_ids=marked)
    listed = run(shop, "--talon-mode=verify", "-o", "talon_campaigns=same.yaml")
    listed.assert_outcomes(passed=SESSIONS)
    listed.stdout.fnmatch_lines(
        [
            "verify: 5 answers compared with the recordings (5 identical, 0 different), 10 without a recorded answer*",
            "requests without a recorded answer (not compared):",
            "  test_ids.py::test_httpx[[]shop:42[]] updateCustomerSessionV2 "
            "(request #1 PUT /v2/customer_sessions/shop:42)",
        ]
    )


def test_tests_using_the_fake_itself_are_skipped_as_fake_only_and_counted(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import datetime

        def test_clock(talon_fake):
            talon_fake.clock.advance(datetime.timedelta(days=1))

        def test_fault(talon_fake, talon_client):
            talon_fake.inject_fault("getCustomerSession", status=500)

        def test_served(talon_server):
            pass

        def test_mocked(talon_mock):
            pass

        def test_requests_only(talon_requests):
            assert talon_requests.operations() == []
        """
    )
    result = run(pytester, "--talon-mode=verify", "-rs", "--talon-report=talon.json")
    result.assert_outcomes(passed=1, skipped=4)
    result.stdout.fnmatch_lines(
        [
            "verify: 0 answers compared with the recordings (0 identical, 0 different), 0 without a recorded answer, "
            "4 fake-only tests skipped",
        ]
    )
    result.stdout.fnmatch_lines(
        [
            "*fake-only: uses talon_fake, so no live recording can exist to verify against",
            "*fake-only: uses talon_server, so no live recording*",
        ]
    )

    report = json.loads((pytester.path / "talon.json").read_text())
    assert report["verify"]["fake_only"] == [
        "test_tests_using_the_fake_itself_are_skipped_as_fake_only_and_counted.py::test_clock",
        "test_tests_using_the_fake_itself_are_skipped_as_fake_only_and_counted.py::test_fault",
        "test_tests_using_the_fake_itself_are_skipped_as_fake_only_and_counted.py::test_mocked",
        "test_tests_using_the_fake_itself_are_skipped_as_fake_only_and_counted.py::test_served",
    ]
