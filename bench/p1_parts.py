"""What P1 would be if parts of the fake cost nothing: where issue #14's P1 goal (<= 1.5x) could come from.

Run: ``python -m bench.p1_parts [--quick]``. Not a goal and not in ``python -m bench``: this measures P1 exactly as
:func:`bench.bench_fake.p1_transport` does (paired with its static respx route), four times in one process, each time
with one more part of the session update made free by a patch that never ships:

1. the fake as it is;
2. the evaluation replaced by the first call's result (copied lists, shared effects);
3. also the answer's JSON-ready body replaced by the first call's (it is still serialised and sent);
4. also the request log switched off.

What is left in row 4 - reading and validating the body, merging and storing the session, the evaluation's context,
the event, routing, locking, serialising the answer and building the response - is the floor of a stateful fake
built this way. Each row is paired with its own static baseline, so their ratios compare.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import replace
from typing import Any
from unittest import mock

import pytest_talon.fake.api.sessions as handlers
import pytest_talon.fake.backend.sessions as sessions
from bench._common import Row, cli
from bench.bench_fake import p1_transport
from pytest_talon.fake.api.calls import Reply
from pytest_talon.fake.http.face import HttpFace


def _first_result(real: Callable[..., Any], copy: Callable[[Any], Any]) -> Callable[..., Any]:
    """``real``, computed once: later calls get ``copy`` of the first call's result."""
    first: list[Any] = []

    def once(*args: Any, **kwargs: Any) -> Any:
        if not first:
            first.append(real(*args, **kwargs))
        return copy(first[0])

    return once


def _evaluation_copy(result: sessions.EvaluationResult) -> sessions.EvaluationResult:
    return sessions.EvaluationResult(
        effects=list(result.effects), accepted_coupons=list(result.accepted_coupons), triggered=list(result.triggered)
    )


def _reply_copy(reply: Reply) -> Reply:
    return replace(reply, body=dict(reply.body) if isinstance(reply.body, dict) else reply.body)


def _no_record(*args: Any) -> None:
    """The request log switched off."""


@contextmanager
def _free(level: int) -> Iterator[None]:
    """Patch away the first ``level`` parts (see the module docstring)."""
    patches = [
        (sessions, "evaluate", _first_result(sessions.evaluate, _evaluation_copy)),
        (handlers, "state_reply", _first_result(handlers.state_reply, _reply_copy)),
        (HttpFace, "_record", _no_record),
    ]
    with ExitStack() as stack:
        for owner, name, stand_in in patches[:level]:
            stack.enter_context(mock.patch.object(owner, name, stand_in))
        yield


LEVELS = (
    "P1, the fake as it is",
    "P1 with the evaluation free (first result reused)",
    "P1 with the evaluation and the answer's body free",
    "P1 with the evaluation, the answer's body and the request log free",
)


def rows(quick: bool) -> list[Row]:
    """One P1 row per level, each against its own static baseline."""
    rounds, batch = (6, 15) if quick else (20, 50)
    out = []
    for level, measure in enumerate(LEVELS):
        with _free(level):
            row = p1_transport(rounds, batch)
        out.append(replace(row, measure=measure, goal=None))
    return out


if __name__ == "__main__":
    sys.exit(cli(rows, __doc__))
