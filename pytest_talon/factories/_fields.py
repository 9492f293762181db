"""Field declarations for factory classes: how one field gets its value when the caller does not override it.

A factory class names the fields that matter as class attributes (``sku = Use(lambda g, d: g.talon.sku())``);
every other required field is generated from its type and every other optional field is left unset.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final

from pytest_talon.factories._context import GenContext

if TYPE_CHECKING:
    from pytest_talon.factories._core import Factory

__all__ = ["UNSET", "Batch", "Declaration", "Draft", "Sub", "Use"]

#: The values built so far for one model (Python field names) plus the factory's parameters.
Draft = dict[str, Any]


class _Unset:
    """Type of :data:`UNSET`."""

    _instance: _Unset | None = None

    def __new__(cls) -> _Unset:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNSET"


#: Returned by a provider to leave the field out of the body.
UNSET: Final = _Unset()


class Declaration:
    """Base of the field declarations: produces a value (or :data:`UNSET`) for one field."""

    #: Probability that the field is set at all (optional fields: a sensible subset keeps bodies small).
    p: float = 1.0

    def generate(self, ctx: GenContext, draft: Draft, nested: Mapping[str, Any] | None) -> Any:
        """Return the value for the field; ``nested`` holds partial overrides for a nested model."""
        raise NotImplementedError

    def include(self, ctx: GenContext) -> bool:
        """Draw whether the field is set this time."""
        return self.p >= 1.0 or ctx.random.random() < self.p


class Use(Declaration):
    """A field computed by ``fn(ctx, draft)``; ``p`` is the probability the field is set at all."""

    def __init__(self, fn: Callable[[GenContext, Draft], Any], *, p: float = 1.0) -> None:
        self.fn = fn
        self.p = p

    def generate(self, ctx: GenContext, draft: Draft, nested: Mapping[str, Any] | None) -> Any:
        """Call the function (the factory refuses nested overrides for such fields before calling it)."""
        return self.fn(ctx, draft)


class Sub(Declaration):
    """A nested model built by ``factory`` with fixed ``overrides`` (the caller's nested overrides win).

    ``forward`` names parameters of the outer factory passed on to ``factory`` when they are set.
    """

    def __init__(
        self, factory: type[Factory[Any]], *, p: float = 1.0, forward: Sequence[str] = (), **overrides: Any
    ) -> None:
        self.factory = factory
        self.overrides = overrides
        self.forward = tuple(forward)
        self.p = p

    def generate(self, ctx: GenContext, draft: Draft, nested: Mapping[str, Any] | None) -> Any:
        """Build one nested model."""
        params = {name: draft[name] for name in self.forward if draft.get(name) is not None}
        return self.factory._build(ctx, {**self.overrides, **params, **(nested or {})})


class Batch(Declaration):
    """A list of ``low`` to ``high`` nested models built by ``factory``; nested overrides apply to each item."""

    def __init__(
        self, factory: type[Factory[Any]], low: int = 1, high: int = 3, *, p: float = 1.0, **overrides: Any
    ) -> None:
        self.factory = factory
        self.low = low
        self.high = high
        self.overrides = overrides
        self.p = p

    def generate(self, ctx: GenContext, draft: Draft, nested: Mapping[str, Any] | None) -> Any:
        """Build the list."""
        overrides = {**self.overrides, **(nested or {})}
        count = ctx.random.randint(self.low, self.high)
        return [self.factory._build(ctx, overrides) for _ in range(count)]
