"""Run-wide settings of the plugin, resolved once from the command line, the ini file and the environment.

Precedence: command line, then ini key, then environment variable (for the deployment URL and key), then default.
Kept free of fixtures so it can be tested and reused without pytest's machinery.
"""

from __future__ import annotations

import os
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

import pytest

from pytest_talon._cassettes.config import DEFAULT_LABEL, FAKE_LABEL, CassetteConfig, masked_repr
from pytest_talon._cassettes.jsonpath import JsonPathError, parse_path
from pytest_talon._seed import DEFAULT_BASE_SEED

__all__ = [
    "MODES",
    "RECORD_MODES",
    "VERIFY_ACTIONS",
    "Mode",
    "Settings",
    "add_options",
    "cassette_config",
    "header",
    "remote_target",
    "resolve_settings",
]

Mode = Literal["fake", "replay", "record", "live", "verify"]
MODES: tuple[Mode, ...] = ("fake", "replay", "record", "live", "verify")
RECORD_MODES = ("once", "new_episodes", "all")
#: What a difference between the fake and the recording does in verify mode: fail the test, or only report it.
VERIFY_ACTIONS = ("fail", "warn")

#: Base URL used in replay mode when none is configured: cassettes match on path, never on host.
REPLAY_BASE_URL = "https://replay.talon.invalid"

_LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})

#: What ``--talon-seed`` / ``talon_seed`` accept besides an integer: a fresh random base seed for this run.
RANDOM_SEED = "random"


@dataclass(frozen=True, repr=False)
class Settings:
    """What the plugin was asked to do in this run (the API key is masked in the repr)."""

    mode: Mode
    #: The base seed every test's seed derives from (with the test id).
    seed: int
    base_url: str | None
    api_key: str | None
    record_mode: str
    #: None: each test's cassettes live beside it, in ``<test file's directory>/cassettes``.
    cassette_dir: Path | None
    campaigns: Path | None
    report: Path | None
    allow_live: bool
    #: True when ``--talon-seed=random`` chose :attr:`seed` for this run.
    seed_is_random: bool = False
    #: Verify mode: ``fail`` (a difference fails the test) or ``warn`` (reported only).
    verify: str = "fail"
    #: Verify mode: JSON paths of answers never compared (``$.effects[*].props.value``).
    verify_ignore: tuple[str, ...] = ()

    def __repr__(self) -> str:
        return masked_repr(self)

    @property
    def uses_network(self) -> bool:
        """True in the modes that talk to a real deployment (record and live)."""
        return self.mode in ("record", "live")

    @property
    def uses_fake(self) -> bool:
        """True in the modes where the test's fake answers (fake, and verify which also checks the answers)."""
        return self.mode in ("fake", "verify")


def add_options(parser: pytest.Parser) -> None:
    """Register the ``talon`` option group and its ini keys."""
    group = parser.getgroup("talon", "Talon.One Integration API testing (pytest-talon)")
    group.addoption(
        "--talon-mode",
        choices=MODES,
        help="where Talon.One requests go: fake (in-process fake, default), replay (cassettes only), "
        "record (live deployment, writes cassettes), live (live deployment, no cassettes), verify (in-process "
        "fake, each answer compared with the test's cassette). ini: talon_mode",
    )
    group.addoption(
        "--talon-base-url",
        help="deployment URL for record/live modes, e.g. https://acme.europe-west1.talon.one. "
        "ini: talon_base_url; env: TALON_BASE_URL",
    )
    group.addoption(
        "--talon-record-mode",
        choices=RECORD_MODES,
        help="vcrpy record mode in record mode: once (default), new_episodes or all. ini: talon_record_mode",
    )
    group.addoption(
        "--talon-allow-live",
        action="store_true",
        default=None,
        help="allow record/live modes when the CI environment variable is set. ini: talon_allow_live",
    )
    group.addoption(
        "--talon-seed",
        metavar="N|random",
        help=f"base seed for factories and talon_faker (default: {DEFAULT_BASE_SEED}; 'random' picks a new one, "
        "shown in the header). ini: talon_seed",
    )
    group.addoption(
        "--talon-cassette-dir",
        help="cassette directory, relative to the rootdir (default: a 'cassettes' directory beside each test "
        "file). ini: talon_cassette_dir",
    )
    group.addoption(
        "--talon-report", metavar="PATH", help="write the run's Talon.One summary as JSON to PATH. ini: talon_report"
    )
    group.addoption(
        "--talon-verify",
        choices=VERIFY_ACTIONS,
        help="in verify mode, what an answer that differs from the recording does: fail the test (default) or "
        "warn (reported in the summary and --talon-report only). ini: talon_verify",
    )
    parser.addini("talon_mode", "default for --talon-mode", default="fake")
    parser.addini("talon_base_url", "default for --talon-base-url")
    parser.addini("talon_record_mode", "default for --talon-record-mode", default="once")
    parser.addini("talon_allow_live", "default for --talon-allow-live", type="bool", default=False)
    parser.addini("talon_seed", "default for --talon-seed")
    parser.addini("talon_cassette_dir", "default for --talon-cassette-dir")
    parser.addini("talon_report", "default for --talon-report (rootdir-relative)")
    parser.addini("talon_verify", "default for --talon-verify", default="fail")
    parser.addini(
        "talon_verify_ignore",
        "verify mode: JSON paths of answers never compared, one per line ($.effects[*].props.value)",
        type="linelist",
        default=[],
    )
    parser.addini("talon_campaigns", "YAML/JSON campaigns file preloaded into every talon_fake (rootdir-relative)")


def _option(config: pytest.Config, name: str) -> str | None:
    value = config.getoption(name, default=None)
    if value is None:
        ini = config.getini(name)
        value = ini if ini not in ("", None) else None
    return None if value is None else str(value)


