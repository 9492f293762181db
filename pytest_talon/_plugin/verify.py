"""Verify mode: compare the fake's answers with the answers recorded in the test's cassette.

Each request the fake answered is matched against the cassette the way replay matches (:func:`read_cassette`: the
same matchers, scrubbing and play-once order), on the request target exactly as the client sent it (``%2F``, ``:``,
``@``, ``+`` unchanged: :meth:`Verifier.observe` keeps it, the request log holds the decoded path); the recorded
and the fake answer are compared on their status and on their bodies after the snapshot normalisation
(:func:`pytest_talon.snapshots.normalize`: server-made ids and timestamps masked, effects sorted), numbers
numerically. Plain data that merges (xdist workers send theirs to the
controller), like :class:`pytest_talon._plugin.report.Report`; the heavy modules are imported on first use.
"""

from __future__ import annotations

import json
import re
from collections import Counter, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import quote, urlencode

if TYPE_CHECKING:
    import httpx

    from pytest_talon._cassettes.jsonpath import Segment
    from pytest_talon.cassettes import CassetteConfig, TalonCassette
    from pytest_talon.fake import RecordedRequest

__all__ = [
    "ABSENT",
    "PARTIAL_MARKER",
    "Difference",
    "Verdict",
    "Verifier",
    "VerifySummary",
    "compare_answers",
    "failure_message",
]

#: Shown for a key or list item one answer has and the other lacks.
ABSENT: Final = "(absent)"

_SHOWN: Final = 20
#: Paths of a difference that are not a place in the body (and so cannot be ignored).
_NOT_BODY: Final = frozenset({"status", "(body)"})
_COUNTS: Final = ("compared", "identical", "different", "unmatched")
#: The marker letting a test's requests go without a recorded answer in its existing cassette.
PARTIAL_MARKER: Final = "talon_verify_partial"


@dataclass(frozen=True)
class Difference:
    """One place where the fake's answer differs from the recorded one: ``status``, a JSON path such as
    ``effects[1].props.value`` (in the normalised body: effects sorted), or ``(body)`` for the whole body."""

    path: str
    recorded: Any
    fake: Any

    def __str__(self) -> str:
        return f"{self.path}: recorded {_shown(self.recorded)}, fake {_shown(self.fake)}"

    @property
    def ignore_path(self) -> str:
        """The ``talon_verify_ignore`` entry that skips this difference in every list item."""
        path = "".join("[*]" if part.isdigit() else f".{part}" for part in _parts(self.path))
        return f"${path}"


def _parts(path: str) -> list[str]:
    return [part for part in path.replace("[", ".").replace("]", "").split(".") if part]


def _shown(value: Any) -> str:
    return value if value is ABSENT else json.dumps(value, ensure_ascii=False, sort_keys=True)


@dataclass(frozen=True)
class Verdict:
    """The verdict on one request the fake answered."""

    #: The operation id, or ``METHOD path`` for a request that is not an API operation.
    operation: str
    #: ``METHOD path`` and the request's position in the test (1-based).
    request: str
    differences: tuple[Difference, ...] = ()
    #: Why no recorded answer was compared (the replay miss message); ``None`` when one was.
    unmatched: str | None = None
    #: Whether the test's cassette file does not exist (so nothing of it could be compared).
    cassette_missing: bool = False
    #: The fake's explanation of its answer, the part about the campaigns of the differing effects (when any differ).
    explanation: str = ""


def compare_answers(
    recorded: tuple[int, Any], fake: tuple[int, Any], ignore: Sequence[tuple[Segment, ...]] = ()
) -> list[Difference]:
    """The differences between a recorded and a fake answer, each a ``(status, body)`` pair: the status, then the
    bodies after the snapshot normalisation without the ``ignore`` paths (parsed JSON paths)."""
    differences = [] if recorded[0] == fake[0] else [Difference("status", recorded[0], fake[0])]
    _diff(_normalized(recorded[1], ignore), _normalized(fake[1], ignore), "", differences)
    return differences


def _normalized(body: Any, ignore: Sequence[tuple[Segment, ...]]) -> Any:
    from pytest_talon._cassettes.jsonpath import DROP, apply_path
    from pytest_talon.snapshots import normalize

    data = normalize(body)
    for segments in ignore:
        apply_path(data, segments, lambda _value: DROP)
    return data


