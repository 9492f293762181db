"""Writing and reading cassette files: atomic writes, a metadata label, and a scan for secrets."""

from __future__ import annotations

import base64
import json
import os
import uuid
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus

import yaml
from vcr.persisters.filesystem import CassetteNotFoundError  # type: ignore[import-untyped]
from vcr.serialize import deserialize, serialize  # type: ignore[import-untyped]
from vcr.serializers import yamlserializer  # type: ignore[import-untyped]

from pytest_talon._cassettes.config import CassetteError

__all__ = [
    "METADATA_KEY",
    "AtomicPersister",
    "find_secrets",
    "read_label",
    "read_metadata",
    "read_seed",
    "scan_cassette",
    "secret_forms",
]

#: Key under the cassette's ``metadata`` mapping where pytest-talon keeps its label.
METADATA_KEY = "pytest-talon"


def secret_forms(secret: str) -> dict[str, str]:
    """The ways a secret can be written into a cassette, by name: raw, URL-encoded (``quote`` with and without
    ``/`` kept, ``quote_plus``, lower-case escapes), base64 (standard and URL-safe, with or without padding) and
    JSON-escaped. Forms equal to an earlier one are left out."""
    raw = secret.encode("utf-8")
    candidates = {
        "raw": secret,
        "URL-encoded": quote(secret, safe=""),
        "URL-encoded, '/' kept": quote(secret),
        "URL-encoded (quote_plus)": quote_plus(secret),
        "URL-encoded, lower-case": _lower_escapes(quote(secret, safe="")),
        "base64": base64.b64encode(raw).decode().rstrip("="),
        "base64 (URL-safe)": base64.urlsafe_b64encode(raw).decode().rstrip("="),
        "JSON-escaped": json.dumps(secret)[1:-1],
        "JSON-escaped (ASCII)": json.dumps(secret, ensure_ascii=True)[1:-1],
        "JSON-escaped, '/' escaped": json.dumps(secret)[1:-1].replace("/", "\\/"),
    }
    forms: dict[str, str] = {}
    for name, form in candidates.items():
        if form and form not in forms.values():
            forms[name] = form
    return forms


def _lower_escapes(text: str) -> str:
    parts = text.split("%")
    return parts[0] + "".join("%" + part[:2].lower() + part[2:] for part in parts[1:])


def find_secrets(text: str, secrets: Sequence[str]) -> list[str]:
    """Describe where ``text`` (a serialised cassette) contains one of ``secrets`` in any of its
    :func:`secret_forms`, with the secret masked: each line holding it, or the parsed value holding it when YAML
    folded it across lines or stored it as binary."""
    wanted = [
        (form, f"<SECRET #{position + 1}{'' if name == 'raw' else f', {name}'}>")
        for position, secret in enumerate(secrets)
        if secret
        for name, form in secret_forms(secret).items()
    ]
    wanted.sort(key=lambda pair: -len(pair[0]))  # longer forms first, so a form inside another is masked whole
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        if _holds(line, wanted):
            found.append(f"line {number}: {_mask(line, wanted)}")
    if not found:
        found = [f"in a stored value: {_mask(value, wanted)}" for value in _texts(text) if _holds(value, wanted)]
    return found


def _mask(text: str, secrets: Sequence[tuple[str, str]]) -> str:
    """``text`` with each secret form replaced by its ``<SECRET #n, form>``, cut to a window around the first."""
    for form, label in secrets:
        text = text.replace(form, label)
    text = " ".join(text.split())
    start = max(text.find("<SECRET #") - 80, 0)
    return ("..." if start else "") + text[start : start + 200]


def _holds(text: str, secrets: Sequence[tuple[str, str]]) -> bool:
    return any(form in text for form, _label in secrets)


def _texts(text: str) -> Iterator[str]:
    """Every string (and UTF-8-decoded bytes value) in the parsed cassette; nothing when it does not parse."""
    try:
        stack: list[Any] = [yamlserializer.deserialize(text)]
    except yaml.YAMLError:
        return
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            stack.extend([*value.keys(), *value.values()])
        elif isinstance(value, (list, tuple)):
            stack.extend(value)
        elif isinstance(value, (str, bytes)):
            yield value if isinstance(value, str) else value.decode("utf-8", errors="replace")


def _secret_error(path: Path, found: list[str], *, written: bool) -> CassetteError:
    state = "contains" if written else "would contain (so it was not written)"
    lines = [f"cassette {path} {state} a secret (the API key or a configured secret, raw or encoded):"]
    lines.extend(f"  {item}" for item in found[:10])
    lines.append("To fix: scrub that value (replace_headers, scrub_headers, scrub_query or scrub_json_paths).")
    return CassetteError("\n".join(lines))