def _path(config: pytest.Config, value: str | None) -> Path | None:
    if value is None:
        return None
    path = Path(value)
    return path if path.is_absolute() else Path(config.rootpath) / path


def resolve_settings(config: pytest.Config, environ: dict[str, str] | None = None) -> Settings:
    """Read and check every option; raise :class:`pytest.UsageError` with the fix for a bad combination."""
    env = dict(os.environ if environ is None else environ)
    mode = _option(config, "talon_mode") or "fake"
    if mode not in MODES:
        raise pytest.UsageError(f"talon_mode = {mode!r} is not a mode; use one of: {', '.join(MODES)}")
    record_mode = _option(config, "talon_record_mode") or "once"
    if record_mode not in RECORD_MODES:
        raise pytest.UsageError(f"talon_record_mode = {record_mode!r}; use one of: {', '.join(RECORD_MODES)}")
    verify = _option(config, "talon_verify") or "fail"
    if verify not in VERIFY_ACTIONS:
        raise pytest.UsageError(f"talon_verify = {verify!r}; use one of: {', '.join(VERIFY_ACTIONS)}")
    seed, seed_is_random = _seed(_option(config, "talon_seed"))
    allow = config.getoption("talon_allow_live")
    settings = Settings(
        mode=mode,
        seed=seed,
        base_url=_option(config, "talon_base_url") or env.get("TALON_BASE_URL") or None,
        api_key=env.get("TALON_API_KEY") or None,
        record_mode=record_mode,
        cassette_dir=_path(config, _option(config, "talon_cassette_dir")),
        campaigns=_path(config, _option(config, "talon_campaigns")),
        report=_path(config, _option(config, "talon_report")),
        allow_live=bool(allow if allow is not None else config.getini("talon_allow_live")),
        seed_is_random=seed_is_random,
        verify=verify,
        verify_ignore=_json_paths(config.getini("talon_verify_ignore")),
    )
    if settings.campaigns is not None and not settings.campaigns.is_file():
        raise pytest.UsageError(
            f"talon_campaigns = {settings.campaigns}: no such file; fix the ini key (paths are rootdir-relative)"
        )
    _check_live(settings, env)
    return settings


def _json_paths(lines: list[str]) -> tuple[str, ...]:
    for line in lines:
        try:
            parse_path(line)
        except JsonPathError as exc:
            raise pytest.UsageError(f"talon_verify_ignore: {exc}") from None
    return tuple(lines)


def _seed(text: str | None) -> tuple[int, bool]:
    """The base seed and whether it was picked at random: the default, an integer, or ``random``."""
    if text is None:
        return DEFAULT_BASE_SEED, False
    if text.strip().lower() == RANDOM_SEED:
        return random.SystemRandom().randrange(2**32), True
    try:
        return int(text), False
    except ValueError:
        raise pytest.UsageError(
            f"talon_seed = {text!r} is neither an integer nor 'random'; use --talon-seed=N to repeat a run, "
            "or --talon-seed=random to explore"
        ) from None


def _check_live(settings: Settings, env: dict[str, str]) -> None:
    if not settings.uses_network:
        return
    if env.get("CI") and not settings.allow_live:
        raise pytest.UsageError(
            f"--talon-mode={settings.mode} talks to a live Talon.One deployment, and the CI environment variable is "
            "set: refusing. Use --talon-mode=replay in CI, or pass --talon-allow-live if this is intended."
        )
    if not settings.base_url:
        raise pytest.UsageError(
            f"--talon-mode={settings.mode} needs the deployment URL: set TALON_BASE_URL (or --talon-base-url, "
            "or the talon_base_url ini key)."
        )
    if not settings.api_key:
        raise pytest.UsageError(
            f"--talon-mode={settings.mode} needs an Integration API key: set the TALON_API_KEY environment variable."
        )


def header(settings: Settings) -> str:
    """The run's header line: the mode and the base seed (a random one with how to repeat the run)."""
    where = f", base URL {settings.base_url}" if settings.uses_network else ""
    if settings.seed_is_random:
        seed = f"seed={settings.seed} (random; repeat with --talon-seed={settings.seed})"
    else:
        seed = f"seed={settings.seed}"
    if settings.mode == "verify":
        where = ", differences from the recordings " + ("fail the test" if settings.verify == "fail" else "reported")
    return f"talon: mode={settings.mode}, {seed}{where}"


def remote_target(settings: Settings) -> tuple[str, str]:
    """The base URL and API key outside the fake: the deployment (record, live) or the replay placeholders."""
    if settings.mode == "replay":
        return settings.base_url or REPLAY_BASE_URL, settings.api_key or "replay-key"
    if settings.base_url is None or settings.api_key is None:  # pragma: no cover - resolve_settings checked it
        raise pytest.UsageError("TALON_BASE_URL and TALON_API_KEY must be set outside fake and replay modes")
    return settings.base_url, settings.api_key


def cassette_config(settings: Settings, cassette_dir: Path) -> CassetteConfig:
    """The cassette settings of the mode, for cassettes in ``cassette_dir`` (the ``talon_cassette_dir`` fixture's)."""
    record_mode = {"record": settings.record_mode, "live": "all"}.get(settings.mode, "none")
    host = urlsplit(settings.base_url or REPLAY_BASE_URL).hostname
    return CassetteConfig(
        cassette_dir=cassette_dir,
        record_mode=record_mode,  # type: ignore[arg-type]
        api_key=settings.api_key,
        label=FAKE_LABEL if host in _LOOPBACK_HOSTS else DEFAULT_LABEL,
        verify_ignore=settings.verify_ignore,
    )
