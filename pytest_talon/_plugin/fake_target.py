"""Record mode against a talon-fake server (``talon-fake serve``, ``FakeTalon.serve()``): the plugin gives each
test the fresh state fake mode gives it, so a fixed id such as ``alice`` records the answers fake mode gives.

The target is probed once per run (``GET /_fake/clock`` with the key: only a talon-fake server answers it with
the fake's clock; a Talon.One deployment answers 404 and is never reset). Before each test that reaches the target,
``POST /_fake/reset`` takes the server back to the state it started with (its campaigns). Several xdist workers
share one server, so a reset would wipe another worker's test in flight: on workers nothing is reset and the
header says so. httpx is imported on first use.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

__all__ = ["FakeTarget", "probe_fake_target"]

#: How long the one probe of a run waits for the target (a real deployment answers fast; a dead one must not hang).
_TIMEOUT: Final = 5.0


@dataclass(frozen=True)
class FakeTarget:
    """A record target found to be a talon-fake server; :meth:`fresh` resets it unless ``shared``."""

    base_url: str
    api_key: str
    #: Whether several pytest processes (xdist workers) record against it at once: then it is never reset.
    shared: bool = False

    def describe(self) -> str:
        """The run header's line about the target."""
        if self.shared:
            return (
                "talon: the record target is a talon-fake server shared by the xdist workers: not reset between "
                "tests (record with -n 0 to give each test the fresh fake that fake mode gives)"
            )
        return "talon: the record target is a talon-fake server: reset (POST /_fake/reset) before each test"

    def fresh(self) -> None:
        """Take the server back to the state it started with, as fake mode's fresh fake per test."""
        if self.shared:
            return
        import httpx

        answer = httpx.post(f"{self.base_url}/_fake/reset", headers=_headers(self.api_key), timeout=_TIMEOUT)
        if answer.status_code != 204:
            raise RuntimeError(f"talon-fake target {self.base_url}: POST /_fake/reset answered {answer.status_code}")


def probe_fake_target(base_url: str, api_key: str, *, shared: bool = False) -> FakeTarget | None:
    """The target as a :class:`FakeTarget` when it is a talon-fake server, else ``None`` (any failure: not one)."""
    import httpx

    url = f"{base_url.rstrip('/')}/_fake/clock"
    try:
        answer = httpx.get(url, headers=_headers(api_key), timeout=_TIMEOUT)
        data = answer.json() if answer.status_code == 200 else None
    except (httpx.HTTPError, ValueError):
        return None
    if not isinstance(data, dict) or set(data) != {"now"}:
        return None
    return FakeTarget(base_url.rstrip("/"), api_key, shared=shared)


def _headers(api_key: str) -> dict[str, str]:
    return {"Authorization": f"ApiKey-v1 {api_key}"}
