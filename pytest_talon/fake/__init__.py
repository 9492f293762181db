"""The fake Talon.One: an in-memory, stateful Integration API Application for tests.

Layout (moto-like; each subpackage's docstring says what lives there and what it may import). Imports point one
way, ``http -> api -> backend -> engine -> state -> campaigns -> talang -> errors``, with ``setup`` beside ``api`` (it
uses ``backend``, never ``api``) and the top-level modules composing them; ``tests/fake/test_layout.py`` checks it,
that there are no cycles and that no handler module holds state logic.

- :mod:`.core` - :class:`FakeTalon`, the public object: it owns the :class:`~.state.application.Application` and
  one lock, answers requests through its :class:`~.http.face.HttpFace` and seeds state through :mod:`.setup`.
- :mod:`.http` - the HTTP face: the request pipeline (authentication, route table, decoding, locking, JSON replies
  and errors, the request log), in-process adapters, the loopback server.
- :mod:`.api` - the handlers, one module per domain, registered with ``@route("operationId")``: each turns a
  :class:`~.api.calls.OperationCall` into backend calls and the result into a :class:`~.api.calls.Reply`;
  :mod:`.api.calls` holds that contract and the one handler entry.
- :mod:`.backend` - one service per domain (sessions, profiles, coupons, loyalty, audiences...): what an operation
  or a setup call does to the state; the handlers, :class:`FakeTalon` and :mod:`.setup` all go through it.
- :mod:`.engine` - rule evaluation: conditions, effects, evaluation groups, coupon and referral verdicts, what
  closing commits and what cancel, reopen and returns roll back.
- :mod:`.state` - plain records, the loyalty ledger and points arithmetic, loyalty programs, the clock.
- :mod:`.campaigns` - the campaign vocabulary tests declare (campaigns, rules, conditions, effects, evaluation
  groups); it was ``rules/``, a name Talang's rules (:mod:`.talang.rules`, :mod:`.engine.talang_rules`) share.
- :mod:`.talang` - Talang, the language Talon.One stores rulesets in: reader, interpreter, Management API import
  (a campaign's ``ruleset``; docs/talang.md).
- :mod:`.setup` - campaigns files and their sections (what :class:`FakeTalon`'s ``add_*`` and ``load_*`` methods call).
- :mod:`.errors` - :class:`FakeError` and one subclass per status, encoded as the operation's error shape;
  :class:`FakeSetupError` for bad declarations. :mod:`.fidelity` renders ``docs/fidelity.md``; :mod:`.cli` is
  ``talon-fake``.

Where a new piece goes:

1. An operation: what it does to the state in its domain's service in :mod:`.backend`, and a handler in its
   domain's module in :mod:`.api` that reads the call, calls the service and encodes the answer (a new module is
   listed in :data:`.api.calls.HANDLER_MODULES`)::

       from pytest_talon.fake.api.calls import OperationCall, Reply, route
       from pytest_talon.fake.state.application import Application

       @route("getLoyaltyBalances", notes="known differences from the live API")
       def get_loyalty_balances(app: Application, call: OperationCall) -> Reply:
           program_id = int(call.path["loyaltyProgramId"])   # path params are decoded strings
           ...                                              # call.query is typed, call.body is the model
           return Reply(200, models.LoyaltyBalancesWithTiers(...))

   Raise :class:`~.errors.NotFound`, :class:`~.errors.BadRequest` (with ``pointer=`` or ``parameter=``) for
   errors; never build error bodies by hand.
2. A condition: its dataclass in :mod:`.campaigns.conditions` (and ``CONDITION_KINDS``), its predicate in
   :data:`.engine.conditions.CONDITION_CHECKS`, what it looks at (for explanations) in
   :data:`.engine.trace.CONDITION_INPUTS`.
3. An effect: its dataclass in :mod:`.campaigns.effects` (a ``CampaignEffect`` subclass with a ``kind``: declaring it
   registers it in ``EFFECT_KINDS``), and its builder in :mod:`.engine.effects` decorated with
   ``@effect(TheClass, "what the fake does", "known differences")`` (:mod:`.engine.registry`).
4. A campaigns-file section: its entry in :data:`.setup.sections.SECTIONS` and its ``seed_*`` function in its
   domain's service in :mod:`.backend`.

Then regenerate ``docs/fidelity.md`` (``python -m pytest_talon.fake.fidelity > docs/fidelity.md``) and the tables
of ``docs/fake.md`` (``python tools/docs_tables.py``: ``FakeTalon``'s members, the condition and effect kinds with
their parameters, from the docstrings and dataclasses); a test fails while either is stale.
"""

