"""Factories for customer profiles (v2, bulk and legacy v1) and audiences."""

from __future__ import annotations

from typing import Any, ClassVar

from pytest_talon.factories._context import GenContext
from pytest_talon.factories._core import Factory, Traits
from pytest_talon.factories._fields import UNSET, Batch, Draft, Sub, Use
from pytest_talon.factories._helpers import OMIT, distinct, subset
from pytest_talon.models import (
    AttributeQuery,
    CustomerProfileAudienceRequest,
    CustomerProfileAudienceRequestItem,
    CustomerProfileIntegrationRequestV2,
    MultipleCustomerProfileIntegrationRequest,
    MultipleCustomerProfileIntegrationRequestItem,
    NewAudience,
    NewCustomerProfile,
    ProfileAudiencesChanges,
    UpdateAudience,
)

__all__ = [
    "AttributeQueryFactory",
    "CustomerProfileAudienceRequestFactory",
    "CustomerProfileAudienceRequestItemFactory",
    "CustomerProfileIntegrationRequestV2Factory",
    "MultipleCustomerProfileIntegrationRequestFactory",
    "MultipleCustomerProfileIntegrationRequestItemFactory",
    "NewAudienceFactory",
    "NewCustomerProfileFactory",
    "ProfileAudiencesChangesFactory",
    "UpdateAudienceFactory",
    "profile_attributes",
]

_PROFILE_RESPONSE_CONTENT = ("customerProfile", "triggeredCampaigns", "loyalty", "event")
#: What a typical integration asks for when it updates a profile (fixed: it decides the answer).
TYPICAL_PROFILE_RESPONSE_CONTENT = ("customerProfile",)


def profile_attributes(ctx: GenContext, draft: Draft | None = None) -> dict[str, Any]:
    """Profile attributes as most Applications define them: ``Name`` and ``Email``, sometimes ``City``."""
    attributes: dict[str, Any] = {"Name": ctx.faker.name(), "Email": ctx.faker.email()}
    if ctx.random.random() < 0.3:
        attributes["City"] = ctx.faker.city()
    return attributes


def _deletes(ctx: GenContext, draft: Draft) -> list[int]:
    adds = set(draft.get("adds") or ())
    return [x for x in distinct(ctx, ctx.talon.talon_id, 0, 1) if x not in adds]


class ProfileAudiencesChangesFactory(Factory[ProfileAudiencesChanges]):
    """Audience joins and leaves; ``adds`` and ``deletes`` never share an audience ID."""

    __model__ = ProfileAudiencesChanges
    adds = Use(lambda g, d: distinct(g, g.talon.talon_id, 1, 2))
    deletes = Use(_deletes)


class CustomerProfileIntegrationRequestV2Factory(Factory[CustomerProfileIntegrationRequestV2]):
    """The body of ``update_customer_profile_v2``: profile attributes and ``responseContent: ["customerProfile"]``.

    Traits: ``in_audience`` (joins one audience), ``leaves_audience``, ``no_attributes``, ``full_response``,
    ``random_response``.
    """

    __model__ = CustomerProfileIntegrationRequestV2
    __traits__: ClassVar[Traits] = {
        "in_audience": {"audiences_changes": Sub(ProfileAudiencesChangesFactory, deletes=[])},
        "leaves_audience": {
            "audiences_changes": Sub(
                ProfileAudiencesChangesFactory, adds=[], deletes=Use(lambda g, d: [g.talon.talon_id()])
            )
        },
        "no_attributes": {"attributes": Use(lambda g, d: UNSET)},
        "full_response": {"response_content": list(_PROFILE_RESPONSE_CONTENT)},
        "random_response": {"response_content": Use(lambda g, d: subset(g, _PROFILE_RESPONSE_CONTENT, 1, 2))},
    }
    attributes = Use(profile_attributes)
    response_content = Use(lambda g, d: list(TYPICAL_PROFILE_RESPONSE_CONTENT))


class NewCustomerProfileFactory(Factory[NewCustomerProfile]):
    """The legacy v1 profile body: attributes only."""

    __model__ = NewCustomerProfile
    attributes = Use(profile_attributes)


class MultipleCustomerProfileIntegrationRequestItemFactory(Factory[MultipleCustomerProfileIntegrationRequestItem]):
    """One profile of a bulk profile update: integration ID and usually attributes."""

    __model__ = MultipleCustomerProfileIntegrationRequestItem
    integration_id = Use(lambda g, d: g.talon.profile_integration_id())
    attributes = Use(profile_attributes, p=0.7)


class MultipleCustomerProfileIntegrationRequestFactory(Factory[MultipleCustomerProfileIntegrationRequest]):
    """The body of ``update_customer_profiles_v2``: 1-3 profiles."""

    __model__ = MultipleCustomerProfileIntegrationRequest
    customer_profiles = Batch(MultipleCustomerProfileIntegrationRequestItemFactory, 1, 3)


class NewAudienceFactory(Factory[NewAudience]):
    """A new audience owned by the Application.

    Traits: ``third_party`` (owned by a third-party integration: ``integration`` + ``integrationId``).
    """

    __model__ = NewAudience
    __traits__: ClassVar[Traits] = {"third_party": {"integration": Use(lambda g, d: g.talon.third_party_name())}}
    name = Use(lambda g, d: g.talon.audience_name())
    integration = OMIT  # declared before the fields that depend on it
    integration_id = Use(lambda g, d: g.talon.integration_id("aud") if d.get("integration") else UNSET)
    created_in3rd_party = Use(lambda g, d: True if d.get("integration") else UNSET)


class UpdateAudienceFactory(Factory[UpdateAudience]):
    """The body of ``update_audience_v2``: a new name."""

    __model__ = UpdateAudience
    name = Use(lambda g, d: g.talon.audience_name())


class AttributeQueryFactory(Factory[AttributeQuery]):
    """The body of ``update_audience_customers_attributes``: profile attributes (when the model allows them)."""

    __model__ = AttributeQuery

    @classmethod
    def _build(cls, ctx: GenContext, raw: Any) -> AttributeQuery:
        if AttributeQuery.model_config.get("extra") != "allow":
            return super()._build(ctx, raw)
        return cls._validate({**profile_attributes(ctx), **dict(raw)})


class CustomerProfileAudienceRequestItemFactory(Factory[CustomerProfileAudienceRequestItem]):
    """One audience membership change: ``add`` (trait ``delete``: leave the audience)."""

    __model__ = CustomerProfileAudienceRequestItem
    __traits__: ClassVar[Traits] = {"delete": {"action": "delete"}}
    action = "add"
    audience_id = Use(lambda g, d: g.talon.talon_id())
    profile_integration_id = Use(lambda g, d: g.talon.profile_integration_id())


class CustomerProfileAudienceRequestFactory(Factory[CustomerProfileAudienceRequest]):
    """The body of ``update_customer_profile_audiences``: 1-3 changes (the API allows up to 1000)."""

    __model__ = CustomerProfileAudienceRequest
    data = Batch(CustomerProfileAudienceRequestItemFactory, 1, 3)
