"""Campaigns files are validated against typed models (errors name the file, the campaign, the rule and the
field), and ``talon-fake schema`` publishes their JSON Schema for editors (issue 12, part 7)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from pytest_talon.fake import FakeSetupError, FakeTalon
from pytest_talon.fake.setup.schema import campaigns_file_schema

EXAMPLE = Path(__file__).parents[2] / "examples" / "campaigns.yaml"


def _file(tmp_path: Path, condition: str, effect: str) -> Path:
    path = tmp_path / "campaigns.yaml"
    path.write_text(
        "campaigns:\n  - name: Big carts\n    rules:\n      - title: Ten off\n"
        f"        conditions: [{condition}]\n        effects: [{effect}]\n"
    )
    return path


@pytest.mark.parametrize(
    ("condition", "effect", "field"),
    [
        ('{cartSubtotal: {op: ">=", value: fifty}}', "{setDiscount: {name: d, percent: 10}}", "value"),
        ('{cartSubtotal: {op: ">=", value: 50}}', "{setDiscount: {name: d, percent: ten}}", "percent"),
        ('{cartSubtotal: {op: ">=", value: "50"}}', "{setDiscount: {name: d, percent: 10}}", "value"),
        ("{itemQuantity: {op: '>', value: 1.5}}", "{setDiscount: {name: d, percent: 10}}", "value"),
        ('{cartSubtotal: {op: ">=", value: 50}}', "{addLoyaltyPoints: {programId: one, value: 5}}", "program_id"),
    ],
)
def test_a_wrongly_typed_value_names_file_campaign_rule_and_field(
    tmp_path: Path, condition: str, effect: str, field: str
) -> None:
    path = _file(tmp_path, condition, effect)
    with pytest.raises(FakeSetupError) as info:
        FakeTalon().load_campaigns(path)
    message = str(info.value)
    assert message.startswith(f"{path}: campaign #1 'Big carts': rules[0]: ")
    assert f": {field}: " in message
    assert "TypeError" not in message


def test_integers_are_numbers_and_dates_stay_rfc3339(tmp_path: Path) -> None:
    path = _file(tmp_path, '{cartSubtotal: {op: ">=", value: 50}}', "{setDiscount: {name: d, percent: 10}}")
    (campaign,) = FakeTalon().load_campaigns(path)
    assert campaign.rules[0].conditions[0].value == 50  # type: ignore[attr-defined]


def _as_json(data: Any) -> Any:
    """What an editor sees: YAML timestamps are text."""
    return json.loads(json.dumps(data, default=lambda value: value.isoformat()))


def test_the_example_campaigns_file_validates_against_the_schema() -> None:
    schema = campaigns_file_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(_as_json(yaml.safe_load(EXAMPLE.read_text())))


@pytest.mark.parametrize(
    "campaign",
    [
        {"name": "x", "rules": [{"title": "r", "conditions": [{"cartSubtotal": {"op": ">=", "value": "fifty"}}]}]},
        {"name": "x", "rules": [{"title": "r", "effects": [{"setDiscount": {"name": "d", "percent": "ten"}}]}]},
        {"name": "x", "rules": [{"title": "r", "effects": [{"setDiscunt": {"name": "d"}}]}]},
        {"name": "x", "limits": {"couponRedemptions": "many"}},
        {"nme": "x"},
    ],
)
def test_the_schema_refuses_what_loading_refuses(campaign: dict[str, Any]) -> None:
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"campaigns": [campaign]}, campaigns_file_schema())
    with pytest.raises(FakeSetupError):
        FakeTalon().load_campaigns({"campaigns": [campaign]})


def test_a_talang_ruleset_is_an_opaque_mapping_in_the_schema() -> None:
    ruleset = {"rules": [{"title": "t", "condition": ["and", True], "effects": [], "bindings": []}], "bindings": []}
    jsonschema.validate({"campaigns": [{"name": "x", "ruleset": ruleset}]}, campaigns_file_schema())


def test_talon_fake_schema_prints_the_schema() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pytest_talon.fake", "schema"], capture_output=True, text=True, timeout=60, check=True
    )
    assert json.loads(done.stdout) == campaigns_file_schema()
