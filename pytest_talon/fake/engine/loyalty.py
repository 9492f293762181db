"""What a declared loyalty program adds to the engine's loyalty effects.

:func:`describe_effects` runs after every evaluation: ``addLoyaltyPoints`` effects get the program's start and
expiry dates (or ``awaitsActivation`` and ``validityDuration``), card-based programs' effects get the session's
``cardIdentifier``, and points that lift a profile into a higher tier are followed by ``changeLoyaltyTierLevel``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from pytest_talon._time import format_rfc3339
from pytest_talon.fake.state.amounts import dec
from pytest_talon.fake.state.application import Application, LedgerRules
from pytest_talon.fake.state.ledger import LedgerEntry
from pytest_talon.fake.state.points import replay
from pytest_talon.fake.state.programs import LoyaltyProgram

__all__ = ["describe_effects"]

_POINT_EFFECTS = ("addLoyaltyPoints", "deductLoyaltyPoints")


def describe_effects(app: Application, now: datetime, cards: Sequence[str], effects: list[dict[str, Any]]) -> None:
    """Complete the loyalty effects of one evaluation in place (see the module docstring)."""
    card = cards[0] if cards else None
    running: dict[tuple[int, str], Decimal] = {}
    out: list[dict[str, Any]] = []
    for effect in effects:
        out.append(effect)
        kind, props = effect["effectType"], effect["props"]
        program = app.loyalty_programs.get(props.get("programId")) if kind in _POINT_EFFECTS else None
        if program is None:
            continue
        if program.card_based and card is not None:
            props["cardIdentifier"] = card
        if kind == "addLoyaltyPoints":
            props.update(_dates(program, now))
            change = _tier_change(app, program, effect, running, now)
            if change is not None:
                out.append(change)
    effects[:] = out


def _dates(program: LoyaltyProgram, now: datetime) -> dict[str, Any]:
    entry = LedgerEntry(
        transaction_uuid="", program_id=program.id, profile_id="", amount=Decimal(1), name="", created=now
    )
    LedgerRules.settle_dates(program, entry)
    out: dict[str, Any] = {}
    if entry.awaits_activation:
        out["awaitsActivation"] = True
    for key, value in (("startDate", entry.start_date), ("expiryDate", entry.expiry_date)):
        if value is not None:
            out[key] = format_rfc3339(value)
    if entry.validity_duration:
        out["validityDuration"] = entry.validity_duration
    return out


def _tier_name(program: LoyaltyProgram, points: Decimal) -> str | None:
    names = [t.name for t in program.tiers if points >= t.min_points]
    return names[-1] if names else None


def _tier_change(
    app: Application,
    program: LoyaltyProgram,
    effect: dict[str, Any],
    running: dict[tuple[int, str], Decimal],
    now: datetime,
) -> dict[str, Any] | None:
    props = effect["props"]
    profile = props.get("recipientIntegrationId", "")
    immediate = program.default_pending == "immediate"
    if not program.tiers or program.card_based or not immediate or props.get("subLedgerId"):
        return None
    key = (program.id, profile)
    if key not in running:
        mine = [
            e for e in app.loyalty.entries(program.id, profile) if not e.sub_ledger_id and e.card_identifier is None
        ]
        running[key] = replay(mine, now).balance.active
    before = _tier_name(program, running[key])
    running[key] += dec(props["value"])
    after = _tier_name(program, running[key])
    if after is None or after == before:
        return None
    new_props: dict[str, Any] = {"ruleTitle": effect["ruleName"], "programId": program.id, "subLedgerId": ""}
    new_props["newTierName"] = after
    if before is not None:
        new_props["previousTierName"] = before
    envelope = {k: v for k, v in effect.items() if k not in ("effectType", "props")}
    return {**envelope, "effectType": "changeLoyaltyTierLevel", "props": new_props}
