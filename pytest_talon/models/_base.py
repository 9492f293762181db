"""Base classes shared by every wire model: aliases, extra-field policy and wire helpers."""

from __future__ import annotations

import copy
import functools
import json
import operator
import sys
import types
import typing
from collections.abc import Callable, Iterator, Sequence
from typing import Any, ClassVar, TypeAlias

from pydantic import (
    BaseModel,
    ConfigDict,
    GetCoreSchemaHandler,
    SerializeAsAny,
    TypeAdapter,
    ValidationInfo,
)
from pydantic_core import CoreSchema, core_schema
from typing_extensions import Self

__all__ = [
    "EffectPropsModel",
    "EffectPropsValue",
    "RequestModel",
    "ResponseModel",
    "SharedModel",
    "WireModel",
]

#: Validation context key that makes shared (request and response) models reject unknown fields.
STRICT_CONTEXT = {"talon_reject_unknown": True}

#: :meth:`WireModel.wire_names` by model class (fields are fixed once a class is built; every request asks).
_WIRE_NAMES: dict[type[Any], frozenset[str]] = {}


class WireModel(BaseModel):
    """Base of every Talon.One body model: snake_case attributes, camelCase on the wire."""

    model_config = ConfigDict(populate_by_name=True, protected_namespaces=(), ser_json_inf_nan="constants")

    __schema_name__: ClassVar[str] = ""
    #: Fields the spec marks ``nullable`` (Python and wire names): the only ones :meth:`to_wire` sends as null.
    __nullable__: ClassVar[frozenset[str]] = frozenset()

    def to_wire(self) -> dict[str, Any]:
        """Return the body as JSON-ready data: camelCase keys, fields never set left out, and ``None`` left out
        unless the spec marks the field nullable (the live API never sends null elsewhere)."""
        data: dict[str, Any] = self.model_dump(mode="json", by_alias=True, exclude_unset=True, exclude_none=True)
        if _reaches_nullable(type(self)):
            _restore_nulls(self, data)
        return data

    def to_json(self) -> str:
        """Return :meth:`to_wire` as a compact JSON string."""
        return self.to_wire_bytes().decode()

    def to_wire_bytes(self) -> bytes:
        """Return :meth:`to_wire` as compact JSON bytes (UTF-8), serialised by pydantic-core in one pass."""
        if _reaches_nullable(type(self)):
            return json.dumps(self.to_wire(), separators=(",", ":"), ensure_ascii=False).encode()
        return self.__pydantic_serializer__.to_json(self, by_alias=True, exclude_unset=True, exclude_none=True)

    @classmethod
    def wire_list(cls, items: Sequence[Self | dict[str, Any]]) -> list[dict[str, Any]]:
        """:meth:`to_wire` of each item - a model, or data validated as one - in one pydantic pass."""
        adapter = _list_adapter(cls)
        validated: list[Self] = (
            list(items) if all(isinstance(i, cls) for i in items) else adapter.validate_python(items)  # type: ignore[arg-type]
        )
        if _reaches_nullable(cls):
            return [item.to_wire() for item in validated]
        wire: list[dict[str, Any]] = adapter.dump_python(
            validated, mode="json", by_alias=True, exclude_unset=True, exclude_none=True
        )
        return wire

    @classmethod
    def from_wire(cls, obj: Any) -> Self:
        """Parse wire data (a dict, a JSON string or bytes) into this model."""
        if isinstance(obj, (str, bytes, bytearray)):
            return cls.model_validate_json(obj, context=STRICT_CONTEXT)
        return cls.model_validate(obj, context=STRICT_CONTEXT)

    @classmethod
    def wire_names(cls) -> frozenset[str]:
        """Every name a field accepts on input: wire aliases and Python names."""
        found = _WIRE_NAMES.get(cls)
        if found is None:
            names = set(cls.model_fields)
            names.update(f.alias for f in cls.model_fields.values() if f.alias)
            found = _WIRE_NAMES[cls] = frozenset(names)
        return found


def _wire_models(annotation: Any) -> Iterator[type[WireModel]]:
    """The wire model classes an annotation holds at any depth (in unions, lists, dicts, Annotated)."""
    if isinstance(annotation, type) and issubclass(annotation, WireModel):
        yield annotation
    for arg in typing.get_args(annotation):
        yield from _wire_models(arg)


@functools.cache
def reachable_models(cls: type[WireModel]) -> frozenset[type[WireModel]]:
    """``cls`` and every wire model its fields hold, at any depth."""
    seen, todo = {cls}, [cls]
    while todo:
        for info in todo.pop().model_fields.values():
            for inner in _wire_models(info.annotation):
                if inner not in seen:
                    seen.add(inner)
                    todo.append(inner)
    return frozenset(seen)


@functools.cache
def _reaches_nullable(cls: type[WireModel]) -> bool:
    """Whether ``cls`` or a model nested in its fields has a nullable field (one spec schema has, so
    :meth:`WireModel.to_wire` walks the dumped data only for the few bodies that can hold one)."""
    return any(m.__nullable__ for m in reachable_models(cls))


@functools.cache
def _list_adapter(cls: type[WireModel]) -> TypeAdapter[list[Any]]:
    return TypeAdapter(list[cls])  # type: ignore[valid-type]


