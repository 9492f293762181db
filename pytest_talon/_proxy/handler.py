"""The proxy's handler: every request either goes to the admin paths under ``/_fake/`` or is recorded, replayed
or verified in the cassette it names (``X-Talon-Cassette`` header, else the one set by ``POST /_fake/cassette``).

Every answer of the proxy itself is JSON in the API's error shape. A replay miss answers :data:`MISS_STATUS` (a
status the live API never sends, so a test recognises it) with the plugin's miss message: the closest recorded
request and how it differs. Verify mode compares as the plugin's verify mode does
(:func:`pytest_talon._plugin.verify.compare_answers`: statuses, then bodies by JSON path after the snapshot
normalisation).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final

import httpx
from vcr.request import Request  # type: ignore[import-untyped]

from pytest_talon._cassettes.jsonpath import parse_path
from pytest_talon._cassettes.persister import find_secrets
from pytest_talon._plugin.verify import Difference, Verdict, VerifySummary, compare_answers
from pytest_talon._proxy.store import CassetteNameError, Recording, cassette_file, play, read_cassette
from pytest_talon._spec.routes import find
from pytest_talon.cassettes import CassetteConfig, CassetteError, TalonCassette
from pytest_talon.fake.core import FakeTalon
from pytest_talon.fake.http.framing import error_json

__all__ = ["CASSETTE_HEADER", "MISS_STATUS", "ProxyHandler"]

#: The request header naming the cassette of a request (it wins over ``POST /_fake/cassette``).
CASSETTE_HEADER: Final = "X-Talon-Cassette"
#: The status of a replay miss, of a cassette that cannot be read or written: one Talon.One never answers.
MISS_STATUS: Final = 599
#: Where the verify report lists requests sent while no cassette was named.
NO_CASSETTE: Final = "(no cassette)"
_ADMIN: Final = "/_fake/"
#: Shown in the verify report instead of values holding an API key.
_WITHHELD: Final = "<withheld: holds an API key>"
#: Request headers never forwarded: hop-by-hop ones, the body's framing (httpx sets it), the proxy's own.
_NOT_FORWARDED: Final = frozenset(
    {"host", "connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade"}
    | {"content-length", "accept-encoding", CASSETTE_HEADER.lower()}
)
#: Answer headers never passed back or recorded: the body is passed decoded, the server frames it itself.
_NOT_ANSWERED: Final = frozenset(
    {"content-encoding", "content-length", "transfer-encoding", "connection", "keep-alive"}
)


def _error(status: int, message: str) -> httpx.Response:
    reason = {"reason_phrase": b"Talon Fake Proxy Error"} if status == MISS_STATUS else None
    headers = {"Content-Type": "application/json"}
    return httpx.Response(status, content=error_json(status, message), headers=headers, extensions=reason)


def _json(status: int, data: Any) -> httpx.Response:
    return httpx.Response(status, json=data)


def _parsed(content: bytes) -> Any:
    if not content:
        return None
    try:
        return json.loads(content)
    except ValueError:
        return content.decode("utf-8", errors="replace")


class ProxyHandler:
    """Answers one mode's requests (``record``, ``replay`` or ``verify``) with cassettes under ``root``.

    ``upstream`` is the base URL requests are forwarded to (record and verify); ``new_fake`` makes the fake a
    cassette's requests run on in verify mode (a fresh one per cassette, as the plugin gives each test its own).
    """

    def __init__(
        self,
        mode: str,
        root: Path,
        *,
        upstream: str | None = None,
        new_fake: Callable[[], FakeTalon] = FakeTalon,
        verify_ignore: tuple[str, ...] = (),
        timeout: float = 30.0,
    ) -> None:
        if mode not in ("record", "replay", "verify"):
            raise ValueError(f"unknown proxy mode {mode!r}; use record, replay or verify")
        if mode != "replay" and not upstream:
            raise ValueError(f"--{mode} needs --upstream URL: the API to forward requests to")
        if upstream and httpx.URL(upstream).path.strip("/"):
            raise ValueError(f"the upstream {upstream!r} has a path; cassettes hold the API's paths: give the base URL")
        self.mode = mode
        self.root = root
        self.config = CassetteConfig(cassette_dir=root, verify_ignore=verify_ignore)
        self.ignore = [parse_path(path) for path in (*self.config.ignore_json_paths, *verify_ignore)]
        self.upstream = httpx.URL(upstream.rstrip("/")) if upstream else None
        self.client = httpx.Client(timeout=timeout) if upstream else None
        self.new_fake = new_fake
        self.summary = VerifySummary()
        self.current: str | None = None
        self._recordings: dict[str, Recording] = {}
        self._replays: dict[str, TalonCassette] = {}
        self._fakes: dict[str, FakeTalon] = {}
        self._counts: dict[str, int] = {}
        self._keys: set[str] = set()
        self._lock = threading.RLock()

    def close(self) -> None:
        """Close the connections to the upstream."""
        if self.client is not None:
            self.client.close()

    def save(self) -> list[str]:
        """Write every cassette with exchanges not yet written; what could not be written (nothing: all was)."""
        with self._lock:
            recordings = list(self._recordings.values())
        problems = []
        for recording in recordings:
            try:
                recording.save()
            except CassetteError as exc:
                problems.append(str(exc))
        return problems

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path == _ADMIN.rstrip("/") or path.startswith(_ADMIN):
            return self._admin(request, path[len(_ADMIN) :].strip("/"))
        header = request.headers.get(CASSETTE_HEADER)
        try:
            name = self._open(header, reopen=False) if header is not None else self.current
        except CassetteNameError as exc:
            return _error(400, f"bad {CASSETTE_HEADER} header: {exc}")
        if name is None and self.mode != "verify":
            return _error(
                400,
                f"talon-fake proxy ({self.mode}): no cassette named for {request.method} {path}; send the header "
                f'\'{CASSETTE_HEADER}: <folder>/<test>\' or POST /_fake/cassette {{"name": "<folder>/<test>"}} first',
            )
        if self.mode == "replay":
            assert name is not None
            return self._replay(name, request)
        return self._forward(name, request)

    # ---- the admin paths --------------------------------------------------------------------------------------

    def _admin(self, request: httpx.Request, route: str) -> httpx.Response:
        method = request.method
        if route == "cassette" and method == "POST":
            return self._select(request)
        if route == "cassette" and method == "GET":
            return _json(200, {"mode": self.mode, "cassette": self.current})
        if route == "cassette" and method == "DELETE":
            problems = self.save()
            if problems:
                return _error(MISS_STATUS, "talon-fake proxy: " + "\n".join(problems))
            self.current = None
            return _json(200, {"mode": self.mode, "cassette": None})
        if route == "verify" and method == "GET":
            if self.mode != "verify":
                return _error(
                    404, f"GET /_fake/verify reports differences in --verify mode; this proxy runs --{self.mode}"
                )
            return _json(200, self.report())
        known = "POST, GET or DELETE /_fake/cassette; GET /_fake/verify"
        return _error(404, f"talon-fake proxy has no admin route {method} /_fake/{route}; it answers {known}")

    def _select(self, request: httpx.Request) -> httpx.Response:
        try:
            data = json.loads(request.content or b"null")
        except ValueError as exc:
            return _error(
                400, f'POST /_fake/cassette: the body is not JSON ({exc}); send {{"name": "<folder>/<test>"}}'
            )
        if not isinstance(data, dict) or "name" not in data:
            return _error(400, 'POST /_fake/cassette: send a JSON object {"name": "<folder>/<test>"}')
        unknown = sorted(set(data) - {"name"})
        if unknown:
            return _error(400, f"POST /_fake/cassette: unknown field(s) {', '.join(unknown)}; the body has only 'name'")
        try:
            self._checked(data["name"])
        except CassetteNameError as exc:
            return _error(400, f"POST /_fake/cassette: field 'name': {exc}")
        problems = self.save()  # what the cassettes recorded so far hold, before one starts afresh
        if problems:
            return _error(MISS_STATUS, "talon-fake proxy: " + "\n".join(problems))
        name = self._open(data["name"], reopen=True)
        self.current = name
        path = cassette_file(self.root, name)
        return _json(200, {"mode": self.mode, "cassette": name, "path": str(path), "exists": path.is_file()})

    def _checked(self, name: Any) -> Path:
        """The file of cassette ``name``; :class:`CassetteNameError` when the name is not one."""
        if not isinstance(name, str):
            raise CassetteNameError(f"the cassette name must be a string, got {json.dumps(name)}")
        return cassette_file(self.root, name)

    def _open(self, name: Any, *, reopen: bool) -> str:
        """Check ``name``; on first sight (or with ``reopen``) start its cassette afresh: replay from the start,
        record into an empty cassette, verify on a fresh fake."""
        path = self._checked(name)
        assert isinstance(name, str)
        with self._lock:
            if reopen or name not in self._counts:
                self._counts[name] = 0
                self._recordings[name] = Recording(path, self.config)
                self._replays.pop(name, None)
                self._fakes.pop(name, None)
        return name

    # ---- replay -----------------------------------------------------------------------------------------------

    def _replay(self, name: str, request: httpx.Request) -> httpx.Response:
        vcr_request = Request(request.method, str(request.url), request.content or None, dict(request.headers))
        with self._lock:
            try:
                cassette = self._replays.get(name)
                if cassette is None:
                    cassette = self._replays[name] = read_cassette(cassette_file(self.root, name), self.config)
                recorded = play(cassette, vcr_request)
            except CassetteError as exc:
                hint = f"With the proxy, record it with: talon-fake proxy --record {self.root} --upstream URL"
                return _error(MISS_STATUS, f"talon-fake proxy (replay), cassette {name!r}: {exc}\n{hint}")
        body = recorded["body"]["string"]
        headers = [
            (key, value)
            for key, values in recorded["headers"].items()
            if key.lower() not in _NOT_ANSWERED
            for value in values
        ]
        content = body.encode("utf-8") if isinstance(body, str) else bytes(body or b"")
        return httpx.Response(recorded["status"]["code"], headers=headers, content=content)

    # ---- record and verify ------------------------------------------------------------------------------------

    def _forward(self, name: str | None, request: httpx.Request) -> httpx.Response:
        assert self.client is not None
        assert self.upstream is not None
        headers = [(k, v) for k, v in request.headers.multi_items() if k.lower() not in _NOT_FORWARDED]
        url = self.upstream.copy_with(raw_path=request.url.raw_path)
        outgoing = self.client.build_request(request.method, url, headers=headers, content=request.content)
        key = request.headers.get("Authorization", "")
        if key:
            with self._lock:
                self._keys.update({key, key.split(" ", 1)[-1]})
        try:
            answer = self.client.send(outgoing)
        except httpx.HTTPError as exc:
            why = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            return _error(502, f"talon-fake proxy: the upstream {self.upstream} did not answer ({why})")
        answered = [(k, v) for k, v in answer.headers.multi_items() if k.lower() not in _NOT_ANSWERED]
        if name is not None:
            refused = self._record(name, outgoing, answer, answered, key)
            if refused is not None:
                return refused
        if self.mode == "verify":
            self._verify(name, request, answer)
        return httpx.Response(answer.status_code, headers=answered, content=answer.content)

    def _record(
        self, name: str, outgoing: httpx.Request, answer: httpx.Response, headers: list[tuple[str, str]], key: str
    ) -> httpx.Response | None:
        with self._lock:
            secrets = tuple(sorted(self._keys))
            recording = self._recordings[name]
        vcr_request = Request(outgoing.method, str(outgoing.url), outgoing.content or None, dict(outgoing.headers))
        serialized: dict[str, list[str]] = {}
        for header, value in headers:
            serialized.setdefault(header, []).append(value)
        response = {
            "status": {"code": answer.status_code, "message": answer.reason_phrase},
            "headers": serialized,
            "body": {"string": answer.content},
        }
        try:
            recording.append(vcr_request, response, secrets)
        except CassetteError as exc:
            return _error(MISS_STATUS, f"talon-fake proxy (record), cassette {name!r} was not written: {exc}")
        return None

    def _verify(self, name: str | None, request: httpx.Request, answer: httpx.Response) -> None:
        where = name or NO_CASSETTE
        with self._lock:
            fake = self._fakes.get(where)
            if fake is None:
                fake = self._fakes[where] = self.new_fake()
            position = self._counts[where] = self._counts.get(where, 0) + 1
        headers = {k: v for k, v in request.headers.items() if k.lower() not in (*_NOT_FORWARDED, "authorization")}
        headers["Authorization"] = f"ApiKey-v1 {fake.api_key}"
        mirrored = httpx.Request(request.method, request.url, headers=headers, content=request.content)
        ours = fake.handle(mirrored)
        found = find(request.method, request.url.raw_path.decode("ascii"))
        operation = found[0].operation_id if found is not None else f"{request.method} {request.url.path}"
        differences = compare_answers(
            (answer.status_code, _parsed(answer.content)), (ours.status_code, _parsed(ours.read())), self.ignore
        )
        with self._lock:
            secrets = tuple(sorted(self._keys))
        if find_secrets(json.dumps([(d.recorded, d.fake) for d in differences], default=str), secrets):
            differences = [Difference(d.path, _WITHHELD, _WITHHELD) for d in differences]  # keys never reach a report
        verdict = Verdict(operation, f"#{position} {request.method} {request.url.path}", tuple(differences))
        cassette = cassette_file(self.root, name) if name is not None else Path("-")
        with self._lock:
            self.summary.add(where, cassette, [verdict])

    def report(self) -> dict[str, Any]:
        """The verify report: ``upstream``, and the plugin's ``verify`` section (counts per operation, every
        difference by JSON path with its cassette, ``recorded`` being the upstream's value)."""
        with self._lock:
            return {"mode": self.mode, "upstream": str(self.upstream), "verify": self.summary.to_dict()}
