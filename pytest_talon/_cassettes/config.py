"""The cassette settings (:class:`CassetteConfig`) and the error every cassette problem raises."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Final, Literal, get_args

from pytest_talon._cassettes.jsonpath import JsonPathError, parse_path
from pytest_talon.errors import TalonError

__all__ = [
    "DEFAULT_LABEL",
    "DEFAULT_MATCH_ON",
    "DEFAULT_REPLACED_HEADERS",
    "FAKE_LABEL",
    "KNOWN_MATCHERS",
    "CassetteConfig",
    "CassetteError",
    "RecordMode",
    "cassette_path",
    "masked_repr",
]

#: How a cassette treats requests it has no recording for (vcrpy's record modes).
RecordMode = Literal["none", "once", "new_episodes", "all"]

#: The request parts compared by default: method, path, query string and JSON body (key order insensitive).
DEFAULT_MATCH_ON: Final = ("method", "path", "query", "json_body")

#: Matcher names ``match_on`` accepts: vcrpy's built-in ones plus our ``json_body``.
KNOWN_MATCHERS: Final = frozenset(
    {"method", "uri", "url", "scheme", "host", "port", "path", "query", "headers", "raw_body", "body", "json_body"}
)

#: Headers replaced by a fixed text in both directions unless configured otherwise.
DEFAULT_REPLACED_HEADERS: Final[Mapping[str, str]] = {
    "Authorization": "ApiKey-v1 <TALON_API_KEY>",
    "Set-Cookie": "<set-cookie>",
}

#: Metadata label for cassettes recorded against a real Talon.One deployment.
DEFAULT_LABEL: Final = "recorded against a Talon.One deployment"

#: Metadata label for cassettes recorded against pytest-talon's own fake server.
FAKE_LABEL: Final = "recorded against the pytest-talon fake"

_KIND = re.compile(r"[A-Za-z][A-Za-z0-9_.\-]*")
_UNSAFE = re.compile(r"[^A-Za-z0-9_.\-\[\]=,+@]")
_MAX_NAME = 120


def masked_repr(instance: object, secret_fields: tuple[str, ...] = ("api_key", "secrets")) -> str:
    """The dataclass-style repr of ``instance`` with ``secret_fields`` shown as ``'***'``, so keys printed by a
    failing test (pytest shows fixture values) never reach CI logs."""
    parts = []
    for item in fields(instance):  # type: ignore[arg-type]
        value = getattr(instance, item.name)
        if item.name in secret_fields and value:
            value = tuple("***" for _ in value) if isinstance(value, tuple) else "***"
        parts.append(f"{item.name}={value!r}")
    return f"{type(instance).__name__}({', '.join(parts)})"


class CassetteError(TalonError):
    """A cassette could not be replayed, loaded or written (replay miss, secret found, corrupt file)."""

    __module__ = "pytest_talon.cassettes"  # where users import it from; tracebacks show that name


@dataclass(frozen=True, repr=False)
class CassetteConfig:
    """How cassettes are located, matched, scrubbed and labelled; pass it to :func:`use_cassette`. The repr masks
    ``api_key`` and ``secrets``.

    Scrub maps go from a header name, query parameter or JSON path to a placeholder *kind*: every distinct value
    becomes ``<kind-1>``, ``<kind-2>``, ... (the same value always gets the same placeholder within a cassette).
    """

    cassette_dir: Path = Path("cassettes")
    record_mode: RecordMode = "none"
    match_on: tuple[str, ...] = DEFAULT_MATCH_ON
    ignore_json_paths: tuple[str, ...] = ()
    replace_headers: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_REPLACED_HEADERS))
    scrub_headers: Mapping[str, str] = field(default_factory=dict)
    scrub_query: Mapping[str, str] = field(default_factory=dict)
    scrub_json_paths: Mapping[str, str] = field(default_factory=dict)
    api_key: str | None = None
    secrets: tuple[str, ...] = ()
    label: str = DEFAULT_LABEL
    #: Verify mode: JSON paths of answers never compared with the recording (``ignore_json_paths`` are skipped
    #: too: a value volatile in a request is volatile where the answer echoes it).
    verify_ignore: tuple[str, ...] = ()

    def __repr__(self) -> str:
        return masked_repr(self)

    def __post_init__(self) -> None:
        object.__setattr__(self, "cassette_dir", Path(self.cassette_dir))
        if self.record_mode not in get_args(RecordMode):
            raise CassetteError(
                f"unknown cassette record mode {self.record_mode!r}; use one of {', '.join(get_args(RecordMode))}"
            )
        unknown = sorted(set(self.match_on) - KNOWN_MATCHERS)
        if unknown:
            raise CassetteError(f"unknown matcher(s) {unknown} in match_on; known: {sorted(KNOWN_MATCHERS)}")
        self._check_paths((*self.ignore_json_paths, *self.scrub_json_paths, *self.verify_ignore))
        self._check_kinds({**self.scrub_headers, **self.scrub_query, **self.scrub_json_paths})

    @property
    def secrets_to_scan(self) -> tuple[str, ...]:
        """The raw values that must never appear in a written cassette: the API key and ``secrets``."""
        return tuple(value for value in (self.api_key, *self.secrets) if value)

    @staticmethod
    def _check_paths(paths: tuple[str, ...]) -> None:
        for path in paths:
            try:
                parse_path(path)
            except JsonPathError as exc:
                raise CassetteError(f"invalid JSON path in the cassette config: {exc}") from exc

    @staticmethod
    def _check_kinds(kinds: Mapping[str, str]) -> None:
        for where, kind in kinds.items():
            if not _KIND.fullmatch(kind):
                raise CassetteError(
                    f"placeholder kind {kind!r} for {where!r} is invalid: use letters, digits, '_', '-' or '.', "
                    "starting with a letter (for example 'email')"
                )


def cassette_path(cassette_dir: str | Path, test_module_name: str, test_name: str) -> Path:
    """The default cassette location ``<cassette_dir>/<test module>/<test name>.yaml``, with unsafe characters
    (from parametrize ids) replaced and a short hash added so distinct names never share a file."""
    return Path(cassette_dir) / _safe_name(test_module_name) / f"{_safe_name(test_name)}.yaml"


def _safe_name(name: str) -> str:
    cleaned = _UNSAFE.sub("_", name.replace("::", "."))
    if cleaned == name and len(name) <= _MAX_NAME and not name.startswith("."):
        return name
    digest = hashlib.sha1(name.encode("utf-8")).hexdigest()[:8]
    return f"{cleaned.lstrip('.')[:_MAX_NAME] or 'cassette'}-{digest}"
