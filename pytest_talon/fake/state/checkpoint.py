"""In-process checkpoints of an Application: the state ``POST /_fake/reset`` goes back to, cheap to take.

:func:`checkpoint` keeps what :func:`~.snapshot.export_state` with ``logs=False`` keeps (everything but the request
log, the triggered webhooks and the webhooks waiting to be sent), as a pickle: several times cheaper to take than
the JSON snapshot, since a server takes one at every start. A checkpoint never leaves the process and only
:func:`restore` reads it. Campaigns and evaluation groups (with their compiled Talang rulesets) are immutable, so
they are kept as they are, not copied. Derived lookup structures (``Application.indexes``) are left out and rebuilt
when next needed.
"""

from __future__ import annotations

import copy
import copyreg
import io
import pickle
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pytest_talon.fake.campaigns.campaign import Campaign
from pytest_talon.fake.campaigns.groups import EvaluationGroup
from pytest_talon.fake.state.application import Application, LedgerRules
from pytest_talon.fake.state.clock import FakeClock
from pytest_talon.fake.state.records import RequestLog

__all__ = ["Checkpoint", "checkpoint", "restore"]


@dataclass(frozen=True)
class Checkpoint:
    """An Application's state without its logs, and the clock's instant when it was taken."""

    data: bytes
    now: datetime
    campaigns: dict[int, Campaign]
    groups: dict[int, EvaluationGroup]


def checkpoint(app: Application) -> Checkpoint:
    """The state of ``app`` now, without its logs (the caller holds the lock that serialises changes to it)."""
    shell = copy.copy(app)  # the same records, other log containers: the live Application is never touched
    shell.requests = RequestLog(maxlen=app.requests.maxlen)  # a reset keeps packing the log
    shell.webhooks = deque(maxlen=app.webhooks.maxlen)
    shell.outbox, shell.indexes = [], {}
    shell.campaigns, shell.evaluation_groups = {}, {}
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _REDUCERS
    pickler.dump(shell)
    return Checkpoint(buffer.getvalue(), app.now(), dict(app.campaigns), dict(app.evaluation_groups))


def restore(point: Checkpoint, clock: FakeClock) -> Application:
    """A new Application with the state of ``point``, on ``clock`` (moved to the checkpoint's instant)."""
    app: Application = pickle.loads(point.data)  # our own bytes, written by checkpoint() in this process
    app.clock = clock
    app.campaigns, app.evaluation_groups = dict(point.campaigns), dict(point.groups)
    app.__post_init__()  # the ledger's policy, bound to this Application
    clock.set(point.now)
    return app


def _nothing() -> None:
    return None


def _left_out(_: object) -> tuple[Callable[[], None], tuple[()]]:
    """The clock and the ledger policy are bound to one Application: :func:`restore` gives the copy its own."""
    return _nothing, ()


_REDUCERS: dict[type, Callable[[Any], Any]] = {
    **copyreg.dispatch_table,
    FakeClock: _left_out,
    LedgerRules: _left_out,
}
