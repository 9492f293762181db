"""The HTTP face of the fake: how requests reach the handlers, in-process or over a socket.

- :mod:`.face` - :class:`~.face.HttpFace`, the one ``httpx.Request -> httpx.Response`` pipeline (authentication,
  routing, decoding, locking, JSON encoding of replies and errors, the request log).
- :mod:`.routes` - the route table built from the spec's paths.
- :mod:`.adapters` - in-process httpx transports and the respx router.
- :mod:`.server` - :class:`~.server.LoopbackServer`, the threaded loopback HTTP server.

May import: :func:`pytest_talon.fake.api.calls.handle` and the call decoding (never a domain handler module),
:mod:`pytest_talon.fake.state` (the Application and its request log) and :mod:`pytest_talon.fake.errors`.
"""