def scan_cassette(path: Path, secrets: Sequence[str]) -> None:
    """Raise :class:`CassetteError` if the file at ``path`` contains one of ``secrets``."""
    found = find_secrets(Path(path).read_text(encoding="utf-8"), secrets)
    if found:
        raise _secret_error(Path(path), found, written=True)


def read_metadata(path: Path) -> dict[str, Any]:
    """pytest-talon's metadata stored in a cassette (``label``, ``seed``); empty when it has none."""
    data = yamlserializer.deserialize(Path(path).read_text(encoding="utf-8")) or {}
    return dict((data.get("metadata") or {}).get(METADATA_KEY) or {})


def read_label(path: Path) -> str | None:
    """The pytest-talon label stored in a cassette's metadata, or ``None`` when it has none."""
    label = read_metadata(path).get("label")
    return str(label) if label is not None else None


def read_seed(path: Path) -> int | None:
    """The factory seed the test used when it recorded the cassette at ``path``; ``None`` when the file is
    missing or has none."""
    if not Path(path).is_file():
        return None
    seed = read_metadata(path).get("seed")
    return int(seed) if seed is not None else None


class AtomicPersister:
    """A vcrpy persister (``VCR.register_persister``) that writes through a temporary file and ``os.replace``,
    labels the cassette and refuses to write secrets.

    Errors while saving are kept in :attr:`errors` instead of raised, because vcrpy saves before it removes its
    patches from httpx; :func:`pytest_talon.cassettes.use_cassette` raises them once the patches are gone.
    """

    def __init__(self, *, label: str, secrets: Sequence[str], seed: Callable[[], int | None] | None = None) -> None:
        self.label = label
        self.secrets = tuple(secrets)
        #: Called when saving: the factory seed to store in the metadata (``None``: store none).
        self.seed = seed
        self.errors: list[CassetteError] = []

    def load_cassette(self, cassette_path: str | os.PathLike[str], serializer: Any) -> Any:
        """Read and parse a cassette; a missing or empty file is reported to vcrpy as not found."""
        path = Path(cassette_path)
        if not path.is_file():
            raise CassetteNotFoundError()
        text = path.read_text(encoding="utf-8")
        if not text.strip():
            raise CassetteNotFoundError()
        try:
            return deserialize(text, serializer)
        except (ValueError, KeyError, TypeError, yaml.YAMLError) as exc:
            raise CassetteError(
                f"cassette {path} cannot be loaded ({type(exc).__name__}: {exc}); delete it and record it again"
            ) from exc

    def save_cassette(
        self, cassette_path: str | os.PathLike[str], cassette_dict: dict[str, Any], serializer: Any
    ) -> None:
        """Serialise, scan and atomically write a cassette; failures are collected in :attr:`errors`."""
        path = Path(cassette_path)
        try:
            self._save(path, cassette_dict, serializer)
        except CassetteError as exc:
            self.errors.append(exc)
        except Exception as exc:  # anything raised here would leave httpx patched
            error = CassetteError(f"cassette {path} could not be written ({type(exc).__name__}: {exc})")
            error.__cause__ = exc
            self.errors.append(error)

    def _save(self, path: Path, cassette_dict: dict[str, Any], serializer: Any) -> None:
        ours: dict[str, Any] = {"label": self.label}
        seed = self.seed() if self.seed is not None else None
        if seed is not None:
            ours["seed"] = seed
        metadata = {**(cassette_dict.get("metadata") or {}), METADATA_KEY: ours}
        comment = " ".join(self.label.split())
        body = serialize({**cassette_dict, "metadata": metadata}, serializer)
        if "\nmetadata:" not in f"\n{body}":  # vcrpy < 9 drops metadata when serialising: append it ourselves
            body = body.rstrip("\n") + "\n" + yaml.safe_dump({"metadata": metadata}, sort_keys=True)
        text = f"# {comment} (pytest-talon cassette)\n" + body
        found = find_secrets(text, self.secrets)
        if found:
            raise _secret_error(path, found, written=False)
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_atomically(path, text)
        try:
            scan_cassette(path, self.secrets)
        except CassetteError:
            path.unlink(missing_ok=True)
            raise


def _write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to a temporary file beside ``path``, then rename it over ``path``."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        with temporary.open("x", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
