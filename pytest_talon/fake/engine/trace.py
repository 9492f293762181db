"""What the engine records of one evaluation, for :mod:`pytest_talon.fake.explain` to read back.

An evaluation appends cheap tuples to :attr:`~.outcome.EvaluationResult.trace` as it goes - the objects it already
holds (campaigns, rules, conditions, coupons) and the few values that decided (a cart subtotal, a counter) - and
formats nothing: strings are made only when someone reads the trace. Each entry starts with one of the kinds
below. Values that change during an evaluation (an attribute a rule sets, a counter) are copied when recorded.
A Talang rule's deciding sub-expressions are worked out again, when the trace is read, from the context fields it
read (:func:`read`): evaluating them on every request would cost what the rule itself costs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from typing import Any, NamedTuple, cast

from pytest_talon.fake.campaigns import conditions as c
from pytest_talon.fake.campaigns.campaign import Campaign
from pytest_talon.fake.campaigns.groups import EvaluationGroup
from pytest_talon.fake.engine.conditions import matches_item
from pytest_talon.fake.engine.context import RuleContext
from pytest_talon.fake.engine.talang_rules import AnyRule, Decision, EngineView, TalangRule
from pytest_talon.fake.state.application import Application
from pytest_talon.fake.state.explanation import CampaignExplanation, CodeVerdict, Explanation, RuleExplanation
from pytest_talon.fake.state.records import CouponRecord, ReferralRecord
from pytest_talon.fake.talang.context import Context
from pytest_talon.fake.talang.values import shown

__all__ = [
    "BLOCK",
    "CODE",
    "EFFECT_FAILED",
    "EXCLUDED",
    "FIGURES",
    "FIRED",
    "GATED",
    "NOT_RUNNING",
    "NO_CODE",
    "RULE_ERROR",
    "RULE_FALSE",
    "SHRUNK",
    "CONDITION_INPUTS",
    "Trace",
    "figures",
    "read",
    "undecided",
]

#: ``(BLOCK, campaigns, event_type)``: campaigns the trigger index skipped (they can only fail for this event).
BLOCK = "block"
#: ``(NOT_RUNNING, campaign, now)``: disabled, archived, not started or ended at the evaluation's time.
NOT_RUNNING = "not_running"
#: ``(GATED, campaign, event_type)``: every rule needs a code of the campaign (none sent) or another event type.
GATED = "gated"
#: ``(NO_CODE, campaign, index, rule, kind)``: a coupon (referral) rule with no valid code of its campaign.
NO_CODE = "no_code"
#: ``(RULE_FALSE, campaign, index, rule, condition_index, read, code)``: a condition was false; ``read`` is what
#: the conditions up to it read (:func:`read`).
RULE_FALSE = "rule_false"
#: ``(RULE_ERROR, campaign, index, rule, condition_index, effect_index, details, code)``: failed at run time.
RULE_ERROR = "rule_error"
#: ``(EFFECT_FAILED, campaign, index, rule, effect_index, message, code, read)``: an effect could not be applied.
EFFECT_FAILED = "effect_failed"
#: ``(FIRED, campaign, index, rule, code, effect_types, read)``: every condition held; these effects were produced.
FIRED = "fired"
#: ``(SHRUNK, campaign, index, rule, effect_type, name, sub_position, given, (desired, why, *figures))`` (the
#: ``subPosition`` of a unit's discount on a line of several, else None): a budget gave an effect
#: less than it asked for (after the rule's :data:`FIRED`); ``why, *figures`` is ``"coupon", code, limit, used``
#: (the coupon's discount budget) or ``"left", what, total, left`` (what the items, a unit or a cost had left).
SHRUNK = "shrunk"
#: ``(EXCLUDED, group, campaign, its_discount, winner, winner_discount)``: an exclusive group kept another member.
EXCLUDED = "excluded"
#: ``(CODE, kind, code, campaign_id, reason_or_None)``: a coupon or referral verdict (kind ``coupon``, ``referral``).
CODE = "code"
#: ``(FIGURES, code, what, counter, limit)``: the figures behind the verdict on ``code`` (used 3 of 3).
FIGURES = "figures"


def _item_field(key: str) -> Callable[[Any, RuleContext], Any]:
    """The position of the first cart item whose ``key`` is the condition's, else every item's ``key``."""

    def seen(cond: Any, ctx: RuleContext) -> Any:
        wanted = getattr(cond, key)
        for position, item in enumerate(ctx.cart_items):
            if item.get(key) == wanted:
                return position
        return [i.get(key) for i in ctx.cart_items]

    return seen


def _item_attribute(cond: c.ItemAttribute, ctx: RuleContext) -> list[Any]:
    return [i["attributes"][cond.name] for i in ctx.cart_items if cond.name in (i.get("attributes") or {})]


def _events(cond: c.EventType, ctx: RuleContext) -> Any:
    return (ctx.event_type, *sorted(ctx.also_events)) if ctx.also_events else ctx.event_type


#: What each declared condition kind looks at, read when the engine decides a rule (a condition that held, and the
#: one that was false); :func:`_input_text` writes it. A new condition kind needs its entry here.
CONDITION_INPUTS: dict[type[c.Condition], Callable[[Any, RuleContext], Any]] = {
    c.Always: lambda cond, ctx: None,
    c.CartSubtotal: lambda cond, ctx: ctx.subtotal,
    c.ItemSku: _item_field("sku"),
    c.ItemCategory: _item_field("category"),
    c.ItemAttribute: _item_attribute,
    c.ItemQuantity: lambda cond, ctx: sum(
        int(i["quantity"]) for i in ctx.cart_items if matches_item(i, cond.sku, cond.category)
    ),
    c.ProfileAttribute: lambda cond, ctx: ctx.profile_attributes.get(cond.name),
    c.SessionAttribute: lambda cond, ctx: ctx.session_attributes.get(cond.name),
    c.InAudience: lambda cond, ctx: sorted(ctx.audiences),
    c.EventType: _events,
    c.CouponValid: lambda cond, ctx: ctx.coupon.value if ctx.coupon is not None else None,
    c.ReferralValid: lambda cond, ctx: ctx.referral.code if ctx.referral is not None else None,
}


Codes = tuple[tuple[str, ...], str | None]


def read(rule: AnyRule, ctx: RuleContext, codes: Codes, into: Trace, count: int | None = None) -> Any:
    """What a rule's conditions read (the first ``count`` of a declared rule's), kept in its trace entry: the inputs
    of a declared rule's conditions; for a Talang rule, the context fields its ``Session``, ``Profile`` and ``Event``
    are made of, from which its deciding sub-expressions are worked out again when an explanation is read. Those
    fields are shared by the Talang rules of one evaluation until an effect changes an attribute (``into`` keeps the
    last ones)."""
    if not isinstance(rule, TalangRule):
        conditions = rule.conditions if count is None else rule.conditions[:count]
        return tuple([CONDITION_INPUTS[type(cond)](cond, ctx) for cond in conditions])
    seen = into.seen
    if (
        seen is None
        or seen.session_attributes != ctx.session_attributes
        or seen.profile_attributes != ctx.profile_attributes
    ):
        seen = into.seen = _Seen(
            ctx.cart_items,  # never changed during an evaluation, nor the costs: references
            ctx.additional_costs,
            dict(ctx.session_attributes),  # changed in place by updateAttribute: copies
            dict(ctx.profile_attributes),
            ctx.event_attributes,
            ctx.session_id,
            ctx.session_state,
            ctx.event_type,
            ctx.also_events,
            ctx.profile_id,
            ctx.now,
            codes,
        )
    return (seen, ctx.coupon is not None, ctx.referral is not None)


class _Seen(NamedTuple):
    """The context fields a Talang rule reads (:func:`read`)."""

    cart_items: list[dict[str, Any]]
    additional_costs: dict[str, dict[str, Any]]
    session_attributes: dict[str, Any]
    profile_attributes: dict[str, Any]
    event_attributes: dict[str, Any]
    session_id: str | None
    session_state: str
    event_type: str
    also_events: frozenset[str]
    profile_id: str
    now: datetime
    codes: Codes

    def context(self, coupon: bool, referral: bool) -> Context:
        """The Talang context a rule was evaluated in, made again (``coupon``, ``referral``: whether a valid code of
        the campaign was being evaluated)."""
        again = RuleContext(
            app=cast(Application, None),  # EngineView reads no Application
            now=self.now,
            profile_id=self.profile_id,
            event_type=self.event_type,
            also_events=self.also_events,
            cart_items=self.cart_items,
            additional_costs=self.additional_costs,
            session_attributes=self.session_attributes,
            profile_attributes=self.profile_attributes,
            session_id=self.session_id,
            session_state=self.session_state,
            event_attributes=self.event_attributes,
        )
        view = EngineView(again, *self.codes)
        return Context(view.session, view.profile, view.event, self.now, coupon, referral)


Code = CouponRecord | ReferralRecord


def figures(reason: str, record: Code, campaign: Campaign, ctx: RuleContext) -> tuple[Any, ...]:
    """The :data:`FIGURES` entry behind a verdict: a limit's counter and limit, a date and the clock."""
    value = record.value if isinstance(record, CouponRecord) else record.code
    return (FIGURES, value, *_figures(reason, record, campaign, ctx))


