"""The Integration API spec lives in the repository (spec/): the generator reads it and the sdist ships it."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).parents[1]
SPEC = ROOT / "spec" / "integration-api.json"


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("_talon_generate", ROOT / "tools" / "generate.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    return module


def test_the_spec_is_vendored_with_its_version_and_source() -> None:
    spec = json.loads(SPEC.read_text())
    assert spec["info"]["version"].startswith("25.17.0")
    readme = (ROOT / "spec" / "README.md").read_text()
    assert "25.17" in readme
    assert "api/openapi.yaml" in readme
    assert "management-rulesets.json" in readme
    assert json.loads((ROOT / "spec" / "management-rulesets.json").read_text())["info"]["version"] == "25.17.0"


def test_the_generator_defaults_to_the_vendored_spec_and_the_digest_matches_it() -> None:
    generate = _generator()
    assert generate.SPEC == SPEC
    assert "shared/talon-api" not in (ROOT / "tools" / "generate.py").read_text()
    ops = generate.Gen(json.loads(SPEC.read_text())).ops
    digest = json.loads((ROOT / "tests" / "data" / "spec_digest.json").read_text())
    assert ops == digest["operations"]
    assert len(ops) == 39


def test_the_sdist_ships_the_spec() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text()
    sdist = re.search(r"\[tool\.hatch\.build\.targets\.sdist\]\ninclude = (\[.*\])", pyproject)
    assert sdist is not None
    assert "spec" in json.loads(sdist.group(1))
