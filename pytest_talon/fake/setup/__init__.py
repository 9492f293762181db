"""Setup: what a test declares before requests run, from Python or from a campaigns file.

- :mod:`.files` - reading a YAML/JSON campaigns file (``campaigns``, ``evaluationGroups``, ``coupons``,
  ``referrals`` and the other sections) into declarations, with errors naming the file, the item and the field.
- :mod:`.sections` - the other sections (:data:`~.sections.SECTIONS`: ``loyaltyPrograms``, ``audiences``,
  ``catalogs``...), each item stored by one seeding function; a new section goes here.
- :mod:`.webhooks` - storing the webhooks a campaigns file declares.

Setup writes state through the backend's ``seed_*`` functions (:mod:`pytest_talon.fake.backend`), the services the
handlers use too; :class:`~pytest_talon.fake.FakeTalon`'s setup methods call them under its lock.

May import: :mod:`pytest_talon.fake.backend`, :mod:`pytest_talon.fake.engine`, :mod:`pytest_talon.fake.state`,
:mod:`pytest_talon.fake.campaigns`, :mod:`pytest_talon.fake.errors`; never the handlers
(:mod:`pytest_talon.fake.api`) or the HTTP face.
"""
