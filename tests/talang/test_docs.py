"""docs/talang.md lists every function the fake runs and every one it refuses."""

from __future__ import annotations

from pathlib import Path

import httpx
import yaml

from pytest_talon.fake import FakeTalon
from pytest_talon.fake.talang import FUNCTIONS, UNSUPPORTED
from pytest_talon.fake.talang.inferred import INF_POINTS

DOC = (Path(__file__).resolve().parents[2] / "docs" / "talang.md").read_text()


def test_every_function_is_documented_with_its_signature() -> None:
    missing = [
        spec.signature for spec in FUNCTIONS.values() if f"`{spec.signature.replace('|', chr(92) + '|')}`" not in DOC
    ]
    assert missing == []


def test_every_unsupported_function_is_documented() -> None:
    section = DOC.split("## Not supported", 1)[1]
    assert [name for name in UNSUPPORTED if f"| `{name}` |" not in section] == []


def test_every_inf_point_is_listed() -> None:
    section = DOC.split("## INF points", 1)[1]
    assert [point for point in INF_POINTS if f"- {point}" not in section] == []


def test_the_campaigns_file_example_gives_5_off_a_cart_of_50() -> None:
    block = DOC.split("## Running a ruleset in the fake", 1)[1].split("```yaml", 1)[1].split("```", 1)[0]
    fake = FakeTalon()
    fake.load_campaigns(yaml.safe_load(block))
    body = {
        "customerSession": {"couponCodes": ["SUMMER-10"], "cartItems": [{"sku": "A-1", "quantity": 1, "price": 50}]}
    }
    url = f"{fake.base_url}/v2/customer_sessions/s1"
    answer = fake.handle(httpx.Request("PUT", url, json=body, headers={"Authorization": f"ApiKey-v1 {fake.api_key}"}))
    assert [(e["effectType"], e["props"]) for e in answer.json()["effects"]] == [
        ("acceptCoupon", {"value": "SUMMER-10"}),
        ("setDiscount", {"name": "10% off", "value": 5, "scope": "cartItems"}),
    ]


def test_the_readme_talang_example_loads() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    block = readme.split("### Your real rulesets: Talang", 1)[1].split("```yaml", 1)[1].split("```", 1)[0]
    (campaign,) = FakeTalon().load_campaigns(yaml.safe_load(block))
    assert campaign.talang is not None
    assert campaign.features == ["coupons"]
