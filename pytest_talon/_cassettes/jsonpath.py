"""A small JSON path dialect (``$.a.b[*].c``, ``$.items[0]``, ``$.*``) to find, replace or drop values."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Final

from pytest_talon.errors import TalonError

__all__ = ["DROP", "WILDCARD", "JsonPathError", "Segment", "apply_path", "parse_path"]

#: Segment that matches every key of an object or every item of a list.
WILDCARD: Final = "*"

#: Returned by an :func:`apply_path` callback to remove the value instead of replacing it.
DROP: Final = object()

Segment = str | int

_TOKEN = re.compile(r"\.(?P<name>[A-Za-z0-9_\-]+)|\.\*|\[\*\]|\[(?P<index>\d+)\]|\[['\"](?P<quoted>[^'\"]+)['\"]\]")


class JsonPathError(TalonError, ValueError):
    """A JSON path could not be parsed."""


def parse_path(path: str) -> tuple[Segment, ...]:
    """Split ``$.a.b[*].c`` into ``("a", "b", "*", "c")``; integers are list indexes."""
    if not path.startswith("$"):
        raise JsonPathError(f"JSON path {path!r} must start with '$' (for example '$.customerSession.attributes.x')")
    segments: list[Segment] = []
    position = 1
    while position < len(path):
        match = _TOKEN.match(path, position)
        if match is None:
            raise JsonPathError(
                f"JSON path {path!r} is invalid at position {position} ({path[position:]!r}); "
                "use '.key', '[0]', '[*]' or \"['key']\" segments"
            )
        segments.append(_segment(match))
        position = match.end()
    return tuple(segments)


def _segment(match: re.Match[str]) -> Segment:
    if match.group("index") is not None:
        return int(match.group("index"))
    return match.group("name") or match.group("quoted") or WILDCARD


def apply_path(data: Any, segments: tuple[Segment, ...], change: Callable[[Any], Any]) -> bool:
    """Replace every value at ``segments`` inside ``data`` (in place) by ``change(value)``; return whether one
    matched. ``change`` may return :data:`DROP` to delete the value. The root itself is never replaced."""
    if not segments:
        return False
    *parents, last = segments
    found = False
    for container in _walk(data, tuple(parents)):
        for key in _keys(container, last):
            found = True
            new = change(container[key])
            if new is DROP:
                del container[key]
            else:
                container[key] = new
    return found


def _walk(data: Any, segments: tuple[Segment, ...]) -> list[Any]:
    nodes = [data]
    for segment in segments:
        nodes = [node[key] for node in nodes for key in _keys(node, segment)]
    return nodes


def _keys(node: Any, segment: Segment) -> list[Any]:
    """The keys (dict) or indexes (list) of ``node`` that ``segment`` selects, highest index first for lists so
    deleting while iterating is safe."""
    if isinstance(node, dict):
        if segment == WILDCARD:
            return list(node)
        return [segment] if isinstance(segment, str) and segment in node else []
    if isinstance(node, list):
        if segment == WILDCARD:
            return list(reversed(range(len(node))))
        return [segment] if isinstance(segment, int) and segment < len(node) else []
    return []
