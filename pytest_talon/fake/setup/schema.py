"""The JSON Schema of a campaigns file, generated from the vocabulary (``talon-fake schema`` prints it).

Editors use it to check campaigns files as they are typed (e.g. ``# yaml-language-server: $schema=...``). It is
built from the same dataclasses :mod:`.files` validates against, so it cannot drift from what the fake accepts:
campaigns, rules, every condition and effect kind with its parameters (camelCase or snake_case), limits and
evaluation groups. A campaign's ``ruleset`` (a Talang ruleset) is an opaque object here; its own loader checks it.
The other sections are lists of objects, checked when the file is loaded.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import typing
from collections.abc import Mapping
from typing import Any

import pydantic

from pytest_talon.fake.campaigns.campaign import Campaign, CampaignLimits
from pytest_talon.fake.campaigns.conditions import CONDITION_KINDS
from pytest_talon.fake.campaigns.effects import EFFECT_KINDS
from pytest_talon.fake.campaigns.groups import EvaluationGroup
from pytest_talon.fake.setup.files import TOP_LEVEL_KEYS

__all__ = ["campaigns_file_schema"]

_DIALECT = "https://json-schema.org/draft/2020-12/schema"
_OBJECTS = {"type": "array", "items": {"type": "object"}}


@functools.cache
def campaigns_file_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) every valid campaigns file (YAML or JSON) satisfies."""
    properties: dict[str, Any] = {key: _OBJECTS for key in TOP_LEVEL_KEYS}
    properties["campaigns"] = {"type": "array", "items": {"$ref": "#/$defs/campaign"}}
    properties["evaluationGroups"] = {"type": "array", "items": {"$ref": "#/$defs/evaluationGroup"}}
    defs = {
        "campaign": _campaign(),
        "rule": _object(
            {"title": {"type": "string"}, "conditions": _tagged(CONDITION_KINDS), "effects": _tagged(EFFECT_KINDS)}
        ),
        "evaluationGroup": _object(_fields(EvaluationGroup), required=("mode", "campaigns")),
    }
    return {
        "$schema": _DIALECT,
        "title": "pytest-talon campaigns file",
        "description": "Campaigns, evaluation groups, coupons, referrals and seeded state for the fake Talon.One.",
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
        "$defs": defs,
    }


def _campaign() -> dict[str, Any]:
    fields = _fields(Campaign, skip=frozenset({"rules", "limits", "ruleset"}))  # given their own schemas below
    fields["rules"] = {"type": "array", "items": {"$ref": "#/$defs/rule"}}
    fields["limits"] = _object(_fields(CampaignLimits))
    fields["ruleset"] = {"type": "object", "description": "a Talang ruleset (rules and bindings), checked on load"}
    for name in ("start_time", "end_time"):
        fields[name] = {"type": "string", "format": "date-time"}
    return _object(fields, required=("name",))


def _tagged(kinds: Mapping[str, type]) -> dict[str, Any]:
    """A list of one-key mappings ``{kind: {params}}``."""
    entry = {
        "type": "object",
        "minProperties": 1,
        "maxProperties": 1,
        "properties": {kind: _params(cls) for kind, cls in kinds.items()},
        "additionalProperties": False,
    }
    return {"type": "array", "items": entry}


def _params(cls: type) -> dict[str, Any]:
    """The parameters of one condition or effect kind (null or absent when it needs none)."""
    required = _required(cls)
    return _object(_fields(cls), required=required, nullable=not required)


def _fields(cls: type, *, skip: frozenset[str] = frozenset()) -> dict[str, Any]:
    hints = typing.get_type_hints(cls)
    return {f.name: _field_schema(hints[f.name]) for f in dataclasses.fields(cls) if f.name not in skip}


def _required(cls: type) -> tuple[str, ...]:
    fields = dataclasses.fields(cls)
    missing = dataclasses.MISSING
    return tuple(f.name for f in fields if f.default is missing and f.default_factory is missing)


def _field_schema(hint: Any) -> dict[str, Any]:
    schema = pydantic.TypeAdapter(hint).json_schema()
    schema.pop("title", None)
    return schema


def _object(fields: Mapping[str, Any], *, required: tuple[str, ...] = (), nullable: bool = False) -> dict[str, Any]:
    """An object whose keys are the fields in camelCase (and snake_case when it differs); unknown keys refused."""
    properties: dict[str, Any] = {}
    for name, schema in fields.items():
        properties[_camel(name)] = schema
        properties[name] = schema
    out: dict[str, Any] = {"type": ["object", "null"] if nullable else "object", "properties": properties}
    out["additionalProperties"] = False
    needs = [{"required": [_camel(n)]} if _camel(n) == n else {"anyOf": _either(n)} for n in required]
    if needs:
        out["allOf"] = needs
    return out


def _either(name: str) -> list[dict[str, Any]]:
    return [{"required": [_camel(name)]}, {"required": [name]}]


def _camel(name: str) -> str:
    return re.sub(r"_([a-z])", lambda m: m.group(1).upper(), name)
