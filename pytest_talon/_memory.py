"""Giving memory back to the system after ``POST /_fake/reset`` in ``talon-fake serve`` (a memory device).

CPython's small-object allocator (pymalloc) returns a 1 MiB arena only when every object in it is gone; after a
fill and a reset, the few objects that outlive the fill (the restored state's containers, caches of the last
requests) sit in most of the arenas the fill took, and the process keeps them all (64 MiB after 5,000 sessions and
a reset, against 53 MiB before). With the C allocator (``PYTHONMALLOC=malloc``) the freed memory can go back:
:func:`release` trims the heap after a reset (glibc's ``malloc_trim``), and RSS returns to within a few percent of
its start. Requests per second are the same with either allocator (bench/README.md, "Memory devices").

:func:`use_system_allocator` re-executes the process with ``PYTHONMALLOC=malloc`` (the same PID, arguments and
pipes) when it was not set; only the ``talon-fake`` entry point calls it, never code running inside another
program. ``TALON_FAKE_PYMALLOC=1`` keeps pymalloc.
"""

from __future__ import annotations

import ctypes
import functools
import gc
import os
import sys
from typing import Any

__all__ = ["release", "use_system_allocator"]


def use_system_allocator() -> None:
    """Re-execute this process under the C allocator (Linux with glibc only; a no-op elsewhere, when already done,
    or with ``TALON_FAKE_PYMALLOC=1``)."""
    if "PYTHONMALLOC" in os.environ or os.environ.get("TALON_FAKE_PYMALLOC") == "1" or _trim() is None:
        return
    argv = getattr(sys, "orig_argv", None)
    if not argv:
        return
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(sys.executable, [sys.executable, *argv[1:]], {**os.environ, "PYTHONMALLOC": "malloc"})


def release() -> None:
    """Hand the C heap's free memory back to the system, in a process running under the C allocator (glibc only;
    elsewhere, and under pymalloc, a no-op: a trim could not return pymalloc's arenas)."""
    trim = _trim()
    if trim is not None and os.environ.get("PYTHONMALLOC") == "malloc":
        gc.collect()  # the cycles of the old state first: what is still held cannot go back
        trim(0)


@functools.cache
def _trim() -> Any:
    """glibc's ``malloc_trim``, or None where there is none."""
    if not sys.platform.startswith("linux"):
        return None
    try:  # the symbols the process already has: glibc's, with no search for the library (find_library forks)
        return getattr(ctypes.CDLL(None), "malloc_trim", None)
    except OSError:
        return None
