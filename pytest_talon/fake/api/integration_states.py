"""Integration-state answers (``IntegrationStateV2`` and friends) with exactly the requested ``responseContent``
parts."""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from collections.abc import Iterable
from typing import Any

from pytest_talon import models
from pytest_talon.fake.api.calls import Reply, wire_json
from pytest_talon.fake.backend import encode
from pytest_talon.fake.backend.integration import IntegrationResult
from pytest_talon.fake.state.application import Application
from pytest_talon.fake.state.compact import JSON_SCALARS

__all__ = ["effects_wire", "state_body", "state_reply"]


def state_reply(
    app: Application,
    state: IntegrationResult,
    wanted: Iterable[str] | None,
    response: type[models.WireModel] = models.IntegrationStateV2,
    extra: dict[str, Any] | None = None,
) -> Reply:
    """The 200 answer of an integration call: :func:`state_body`, and the evaluation's rule failures that have
    ``details`` for the request log (whether or not the body shows ``ruleFailureReasons``)."""
    failures = [dict(f) for f in state.result.rule_failures if "details" in f]
    return Reply(200, state_body(app, state, wanted, response, extra), rule_failures=failures)


def state_body(
    app: Application,
    state: IntegrationResult,
    wanted: Iterable[str] | None,
    response: type[models.WireModel] = models.IntegrationStateV2,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """An integration state's JSON (``IntegrationStateV2`` or the ``response`` model of another integration call):
    the always-present parts (effects, created coupons/referrals), each requested ``responseContent`` part the
    response has, and ``extra`` parts (wire name to JSON). Written as JSON directly - the effects as the engine
    emitted them, the session and profile with :func:`~.encode.session_wire` and :func:`~.encode.profile_wire`, the
    rarer parts dumped from their models - since every session update answers one."""
    result = state.result
    body: dict[str, Any] = {
        "effects": effects_wire(result.effects),
        "createdCoupons": [encode.coupon(c).to_wire() for c in result.created_coupons],
        "createdReferrals": [encode.referral(r).to_wire() for r in result.created_referrals],
    }
    names = response.wire_names()
    for name in dict.fromkeys(wanted or []):
        value = _part(app, state, name) if name in names else None
        if value is not None:
            body[name] = wire_json(value)
    body.update(extra or {})
    return body


def effects_wire(effects: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The engine's effects as ``Effect`` sends them (props typed by effect type: ``0.0`` where a number is a float,
    keys in the model's order).

    An effect is validated and dumped by ``Effect`` the first time its shape (effect type, keys and value types) is
    seen. When every value is a JSON scalar and every field it fills is typed as one (``str``, ``int``, ``float``,
    ``bool``, optional or ``Any``), what ``Effect`` does to it depends on the types alone: the keys' order and
    ints turned into floats. That recipe is kept for the shape (checked against the dump) and replayed for later
    effects of the shape, which skips pydantic on the answer's hottest list.
    """
    out: list[dict[str, Any]] = []
    for effect in effects:
        shape = _shape(effect)
        recipe = _RECIPES.get(shape) if shape is not None else None
        if recipe is not None:
            out.append(recipe.apply(effect))
            continue
        wire = models.Effect.wire_list([effect])[0]
        if shape is not None and len(_RECIPES) < _MAX_RECIPES:
            learned = _Recipe.learn(effect, wire)
            if learned is not None:
                _RECIPES[shape] = learned
        out.append(wire)
    return out


#: Effect shapes with the recipe that turns such an effect into its wire form (bounded: shapes repeat).
_RECIPES: dict[tuple[Any, ...], _Recipe] = {}
_MAX_RECIPES = 4096
_SCALAR_OR_DICT = JSON_SCALARS | {dict}


def _shape(effect: dict[str, Any]) -> tuple[Any, ...] | None:
    """The effect type, keys and value types of an effect whose values (props' too) are JSON scalars, else None."""
    props = effect.get("props")
    if type(props) is not dict:
        return None
    outer = tuple(map(type, effect.values()))
    inner = tuple(map(type, props.values()))
    if not _SCALAR_OR_DICT.issuperset(outer) or not JSON_SCALARS.issuperset(inner) or outer.count(dict) != 1:
        return None
    return (effect.get("effectType"), tuple(effect), outer, tuple(props), inner)


@dataclasses.dataclass(frozen=True)
class _Recipe:
    """How ``Effect`` rewrites effects of one shape: the keys (``props`` among them) and the props' keys in wire
    order, and the keys whose ints become floats."""

    keys: tuple[str, ...]
    props_keys: tuple[str, ...]
    floats: frozenset[str]
    props_floats: frozenset[str]

    def apply(self, effect: dict[str, Any]) -> dict[str, Any]:
        props = effect["props"]
        wire_props = {k: float(props[k]) if k in self.props_floats else props[k] for k in self.props_keys}
        return {
            k: wire_props if k == "props" else float(effect[k]) if k in self.floats else effect[k] for k in self.keys
        }

    @classmethod
    def learn(cls, effect: dict[str, Any], wire: dict[str, Any]) -> _Recipe | None:
        """The recipe that turned ``effect`` into ``wire``, if its fields make it depend on types only."""
        props_model = models.EFFECT_PROPS_BY_TYPE.get(effect["effectType"])
        if not _scalar_fields(models.Effect, effect, "props") or (
            props_model is not None and not _scalar_fields(props_model, effect["props"], None)
        ):
            return None
        props, wire_props = effect["props"], wire.get("props")
        if not isinstance(wire_props, dict):
            return None
        recipe = cls(
            keys=tuple(wire),
            props_keys=tuple(wire_props),
            floats=frozenset(k for k, v in wire.items() if type(v) is float and type(effect.get(k)) is int),
            props_floats=frozenset(k for k, v in wire_props.items() if type(v) is float and type(props.get(k)) is int),
        )
        if _typed(recipe.apply(effect)) != _typed(wire):
            return None
        return recipe


def _scalar_fields(model: type[models.WireModel], data: dict[str, Any], skip: str | None) -> bool:
    """Whether every key of ``data`` (but ``skip``) names a field of ``model`` typed as a JSON scalar (or Any)."""
    fields = _fields_by_wire_name(model)
    return all(k == skip or (k in fields and _scalar_annotation(fields[k])) for k in data)


@functools.cache
def _fields_by_wire_name(model: type[models.WireModel]) -> dict[str, Any]:
    return {(info.alias or name): info.annotation for name, info in model.model_fields.items()}


def _scalar_annotation(annotation: Any) -> bool:
    if annotation is Any or annotation in JSON_SCALARS:
        return True
    args = typing.get_args(annotation)
    return typing.get_origin(annotation) in (typing.Union, types.UnionType) and all(
        a in JSON_SCALARS or a is type(None) for a in args
    )


def _typed(value: Any) -> Any:
    """``value`` with every scalar paired with its type, and key order kept: equal only when the JSON is the same."""
    if isinstance(value, dict):
        return [(k, _typed(v)) for k, v in value.items()]
    if isinstance(value, list):
        return [_typed(v) for v in value]
    return (type(value), value)


def _part(app: Application, state: IntegrationResult, name: str) -> Any:
    profile_id = state.profile.integration_id if state.profile is not None else ""
    session = state.session
    if name == "customerSession" and session is not None:
        return encode.session_wire(app, session, state.subtotal)
    if name == "customerProfile" and state.profile is not None:
        return encode.profile_wire(app, state.profile)
    if name == "coupons" and session is not None:
        found = [app.coupons[c] for c in session.coupon_codes if c in app.coupons]
        return [encode.integration_coupon(c, profile_id) for c in found]
    if name == "triggeredCampaigns":
        return [encode.campaign(app, app.campaigns[i]) for i in state.result.triggered if i in app.campaigns]
    if name == "referral" and session is not None and session.referral_code in app.referrals:
        return encode.inventory_referral(app.referrals[session.referral_code or ""])
    if name == "loyalty" and profile_id:
        committed_here = session is not None and session.committed is not None
        return encode.loyalty(app, profile_id, {} if committed_here else state.result.tentative_points)
    if name == "event" and state.event is not None:
        return encode.event(app, state.event)
    if name == "awardedGiveaways":
        return []
    if name == "ruleFailureReasons":
        return [models.RuleFailureReason.model_validate(f) for f in state.result.rule_failures]
    if name == "previousReturns" and session is not None:
        return [encode.return_(app, app.returns[i]) for i in session.return_ids]
    return None
