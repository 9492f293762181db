"""Render ``docs/fidelity.md`` from the code: the route table, the handlers' notes and the effect registry.

Regenerate the document with ``python -m pytest_talon.fake.fidelity > docs/fidelity.md``; a test fails when the
committed file differs from :func:`render`.
"""

from __future__ import annotations

from pytest_talon import models
from pytest_talon._spec.operations import OPERATIONS
from pytest_talon.fake.api.calls import NOTES, load_handlers
from pytest_talon.fake.engine.effects import EFFECT_REGISTRY
from pytest_talon.fake.engine.talang_rules import INTENT_EFFECTS
from pytest_talon.fake.talang import PRODUCT_FUNCTIONS, UNSUPPORTED
from pytest_talon.fake.talang.inferred import INF_POINTS as TALANG_INF_POINTS

__all__ = ["API_VERSION", "INFERRED_POINTS", "LATER_VERSIONS", "implemented_operations", "render"]

#: The Integration API version the fake follows: the vendored spec's (``spec/integration-api.json``).
API_VERSION = "25.17"

#: Known differences of later API versions (fields the SDKs add or drop) as (version, difference, what the fake
#: does). The request models accept these shapes too (``tools/generate.py``'s ``SCHEMA_FIXES``).
LATER_VERSIONS: tuple[tuple[str, str, str], ...] = (
    (
        "26.2",
        "`bestPriorPrice` sends `strictEndDate` (boolean) and no `timeframeEndDateType`",
        "accepts both shapes: `strictEndDate: true` acts as `timeframeEndDateType: strict`; with neither, the window "
        "ends at `timeframeEndDate`, which it leaves out; `timeframeEndDateType` wins when both are sent",
    ),
    (
        "26.x",
        "`createReferralsForMultipleAdvocates` makes `usageLimit` optional",
        "accepts bodies without it; the referrals then have `usageLimit` 0 (unlimited)",
    ),
    (
        "any later",
        "request bodies carry fields 25.17 does not know",
        "ignores them at any depth, as the live API does, and lists their JSON pointers in "
        "`fake.requests[i].unknown_fields`; the typed client still refuses unknown fields in what it sends",
    ),
    (
        "any later",
        "answers carry fields 25.17 does not know",
        "sends 25.17 shapes only; the client's response models ignore unknown fields, so both parse",
    ),
)

