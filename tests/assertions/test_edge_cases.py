"""Direct calls (no pytester) for the less common paths of the helpers: usage errors and partial error bodies."""

from __future__ import annotations

import re

import httpx
import pytest

from pytest_talon.assertions import (
    AssertionUsageError,
    TalonAssertionError,
    assert_discount_total,
    assert_effect,
    assert_error,
    assert_loyalty_points,
    assert_status,
)
from tests.assertions._data import CLOSED, CLOSED_EFFECTS, ERROR_BODY

ERROR = httpx.Response(400, json=ERROR_BODY)


def test_error_message_and_title_mismatches_list_what_came_back() -> None:
    with pytest.raises(
        TalonAssertionError, match=r"^expected an error with message containing 'timeout'; got HTTP 400"
    ):
        assert_error(ERROR, message="timeout")
    with pytest.raises(
        TalonAssertionError, match=r"an entry titled re.compile\('Missing.\*'\); got HTTP 400"
    ) as caught:
        assert_error(ERROR, title=re.compile("Missing.*"))
    assert "  - Invalid state: a cancelled session cannot be reopened (at /customerSession/state)" in str(caught.value)


def test_an_error_without_entries_says_so() -> None:
    with pytest.raises(TalonAssertionError, match=r"\(no errors listed\)$"):
        assert_error(httpx.Response(404, json={"message": "not found"}), field="integrationId")


def test_an_error_entry_can_point_at_a_query_parameter() -> None:
    body = {"message": "bad", "errors": [{"title": "Invalid", "source": {"parameter": "pageSize"}}]}
    assert_error(httpx.Response(400, json=body), 400, field="pageSize", title="Invalid")


def test_a_non_json_error_is_matched_on_its_text() -> None:
    error = assert_error(httpx.Response(502, text="Bad gateway"), 502, message="gateway")
    assert error.message == "Bad gateway"
    assert error.status_code == 502


def test_status_needs_something_that_has_one() -> None:
    with pytest.raises(AssertionUsageError, match=r"dict carries no HTTP status: pass the httpx or requests response"):
        assert_status(ERROR_BODY, 400)
    with pytest.raises(AssertionUsageError, match="dict carries no HTTP status"):
        assert_error(ERROR_BODY, 400)
    with pytest.raises(AssertionUsageError, match="expected status must be an int or a collection of ints"):
        assert_status(ERROR, "400")  # type: ignore[arg-type]


def test_count_must_be_positive() -> None:
    with pytest.raises(AssertionUsageError, match="count must be a positive int"):
        assert_effect(CLOSED, "setDiscount", count=0)


def test_loyalty_points_need_something_to_check() -> None:
    with pytest.raises(AssertionUsageError, match="needs added=, deducted= or both"):
        assert_loyalty_points(CLOSED, program_id=3)
    with pytest.raises(AssertionUsageError, match="added must be a number, got '50'"):
        assert_loyalty_points(CLOSED, added="50")  # type: ignore[arg-type]


def test_a_non_numeric_discount_value_is_reported() -> None:
    broken = [{**CLOSED_EFFECTS[1], "props": {"name": "x", "value": "2.5"}}]
    with pytest.raises(TalonAssertionError, match=r"effect #0 setDiscount \(campaign 7, .*\) has a non-numeric value"):
        assert_discount_total(broken, "2.5")


def test_an_effect_outside_the_schema_fails_when_returned() -> None:
    incomplete = [{"effectType": "acceptCoupon", "props": {"value": "X"}}]  # no campaignId, rulesetId...
    with pytest.raises(TalonAssertionError, match="the matching effect does not fit the Effect schema"):
        assert_effect(incomplete, "acceptCoupon")
