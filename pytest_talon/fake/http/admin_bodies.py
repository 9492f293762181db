"""The bodies of admin requests: a JSON object, or a YAML campaigns file, within bounds; a 400 for anything else.

May import: :mod:`pytest_talon.fake.http.guards` and :mod:`pytest_talon.fake.errors`.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import yaml

from pytest_talon.fake.errors import BadRequest
from pytest_talon.fake.http.guards import MAX_JSON_DEPTH, check_json_depth

__all__ = ["field_of", "only", "query_int", "MAX_YAML_NODES", "object_body"]

#: The most nodes a YAML body may expand to through its aliases (``*name``); a body without aliases is bounded by
#: the body size alone.
MAX_YAML_NODES = 100_000


def object_body(request: httpx.Request, expected: str) -> dict[str, Any]:
    """The body as an object (``{}`` when empty): JSON, or YAML for a campaigns file; a 400 for anything else,
    bodies nesting deeper than :data:`~.guards.MAX_JSON_DEPTH` and YAML aliases expanding beyond
    :data:`MAX_YAML_NODES` nodes included."""
    if not request.content.strip():
        return {}
    try:
        if _is_yaml(request):
            data = _yaml_body(request.content)
        else:
            check_json_depth(request.content)
            data = json.loads(request.content)
    except (ValueError, yaml.YAMLError) as exc:
        raise BadRequest(f"the body is not valid JSON or YAML: {exc}", pointer="/") from None
    if not isinstance(data, dict):
        raise BadRequest(f"the body must be {expected}, got {type(data).__name__} {_shown(data)}", pointer="/")
    return data


class _BoundedLoader(yaml.SafeLoader):
    """A safe YAML loader refusing documents that nest too deeply or expand too far through aliases."""

    depth = 0

    def compose_document(self) -> Any:
        node = super().compose_document()
        if node is not None:
            _check_nodes(node)
        return node

    def compose_node(self, parent: Any, index: Any) -> Any:
        """Refuse a node deeper than MAX_JSON_DEPTH as soon as it is reached (not after a RecursionError)."""
        self.depth += 1
        try:
            if self.depth > MAX_JSON_DEPTH:
                raise BadRequest(
                    f"the body nests more than {MAX_JSON_DEPTH} levels deep; at most {MAX_JSON_DEPTH} are accepted",
                    pointer="/",
                )
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def _check_nodes(root: yaml.Node) -> None:
    """A 400 when ``root`` nests deeper than MAX_JSON_DEPTH or expands (aliases followed) beyond MAX_YAML_NODES."""
    sizes: dict[int, int] = {}
    pending: list[tuple[yaml.Node, int, bool]] = [(root, 1, False)]
    while pending:  # depth first, children before their parent: each node's expanded size once
        node, depth, done = pending.pop()
        if depth > MAX_JSON_DEPTH:
            raise BadRequest(
                f"the body nests more than {MAX_JSON_DEPTH} levels deep; at most {MAX_JSON_DEPTH} are accepted",
                pointer="/",
            )
        children = _children(node)
        if done:
            sizes[id(node)] = 1 + sum(sizes[id(c)] for c in children)
            if sizes[id(node)] > MAX_YAML_NODES:
                raise BadRequest(
                    f"the YAML body expands to more than {MAX_YAML_NODES} nodes through its aliases (*name); "
                    "write the values out or send a smaller file",
                    pointer="/",
                )
        elif id(node) not in sizes:
            pending.append((node, depth, True))
            pending.extend((c, depth + 1, False) for c in children if id(c) not in sizes)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _yaml_body(content: bytes) -> Any:
    try:
        return yaml.load(content, Loader=_BoundedLoader)  # a SafeLoader subclass
    except RecursionError:
        raise BadRequest(f"the body nests more than {MAX_JSON_DEPTH} levels deep", pointer="/") from None


def _is_yaml(request: httpx.Request) -> bool:
    kind = request.headers.get("Content-Type", "")
    return "yaml" in kind or (request.url.path.rstrip("/").endswith("/campaigns") and "json" not in kind)


def _shown(value: Any) -> str:
    text = json.dumps(value)
    return text if len(text) <= 40 else text[:37] + "..."


def only(data: dict[str, Any], known: set[str]) -> None:
    """A 400 naming the fields of ``data`` not in ``known``."""
    unknown = set(data) - known
    if unknown:
        raise BadRequest(f"unknown field(s) {sorted(unknown)}; use {', '.join(sorted(known))}", pointer="/")


def query_int(query: httpx.QueryParams, name: str, default: int | None = None) -> int | None:
    """The query parameter ``name`` as a whole number (a 400 naming it when it is not one)."""
    raw = query.get(name)
    if raw is None:
        return default
    if not raw.isdigit() or len(raw) > 9:
        raise BadRequest(f"{name} must be a whole number, 0 or more, got {raw!r}", parameter=name)
    return int(raw)


def field_of(
    data: Any, name: str, kind: type | tuple[type, ...], *, required: bool = False, default: Any = None
) -> Any:
    value = data.get(name)
    if value is None:
        if required:
            raise BadRequest(f"{name} is required", pointer=f"/{name}")
        return default
    if isinstance(value, bool) or not isinstance(value, kind):
        raise BadRequest(f"{name} must be {_KINDS.get(kind, 'a number')}, got {value!r}", pointer=f"/{name}")
    return value


_KINDS: dict[Any, str] = {int: "an integer", str: "a string"}
