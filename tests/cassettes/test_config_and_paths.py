"""Cassette locations, config validation and the JSON path dialect."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

import pytest

from pytest_talon._cassettes.jsonpath import DROP, JsonPathError, apply_path, parse_path
from pytest_talon.cassettes import DEFAULT_MATCH_ON, CassetteConfig, CassetteError, cassette_path


def test_the_default_config_replays_only_and_matches_bodies() -> None:
    config = CassetteConfig()
    assert config.record_mode == "none"
    assert config.match_on == DEFAULT_MATCH_ON == ("method", "path", "query", "json_body")
    assert config.replace_headers["Authorization"] == "ApiKey-v1 <TALON_API_KEY>"
    assert config.cassette_dir == Path("cassettes")


def test_secrets_to_scan_holds_the_api_key_and_configured_secrets() -> None:
    assert CassetteConfig(api_key="k1", secrets=("s1", "")).secrets_to_scan == ("k1", "s1")
    assert CassetteConfig().secrets_to_scan == ()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"record_mode": "sometimes"}, "unknown cassette record mode 'sometimes'"),
        ({"match_on": ("method", "bodyy")}, "unknown matcher"),
        ({"ignore_json_paths": ("customerSession.x",)}, "must start with '\\$'"),
        ({"scrub_json_paths": {"$.a..b": "email"}}, "invalid at position"),
        ({"scrub_query": {"email": "1email"}}, "placeholder kind '1email'"),
    ],
)
def test_invalid_settings_are_rejected_with_a_reason(options: dict[str, Any], message: str) -> None:
    with pytest.raises(CassetteError, match=message):
        CassetteConfig(**options)


@pytest.mark.parametrize(
    ("module", "test", "expected"),
    [
        ("test_checkout", "test_discount", "test_checkout/test_discount.yaml"),
        ("test_checkout", "test_discount[10-EUR]", "test_checkout/test_discount[10-EUR].yaml"),
        ("test_checkout", "TestCart::test_total", "test_checkout/TestCart.test_total-"),
        ("test_checkout", "test_x[a/b c]", "test_checkout/test_x[a_b_c]-"),
    ],
)
def test_cassette_paths_are_safe_file_names(module: str, test: str, expected: str) -> None:
    path = cassette_path(Path("cassettes"), module, test)
    assert path.as_posix().startswith(f"cassettes/{expected}")
    assert path.suffix == ".yaml"


def test_names_that_differ_only_in_unsafe_characters_get_distinct_files() -> None:
    first = cassette_path("c", "m", "test_x[a/b]")
    second = cassette_path("c", "m", "test_x[a:b]")
    assert first != second
    assert len(cassette_path("c", "m", "t" * 300).name) < 140


def test_json_paths_parse_keys_indexes_and_wildcards() -> None:
    assert parse_path("$.a.b[*].c") == ("a", "b", "*", "c")
    assert parse_path("$['odd key'][2]") == ("odd key", 2)
    assert parse_path("$") == ()
    with pytest.raises(JsonPathError, match="position 1"):
        parse_path("$.!")


def test_apply_path_replaces_and_drops_every_match() -> None:
    data = {"items": [{"id": 1, "sku": "A"}, {"id": 2, "sku": "B"}], "other": {"id": 3}}
    assert apply_path(data, parse_path("$.items[*].id"), lambda value: f"<{value}>")
    assert data["items"] == [{"id": "<1>", "sku": "A"}, {"id": "<2>", "sku": "B"}]
    assert apply_path(data, parse_path("$.*.id"), lambda _value: DROP)
    assert data == {"items": [{"id": "<1>", "sku": "A"}, {"id": "<2>", "sku": "B"}], "other": {}}
    assert not apply_path(data, parse_path("$.missing.id"), lambda _value: DROP)


def test_the_public_names_exist_and_the_callables_are_documented() -> None:
    import pytest_talon.cassettes as module

    for name in module.__all__:
        value = getattr(module, name)
        if isinstance(value, type) or inspect.isfunction(value):
            assert value.__doc__, name
