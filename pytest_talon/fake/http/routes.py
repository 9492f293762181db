"""The route table: the spec's paths (:data:`pytest_talon._operations.OPERATIONS`) matched against a raw request."""

from __future__ import annotations

from urllib.parse import unquote

from pytest_talon._operation import Operation
from pytest_talon._operations import OPERATIONS
from pytest_talon.fake.errors import NotFound

__all__ = ["match"]

#: The operations by HTTP method, in the spec's order (the first match wins).
_BY_METHOD: dict[str, tuple[Operation, ...]] = {
    m: tuple(op for op in OPERATIONS if op.method == m) for m in {op.method for op in OPERATIONS}
}


def match(method: str, raw_path: str) -> tuple[Operation, dict[str, str]]:
    """The operation for a method and raw (percent-encoded) path, with decoded path params; 404 when none."""
    path = raw_path.split("?", 1)[0]
    if len(path) > 1:
        path = path.rstrip("/")
    for op in _BY_METHOD.get(method.upper(), ()):
        found = op.path_regex.match(path)
        if found:
            return op, {k: unquote(v) for k, v in found.groupdict().items()}
    raise NotFound(f"no Integration API operation answers {method.upper()} {path}; check the method and the path")
