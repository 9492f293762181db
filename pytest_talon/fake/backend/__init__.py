"""The fake's backend: one service module per domain, holding what the Integration API does to the state.

moto's split: :mod:`pytest_talon.fake.api` reads a request into a ``OperationCall`` and answers a ``Reply`` (its
``responses.py``); this package is its ``models.py``, the domain rules over :mod:`~pytest_talon.fake.state`
(the records) and :mod:`~pytest_talon.fake.engine` (campaign evaluation). The handlers,
:class:`~pytest_talon.fake.FakeTalon` and :mod:`~pytest_talon.fake.setup` all go through it.

- Services: :mod:`.sessions` (the session lifecycle: transitions, merging an update, storing, cancel, reopen) and
  :mod:`.returns`; :mod:`.profiles` and :mod:`.events`; :mod:`.coupons` and :mod:`.referrals`; :mod:`.loyalty`
  (programs, cards, points, ledger adjustments); :mod:`.audiences`; :mod:`.catalogs`; :mod:`.achievements`;
  :mod:`.giveaways`; :mod:`.pricing` (price history); :mod:`.campaigns` (campaigns and evaluation
  groups a test declares).
- Shared: :mod:`.integration` (what every integration call shares: the campaigns in scope, the evaluation
  context, :class:`~.integration.IntegrationResult`); :mod:`.declared` (checking what a test declares).
- Views: :mod:`.encode` (records to response models) and :mod:`.loyalty_views` (loyalty records to models), what
  the handlers answer and what :class:`~pytest_talon.fake.FakeTalon`'s inspection methods return.

A service function takes the :class:`~pytest_talon.fake.state.application.Application` first, then typed
arguments (values or request models, never a ``OperationCall``), and returns records; it raises the
:mod:`~pytest_talon.fake.errors` the live API answers with.

May import: :mod:`pytest_talon.fake.engine`, :mod:`pytest_talon.fake.state`, :mod:`pytest_talon.fake.campaigns`,
:mod:`pytest_talon.fake.errors`; never the handlers (:mod:`pytest_talon.fake.api`) or the HTTP face.
"""
