"""The description of one Integration API operation, used by the client and the fake's route table."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

__all__ = ["Operation", "Param"]


@dataclass(frozen=True)
class Param:
    """A path or query parameter: wire name, location, whether required, JSON type, server default and the spec's
    constraints (for an array, ``items`` is the item type and ``enum`` constrains the items)."""

    name: str
    location: str
    required: bool
    type: str | None
    default: Any = None
    #: Arrays: True sends ``name=a&name=b``, False sends ``name=a,b`` (the spec's ``explode``).
    explode: bool = True
    format: str | None = None
    items: str | None = None
    enum: tuple[str, ...] | None = None
    minimum: int | None = None
    maximum: int | None = None
    min_length: int | None = None
    max_length: int | None = None
    #: The client method's keyword argument for a query parameter (``pageSize`` -> ``page_size``).
    keyword: str | None = None


@dataclass(frozen=True)
class Operation:
    """One operation: its id, client method name, HTTP method, path template and models."""

    operation_id: str
    method_name: str
    method: str
    path: str
    params: tuple[Param, ...] = ()
    body: str | None = None
    success: tuple[str, ...] = ("200",)
    response: str | None = None
    errors: dict[str, str | None] = field(default_factory=dict)
    deprecated: bool = False

    @cached_property
    def path_params(self) -> tuple[str, ...]:
        """Names of the path parameters, in path order."""
        return tuple(re.findall(r"{(\w+)}", self.path))

    @cached_property
    def query_params(self) -> tuple[Param, ...]:
        """The query parameters."""
        return tuple(p for p in self.params if p.location == "query")

    @cached_property
    def path_regex(self) -> re.Pattern[str]:
        """A regex matching the raw (still percent-encoded) request path, one group per path parameter."""
        pattern = re.sub(r"{(\w+)}", r"(?P<\1>[^/]+)", self.path)
        return re.compile(f"^{pattern}$")
