"""``talon-fake proxy``: record, replay and verify the traffic of a suite in any language through a loopback proxy.

- :mod:`.arguments` - the ``proxy`` sub-command's options (argparse only, cheap to import).
- :mod:`.store` - cassettes by name: recorded and replayed with the plugin's cassette layer.
- :mod:`.handler` - :class:`~.handler.ProxyHandler`, the ``httpx.Request -> httpx.Response`` handler of each mode.
- :mod:`.cli` - runs the handler on a :class:`~pytest_talon.fake.http.server.LoopbackServer`.

The proxy sits above the fake and the cassettes. May import: :mod:`pytest_talon.cassettes` and its internals,
:mod:`pytest_talon._plugin.verify` (the plugin's verify comparison), :mod:`pytest_talon._spec`,
:mod:`pytest_talon.fake` (the server, framing, the fake itself, the CLI's helpers).
"""
