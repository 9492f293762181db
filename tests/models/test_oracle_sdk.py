"""Conformance against an independent oracle: the official talon-one-sdk's strict pydantic models.

For every model the SDK also has, a sample our model serialises must be accepted by the SDK's ``from_json``, and a
sample the SDK serialises must parse into ours with the same content.
"""

from __future__ import annotations

import json
from typing import Any

import pydantic
import pytest
import talon_one.models as sdk

from pytest_talon import models
from tests._samples import DIGEST, sample

# Spec schemas the SDK names after the operation that returns them.
SDK_RENAMES = {
    "IntegrationEventV2Response": "TrackEventV2Response",
    "Return": "ModelReturn",
}
for _op in DIGEST["operations"]:
    for _status, _schema in _op["responses"].items():
        if _schema and _schema.startswith("inline_response"):
            SDK_RENAMES[_schema] = f"{_op['operationId'][0].upper()}{_op['operationId'][1:]}{_status}Response"

# Schemas the SDK (26.2) has no model for: legacy v1 shapes (dropped from the SDK), a few nested parts it inlines,
# the campaign list envelope, and the strikethrough props. Listed here so nothing is skipped silently.
SDK_LACKS = {
    "AdjustmentDetails",
    "AttributeQuery",
    "CatalogAction",
    "ExperimentVariantAllocation",
    "InfluencingCampaignDetails",
    "IntegrationCampaign",
    "inline_response_200",
    "LegacyAudienceMembership",
    "LegacyCartItem",
    "LegacyCoupon",
    "LegacyCouponRejectionReason",
    "LegacyCustomerProfile",
    "LegacyCustomerSession",
    "LegacyErrorResponseWithStatus",
    "LegacyEvent",
    "LegacyIntegrationState",
    "LegacyLedgerEntry",
    "LegacyLedgerInfo",
    "LegacyLimitConfig",
    "LegacyLoyalty",
    "LegacyLoyaltyCard",
    "LegacyLoyaltyCardProfileRegistration",
    "LegacyLoyaltyMembership",
    "LegacyLoyaltyProgramLedgers",
    "LegacyMeta",
    "LegacyReferralRejectionReason",
    "LegacyTier",
    "StrikethroughEffectProps",
}

# Where the SDK (a newer API version, 26.x) and our spec (25.17) disagree on required fields. Each entry is checked:
# the round trip must fail on exactly this field, so the list cannot go stale silently.
SDK_REQUIRES_MORE = {  # the SDK rejects our (spec-valid) output: it requires a field spec 25.17 does not have
    "CustomerSession": "updateCount",
    "IntegrationState": "updateCount",
}
WE_REQUIRE_MORE = {  # we reject the SDK's output: spec 25.17 requires a field the SDK dropped
    "BestPriorPrice": "influencingCampaignDetails",
    "BestPriorPriceMetadata": "influencingCampaignDetails",
    "Campaign": "reevaluateOnReturn",
    "CustomerProfileIntegrationResponseV2": "reevaluateOnReturn",
    "IntegrationEventV2Response": "reevaluateOnReturn",
    "IntegrationStateV2": "reevaluateOnReturn",
    **SDK_REQUIRES_MORE,
}

RESPONSE_SCHEMAS = set(DIGEST["responseSchemas"])
PAIRS = sorted(name for name in models.MODELS_BY_SCHEMA if name not in SDK_LACKS and name in RESPONSE_SCHEMAS)


def sdk_class(schema: str) -> Any:
    return getattr(sdk, SDK_RENAMES.get(schema, schema))


def test_the_lacking_list_is_exact() -> None:
    lacking = {n for n in models.MODELS_BY_SCHEMA if not hasattr(sdk, SDK_RENAMES.get(n, n))}
    assert lacking == SDK_LACKS


def same_where_both_know(part: Any, whole: Any, path: str = "$") -> None:
    """Values agree wherever both sides have the key (the SDK is a newer API version than our spec: it knows some
    fields we do not, lacks a few we have, and fills its own defaults)."""
    if isinstance(part, dict):
        assert isinstance(whole, dict), path
        for key in part.keys() & whole.keys():
            same_where_both_know(part[key], whole[key], f"{path}.{key}")
    elif isinstance(part, list):
        assert isinstance(whole, list), path
        assert len(part) == len(whole), path
        for i, (a, b) in enumerate(zip(part, whole, strict=True)):
            same_where_both_know(a, b, f"{path}[{i}]")
    else:
        assert part == whole, f"{path}: {part!r} != {whole!r}"


def sdk_wire(obj: Any) -> Any:
    """The SDK model's wire JSON (its own ``to_json`` cannot encode datetimes)."""
    return json.loads(obj.model_dump_json(by_alias=True, exclude_none=True))


def _numbers_as_float(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _numbers_as_float(v) for k, v in data.items() if v is not None}
    if isinstance(data, list):
        return [_numbers_as_float(v) for v in data]
    if isinstance(data, (int, float)) and not isinstance(data, bool):
        return float(data)
    return data


@pytest.mark.parametrize("schema", PAIRS)
@pytest.mark.parametrize("full", [True, False], ids=["all-fields", "required-only"])
def test_sdk_accepts_what_we_serialise(schema: str, full: bool) -> None:
    ours = models.MODELS_BY_SCHEMA[schema].from_wire(sample(schema, full=full))
    if schema in SDK_REQUIRES_MORE:
        with pytest.raises(pydantic.ValidationError, match=SDK_REQUIRES_MORE[schema]):
            sdk_class(schema).from_json(ours.to_json())
        return
    parsed = sdk_class(schema).from_json(ours.to_json())
    assert parsed is not None
    same_where_both_know(_numbers_as_float(sdk_wire(parsed)), _numbers_as_float(ours.to_wire()))


@pytest.mark.parametrize("schema", PAIRS)
def test_we_parse_what_the_sdk_serialises(schema: str) -> None:
    data = sample(schema)
    if schema in SDK_REQUIRES_MORE:
        data["updateCount"] = 1
        data.get("session", {})["updateCount"] = 1
    theirs = sdk_class(schema).from_dict(data)
    wire = sdk_wire(theirs)
    if schema in WE_REQUIRE_MORE and schema not in SDK_REQUIRES_MORE:
        with pytest.raises(pydantic.ValidationError, match=WE_REQUIRE_MORE[schema]):
            models.MODELS_BY_SCHEMA[schema].model_validate_json(json.dumps(wire))
        return
    ours = models.MODELS_BY_SCHEMA[schema].model_validate_json(json.dumps(wire))
    same_where_both_know(_numbers_as_float(ours.to_wire()), _numbers_as_float(wire))
