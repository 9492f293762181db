"""The ``talon-fake`` console script and ``python -m pytest_talon.fake``.

The allocator is chosen here, before the fake is imported: ``talon-fake serve`` re-executes itself under the C
allocator (:mod:`pytest_talon._memory`), and importing the fake first would pay for that import twice (0.5 s of a
start of about 0.5 s). The console script imports nothing else first; ``python -m pytest_talon.fake`` has already
imported the fake package when this runs, so it starts slower than ``talon-fake``.
"""

from __future__ import annotations

import sys

__all__ = ["main"]

#: The commands that run a long-lived server whose resets give memory back.
_SERVERS = ("serve",)


def main() -> int:
    """Run ``talon-fake``: ``serve`` under the C allocator, then every command as :func:`pytest_talon.fake.cli.main`."""
    if sys.argv[1:2] and sys.argv[1] in _SERVERS:
        from pytest_talon._memory import use_system_allocator

        use_system_allocator()
    from pytest_talon.fake.cli import main as cli_main

    return cli_main()
