"""The README's snippets are real: the campaigns example loads, the options table matches --help."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from pytest_talon.fake import FakeTalon

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()


def test_readme_campaigns_example_loads() -> None:
    block = README.split("## The fake and its campaigns file", 1)[1].split("```yaml", 1)[1].split("```", 1)[0]
    fake = FakeTalon()
    (campaign,) = fake.load_campaigns(yaml.safe_load(block))
    assert campaign.name == "Summer coupons"
    assert fake.coupon("SUMMER-10").campaign_id == 1


def test_readme_documents_every_option_and_ini_key(pytestconfig: pytest.Config) -> None:
    group = pytestconfig._parser.getgroup("talon")  # the registered options are the truth
    for option in group.options:
        assert f"`{option.names()[0]}" in README, option.names()
    for name in pytestconfig._parser._inidict:
        if name.startswith("talon_"):
            assert f"`{name}`" in README, name


def test_readme_two_commands_match_ci() -> None:
    ci = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text()
    assert "pip install -q -e '.[test]'" in ci
    assert "pip install -e '.[test]' && pytest -n auto" in README
    assert ci.strip().endswith("\npytest -n auto")
    checks = ["ruff check .", "ruff format --check .", "mypy --strict pytest_talon"]
    assert all(f"\n{check}\n" in ci for check in checks)
    assert ci.index(checks[-1]) < ci.index("\npytest -n auto")  # the checks run before the suite
    assert "set -euo pipefail" in ci  # any failing step fails the run


def test_the_suite_runs_in_process_unless_asked() -> None:
    pyproject = (Path(__file__).resolve().parents[1] / "pyproject.toml").read_text()
    addopts = pyproject.split("addopts = ", 1)[1].split("\n", 1)[0]
    assert "-n" not in addopts.split()


def test_readme_documents_every_fixture_of_the_plugin() -> None:
    from pytest_talon import plugin

    fixtures = [name for name in plugin.__all__ if not name[0].isupper()]
    assert {"talon_cassette_dir", "talon_cassette_name", "talon_campaigns"} <= set(fixtures)
    table = README.split("### Fixtures", 1)[1].split("### Options and ini keys", 1)[0]
    for name in fixtures:
        assert f"| `{name}` |" in table, name


def test_readme_client_examples_run_against_the_fake() -> None:
    block = README.split("Examples per domain", 1)[1].split("```python", 1)[1].split("```", 1)[0]
    fake = FakeTalon()
    fake.load_campaigns(Path(__file__).resolve().parents[1] / "examples" / "campaigns.yaml")
    exec(compile(block, "README.md", "exec"), {"talon": fake.client()})  # our own README
    answered = {r.operation_id for r in fake.requests}
    assert all(r.status < 300 for r in fake.requests), [(r.operation_id, r.status) for r in fake.requests]
    assert len(answered) >= 22


def test_readme_lists_every_condition_and_effect_kind() -> None:
    from pytest_talon.fake import CONDITION_KINDS, EFFECT_KINDS

    vocabulary = README.split("## The fake and its campaigns file", 1)[1].split("### Next to", 1)[0]
    for kind in [*CONDITION_KINDS, *EFFECT_KINDS]:
        assert f"`{kind}`" in vocabulary, kind