def _figures(reason: str, code: Code, campaign: Campaign, ctx: RuleContext) -> tuple[Any, ...]:
    if reason in ("CouponLimitReached", "ReferralLimitReached"):
        return ("usages", code.usage_counter, code.usage_limit)
    if reason == "CampaignLimitReached":
        usage = ctx.app.usage[campaign.id]
        if isinstance(code, CouponRecord):
            return ("campaign coupon redemptions", usage.coupon_redemptions, campaign.limits.coupon_redemptions)
        return ("campaign referral redemptions", usage.referral_redemptions, campaign.limits.referral_redemptions)
    if reason == "ProfileLimitReached" and isinstance(code, CouponRecord):
        per_profile = campaign.limits.redemptions_per_profile
        if per_profile:
            used = ctx.app.usage[campaign.id].profile_redemptions[ctx.profile_id]
            return (f"redemptions by profile {ctx.profile_id!r}", used, per_profile)
        return (
            f"usages by profile {ctx.profile_id!r}",
            code.profile_redemptions[ctx.profile_id],
            code.profile_usage_limit,
        )
    if reason.endswith("Expired") and code.expiry_date is not None:
        return ("expired", code.expiry_date.isoformat(), ctx.now.isoformat())
    if reason.endswith("StartDateInFuture") and code.start_date is not None:
        return ("starts", code.start_date.isoformat(), ctx.now.isoformat())
    return (reason, None, None)


