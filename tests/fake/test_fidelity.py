"""docs/fidelity.md is generated from the code and must match it."""

from __future__ import annotations

from pathlib import Path

from pytest_talon import models
from pytest_talon._spec.operations import OPERATIONS
from pytest_talon.fake import FakeTalon
from pytest_talon.fake.engine.effects import EFFECT_REGISTRY
from pytest_talon.fake.fidelity import render

DOC = Path(__file__).parents[2] / "docs" / "fidelity.md"


def test_committed_fidelity_doc_matches_the_code() -> None:
    assert DOC.read_text(encoding="utf-8") == render(), (
        "docs/fidelity.md is stale: run `python -m pytest_talon.fake.fidelity > docs/fidelity.md`"
    )


def test_doc_lists_every_operation_and_effect_type() -> None:
    text = render()
    for op in OPERATIONS:
        assert f"| `{op.operation_id}` |" in text
    for effect_type in set(models.KNOWN_EFFECT_TYPES) | set(EFFECT_REGISTRY):
        assert f"| `{effect_type}` |" in text


def test_implemented_operations_are_marked(fake: FakeTalon) -> None:
    text = render()
    for op_id in fake.operations_implemented():
        assert f"| `{op_id}` | `" in text
        line = next(line for line in text.splitlines() if line.startswith(f"| `{op_id}` |"))
        assert "| implemented |" in line


def test_registered_effect_types_parse_into_typed_props() -> None:
    for effect_type in EFFECT_REGISTRY:
        assert effect_type in models.EFFECT_PROPS_BY_TYPE, effect_type
