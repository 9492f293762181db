"""Private implementation of :mod:`pytest_talon.assertions`; import the public names from there."""
