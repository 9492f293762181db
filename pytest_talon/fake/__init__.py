"""The fake Talon.One: an in-memory, stateful Integration API Application for tests.

Architecture (moto-like), one module per job:

- :mod:`.core` - :class:`FakeTalon`, the public object. :meth:`FakeTalon.handle` is the single entry point for
  every request (in-process transport, respx router, loopback server all call it). It authenticates, matches the
  route, decodes the call, serialises work with one lock (409 when two requests for one session/profile overlap),
  runs the handler and records the exchange. It never raises: a bug in the fake answers a recorded 500.
- :mod:`.routes` - the route table built from :data:`pytest_talon._operations.OPERATIONS`; :class:`Call`
  (decoded path params, typed query params, body parsed with the operation's request model), :class:`Reply`,
  the ``@route("operationId")`` decorator and :data:`~.routes.HANDLER_MODULES`.
- :mod:`.errors` - :class:`FakeError` and one subclass per status; encoded per operation as ``ErrorResponse``
  or ``ErrorResponseWithStatus`` (``StatusCode``), as the spec declares.
- :mod:`.state` - entity records and the :class:`~.state.Application` container (ids from counters, time from
  the injectable :class:`FakeClock` in :mod:`.clock`). Part-2 domains have marked slots there.
- :mod:`.campaigns` - campaign declarations (Python dataclasses); :mod:`.campaign_files` reads the same
  vocabulary from YAML/JSON; :mod:`.seed` creates coupons and referrals; :mod:`.groups` - campaign evaluation
  groups (``stackable``, ``listOrder``, ``highestDiscount``).
- :mod:`.engine`, :mod:`.conditions`, :mod:`.effects` - rule evaluation: coupon and referral validation,
  conditions, effect builders (:data:`~.effects.EFFECT_REGISTRY`), evaluation groups' exclusions;
  :mod:`.lifecycle` - what closing commits
  and what cancel, reopen and returns roll back; :mod:`.responses` - ``responseContent`` parts.
- :mod:`.loyalty_ledger` - the per-profile points ledger the loyalty effects write to; :mod:`.achievement_effects`
  - achievement progress from ``increaseAchievementProgress`` (committed at close, rolled back by cancel/reopen).
- :mod:`.encode` - state records to response models (built from :mod:`pytest_talon.models`, so shapes are right).
- handler modules per domain: :mod:`.sessions`, :mod:`.profiles`, :mod:`.events`, :mod:`.coupons`,
  :mod:`.referrals`.
- :mod:`.fidelity` - renders ``docs/fidelity.md`` from the route table and the effect registry.

Adding an operation:

1. Write a handler in the module of its domain (or a new module listed in :data:`.routes.HANDLER_MODULES`)::

       from pytest_talon.fake.api.calls import Call, Reply, route
       from pytest_talon.fake.state.application import Application

       @route("getLoyaltyBalances")
       def get_loyalty_balances(app: Application, call: Call) -> Reply:
           program_id = int(call.path["loyaltyProgramId"])   # path params are decoded strings
           ...                                              # call.query is typed, call.body is the model
           return Reply(200, models.LoyaltyBalancesWithTiers(...))

2. Raise :class:`~.errors.NotFound`, :class:`~.errors.BadRequest` (with ``pointer=`` or ``parameter=``) for
   errors; never build error bodies by hand.
3. Give its known differences from the live API as ``@route("...", notes="...")``; a new effect type the module
   emits gets an entry in :data:`.effects.EFFECT_REGISTRY`. Then regenerate ``docs/fidelity.md``
   (``python -m pytest_talon.fake.fidelity > docs/fidelity.md``); a test fails while it is stale.
"""

from __future__ import annotations

from pytest_talon.fake.core import DEFAULT_API_KEY, DEFAULT_BASE_URL, FakeTalon
from pytest_talon.fake.errors import FakeError, FakeSetupError
from pytest_talon.fake.http.server import FakeServerError, LoopbackServer, serve
from pytest_talon.fake.rules.campaign import Campaign, CampaignLimits, Rule
from pytest_talon.fake.rules.conditions import (
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
from pytest_talon.fake.rules.effects import (
    EFFECT_KINDS,
    AddFreeItem,
    AddLoyaltyPoints,
    AddToAudience,
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
from pytest_talon.fake.rules.groups import GROUP_MODES, EvaluationGroup
from pytest_talon.fake.state.achievements import AchievementDef
from pytest_talon.fake.state.clock import FakeClock
from pytest_talon.fake.state.points import Balance
from pytest_talon.fake.state.programs import LoyaltyProgram, TierLevel
from pytest_talon.fake.state.records import RecordedRequest

__all__ = [
    "AchievementDef",
    "AddFreeItem",
    "AddLoyaltyPoints",
    "AddToAudience",
    "Always",
    "Balance",
    "CONDITION_KINDS",
    "Campaign",
    "CampaignLimits",
    "CartSubtotal",
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
    "TierLevel",
    "TriggerWebhook",
    "UpdateAttribute",
    "serve",
]
