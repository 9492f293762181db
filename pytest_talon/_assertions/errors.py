"""The exceptions raised by the assertion helpers, and the verbosity setting that shapes their messages."""

from __future__ import annotations

from pytest_talon.errors import TalonError

__all__ = ["AssertionUsageError", "TalonAssertionError", "get_verbosity", "set_verbosity"]


class TalonAssertionError(TalonError, AssertionError):
    """A Talon.One response did not match what the test expected."""

    __module__ = "pytest_talon.assertions"


class AssertionUsageError(TalonAssertionError, ValueError):
    """An assertion helper was called wrongly: an unknown effect type, field, state or rejection reason."""

    __module__ = "pytest_talon.assertions"


# Read when a message is built. The plugin sets it from pytest's -v count at configure time and restores the
# previous value at unconfigure; without the plugin, messages are truncated (level 0).
_verbosity = 0


def set_verbosity(level: int) -> int:
    """Set how much failure messages show (2 or more = ``-vv``: no truncation); returns the previous level."""
    global _verbosity
    previous, _verbosity = _verbosity, int(level)
    return previous


def get_verbosity() -> int:
    """The current verbosity level of failure messages (see :func:`set_verbosity`)."""
    return _verbosity
