"""The factory machinery: declarations, overrides (nested and ``a__b``), traits, validation and the registry.

Settings are dunder class attributes (``__model__``, ``__traits__``, ``__params__``, ``__sdk_model__``,
``__register__``) so they never clash with field names; every other class attribute named after a model field
declares how that field is generated.
"""

from __future__ import annotations

import difflib
import importlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Generic, TypeVar

from pydantic import ValidationError

from pytest_talon.factories._context import GenContext, current_context
from pytest_talon.factories._errors import FactoryError
from pytest_talon.factories._fields import UNSET, Declaration, Draft, Use
from pytest_talon.factories._typegen import FieldShape, Generator, compile_type, field_shape
from pytest_talon.models import MODELS_BY_SCHEMA, WireModel

__all__ = ["FACTORIES", "Factory", "Params", "Traits", "factory_for", "sdk_model", "sdk_parse"]

M = TypeVar("M", bound=WireModel)

#: ``__traits__``: trait name -> overrides (values may be declarations such as ``Use``).
Traits = Mapping[str, Mapping[str, Any]]
#: ``__params__``: build-time parameter name -> default.
Params = Mapping[str, Any]

#: The default factory of each model, filled as factory classes are defined.
FACTORIES: dict[type[WireModel], type[Factory[Any]]] = {}

_RESERVED = frozenset({"traits"})


def factory_for(model: type[WireModel] | str) -> type[Factory[Any]]:
    """Return the default factory of a model class or spec schema name."""
    importlib.import_module("pytest_talon.factories")
    cls = MODELS_BY_SCHEMA.get(model) if isinstance(model, str) else model
    if cls is None or cls not in FACTORIES:
        raise FactoryError(f"no factory is registered for {model!r}; declare one with __model__ = {model!r}")
    return FACTORIES[cls]


def sdk_model(name: str, factory_name: str) -> Any:
    """Return ``talon_one.models.<name>``, with a clear error when the SDK is missing or lacks the class."""
    try:
        sdk_models = importlib.import_module("talon_one.models")
    except ImportError as exc:
        raise FactoryError(
            f"{factory_name}.build_sdk() needs the official SDK: pip install talon-one-sdk ({exc})"
        ) from exc
    sdk_class = getattr(sdk_models, name, None)
    if sdk_class is None:
        raise FactoryError(f"talon_one.models has no {name!r}; use {factory_name}.build_dict() instead")
    return sdk_class


def sdk_parse(sdk_class: Any, wire: dict[str, Any]) -> Any:
    """Parse ``wire`` with an SDK model class; its validation errors become :class:`FactoryError`."""
    try:
        return sdk_class.from_dict(wire)
    except ValidationError as exc:
        raise FactoryError(
            f"talon_one.models.{sdk_class.__name__} rejected a spec-valid body (this SDK version models the schema "
            f"differently); use build_dict() instead: {exc}"
        ) from exc


def _suggest(word: str, candidates: Iterable[str], canonical: Mapping[str, str] | None = None) -> str:
    """Return `` (did you mean 'x'?)`` for the closest candidate (mapped through ``canonical``), or ""."""
    match = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.5)
    if not match:
        return ""
    return f" (did you mean {(canonical or {}).get(match[0], match[0])!r}?)"


@dataclass
class _Step:
    """How one model field is produced when the caller does not override it."""

    name: str
    shape: FieldShape
    required: bool
    declaration: Declaration | None
    auto: Generator | None


@dataclass
class _Overrides:
    """Caller overrides after normalisation: whole values, partial nested overrides, declarations, params."""

    values: dict[str, Any] = field(default_factory=dict)
    nested: dict[str, dict[str, Any]] = field(default_factory=dict)
    declarations: dict[str, Declaration] = field(default_factory=dict)
    params: dict[str, Any] = field(default_factory=dict)


def _constant(value: Any) -> Use:
    """A declaration that always gives ``value`` (plain class attributes such as ``state = "open"``)."""
    return Use(lambda ctx, draft: value)


def _build_nested(model: type[WireModel], ctx: GenContext) -> Any:
    return factory_for(model)._build(ctx, {})