def _restore_nulls(value: Any, data: Any) -> None:
    """Put back into ``data`` (``value`` dumped with ``exclude_none``) the nulls set in nullable fields."""
    if isinstance(value, WireModel) and isinstance(data, dict):
        for name in value.model_fields_set:
            info = type(value).model_fields[name]
            key = info.alias or name
            inner = getattr(value, name)
            if inner is None and name in value.__nullable__:
                data[key] = None
            elif key in data:
                _restore_nulls(inner, data[key])
    elif isinstance(value, list) and isinstance(data, list) and len(value) == len(data):
        for item, dumped in zip(value, data, strict=True):
            _restore_nulls(item, dumped)
    elif isinstance(value, dict) and isinstance(data, dict):
        for key, item in value.items():
            if key in data:
                _restore_nulls(item, data[key])


class ResponseModel(WireModel):
    """A body the API sends: unknown fields are ignored, since the live API adds fields over time."""

    model_config = ConfigDict(extra="ignore")


class RequestModel(WireModel):
    """A body a client sends: an unknown field is an error that names it, so typos never pass silently."""

    model_config = ConfigDict(extra="forbid")


class SharedModel(WireModel):
    """A part used in requests and responses (cart items, costs): unknown fields are ignored when
    parsing a response and rejected when a request is parsed with :meth:`WireModel.from_wire`."""

    model_config = ConfigDict(extra="ignore")

    #: True on the classes :func:`strict_twin` makes: they refuse unknown fields natively (``extra="forbid"``).
    __strict_twin__: ClassVar[bool] = False

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        """The model's schema behind a check of unknown fields under :data:`STRICT_CONTEXT` (a Python call per
        object; a strict twin refuses them without one)."""
        schema = handler(source)
        if cls.__dict__.get("__strict_twin__"):
            return schema
        return core_schema.with_info_before_validator_function(cls._reject_unknown_in_requests, schema)

    @classmethod
    def _reject_unknown_in_requests(cls, data: Any, info: ValidationInfo) -> Any:
        if isinstance(data, dict) and info.context and info.context.get("talon_reject_unknown"):
            unknown = sorted(set(data) - cls.wire_names())
            if unknown:
                raise ValueError(
                    f"unknown field(s) {', '.join(map(repr, unknown))} for {cls.__name__}; "
                    f"known fields: {', '.join(sorted(f.alias or n for n, f in cls.model_fields.items()))}"
                )
        return data


_W = typing.TypeVar("_W", bound=WireModel)


def strict_twin(cls: type[_W]) -> type[_W]:
    """A subclass of ``cls`` that validates as ``cls`` under :data:`STRICT_CONTEXT` does, without calling Python:
    the shared models it reaches are replaced by subclasses with ``extra="forbid"``. ``cls`` itself when it reaches
    no shared model. Its instances are instances of ``cls`` and dump the same; the fake reads request bodies with
    it (behind a shared model's Python check, pydantic's strict mode refuses RFC 3339 strings for datetimes)."""
    return typing.cast(type[_W], _twin(cls))


@functools.cache
def _twin(cls: type[WireModel]) -> type[WireModel]:
    reached = reachable_models(cls)
    if not any(issubclass(m, SharedModel) for m in reached):
        return cls
    annotations: dict[str, Any] = {}
    namespace: dict[str, Any] = {"__module__": cls.__module__, "__qualname__": cls.__qualname__}
    for name, info in cls.model_fields.items():
        swapped = _swap_models(info.annotation, _twin)
        if swapped is not info.annotation:
            annotations[name] = swapped
            namespace[name] = copy.copy(info)
    namespace["__annotations__"] = annotations
    if issubclass(cls, SharedModel):
        namespace["model_config"] = ConfigDict(extra="forbid")
        namespace["__strict_twin__"] = True
    twin: type[WireModel] = type(cls.__name__, (cls,), namespace)
    if not twin.__pydantic_complete__:  # pragma: no cover - the models' names resolve from their package
        twin.model_rebuild(_types_namespace=dict(vars(sys.modules["pytest_talon.models"])))
    return twin


def _swap_models(annotation: Any, replace: Callable[[type[WireModel]], Any]) -> Any:
    """``annotation`` with each wire model in it replaced by ``replace(model)`` (the same object when none is)."""
    if isinstance(annotation, type) and issubclass(annotation, WireModel):
        return replace(annotation)
    args = typing.get_args(annotation)
    if not args:
        return annotation
    swapped = tuple(_swap_models(a, replace) if not isinstance(a, (str, int, float, bool)) else a for a in args)
    if all(new is old for new, old in zip(swapped, args, strict=True)):
        return annotation
    origin = typing.get_origin(annotation)
    if origin is types.UnionType:
        return functools.reduce(operator.or_, swapped)
    if origin is typing.Union:
        return typing.Union[swapped]  # noqa: UP007 - a Union rebuilt from its members
    if origin is typing.Annotated:
        return typing.Annotated[swapped]
    return origin[swapped if len(swapped) > 1 else swapped[0]]


class EffectPropsModel(ResponseModel):
    """Base of the typed ``props`` of one effect type."""


#: The type of :attr:`Effect.props`: a typed props model for known effect types, raw props otherwise.
#: ``SerializeAsAny`` dumps a props model with its own type's fields, in pydantic-core (no Python call).
EffectPropsValue: TypeAlias = SerializeAsAny[EffectPropsModel] | dict[str, Any]