def _diff(recorded: Any, fake: Any, path: str, out: list[Difference]) -> None:
    if isinstance(recorded, dict) and isinstance(fake, dict):
        for key in sorted(set(recorded) | set(fake)):
            _diff(recorded.get(key, ABSENT), fake.get(key, ABSENT), f"{path}.{key}" if path else key, out)
    elif isinstance(recorded, list) and isinstance(fake, list):
        for index in range(max(len(recorded), len(fake))):
            old = recorded[index] if index < len(recorded) else ABSENT
            new = fake[index] if index < len(fake) else ABSENT
            _diff(old, new, f"{path}[{index}]", out)
    elif not _same(recorded, fake):
        out.append(Difference(path or "(body)", recorded, fake))


def _same(recorded: Any, fake: Any) -> bool:
    """Equal as JSON values: numbers numerically (``4`` and ``4.0``), never a boolean and a number."""
    numbers = (int, float)
    if isinstance(recorded, numbers) and isinstance(fake, numbers):
        return isinstance(recorded, bool) == isinstance(fake, bool) and recorded == fake
    return type(recorded) is type(fake) and recorded == fake


class Verifier:
    """Compares one test's fake answers with its cassette, request by request, each recorded answer once."""

    def __init__(
        self,
        path: Path,
        config: CassetteConfig,
        *,
        base_url: str,
        root: Path | None = None,
        fail: bool = True,
        partial: bool = False,
    ) -> None:
        from pytest_talon._cassettes.jsonpath import parse_path
        from pytest_talon.cassettes import read_cassette

        #: The cassette as messages and reports name it: relative to ``root`` when it lies inside.
        self.path = path.relative_to(root) if root is not None and path.is_relative_to(root) else path
        self.base_url = base_url.rstrip("/")
        self.cassette: TalonCassette = read_cassette(path, config)
        self.cassette_missing = not path.exists()
        self.ignore = [parse_path(text) for text in (*config.ignore_json_paths, *config.verify_ignore)]
        #: Where the fake's request log comes from (set when the test's fake is created).
        self.source: Callable[[], list[RecordedRequest]] = list
        #: Whether a difference fails the test (``--talon-verify=fail``) or is only reported.
        self.fail = fail
        #: Whether requests without a recorded answer in an existing cassette are only listed (the
        #: ``talon_verify_partial`` marker); otherwise they fail the test, as they would in replay.
        self.partial = partial
        self._checked = 0
        #: Request targets (raw path and query) as sent, per method and decoded path, oldest first.
        self._sent: dict[tuple[str, str], deque[str]] = {}

    def observe(self, handle: Callable[[httpx.Request], httpx.Response]) -> Callable[[httpx.Request], httpx.Response]:
        """Wrap the fake's handler so that each request's target is kept exactly as the client sent it."""

        def observed(request: httpx.Request) -> httpx.Response:
            key = (request.method, request.url.path)
            self._sent.setdefault(key, deque()).append(request.url.raw_path.decode("ascii"))
            return handle(request)

        return observed

    def check(self) -> list[Verdict]:
        """The verdicts on the requests the fake answered since the last call."""
        requests = self.source()[self._checked :]
        start, self._checked = self._checked, self._checked + len(requests)
        return [self._check(position, exchange) for position, exchange in enumerate(requests, start=start + 1)]

    def tally(self, summary: VerifySummary, test_id: str) -> str | None:
        """Check the requests answered since the last call, count them in ``summary``, and return why the test
        fails (:func:`failure_message`), or ``None`` when every answer compared matches its recording."""
        verdicts = self.check()
        summary.add(test_id, self.path, verdicts)
        return failure_message(self.path, verdicts, partial=self.partial)

    def _check(self, position: int, exchange: RecordedRequest) -> Verdict:
        from vcr.errors import UnhandledHTTPRequestError  # type: ignore[import-untyped]

        from pytest_talon._cassettes.exchanges import recorded_request
        from pytest_talon.cassettes import CassetteError

        target = self._target(exchange)
        sent_path = target.partition("?")[0]
        operation = exchange.operation_id or f"{exchange.method} {sent_path}"
        described = f"#{position} {exchange.method} {sent_path}"
        request = self._vcr_request(exchange, target)
        try:
            self.cassette.can_play_response_for(request)
            response = self.cassette.play_response(request)
        except (CassetteError, UnhandledHTTPRequestError) as exc:
            return Verdict(operation, described, unmatched=str(exc), cassette_missing=self.cassette_missing)
        recorded = recorded_request(request, response)
        differences = compare_answers(
            (recorded.status, recorded.response_json), (exchange.status, self._scrubbed(exchange)), self.ignore
        )
        explanation = _explanation(exchange, differences) if differences else ""
        return Verdict(operation, described, tuple(differences), explanation=explanation)

    def _target(self, exchange: RecordedRequest) -> str:
        """The request's path and query as the client sent them: observed on the way in, or (for a request the
        wrapped handler did not see) the log's decoded path quoted again."""
        sent = self._sent.get((exchange.method, exchange.path))
        if sent:
            return sent.popleft()
        path = "/".join(quote(segment, safe="") for segment in exchange.path.split("/"))
        query = urlencode(exchange.query, doseq=True)
        return f"{path}{'?' + query if query else ''}"

    def _vcr_request(self, exchange: RecordedRequest, target: str) -> Any:
        from vcr.request import Request  # type: ignore[import-untyped]

        uri = f"{self.base_url}{target}"
        body = None if exchange.json is None else _dumps(exchange.json)
        return Request(exchange.method, uri, body, {"Content-Type": "application/json"})

    def _scrubbed(self, exchange: RecordedRequest) -> Any:
        """The fake's answer scrubbed the way the cassette's answers were when they were recorded."""
        if self.cassette.scrubber is None or exchange.response_json is None:
            return exchange.response_json
        response = {
            "status": {"code": exchange.status},
            "headers": {},
            "body": {"string": _dumps(exchange.response_json)},
        }
        return json.loads(self.cassette.scrubber.response(response)["body"]["string"])


