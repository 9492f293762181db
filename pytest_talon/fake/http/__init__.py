"""The HTTP face of the fake: how requests reach the handlers, in-process or over a socket.

- :mod:`.face` - :class:`~.face.HttpFace`, the one ``httpx.Request -> httpx.Response`` pipeline (authentication,
  routing, decoding, locking, JSON encoding of replies and errors, the request log).
- :mod:`.routes` - the route table built from the spec's paths.
- :mod:`.adapters` - in-process httpx transports and the respx router.
- :mod:`.server` - :class:`~.server.LoopbackServer`, the threaded loopback HTTP server.
- :mod:`.framing` - request bodies read within limits, and the server's own answers as JSON errors.
- :mod:`.guards` - what the face checks before decoding: 405 methods, injected faults, too deeply nested bodies.
- :mod:`.admin` - the admin API under ``/_fake/`` (reset, campaigns, clock, request log, faults, webhooks, state).
- :mod:`.memory` - ``talon-fake serve`` under the C allocator, and its heap trimmed after a reset.

May import: :func:`pytest_talon.fake.api.calls.handle` and the call decoding (never a domain handler module),
:mod:`pytest_talon.fake.state` (the Application and its request log) and :mod:`pytest_talon.fake.errors`.
"""
