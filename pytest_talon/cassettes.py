"""Cassettes: record Talon.One traffic of httpx clients once with vcrpy, then replay it without a network.

The public face of the cassette layer; it works without the pytest plugin::

    config = CassetteConfig(record_mode="none")
    with use_cassette(cassette_path(config.cassette_dir, "test_checkout", "test_discount"), config):
        ...  # httpx.Client / AsyncClient requests are answered from the cassette
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import vcr  # type: ignore[import-untyped]
from vcr.cassette import Cassette  # type: ignore[import-untyped]
from vcr.persisters.filesystem import CassetteNotFoundError  # type: ignore[import-untyped]

from pytest_talon._cassettes.config import (
    DEFAULT_LABEL,
    DEFAULT_MATCH_ON,
    DEFAULT_REPLACED_HEADERS,
    FAKE_LABEL,
    CassetteConfig,
    CassetteError,
    RecordMode,
    cassette_path,
)
from pytest_talon._cassettes.matching import describe_miss, make_json_body_matcher
from pytest_talon._cassettes.persister import (
    AtomicPersister,
    read_label,
    read_seed,
    scan_cassette,
    secret_forms,
)
from pytest_talon._cassettes.scrub import Scrubber

__all__ = [
    "DEFAULT_LABEL",
    "DEFAULT_MATCH_ON",
    "DEFAULT_REPLACED_HEADERS",
    "FAKE_LABEL",
    "CassetteConfig",
    "CassetteError",
    "RecordMode",
    "TalonCassette",
    "cassette_path",
    "read_cassette",
    "read_label",
    "read_seed",
    "scan_cassette",
    "secret_forms",
    "use_cassette",
]


class TalonCassette(Cassette):  # type: ignore[misc]
    """A vcrpy cassette that raises :class:`CassetteError` (path, request, closest recording) on a replay miss,
    counts what it loaded, replayed and recorded, and keeps the exchanges of this use in order
    (:attr:`exchanges`)."""

    def __init__(self, path: str, **kwargs: Any) -> None:
        super().__init__(path, **kwargs)
        self.matchers = tuple(kwargs.get("match_on", ()))
        self.loaded_count = 0
        #: (vcrpy request, response dict) of every request answered while the cassette was open, in order:
        #: replayed ones and recorded ones alike. ``None`` while the file is being loaded.
        self.exchanges: list[tuple[Any, dict[str, Any]]] | None = None
        #: The scrubbing applied to what is recorded (set by :func:`use_cassette` and :func:`read_cassette`).
        self.scrubber: Scrubber | None = None

    @classmethod
    def load(cls, **kwargs: Any) -> TalonCassette:
        """Create the cassette and read its file (if any)."""
        cassette: TalonCassette = super().load(**kwargs)
        cassette.loaded_count = len(cassette)
        cassette.exchanges = []
        return cassette

    def append(self, request: Any, response: Any) -> None:
        """Record an interaction (vcrpy scrubs it first) and log the exchange as it happened."""
        if self.exchanges is not None:
            self.exchanges.append((request, response))
        super().append(request, response)

    def play_response(self, request: Any) -> Any:
        """Answer ``request`` from the recording and log the exchange."""
        response = super().play_response(request)
        if self.exchanges is not None:
            self.exchanges.append((request, response))
        return response

    def can_play_response_for(self, request: Any) -> bool:
        """Whether a recorded answer exists; raises :class:`CassetteError` when it does not and recording is off."""
        if super().can_play_response_for(request):
            return True
        filtered = self.filter_request(request)
        if filtered is not None and self.write_protected:
            raise CassetteError(describe_miss(self, filtered, self.matchers, str(self.record_mode.value)))
        return False

    @property
    def recorded_count(self) -> int:
        """Interactions recorded while this cassette was open."""
        return len(self) - self.loaded_count

    @property
    def played_count(self) -> int:
        """Interactions answered from the cassette while it was open."""
        return int(self.play_count)


def _build_vcr(config: CassetteConfig, persister: AtomicPersister, scrubber: Scrubber) -> Any:
    recorder = vcr.VCR(
        record_mode=config.record_mode,
        match_on=config.match_on,
        before_record_request=scrubber.request,
        before_record_response=scrubber.response,
        decode_compressed_response=True,
        serializer="yaml",
    )
    recorder.register_matcher("json_body", make_json_body_matcher(config.ignore_json_paths))
    recorder.register_persister(persister)
    return recorder


class _NoFile:
    """A vcrpy persister for traffic that is observed but never saved (live mode): no file is read or written."""

    @staticmethod
    def load_cassette(cassette_path: str, serializer: Any) -> Any:
        raise CassetteNotFoundError()

    @staticmethod
    def save_cassette(cassette_path: str, cassette_dict: dict[str, Any], serializer: Any) -> None:
        return None


@contextmanager
def use_cassette(
    path: str | Path, config: CassetteConfig, *, seed: Callable[[], int | None] | None = None, save: bool = True
) -> Iterator[TalonCassette]:
    """Open the cassette at ``path``: while the block runs, every HTTP library vcrpy patches (httpx sync and async,
    requests, urllib3 and so the official ``talon_one`` SDK, aiohttp, ...) replays from it or records into it per
    ``config.record_mode``.

    ``seed`` is called when the file is written: the factory seed to store in its metadata (read it back with
    :func:`read_seed`). ``save=False`` observes the traffic (``record_mode='all'``: every request goes out, and
    :attr:`TalonCassette.exchanges` logs it) without reading or writing a file.

    Raises :class:`CassetteError` on a replay miss (inside the block), on a corrupt file (on entry) and when the
    file would contain a secret or could not be written (on exit, after the libraries are unpatched).
    """
    persister = AtomicPersister(label=config.label, secrets=config.secrets_to_scan, seed=seed)
    scrubber = Scrubber(config)
    recorder = _build_vcr(config, persister, scrubber)
    if not save:
        recorder.register_persister(_NoFile())
    options = recorder.get_merged_config(path=str(path))
    try:
        with TalonCassette.use(**options) as cassette:
            cassette.scrubber = scrubber
            yield cassette
    finally:
        if persister.errors:
            raise persister.errors[0]


def read_cassette(path: str | Path, config: CassetteConfig) -> TalonCassette:
    """Read the cassette at ``path`` without patching any HTTP library (an empty one when the file is missing):
    ``can_play_response_for`` and ``play_response`` match a ``vcr.request.Request`` the way replay does (the same
    scrubbing and ``config.match_on``; a miss raises :class:`CassetteError` with the closest recording), and
    :attr:`TalonCassette.scrubber` scrubs an answer the way recording did. Verify mode compares answers with it."""
    scrubber = Scrubber(config)
    recorder = _build_vcr(
        dataclasses.replace(config, record_mode="none"), AtomicPersister(label="", secrets=()), scrubber
    )
    options = recorder.get_merged_config(path=str(path))
    # What vcrpy's context manager consumes itself; Cassette.load takes the rest.
    for name in ("path_transformer", "func_path_generator", "record_on_exception"):
        options.pop(name, None)
    cassette: TalonCassette = TalonCassette.load(**options)
    cassette.scrubber = scrubber
    return cassette