class Factory(Generic[M]):
    """Base of every factory: ``build``, ``build_batch``, ``build_dict``, ``build_json`` and ``build_sdk``."""

    __model__: type[M]
    #: Named shapes: trait name -> overrides (values may be declarations such as ``Use``).
    __traits__: ClassVar[Traits] = {}
    #: Build-time parameters that are not model fields: name -> default (providers read them from the draft).
    __params__: ClassVar[Params] = {}
    #: Name of the ``talon_one.models`` class ``build_sdk`` returns (default: the model's class name).
    __sdk_model__: ClassVar[str | None] = None
    #: Whether a class that sets ``__model__`` becomes the model's default factory (used for nested models
    #: without a declaration). Subclasses that inherit ``__model__`` are variants and never registered.
    __register__: ClassVar[bool] = True

    __steps__: ClassVar[tuple[_Step, ...]] = ()
    #: The steps that can produce a value without overrides (a declaration or an automatic generator).
    __active_steps__: ClassVar[tuple[_Step, ...]] = ()
    __names__: ClassVar[dict[str, str]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        model = getattr(cls, "__model__", None)
        if model is None:
            return
        cls.__names__ = cls._name_table(model)
        cls.__steps__ = cls._plan(model)
        cls.__active_steps__ = tuple(s for s in cls.__steps__ if s.declaration is not None or s.auto is not None)
        if "__model__" in cls.__dict__ and cls.__dict__.get("__register__", True):
            FACTORIES[model] = cls

    @classmethod
    def _name_table(cls, model: type[WireModel]) -> dict[str, str]:
        names = {name: name for name in model.model_fields}
        names.update({f.alias: name for name, f in model.model_fields.items() if f.alias})
        clash = (_RESERVED | set(cls.__params__)) & set(names)
        if clash:
            raise TypeError(f"{cls.__name__}: {sorted(clash)} are both model fields and factory keywords")
        return names

    @classmethod
    def _declarations(cls, model: type[WireModel]) -> dict[str, Declaration]:
        found: dict[str, Declaration] = {}
        for klass in reversed(cls.__mro__):
            for name, value in vars(klass).items():
                if name in model.model_fields:
                    found[name] = value if isinstance(value, Declaration) else _constant(value)
                elif isinstance(value, Declaration):
                    hint = _suggest(name, model.model_fields)
                    raise TypeError(f"{cls.__name__} declares {name!r}, which is not a field of {model.__name__}{hint}")
        return found

    @classmethod
    def _plan(cls, model: type[WireModel]) -> tuple[_Step, ...]:
        declared = cls._declarations(model)
        order = list(declared) + [name for name in model.model_fields if name not in declared]
        steps = []
        for name in order:
            info = model.model_fields[name]
            auto = None
            if info.is_required():
                auto = compile_type(info.annotation, _build_nested, f"{model.__name__}.{name}", info.metadata)
            steps.append(_Step(name, field_shape(info), info.is_required(), declared.get(name), auto))
        return tuple(steps)

    # -- public API ---------------------------------------------------------------------------------------

    @classmethod
    def build(cls, **overrides: Any) -> M:
        """Build one model; keyword arguments override fields (``a=...``, ``a__b=...``), ``traits=[...]``."""
        return cls._build(current_context(), overrides)

    @classmethod
    def build_batch(cls, size: int, **overrides: Any) -> list[M]:
        """Build ``size`` models with the same overrides."""
        ctx = current_context()
        return [cls._build(ctx, overrides) for _ in range(size)]

    @classmethod
    def build_dict(cls, **overrides: Any) -> dict[str, Any]:
        """Build one model and return its wire form (camelCase keys, unset fields left out)."""
        return cls.build(**overrides).to_wire()

    @classmethod
    def build_json(cls, **overrides: Any) -> str:
        """Build one model and return its wire form as compact JSON."""
        return cls.build(**overrides).to_json()

    @classmethod
    def build_sdk(cls, **overrides: Any) -> Any:
        """Build one model and return it as the official ``talon_one.models`` instance of the same name."""
        return sdk_parse(cls.sdk_class(), cls._sdk_data(cls.build(**overrides).to_wire()))

    @classmethod
    def sdk_class(cls) -> Any:
        """Return the ``talon_one.models`` class :meth:`build_sdk` produces."""
        return sdk_model(cls.__sdk_model__ or cls.__model__.__name__, cls.__name__)

    @classmethod
    def trait_names(cls) -> list[str]:
        """Return the names accepted by ``traits=[...]``."""
        return sorted(cls.__traits__)

    # -- machinery ----------------------------------------------------------------------------------------

    @classmethod
    def _sdk_data(cls, wire: dict[str, Any]) -> dict[str, Any]:
        return wire

    @classmethod
    def _build(cls, ctx: GenContext, raw: Mapping[str, Any]) -> M:
        overrides = cls._normalize(raw)
        draft: Draft = {**cls.__params__, **overrides.params}
        values = {name: cls._resolve(ctx, name, value) for name, value in overrides.values.items()}
        draft.update(values)
        # Without nested overrides or declarations, a step with neither declaration nor generator gives nothing.
        steps = cls.__steps__ if overrides.nested or overrides.declarations else cls.__active_steps__
        for step in steps:
            if step.name not in values:
                value = cls._generate(ctx, step, overrides, draft)
                if value is not UNSET:
                    values[step.name] = draft[step.name] = value
        return cls._validate(values)

    @classmethod
    def _generate(cls, ctx: GenContext, step: _Step, overrides: _Overrides, draft: Draft) -> Any:
        declaration = overrides.declarations.get(step.name, step.declaration)
        nested = overrides.nested.get(step.name)
        if nested is not None and isinstance(declaration, Use):
            raise FactoryError(
                f"{cls.__model__.__name__}.{step.name} is computed by a custom provider in {cls.__name__}, so the "
                f"nested overrides {sorted(nested)} cannot reach it; pass the whole value ({step.name}=...)"
            )
        if declaration is not None:
            if nested is None and not declaration.include(ctx):
                return UNSET
            return declaration.generate(ctx, draft, nested)
        if nested is not None:
            factory = factory_for(step.shape.model)  # type: ignore[arg-type]
            if step.shape.kind == "model_list":
                return [factory._build(ctx, nested) for _ in range(ctx.random.randint(1, 3))]
            return factory._build(ctx, nested)
        return step.auto(ctx) if step.auto is not None else UNSET

    @classmethod
    def _resolve(cls, ctx: GenContext, name: str, value: Any) -> Any:
        shape = next(step.shape for step in cls.__steps__ if step.name == name)
        if shape.model is None:
            return value
        if shape.kind == "model_list" and isinstance(value, list):
            return [factory_for(shape.model)._build(ctx, v) if isinstance(v, dict) else v for v in value]
        if shape.kind == "model_map" and isinstance(value, dict):
            return {k: factory_for(shape.model)._build(ctx, v) if isinstance(v, dict) else v for k, v in value.items()}
        return value

    @classmethod
    def _validate(cls, values: dict[str, Any]) -> M:
        try:
            return cls.__model__.model_validate(values)
        except ValidationError as exc:
            raise FactoryError(
                f"{cls.__name__} built an invalid {cls.__model__.__name__}: {exc}\n"
                "Overrides must satisfy the model; for a deliberately invalid body, edit the dict from build_dict()."
            ) from exc

    @classmethod
    def _normalize(cls, raw: Mapping[str, Any]) -> _Overrides:
        trait_names = raw.get("traits", ())
        result = _Overrides()
        for trait in [trait_names] if isinstance(trait_names, str) else trait_names:
            cls._absorb(result, cls._trait(trait))
        cls._absorb(result, {k: v for k, v in raw.items() if k != "traits"})
        return result

    @classmethod
    def _trait(cls, name: str) -> Mapping[str, Any]:
        if name not in cls.__traits__:
            hint = _suggest(name, cls.__traits__)
            available = ", ".join(cls.trait_names()) or "none"
            raise FactoryError(f"{cls.__name__} has no trait {name!r}{hint}; available traits: {available}")
        return cls.__traits__[name]

    @classmethod
    def _absorb(cls, result: _Overrides, raw: Mapping[str, Any]) -> None:
        """Sort overrides into whole values, nested partial overrides, declarations and params (later wins)."""
        for key, value in raw.items():
            name, rest = cls._split(key)
            if name in cls.__params__:
                result.params[name] = value
            elif rest == "traits":
                nested = cls._nested(result, name)
                nested["traits"] = [*nested.get("traits", ()), *([value] if isinstance(value, str) else value)]
            elif rest:
                cls._nested(result, name)[rest] = value
            elif isinstance(value, Declaration):
                cls._drop(result, name)
                result.declarations[name] = value
            elif isinstance(value, dict) and cls._shape(name).kind == "model":
                cls._nested(result, name).update(value)
            else:
                cls._drop(result, name)
                result.values[name] = value

    @classmethod
    def _nested(cls, result: _Overrides, name: str) -> dict[str, Any]:
        if cls._shape(name).kind not in ("model", "model_list"):
            raise FactoryError(
                f"{cls.__model__.__name__}.{name} is not a nested model; 'a__b' overrides need one "
                f"(pass {name}=... instead)"
            )
        result.values.pop(name, None)
        result.declarations.pop(name, None)
        return result.nested.setdefault(name, {})

    @staticmethod
    def _drop(result: _Overrides, name: str) -> None:
        result.values.pop(name, None)
        result.nested.pop(name, None)
        result.declarations.pop(name, None)

    @classmethod
    def _shape(cls, name: str) -> FieldShape:
        return next(step.shape for step in cls.__steps__ if step.name == name)

    @classmethod
    def _split(cls, key: str) -> tuple[str, str]:
        """Resolve ``key`` (a field, alias, param or ``field__rest``) to ``(python_name, rest)``."""
        if key in cls.__names__:
            return cls.__names__[key], ""
        if key in cls.__params__:
            return key, ""
        for known in sorted(cls.__names__, key=len, reverse=True):
            if key.startswith(known + "__"):
                return cls.__names__[known], key[len(known) + 2 :]
        known_names = sorted(set(cls.__names__.values()) | set(cls.__params__))
        hint = _suggest(key.partition("__")[0], [*cls.__names__, *cls.__params__], cls.__names__)
        raise FactoryError(
            f"{cls.__model__.__name__} has no field {key!r}{hint}; {cls.__name__} accepts: {', '.join(known_names)}"
        )
