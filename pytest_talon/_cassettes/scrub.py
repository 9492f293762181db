"""Scrubbing: replace secrets and personal data in recorded requests and responses by stable placeholders.

The hooks are idempotent (placeholders are left alone), because vcrpy runs them again on every request it
matches and on every interaction it loads from disk.
"""

from __future__ import annotations

import copy
import json
import re
from collections import Counter
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from pytest_talon._cassettes.config import CassetteConfig
from pytest_talon._cassettes.jsonpath import apply_path, parse_path

__all__ = ["Placeholders", "Scrubber", "is_placeholder"]

_PLACEHOLDER = re.compile(r"<[A-Za-z][A-Za-z0-9_.\-]*-\d+>")


def is_placeholder(value: Any) -> bool:
    """Whether ``value`` is already a numbered placeholder such as ``<email-1>``."""
    return isinstance(value, str) and _PLACEHOLDER.fullmatch(value) is not None


class Placeholders:
    """Hands out ``<kind-N>`` placeholders, numbered per scope (the kind itself unless given) by first
    appearance: the same (scope, value) always gets the same one."""

    def __init__(self) -> None:
        self._assigned: dict[tuple[str, str], str] = {}
        self._counts: Counter[str] = Counter()

    def __call__(self, kind: str, value: Any, scope: str | None = None) -> Any:
        """The placeholder for ``value``; ``None`` and existing placeholders are returned unchanged."""
        if value is None or is_placeholder(value):
            return value
        where = kind if scope is None else scope
        key = (where, json.dumps(value, sort_keys=True, default=str))
        if key not in self._assigned:
            self._counts[where] += 1
            self._assigned[key] = f"<{kind}-{self._counts[where]}>"
        return self._assigned[key]


class Scrubber:
    """vcrpy ``before_record_request`` / ``before_record_response`` hooks built from a :class:`CassetteConfig`."""

    def __init__(self, config: CassetteConfig) -> None:
        self._replace = {name.lower(): text for name, text in config.replace_headers.items()}
        self._headers = {name.lower(): kind for name, kind in config.scrub_headers.items()}
        self._query = dict(config.scrub_query)
        self._paths = [(parse_path(path), kind) for path, kind in config.scrub_json_paths.items()]
        self.placeholders = Placeholders()

    def request(self, request: Any) -> Any:
        """Scrub a ``vcr.request.Request`` (vcrpy hands us a copy)."""
        for name in list(request.headers):
            request.headers[name] = self._header(name, request.headers[name])
        if self._query:
            request.uri = self._scrub_uri(request.uri)
        body = self._scrub_body(request.body)
        if body is not None:
            request.body = body
        return request

    def response(self, response: dict[str, Any]) -> dict[str, Any]:
        """Scrub a vcrpy response dict (``status``, ``headers`` name -> list, ``body.string``)."""
        headers: dict[str, list[str]] = response.get("headers") or {}
        for name, values in headers.items():
            headers[name] = [self._header(name, value) for value in values]
        body = response.get("body") or {}
        scrubbed = self._scrub_body(body.get("string"))
        if scrubbed is not None:
            body["string"] = scrubbed
            for name in headers:
                if name.lower() == "content-length":
                    headers[name] = [str(len(scrubbed))]
        return response

    def _header(self, name: str, value: str) -> str:
        lowered = name.lower()
        if lowered in self._replace:
            return self._replace[lowered]
        if lowered in self._headers:
            return str(self.placeholders(self._headers[lowered], value))
        return value

    def _scrub_uri(self, uri: str) -> str:
        parts = urlsplit(uri)
        pairs = parse_qsl(parts.query, keep_blank_values=True)
        scrubbed = [
            (key, str(self.placeholders(self._query[key], value))) if key in self._query else (key, value)
            for key, value in pairs
        ]
        if scrubbed == pairs:
            return uri
        return urlunsplit(parts._replace(query=urlencode(scrubbed, safe="<>")))

    def _scrub_body(self, body: Any) -> bytes | None:
        """The scrubbed body, or ``None`` when nothing changed (non-JSON bodies are never rewritten)."""
        if not self._paths or not body:
            return None
        try:
            data = json.loads(body)
        except (TypeError, ValueError):
            return None
        original = copy.deepcopy(data)
        for segments, kind in self._paths:
            apply_path(data, segments, self._changer(kind))
        if data == original:
            return None
        return json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode("utf-8")

    def _changer(self, kind: str) -> Callable[[Any], Any]:
        return lambda value: self.placeholders(kind, value)
