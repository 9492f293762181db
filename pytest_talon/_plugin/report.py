"""The run's Talon.One summary: requests per operation, effect types seen, cassettes used, API coverage.

Plain data that merges (xdist workers send theirs to the controller) and renders as terminal lines or JSON. The
operation table and the models are imported on first use, so loading the plugin stays cheap.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pytest_talon._cassettes.exchanges import cassette_requests
from pytest_talon._plugin.verify import VerifySummary
from pytest_talon._rule_failures import count_rule_failures

if TYPE_CHECKING:
    from pytest_talon.cassettes import TalonCassette
    from pytest_talon.fake import RecordedRequest

__all__ = ["Report"]


def _operations() -> Any:
    from pytest_talon._spec.operations import OPERATIONS

    return OPERATIONS


def _known_effect_types() -> Any:
    from pytest_talon.models import KNOWN_EFFECT_TYPES

    return KNOWN_EFFECT_TYPES


@dataclass
class Report:
    """Counts collected during a run."""

    mode: str = "fake"
    operations: Counter[str] = field(default_factory=Counter)
    effect_types: Counter[str] = field(default_factory=Counter)
    cassettes_replayed: int = 0
    cassettes_recorded: int = 0
    #: Verify mode's comparisons of the fake's answers with the recorded ones.
    verify: VerifySummary = field(default_factory=VerifySummary)
    #: Rules that failed at run time (or whose effect could not be applied), by campaign and rule.
    rule_failures: Counter[str] = field(default_factory=Counter)

    def add_exchange(self, operation_id: str | None, effect_types: list[str] | tuple[str, ...]) -> None:
        """Count one request/response."""
        if operation_id:
            self.operations[operation_id] += 1
        self.effect_types.update(effect_types)

    def add_requests(self, requests: list[RecordedRequest]) -> None:
        """Count a test's exchanges (the fake's request log, or a cassette's exchanges converted)."""
        for exchange in requests:
            self.add_exchange(exchange.operation_id, exchange.effect_types)
        self.rule_failures.update(count_rule_failures(requests))

    def add_cassette(self, cassette: TalonCassette, *, saved: bool) -> None:
        """Count a test's cassette: its exchanges, and (when it was ``saved``) whether it recorded or replayed."""
        self.add_requests(cassette_requests(cassette))
        if not saved:
            return
        if cassette.recorded_count:
            self.cassettes_recorded += 1
        elif cassette.played_count:
            self.cassettes_replayed += 1

    def merge(self, data: dict[str, Any]) -> None:
        """Add a report serialised with :meth:`to_dict` (from an xdist worker)."""
        self.operations.update(data.get("operations", {}))
        self.effect_types.update(data.get("effectTypes", {}))
        self.rule_failures.update(data.get("ruleFailures", {}))
        self.cassettes_replayed += int(data.get("cassettesReplayed", 0))
        self.cassettes_recorded += int(data.get("cassettesRecorded", 0))
        if "verify" in data:
            self.verify.merge(data["verify"])

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form, also what ``--talon-report`` writes."""
        covered = sorted(self.operations)
        verify = {"verify": self.verify.to_dict()} if self.mode == "verify" else {}
        return {
            "mode": self.mode,
            "operations": dict(sorted(self.operations.items())),
            "effectTypes": dict(sorted(self.effect_types.items())),
            "ruleFailures": dict(sorted(self.rule_failures.items())),
            "cassettesReplayed": self.cassettes_replayed,
            "cassettesRecorded": self.cassettes_recorded,
            "coverage": {
                "operationsExercised": len(covered),
                "operationsTotal": len(_operations()),
                "operationsMissing": sorted({op.operation_id for op in _operations()} - set(covered)),
                "effectTypesSeen": sorted(set(self.effect_types) & set(_known_effect_types())),
                "effectTypesTotal": len(_known_effect_types()),
            },
            **verify,
        }

    def write(self, path: Path) -> None:
        """Write :meth:`to_dict` as JSON to ``path`` (parents created)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_dict(), indent=2) + "\n")

    def lines(self) -> list[str]:
        """The terminal summary."""
        total = sum(self.operations.values())
        seen = set(self.effect_types) & set(_known_effect_types())
        out = [
            f"mode: {self.mode}; requests: {total}; "
            f"cassettes replayed: {self.cassettes_replayed}, recorded: {self.cassettes_recorded}",
            f"API coverage: {len(self.operations)}/{len(_operations())} operations, "
            f"{len(seen)}/{len(_known_effect_types())} effect types",
        ]
        out += [f"  {count:>5}  {op}" for op, count in sorted(self.operations.items(), key=lambda kv: (-kv[1], kv[0]))]
        if self.effect_types:
            out.append("effect types: " + ", ".join(f"{t} x{n}" for t, n in sorted(self.effect_types.items())))
        if self.rule_failures:
            out.append(
                f"rule failures: {sum(self.rule_failures.values())} (the answers were 200; see ruleFailureReasons)"
            )
            out += [
                f"  {n:>5}  {label}" for label, n in sorted(self.rule_failures.items(), key=lambda kv: (-kv[1], kv[0]))
            ]
        if self.mode == "verify":
            out += self.verify.lines()
        return out
