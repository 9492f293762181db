"""Reading campaign declarations from mappings and YAML/JSON files, with errors naming file, campaign and field."""

from __future__ import annotations

import dataclasses
import functools
import json
import re
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pydantic
import yaml

from pytest_talon._time import parse_rfc3339
from pytest_talon.fake.campaigns.campaign import Campaign, CampaignLimits, Rule
from pytest_talon.fake.campaigns.conditions import CONDITION_KINDS, Condition
from pytest_talon.fake.campaigns.effects import EFFECT_KINDS, CampaignEffect
from pytest_talon.fake.campaigns.groups import EvaluationGroup, parse_group
from pytest_talon.fake.errors import FakeSetupError
from pytest_talon.fake.setup.sections import SECTIONS
from pytest_talon.fake.state.compact import copy_json

__all__ = ["TOP_LEVEL_KEYS", "CampaignFile", "load_campaign_file", "parse_campaign"]

#: Every top-level key a campaigns file may have.
TOP_LEVEL_KEYS = ("campaigns", "evaluationGroups", "coupons", "referrals", *SECTIONS)

#: libyaml's safe loader when PyYAML has it (an order of magnitude faster), else the pure-Python one.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
#: Parsed campaigns files by (device, inode, modification time, size): a run that preloads the same file into every
#: test's fake parses it once. Bounded, oldest first out.
_PARSED: dict[tuple[int, int, int, int], CampaignFile] = {}
_PARSED_MAX = 32


@dataclass
class CampaignFile:
    """The content of a campaigns file: campaigns, evaluation groups and the coupons/referrals to seed (kwargs)."""

    campaigns: list[Campaign] = field(default_factory=list)
    #: The ``evaluationGroups`` section, with each group's label for errors found when it is stored.
    evaluation_groups: list[tuple[str, EvaluationGroup]] = field(default_factory=list)
    coupons: list[dict[str, Any]] = field(default_factory=list)
    referrals: list[dict[str, Any]] = field(default_factory=list)
    #: The other sections (``loyaltyPrograms``, ``audiences``...), applied by :meth:`FakeTalon.load_campaigns`.
    sections: dict[str, Any] = field(default_factory=dict)
    where: str = "<mapping>"


def load_campaign_file(source: str | Path | Mapping[str, Any]) -> CampaignFile:
    """Parse a YAML/JSON campaigns file (path) or an equivalent mapping; raises :class:`FakeSetupError`."""
    if isinstance(source, (str, Path)):
        return _file(Path(source))
    return _load(source, "<mapping>")


def _file(path: Path) -> CampaignFile:
    """The parsed file, parsed once while it is unchanged (by inode, modification time and size): each call gets its
    own lists and its own copy of the seeded data, sharing only the campaigns and groups (frozen dataclasses).

    A speed device, the one process-wide cache of data in the fake (it serves a suite's fakes, not one Application):
    5% to 14% of a fake-mode suite's CPU (``python -m bench.bench_devices``, bench/README.md)."""
    try:
        stat = path.stat()
    except OSError as exc:
        raise FakeSetupError(f"{path}: cannot read the campaigns file: {exc}") from None
    key = (stat.st_dev, stat.st_ino, stat.st_mtime_ns, stat.st_size)  # the file itself, however it is named
    if key not in _PARSED:
        while len(_PARSED) >= _PARSED_MAX:
            _PARSED.pop(next(iter(_PARSED)), None)
        _PARSED[key] = _load(_parse(path), str(path))
    parsed = _PARSED[key]
    return dataclasses.replace(
        parsed,
        campaigns=list(parsed.campaigns),
        evaluation_groups=list(parsed.evaluation_groups),
        coupons=copy_json(parsed.coupons),
        referrals=copy_json(parsed.referrals),
        sections=copy_json(parsed.sections),
    )


