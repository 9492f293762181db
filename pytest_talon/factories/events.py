"""Factories for custom events (v2 and legacy v1)."""

from __future__ import annotations

from typing import ClassVar

from pytest_talon.factories._core import Factory, Traits
from pytest_talon.factories._fields import UNSET, Use
from pytest_talon.factories._helpers import subset
from pytest_talon.models import IntegrationEventV2Request, NewEvent

__all__ = ["IntegrationEventV2RequestFactory", "NewEventFactory"]

_EVENT_RESPONSE_CONTENT = ("customerProfile", "triggeredCampaigns", "loyalty", "event")
#: What a typical integration asks for when it tracks an event (fixed: it decides the answer).
TYPICAL_EVENT_RESPONSE_CONTENT = ("customerProfile", "triggeredCampaigns")


class IntegrationEventV2RequestFactory(Factory[IntegrationEventV2Request]):
    """The body of ``track_event_v2``: a custom event type for a known customer; at most one loyalty card.

    ``responseContent`` is ``["customerProfile", "triggeredCampaigns"]``. Traits: ``anonymous`` (no profile),
    ``with_loyalty_card``, ``in_store``, ``full_response``, ``random_response``.
    """

    __model__ = IntegrationEventV2Request
    __traits__: ClassVar[Traits] = {
        "anonymous": {"profile_id": Use(lambda g, d: UNSET)},
        "with_loyalty_card": {"loyalty_cards": Use(lambda g, d: [g.talon.loyalty_card_identifier()])},
        "in_store": {"store_integration_id": Use(lambda g, d: g.talon.store_integration_id())},
        "full_response": {"response_content": list(_EVENT_RESPONSE_CONTENT)},
        "random_response": {"response_content": Use(lambda g, d: subset(g, _EVENT_RESPONSE_CONTENT, 1, 2))},
    }
    type = Use(lambda g, d: g.talon.event_type())
    profile_id = Use(lambda g, d: g.talon.profile_integration_id())
    response_content = Use(lambda g, d: list(TYPICAL_EVENT_RESPONSE_CONTENT))


class NewEventFactory(Factory[NewEvent]):
    """The legacy v1 event body: type, session, profile and (required, here empty) attributes."""

    __model__ = NewEvent
    type = Use(lambda g, d: g.talon.event_type())
    attributes = Use(lambda g, d: {})
    session_id = Use(lambda g, d: g.talon.session_integration_id())
    profile_id = Use(lambda g, d: g.talon.profile_integration_id())
