"""Running a server as a console process, shared by ``talon-fake serve`` and ``talon-fake proxy``: the exit codes,
the campaigns-file check, the request log line, and serving until SIGINT or SIGTERM."""

from __future__ import annotations

import gc
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import TextIO

import yaml

from pytest_talon.errors import TalonError
from pytest_talon.fake.core import FakeTalon
from pytest_talon.fake.http.server import FakeServerError, LoopbackServer, ServedRequest

__all__ = ["EXIT_BAD_INPUT", "EXIT_CANNOT_LISTEN", "load_campaigns_file", "request_logger", "run_until_stopped"]

#: Exit code for bad command-line arguments or a campaigns file that cannot be loaded.
EXIT_BAD_INPUT = 2
#: Exit code when the server cannot listen on the requested address.
EXIT_CANNOT_LISTEN = 1
#: Seconds a signal leaves answers in progress before the process exits (it must end within a second).
_STOP_TIMEOUT = 0.5


def run_until_stopped(server: LoopbackServer, announce: Callable[[], None], *, err: TextIO) -> int:
    """Start ``server``, ``announce`` it, serve until SIGINT or SIGTERM and stop it; the exit code (0, or
    :data:`EXIT_CANNOT_LISTEN` when it cannot start, reported on ``err``). Meant for a process that ends next: once
    stopped, the objects left are frozen (:func:`gc.freeze`) so the interpreter's exit does not walk them."""
    with _stop_on_signals() as wait_for_signal:
        try:
            server.start()
        except FakeServerError as exc:
            print(f"talon-fake: error: {exc}", file=err, flush=True)
            return EXIT_CANNOT_LISTEN
        try:
            announce()
            wait_for_signal()
        finally:
            server.stop(timeout=_STOP_TIMEOUT)
            # The process ends next: the interpreter's last collections would walk every object left (some 70 ms of
            # CPU, 0.5-1.2 s on a loaded machine, most of the exit); frozen objects are skipped.
            gc.freeze()
    return 0


def load_campaigns_file(fake: FakeTalon, path: str) -> str | None:
    """Load one campaigns file into ``fake``; return what is wrong with it, or None."""
    try:
        fake.load_campaigns(path)
    except OSError as exc:
        return exc.strerror or str(exc)
    except (TalonError, yaml.YAMLError, ValueError, TypeError, KeyError) as exc:
        return str(exc) or type(exc).__name__
    return None


def request_logger(err: TextIO) -> Callable[[ServedRequest], None]:
    """A request-log callback printing ``METHOD PATH STATUS DURATIONms`` on ``err``, one line per request."""
    lock = threading.Lock()

    def log(served: ServedRequest) -> None:
        line = f"{served.method} {served.path} {served.status} {served.duration_ms:.1f}ms"
        with lock:
            print(line, file=err, flush=True)

    return log


@contextmanager
def _stop_on_signals() -> Iterator[Callable[[], None]]:
    """Yield a function that returns once SIGINT or SIGTERM arrived; the signal state is restored afterwards.

    On POSIX the two signals are blocked in this thread for the block, so every thread started in it (the server's)
    inherits the block and the signal waits for :func:`signal.sigwait` here. With a handler alone, the kernel may
    hand the signal to a connection thread while this one sleeps in a lock, and the handler would only run once the
    lock is released: the server then missed SIGTERM with connections open.
    """
    stopped = threading.Event()
    signals = {signal.SIGINT, signal.SIGTERM}

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stopped.set()

    def take_signal() -> None:
        if blocking:
            signal.sigwait(signals)
        else:  # pragma: no cover - Windows
            stopped.wait()

    previous = {sig: signal.signal(sig, on_signal) for sig in signals}
    blocking = hasattr(signal, "pthread_sigmask") and hasattr(signal, "sigwait")
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, signals) if blocking else None
    try:
        yield take_signal
    finally:
        if mask is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)  # a signal still pending runs on_signal: harmless
        for sig, handler in previous.items():
            signal.signal(sig, handler)
