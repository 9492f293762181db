"""Record mode against a talon-fake server (``talon-fake serve``, ``FakeTalon.serve()``): the plugin gives each
test the fresh state fake mode gives it, so a fixed id such as ``alice`` records the answers fake mode gives.

The target is probed once per process (``GET /_fake/clock`` with the key: only a talon-fake server answers it with
the fake's clock; a Talon.One deployment answers 404 and is never touched). Each test that reaches the target then
records against an Application of its own: ``POST /_fake/applications?copyFrom=1`` starts one from the state the
server started with (its campaigns), the test's endpoint carries its key, and ``DELETE /_fake/applications/{id}``
drops it after the test. Several xdist workers can share the server: no test sees another's state.

An older talon-fake without Applications (or without ``copyFrom``, found by the probe creating and dropping one) is
reset instead (``POST /_fake/reset``) before each test, and only without xdist: a reset would wipe another worker's
test in flight. The run header says which. httpx is imported on first use.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Final

__all__ = ["FakeTarget", "probe_fake_target"]

#: How long each admin call waits for the target (a real deployment answers fast; a dead one must not hang).
_TIMEOUT: Final = 5.0
#: The Application a test's copy starts from: the server's default one, as it started.
_DEFAULT_APPLICATION: Final = 1


@dataclass(frozen=True)
class FakeTarget:
    """A record target found to be a talon-fake server: :meth:`fresh` gives a test the fresh fake."""

    base_url: str
    #: The run's key (kept out of the repr, so a traceback or ``--showlocals`` never prints it).
    api_key: str = field(repr=False)
    #: Whether the server offers Applications copied from its default one (else it is reset, when not shared).
    applications: bool = True
    #: Whether several pytest processes (xdist workers) record against it at once (matters only for a reset).
    shared: bool = False

    def describe(self) -> str:
        """The run header's line about the target."""
        if self.applications:
            return (
                "talon: the record target is a talon-fake server: each test records against a fresh Application "
                f"of its own (POST /_fake/applications?copyFrom={_DEFAULT_APPLICATION}, deleted after the test)"
            )
        older = (
            "a talon-fake server that makes no Applications for this key (an older talon-fake, or an Application's key)"
        )
        if self.shared:
            return (
                f"talon: the record target is {older} shared by the xdist workers: not reset between tests "
                "(record with -n 0, or serve a newer talon-fake, to give each test the fresh fake of fake mode)"
            )
        return f"talon: the record target is {older}: reset (POST /_fake/reset) before each test"

    @contextmanager
    def fresh(self) -> Iterator[str]:
        """Give one test the fresh fake: yields the API key its requests carry (a new Application's, else the
        server's after a reset), dropping the Application when the block ends."""
        import httpx

        if not self.applications:
            if not self.shared:
                answer = httpx.post(f"{self.base_url}/_fake/reset", headers=self._headers(), timeout=_TIMEOUT)
                _check(answer, 204, self.base_url)
            yield self.api_key
            return
        app_id, key = self._create()
        try:
            yield key
        finally:
            self._drop(app_id)

    def _create(self) -> tuple[int, str]:
        import httpx

        url = f"{self.base_url}/_fake/applications?copyFrom={_DEFAULT_APPLICATION}"
        answer = httpx.post(url, headers=self._headers(), timeout=_TIMEOUT)
        _check(answer, 201, self.base_url)
        created: dict[str, Any] = answer.json()
        return int(created["applicationId"]), str(created["apiKey"])

    def _drop(self, app_id: int) -> None:
        import httpx

        url = f"{self.base_url}/_fake/applications/{app_id}"
        _check(httpx.delete(url, headers=self._headers(), timeout=_TIMEOUT), 204, self.base_url)

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"ApiKey-v1 {self.api_key}"}


def _check(answer: Any, status: int, base_url: str) -> None:
    if answer.status_code != status:
        request = answer.request
        raise RuntimeError(
            f"talon-fake record target {base_url}: {request.method} {request.url.raw_path.decode()} answered "
            f"{answer.status_code} (expected {status}): {answer.text[:200]}"
        )


def probe_fake_target(base_url: str, api_key: str, *, shared: bool = False) -> FakeTarget | None:
    """The target as a :class:`FakeTarget` when it is a talon-fake server, else ``None`` (any failure: not one)."""
    import httpx

    target = FakeTarget(base_url.rstrip("/"), api_key, shared=shared)
    try:
        answer = httpx.get(f"{target.base_url}/_fake/clock", headers=target._headers(), timeout=_TIMEOUT)
        data = answer.json() if answer.status_code == 200 else None
    except (httpx.HTTPError, ValueError):
        return None
    if not isinstance(data, dict) or set(data) != {"now"}:
        return None
    return FakeTarget(target.base_url, api_key, applications=_copies_applications(target), shared=shared)


def _copies_applications(target: FakeTarget) -> bool:
    """Whether the server makes Applications copied from its default one: it creates one (dropped at once) and
    says ``copiedFrom`` (an older server answers 404, or creates an empty one without saying so)."""
    import httpx

    url = f"{target.base_url}/_fake/applications?copyFrom={_DEFAULT_APPLICATION}"
    try:
        answer = httpx.post(url, headers=target._headers(), timeout=_TIMEOUT)
        created = answer.json() if answer.status_code == 201 else None
        if not isinstance(created, dict) or "applicationId" not in created:
            return False
        target._drop(int(created["applicationId"]))
    except (httpx.HTTPError, ValueError, RuntimeError):
        return False
    return created.get("copiedFrom") == _DEFAULT_APPLICATION
