"""The rule engine: evaluate a session, profile or event against the campaigns, producing effects in the real
envelope, with every coupon code accepted or rejected (and the referral code likewise).

Evaluation is pure: it returns an :class:`EvaluationResult` whose :meth:`EvaluationResult.persist` applies the
side effects (attribute updates, created coupons, reservations...). Dry runs simply never call it. Counting
redemptions and writing loyalty points happens in :mod:`.lifecycle` when a session closes.

Campaigns run in id order, sharing the running budgets. A campaign evaluation group (:mod:`.groups`) runs where its
lowest campaign id falls: a ``stackable`` one like ungrouped campaigns; an exclusive one evaluates each member alone
from the same starting point (a *trial*), keeps the winner's trial and excludes the other members that fired.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pytest_talon.fake.campaigns.campaign import Campaign
from pytest_talon.fake.campaigns.groups import EvaluationGroup
from pytest_talon.fake.engine import trace
from pytest_talon.fake.engine.codes import coupon_problem, referral_problem
from pytest_talon.fake.engine.conditions import with_catalog_attributes
from pytest_talon.fake.engine.context import EffectFailed, Produced, RuleContext
from pytest_talon.fake.engine.effects import produce
from pytest_talon.fake.engine.groups import discount_total
from pytest_talon.fake.engine.loyalty import describe_effects
from pytest_talon.fake.engine.outcome import EvaluationResult, envelope
from pytest_talon.fake.engine.talang_rules import AnyRule, decide, rejected_codes, rules_of
from pytest_talon.fake.engine.triggers import Gate, campaign_index, rule_failure
from pytest_talon.fake.state.records import CouponRecord, ReferralRecord

__all__ = ["EvaluationResult", "envelope", "evaluate"]


@dataclass(slots=True)
class _Run:
    ctx: RuleContext
    out: EvaluationResult
    campaigns: dict[int, Campaign]
    coupons: dict[int, list[CouponRecord]] = field(default_factory=lambda: defaultdict(list))
    referral: ReferralRecord | None = None
    group_of: dict[int, EvaluationGroup] = field(default_factory=dict)
    #: The session's coupon codes and referral code, as Talang rules read them.
    codes: tuple[tuple[str, ...], str | None] = ((), None)
    gates: dict[int, Gate] = field(default_factory=dict)

    def emit(
        self,
        campaign: Campaign,
        index: int,
        rule: AnyRule,
        effect_type: str,
        props: dict[str, Any],
        by: int | None,
    ) -> None:
        effect = envelope(campaign.id, campaign.ruleset_id, index, rule.title, effect_type, props)
        if by is not None:
            effect["triggeredByCoupon"] = by
        self.out.effects.append(effect)
        if campaign.id not in self.out.triggered:
            self.out.triggered.append(campaign.id)

    def reject_coupon(
        self,
        code: str,
        campaign_id: int,
        reason: str,
        coupon: CouponRecord | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        self._reject("rejectCoupon", code, campaign_id, reason, extra)
        if coupon is not None:
            self.out.effects[-1]["triggeredByCoupon"] = coupon.id

    def reject_referral(self, code: str, campaign_id: int, reason: str, extra: dict[str, Any] | None = None) -> None:
        self._reject("rejectReferral", code, campaign_id, reason, extra)

    def _reject(self, kind: str, code: str, campaign_id: int, reason: str, extra: dict[str, Any] | None) -> None:
        self.out.trace.append((trace.CODE, kind[6:].lower(), code, campaign_id, reason))
        campaign = self.campaigns.get(campaign_id)
        ruleset = campaign.ruleset_id if campaign is not None else 0
        props = dict(extra or {})
        rule_index, rule_name = props.pop("ruleIndex", 0), props.pop("ruleName", "")
        props = {"value": code, "rejectionReason": reason, **props}
        self.out.effects.append(envelope(campaign_id, ruleset, rule_index, rule_name, kind, props))


def evaluate(
    ctx: RuleContext,
    campaigns: list[Campaign],
    coupon_codes: Sequence[str] = (),
    referral_code: str | None = None,
    *,
    groups: Iterable[EvaluationGroup] | None = None,
) -> EvaluationResult:
    """Evaluate ``campaigns`` (the ones in scope, running or not) in ``ctx``; see the module docstring.

    ``groups`` defaults to the Application's evaluation groups; pass ``()`` to run every campaign stackable.
    """
    ctx.cart_items = with_catalog_attributes(ctx.app, ctx.cart_items)
    groups = list(ctx.app.evaluation_groups.values() if groups is None else groups)
    index = campaign_index(ctx.app, campaigns, groups)
    run = _Run(ctx=ctx, out=EvaluationResult(), campaigns=index.by_id, group_of=index.group_of, gates=index.gates)
    run.codes = (tuple(dict.fromkeys(coupon_codes)), referral_code)
    run.out.trace.event = ctx.event_type
    _check_coupons(run, list(dict.fromkeys(coupon_codes)))
    _check_referral(run, referral_code)
    codes = {*run.coupons, *([run.referral.campaign_id] if run.referral is not None else [])}
    for step in index.plan(ctx.event_type, ctx.also_events):
        if step.failures is not None and step.ids.isdisjoint(codes):
            run.out.rule_failures.extend(map(dict, step.failures))
            run.out.trace.append((trace.BLOCK, step.members, ctx.event_type))
        elif step.group is None or step.group.exclusion_reason is None:
            for campaign in step.members:
                _run_campaign(run, campaign)
        else:
            _run_exclusive(run, step.group, step.members)
    _reject_leftovers(run)
    run.out.tentative_points = dict(ctx.tentative_points)
    describe_effects(ctx.app, ctx.now, ctx.loyalty_cards, run.out.effects)
    _tag_groups(run)
    return run.out


def _run_campaign(run: _Run, campaign: Campaign) -> None:
    if not campaign.is_running(run.ctx.now):
        run.out.trace.append((trace.NOT_RUNNING, campaign, run.ctx.now))
        return
    gate, ctx = run.gates.get(campaign.id), run.ctx
    if gate is not None and gate.only_fails(ctx.event_type, ctx.also_events) and not _has_code(run, campaign):
        run.out.rule_failures.extend(map(dict, gate.failures))
        run.out.trace.append((trace.GATED, campaign, ctx.event_type))
        return
    for index, rule in enumerate(rules_of(campaign)):
        _run_rule(run, campaign, index, rule)


def _has_code(run: _Run, campaign: Campaign) -> bool:
    return campaign.id in run.coupons or (run.referral is not None and run.referral.campaign_id == campaign.id)


@dataclass
class _Trial:
    """One campaign of an exclusive group evaluated alone: what it produced and the context state it left."""

    campaign: Campaign
    out: EvaluationResult
    after: dict[str, Any]


def _save(ctx: RuleContext) -> dict[str, Any]:
    """Everything a campaign's evaluation changes in the context (budgets, attributes, audiences, id counters)."""
    seen = {"session": ctx.session_attributes, "profile": ctx.profile_attributes, "audiences": ctx.audiences}
    return {"budgets": ctx.budgets(), "counters": ctx.app.counters(), **copy.deepcopy(seen)}


