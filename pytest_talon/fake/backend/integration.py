"""What every integration call shares: the campaigns in scope, the evaluation context of a session, a profile or
an event, and :class:`IntegrationResult`, what the call gives back for its answer."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from decimal import Decimal

from pytest_talon.fake.campaigns.campaign import Campaign
from pytest_talon.fake.engine.context import RuleContext
from pytest_talon.fake.engine.evaluation import EvaluationResult
from pytest_talon.fake.state.application import Application
from pytest_talon.fake.state.records import EventRecord, ProfileRecord, SessionRecord

__all__ = ["IntegrationResult", "campaigns_in_scope", "context_for"]


@dataclasses.dataclass(slots=True)
class IntegrationResult:
    """What an integration call gives: the evaluation and the entities around it, all a response may show."""

    result: EvaluationResult
    profile: ProfileRecord | None = None
    session: SessionRecord | None = None
    event: EventRecord | None = None
    #: Price x quantity over the session's cart items, when the evaluation summed it (see ``encode.cart_totals``).
    subtotal: Decimal | None = None


def campaigns_in_scope(app: Application, evaluable: list[int] | None, dry: bool) -> list[Campaign]:
    """Campaigns to evaluate: every non-archived one, or (dry runs only) the listed ones, run even when disabled."""
    if dry and evaluable:
        chosen = [app.campaigns[i] for i in evaluable if i in app.campaigns]
        return [dataclasses.replace(c, state="enabled") if c.state == "disabled" else c for c in chosen]
    return [c for c in app.campaigns.values() if c.state != "archived"]


def context_for(
    app: Application, now: datetime, profile: ProfileRecord | None, event_type: str, session: SessionRecord | None
) -> RuleContext:
    """The evaluation context of a session (or of a profile/event when ``session`` is None)."""
    return RuleContext(
        app=app,
        now=now,
        profile_id=profile.integration_id if profile is not None else "",
        event_type=event_type,
        cart_items=list(session.cart_items) if session is not None else [],
        additional_costs=dict(session.additional_costs) if session is not None else {},
        session_attributes=dict(session.attributes) if session is not None else {},
        profile_attributes=dict(profile.attributes) if profile is not None else {},
        audiences=set(profile.audience_ids) if profile is not None else set(),
        session_id=session.integration_id if session is not None else None,
        session_state=session.state if session is not None else "open",
        loyalty_cards=list(session.loyalty_cards or []) if session is not None else [],
    )
