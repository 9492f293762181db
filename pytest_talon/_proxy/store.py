"""Cassettes by name for the proxy: a name such as ``checkout/test_coupon`` is the file
``DIR/checkout/test_coupon.yaml``, the plugin's layout (``cassettes/<test module>/<test name>.yaml``), so Python and
other suites share cassettes.

Recording reuses the cassette layer as the plugin does: the same :class:`~pytest_talon._cassettes.scrub.Scrubber`
(the ``Authorization`` header replaced), the same :class:`~pytest_talon._cassettes.persister.AtomicPersister`
(atomic writes, label, the scan for every API key the proxy has seen). Replay reads the file with
:func:`~pytest_talon.cassettes.read_cassette`: the plugin's matchers and play-once order.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Any

from vcr.request import Request  # type: ignore[import-untyped]
from vcr.serialize import serialize  # type: ignore[import-untyped]
from vcr.serializers import yamlserializer  # type: ignore[import-untyped]

from pytest_talon._cassettes.persister import AtomicPersister, _secret_error, find_secrets
from pytest_talon._cassettes.scrub import Scrubber
from pytest_talon.cassettes import CassetteConfig, CassetteError, TalonCassette, read_cassette

__all__ = ["CassetteNameError", "Recording", "cassette_file", "play", "read_cassette"]

_SEGMENT = re.compile(r"[A-Za-z0-9_\-\[\]=,+@][A-Za-z0-9_.\-\[\]=,+@]*")
_MAX_NAME = 240


class CassetteNameError(ValueError):
    """A cassette name that is empty, too long, absolute or would leave the cassette directory."""


def cassette_file(root: Path, name: str) -> Path:
    """The file of cassette ``name`` under ``root``; :class:`CassetteNameError` when the name is not a relative
    path of plain segments (letters, digits, ``_-.[]=,+@``; no ``..``, no leading ``.`` or ``/``)."""
    if not isinstance(name, str) or not name:
        raise CassetteNameError("the cassette name is empty; send a name such as 'checkout/test_coupon'")
    if len(name) > _MAX_NAME:
        raise CassetteNameError(f"the cassette name has {len(name)} characters; at most {_MAX_NAME}")
    if name.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", name):
        raise CassetteNameError(f"the cassette name {name!r} is absolute; use a path relative to the cassette folder")
    stem = name.removesuffix(".yaml")
    for segment in stem.split("/"):
        if segment in ("", ".", "..") or not _SEGMENT.fullmatch(segment):
            raise CassetteNameError(
                f"the cassette name {name!r} has the segment {segment!r}: use '/'-separated segments of letters, "
                "digits and '_-.[]=,+@', none empty, none starting with '.' (the cassette stays inside its folder)"
            )
    path = root / f"{stem}.yaml"
    if not path.resolve().is_relative_to(root.resolve()):
        raise CassetteNameError(f"the cassette name {name!r} leads outside the cassette folder {root}")
    return path


class Recording:
    """One cassette being recorded. Each exchange is scrubbed and scanned for secrets as it arrives (an exchange
    that would put one in the cassette is refused and not kept); :meth:`save` writes the whole cassette at once
    (atomically, scanned again), so the file on disk is always complete and writing stays linear in its size."""

    def __init__(self, path: Path, config: CassetteConfig) -> None:
        self.path = path
        self.config = config
        self.scrubber = Scrubber(config)
        self.requests: list[Any] = []
        self.responses: list[dict[str, Any]] = []
        self.secrets: tuple[str, ...] = config.secrets_to_scan
        self.saved = 0
        self.lock = threading.Lock()

    def append(self, request: Request, response: dict[str, Any], secrets: tuple[str, ...]) -> None:
        """Scrub and keep one exchange; :class:`CassetteError` (nothing kept) when it would hold one of
        ``secrets`` (the API keys seen so far) or the configured ones."""
        scrubbed = self.scrubber.request(request), self.scrubber.response(response)
        with self.lock:
            self.secrets = tuple(dict.fromkeys((*self.secrets, *secrets)))
            text = serialize({"requests": [scrubbed[0]], "responses": [scrubbed[1]]}, yamlserializer)
            found = find_secrets(text, self.secrets)
            if found:
                raise _secret_error(self.path, found, written=False)
            self.requests.append(scrubbed[0])
            self.responses.append(scrubbed[1])

    def save(self) -> None:
        """Write the cassette if it has exchanges not yet written; :class:`CassetteError` when it cannot be."""
        with self.lock:
            if self.saved == len(self.requests):
                return
            persister = AtomicPersister(label=self.config.label, secrets=self.secrets)
            persister.save_cassette(self.path, {"requests": self.requests, "responses": self.responses}, yamlserializer)
            if persister.errors:
                raise persister.errors[0]
            self.saved = len(self.requests)

    def __len__(self) -> int:
        return len(self.requests)


def play(cassette: TalonCassette, request: Request) -> dict[str, Any]:
    """The recorded answer to ``request`` (each recorded answer once, in order); :class:`CassetteError` naming the
    closest recorded request when there is none."""
    from vcr.errors import UnhandledHTTPRequestError  # type: ignore[import-untyped]

    try:
        cassette.can_play_response_for(request)
        response: dict[str, Any] = cassette.play_response(request)
    except UnhandledHTTPRequestError as exc:
        raise CassetteError(str(exc)) from exc
    return response
