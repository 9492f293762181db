"""A Talang rule failing at run time, as a tester meets it: the answer is 200 with the other campaigns' effects,
the failure is in ``ruleFailureReasons``, the request log, the plugin's run summary and ``--talon-report``, and
``talon-fake serve`` prints it on stderr."""

from __future__ import annotations

import json
import shutil
import signal
import sys
from pathlib import Path

import httpx
import pytest

from pytest_talon._rule_failures import count_rule_failures, failure_line
from pytest_talon.fake import FakeTalon
from tests._spec import spec_errors

from ..fake_adapters.test_cli import PATIENCE, first_line, talon_fake

CAMPAIGNS = Path(__file__).parent / "data" / "missing_attribute.yaml"
AUTH = {"Authorization": "ApiKey-v1 fake-talon-api-key"}
BODY = {
    "customerSession": {"profileId": "bob", "cartItems": [{"sku": "MUG", "quantity": 1, "price": 30}]},
    "responseContent": ["ruleFailureReasons"],
}
DETAILS = "function '.' at condition[1][1]: Profile.Attributes has no 'Tier'"


def test_the_campaigns_file_answers_200_with_the_failure_and_the_other_campaigns_effects() -> None:
    fake = FakeTalon()
    fake.load_campaigns(CAMPAIGNS)
    url = f"{fake.base_url}/v2/customer_sessions/s1"
    response = fake.handle(httpx.Request("PUT", url, json=BODY, headers=AUTH))
    assert response.status_code == 200
    body = response.json()
    assert spec_errors("updateCustomerSessionV2", 200, body) == []
    assert [(e["campaignId"], e["effectType"], e["props"]["name"]) for e in body["effects"]] == [
        (2, "setDiscount", "Hello")
    ]
    (failure,) = body["ruleFailureReasons"]
    assert failure["campaignName"] == "Tiers"
    assert (failure["ruleIndex"], failure["ruleName"], failure["conditionIndex"]) == (0, "Gold tier", 0)
    assert failure["details"] == DETAILS
    assert count_rule_failures(fake.requests) == {"campaign 'Tiers' (1), rule 0 'Gold tier'": 1}
    assert failure_line(failure) == f"campaign 'Tiers' (1), rule 0 'Gold tier' (condition 0): {DETAILS}"


SUMMARY_TEST = """
def test_gold(talon_client):
    body = {"customerSession": {"profileId": "bob", "cartItems": [{"sku": "MUG", "quantity": 1, "price": 30}]}}
    for session in ("s1", "s2"):
        state = talon_client.update_customer_session_v2(session, body)
        assert [e.props.name for e in state.effects] == ["Hello"]
"""


def test_the_run_summary_and_the_report_count_rule_failures_per_campaign_and_rule(pytester: pytest.Pytester) -> None:
    shutil.copy(CAMPAIGNS, pytester.path / "campaigns.yaml")
    pytester.makeini("[pytest]\ntalon_campaigns = campaigns.yaml\n")
    pytester.makepyfile(SUMMARY_TEST)
    result = pytester.runpytest_inprocess(
        "-p", "talon", "-p", "no:cacheprovider", "-p", "no:asyncio", "--talon-report=report.json"
    )
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(
        [
            "rule failures: 2 (the answers were 200; see ruleFailureReasons)",
            "      2  campaign 'Tiers' (1), rule 0 'Gold tier'",
        ]
    )
    report = json.loads((pytester.path / "report.json").read_text())
    assert report["ruleFailures"] == {"campaign 'Tiers' (1), rule 0 'Gold tier'": 2}


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_talon_fake_serve_logs_the_failure_on_stderr() -> None:
    process = talon_fake("serve", "--port", "0", "--campaigns", str(CAMPAIGNS))
    try:
        url = first_line(process)
        response = httpx.put(url + "/v2/customer_sessions/s1", json=BODY, headers=AUTH)
        assert response.status_code == 200
        assert [e["props"]["name"] for e in response.json()["effects"]] == ["Hello"]
    finally:
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=PATIENCE)
    assert process.returncode == 0
    assert f"talon-fake: rule failed: campaign 'Tiers' (1), rule 0 'Gold tier' (condition 0): {DETAILS}" in err


def test_a_failure_line_names_the_effect_of_an_effect_failure() -> None:
    failure = {"campaignID": 3, "campaignName": "C", "ruleIndex": 1, "ruleName": "R", "effectIndex": 2, "details": "d"}
    assert failure_line(failure) == "campaign 'C' (3), rule 1 'R' (effect 2): d"