def _load(data: Any, where: str) -> CampaignFile:
    if not isinstance(data, Mapping):
        raise FakeSetupError(f"{where}: the top level must be a mapping with 'campaigns', 'coupons', 'referrals'")
    unknown = set(data) - set(TOP_LEVEL_KEYS)
    if unknown:
        known = ", ".join(TOP_LEVEL_KEYS)
        raise FakeSetupError(f"{where}: unknown top-level key(s) {sorted(unknown)}; use {known}")
    out = CampaignFile(sections={k: data[k] for k in SECTIONS if k in data}, where=where)
    for index, item in enumerate(data.get("campaigns") or []):
        label = f"{where}: campaign #{index + 1}"
        if isinstance(item, Mapping) and item.get("name"):
            label += f" {item['name']!r}"
        out.campaigns.append(_with_context(label, functools.partial(parse_campaign, item, {}, next_id=0)))
    for index, item in enumerate(data.get("evaluationGroups") or []):
        label = f"{where}: evaluation group #{index + 1}"
        if isinstance(item, Mapping) and item.get("name"):
            label += f" {item['name']!r}"
        if not isinstance(item, Mapping):
            raise FakeSetupError(f"{label}: must be a mapping with mode and campaigns, got {item!r}")
        out.evaluation_groups.append((label, _with_context(label, functools.partial(parse_group, item, {}))))
    out.coupons = [_kwargs(f"{where}: coupon #{i + 1}", c) for i, c in enumerate(data.get("coupons") or [])]
    out.referrals = [_kwargs(f"{where}: referral #{i + 1}", r) for i, r in enumerate(data.get("referrals") or [])]
    return out


def parse_campaign(
    campaign: Campaign | Mapping[str, Any] | None, fields: Mapping[str, Any], *, next_id: int
) -> Campaign:
    """A :class:`Campaign` from a Campaign, a file-vocabulary mapping, or Campaign kwargs; assigns ``next_id``."""
    if isinstance(campaign, Campaign):
        if fields:
            raise FakeSetupError("add_campaign: pass a Campaign or keyword fields, not both")
        parsed = campaign
    else:
        raw = dict(campaign or {})
        raw.update(fields)
        parsed = _campaign_from_mapping(raw)
    if parsed.id == 0 and next_id:
        parsed = dataclasses.replace(parsed, id=next_id)
    return parsed


def _campaign_from_mapping(raw: Mapping[str, Any]) -> Campaign:
    data = {_snake(k): v for k, v in raw.items()}
    rules = data.pop("rules", [])
    limits = data.pop("limits", None)
    built_rules = tuple(
        r if isinstance(r, Rule) else _with_context(f"rules[{i}]", functools.partial(_rule, r))
        for i, r in enumerate(rules)
    )
    if limits is not None and not isinstance(limits, CampaignLimits):
        limits = _with_context("limits", lambda: _build(CampaignLimits, limits))
    if limits is not None:
        data["limits"] = limits
    return _build(Campaign, {**data, "rules": built_rules}, raw_keys=False)


def _rule(raw: Any) -> Rule:
    if not isinstance(raw, Mapping):
        raise FakeSetupError(f"a rule must be a mapping with title, conditions, effects; got {raw!r}")
    data = {_snake(k): v for k, v in raw.items()}
    unknown = set(data) - {"title", "conditions", "effects"}
    if unknown:
        raise FakeSetupError(f"unknown rule field(s) {sorted(unknown)}; use title, conditions, effects")
    conditions = tuple(
        _with_context(f"conditions[{i}]", functools.partial(_tagged, c, CONDITION_KINDS, Condition))
        for i, c in enumerate(data.get("conditions") or [])
    )
    effects = tuple(
        _with_context(f"effects[{i}]", functools.partial(_tagged, e, EFFECT_KINDS, CampaignEffect))
        for i, e in enumerate(data.get("effects") or [])
    )
    return Rule(title=str(data.get("title", "")), conditions=conditions, effects=effects)


_T = typing.TypeVar("_T")


