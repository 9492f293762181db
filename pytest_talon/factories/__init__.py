"""Factories for every Talon.One request body: realistic, consistent and reproducible from a seed.

``IntegrationRequestFactory.build(customer_session__state="closed")`` returns a valid model; ``build_dict`` and
``build_json`` return the wire form, ``build_sdk`` the official ``talon_one`` model. ``seed(n)`` and
``use_seed(n)`` make the generated data repeat exactly.
"""

from pytest_talon.factories._context import (
    REFERENCE_TIME,
    GenContext,
    current_context,
    current_faker,
    current_seed,
    derive_seed,
    new_context,
    random_seed,
    seed,
    use_seed,
)
from pytest_talon.factories._core import FACTORIES, Factory, factory_for
from pytest_talon.factories._errors import FactoryError
from pytest_talon.factories._fields import UNSET, Batch, Declaration, Sub, Use
from pytest_talon.factories._provider import TalonProvider
from pytest_talon.factories.catalogs import (
    CATALOG_ACTION_TYPES,
    AddItemCatalogActionFactory,
    AddPriceAdjustmentCatalogActionFactory,
    BestPriorPriceRequestFactory,
    BestPriorTargetFactory,
    CatalogActionFactory,
    CatalogSyncRequestFactory,
    PatchItemCatalogActionFactory,
    PatchManyItemsCatalogActionFactory,
    PriceDetailFactory,
    ProductFactory,
    RemoveItemCatalogActionFactory,
    RemoveManyItemsCatalogActionFactory,
)
from pytest_talon.factories.coupons import (
    CouponReservationsFactory,
    NewReferralFactory,
    NewReferralsForMultipleAdvocatesFactory,
)
from pytest_talon.factories.events import IntegrationEventV2RequestFactory, NewEventFactory
from pytest_talon.factories.loyalty import (
    ActivateLoyaltyPointsFactory,
    DeleteLoyaltyTransactionsRequestFactory,
    GenerateLoyaltyCardFactory,
    LoyaltyCardRegistrationFactory,
)
from pytest_talon.factories.profiles import (
    AttributeQueryFactory,
    CustomerProfileAudienceRequestFactory,
    CustomerProfileAudienceRequestItemFactory,
    CustomerProfileIntegrationRequestV2Factory,
    MultipleCustomerProfileIntegrationRequestFactory,
    MultipleCustomerProfileIntegrationRequestItemFactory,
    NewAudienceFactory,
    NewCustomerProfileFactory,
    ProfileAudiencesChangesFactory,
    UpdateAudienceFactory,
)
from pytest_talon.factories.sessions import (
    AdditionalCostFactory,
    CartItemFactory,
    ExperimentVariantAllocationFactory,
    IntegrationRequestFactory,
    LegacyCartItemFactory,
    NewCustomerSessionFactory,
    NewCustomerSessionV2Factory,
    NewReturnFactory,
    ReturnedCartItemFactory,
    ReturnIntegrationRequestFactory,
)

__all__ = [
    "ActivateLoyaltyPointsFactory",
    "AddItemCatalogActionFactory",
    "AddPriceAdjustmentCatalogActionFactory",
    "AdditionalCostFactory",
    "AttributeQueryFactory",
    "Batch",
    "BestPriorPriceRequestFactory",
    "BestPriorTargetFactory",
    "CATALOG_ACTION_TYPES",
    "CartItemFactory",
    "CatalogActionFactory",
    "CatalogSyncRequestFactory",
    "CouponReservationsFactory",
    "CustomerProfileAudienceRequestFactory",
    "CustomerProfileAudienceRequestItemFactory",
    "CustomerProfileIntegrationRequestV2Factory",
    "Declaration",
    "DeleteLoyaltyTransactionsRequestFactory",
    "ExperimentVariantAllocationFactory",
    "FACTORIES",
    "Factory",
    "FactoryError",
    "GenContext",
    "GenerateLoyaltyCardFactory",
    "IntegrationEventV2RequestFactory",
    "IntegrationRequestFactory",
    "LegacyCartItemFactory",
    "LoyaltyCardRegistrationFactory",
    "MultipleCustomerProfileIntegrationRequestFactory",
    "MultipleCustomerProfileIntegrationRequestItemFactory",
    "NewAudienceFactory",
    "NewCustomerProfileFactory",
    "NewCustomerSessionFactory",
    "NewCustomerSessionV2Factory",
    "NewEventFactory",
    "NewReferralFactory",
    "NewReferralsForMultipleAdvocatesFactory",
    "NewReturnFactory",
    "PatchItemCatalogActionFactory",
    "PatchManyItemsCatalogActionFactory",
    "PriceDetailFactory",
    "ProductFactory",
    "ProfileAudiencesChangesFactory",
    "REFERENCE_TIME",
    "RemoveItemCatalogActionFactory",
    "RemoveManyItemsCatalogActionFactory",
    "ReturnIntegrationRequestFactory",
    "ReturnedCartItemFactory",
    "Sub",
    "TalonProvider",
    "UNSET",
    "UpdateAudienceFactory",
    "Use",
    "current_context",
    "current_faker",
    "current_seed",
    "derive_seed",
    "factory_for",
    "new_context",
    "random_seed",
    "seed",
    "use_seed",
]
