"""``python -m pytest_talon.fake`` and the ``talon-fake`` console script: see :mod:`pytest_talon.fake.cli`."""

from __future__ import annotations

import sys

from pytest_talon.fake.cli import main as _cli_main
from pytest_talon.fake.http.memory import use_system_allocator

__all__ = ["main"]


def main() -> int:
    """The ``talon-fake`` process: ``serve`` runs under the C allocator so that a reset gives its memory back
    (:mod:`pytest_talon.fake.http.memory`); every command then runs as :func:`pytest_talon.fake.cli.main`."""
    if not any(a in ("import", "proxy", "schema", "-h", "--help") for a in sys.argv[1:2]):
        use_system_allocator()
    return _cli_main()


if __name__ == "__main__":
    raise SystemExit(main())