def _load(ctx: RuleContext, saved: dict[str, Any]) -> None:
    ctx.restore(saved["budgets"])
    ctx.app.restore_counters(saved["counters"])
    ctx.session_attributes = copy.deepcopy(saved["session"])
    ctx.profile_attributes = copy.deepcopy(saved["profile"])
    ctx.audiences = set(saved["audiences"])


def _trial(run: _Run, campaign: Campaign, before: dict[str, Any]) -> _Trial:
    main, run.out = run.out, EvaluationResult()
    try:
        _run_campaign(run, campaign)
        return _Trial(campaign, run.out, _save(run.ctx))
    finally:
        run.out = main
        _load(run.ctx, before)


def _run_exclusive(run: _Run, group: EvaluationGroup, members: list[Campaign]) -> None:
    """Run each member alone, keep the one the mode picks, exclude the other members that fired."""
    before = _save(run.ctx)
    trials = [_trial(run, campaign, before) for campaign in members]
    for trial in trials:
        run.out.rule_failures.extend(trial.out.rule_failures)
    fired = [t for t in trials if t.out.triggered]
    winner = fired[0] if fired else None
    if fired and group.mode == "highestDiscount":
        winner = max(fired, key=lambda t: discount_total(t.out.effects))  # max keeps the first of equals
    run.out.trace += [entry for trial in trials if trial is not winner for entry in trial.out.trace]
    if winner is None:
        return
    _keep(run, winner)
    for trial in fired:
        if trial is not winner:
            entry = (trace.EXCLUDED, group, trial.campaign, discount_total(trial.out.effects), winner.campaign)
            run.out.trace.append((*entry, discount_total(winner.out.effects)))
            _exclude(run, trial.campaign, str(group.exclusion_reason))


def _keep(run: _Run, trial: _Trial) -> None:
    _load(run.ctx, trial.after)
    out, kept = run.out, trial.out
    out.effects += kept.effects
    out.accepted_coupons += kept.accepted_coupons
    out.accepted_referral = kept.accepted_referral or out.accepted_referral
    out.created_coupons += kept.created_coupons
    out.created_referrals += kept.created_referrals
    out.triggered += [c for c in kept.triggered if c not in out.triggered]
    out.actions += kept.actions
    out.trace += kept.trace


