"""docs/explain.md and the README show real explanations: each generated block is what the scenario of
:mod:`.scenario` gives today. Rewrite them with
``TALON_WRITE_DOCS=1 pytest tests/fake/explain/test_docs_explain.py``."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from pytest_talon.assertions import TalonAssertionError, assert_coupon_accepted
from pytest_talon.client import TalonClient
from pytest_talon.fake import FakeTalon

from .scenario import build, session

ROOT = Path(__file__).resolve().parents[3]
PAGES = (ROOT / "docs" / "explain.md", ROOT / "README.md")


def _seeded() -> tuple[FakeTalon, TalonClient]:
    fake = build(FakeTalon())
    client = TalonClient(fake.base_url, fake.api_key, transport=fake.transport())
    client.update_customer_session_v2("s0", session(["ONCE"], price=60.0, state="closed"))
    client.update_customer_session_v2("s1", session(["SUMMER10", "ONCE", "CAPPED"]))
    return fake, client


def _tree() -> str:
    fake, _ = _seeded()
    return str(fake.explain())


def _failure() -> str:
    _fake, client = _seeded()
    client.update_customer_session_v2("s2", session(["SUMMER10"]))
    try:
        assert_coupon_accepted(client.last_response, "SUMMER10")
    except TalonAssertionError as error:
        return str(error)
    raise AssertionError("the coupon was accepted")  # pragma: no cover


def _json() -> str:
    fake, _ = _seeded()
    data = fake.explain().to_json()
    shown = {"campaigns": data["campaigns"][:1], "codes": data["codes"][:1], "evaluated": data["evaluated"]}
    return json.dumps(shown, indent=2)


BLOCKS: dict[str, Callable[[], str]] = {"explain-tree": _tree, "explain-failure": _failure, "explain-json": _json}


def render(text: str) -> str:
    """``text`` with every generated block rewritten."""
    for name, make in BLOCKS.items():
        begin, end = f"<!-- begin generated: {name} -->\n", f"<!-- end generated: {name} -->"
        if begin not in text:
            continue
        head, rest = text.split(begin, 1)
        _, tail = rest.split(end, 1)
        fence = "json" if name.endswith("json") else "text"
        text = f"{head}{begin}```{fence}\n{make()}\n```\n{end}{tail}"
    return text


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_the_generated_explanations_are_current(page: Path) -> None:
    text = page.read_text()
    wanted = render(text)
    if os.environ.get("TALON_WRITE_DOCS") and wanted != text:
        page.write_text(wanted)
        text = wanted
    assert "<!-- begin generated: explain-" in text
    assert wanted == text, f"{page.name} is out of date: TALON_WRITE_DOCS=1 pytest {Path(__file__).relative_to(ROOT)}"
