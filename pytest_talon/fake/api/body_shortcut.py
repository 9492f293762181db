"""The body reader's shortcut, a speed device: the common request body validated by pydantic straight from its
bytes, instead of :func:`~pytest_talon.fake.api.bodies.read_body`'s walk (parse with number hooks, strip unknown
fields, write again, validate). It cuts 11% to 13% of ``talon-fake serve``'s CPU per request (P3's scenario,
``python -m bench.bench_devices``; bench/README.md).

The shortcut reads a body exactly as the walk would, or declines: a body with an unknown field, a value Go refuses
(``NaN``, ``Infinity``, numbers beyond int64 or float64) or any other problem goes the long way, which names the
problem or lists the ignored fields.
"""

from __future__ import annotations

import functools
import re

import pydantic

from pytest_talon import models
from pytest_talon.models._base import reachable_models, strict_twin

__all__ = ["validated"]

#: Every byte to a blank except digits (to ``0``), exponents (to ``e``) and signs (to ``+``): the translated body
#: shows number shapes the shortcut cannot take - 19 digits in a row (beyond int64, or more precision than
#: float64 keeps) and three-digit exponents (beyond float64) - whether in a number or in a string.
_SHAPES = bytes(
    ord("0") if chr(b).isdigit() and b < 128 else ord("e") if b in b"eE" else ord("+") if b in b"+-" else ord(" ")
    for b in range(256)
)
_SUSPECT_SHAPES = (b"0" * 19, b"e000", b"e+000")
#: Of those, the ones that can be a JSON number (after ``:``, ``,``, ``[`` or a blank; not inside a UUID or an SKU).
_SUSPECT_NUMBER = re.compile(rb"(?:^|[:,\[\s])-?(?:[0-9]{19}|[0-9]+(?:\.[0-9]+)?[eE][-+]?[0-9]{3})")


def validated(content: bytes, model_cls: type[models.WireModel]) -> models.WireModel | None:
    """``content`` validated as ``model_cls`` when it is a valid body without unknown fields or numbers Go refuses;
    None sends it the long way."""
    if not exact_for(model_cls) or b"NaN" in content or b"Infinity" in content:
        return None
    shapes = content.translate(_SHAPES)
    if any(shape in shapes for shape in _SUSPECT_SHAPES) and _SUSPECT_NUMBER.search(content) is not None:
        return None
    try:
        return strict_twin(model_cls).__pydantic_validator__.validate_json(content, strict=True)  # type: ignore[no-any-return]
    except pydantic.ValidationError:
        return None


@functools.cache
def exact_for(model_cls: type[models.WireModel]) -> bool:
    """Whether validating with unknown fields refused finds every unknown field the long way would list: true when
    each model reachable from ``model_cls``'s :func:`~pytest_talon.models._base.strict_twin` refuses unknown fields
    (request models, the twins of shared ones) or takes any key."""
    return all(cls.model_config.get("extra") in ("forbid", "allow") for cls in reachable_models(strict_twin(model_cls)))
