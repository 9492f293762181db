"""The rule engine: what campaign declarations do to a session, a profile or an event.

- :mod:`.evaluation` - :func:`~.evaluation.evaluate`: campaigns in id order (evaluation groups where their lowest
  campaign id falls), conditions, effects, coupon and referral verdicts, in the wire envelope.
- :mod:`.context` - the :class:`~.context.RuleContext` a rule sees and the :class:`~.context.Produced` effects.
- :mod:`.conditions` - one predicate per condition kind (:data:`~.conditions.CONDITION_CHECKS`).
- :mod:`.registry` - the effect registry: :func:`~.registry.effect` registers a declared effect's builder with its
  docs line, :func:`~.registry.emitted` documents the other effect types the fake emits.
- :mod:`.effects` - one builder per effect kind, each registered where it is defined; :mod:`.discounts` - the
  discount builders.
- :mod:`.groups` - campaign evaluation groups in evaluation order; :mod:`.codes` - creating coupon and referral
  codes and why one cannot be used now.
- :mod:`.lifecycle` - what closing a session commits, and what cancel, reopen and returns roll back.
- :mod:`.loyalty` - program dates and tiers on loyalty effects; :mod:`.achievements` - achievement progress and
  its effects.

May import: :mod:`pytest_talon.fake.state`, :mod:`pytest_talon.fake.campaigns`, :mod:`pytest_talon.fake.errors`
(and ``pytest_talon.fake.talang``, the Talang interpreter, once it exists); never the handlers or the HTTP face.
"""
