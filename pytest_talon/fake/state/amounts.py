"""Amounts (money and loyalty points) as exact Decimals: :func:`dec` converts a JSON number at the boundary.

The engine re-exports :func:`dec` with its rounding rules (:mod:`pytest_talon.fake.engine.context`).
"""

from __future__ import annotations

from decimal import Decimal

__all__ = ["dec"]


def dec(value: float | int | str | Decimal | None) -> Decimal:
    """An amount as an exact Decimal: a float by its shortest text (26.75 -> ``Decimal("26.75")``), None as 0."""
    if value is None:
        return Decimal(0)
    if isinstance(value, Decimal):
        return value
    if type(value) is float and value and value == value:  # prices repeat: converted once (Decimal is immutable)
        found = _FLOATS.get(value)
        if found is None:
            if len(_FLOATS) >= _FLOATS_MAX:
                _FLOATS.clear()
            found = _FLOATS[value] = Decimal(str(value))
        return found
    return Decimal(str(value))


#: Floats already converted by :func:`dec` (bounded: cleared when full). Zeros (0.0 and -0.0 are equal keys but
#: different Decimals) and NaN (never equal to itself) are converted each time.
_FLOATS: dict[float, Decimal] = {}
_FLOATS_MAX = 4096
