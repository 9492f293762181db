"""The reference's own test cases (github ``talon-one/talang``, extracted by tools/talang_reference.py into
tests/talang/data/reference_cases.json) run through the fake's interpreter.

Every case agrees, is skipped with a reason, or is a documented difference (:data:`DIFFERENCES`, each listed in
docs/talang.md with its reason); the share of runnable cases that agree is the figure docs/talang.md states.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from pytest_talon._time import format_rfc3339, parse_rfc3339
from pytest_talon.fake.talang import (
    FUNCTIONS,
    ROOTS,
    UNSUPPORTED,
    Context,
    FunctionSpec,
    TalangError,
    TalangRuntimeError,
    compile_expression,
)
from pytest_talon.fake.talang.nodes import Evaluation, Frame
from pytest_talon.fake.talang.values import from_json

DATA = json.loads((Path(__file__).parent / "data" / "reference_cases.json").read_text())
CASES: list[dict[str, Any]] = DATA["cases"]
DOC = (Path(__file__).resolve().parents[2] / "docs" / "talang.md").read_text()

#: Functions a case may call that the fake does not run (docs/talang.md, Not supported).
NOT_RUN = {name.lower(): f"calls {name!r}, which the fake does not support (docs/talang.md)" for name in UNSUPPORTED}


def _panic(frame: Frame, args: Sequence[Any]) -> object:
    raise TalangRuntimeError("panic")


#: The fake's functions and the reference's test helper ``panic``, which always fails (testhelpers/helpers.go).
FUNCTIONS_AND_PANIC = {**FUNCTIONS, "panic": FunctionSpec("panic", _panic, rest="any")}

#: Cases where the fake knowingly answers otherwise, by ``file:line``, with the reason (also in docs/talang.md).
DIFFERENCES: dict[str, str] = {
    "corefn/math/math_test.go:99": "division keeps 34 significant digits; the reference rounds to 16 decimal places",
    "corefn/math/math_test.go:104": "division keeps 34 significant digits; the reference rounds to 16 decimal places",
    "corefn/time/time_test.go:207": "daysBetween is exact; the reference computes it in float64",
    "corefn/misc/misc_test.go:134": "a name nothing defines is refused when the campaign is loaded, even under .|",
}


def case_id(case: dict[str, Any]) -> str:
    return f"{case['file']}:{case['line']}"


def _names(expr: Any) -> set[str]:
    if not isinstance(expr, list) or not expr:
        return set()
    found = {expr[0].lower()} if isinstance(expr[0], str) else set()
    for part in expr[1:]:
        found |= _names(part)
    return found | (_names(expr[0]) if isinstance(expr[0], list) else set())


def skip_reason(case: dict[str, Any]) -> str | None:
    """Why a case is not runnable in the fake, or None."""
    if "skip" in case:
        return str(case["skip"])
    called = sorted(_names(case["input"]) & set(NOT_RUN))
    return NOT_RUN[called[0]] if called else None


def outcome(case: dict[str, Any]) -> tuple[str, Any]:
    """What the fake gives: ("refused", message) at load time, ("error", message) at run time, or ("value", tagged)."""
    binding = case["binding"] or {}
    try:
        node = compile_expression(case["input"], names=ROOTS | frozenset(binding), functions=FUNCTIONS_AND_PANIC)
    except TalangError as error:
        return "refused", str(error)
    run = Evaluation(Context(), roots=from_json(binding))  # type: ignore[arg-type]
    try:
        return "value", tag(node.evaluate(Frame(run)))
    except TalangRuntimeError as error:
        return "error", str(error)


def tag(value: object) -> Any:
    """A value in the tagged form of the extracted cases."""
    if value is None:
        return {"null": None}
    if isinstance(value, bool):
        return {"boolean": value}
    if isinstance(value, Decimal):
        return {"decimal": str(value)}
    if isinstance(value, str):
        return {"string": value}
    if isinstance(value, datetime):
        return {"time": format_rfc3339(value)}
    if isinstance(value, list):
        return {"list": [tag(v) for v in value]}
    if isinstance(value, dict):
        return {"map": {k: tag(v) for k, v in value.items()}}
    raise AssertionError(f"not a Talang value: {value!r}")


def same(expected: Any, got: Any) -> bool:
    ((kind, value),) = expected.items()
    if kind not in got:
        return False
    if kind == "decimal":
        return Decimal(value) == Decimal(got[kind])
    if kind == "time":
        return parse_rfc3339(value) == parse_rfc3339(got[kind])
    if kind == "list":
        return len(value) == len(got[kind]) and all(same(e, g) for e, g in zip(value, got[kind], strict=True))
    if kind == "map":
        return value.keys() == got[kind].keys() and all(same(value[k], got[kind][k]) for k in value)
    return bool(value == got[kind])


def agrees(case: dict[str, Any]) -> bool:
    kind, got = outcome(case)
    expected = case["expected"]
    if "error" in expected or "unevaluated" in expected:
        # the reference fails, or leaves a call no signature matches unevaluated (which no rule can use): the fake
        # refuses the call when the campaign is loaded, or fails at run time
        return kind in ("refused", "error")
    return kind == "value" and same(expected, got)


RUNNABLE = [c for c in CASES if skip_reason(c) is None]


@pytest.mark.parametrize("case", RUNNABLE, ids=case_id)
def test_a_reference_case_agrees_or_is_a_documented_difference(case: dict[str, Any]) -> None:
    if case_id(case) in DIFFERENCES:
        assert not agrees(case), f"{case_id(case)} agrees now: remove it from DIFFERENCES and docs/talang.md"
        return
    assert agrees(case), (case["source"], case["expected"], outcome(case))


def test_every_skipped_case_has_a_reason() -> None:
    skipped = [c for c in CASES if skip_reason(c) is not None]
    assert all(skip_reason(c) for c in skipped)
    assert len(skipped) < len(CASES) / 10


def test_every_difference_is_documented_with_its_case() -> None:
    section = DOC.split("## Documented differences", 1)[1].split("\n## ", 1)[0]
    assert [key for key in DIFFERENCES if f"`{key}`" not in section] == []


def test_the_conformance_figure_in_the_docs_is_current() -> None:
    agree = sum(1 for c in RUNNABLE if case_id(c) not in DIFFERENCES)
    share = 100 * agree / len(RUNNABLE)
    assert share >= 95
    skipped = len(CASES) - len(RUNNABLE)
    figure = (
        f"{agree} of the {len(RUNNABLE)} runnable cases agree ({share:.1f}%); {skipped} of the reference's "
        f"{len(CASES)} cases are skipped"
    )
    assert figure in DOC, figure
    assert DATA["commit"] in DOC