def undecided(
    ctx: RuleContext,
    codes: Codes,
    into: Trace,
    campaign: Campaign,
    index: int,
    rule: AnyRule,
    decision: Decision,
    code: str | None,
) -> tuple[Any, ...]:
    """The entry of a rule that did not fire: :data:`RULE_ERROR` when it failed at run time, else
    :data:`RULE_FALSE` with what its conditions read up to the false one."""
    failed = decision.failed or 0
    if decision.details is not None:
        return (RULE_ERROR, campaign, index, rule, decision.failed, decision.failed_effect, decision.details, code)
    return (RULE_FALSE, campaign, index, rule, failed, read(rule, ctx, codes, into, failed + 1), code)


class Trace(list[tuple[Any, ...]]):
    """The entries of one evaluation, in the order the engine recorded them, and the event it evaluated."""

    __slots__ = ("event", "seen")

    def __init__(self, entries: Iterable[tuple[Any, ...]] = (), event: str = "") -> None:
        super().__init__(entries)
        self.event = event
        #: What the last Talang rule traced read (:func:`read`).
        self.seen: _Seen | None = None

    def explain(self, request: str) -> Explanation:
        """The readable :class:`~pytest_talon.fake.state.explanation.Explanation` of these entries."""
        return _Reader(self).explanation(request)


