"""The one route matcher (pytest_talon._spec.routes), which the fake and the plugin's report both use.

(This directory mirrors ``pytest_talon/_spec``; ``tests/_spec.py`` is the spec-schema validator the suite shares.)
"""

from __future__ import annotations

import re

import pytest

from pytest_talon._cassettes.exchanges import operation_for
from pytest_talon._spec.operation import Operation
from pytest_talon._spec.operations import OPERATIONS
from pytest_talon._spec.routes import allowed_methods, find, request_path
from pytest_talon.fake import FakeTalon
from pytest_talon.fake.http.routes import match


def _example_path(template: str) -> str:
    return re.sub(r"{(\w+)}", lambda found: f"x%2F{found.group(1)}", template)


@pytest.mark.parametrize("op", OPERATIONS, ids=lambda op: op.operation_id)
def test_every_operation_is_found_by_its_own_path(op: Operation) -> None:
    path = _example_path(op.path)
    found = find(op.method, path)
    assert found is not None
    operation, params = found
    assert operation is op
    assert set(params) == set(op.path_params)
    assert all(value == f"x/{name}" for name, value in params.items())  # percent-decoded


@pytest.mark.parametrize("op", OPERATIONS, ids=lambda op: op.operation_id)
def test_the_fake_and_the_report_name_the_same_operation(op: Operation) -> None:
    for path in (_example_path(op.path), _example_path(op.path) + "/", _example_path(op.path) + "?a=1"):
        assert match(op.method, path)[0].operation_id == operation_for(op.method, path)


def test_request_path_drops_the_query_and_a_trailing_slash() -> None:
    assert request_path("/v2/customer_sessions/s1/?dry=true") == "/v2/customer_sessions/s1"
    assert request_path("/") == "/"


def test_no_operation_and_the_methods_a_path_allows() -> None:
    assert find("GET", "/v1/nowhere") is None
    assert operation_for("GET", "/v1/nowhere") is None
    assert allowed_methods("/v2/customer_sessions/s1") == ["GET", "PUT"]
    assert allowed_methods("/v1/nowhere") == []


def test_the_fake_answers_405_with_the_allowed_methods() -> None:
    fake = FakeTalon()
    with fake.client() as client:
        headers = {"Authorization": f"ApiKey-v1 {fake.api_key}"}
        response = client.http.request("DELETE", f"{fake.base_url}/v2/customer_sessions/s1", headers=headers)
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, PUT"
