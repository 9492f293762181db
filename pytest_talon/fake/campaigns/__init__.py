"""The campaign vocabulary a test declares: campaigns, rules, conditions, effects and evaluation groups.

Plain, validated, frozen dataclasses with no behaviour; the same vocabulary is read from campaigns files by
:mod:`pytest_talon.fake.setup`. What the declarations *do* is :mod:`pytest_talon.fake.engine`.

- :mod:`.conditions` - one class per condition kind and :data:`~.conditions.CONDITION_KINDS`.
- :mod:`.effects` - one class per effect kind and :data:`~.effects.EFFECT_KINDS`.
- :mod:`.campaign` - :class:`~.campaign.Rule`, :class:`~.campaign.CampaignLimits`, :class:`~.campaign.Campaign`
  (declared rules, or a Talang ``ruleset`` compiled by :mod:`pytest_talon.fake.talang`).
- :mod:`.groups` - :class:`~.groups.EvaluationGroup` and its modes.

May import: :mod:`pytest_talon.fake.errors` and :mod:`pytest_talon.fake.talang` (a campaign's Talang ruleset).
"""
