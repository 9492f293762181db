"""``python -m pytest_talon.fake``: the ``talon-fake`` command (:mod:`pytest_talon._console`)."""

from __future__ import annotations

from pytest_talon._console import main

__all__ = ["main"]

if __name__ == "__main__":
    raise SystemExit(main())
