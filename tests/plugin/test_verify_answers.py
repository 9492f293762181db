"""Verify mode's comparison of a recorded and a fake answer, and its summary, without pytest in between."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from pytest_talon._cassettes.jsonpath import parse_path
from pytest_talon._plugin.verify import ABSENT, Difference, Verdict, VerifySummary, compare_answers, failure_message


def effect(effect_type: str, campaign_id: int, value: Any) -> dict[str, Any]:
    return {"effectType": effect_type, "campaignId": campaign_id, "ruleIndex": 0, "props": {"value": value}}


def test_ids_timestamps_and_effect_order_are_not_differences() -> None:
    recorded = {
        "created": "2026-05-01T10:00:00Z",
        "effects": [effect("setDiscount", 9001, 4.0), effect("addLoyaltyPoints", 9002, 2)],
    }
    fake = {
        "created": "2026-12-01T00:00:00Z",
        "effects": [effect("addLoyaltyPoints", 2, 2), effect("setDiscount", 1, 4)],
    }
    assert compare_answers((200, recorded), (200, fake)) == []


def test_the_application_id_of_a_recording_made_in_an_application_of_its_own_is_not_a_difference() -> None:
    # Recording against a talon-fake target, each test has an Application of its own (7 here); the fake is 1.
    def answer(app_id: int) -> dict[str, Any]:
        session = {"applicationId": app_id, "integrationId": "s1", "profileId": "p1"}
        return {"customerSession": session, "effects": [{**effect("setDiscount", 7, 8), "applicationId": app_id}]}

    assert compare_answers((200, answer(7)), (200, answer(1))) == []


@pytest.mark.parametrize(
    ("recorded", "fake", "same"),
    [
        (4, 4.0, True),
        (Decimal("4.50"), 4.5, True),
        (0.1, Decimal("0.1"), True),
        (True, 1, False),
        ("4", 4, False),
        (None, 0, False),
    ],
)
def test_numbers_compare_numerically_and_nothing_else_does(recorded: Any, fake: Any, same: bool) -> None:
    differences = compare_answers((200, {"total": recorded}), (200, {"total": fake}))
    assert (differences == []) is same


def test_a_difference_names_its_path_in_the_sorted_answer() -> None:
    recorded = {"effects": [effect("addLoyaltyPoints", 7, 2), effect("setDiscount", 8, 4.0)]}
    fake = {"effects": [effect("setDiscount", 1, 6.0), effect("addLoyaltyPoints", 2, 2)], "extra": []}
    differences = compare_answers((200, recorded), (400, fake))
    assert [str(d) for d in differences] == [
        "status: recorded 200, fake 400",
        "effects[1].props.value: recorded 4, fake 6",
        f"extra: recorded {ABSENT}, fake []",
    ]
    assert differences[1].ignore_path == "$.effects[*].props.value"


def test_ignored_paths_are_not_compared() -> None:
    recorded, fake = {"a": {"b": 1, "c": [1, 2]}}, {"a": {"b": 2, "c": [1]}}
    ignore = [parse_path("$.a.b"), parse_path("$.a.c")]
    assert compare_answers((200, recorded), (200, fake), ignore) == []


def test_a_body_of_another_type_is_one_difference() -> None:
    assert compare_answers((200, "text"), (200, {"a": 1})) == [Difference("(body)", "text", {"a": 1})]


def test_the_failure_message_and_the_summary() -> None:
    value = Difference("effects[0].props.value", 8, 12)
    outcomes = [
        Verdict("updateCustomerSessionV2", "#1 PUT /v2/customer_sessions/s1", (value, Difference("status", 200, 400))),
        Verdict("getCustomerSession", "#2 GET /v2/customer_sessions/s1"),
        Verdict("getCustomerSession", "#3 GET /v2/customer_sessions/s2", unmatched="no recording"),
    ]
    message = failure_message(Path("cassettes/t/test_a.yaml"), outcomes)
    assert message is not None
    assert message.splitlines()[:4] == [
        "talon verify: 1 answer of the fake differs from the recording in cassettes/t/test_a.yaml",
        "  updateCustomerSessionV2 (request #1 PUT /v2/customer_sessions/s1):",
        "    effects[0].props.value: recorded 8, fake 12",
        "    status: recorded 200, fake 400",
    ]
    assert "talon_verify_ignore ($.effects[*].props.value)" in message
    assert message.splitlines()[-3:-1] == [
        "talon verify: 1 request of the test has no recorded answer in cassettes/t/test_a.yaml",
        "  getCustomerSession (request #3 GET /v2/customer_sessions/s2): no recording",
    ]
    assert "@pytest.mark.talon_verify_partial" in message.splitlines()[-1]
    assert failure_message(Path("x.yaml"), outcomes[1:], partial=True) is None
    missing = Verdict("getCustomerSession", "#1 GET /v2/customer_sessions/s3", unmatched="none", cassette_missing=True)
    assert failure_message(Path("x.yaml"), [missing]) is None

    summary, worker = VerifySummary(), VerifySummary()
    summary.add("t.py::test_a", Path("a.yaml"), outcomes)
    worker.add("t.py::test_b", Path("b.yaml"), outcomes[1:2])
    summary.merge(worker.to_dict())
    data = summary.to_dict()
    assert data["operations"] == {
        "getCustomerSession": {"compared": 2, "identical": 2, "different": 0, "unmatched": 1},
        "updateCustomerSessionV2": {"compared": 1, "identical": 0, "different": 1, "unmatched": 0},
    }
    assert [entry["path"] for entry in data["differences"]] == ["effects[0].props.value", "status"]
    assert data["unmatched"] == [
        {
            "test": "t.py::test_a",
            "operation": "getCustomerSession",
            "request": "#3 GET /v2/customer_sessions/s2",
            "cassette": "a.yaml",
            "cassette_missing": False,
        }
    ]
    assert summary.lines()[0] == (
        "verify: 3 answers compared with the recordings (2 identical, 1 different), 1 without a recorded answer, "
        "0 fake-only tests skipped"
    )


def test_the_verifier_matches_as_replay_and_scrubs_the_fake_answer_as_recording_did(tmp_path: Path) -> None:
    import httpx

    from pytest_talon._plugin.verify import Verifier
    from pytest_talon.cassettes import CassetteConfig, use_cassette
    from pytest_talon.fake import FakeTalon

    config = CassetteConfig(record_mode="once", scrub_json_paths={"$.customerSession.profileId": "profile"})
    body = {"customerSession": {"profileId": "alice@example.com", "cartItems": []}}
    recording = FakeTalon()
    with recording.serve() as url, use_cassette(tmp_path / "t.yaml", config), httpx.Client(base_url=url) as http:
        http.put("/v2/customer_sessions/s1", json=body, headers={"Authorization": f"ApiKey-v1 {recording.api_key}"})
    assert "alice@example.com" not in (tmp_path / "t.yaml").read_text()

    fake = FakeTalon()
    with fake.client() as client:
        client.update_customer_session_v2("s1", body)  # matched: the scrubbed profileId on both sides
        client.update_customer_session_v2("s2", body)  # recorded nowhere
    verifier = Verifier(tmp_path / "t.yaml", config, base_url="https://replay.talon.invalid", root=tmp_path)
    verifier.source = lambda: fake.requests
    first, second = verifier.check()
    assert (first.operation, first.request, first.differences, first.unmatched) == (
        "updateCustomerSessionV2",
        "#1 PUT /v2/customer_sessions/s1",
        (),
        None,
    )
    assert second.unmatched is not None
    assert "t.yaml has no recorded answer" in second.unmatched
    assert verifier.path == Path("t.yaml")
    assert verifier.check() == []