def _tagged(raw: Any, kinds: Mapping[str, type[_T]], base: type[_T]) -> _T:
    if isinstance(raw, base):
        return raw
    if not isinstance(raw, Mapping) or len(raw) != 1:
        raise FakeSetupError(f"expected a one-key mapping {{kind: {{params}}}}, got {raw!r}; kinds: {', '.join(kinds)}")
    ((kind, params),) = raw.items()
    if kind not in kinds:
        raise FakeSetupError(f"unknown kind {kind!r}; known: {', '.join(kinds)}")
    return _with_context(kind, lambda: _build(kinds[kind], params or {}))


def _build(cls: type[_T], params: Any, *, raw_keys: bool = True) -> _T:
    if not isinstance(params, Mapping):
        raise FakeSetupError(f"parameters of {cls.__name__} must be a mapping, got {params!r}")
    data = {(_snake(k) if raw_keys else k): v for k, v in params.items()}
    hints, known = _fields_of(cls)
    unknown = set(data) - known
    if unknown:
        raise FakeSetupError(f"unknown field(s) {sorted(unknown)} for {cls.__name__}; known: {sorted(known)}")
    for name, value in list(data.items()):
        data[name] = _coerce(name, hints[name], value)
    try:
        built = cls(**data)  # the class's own checks speak first: their messages know the domain
    except TypeError as exc:
        _check_types(data, hints)
        raise FakeSetupError(f"{cls.__name__}: {exc}") from None
    _check_types(data, hints)
    return built


@functools.cache
def _adapter(hint: Any) -> pydantic.TypeAdapter[Any]:
    return pydantic.TypeAdapter(hint)


def _check_types(data: Mapping[str, Any], hints: Mapping[str, Any]) -> None:
    """Refuse a value of the wrong type (``value: "fifty"``) with pydantic's strict mode: nothing is coerced (an
    integer is a number)."""
    for name, value in data.items():
        if name in ("rules", "limits", "ruleset"):  # built and checked on their own (a ruleset by the Talang loader)
            continue
        try:
            _adapter(hints[name]).validate_python(value, strict=True)
        except pydantic.ValidationError as exc:
            error = exc.errors()[0]
            where = "".join(f"[{p}]" for p in error["loc"])
            raise FakeSetupError(f"{name}{where}: {error['msg'].lower()}, got {value!r}") from None


def _fields_of(cls: type[Any]) -> tuple[dict[str, Any], frozenset[str]]:
    """A declaration class's type hints and field names, once per class (``get_type_hints`` is slow)."""
    found = _FIELDS.get(cls)
    if found is None:
        found = _FIELDS[cls] = (typing.get_type_hints(cls), frozenset(f.name for f in dataclasses.fields(cls)))
    return found


_FIELDS: dict[type[Any], tuple[dict[str, Any], frozenset[str]]] = {}


def _coerce(name: str, hint: Any, value: Any) -> Any:
    args = typing.get_args(hint)
    if isinstance(value, str) and (hint is datetime or datetime in args):
        try:
            return parse_rfc3339(value)
        except ValueError:
            raise FakeSetupError(f"{name}: {value!r} is not an RFC3339 date-time") from None
    if isinstance(value, list) and (typing.get_origin(hint) is tuple or tuple in args):
        return tuple(value)
    return value


def _kwargs(label: str, raw: Any) -> dict[str, Any]:
    if not isinstance(raw, Mapping):
        raise FakeSetupError(f"{label}: must be a mapping, got {raw!r}")
    out = {}
    for key, value in raw.items():
        name = _snake(key)
        if isinstance(value, str) and name in ("start_date", "expiry_date"):
            value = _with_context(label, functools.partial(_coerce, name, datetime, value))
        out[name] = value
    return out


def _with_context(label: str, build: typing.Callable[[], _T]) -> _T:
    try:
        return build()
    except FakeSetupError as exc:
        raise FakeSetupError(f"{label}: {exc}") from None


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _parse(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise FakeSetupError(f"{path}: cannot read the campaigns file: {exc}") from None
    try:
        return json.loads(text) if path.suffix == ".json" else yaml.load(text, Loader=_YAML_LOADER)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise FakeSetupError(f"{path}: not valid {'JSON' if path.suffix == '.json' else 'YAML'}: {exc}") from None
