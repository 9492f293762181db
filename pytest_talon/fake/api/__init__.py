"""The Integration API handlers: one module per domain, each handler a plain ``(Application, Call) -> Reply``
function registered with :func:`~.calls.route` by operation id.

- :mod:`.calls` - the handlers' contract (:class:`~.calls.Call`, :class:`~.calls.Reply`, :func:`~.calls.route`,
  :func:`~.calls.decode_call`), the registry, :data:`~.calls.HANDLER_MODULES` and :func:`~.calls.handle`, the one
  entry the HTTP face calls.
- Domains: :mod:`.sessions`; :mod:`.profiles` and :mod:`.events`; :mod:`.coupons` and :mod:`.referrals`;
  :mod:`.loyalty` (profile balances, transactions, points) and :mod:`.loyalty_cards`; :mod:`.audiences`;
  :mod:`.catalogs`; :mod:`.achievements`; :mod:`.campaigns` (the campaign list); :mod:`.pricing` (best prior
  price); :mod:`.legacy` (the v1 operations); :mod:`.giveaways` (inventory giveaways, no endpoint of its own).
- Shared: :mod:`.encode` (records to response models), :mod:`.loyalty_views` (loyalty records to models),
  :mod:`.responses` (``responseContent`` parts), :mod:`.paging` (pagination, dates and enums in queries).

A new operation: a ``@route("operationId")`` function in its domain's module (a new module goes into
:data:`~.calls.HANDLER_MODULES`).

May import: :mod:`pytest_talon.fake.engine`, :mod:`pytest_talon.fake.state`, :mod:`pytest_talon.fake.rules`,
:mod:`pytest_talon.fake.errors`; never the HTTP face.
"""
