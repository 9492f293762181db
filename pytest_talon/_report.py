"""The run's Talon.One summary: requests per operation, effect types seen, cassettes used, API coverage.

Plain data that merges (xdist workers send theirs to the controller) and renders as terminal lines or JSON.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from pytest_talon._operations import OPERATIONS
from pytest_talon.models import KNOWN_EFFECT_TYPES

__all__ = ["Report", "operation_for", "effect_types_in"]


def operation_for(method: str, raw_path: str) -> str | None:
    """The operation id of a request, from its method and raw (percent-encoded) path; None for other URLs."""
    path = raw_path.split("?", 1)[0]
    for op in OPERATIONS:
        if op.method == method.upper() and op.path_regex.match(path):
            return op.operation_id
    return None


def effect_types_in(body: Any) -> list[str]:
    """The ``effectType`` of every effect in a response body (top-level ``effects`` and ``event.effects``)."""
    if not isinstance(body, dict):
        return []
    effects = list(body.get("effects") or [])
    event = body.get("event")
    if isinstance(event, dict):
        effects += [e for e in event.get("effects") or [] if isinstance(e, dict)]
    return [str(e["effectType"]) for e in effects if isinstance(e, dict) and "effectType" in e]


@dataclass
class Report:
    """Counts collected during a run."""

    mode: str = "fake"
    operations: Counter[str] = field(default_factory=Counter)
    effect_types: Counter[str] = field(default_factory=Counter)
    cassettes_replayed: int = 0
    cassettes_recorded: int = 0

    def add_exchange(self, operation_id: str | None, effect_types: list[str] | tuple[str, ...]) -> None:
        """Count one request/response."""
        if operation_id:
            self.operations[operation_id] += 1
        self.effect_types.update(effect_types)

    def add_response(self, response: httpx.Response) -> None:
        """Count one httpx exchange (used outside fake mode, where the fake's own log is not there)."""
        op = operation_for(response.request.method, response.request.url.raw_path.decode())
        try:
            body = response.json() if response.content else None
        except ValueError:
            body = None
        self.add_exchange(op, effect_types_in(body))

    def add_cassette(self, cassette: Any) -> None:
        """Count the interactions a vcrpy cassette replayed (by play count) and recorded (appended) in a test."""
        exchanges = [cassette.data[i] for i, n in cassette.play_counts.items() for _ in range(n)]
        exchanges += cassette.data[getattr(cassette, "loaded_count", len(cassette.data)) :]
        for recorded_request, recorded_response in exchanges:
            body_text = (recorded_response.get("body") or {}).get("string") or b""
            try:
                body = json.loads(body_text) if body_text else None
            except ValueError:
                body = None
            path = httpx.URL(recorded_request.uri).raw_path.decode()
            self.add_exchange(operation_for(recorded_request.method, path), effect_types_in(body))

    def merge(self, data: dict[str, Any]) -> None:
        """Add a report serialised with :meth:`to_dict` (from an xdist worker)."""
        self.operations.update(data.get("operations", {}))
        self.effect_types.update(data.get("effectTypes", {}))
        self.cassettes_replayed += int(data.get("cassettesReplayed", 0))
        self.cassettes_recorded += int(data.get("cassettesRecorded", 0))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form, also what ``--talon-report`` writes."""
        covered = sorted(self.operations)
        return {
            "mode": self.mode,
            "operations": dict(sorted(self.operations.items())),
            "effectTypes": dict(sorted(self.effect_types.items())),
            "cassettesReplayed": self.cassettes_replayed,
            "cassettesRecorded": self.cassettes_recorded,
            "coverage": {
                "operationsExercised": len(covered),
                "operationsTotal": len(OPERATIONS),
                "operationsMissing": sorted({op.operation_id for op in OPERATIONS} - set(covered)),
                "effectTypesSeen": sorted(set(self.effect_types) & set(KNOWN_EFFECT_TYPES)),
                "effectTypesTotal": len(KNOWN_EFFECT_TYPES),
            },
        }

    def write(self, path: Path) -> None:
        """Write :meth:`to_dict` as JSON to ``path`` (parents created)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_dict(), indent=2) + "\n")

    def lines(self) -> list[str]:
        """The terminal summary."""
        total = sum(self.operations.values())
        seen = set(self.effect_types) & set(KNOWN_EFFECT_TYPES)
        out = [
            f"mode: {self.mode}; requests: {total}; "
            f"cassettes replayed: {self.cassettes_replayed}, recorded: {self.cassettes_recorded}",
            f"API coverage: {len(self.operations)}/{len(OPERATIONS)} operations, "
            f"{len(seen)}/{len(KNOWN_EFFECT_TYPES)} effect types",
        ]
        out += [f"  {count:>5}  {op}" for op, count in sorted(self.operations.items(), key=lambda kv: (-kv[1], kv[0]))]
        if self.effect_types:
            out.append("effect types: " + ", ".join(f"{t} x{n}" for t, n in sorted(self.effect_types.items())))
        return out