class _Reader:
    """Turns trace entries into an explanation: campaigns in the order first weighed, their rules, the verdicts."""

    def __init__(self, trace: Trace) -> None:
        self.trace = trace
        self.rules: dict[int, list[RuleExplanation]] = {}
        self.campaigns: dict[int, tuple[Campaign, str, str]] = {}
        self.codes: list[CodeVerdict] = []
        self.figures: dict[str, str] = {}
        self.failures: list[dict[str, Any]] = []

    def explanation(self, request: str) -> Explanation:
        for entry in self.trace:
            getattr(self, "_" + entry[0])(*entry[1:])
        campaigns = []
        for cid, (campaign, outcome, why) in self.campaigns.items():
            rules = tuple(self.rules.get(cid, ()))
            if not outcome:
                outcome = "fired" if any(r.outcome == "fired" for r in rules) else "not fired"
            campaigns.append(CampaignExplanation(cid, campaign.name, outcome, why, rules))
        codes = tuple(replace(v, figures=self.figures.get(v.code, "")) if not v.accepted else v for v in self.codes)
        return Explanation(request, True, event=self.trace.event, codes=codes, campaigns=tuple(campaigns))

    def _campaign(self, campaign: Campaign, outcome: str = "", why: str = "") -> None:
        known = self.campaigns.get(campaign.id)
        if known is None or outcome:
            self.campaigns[campaign.id] = (campaign, outcome, why)

    def _rule(self, campaign: Campaign, rule: RuleExplanation) -> None:
        self._campaign(campaign)
        self.rules.setdefault(campaign.id, []).append(rule)

    def _block(self, campaigns: list[Campaign], event: str) -> None:
        for campaign in campaigns:
            self._gated(campaign, event)

    def _gated(self, campaign: Campaign, event: str) -> None:
        self._campaign(campaign, "skipped", _gate_reason(campaign, event))

    def _not_running(self, campaign: Campaign, now: datetime) -> None:
        state = campaign.frontend_state(now)
        why = {
            "scheduled": f"scheduled: starts {_time(campaign.start_time)}",
            "expired": f"ended {_time(campaign.end_time)}",
        }.get(state, state)
        self._campaign(campaign, "not running", why)

    def _no_code(self, campaign: Campaign, index: int, rule: AnyRule, kind: str) -> None:
        detail = f"not evaluated: no valid {kind} code of this campaign was sent"
        self._rule(campaign, RuleExplanation(index, rule.title, "no code", detail))

    def _rule_false(
        self, campaign: Campaign, index: int, rule: AnyRule, failed: int, read: Any, code: str | None
    ) -> None:
        held, false = _reasons(rule, read, failed)
        if isinstance(rule, TalangRule):
            detail = f"condition {failed} was false" + (f": {'; '.join(false)}" if false else "")
        else:
            cond = rule.conditions[failed]
            detail = f"condition {failed} {_condition_text(cond)} was false ({_input_text(cond, read[failed])})"
        self._rule(campaign, RuleExplanation(index, rule.title, "false", detail, code, held))

    def _rule_error(
        self,
        campaign: Campaign,
        index: int,
        rule: AnyRule,
        condition: int | None,
        effect: int | None,
        details: str,
        code: str | None,
    ) -> None:
        where = f"effect {effect}" if effect is not None else f"condition {condition or 0}"
        detail = f"failed at run time in {where}: {details}"
        self._rule(campaign, RuleExplanation(index, rule.title, "failed", detail, code))

    def _effect_failed(
        self, campaign: Campaign, index: int, rule: AnyRule, effect: int, message: str, code: str | None, read: Any
    ) -> None:
        detail = f"effect {effect} could not be applied, so the rule gave nothing: {message}"
        held = _reasons(rule, read)[0]
        self._rule(campaign, RuleExplanation(index, rule.title, "failed", detail, code, held))

    def _fired(
        self, campaign: Campaign, index: int, rule: AnyRule, code: str | None, effects: list[str], read: Any
    ) -> None:
        detail = "fired: " + (", ".join(effects) if effects else "no effect")
        held = _reasons(rule, read)[0]
        self._rule(campaign, RuleExplanation(index, rule.title, "fired", detail, code, held))

    def _shrunk(
        self,
        campaign: Campaign,
        index: int,
        rule: AnyRule,
        effect_type: str,
        name: Any,
        sub_position: int | None,
        given: Any,
        shrunk: tuple[Any, ...],
    ) -> None:
        rules = self.rules[campaign.id]
        label = f'"{name}"' + (f" unit {sub_position}" if sub_position is not None else "")
        text = _shrunk_text(effect_type, label, given, *shrunk)
        rules[-1] = replace(rules[-1], shrunk=(*rules[-1].shrunk, text))

    def _excluded(
        self, group: EvaluationGroup, campaign: Campaign, mine: Decimal, winner: Campaign, theirs: Decimal
    ) -> None:
        name = group.name or f"group {group.id}"
        gave = f": campaign {winner.id} gave {shown(theirs)}, this one {shown(mine)}"
        if group.mode != "highestDiscount":
            gave = f": campaign {winner.id} comes first"
        self._campaign(campaign, "excluded", f'by group "{name}" ({group.mode}){gave}')

    def _code(self, kind: str, code: str, campaign_id: int, reason: str | None) -> None:
        self.codes.append(CodeVerdict(kind, code, campaign_id, reason is None, reason))

    def _figures(self, code: str, what: str, counter: Any, limit: Any) -> None:
        if what in ("expired", "starts"):
            self.figures[code] = f"{what} {counter}, the fake's clock is at {limit}"
        elif counter is not None:
            self.figures[code] = f"{what} {counter} of limit {limit}"


