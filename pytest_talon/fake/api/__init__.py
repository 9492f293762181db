"""The Integration API handlers: one module per domain, each handler a plain ``(Application, OperationCall) -> Reply``
function registered with :func:`~.calls.route` by operation id. A handler reads the call, calls its domain's
service in :mod:`pytest_talon.fake.backend` and encodes the records it gets back; it holds no state logic
(``tests/fake/test_layout.py`` states the rule and checks it).

- :mod:`.calls` - the handlers' contract (:class:`~.calls.OperationCall`, :class:`~.calls.Reply`, :func:`~.calls.route`,
  :func:`~.calls.decode_call`), the registry, :data:`~.calls.HANDLER_MODULES` and :func:`~.calls.handle`, the one
  entry the HTTP face calls.
- Domains: :mod:`.sessions`; :mod:`.profiles` and :mod:`.events`; :mod:`.coupons` and :mod:`.referrals`;
  :mod:`.loyalty` (profile balances, transactions, points) and :mod:`.loyalty_cards`; :mod:`.audiences`;
  :mod:`.catalogs`; :mod:`.achievements`; :mod:`.campaigns` (the campaign list); :mod:`.pricing` (best prior
  price); :mod:`.legacy` (the v1 operations).
- Shared: :mod:`.integration_states` (integration-state answers with the requested ``responseContent`` parts),
  :mod:`.paging` (pagination, dates and enums in queries).

A new operation: a ``@route("operationId")`` function in its domain's module (a new module goes into
:data:`~.calls.HANDLER_MODULES`).

May import: :mod:`pytest_talon.fake.backend` (services, and :mod:`~pytest_talon.fake.backend.encode` for the
answers), :mod:`pytest_talon.fake.errors`, and from :mod:`pytest_talon.fake.engine`, :mod:`pytest_talon.fake.state`
and :mod:`pytest_talon.fake.campaigns` only classes (for annotations); never the HTTP face.
"""