def _exclude(run: _Run, campaign: Campaign, reason: str) -> None:
    """Reject the valid codes of a campaign the group left out (its other effects were never kept)."""
    extra = {"campaignExclusionReason": reason}
    for coupon in run.coupons.pop(campaign.id, []):
        run.reject_coupon(coupon.value, campaign.id, "CouponPartOfNotTriggeredCampaign", coupon, extra)
    if run.referral is not None and run.referral.campaign_id == campaign.id:
        run.reject_referral(run.referral.code, campaign.id, "ReferralPartOfNotTriggeredCampaign", extra)
        run.referral = None


def _tag_groups(run: _Run) -> None:
    """Effects and rule failures of grouped campaigns carry the group's id and mode."""
    if not run.group_of:
        return
    for entry in (*run.out.effects, *run.out.rule_failures):
        group = run.group_of.get(entry.get("campaignId", entry.get("campaignID", -1)))
        if group is not None:
            entry["evaluationGroupID"] = group.id
            entry["evaluationGroupMode"] = group.mode


def _check_coupons(run: _Run, codes: list[str]) -> None:
    for code in codes:
        coupon = run.ctx.app.coupons.get(code)
        campaign = run.campaigns.get(coupon.campaign_id) if coupon is not None else None
        if coupon is None:
            run.reject_coupon(code, -1, "CouponNotFound")
        elif campaign is None and _left_out(run, coupon.campaign_id):
            extra = {"campaignExclusionReason": "CampaignNotInEvaluationSet"}
            run.reject_coupon(code, coupon.campaign_id, "CouponPartOfNotTriggeredCampaign", coupon, extra)
        elif campaign is None:
            run.reject_coupon(code, coupon.campaign_id, "CouponPartOfNotRunningCampaign", coupon)
        elif (reason := coupon_problem(coupon, campaign, run.ctx)) is not None:
            run.reject_coupon(code, campaign.id, reason, coupon)
            run.out.trace.append(trace.figures(reason, coupon, campaign, run.ctx))
        else:
            run.coupons[campaign.id].append(coupon)


def _check_referral(run: _Run, code: str | None) -> None:
    if not code:
        return
    referral = run.ctx.app.referrals.get(code)
    campaign = run.campaigns.get(referral.campaign_id) if referral is not None else None
    if referral is None:
        run.reject_referral(code, -1, "ReferralNotFound")
    elif campaign is None and _left_out(run, referral.campaign_id):
        extra = {"campaignExclusionReason": "CampaignNotInEvaluationSet"}
        run.reject_referral(code, referral.campaign_id, "ReferralPartOfNotTriggeredCampaign", extra)
    elif campaign is None:
        run.reject_referral(code, referral.campaign_id, "ReferralPartOfNotRunningCampaign")
    elif (reason := referral_problem(referral, campaign, run.ctx)) is not None:
        run.reject_referral(code, campaign.id, reason)
        run.out.trace.append(trace.figures(reason, referral, campaign, run.ctx))
    else:
        run.referral = referral


def _left_out(run: _Run, campaign_id: int) -> bool:
    """Whether a campaign that exists and is not archived was left out of the evaluated set (``evaluableCampaignIds``
    of a dry run)."""
    campaign = run.ctx.app.campaigns.get(campaign_id)
    return campaign is not None and campaign.state != "archived" and campaign_id not in run.campaigns


def _run_rule(run: _Run, campaign: Campaign, index: int, rule: AnyRule) -> None:
    ctx = run.ctx
    if rule.is_coupon_rule:
        if not run.coupons.get(campaign.id):
            run.out.trace.append((trace.NO_CODE, campaign, index, rule, "coupon"))
        for coupon in run.coupons.get(campaign.id, []):
            ctx.coupon = coupon
            _fire(run, campaign, index, rule, coupon=coupon)
        ctx.coupon = None
    elif rule.is_referral_rule:
        if run.referral is not None and run.referral.campaign_id == campaign.id:
            ctx.referral = run.referral
            _fire(run, campaign, index, rule, referral=run.referral)
            ctx.referral = None
        else:
            run.out.trace.append((trace.NO_CODE, campaign, index, rule, "referral"))
    else:
        _fire(run, campaign, index, rule)


