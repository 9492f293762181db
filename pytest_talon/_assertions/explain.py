"""Failing assertions explain themselves: when a helper fails on an answer the fake gave, its message ends with the
part of the fake's explanation that matters (docs/explain.md).

An answer is linked to its request log entry in this order:

- a ``talon_requests`` entry (the fake's :class:`~pytest_talon.fake.RecordedRequest`) is the entry itself;
- an httpx response the fake answered in-process (``fake.transport()``, respx, the plugin's clients) carries its
  entry in ``response.extensions`` (never in a header or the body: the answer stays what the live API sends);
- a response that knows its request (an httpx response over a loopback server, a ``requests`` response, an aiohttp
  ``ClientResponse``) is matched exactly: the newest entry with the same method, raw path and query, the same
  request body (httpx, requests; aiohttp keeps no body) and, when the answer's body was read, the same answer body;
- only a bare answer (a model, a dict) is matched by content: the newest evaluated request whose answer has the same
  effects. Two requests answered with the same effects cannot be told apart: the newest one is explained.

Only the newest :data:`SEARCHED` entries of each fake are searched. Nothing is added when no fake gave the answer
(live mode, a cassette replay) or the answer is no evaluation.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast
from urllib.parse import parse_qs

import httpx

from pytest_talon._assertions.errors import AssertionUsageError, TalonAssertionError
from pytest_talon._assertions.normalize import answer_of, is_instance_of, to_wire

if TYPE_CHECKING:
    from pytest_talon.fake.state.explanation import Explanation
    from pytest_talon.fake.state.records import RecordedRequest

__all__ = ["SEARCHED", "explained", "explanation_tail", "logged_request"]

__tracebackhide__ = True

#: How many of each fake's newest log entries a content match searches.
SEARCHED = 200

F = TypeVar("F", bound=Callable[..., Any])


def explained(helper: F) -> F:
    """``helper``, whose failure message ends with :func:`explanation_tail` of its first argument."""

    @functools.wraps(helper)
    def run(*args: Any, **kwargs: Any) -> Any:
        __tracebackhide__ = True
        try:
            return helper(*args, **kwargs)
        except AssertionUsageError:
            raise
        except TalonAssertionError as error:
            tail = explanation_tail(args[0], (*args[1:], *kwargs.values()), kwargs) if args else None
            if tail is None:
                raise
            raise TalonAssertionError(f"{error}\n{tail}") from None

    return cast(F, run)


def explanation_tail(answer: object, values: tuple[Any, ...] = (), fields: dict[str, Any] | None = None) -> str | None:
    """The lines a failing assertion on ``answer`` ends with: the explanation's part about the campaigns and codes
    among ``values`` and ``fields`` (else every code rejected and campaign not fired), and where the whole is."""
    try:  # an explanation must never hide the assertion's own message
        found = logged_request(answer)
        if found is None:
            return None
        entry, where = found
        explanation: Explanation = entry.explain()
    except Exception:
        return None
    if not explanation.evaluated:
        return None
    fields = fields or {}
    ids = {v for k, v in fields.items() if k in ("campaign_id", "campaignId") and isinstance(v, int)}
    known = {verdict.code for verdict in explanation.codes}
    codes = {v for v in values if isinstance(v, str) and v in known}
    summary = explanation.summary(ids or None, codes)
    body = "\n".join(f"  {line}" for line in summary.splitlines())
    return f"why, by the fake ({explanation.request}):\n{body}\n  the whole tree: {where}"


def logged_request(answer: object) -> tuple[RecordedRequest, str] | None:
    """The request log entry that gave ``answer`` and how to read its whole explanation, or None (at once when no
    fake was ever made in this process: the fake is imported only then, so live and replay runs never load it)."""
    if "pytest_talon.fake.live" not in sys.modules:
        return None
    from pytest_talon.fake.http.face import LOGGED
    from pytest_talon.fake.live import live_fakes
    from pytest_talon.fake.state.records import RecordedRequest

    if isinstance(answer, RecordedRequest):
        return answer, _pointer(answer)
    if isinstance(answer, httpx.Response):
        entry = answer.extensions.get(LOGGED)
        if isinstance(entry, RecordedRequest):
            return entry, _pointer(entry)
    sent = _sent(answer)
    if sent is not None:
        return _by_request(*sent)
    effects = _effects(answer)
    if effects is None:
        return None
    for fake in live_fakes():
        log = fake.requests
        for index in range(len(log) - 1, max(-1, len(log) - 1 - SEARCHED), -1):
            entry = log[index]
            if entry.trace is None or isinstance(entry.trace, str):
                continue
            body = entry.response_json
            if isinstance(body, dict) and body.get("effects") == effects:
                return entry, f"talon_fake.explain({index})"
    return None


#: A request body or answer body that the response object does not keep.
_UNKNOWN: Any = object()

#: What an exact match compares: method, raw path, query, request body, answer body (either body may be _UNKNOWN).
Sent = tuple[str, str, dict[str, list[str]], Any, Any]


def _sent(answer: object) -> Sent | None:
    """What the request behind a response object sent, and the body answered, or None for a bare answer."""
    if isinstance(answer, httpx.Response):
        try:
            request = answer.request
        except RuntimeError:  # a response built by hand
            return None
        body = _json(request.content) if isinstance(request.stream, httpx.ByteStream) else _UNKNOWN
        path = request.url.raw_path.decode("ascii").partition("?")[0]
        try:
            reply = _json(answer.content)
        except httpx.ResponseNotRead:  # a streamed answer whose body the test never read (assert_status)
            reply = _UNKNOWN
        return request.method, path, _query(request.url.query), body, reply
    response: Any = answer
    if is_instance_of(response, "requests", "Response"):
        prepared = response.request
        if prepared is None:
            return None
        path, _, query = str(prepared.path_url).partition("?")
        return str(prepared.method), path, _query(query), _json(prepared.body), _json(response.content)
    if is_instance_of(response, "aiohttp", "ClientResponse"):
        url = response.url
        read = getattr(response, "_body", None)  # what aiohttp keeps once the body was read (see normalize)
        reply = _json(read) if isinstance(read, bytes) else _UNKNOWN
        return str(response.method), str(url.raw_path), _query(url.raw_query_string), _UNKNOWN, reply
    return None


def _by_request(
    method: str, path: str, query: dict[str, list[str]], body: Any, reply: Any
) -> tuple[RecordedRequest, str] | None:
    """The newest log entry, in the newest fake alive, that received this exact request (and gave this answer)."""
    from pytest_talon.fake.live import live_fakes

    for fake in live_fakes():
        log = fake.requests
        for index in range(len(log) - 1, max(-1, len(log) - 1 - SEARCHED), -1):
            entry = log[index]
            if entry.method != method or (entry.raw_path or entry.path) != path or entry.query != query:
                continue
            if body is not _UNKNOWN and entry.json != body:
                continue
            if reply is not _UNKNOWN and entry.response_json != reply:
                continue
            return entry, f"talon_fake.explain({index}) or talon_requests[{index}].explain()"
    return None


def _query(query: str | bytes) -> dict[str, list[str]]:
    """A query string as the request log keeps it: each name's values, in order."""
    text = query.decode("ascii") if isinstance(query, bytes) else query
    return parse_qs(text, keep_blank_values=True) if text else {}


def _json(content: object) -> Any:
    """A body's JSON, None when it is empty, ``_UNKNOWN`` when it is not JSON."""
    if not content:
        return None
    try:
        return json.loads(content)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return _UNKNOWN


def _pointer(entry: RecordedRequest) -> str:
    from pytest_talon.fake.live import live_fakes

    for fake in live_fakes():
        log = fake.requests
        for index in range(len(log) - 1, -1, -1):
            if log[index] is entry:
                return f"talon_fake.explain({index}) or talon_requests[{index}].explain()"
    return "explain() on the talon_requests entry"


def _effects(answer: object) -> list[Any] | None:
    """The effects of an answer given as anything else than a log entry, or None."""
    try:
        outcome = answer_of(answer)
        body = outcome.body if outcome is not None else to_wire(answer)
    except Exception:
        return None
    if isinstance(body, list):
        return body
    effects = body.get("effects") if isinstance(body, dict) else None
    return effects if isinstance(effects, list) else None
