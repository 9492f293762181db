"""The readable explanation of one request the fake answered: which campaigns it weighed, which rule and condition
decided, on what values, and the verdict on each code (:meth:`RecordedRequest.explain
<pytest_talon.fake.RecordedRequest.explain>`, docs/explain.md).

Plain data: :func:`str` gives the tree, :meth:`Explanation.to_json` the JSON the admin API serves and
:meth:`Explanation.summary` the few lines a failing assertion ends with. The engine builds it from the trace it
recorded while evaluating (:mod:`pytest_talon.fake.engine.trace`).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["CampaignExplanation", "CodeVerdict", "Explanation", "RuleExplanation"]

#: The most lines :meth:`Explanation.summary` gives (a failing assertion's message stays short).
SUMMARY_LINES = 15


@dataclass(frozen=True)
class RuleExplanation:
    """One rule of a campaign in one evaluation: ``outcome`` is ``fired``, ``false`` (a condition did not hold),
    ``failed`` (a run-time failure or an effect that could not be applied) or ``no code`` (a coupon or referral
    rule with no valid code of its campaign). ``detail`` says which condition, on what values, or which effects."""

    index: int
    title: str
    outcome: str
    detail: str
    #: The coupon or referral code the rule was evaluated for.
    code: str | None = None
    #: The conditions that held, each with what it read: ``condition 1 cartSubtotal >= 50: subtotal 60.00 -> true``
    #: (a Talang rule's sub-expressions that held, with their values).
    held: tuple[str, ...] = ()
    #: The effects a budget gave less than they asked for, with the counter that shrank them:
    #: ``setDiscount "10% off": 12.00 asked, 5.00 given: coupon 'X' discount budget 100.00, 95.00 used``.
    shrunk: tuple[str, ...] = ()

    def __str__(self) -> str:
        code = f" (code {self.code!r})" if self.code else ""
        return f'rule {self.index} "{self.title}"{code}: {self.detail}'

    def lines(self) -> list[str]:
        """The rule's line, then one indented line per condition that held and per effect shrunk."""
        return [str(self), *(f"  held: {line}" for line in self.held), *(f"  {line}" for line in self.shrunk)]


@dataclass(frozen=True)
class CampaignExplanation:
    """One campaign: ``outcome`` is ``fired``, ``not fired``, ``excluded``, ``not running`` or ``skipped``;
    ``why`` says why for the last three; ``rules`` are the rules evaluated."""

    id: int
    name: str
    outcome: str
    why: str = ""
    rules: tuple[RuleExplanation, ...] = ()

    @property
    def head(self) -> str:
        """``campaign 1 "Summer coupons"``."""
        return f'campaign {self.id} "{self.name}"'

    def lines(self, every_rule: bool = False) -> list[str]:
        """One line per thing to know: the campaign's verdict, each rule that did not fire and each effect shrunk;
        with ``every_rule``, each rule with the conditions that held."""
        out = [f"{self.head}: {self.outcome}" + (f" ({self.why})" if self.why else "")]
        for rule in self.rules:
            if every_rule:
                out += [f"{self.head}, {rule}", *rule.lines()[1:]]
            elif rule.outcome != "fired" or rule.shrunk:
                out += [f"{self.head}, {rule}", *(f"  {line}" for line in rule.shrunk)]
        return out


@dataclass(frozen=True)
class CodeVerdict:
    """The verdict on a coupon or referral code: accepted, or rejected with the reason and its figures."""

    kind: str
    code: str
    campaign_id: int
    accepted: bool
    reason: str | None = None
    #: The figures behind the reason (``usages 3 of limit 3``), when there are any.
    figures: str = ""

    def __str__(self) -> str:
        where = f" (campaign {self.campaign_id})" if self.campaign_id >= 0 else ""
        if self.accepted:
            return f"{self.kind} {self.code!r}: accepted{where}"
        figures = f": {self.figures}" if self.figures else ""
        return f"{self.kind} {self.code!r}: rejected {self.reason}{where}{figures}"


@dataclass(frozen=True)
class Explanation:
    """Why the fake answered one request as it did (see the module docstring). ``evaluated`` is False for a
    request the fake did not evaluate (an error, an injected fault, a read); ``note`` then says why in one line."""

    request: str
    evaluated: bool
    note: str = ""
    event: str = ""
    codes: tuple[CodeVerdict, ...] = ()
    campaigns: tuple[CampaignExplanation, ...] = ()
    #: The rule failures with ``details`` (a Talang rule that failed at run time, an effect not applied).
    rule_failures: tuple[dict[str, Any], ...] = field(default_factory=tuple)

    def __str__(self) -> str:
        if not self.evaluated:
            return f"{self.request}: {self.note}"
        out = [f"{self.request}" + (f" ({self.event})" if self.event else "")]
        out += [f"  {verdict}" for verdict in self.codes]
        for campaign in self.campaigns:
            why = f" ({campaign.why})" if campaign.why else ""
            out.append(f"  {campaign.head}: {campaign.outcome}{why}")
            out += [f"    {line}" for rule in campaign.rules for line in rule.lines()]
        if not self.campaigns:
            out.append("  no campaign in scope")
        return "\n".join(out)

    def campaign(self, campaign_id: int) -> CampaignExplanation:
        """The explanation of one campaign (KeyError when the evaluation did not weigh it)."""
        for campaign in self.campaigns:
            if campaign.id == campaign_id:
                return campaign
        raise KeyError(f"campaign {campaign_id} is not in this explanation")

    def to_json(self) -> dict[str, Any]:
        """The explanation as JSON-ready data (what ``GET /_fake/requests/{n}/explain`` answers), with ``text``."""
        data = asdict(self)
        data["ruleFailures"] = data.pop("rule_failures")
        data["text"] = str(self)
        return data

    def summary(
        self, campaign_ids: Collection[int] | None = None, codes: Collection[str] = (), limit: int = SUMMARY_LINES
    ) -> str:
        """The lines that matter for an assertion: the verdicts on ``codes`` and the campaigns in ``campaign_ids``
        (or, with neither, every code rejected and every campaign that did not fire), at most ``limit`` lines."""
        if not self.evaluated:
            return f"{self.request}: {self.note}"
        ids = set(campaign_ids or ())
        ids |= {v.campaign_id for v in self.codes if v.code in codes}
        lines = [str(v) for v in self.codes if (v.code in codes if codes else not v.accepted)]
        for campaign in self.campaigns:
            if campaign.id in ids:
                lines += campaign.lines(every_rule=True)
            elif not ids and (campaign.outcome in ("not fired", "excluded") or any(r.shrunk for r in campaign.rules)):
                lines += campaign.lines()
        if not lines:
            lines = ["every campaign weighed fired or was skipped"]
        if len(lines) > limit:
            lines = [*lines[: limit - 1], f"... {len(lines) - limit + 1} more"]
        return "\n".join(lines)
