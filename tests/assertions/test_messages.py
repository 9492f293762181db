"""How failures read: typos, truncation and -vv, failed calls, hidden internals, plain assertion mode."""

from __future__ import annotations

import pytest

from tests.assertions.conftest import CLOSED_TABLE, expect_failures, run

MANY = """
from pytest_talon.assertions import assert_effect

EFFECTS = [
    {"campaignId": 20, "rulesetId": 201, "ruleIndex": i, "ruleName": f"Tier {i}", "effectType": "setDiscount",
     "props": {"name": f"Tier {i} " + "discount " * 8, "value": float(i)}}
    for i in range(25)
]

def test_many():
    assert_effect({"effects": EFFECTS}, "setDiscount", value=99)
"""


def test_a_mistyped_effect_type_names_the_closest_known_one(project: pytest.Pytester) -> None:
    project.makepyfile(
        """
        from pytest_talon.assertions import assert_effect, assert_no_effect
        from talon_data import CLOSED

        def test_type_typo():
            assert_effect(CLOSED, "setDiscont", value=2.5)

        def test_field_typo():
            assert_no_effect(CLOSED, "acceptCoupon", vlaue="X")
        """
    )
    result = run(project)
    result.assert_outcomes(failed=2)
    message = "unknown effect type 'setDiscont', did you mean 'setDiscount'?"
    expect_failures(result, message, 1, error="AssertionUsageError")
    message = (
        "unknown field 'vlaue' for effect type 'acceptCoupon', did you mean 'value'? Props: value; envelope fields: "
        "campaign_id, ruleset_id, rule_index, rule_name, triggered_by_coupon and the other Effect attributes."
    )
    expect_failures(result, message, 1, error="AssertionUsageError")


def test_long_tables_are_truncated_without_vv(project: pytest.Pytester) -> None:
    project.makepyfile(MANY)
    result = run(project)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "E       got 25 effects:",
            "E         #   type         campaign  rule     props",
            "E         0   setDiscount  20        Tier 0   name='Tier 0 " + "discount " * 4 + "discount...",
            "E         19  setDiscount  20        Tier 19  name='Tier 19 " + "discount " * 4 + "discoun...",
            "E         ... 5 more, use -vv to show all",
            "E       closest: #0 setDiscount (campaign 20, rule 'Tier 0')",
        ]
    )
    assert "E         20  setDiscount" not in result.stdout.str()


def test_vv_shows_every_row_in_full(project: pytest.Pytester) -> None:
    project.makepyfile(MANY)
    result = run(project, "-vv")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "E         24  setDiscount  20        Tier 24  name='Tier 24 " + "discount " * 7 + "discount ', value=24",
            "E       closest: #0 setDiscount (campaign 20, rule 'Tier 0')",
            "E         value: expected 99, got 0",
        ]
    )
    assert "more, use -vv" not in result.stdout.str()


def test_a_failed_call_is_reported_instead_of_missing_effects(project: pytest.Pytester) -> None:
    project.makepyfile(
        """
        from pytest_talon.assertions import assert_effect
        from conftest import failed

        def test_effect_of_error(error_kind):
            assert_effect(failed(error_kind), "setDiscount")
        """
    )
    result = run(project, "-k", "response or talon_error or sdk")
    result.assert_outcomes(failed=4)
    lines = """\
expected a successful response, but the call failed: HTTP 400{where}: Invalid customer session state transition
  - Invalid state: a cancelled session cannot be reopened (at /customerSession/state)"""
    expect_failures(result, lines.format(where=" (PUT /v2/customer_sessions/session-42/reopen)"), 2)
    expect_failures(result, lines.format(where=""), 2)  # the SDK's exception and its error model


@pytest.mark.parametrize("mode", ["rewrite", "plain"])
def test_messages_do_not_depend_on_assertion_rewriting(project: pytest.Pytester, mode: str) -> None:
    project.makepyfile(
        """
        from pytest_talon.assertions import assert_effect
        from talon_data import CLOSED

        def test_discount():
            assert_effect(CLOSED, "setDiscount", campaign_id=7, value=3)
        """
    )
    result = run(project, f"--assert={mode}")
    result.assert_outcomes(failed=1)
    message = f"""\
expected an effect setDiscount with campaignId=7, value=3; found none
{CLOSED_TABLE}
closest: #1 setDiscount (campaign 7, rule 'Summer sale')
  value: expected 3, got 2.5"""
    expect_failures(result, message, 1)
    assert "_assertions" not in result.stdout.str(), "library frames are hidden from the traceback"
