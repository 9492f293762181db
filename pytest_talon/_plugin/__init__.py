"""Internals of the pytest plugin (:mod:`pytest_talon.plugin`, the entry module with the hooks, options, markers
and fixtures): the run's settings (:mod:`.settings`), what the endpoint fixtures hand out (:mod:`.endpoint`), the
run summary (:mod:`.report`) and verify mode's comparison (:mod:`.verify`). Private: import nothing from here in
tests of your own. Kept free of imports, so loading one module loads only what it needs.
"""
