"""``--talon-mode=verify`` end to end: a suite recorded against ``talon-fake serve`` with a 10% campaign, then run
against the in-process fake with the same, or a 15%, campaign."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.plugin._deployment import SHOE_CAMPAIGN, record_against_fake_serve, run

KEY = "sandbox-key-verify-7d1"
CAMPAIGN = SHOE_CAMPAIGN
FIFTEEN = CAMPAIGN.replace("percent: 10", "percent: 15")
SUITE = """
import httpx

SHOE = {"name": "Shoe", "sku": "SH-1", "quantity": 1, "price": 80}
CART = {"customerSession": {"profileId": "p1", "cartItems": [SHOE]}}


def test_discount(talon_client):
    state = talon_client.update_customer_session_v2("s1", CART)
    assert [effect.effect_type for effect in state.effects] == ["setDiscount"]


def test_own_client(talon_endpoint, talon_faker):
    profile = talon_faker.user_name()  # factory data: verify must build it with the recorded seed
    body = {"customerSession": {**CART["customerSession"], "profileId": profile}}
    with httpx.Client(base_url=talon_endpoint.base_url, headers=talon_endpoint.headers) as http:
        assert http.put(f"/v2/customer_sessions/{profile}", json=body).status_code == 200
"""
VALUE = "*updateCustomerSessionV2: effects[[]0[]].props.value: recorded 8, fake 12"


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The suite and its cassettes, recorded against ``talon-fake serve`` loaded with the 10% campaign."""
    shop = tmp_path_factory.mktemp("recorded")
    (shop / "test_shop.py").write_text(SUITE)
    (shop / "campaigns.yaml").write_text(CAMPAIGN)
    result = record_against_fake_serve(shop, KEY, "-q")
    assert result.returncode == 0, result.stdout + result.stderr
    return shop


@pytest.fixture
def shop(pytester: pytest.Pytester, recorded: Path) -> pytest.Pytester:
    """The recorded suite in the pytester directory, with the 10% campaigns file ``same.yaml`` and the 15% one
    ``fifteen.yaml``; no deployment in the environment."""
    pytester.makepyfile(test_shop=SUITE)
    shutil.copytree(recorded / "cassettes", pytester.path / "cassettes")
    (pytester.path / "same.yaml").write_text(CAMPAIGN)
    (pytester.path / "fifteen.yaml").write_text(FIFTEEN)
    return pytester


@pytest.fixture(autouse=True)
def _no_deployment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("CI", "TALON_BASE_URL", "TALON_API_KEY"):
        monkeypatch.delenv(name, raising=False)


def test_the_same_campaigns_verify_clean_with_the_recorded_seed(shop: pytest.Pytester) -> None:
    # Another base seed: the factory data only matches the recording because verify reuses the recorded seed.
    result = run(shop, "--talon-mode=verify", "-o", "talon_campaigns=same.yaml", "--talon-seed=7")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(
        [
            "talon: mode=verify, seed=7, differences from the recordings fail the test",
            "verify: 2 answers compared with the recordings (2 identical, 0 different), 0 without a recorded answer, "
            "0 fake-only tests skipped",
            "*compared*identical*different*unmatched*operation",
            "*2*2*0*0*updateCustomerSessionV2",
        ]
    )
    result.stdout.no_fnmatch_line("differences*")


def test_a_fifteen_percent_campaign_fails_naming_the_value_path(shop: pytest.Pytester) -> None:
    shop.makeini("[pytest]\ntalon_mode = verify\ntalon_campaigns = fifteen.yaml\n")
    result = run(shop)
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines(
        [
            "*_ test_discount _*",
            "talon verify: 1 answer of the fake differs from the recording in cassettes/test_shop/test_discount.yaml",
            "  updateCustomerSessionV2 (request #1 PUT /v2/customer_sessions/s1):",
            "    effects[[]0[]].props.value: recorded 8, fake 12",
            "    the fake's explanation (talon_requests[[]...[]].explain() gives the whole tree):",
            '      campaign 1 "Shoe week": fired',
            '      campaign 1 "Shoe week", rule 0 "10% off carts of 60 or more": fired: setDiscount',
            "        held: condition 0 cartSubtotal >= 60: subtotal 80.00 -> true",
            "To fix: *talon_verify_ignore (*$.effects[[]*[]].props.value*)*--talon-verify=warn*",
        ]
    )
    result.stdout.fnmatch_lines(["verify: 2 answers compared with the recordings (0 identical, 2 different)*"])


def test_warn_reports_the_difference_in_the_terminal_and_the_json_report(shop: pytest.Pytester) -> None:
    shop.makeini("[pytest]\ntalon_campaigns = fifteen.yaml\ntalon_verify = warn\n")
    result = run(shop, "--talon-mode=verify", "--talon-report=talon.json")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["differences (recorded vs fake):", f"  test_shop.py::test_discount {VALUE[1:]}"])
    report = json.loads((shop.path / "talon.json").read_text())
    assert report["mode"] == "verify"
    verify = report["verify"]
    assert verify["operations"] == {
        "updateCustomerSessionV2": {"compared": 2, "identical": 0, "different": 2, "unmatched": 0}
    }
    value = [entry for entry in verify["differences"] if entry["path"] == "effects[0].props.value"]
    assert value[0] == {
        "test": "test_shop.py::test_discount",
        "operation": "updateCustomerSessionV2",
        "request": "#1 PUT /v2/customer_sessions/s1",
        "cassette": "cassettes/test_shop/test_discount.yaml",
        "path": "effects[0].props.value",
        "recorded": 8,
        "fake": 12,
    }
    assert [entry["test"] for entry in value] == ["test_shop.py::test_discount", "test_shop.py::test_own_client"]


