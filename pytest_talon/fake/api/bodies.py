"""Request bodies read as the live API reads them (Go's ``encoding/json``): strict types, lenient about fields.

- Strict: a string where a number belongs, a float where an integer belongs, ``NaN``, ``Infinity`` and numbers that
  overflow (int64 for integers, float64 for numbers) answer 400 naming the JSON pointer. The body is validated with
  pydantic's strict mode for JSON, so nothing is coerced.
- Lenient: fields the request model does not know are ignored at any depth (newer clients send them) and listed as
  JSON pointers in :attr:`Body.unknown_fields`, which the request log keeps.

:func:`read_body` is the one reader; the common body (valid, nothing unknown) takes its shortcut,
:mod:`pytest_talon.fake.api.body_shortcut`, a speed device that gives the same model.
"""

from __future__ import annotations

import functools
import json
import math
import types
import typing
from dataclasses import dataclass
from typing import Any, Union

import pydantic

from pytest_talon import models
from pytest_talon.fake.api import body_shortcut
from pytest_talon.fake.errors import BadRequest
from pytest_talon.models._base import strict_twin

__all__ = ["INT64_MAX", "INT64_MIN", "Body", "read_body"]

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
_UNSET: Any = object()


class Body:
    """A decoded request body: the validated model, the pointers of the fields it ignored, and the raw JSON
    (:attr:`raw`, parsed on first use when the shortcut did not need it)."""

    def __init__(self, content: bytes, model: models.WireModel, unknown_fields: list[str], raw: Any = _UNSET) -> None:
        self.content = content
        self.model = model
        self.unknown_fields = unknown_fields
        self._raw = raw

    @property
    def raw(self) -> Any:
        """The body as parsed JSON."""
        if self._raw is _UNSET:
            self._raw = json.loads(self.content)
        return self._raw


@dataclass(frozen=True)
class _Refused:
    """A JSON value Go refuses for any target (``NaN``, ``Infinity``, a number beyond float64), found on parsing."""

    text: str


def read_body(content: bytes, model_cls: type[models.WireModel]) -> Body:
    """Parse ``content`` as JSON and validate it strictly as ``model_cls``, ignoring (and listing) unknown fields.

    Raises :class:`BadRequest` naming the JSON pointer of the first problem.
    """
    plain = body_shortcut.validated(content, model_cls)
    if plain is not None:
        return Body(content, plain, [])
    flags = _Flags()
    try:
        raw = json.loads(content, parse_constant=flags.constant, parse_float=flags.float, parse_int=flags.int)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BadRequest(f"the request body is not valid JSON: {exc}", pointer="/") from None
    refused = _first_refused(raw, "") if flags.refused else None  # walk the tree only when something was refused
    if refused is not None:
        pointer, value = refused
        raise BadRequest(
            f"{pointer or '/'}: {value.text} is not a number JSON allows (NaN, Infinity and numbers beyond float64 "
            "are refused); send a finite number",
            pointer=pointer or "/",
        )
    unknown: list[str] = []
    known = _strip_unknown(raw, model_cls, "", unknown)
    try:
        # The strict twin, not the model: a shared model's unknown-field check is a Python before-validator, and
        # behind one pydantic validates in Python mode, where strict refuses RFC 3339 strings for datetimes.
        model = strict_twin(model_cls).__pydantic_validator__.validate_json(json.dumps(known), strict=True)
    except pydantic.ValidationError as exc:
        raise _bad_body(model_cls, exc) from None
    overflow = _int64_overflow(model, "") if flags.beyond_int64 else None
    if overflow is not None:
        raise BadRequest(
            f"{overflow}: the number does not fit in a 64-bit integer (int64); send a smaller one", pointer=overflow
        )
    return Body(content, model, unknown, raw)


class _Flags:
    """The JSON parser's number hooks for one body, noting whether anything was refused or beyond int64 (so the
    pointer-finding walks run only for the bodies that need them)."""

    def __init__(self) -> None:
        self.refused = False
        self.beyond_int64 = False

    def constant(self, text: str) -> _Refused:
        self.refused = True
        return _Refused(text)

    def float(self, text: str) -> float | _Refused:
        value = float(text)
        if math.isinf(value):
            self.refused = True
            return _Refused(text)
        return value

    def int(self, text: str) -> int | _Refused:
        value = int(text)
        if INT64_MIN <= value <= INT64_MAX:
            return value
        self.beyond_int64 = True
        try:
            float(value)
        except OverflowError:
            self.refused = True
            return _Refused(text[:20] + "..." if len(text) > 20 else text)
        return value


