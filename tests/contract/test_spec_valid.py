"""Every answer the contract suite gets from the fake is valid against the spec's response schema (issue 12).

The contract scenarios of ``test_contract.py`` run once more against a fresh fake with the contract Application;
the fake's request log keeps each answer as sent. One case per operation: it fails when an answer breaks the
spec (naming the JSON path), or when the contract suite no longer drives the operation.
"""

from __future__ import annotations

import inspect
from collections import defaultdict
from typing import Any
from unittest.mock import ANY

import pytest

from pytest_talon._spec.operations import OPERATIONS
from pytest_talon.fake import FakeTalon
from tests._spec import spec_errors
from tests.contract import test_contract
from tests.contract.conftest import APPLICATION

#: The answers known to break the spec today (strict xfails, removed when fixed). Empty since the fake's encoder
#: stopped sending null in fields the spec does not mark nullable (issue 12, part 1).
KNOWN_INVALID: dict[str, pytest.MarkDecorator] = {}


@pytest.fixture(scope="module")
def answers() -> dict[str, list[tuple[int, Any]]]:
    """Run every contract scenario against one fake; every answer by operation id, as (status, JSON body)."""
    by_operation: dict[str, list[tuple[int, Any]]] = defaultdict(list)
    for name, scenario in inspect.getmembers(test_contract, inspect.isfunction):
        if not name.startswith("test_"):
            continue
        fake = FakeTalon()
        fake.load_campaigns(APPLICATION)
        with fake.client() as client:
            scenario(client, ANY)  # ANY stands in for the snapshot: the snapshots are test_contract's concern
        for entry in fake.requests:
            assert entry.operation_id is not None, entry
            by_operation[entry.operation_id].append((entry.status, entry.response_json))
    return by_operation


@pytest.mark.parametrize(
    "operation_id",
    [pytest.param(op.operation_id, marks=KNOWN_INVALID.get(op.operation_id, ())) for op in OPERATIONS],
)
def test_every_contract_answer_is_valid_against_the_spec(
    answers: dict[str, list[tuple[int, Any]]], operation_id: str
) -> None:
    seen = answers.get(operation_id)
    assert seen, f"the contract suite no longer calls {operation_id}: add it to tests/contract/test_contract.py"
    problems = [
        f"answer {index} ({status}): {problem}"
        for index, (status, body) in enumerate(seen)
        for problem in spec_errors(operation_id, status, body)
    ]
    assert not problems, f"{operation_id} answers break the spec:\n" + "\n".join(problems)
