"""The route table: the spec's one route matcher (:mod:`pytest_talon._spec.routes`), with the fake's 404."""

from __future__ import annotations

from pytest_talon._spec.operation import Operation
from pytest_talon._spec.routes import find, request_path
from pytest_talon.fake.errors import NotFound

__all__ = ["match"]


def match(method: str, raw_path: str) -> tuple[Operation, dict[str, str]]:
    """The operation for a method and raw (percent-encoded) path, with decoded path params; 404 when none."""
    found = find(method, raw_path)
    if found is None:
        path = request_path(raw_path)
        raise NotFound(f"no Integration API operation answers {method.upper()} {path}; check the method and the path")
    return found
