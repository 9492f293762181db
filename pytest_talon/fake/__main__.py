"""``python -m pytest_talon.fake`` and the ``talon-fake`` console script: see :mod:`pytest_talon.fake.cli`."""

from __future__ import annotations

from pytest_talon.fake.cli import main

__all__ = ["main"]

if __name__ == "__main__":
    raise SystemExit(main())
