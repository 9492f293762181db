"""Request matching for replay: a JSON body matcher and the message that explains a replay miss."""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from vcr.matchers import get_matchers_results  # type: ignore[import-untyped]
from vcr.util import read_body  # type: ignore[import-untyped]

from pytest_talon._cassettes.jsonpath import DROP, apply_path, parse_path

__all__ = ["Matcher", "body_value", "describe_miss", "make_json_body_matcher", "record_hint"]

Matcher = Callable[[Any, Any], None]

_EXCERPT = 300
_DIFF_LINES = 20


def body_value(request: Any, ignored: Sequence[tuple[str | int, ...]] = ()) -> Any:
    """The request body as parsed JSON without the ``ignored`` paths, the raw bytes when it is not JSON, or
    ``None`` when it is empty."""
    raw = read_body(request)
    if not raw:
        return None
    try:
        data = json.loads(raw)
    except (TypeError, ValueError):
        return raw
    for segments in ignored:
        apply_path(data, segments, lambda _value: DROP)
    return data


def make_json_body_matcher(ignore_json_paths: Sequence[str]) -> Matcher:
    """A vcrpy matcher comparing JSON bodies as data (key order insensitive), without ``ignore_json_paths``."""
    ignored = [parse_path(path) for path in ignore_json_paths]

    def json_body(incoming: Any, recorded: Any) -> None:
        new, old = body_value(incoming, ignored), body_value(recorded, ignored)
        if new != old:
            raise AssertionError(_diff(old, new))

    return json_body


def _pretty(value: Any) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)


def _diff(recorded: Any, incoming: Any) -> str:
    lines = list(
        difflib.unified_diff(
            _pretty(recorded).splitlines(), _pretty(incoming).splitlines(), "recorded", "this request", n=1, lineterm=""
        )
    )
    if len(lines) > _DIFF_LINES:
        lines = [*lines[:_DIFF_LINES], f"... ({len(lines) - _DIFF_LINES} more diff lines)"]
    return "\n".join(lines)


def _excerpt(request: Any) -> str:
    raw = read_body(request)
    if not raw:
        return "(no body)"
    text = raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else str(raw)
    return text if len(text) <= _EXCERPT else f"{text[:_EXCERPT]}... ({len(text)} characters)"


def _closest(cassette: Any, request: Any, matchers: Sequence[Matcher]) -> tuple[int, Any, list[Any]] | None:
    """The recorded request with the fewest failing matchers (unplayed ones first): (index, request, failures)."""
    ranked = []
    for index, (recorded, _response) in enumerate(cassette.data):
        _passed, failed = get_matchers_results(request, recorded, matchers)
        ranked.append((len(failed), cassette.play_counts[index] > 0, index, recorded, failed))
    if not ranked:
        return None
    _count, _played, index, recorded, failed = min(ranked, key=lambda item: item[:3])
    return index, recorded, failed


def record_hint(record_mode: str) -> str:
    """The command that records in ``record_mode`` with the plugin, and the config for :func:`use_cassette`."""
    option = "" if record_mode == "once" else f" --talon-record-mode={record_mode}"  # once: the plugin's default
    return f"pytest --talon-mode=record{option} (with use_cassette: CassetteConfig(record_mode={record_mode!r}))"


def describe_miss(cassette: Any, request: Any, matchers: Sequence[Matcher], record_mode: str) -> str:
    """Explain why ``request`` cannot be replayed from ``cassette``: path, request, closest match, what to do."""
    path = Path(getattr(cassette, "path", None) or cassette._path)  # vcrpy < 9 only has the private name
    lines = [
        f"Cassette {path} has no recorded answer for this request (record mode {record_mode!r} never sends it).",
        f"  request: {request.method} {request.uri}",
        f"  body:    {_excerpt(request)}",
        f"  matched on: {', '.join(matcher.__name__ for matcher in matchers)}",
    ]
    closest = _closest(cassette, request, matchers)
    if not path.exists() and not len(cassette):
        lines.append("The cassette file does not exist.")
        lines.append(f"To fix: record it first: {record_hint('once')}.")
    elif closest is None:
        lines.append("The cassette holds no interactions.")
        lines.append(f"To fix: record it again: {record_hint('all')}; or delete it and record it.")
    else:
        lines.extend(_describe_closest(cassette, *closest))
    return "\n".join(lines)


def _describe_closest(cassette: Any, index: int, recorded: Any, failed: list[Any]) -> list[str]:
    head = f"Closest recorded request (interaction #{index + 1} of {len(cassette)}):"
    lines = [head, f"  {recorded.method} {recorded.uri}", f"  body:    {_excerpt(recorded)}"]
    if not failed:
        lines.append(
            "  It matches, but was already played back: each recorded interaction replays once, in recorded order."
        )
        lines.append(f"To fix: record the extra request: {record_hint('new_episodes')}; or send it only once.")
        return lines
    for name, message in failed:
        lines.append(f"  differs in {name}:")
        lines.extend(f"    {line}" for line in (message or "(no details)").splitlines())
    lines.append(
        f"To fix: if the request changed on purpose, record the cassette again: {record_hint('new_episodes')} "
        "(or --talon-record-mode=all to drop what it no longer sends); if the difference is volatile, add its JSON "
        "path to the cassette config's ignore_json_paths (override the talon_cassette_config fixture)."
    )
    return lines
