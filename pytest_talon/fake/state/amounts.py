"""Amounts (money and loyalty points) as exact Decimals: :func:`dec` converts a JSON number at the boundary.

The engine re-exports :func:`dec` with its rounding rules (:mod:`pytest_talon.fake.engine.context`).
"""

from __future__ import annotations

from decimal import Decimal

__all__ = ["ZERO", "dec"]


def dec(value: float | int | str | Decimal | None) -> Decimal:
    """An amount as an exact Decimal: a float by its shortest text (26.75 -> ``Decimal("26.75")``), None as 0."""
    if value is None:
        return ZERO
    if isinstance(value, Decimal):
        return value
    return Decimal(str(value))


#: Zero as an amount (Decimal is immutable: one object serves everywhere).
ZERO = Decimal(0)
