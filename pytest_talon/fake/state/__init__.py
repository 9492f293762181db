"""The fake Application's state: plain records, the loyalty ledger, the clock and the request log.

- :mod:`.application` - :class:`~.application.Application`, the container :meth:`FakeTalon.reset` replaces
  (id counters, every record by id), and :class:`~.application.LedgerRules`, its ledger's program rules.
- :mod:`.records` - profiles, sessions, events, coupons, referrals, returns, campaign usage, recorded requests.
- :mod:`.clock` - :class:`~.clock.FakeClock`, the injectable clock.
- :mod:`.ledger` - loyalty ledger entries; :mod:`.points` - points arithmetic (pending, active, expired buckets);
  :mod:`.programs` - loyalty programs, tiers, cards and durations; :mod:`.achievements` - declared achievements
  and recorded progress; :mod:`.amounts` - :func:`~.amounts.dec`, money and points as exact Decimals.
- :mod:`.snapshot` - the whole state as JSON and back; :mod:`.checkpoint` - an in-process copy of the state
  without its logs, what the admin API's reset goes back to.

No rule lives here: what changes the state is :mod:`pytest_talon.fake.engine` and :mod:`pytest_talon.fake.backend`.

May import: :mod:`pytest_talon.fake.campaigns` (campaign declarations it stores) and :mod:`pytest_talon.fake.errors`.
"""
