"""``talon-fake proxy``: run a :class:`~pytest_talon._proxy.handler.ProxyHandler` on a loopback server.

Like ``talon-fake serve``: the base URL on one stdout line once it accepts connections (the readiness signal), one
log line per request on stderr (method, path, status: never a header, so never a key), exit code 0 on SIGINT or
SIGTERM (the recorded cassettes and the verify report written first), 1 when it cannot listen or a cassette cannot
be written, 2 for bad arguments or campaigns files.
"""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

import httpx

from pytest_talon._proxy.handler import ProxyHandler
from pytest_talon.cassettes import CassetteError
from pytest_talon.fake.console import EXIT_BAD_INPUT, load_campaigns_file, request_logger, run_until_stopped
from pytest_talon.fake.core import FakeTalon
from pytest_talon.fake.http.framing import is_loopback
from pytest_talon.fake.http.server import LoopbackServer

__all__ = ["EXIT_CANNOT_WRITE", "proxy_command"]

#: Exit code when a recorded cassette could not be written at exit.
EXIT_CANNOT_WRITE = 1


def proxy_command(args: argparse.Namespace, parser: argparse.ArgumentParser, *, out: TextIO, err: TextIO) -> int:
    """Run ``talon-fake proxy`` with parsed ``args`` until SIGINT or SIGTERM; return the exit code."""
    mode = next(name for name in ("record", "replay", "verify") if getattr(args, name))
    upstream = _upstream(parser, mode, args.upstream)
    if not is_loopback(args.host):
        parser.error(
            f"--host {args.host} is not a loopback address: the proxy's admin paths (/_fake/: the cassette, the "
            "verify report) take no key, so it listens on loopback addresses only"
        )
    if mode != "verify" and (args.campaigns or args.verify_ignore or args.report):
        parser.error("--campaigns, --verify-ignore and --report apply to --verify only")
    for path in args.campaigns:
        problem = load_campaigns_file(FakeTalon(), path)
        if problem:
            where = "" if path in problem else f"{path}: "
            print(f"talon-fake: error: bad campaigns file: {where}{problem}", file=err, flush=True)
            return EXIT_BAD_INPUT
    try:
        handler = ProxyHandler(
            mode,
            Path(getattr(args, mode)),
            upstream=upstream,
            new_fake=_fake_factory(args.campaigns),
            verify_ignore=tuple(args.verify_ignore),
            timeout=args.timeout,
        )
    except CassetteError as exc:
        parser.error(str(exc))
    server = LoopbackServer(handler, args.host, args.port, on_request=None if args.quiet else request_logger(err))
    try:
        code = run_until_stopped(server, lambda: print(server.base_url, file=out, flush=True), err=err)
    finally:
        handler.close()
    problems = handler.save()
    for problem in problems:
        print(f"talon-fake: error: {problem}", file=err, flush=True)
    if code != 0 or problems:
        return code or EXIT_CANNOT_WRITE
    if args.report:
        _write_report(Path(args.report), handler.report())
        print(f"talon-fake: verify report written to {args.report}", file=err, flush=True)
    print("talon-fake: stopped", file=err, flush=True)
    return 0


def _upstream(parser: argparse.ArgumentParser, mode: str, url: str | None) -> str | None:
    if url is None:
        if mode != "replay":
            parser.error(f"--{mode} needs --upstream URL: the API to forward requests to (the sandbox)")
        return None
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as exc:
        parser.error(f"--upstream {url!r} is not a URL: {exc}")
    if parsed.scheme not in ("http", "https") or not parsed.host or parsed.query or parsed.userinfo:
        parser.error(f"--upstream {url!r} must be an http(s) base URL such as https://yourbase.talon.one")
    if parsed.path.strip("/"):
        # Cassettes hold the API's paths (/v2/...), which replay matches without knowing any upstream.
        parser.error(f"--upstream {url!r} has a path; give the base URL only (scheme, host and port)")
    return url


def _fake_factory(paths: list[str]) -> Callable[[], FakeTalon]:
    def new_fake() -> FakeTalon:
        fake = FakeTalon()
        for path in paths:
            fake.load_campaigns(path)
        return fake

    return new_fake


def _write_report(path: Path, report: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(json.dumps(report, indent=2, sort_keys=True, default=str) + "\n", encoding="utf-8")
    os.replace(temporary, path)