#: The behaviour.md points marked INF (inferred, not observed) that the fake follows, and how.
INFERRED_POINTS: tuple[str, ...] = (
    "An invalid session state transition answers 400 `ErrorResponse` pointing at `/customerSession/state`.",
    "Updating a closed session without changing its state answers 400 (a closed session cannot be modified).",
    "`getCustomerSession` (and `reopenCustomerSession`, `returnCartItems`) on an unknown session answer 404 "
    "`ErrorResponseWithStatus`.",
    "`trackEventV2` defaults to `silent=yes` and answers 204.",
    "Closing a session adds 1 to each accepted coupon's `usageCounter` and the profile's redemption count, 1 to the "
    "accepted referral's `usageCounter`, 1 to `closedSessions` and the session total to `totalSales`.",
    "Cancelling an open session returns no rollback effects.",
    "Loyalty rollbacks follow the program's `returnPolicy`: `only_pending` claws back only the rolled-back "
    "addition's pending points, `within_balance` never drives the balance negative, `unlimited` (the default) may.",
    "`Loyalty.programs` is keyed by the program id as a string.",
    "Each coupon code gets exactly one `acceptCoupon` or `rejectCoupon`; unknown codes use `campaignId` -1.",
    "The 409 lock covers one session (updateCustomerSessionV2) or one profile (updateCustomerProfileV2, trackEventV2): "
    "a second request for the same key while the first is in flight answers 409 `ErrorResponseWithStatus`.",
    "Further returns from `partially_returned` are allowed; `partially_returned` -> `cancelled` fires "
    "`talon_session_revoked`.",
    "A dry close (`dry=true`, state `closed`) evaluates the payload alone, without the stored session.",
    "`updateCount` does not change on dry runs; the totals are plain sums of price x quantity and the costs.",
    "Money is exact decimal arithmetic (Decimal) through the engine - discounts, totals, coupon discount budgets and "
    "loyalty points - and each amount is rounded to cents, half up, where an effect produces it: 10% of 26.75 is "
    "2.675, sent as 2.68. Amounts are JSON numbers on the wire.",
    "A return's response carries the new `Return` in `return`.",
    "Unknown `responseContent` values answer 400 (the request model rejects them).",
    "`deleteCustomerData` keeps the profile and its ids, erasing attributes only.",
    "A coupon whose own usage limit is used up is rejected with `CouponLimitReached` (the legacy reason name).",
    "Check order for coupons: campaign running, start date, expiry, recipient, profile required, reservation, "
    "coupon limit, campaign limit, per-profile limits.",
    "Spending takes the earliest-expiring active points first; what a deduction cannot cover becomes negative "
    "points, which later activations pay back first.",
    "`on_action` points keep the program's validity as `validityDuration`; activation sets the start date to now and "
    "the expiry date to now + that duration.",
    "Loyalty balances, ledgers and points lists are computed from the ledger at the asked instant (the fake's clock "
    "or `endDate`), so they always add up to the transaction log.",
    "`deleteCustomerData` also deletes the profile's loyalty transactions and recorded achievement progress, unlinks "
    "it from cards and erases its giveaways' attributes.",
    "Catalog `version` grows by one per sync; a stale `version` answers 400.",
    "Legacy v1 responses put the v2 effect objects in `event.effects` (the spec's `LegacyEvent` types them as "
    "objects, older docs showed positional arrays).",
    # ---- evaluation groups ----
    "Evaluation group modes are named `stackable`, `listOrder` and `highestDiscount`. `listOrder` keeps the first "
    "campaign, in the group's order, whose rules produce effects; `highestDiscount` keeps the one whose discount "
    "effects (`setDiscount`, `setDiscountPerItem`, `setDiscountPerAdditionalCost`) add up to the most, the earlier "
    "one on a tie; each member is evaluated alone from the same starting budgets.",
    "A campaign a group leaves out is one that produced effects but was not kept: its valid coupon codes get "
    "`rejectCoupon` `CouponPartOfNotTriggeredCampaign` (referral: `ReferralPartOfNotTriggeredCampaign`) with "
    "`campaignExclusionReason` `CampaignIsNotFirst` (listOrder) or `CampaignGaveLowerDiscount` (highestDiscount), "
    "its other effects are dropped and it is not in `triggeredCampaigns`; members whose rules produced nothing keep "
    "their usual verdicts (e.g. `CouponRejectedByCondition`).",
    "A group is evaluated where its lowest campaign id falls among the ungrouped campaigns (which run in id order).",
    "Every effect and rule failure of a grouped campaign carries `evaluationGroupID` and `evaluationGroupMode`, "
    "verdicts included; ungrouped campaigns' effects carry neither.",
    "A code of a running campaign left out of a dry run's `evaluableCampaignIds` is rejected with "
    "`CouponPartOfNotTriggeredCampaign` / `ReferralPartOfNotTriggeredCampaign` and `CampaignNotInEvaluationSet`; "
    "archived campaigns' codes keep `CouponPartOfNotRunningCampaign`.",
    # ---- achievement effects ----
    "`increaseAchievementProgress` is not emitted for an achievement the customer already completed in the current "
    "period, nor for a scheduled or ended one; its `value` is not capped at `target`; `progressTrackerId` is one per "
    "customer, achievement and period. Reopening a closed session rolls its achievement progress back like a cancel "
    "(`rollbackIncreasedAchievementProgress`, with the same completion rule).",
)

_GENERAL = (
    "- Every request needs `Authorization: ApiKey-v1 <key>` (401 `ErrorResponseWithStatus` otherwise).",
    '- Bodies are read as the live API (Go) reads them: strict types, no coercion (`"quantity": "2"` answers 400), '
    "`NaN`, `Infinity` and numbers beyond int64 (integers) or float64 (numbers) answer 400, each naming the JSON "
    "pointer (`source.pointer`); nothing from a refused request is stored. Unknown fields are ignored (see the later "
    "versions section). A bad query parameter answers 400 naming it (`source.parameter`).",
    "- Answers never carry `null` in a field the spec does not mark nullable: unset optional fields are left out.",
    "- 400 bodies are `ErrorResponse` or `ErrorResponseWithStatus` as each operation declares; 401, 404 and 409 "
    "always carry `StatusCode`.",
    "- Operations without a handler answer 501 with a body saying they are not implemented in the fake.",
    "- A bug in the fake answers 500 with a body starting `pytest-talon fake bug` and is recorded in `fake.requests`.",
    "- Ids come from per-kind counters and timestamps from the fake's clock, so answers are deterministic.",
    "- Campaign evaluation groups are declared by the test (`add_evaluation_group`, `evaluationGroups`) with the modes "
    "`stackable`, `listOrder` and `highestDiscount` (see the INF points); `lowestDiscount`, nested groups, the "
    "Application's own evaluation mode and evaluation scopes are not modelled, nor are budgets other than the campaign "
    "limits listed in docs/fake.md, catalog prices in sessions, experiments and giveaways.",
)


