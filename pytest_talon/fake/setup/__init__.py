"""Setup: what a test declares before requests run, from Python or from a campaigns file.

- :mod:`.files` - reading a YAML/JSON campaigns file (``campaigns``, ``evaluationGroups``, ``coupons``,
  ``referrals`` and the other sections) into declarations, with errors naming the file, the item and the field.
- :mod:`.sections` - the other sections (:data:`~.sections.SECTIONS`: ``loyaltyPrograms``, ``audiences``,
  ``catalogs``...), each item stored by one seeding function; a new section goes here.
- :mod:`.seeding` - storing loyalty programs, cards, points, achievements, coupons, referrals and evaluation
  groups; the setup methods of :class:`~pytest_talon.fake.FakeTalon` call these under its lock.

Setup writes state through the same functions the handlers use (audiences, catalogs, giveaways, price history and
loyalty cards are stored by their domain module in :mod:`pytest_talon.fake.api`).

May import: :mod:`pytest_talon.fake.api`, :mod:`pytest_talon.fake.engine`, :mod:`pytest_talon.fake.state`,
:mod:`pytest_talon.fake.rules`, :mod:`pytest_talon.fake.errors`; never the HTTP face.
"""