from __future__ import annotations

from pytest_talon.fake.campaigns.campaign import Campaign, CampaignLimits, Rule
from pytest_talon.fake.campaigns.conditions import (
    CONDITION_KINDS,
    Always,
    CartSubtotal,
    Condition,
    CouponValid,
    EventType,
    InAudience,
    ItemAttribute,
    ItemCategory,
    ItemQuantity,
    ItemSku,
    ProfileAttribute,
    ReferralValid,
    SessionAttribute,
)
from pytest_talon.fake.campaigns.effects import (
    EFFECT_KINDS,
    AddFreeItem,
    AddLoyaltyPoints,
    AddToAudience,
    CampaignEffect,
    CreateCoupon,
    CreateReferral,
    CustomEffect,
    DeductLoyaltyPoints,
    EffectSpec,
    IncreaseAchievementProgress,
    RemoveFromAudience,
    ReserveCoupon,
    SetDiscount,
    SetDiscountPerAdditionalCost,
    SetDiscountPerItem,
    ShowNotification,
    TriggerWebhook,
    UpdateAttribute,
)
from pytest_talon.fake.campaigns.groups import GROUP_MODES, EvaluationGroup
from pytest_talon.fake.core import DEFAULT_API_KEY, DEFAULT_BASE_URL, FakeTalon
from pytest_talon.fake.errors import FakeError, FakeSetupError
from pytest_talon.fake.http.server import FakeServerError, LoopbackServer, serve
from pytest_talon.fake.state.achievements import AchievementDef
from pytest_talon.fake.state.clock import FakeClock
from pytest_talon.fake.state.explanation import Explanation
from pytest_talon.fake.state.points import Balance
from pytest_talon.fake.state.programs import LoyaltyProgram, TierLevel
from pytest_talon.fake.state.records import RecordedRequest
from pytest_talon.fake.talang import CompiledRuleset, TalangError, compile_ruleset

__all__ = [
    "AchievementDef",
    "AddFreeItem",
    "AddLoyaltyPoints",
    "AddToAudience",
    "Always",
    "Balance",
    "CONDITION_KINDS",
    "Campaign",
    "CampaignEffect",
    "CampaignLimits",
    "CartSubtotal",
    "CompiledRuleset",
    "Condition",
    "CouponValid",
    "CreateCoupon",
    "CreateReferral",
    "CustomEffect",
    "DEFAULT_API_KEY",
    "DEFAULT_BASE_URL",
    "DeductLoyaltyPoints",
    "EFFECT_KINDS",
    "EffectSpec",
    "EvaluationGroup",
    "EventType",
    "Explanation",
    "FakeClock",
    "FakeError",
    "FakeServerError",
    "FakeSetupError",
    "FakeTalon",
    "GROUP_MODES",
    "InAudience",
    "IncreaseAchievementProgress",
    "ItemAttribute",
    "ItemCategory",
    "ItemQuantity",
    "ItemSku",
    "LoopbackServer",
    "LoyaltyProgram",
    "ProfileAttribute",
    "RecordedRequest",
    "ReferralValid",
    "RemoveFromAudience",
    "ReserveCoupon",
    "Rule",
    "SessionAttribute",
    "SetDiscount",
    "SetDiscountPerAdditionalCost",
    "SetDiscountPerItem",
    "ShowNotification",
    "TalangError",
    "TierLevel",
    "TriggerWebhook",
    "UpdateAttribute",
    "compile_ruleset",
    "serve",
]
