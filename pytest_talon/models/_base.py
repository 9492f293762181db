"""Base classes shared by every wire model: aliases, extra-field policy and wire helpers."""

from __future__ import annotations

import json
from typing import Annotated, Any, ClassVar, TypeAlias

from pydantic import (
    BaseModel,
    ConfigDict,
    PlainSerializer,
    SerializationInfo,
    SerializerFunctionWrapHandler,
    ValidationInfo,
    model_serializer,
    model_validator,
)
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

#: Serialization context key of :meth:`WireModel.to_wire`: a ``None`` reaches the wire only in a nullable field.
WIRE_CONTEXT = {"talon_wire": True}

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
        data: dict[str, Any] = self.model_dump(mode="json", by_alias=True, exclude_unset=True, context=WIRE_CONTEXT)
        return data

    @model_serializer(mode="wrap")
    def _wire_nulls(self, handler: SerializerFunctionWrapHandler, info: SerializationInfo) -> Any:
        data = handler(self)
        if isinstance(data, dict) and info.context and info.context.get("talon_wire"):
            return {key: value for key, value in data.items() if value is not None or key in self.__nullable__}
        return data

    def to_json(self) -> str:
        """Return :meth:`to_wire` as a compact JSON string."""
        return json.dumps(self.to_wire(), separators=(",", ":"))

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

    @model_validator(mode="before")
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


class EffectPropsModel(ResponseModel):
    """Base of the typed ``props`` of one effect type."""


def _serialize_props(value: EffectPropsModel | dict[str, Any], info: SerializationInfo) -> Any:
    if isinstance(value, EffectPropsModel):
        return value.model_dump(
            mode=info.mode,
            by_alias=bool(info.by_alias),
            exclude_unset=info.exclude_unset,
            exclude_none=info.exclude_none,
            context=info.context,
        )
    return value


#: The type of :attr:`Effect.props`: a typed props model for known effect types, raw props otherwise.
EffectPropsValue: TypeAlias = Annotated[EffectPropsModel | dict[str, Any], PlainSerializer(_serialize_props)]