def _reasons(rule: AnyRule, read: Any, held: int | None = None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The conditions of a rule that held and those that were false, each with what it read: a declared rule's
    first ``held`` conditions (all by default) with the inputs recorded, a Talang rule's sub-expressions worked out
    again from what it read."""
    if isinstance(rule, TalangRule):
        seen, coupon, referral = read
        return rule.ruleset.reasons(rule.index, seen.context(coupon, referral)) or ((), ())
    pairs = list(zip(rule.conditions, read, strict=False))[:held]  # a false rule read its conditions up to that one
    return tuple(_condition_line(i, cond, value, "true") for i, (cond, value) in enumerate(pairs)), ()


def _shrunk_text(effect_type: str, label: str, given: Any, desired: Decimal, why: str, *figures: Any) -> str:
    """``setDiscount "10% off": 12.00 asked, 5.00 given: coupon 'X' discount budget 100.00, 95.00 used`` (a unit's
    discount on a line of several: ``setDiscountPerItem "unit#0" unit 1: ...``)."""
    if why == "coupon":
        code, limit, used = figures
        counter = f"coupon {code!r} discount budget {_money(limit)}, {_money(used)} used"
    else:
        what, total, left = figures
        counter = f"{what} {_money(total)}, {_money(Decimal(total) - Decimal(left))} already discounted"
    return f"{effect_type} {label}: {_money(desired)} asked, {_money(given)} given: {counter}"


def _money(value: Any) -> str:
    return shown(Decimal(str(value)).quantize(Decimal("0.01")))


def _time(when: datetime | None) -> str:
    return when.isoformat() if when is not None else "?"


def _gate_reason(campaign: Campaign, event: str) -> str:
    """Why the trigger index skipped a campaign for this event."""
    others = [r for r in campaign.rules if not (r.is_coupon_rule or r.is_referral_rule)]
    if not others:
        return "every rule needs a valid coupon or referral code of this campaign; none was sent"
    first = others[0].conditions[0] if others[0].conditions else None
    wanted = first.type if isinstance(first, c.EventType) else "?"
    return f"its rules need event {wanted}; this was {event}"


def _condition_text(cond: c.Condition) -> str:
    """A declared condition as an explanation writes it: ``cartSubtotal >= 50``."""
    if isinstance(cond, c.CartSubtotal):
        return f"{cond.kind} {cond.op} {shown(cond.value)}"
    if isinstance(cond, c.ItemQuantity):
        scope = "".join(f" {k}={v!r}" for k, v in (("sku", cond.sku), ("category", cond.category)) if v)
        return f"{cond.kind}{scope} {cond.op} {shown(cond.value)}"
    if isinstance(cond, (c.ProfileAttribute, c.SessionAttribute)):
        return f"{cond.kind} {cond.name} {cond.op}" + ("" if cond.op == "exists" else f" {shown(cond.value)}")
    if isinstance(cond, c.EventType):
        return f"eventType {cond.type}"
    fields = {k: v for k, v in vars(cond).items() if v is not None}
    return cond.kind + "".join(f" {k}={shown(v)}" for k, v in fields.items())


def _input_text(cond: c.Condition, value: Any) -> str:
    """What the condition looked at: ``subtotal 45.00``."""
    if isinstance(cond, c.CartSubtotal):
        return f"subtotal {shown(Decimal(value).quantize(Decimal('0.01')))}"
    if isinstance(cond, c.ItemQuantity):
        return f"quantity {value}"
    if isinstance(cond, (c.ProfileAttribute, c.SessionAttribute)):
        return f"{cond.name} is not set" if value is None else f"{cond.name} is {shown(value)}"
    if isinstance(cond, c.EventType):
        return f"the event is {value}" if isinstance(value, str) else f"the events are {', '.join(value)}"
    if isinstance(cond, c.InAudience):
        return f"the profile is in audiences {shown(value)}"
    if isinstance(cond, (c.ItemSku, c.ItemCategory)):
        return f"item {value} has it" if isinstance(value, int) else f"the cart has {shown(value)}"
    if isinstance(cond, c.ItemAttribute):
        return f"the items' {cond.name}: {shown(value)}" if value else f"no item has {cond.name}"
    if isinstance(cond, (c.CouponValid, c.ReferralValid)):
        kind = "coupon" if isinstance(cond, c.CouponValid) else "referral"
        return f"{kind} {value!r}" if value is not None else f"no valid {kind} code of this campaign"
    return ""


def _condition_line(index: int, cond: c.Condition, value: Any, result: str) -> str:
    """``condition 1 cartSubtotal >= 50: subtotal 60.00 -> true``."""
    seen = _input_text(cond, value)
    return f"condition {index} {_condition_text(cond)}" + (f": {seen}" if seen else "") + f" -> {result}"
