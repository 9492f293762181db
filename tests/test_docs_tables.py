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


@pytest.mark.parametrize(("block", "kinds"), [("conditions", "CONDITION_KINDS"), ("effects", "EFFECT_KINDS")])
def test_every_campaigns_file_kind_has_a_row_with_its_parameters(block: str, kinds: str) -> None:
    import dataclasses

    from pytest_talon import fake

    text = (ROOT / "docs" / "fake.md").read_text()
    table = text.split(f"<!-- begin generated: {block} ", 1)[1].split(f"<!-- end generated: {block} -->", 1)[0]
    rows = {line.split(" | ")[0].removeprefix("| `").rstrip("`"): line for line in table.splitlines()[3:]}
    declared = getattr(fake, kinds)
    assert list(rows) == list(declared)
    for kind, cls in declared.items():
        for field in dataclasses.fields(cls):
            camel = field.name.split("_")[0] + "".join(part.title() for part in field.name.split("_")[1:])
            assert f"`{camel}`" in rows[kind], (kind, camel)


def test_the_effect_table_says_what_a_percent_is_taken_of() -> None:
    text = (ROOT / "docs" / "fake.md").read_text()
    row = next(line for line in text.splitlines() if line.startswith("| `addLoyaltyPoints` |"))
    assert "`percent` of the cart subtotal before any discount" in row


def test_points_percent_is_taken_before_discounts_as_the_table_says() -> None:
    fake = FakeTalon()
    sale = {"title": "t", "effects": [{"setDiscount": {"name": "d", "value": 30}}]}
    earn = {"title": "t", "effects": [{"addLoyaltyPoints": {"programId": 1, "percent": 10}}]}
    campaigns = [{"id": 1, "name": "Sale", "rules": [sale]}, {"id": 2, "name": "Points", "rules": [earn]}]
    fake.load_campaigns({"campaigns": campaigns, "loyaltyPrograms": [{"id": 1, "name": "Points"}]})
    cart = [{"sku": "A", "quantity": 2, "price": 50.125}]
    with fake.client() as client:
        state = client.update_customer_session_v2("s1", {"customerSession": {"profileId": "p", "cartItems": cart}})
    points = next(e for e in state.effects if e.effect_type == "addLoyaltyPoints")
    assert points.props.value == 10.03  # 10% of 100.25 (not of 70.25), rounded half up to 2 decimals
