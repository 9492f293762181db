"""Rule failures made loud: one readable line per failure, and their count per campaign and rule for a run.

The fake's request log entries carry the ``ruleFailureReasons`` entries that have ``details`` (a Talang rule that
failed at run time, an effect that could not be applied); ``talon-fake serve`` prints each with
:func:`failure_line`, the plugin's run summary counts them with :func:`count_rule_failures`. Plain functions over
JSON-ready data: nothing here imports the fake.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any, Protocol

__all__ = ["count_rule_failures", "failure_label", "failure_line"]


class _Logged(Protocol):
    @property
    def rule_failures(self) -> list[dict[str, Any]]: ...


def failure_label(failure: Mapping[str, Any]) -> str:
    """``campaign 'Tiers' (1), rule 0 'Gold tier'``: which rule of which campaign failed."""
    return (
        f"campaign {failure.get('campaignName', '')!r} ({failure.get('campaignID', '?')}), "
        f"rule {failure.get('ruleIndex', '?')} {failure.get('ruleName', '')!r}"
    )


def failure_line(failure: Mapping[str, Any]) -> str:
    """One line for a failure: the rule, where it failed (condition or effect index) and the details."""
    place = next(
        (
            f"{name} {failure[key]}"
            for key, name in (("effectIndex", "effect"), ("conditionIndex", "condition"))
            if key in failure
        ),
        "",
    )
    where = f" ({place})" if place else ""
    return f"{failure_label(failure)}{where}: {failure.get('details', '')}"


def count_rule_failures(requests: Iterable[_Logged]) -> Counter[str]:
    """How many times each rule failed (by :func:`failure_label`) in the request log entries ``requests``."""
    return Counter(failure_label(failure) for entry in requests for failure in entry.rule_failures)
