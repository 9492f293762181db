"""The generated reference tables of the docs match the code (tools/docs_tables.py renders them)."""

from __future__ import annotations

import importlib.util
import inspect
from pathlib import Path
from types import ModuleType

import pytest

from pytest_talon.fake import FakeClock, FakeTalon

ROOT = Path(__file__).resolve().parents[1]


def _tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("_talon_docs_tables", ROOT / "tools" / "docs_tables.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def tool() -> ModuleType:
    return _tool()


def test_every_generated_block_is_up_to_date(tool: ModuleType) -> None:
    for page in tool.PAGES:
        text = page.read_text()
        assert tool.render_page(text) == text, f"{page.name} is out of date: run python tools/docs_tables.py"


@pytest.mark.parametrize(("cls", "block"), [(FakeTalon, "fake-talon"), (FakeClock, "fake-clock")])
def test_every_public_member_has_a_documented_row(cls: type, block: str) -> None:
    text = (ROOT / "docs" / "fake.md").read_text()
    table = text.split(f"<!-- begin generated: {block} ", 1)[1].split(f"<!-- end generated: {block} -->", 1)[0]
    public = [name for name in vars(cls) if not name.startswith("_")]
    assert len(public) >= 3
    for name in public:
        row = next((line for line in table.splitlines() if line.startswith((f"| `{name}(", f"| `{name}` |"))), None)
        assert row is not None, f"{cls.__name__}.{name} is missing from docs/fake.md"
        assert inspect.getdoc(getattr(cls, name)), f"{cls.__name__}.{name} has no docstring to show"
        assert not row.rstrip().endswith("|  |"), row