_EFFECT_AT = re.compile(r"^effects\[(\d+)\]")


def _explanation(exchange: RecordedRequest, differences: Sequence[Difference]) -> str:
    """The fake's explanation of ``exchange``: about the campaigns of the effects that differ, else the campaigns
    that did not fire and the codes rejected (empty for a request the fake did not evaluate)."""
    explanation = exchange.explain()
    if not explanation.evaluated:
        return ""
    body = exchange.response_json
    effects = body.get("effects") if isinstance(body, dict) else None
    ids: set[int] = set()
    for difference in differences:
        found = _EFFECT_AT.match(difference.path)
        if found and isinstance(effects, list) and int(found.group(1)) < len(effects):
            campaign = effects[int(found.group(1))].get("campaignId")
            if isinstance(campaign, int) and campaign >= 0:
                ids.add(campaign)
    return explanation.summary(ids or None)


def _dumps(data: Any) -> bytes:
    from pytest_talon.snapshots import to_plain

    return json.dumps(to_plain(data), separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def failure_message(path: Path, verdicts: Sequence[Verdict], *, partial: bool = False) -> str | None:
    """Why a test fails in verify mode (every differing answer with its paths, then every request its existing
    cassette has no answer for unless ``partial``), or ``None`` when nothing does."""
    differing = [verdict for verdict in verdicts if verdict.differences]
    missed = [o for o in verdicts if o.unmatched is not None and not o.cassette_missing and not partial]
    lines: list[str] = []
    if differing:
        count = len(differing)
        answers = f"{count} answers of the fake differ" if count > 1 else "1 answer of the fake differs"
        lines.append(f"talon verify: {answers} from the recording in {path}")
        for verdict in differing:
            lines.append(f"  {verdict.operation} (request {verdict.request}):")
            lines.extend(f"    {difference}" for difference in verdict.differences)
            if verdict.explanation:
                lines.append("    the fake's explanation (talon_requests[...].explain() gives the whole tree):")
                lines.extend(f"      {line}" for line in verdict.explanation.splitlines())
        body = {d.ignore_path for verdict in differing for d in verdict.differences if d.path not in _NOT_BODY}
        hint = f"add its path to talon_verify_ignore ({', '.join(sorted(body))})" if body else "use --talon-verify=warn"
        lines.append(
            "To fix: if the recording is right, change the fake's campaigns (talon_campaigns, talon-fake import) or "
            f"report the fake's difference; if the difference is expected, {hint}. --talon-verify=warn reports "
            "differences without failing."
        )
    if missed:
        count = len(missed)
        requests = f"{count} requests of the test have" if count > 1 else "1 request of the test has"
        lines.append(f"talon verify: {requests} no recorded answer in {path}")
        lines.extend(f"  {o.operation} (request {o.request}): {o.unmatched}" for o in missed)
        lines.append(
            f"Replay would fail too: record the test again, or mark it @pytest.mark.{PARTIAL_MARKER} to list such "
            "requests without failing."
        )
    return "\n".join(lines) if lines else None


@dataclass
class VerifySummary:
    """Verify mode's counts per operation, and every difference and unmatched request with its test."""

    counts: dict[str, Counter[str]] = field(default_factory=dict)
    differences: list[dict[str, Any]] = field(default_factory=list)
    unmatched: list[dict[str, Any]] = field(default_factory=list)
    #: The tests skipped as fake-only: they use the fake itself (``talon_fake``, its faults or clock,
    #: ``talon_server``, ``talon_mock``), so no live recording can exist for them.
    fake_only: list[str] = field(default_factory=list)

    def add(self, test_id: str, cassette: Path, verdicts: Sequence[Verdict]) -> None:
        """Count one test's verdicts."""
        for verdict in verdicts:
            counts = self.counts.setdefault(verdict.operation, Counter())
            where = {"test": test_id, "operation": verdict.operation, "request": verdict.request}
            if verdict.unmatched is not None:
                counts["unmatched"] += 1
                self.unmatched.append(
                    {**where, "cassette": str(cassette), "cassette_missing": verdict.cassette_missing}
                )
                continue
            counts["compared"] += 1
            counts["different" if verdict.differences else "identical"] += 1
            self.differences += [
                {**where, "cassette": str(cassette), "path": d.path, "recorded": d.recorded, "fake": d.fake}
                for d in verdict.differences
            ]

    def merge(self, data: dict[str, Any]) -> None:
        """Add a summary serialised with :meth:`to_dict` (from an xdist worker)."""
        for operation, counts in data.get("operations", {}).items():
            self.counts.setdefault(operation, Counter()).update(counts)
        self.differences += data.get("differences", [])
        self.unmatched += data.get("unmatched", [])
        self.fake_only += data.get("fake_only", [])

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: the report's ``verify`` section."""
        key = _order
        return {
            "operations": {op: {name: counts[name] for name in _COUNTS} for op, counts in sorted(self.counts.items())},
            "differences": sorted(self.differences, key=key),
            "unmatched": sorted(self.unmatched, key=key),
            "fake_only": sorted(self.fake_only),
        }

    def lines(self) -> list[str]:
        """The terminal summary of verify mode."""
        total = Counter[str]()
        for counts in self.counts.values():
            total.update(counts)
        out = [
            f"verify: {total['compared']} answers compared with the recordings ({total['identical']} identical, "
            f"{total['different']} different), {total['unmatched']} without a recorded answer, "
            f"{len(self.fake_only)} fake-only tests skipped",
            f"  {'compared':>8}  {'identical':>9}  {'different':>9}  {'unmatched':>9}  operation",
        ]
        out += [
            f"  {c['compared']:>8}  {c['identical']:>9}  {c['different']:>9}  {c['unmatched']:>9}  {operation}"
            for operation, c in sorted(self.counts.items())
        ]
        differences = [
            f"  {d['test']} {d['operation']}: {Difference(d['path'], d['recorded'], d['fake'])}"
            for d in sorted(self.differences, key=_order)
        ]
        unmatched = [
            f"  {u['test']} {u['operation']} (request {u['request']})"
            + (f": no cassette {u['cassette']}" if u.get("cassette_missing") else "")
            for u in sorted(self.unmatched, key=_order)
        ]
        out += _listed("differences (recorded vs fake):", differences)
        out += _listed("requests without a recorded answer (not compared):", unmatched)
        return out


def _order(entry: dict[str, Any]) -> str:
    """By test id; a test's entries keep their order (requests in sequence), as the sort is stable."""
    return str(entry.get("test"))


def _listed(title: str, lines: list[str]) -> list[str]:
    if not lines:
        return []
    shown = [title, *lines[:_SHOWN]]
    if len(lines) > _SHOWN:
        shown.append(f"  ... {len(lines) - _SHOWN} more (--talon-report=PATH lists them all)")
    return shown