def _fire(
    run: _Run,
    campaign: Campaign,
    index: int,
    rule: AnyRule,
    coupon: CouponRecord | None = None,
    referral: ReferralRecord | None = None,
) -> None:
    if coupon is not None and coupon.value in rejected_codes(run.out.effects):
        return  # a Talang rule rejected it: the first verdict stands
    decision = decide(rule, run.ctx, run.codes)
    code = coupon.value if coupon is not None else referral.code if referral is not None else None
    if decision.failed is not None or decision.details is not None:
        entry = trace.undecided(run.ctx, run.codes, run.out.trace, campaign, index, rule, decision, code)
        run.out.trace.append(entry)
    if decision.failed is not None or decision.failed_effect is not None:
        where = {"condition_index": decision.failed, "effect_index": decision.failed_effect}
        _fail(run, campaign, index, rule, coupon, referral, **where, details=decision.details)
        return
    if decision.rejection is not None and coupon is not None:  # a Talang rule's rejectCoupon
        run.reject_coupon(
            coupon.value, campaign.id, decision.rejection, coupon, {"ruleIndex": index, "ruleName": rule.title}
        )
        return
    read = trace.read(rule, run.ctx, run.codes, run.out.trace)  # before the effects change what the conditions read
    snapshot = run.ctx.budgets()
    produced: list[Produced] = []
    for effect_index, spec in enumerate(decision.effects):
        try:
            produced.extend(produce(spec, run.ctx, campaign.id))
        except EffectFailed as exc:
            run.ctx.restore(snapshot)
            run.out.trace.append((trace.EFFECT_FAILED, campaign, index, rule, effect_index, str(exc), code, read))
            _fail(run, campaign, index, rule, coupon, referral, effect_index=effect_index, details=str(exc))
            return
    by = coupon.id if coupon is not None else None
    run.out.trace.append((trace.FIRED, campaign, index, rule, code, [p.effect_type for p in produced], read))
    if coupon is not None and coupon not in run.out.accepted_coupons:
        run.out.trace.append((trace.CODE, "coupon", coupon.value, campaign.id, None))
        run.out.accepted_coupons.append(coupon)
        run.emit(campaign, index, rule, "acceptCoupon", {"value": coupon.value}, by)
    if referral is not None and run.out.accepted_referral is None:
        run.out.trace.append((trace.CODE, "referral", referral.code, campaign.id, None))
        run.out.accepted_referral = referral
        run.emit(campaign, index, rule, "acceptReferral", {"value": referral.code}, None)
    for item in produced:
        run.emit(campaign, index, rule, item.effect_type, item.props, by)
        if item.shrunk is not None:
            props = item.props
            shrunk = (item.effect_type, props.get("name"), props.get("subPosition"), props.get("value"), item.shrunk)
            run.out.trace.append((trace.SHRUNK, campaign, index, rule, *shrunk))
        if item.action is not None:
            run.out.actions.append(item.action)
        if item.created_coupon is not None:
            run.out.created_coupons.append(item.created_coupon)
        if item.created_referral is not None:
            run.out.created_referrals.append(item.created_referral)


def _fail(
    run: _Run,
    campaign: Campaign,
    index: int,
    rule: AnyRule,
    coupon: CouponRecord | None,
    referral: ReferralRecord | None,
    *,
    condition_index: int | None = None,
    effect_index: int | None = None,
    details: str | None = None,
) -> None:
    failure = rule_failure(campaign, index, rule.title)
    extra = {"conditionIndex": condition_index, "effectIndex": effect_index, "details": details}
    extra = {k: v for k, v in extra.items() if v is not None}
    failure.update(extra)
    if coupon is not None:
        failure.update(couponID=coupon.id, couponValue=coupon.value)
    if referral is not None:
        failure.update(referralID=referral.id, referralValue=referral.code)
    run.out.rule_failures.append(failure)


def _reject_leftovers(run: _Run) -> None:
    accepted = {c.value for c in run.out.accepted_coupons} | rejected_codes(run.out.effects)
    for campaign_id, coupons in run.coupons.items():
        for coupon in coupons:
            if coupon.value in accepted:
                continue
            extra = _failure_props(run, "couponValue", coupon.value)
            reason = "EffectCouldNotBeApplied" if "effectIndex" in extra else "CouponRejectedByCondition"
            run.reject_coupon(coupon.value, campaign_id, reason, coupon, extra)
    referral = run.referral
    if referral is not None and run.out.accepted_referral is None:
        extra = _failure_props(run, "referralValue", referral.code)
        reason = "EffectCouldNotBeApplied" if "effectIndex" in extra else "ReferralRejectedByCondition"
        run.reject_referral(referral.code, referral.campaign_id, reason, extra)


def _failure_props(run: _Run, key: str, value: str) -> dict[str, Any]:
    """The verdict details of the last rule that failed for this code (ruleIndex/ruleName go to the envelope)."""
    for failure in reversed(run.out.rule_failures):
        if failure.get(key) == value:
            keys = ("conditionIndex", "effectIndex", "details", "ruleIndex", "ruleName")
            return {k: failure[k] for k in keys if k in failure}
    return {}