def implemented_operations() -> list[str]:
    """Operation ids the fake has a handler for, sorted."""
    return sorted(load_handlers())


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ") or "-"


def render() -> str:
    """The whole Markdown document, generated from the current route table and effect registry."""
    handlers = load_handlers()
    lines = [
        "# Fidelity of the fake Talon.One",
        "",
        "<!-- Generated from the code; do not edit. Regenerate: "
        "python -m pytest_talon.fake.fidelity > docs/fidelity.md -->",
        "",
        "What the fake implements per operation and per effect type, and every known difference from the live API.",
        "",
        f"The fake follows Integration API **{API_VERSION}** (the spec vendored in `spec/`).",
        "",
        "## General behaviour",
        "",
        *_GENERAL,
        "",
        f"## Later API versions (after {API_VERSION})",
        "",
        "| Version | What changes | What the fake does |",
        "|---|---|---|",
        *(f"| {version} | {_cell(change)} | {_cell(handling)} |" for version, change, handling in LATER_VERSIONS),
        "",
        "## Operations",
        "",
        "| Operation | Method and path | In the fake | Known differences |",
        "|---|---|---|---|",
    ]
    for op in sorted(OPERATIONS, key=lambda o: o.operation_id):
        status = "implemented" if op.operation_id in handlers else "501 not implemented"
        note = NOTES.get(op.operation_id, "") if op.operation_id in handlers else ""
        lines.append(f"| `{op.operation_id}` | `{op.method} {op.path}` | {status} | {_cell(note)} |")
    lines += ["", "## Effect types", "", "| effectType | Produced as | What the fake does | Known differences |"]
    lines.append("|---|---|---|---|")
    for name in sorted(set(EFFECT_REGISTRY) | set(models.KNOWN_EFFECT_TYPES)):
        info = EFFECT_REGISTRY.get(name)
        if info is None:
            lines.append(f"| `{name}` | - | never produced | - |")
        else:
            lines.append(f"| `{name}` | {info.source} | {_cell(info.summary)} | {_cell(info.differences)} |")
    lines += ["", "## Inferred behaviour followed (INF points)", ""]
    lines += [f"{n}. {point}" for n, point in enumerate(INFERRED_POINTS, 1)]
    return "\n".join([*lines, *_talang()]) + "\n"


def _talang() -> list[str]:
    """The Talang section: product functions and the effects they become, refused functions, Talang INF points."""
    lines = [
        "",
        "## Talang rulesets",
        "",
        "A campaign may carry a Talang `ruleset` (as the Management API returns it, or as `talon-fake import` writes "
        "it) instead of `rules`; docs/talang.md lists the core functions. The product functions:",
        "",
        "| Function | Becomes | What the fake does |",
        "|---|---|---|",
    ]
    for name, spec in PRODUCT_FUNCTIONS.items():
        mapping = INTENT_EFFECTS.get(name)
        becomes = "condition" if spec.role == "condition" else f"`{mapping.effect.kind}`" if mapping else "-"
        if name == "rejectCoupon":
            becomes = "`rejectCoupon` verdict"
        lines.append(f"| `{_cell(spec.signature)}` | {becomes} | {_cell(spec.summary)} |")
    lines += ["", "Refused when a campaign is loaded:", "", "| Function | Why |", "|---|---|"]
    lines += [f"| `{_cell(name)}` | {_cell(why)} |" for name, why in UNSUPPORTED.items()]
    lines += ["", "### Talang INF points", ""]
    lines += [f"{n}. {point}" for n, point in enumerate(TALANG_INF_POINTS, 1)]
    return lines


if __name__ == "__main__":
    print(render(), end="")
