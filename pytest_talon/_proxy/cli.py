"""``talon-fake proxy``: run a :class:`~pytest_talon._proxy.handler.ProxyHandler` on a loopback server.

Like ``talon-fake serve``: the base URL on one stdout line once it accepts connections (the readiness signal), one
log line per request on stderr (method, path, status: never a header, so never a key), exit code 0 on SIGINT or
SIGTERM (the verify report written first), 1 when it cannot listen, 2 for bad arguments or campaigns files.
"""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TextIO

import httpx
import yaml

from pytest_talon._proxy.handler import ProxyHandler
from pytest_talon.cassettes import CassetteError
from pytest_talon.fake.cli import (
    _STOP_TIMEOUT,
    EXIT_BAD_INPUT,
    EXIT_CANNOT_LISTEN,
    _request_logger,
    _stop_on_signals,
)
from pytest_talon.fake.core import FakeTalon
from pytest_talon.fake.http.server import FakeServerError, LoopbackServer

__all__ = ["proxy_command"]


def proxy_command(args: argparse.Namespace, parser: argparse.ArgumentParser, *, out: TextIO, err: TextIO) -> int:
    """Run ``talon-fake proxy`` with parsed ``args`` until SIGINT or SIGTERM; return the exit code."""
    mode = next(name for name in ("record", "replay", "verify") if getattr(args, name))
    upstream = _upstream(parser, mode, args.upstream)
    if mode != "verify" and (args.campaigns or args.verify_ignore or args.report):
        parser.error("--campaigns, --verify-ignore and --report apply to --verify only")
    campaigns = [_campaigns(path, err) for path in args.campaigns]
    if any(data is None for data in campaigns):
        return EXIT_BAD_INPUT
    try:
        handler = ProxyHandler(
            mode,
            Path(getattr(args, mode)),
            upstream=upstream,
            new_fake=_fake_factory([data for data in campaigns if data is not None]),
            verify_ignore=tuple(args.verify_ignore),
            timeout=args.timeout,
        )
    except CassetteError as exc:
        parser.error(str(exc))
    server = LoopbackServer(handler, args.host, args.port, on_request=None if args.quiet else _request_logger(err))
    with _stop_on_signals() as stopped:
        try:
            server.start()
        except FakeServerError as exc:
            print(f"talon-fake: error: {exc}", file=err, flush=True)
            return EXIT_CANNOT_LISTEN
        try:
            print(server.base_url, file=out, flush=True)
            stopped.wait()
        finally:
            server.stop(timeout=_STOP_TIMEOUT)
            handler.close()
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
    return url


def _campaigns(path: str, err: TextIO) -> Mapping[str, Any] | None:
    """A campaigns file, parsed and checked once by loading it into a fake; None (reported) when it is bad."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        FakeTalon().load_campaigns(data)
    except OSError as exc:
        problem = f"{path}: {exc.strerror or exc}"
    except Exception as exc:  # the fake's setup errors, YAML errors: all mean a bad file
        problem = f"{path}: {exc}"
    else:
        return dict(data)
    print(f"talon-fake: error: bad campaigns file: {problem}", file=err, flush=True)
    return None


def _fake_factory(campaigns: list[Mapping[str, Any]]) -> Callable[[], FakeTalon]:
    def new_fake() -> FakeTalon:
        fake = FakeTalon()
        for data in campaigns:
            fake.load_campaigns(data)
        return fake

    return new_fake


def _write_report(path: Path, report: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(json.dumps(report, indent=2, sort_keys=True, default=str) + "\n", encoding="utf-8")
    os.replace(temporary, path)