def _first_refused(node: Any, pointer: str) -> tuple[str, _Refused] | None:
    if isinstance(node, _Refused):
        return pointer, node
    children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, child in children:
        found = _first_refused(child, f"{pointer}/{_escape(str(key))}")
        if found is not None:
            return found
    return None


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def _models_in(annotation: Any) -> list[tuple[str, type[models.WireModel]]]:
    """The wire models an annotation holds, each with how it is reached: ``""`` itself, ``"[]"`` list items,
    ``"{}"`` map values."""
    origin = typing.get_origin(annotation)
    if isinstance(annotation, type) and issubclass(annotation, models.WireModel):
        return [("", annotation)]
    if origin is typing.Annotated:
        return _models_in(typing.get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        return [found for arg in typing.get_args(annotation) for found in _models_in(arg)]
    if origin is list:
        return [("[]", m) for how, m in _models_in(typing.get_args(annotation)[0]) if how == ""]
    if origin is dict:
        return [("{}", m) for how, m in _models_in(typing.get_args(annotation)[1]) if how == ""]
    return []


@functools.cache
def _shape(model_cls: type[models.WireModel]) -> dict[str, list[tuple[str, type[models.WireModel]]]] | None:
    """Every name ``model_cls`` accepts, with the wire models its field holds (None when it takes any key)."""
    if model_cls.model_config.get("extra") == "allow":
        return None
    fields = {f.alias or name: f for name, f in model_cls.model_fields.items()}
    fields.update(model_cls.model_fields)
    return {key: _models_in(fields[key].annotation) for key in model_cls.wire_names() if key in fields}


def _strip_unknown(node: Any, model_cls: type[models.WireModel], pointer: str, unknown: list[str]) -> Any:
    """``node`` without the keys ``model_cls`` (and the models in its fields) does not know; their pointers go to
    ``unknown``. Values of the wrong shape are kept as they are, for validation to refuse."""
    shape = _shape(model_cls)
    if not isinstance(node, dict) or shape is None:
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key not in shape:
            unknown.append(f"{pointer}/{_escape(key)}")
            continue
        out[key] = value
        where = f"{pointer}/{_escape(key)}"
        for how, inner in shape[key]:
            if how == "" and isinstance(value, dict):
                out[key] = _strip_unknown(value, inner, where, unknown)
            elif how == "[]" and isinstance(value, list):
                out[key] = [_strip_unknown(v, inner, f"{where}/{i}", unknown) for i, v in enumerate(value)]
            elif how == "{}" and isinstance(value, dict):
                out[key] = {k: _strip_unknown(v, inner, f"{where}/{_escape(k)}", unknown) for k, v in value.items()}
            else:
                continue
            break
    return out


def _int64_overflow(value: Any, pointer: str) -> str | None:
    """The pointer of the first integer field of a validated model outside int64 (free-form maps are not checked:
    Go decodes their numbers as float64)."""
    if isinstance(value, models.WireModel):
        for name, info in type(value).model_fields.items():
            if name in value.model_fields_set:
                found = _int64_overflow(getattr(value, name), f"{pointer}/{_escape(info.alias or name)}")
                if found is not None:
                    return found
        return None
    if isinstance(value, list):
        return next((p for i, v in enumerate(value) if (p := _int64_overflow(v, f"{pointer}/{i}"))), None)
    if isinstance(value, dict):
        inner = ((k, v) for k, v in value.items() if isinstance(v, models.WireModel))
        return next((p for k, v in inner if (p := _int64_overflow(v, f"{pointer}/{_escape(str(k))}"))), None)
    if isinstance(value, int) and not isinstance(value, bool) and not INT64_MIN <= value <= INT64_MAX:
        return pointer
    return None


def _bad_body(model_cls: type[models.WireModel], exc: pydantic.ValidationError) -> BadRequest:
    errors = exc.errors()
    pointer = "/" + "/".join(_escape(str(p)) for p in errors[0]["loc"])
    fields = "; ".join(f"{'/'.join(str(p) for p in e['loc']) or '(body)'}: {e['msg']}" for e in errors)
    return BadRequest(f"the body is not a valid {model_cls.__schema_name__}: {fields}", pointer=pointer)
