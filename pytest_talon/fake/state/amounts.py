"""Amounts (money and loyalty points) as exact Decimals: :func:`dec` converts a JSON number at the boundary.

The engine re-exports :func:`dec` with its rounding rules (:mod:`pytest_talon.fake.engine.context`).
"""

from __future__ import annotations

from decimal import Decimal

__all__ = ["ZERO", "dec"]


def dec(value: float | int | str | Decimal | None) -> Decimal:
    """An amount as an exact Decimal: a float by its shortest text (26.75 -> ``Decimal("26.75")``), None as 0."""
    if type(value) is float:  # prices repeat: converted once (Decimal is immutable)
        found = _FLOATS.get(value)
        if found is not None:
            return found
        found = Decimal(str(value))
        if value and value == value:
            if len(_FLOATS) >= _FLOATS_MAX:
                _FLOATS.clear()
            _FLOATS[value] = found
        return found
    if value is None:
        return ZERO
    if isinstance(value, Decimal):
        return value
    return Decimal(str(value))


#: Zero as an amount (Decimal is immutable: one object serves everywhere).
ZERO = Decimal(0)
#: Floats already converted by :func:`dec` (bounded: cleared when full). Zeros (0.0 and -0.0 are equal keys but
#: different Decimals) and NaN (never equal to itself) are converted each time.
_FLOATS: dict[float, Decimal] = {}
_FLOATS_MAX = 4096