def test_paths_known_to_differ_are_ignored(shop: pytest.Pytester) -> None:
    shop.makeini(
        "[pytest]\ntalon_campaigns = fifteen.yaml\n"
        "talon_verify_ignore =\n    $.effects[*].props.value\n    $.effects[*].props.name\n    $.effects[*].ruleName\n"
    )
    result = run(shop, "--talon-mode=verify")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["verify: 2 answers compared with the recordings (2 identical, 0 different)*"])


def test_requests_without_a_recording_in_marked_tests_are_reported_not_failed(shop: pytest.Pytester) -> None:
    marked = "import pytest\npytestmark = pytest.mark.talon_verify_partial\n" + SUITE
    shop.makepyfile(test_shop=marked.replace('"quantity": 1', '"quantity": 2'))
    result = run(shop, "--talon-mode=verify", "-o", "talon_campaigns=same.yaml", "--talon-report=talon.json")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(
        [
            "verify: 0 answers compared with the recordings (0 identical, 0 different), 2 without a recorded answer*",
            "requests without a recorded answer (not compared):",
            "  test_shop.py::test_discount updateCustomerSessionV2 (request #1 PUT /v2/customer_sessions/s1)",
        ]
    )
    unmatched = json.loads((shop.path / "talon.json").read_text())["verify"]["unmatched"]
    assert [entry["cassette"] for entry in unmatched] == [
        "cassettes/test_shop/test_discount.yaml",
        "cassettes/test_shop/test_own_client.yaml",
    ]
    assert not any(entry["cassette_missing"] for entry in unmatched)


def test_requests_of_a_test_without_a_cassette_say_so(shop: pytest.Pytester) -> None:
    shop.makepyfile(test_new=SUITE)  # the same tests in a new module: never recorded
    result = run(shop, "--talon-mode=verify", "-o", "talon_campaigns=same.yaml", "--talon-report=talon.json")
    result.assert_outcomes(passed=4)
    result.stdout.fnmatch_lines(
        [
            "requests without a recorded answer (not compared):",
            "  test_new.py::test_discount updateCustomerSessionV2 (request #1 PUT /v2/customer_sessions/s1): "
            "no cassette cassettes/test_new/test_discount.yaml",
        ]
    )
    unmatched = json.loads((shop.path / "talon.json").read_text())["verify"]["unmatched"]
    assert {entry["cassette"] for entry in unmatched if entry["cassette_missing"]} == {
        "cassettes/test_new/test_discount.yaml",
        "cassettes/test_new/test_own_client.yaml",
    }
    assert not any(entry["cassette_missing"] for entry in unmatched if "test_shop" in entry["cassette"])


def test_verify_on_two_workers_aggregates_the_summary_and_the_report(shop: pytest.Pytester) -> None:
    args = ("-p", "talon", "-p", "xdist", "-n", "2", "-p", "no:cacheprovider", "--talon-mode=verify")
    shop.makeini("[pytest]\ntalon_campaigns = fifteen.yaml\n")
    warned = shop.runpytest_subprocess(*args, "--talon-verify=warn", "--talon-report=talon.json")
    warned.assert_outcomes(passed=2)
    warned.stdout.fnmatch_lines(
        ["verify: 2 answers compared with the recordings (0 identical, 2 different)*", f"*test_own_client {VALUE[1:]}"]
    )
    verify = json.loads((shop.path / "talon.json").read_text())["verify"]
    assert verify["operations"]["updateCustomerSessionV2"]["different"] == 2
    assert len([entry for entry in verify["differences"] if entry["path"] == "effects[0].props.value"]) == 2


def test_fake_only_tests_are_skipped_in_verify_mode(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        def test_fixtures(talon_requests, talon_endpoint):
            assert talon_requests.operations() == []

        @pytest.mark.talon_fake_only
        def test_marked():
            pass
        """
    )
    result = run(pytester, "--talon-mode=verify", "-rs")
    result.assert_outcomes(passed=1, skipped=1)
    result.stdout.fnmatch_lines(["*talon_fake_only: needs --talon-mode=fake (this run uses verify)"])


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("talon_verify=loud", "*talon_verify = 'loud'; use one of: fail, warn"),
        ("talon_verify_ignore=effects.value", "*talon_verify_ignore: JSON path 'effects.value' must start with '$'*"),
    ],
)
def test_bad_verify_settings_are_usage_errors(pytester: pytest.Pytester, option: str, message: str) -> None:
    pytester.makepyfile("def test_nothing(): pass")
    result = run(pytester, "--talon-mode=verify", "-o", option)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([message])
