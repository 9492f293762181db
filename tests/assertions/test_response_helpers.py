"""Downstream tests of assert_status, assert_error and assert_session_state, for every accepted input type."""

from __future__ import annotations

import pytest

from tests.assertions.conftest import expect_failures, run

WHERE = " (PUT /v2/customer_sessions/session-42/reopen)"
ERROR_LINES = """\
HTTP 400{where}: Invalid customer session state transition
  - Invalid state: a cancelled session cannot be reopened (at /customerSession/state)"""


def _both(template: str, result: pytest.RunResult) -> None:
    """The first two error kinds (httpx.Response, TalonAPIError) know the request; the other four do not."""
    expect_failures(result, template.format(got=ERROR_LINES.format(where=WHERE)), 2)
    expect_failures(result, template.format(got=ERROR_LINES.format(where="")), 4)


def test_assert_status(project: pytest.Pytester) -> None:
    project.makepyfile(
        """
        import httpx
        from pytest_talon.assertions import assert_status
        from conftest import failed

        class Client:
            last_response = httpx.Response(201)

        def test_success_statuses():
            assert_status(httpx.Response(201), 201)
            assert_status(httpx.Response(204), (200, 204))
            assert_status(Client(), 201)

        def test_reopen_is_refused(error_kind):
            assert_status(failed(error_kind), 400)

        def test_reopen_succeeds(error_kind):
            assert_status(failed(error_kind), [200, 201])
        """
    )
    result = run(project)
    result.assert_outcomes(passed=7, failed=6)
    _both("expected HTTP status 200 or 201; got {got}", result)


def test_assert_error(project: pytest.Pytester) -> None:
    project.makepyfile(
        """
        import re
        import httpx
        from pytest_talon.assertions import assert_error
        from conftest import failed
        from talon_data import CLOSED

        def test_reopen_is_refused_for_the_state(error_kind):
            error = assert_error(failed(error_kind), 400, field="/customerSession/state", message="state transition",
                                 title="Invalid")
            assert error.status_code == 400 and error.errors[0].source.pointer == "/customerSession/state"
            assert_error(failed(error_kind), field="customerSession.state", message=re.compile(r"session \\w+"))

        def test_reopen_is_refused_for_the_id(error_kind):
            assert_error(failed(error_kind), 400, field="/customerSession/id")

        def test_success_is_not_an_error():
            assert_error(httpx.Response(200, json=CLOSED), 400)
        """
    )
    result = run(project)
    result.assert_outcomes(passed=6, failed=7)
    _both("expected an error with HTTP status 400, an entry at '/customerSession/id'; got {got}", result)
    expect_failures(result, "expected an error with HTTP status 400; got a success: HTTP 200", 1)


def test_assert_session_state(project: pytest.Pytester) -> None:
    project.makepyfile(
        """
        import pytest
        from pytest_talon.assertions import assert_session_state
        from conftest import convert
        from talon_data import CLOSED, session

        @pytest.mark.parametrize("schema", ["IntegrationStateV2", "CustomerSessionV2"])
        def test_session_is_closed(kind, schema):
            data = CLOSED if schema == "IntegrationStateV2" else session("closed")
            assert_session_state(convert(kind, data, schema), "closed")

        def test_session_is_cancelled(kind):
            assert_session_state(convert(kind, CLOSED), "cancelled")

        def test_state_without_session():
            assert_session_state({"effects": [], "createdCoupons": [], "createdReferrals": []}, "closed")
        """
    )
    result = run(project)
    result.assert_outcomes(passed=8, failed=5)
    expect_failures(result, "expected session 'session-42' to be 'cancelled', got 'closed'", 4)
    message = "the dict has no customerSession: request it with responseContent=['customerSession']"
    expect_failures(result, message, 1)
