"""docs/talang.md lists every function the fake runs and every one it refuses."""

from __future__ import annotations

from pathlib import Path

from pytest_talon.fake.talang import FUNCTIONS, UNSUPPORTED

DOC = (Path(__file__).resolve().parents[2] / "docs" / "talang.md").read_text()


def test_every_function_is_documented_with_its_signature() -> None:
    missing = [
        spec.signature for spec in FUNCTIONS.values() if f"`{spec.signature.replace('|', chr(92) + '|')}`" not in DOC
    ]
    assert missing == []


def test_every_unsupported_function_is_documented() -> None:
    section = DOC.split("## Not supported", 1)[1]
    assert [name for name in UNSUPPORTED if f"| `{name}` |" not in section] == []
