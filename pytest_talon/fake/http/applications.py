"""Applications per API key: the registry behind the admin API's ``/_fake/applications``.

:class:`Applications` routes every request, admin calls included, to the Application of the key in its
``Authorization: ApiKey-v1 <key>`` header: one dictionary look-up, whatever the number of Applications. Each
Application is a fake of its own (state, caches, faults, clock and lock), made by a :data:`Spawn` callable
(:meth:`FakeTalon._spawn <pytest_talon.fake.FakeTalon>`) and wrapped in the admin API of :mod:`.admin`.

An Application starts empty, or (``copy_from``) from the state another started with: what ``POST /_fake/reset``
with that one's key restores (its campaigns files, coupons..., its clock's start), so a test runner gets the fresh
fake its in-process runs get.

May import: :mod:`pytest_talon.fake.errors` and the state's record constants and checkpoints.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable
from typing import Any

import httpx

from pytest_talon.errors import TalonError
from pytest_talon.fake.errors import BadRequest, NotFound
from pytest_talon.fake.state.checkpoint import restore
from pytest_talon.fake.state.records import APPLICATION_ID

__all__ = ["Applications", "Spawn"]

#: Makes the fake of a new Application for an API key: the fake and the lock serialising its requests.
Spawn = Callable[[str], tuple[Any, threading.RLock]]


class Applications:
    """The Applications a handler serves, by API key; ``fake`` is the default one (id 1), never dropped. ``admin``
    wraps a fake in the admin API: ``admin(fake, lock, registry, application_id)`` with a ``handle`` method."""

    def __init__(self, admin: Callable[..., Any], fake: Any, lock: threading.RLock, spawn: Spawn | None) -> None:
        self.admin = admin
        self.spawn = spawn
        self.root = admin(fake, lock, self, APPLICATION_ID)
        self.by_key: dict[str, Any] = {fake.api_key: self.root}
        self.by_id: dict[int, Any] = {APPLICATION_ID: self.root}
        self.next_id = APPLICATION_ID + 1
        self.lock = threading.Lock()

    def handle(self, request: httpx.Request) -> httpx.Response:
        scheme, _, key = request.headers.get("Authorization", "").partition(" ")
        admin = self.by_key.get(key.strip(), self.root) if scheme == "ApiKey-v1" else self.root
        answer: httpx.Response = admin.handle(request)
        return answer

    def add(self, campaigns: dict[str, Any], copy_from: int | None = None) -> Any:
        if self.spawn is None:
            raise NotFound("this handler serves one Application: serve it with FakeTalon.serve() or talon-fake serve")
        with self.lock:
            source = self.by_id.get(copy_from) if copy_from is not None else None
            missing = copy_from is not None and source is None
            known = ", ".join(str(i) for i in sorted(self.by_id)) if missing else ""
        if missing:
            message = (
                f"copyFrom: no Application {copy_from} on this server (no Application was created); it serves {known}"
            )
            raise BadRequest(message, parameter="copyFrom")
        with self.lock:
            app_id, self.next_id = self.next_id, self.next_id + 1
        # A random key, never derived from the server's: a worker holding it learns nothing of the others'.
        fake, lock = self.spawn(f"talon-fake-app-{app_id}-{secrets.token_hex(8)}")
        if source is not None:  # its baseline is immutable: no lock of the source's is needed to read it
            fake.app = restore(source.baseline, fake.clock)
        fake.app.application_id = app_id  # in every answer and record: sessions, events, catalogs, exports...
        if campaigns:
            try:
                fake.load_campaigns(campaigns)
            except (TalonError, ValueError, TypeError, KeyError) as exc:
                message = f"bad campaigns file (no Application was created): {exc}"
                raise BadRequest(message, pointer="/") from None
        admin = self.admin(fake, lock, self, app_id)
        with self.lock:
            self.by_key[fake.api_key] = admin
            self.by_id[app_id] = admin
        return admin

    def drop(self, raw_id: str) -> None:
        app_id = int(raw_id) if raw_id.isdigit() and len(raw_id) < 10 else None
        if app_id == APPLICATION_ID:
            raise BadRequest("the default Application (1) cannot be deleted: POST /_fake/reset empties it", pointer="/")
        with self.lock:
            admin = self.by_id.pop(app_id, None) if app_id is not None else None
            if admin is None:
                known = ", ".join(str(i) for i in sorted(self.by_id))
                raise NotFound(f"no Application {raw_id!r} on this server; it serves {known}")
            del self.by_key[admin.fake.api_key]
