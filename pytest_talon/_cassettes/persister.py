"""Writing and reading cassette files: atomic writes, a metadata label, and a scan for secrets."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import yaml
from vcr.persisters.filesystem import CassetteNotFoundError  # type: ignore[import-untyped]
from vcr.serialize import deserialize, serialize  # type: ignore[import-untyped]
from vcr.serializers import yamlserializer  # type: ignore[import-untyped]

from pytest_talon._cassettes.config import CassetteError

__all__ = ["METADATA_KEY", "AtomicPersister", "find_secrets", "read_label", "scan_cassette"]

#: Key under the cassette's ``metadata`` mapping where pytest-talon keeps its label.
METADATA_KEY = "pytest-talon"


def find_secrets(text: str, secrets: Sequence[str]) -> list[str]:
    """Describe where ``text`` (a serialised cassette) contains one of ``secrets``, with the secret masked: each
    line holding it, or the parsed value holding it when YAML folded it across lines or stored it as binary."""
    wanted = [secret for secret in secrets if secret]
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        if _holds(line, wanted):
            found.append(f"line {number}: {_mask(line, wanted)}")
    if not found:
        found = [f"in a stored value: {_mask(value, wanted)}" for value in _texts(text) if _holds(value, wanted)]
    return found


def _mask(text: str, secrets: Sequence[str]) -> str:
    """``text`` with each secret replaced by ``<SECRET #n>``, cut to a window around the first one."""
    for position, secret in enumerate(secrets):
        text = text.replace(secret, f"<SECRET #{position + 1}>")
    text = " ".join(text.split())
    start = max(text.find("<SECRET #") - 80, 0)
    return ("..." if start else "") + text[start : start + 200]


def _holds(text: str, secrets: Sequence[str]) -> bool:
    return any(secret in text for secret in secrets)


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
    lines = [f"cassette {path} {state} a raw secret, the API key or a configured secret:"]
    lines.extend(f"  {item}" for item in found[:10])
    lines.append("To fix: scrub that value (replace_headers, scrub_headers, scrub_query or scrub_json_paths).")
    return CassetteError("\n".join(lines))


def scan_cassette(path: Path, secrets: Sequence[str]) -> None:
    """Raise :class:`CassetteError` if the file at ``path`` contains one of ``secrets``."""
    found = find_secrets(Path(path).read_text(encoding="utf-8"), secrets)
    if found:
        raise _secret_error(Path(path), found, written=True)


def read_label(path: Path) -> str | None:
    """The pytest-talon label stored in a cassette's metadata, or ``None`` when it has none."""
    data = yamlserializer.deserialize(Path(path).read_text(encoding="utf-8")) or {}
    label = ((data.get("metadata") or {}).get(METADATA_KEY) or {}).get("label")
    return str(label) if label is not None else None


class AtomicPersister:
    """A vcrpy persister (``VCR.register_persister``) that writes through a temporary file and ``os.replace``,
    labels the cassette and refuses to write secrets.

    Errors while saving are kept in :attr:`errors` instead of raised, because vcrpy saves before it removes its
    patches from httpx; :func:`pytest_talon.cassettes.use_cassette` raises them once the patches are gone.
    """

    def __init__(self, *, label: str, secrets: Sequence[str]) -> None:
        self.label = label
        self.secrets = tuple(secrets)
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
        metadata = {**(cassette_dict.get("metadata") or {}), METADATA_KEY: {"label": self.label}}
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
