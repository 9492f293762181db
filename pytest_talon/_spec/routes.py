"""The one route matcher: which operation a method and a raw (still percent-encoded) request path are for.

The fake routes requests with it and the plugin's report names the operation of a recorded exchange with it, so
both read a path the same way: the query string is ignored, a trailing slash is not significant, and the first
operation in the spec's order whose path template matches wins.
"""

from __future__ import annotations

from urllib.parse import unquote

from pytest_talon._spec.operation import Operation
from pytest_talon._spec.operations import OPERATIONS

__all__ = ["allowed_methods", "find", "request_path"]

#: The operations by HTTP method, in the spec's order (the first match wins).
_BY_METHOD: dict[str, tuple[Operation, ...]] = {
    m: tuple(op for op in OPERATIONS if op.method == m) for m in {op.method for op in OPERATIONS}
}


def request_path(raw_path: str) -> str:
    """The path the route table matches: without the query string and without a trailing slash."""
    path = raw_path.split("?", 1)[0]
    return path.rstrip("/") if len(path) > 1 else path


def find(method: str, raw_path: str) -> tuple[Operation, dict[str, str]] | None:
    """The operation for a method and raw path, with its decoded path parameters; ``None`` when none matches."""
    path = request_path(raw_path)
    for op in _BY_METHOD.get(method.upper(), ()):
        found = op.path_regex.match(path)
        if found:
            return op, {key: unquote(value) for key, value in found.groupdict().items()}
    return None


def allowed_methods(raw_path: str) -> list[str]:
    """The methods some operation answers on this path, sorted (empty when the path is no operation's)."""
    path = request_path(raw_path)
    return sorted({op.method for op in OPERATIONS if op.path_regex.match(path)})
