"""Internals of :mod:`pytest_talon.cassettes`: JSON paths, scrubbing, matching, persistence. Import from
:mod:`pytest_talon.cassettes` instead."""
