"""The ``talon-fake`` console script: serve a :class:`~pytest_talon.fake.FakeTalon` over HTTP for any language.

``talon-fake serve --host 127.0.0.1 --port 8080 --campaigns campaigns.yaml --api-key KEY`` prints the base URL on
one stdout line once it accepts connections, logs one line per request on stderr, serves the admin API under
``/_fake/`` (:mod:`pytest_talon.fake.http.admin`), and exits with code 0 on SIGINT or SIGTERM, within a second.
Exit codes: 0 stopped by a signal, 1 could not listen, 2 bad arguments or campaigns file.
Options without a sub-command mean ``serve``. ``talon-fake import --url URL --management-key KEY --application-id N``
writes a campaigns file from the Management API (:mod:`pytest_talon.fake.talang.management`, docs/talang.md).
``talon-fake proxy --upstream URL --record DIR`` (or ``--replay DIR``, ``--verify DIR``) records, replays or verifies
the traffic of a suite in any language (:mod:`pytest_talon._proxy`).
``talon-fake schema`` prints the JSON Schema of campaigns files (for editors) and exits.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from typing import TextIO

import httpx

from pytest_talon._proxy.arguments import add_proxy_arguments
from pytest_talon._rule_failures import failure_line
from pytest_talon.fake.console import (
    EXIT_BAD_INPUT,
    EXIT_CANNOT_LISTEN,
    load_campaigns_file,
    request_logger,
    run_until_stopped,
)
from pytest_talon.fake.core import FakeTalon
from pytest_talon.fake.http.admin import with_admin
from pytest_talon.fake.http.face import LOGGED, RULE_FAILURES
from pytest_talon.fake.http.framing import DEFAULT_MAX_BODY, is_loopback
from pytest_talon.fake.http.server import DEFAULT_READ_TIMEOUT, LoopbackServer
from pytest_talon.fake.setup.schema import campaigns_file_schema
from pytest_talon.fake.state.application import DEFAULT_MAX_REQUESTS
from pytest_talon.fake.talang.management import add_import_arguments, import_command

__all__ = ["EXIT_BAD_INPUT", "EXIT_CANNOT_LISTEN", "build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    """The ``talon-fake`` argument parser (sub-commands ``serve`` and ``schema``)."""
    parser = argparse.ArgumentParser(
        prog="talon-fake", description="A fake Talon.One Integration API for end-to-end tests."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    serve = commands.add_parser("serve", help="serve the fake over HTTP until SIGINT/SIGTERM")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=_port, default=8080, help="port to listen on, 0 for a free one (default: 8080)")
    serve.add_argument(
        "--campaigns",
        action="append",
        default=[],
        metavar="FILE",
        help="YAML or JSON campaigns file to load at start; repeat for several files",
    )
    serve.add_argument(
        "--api-key",
        default=None,
        help="the API key clients must send (default: the fake's; required when --host is not a loopback address)",
    )
    serve.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME",
        help="a Host header name accepted besides localhost and loopback addresses (on a loopback --host)",
    )
    serve.add_argument("--quiet", action="store_true", help="do not log one line per request on stderr")
    serve.add_argument(
        "--explain", action="store_true", help="print on stderr why the fake answered each request as it did"
    )
    _add_limits(serve)
    add_import_arguments(commands.add_parser("import", help="write a campaigns file from the Management API"))
    commands.add_parser("schema", help="print the JSON Schema of campaigns files (for editors) and exit")
    add_proxy_arguments(commands.add_parser("proxy", help="record, replay or verify through a loopback proxy"), _port)
    return parser


def _add_limits(serve: argparse.ArgumentParser) -> None:
    limits = serve.add_argument_group("limits")
    limits.add_argument(
        "--max-body",
        type=_positive,
        default=DEFAULT_MAX_BODY,
        metavar="BYTES",
        help="largest body (413 beyond)",
    )
    limits.add_argument(
        "--max-requests",
        type=_positive,
        default=DEFAULT_MAX_REQUESTS,
        metavar="N",
        help="requests the log keeps (and event records stored)",
    )
    limits.add_argument(
        "--read-timeout", type=float, default=DEFAULT_READ_TIMEOUT, metavar="SECONDS", help="silence before a close"
    )


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} must be at least 1")
    return value


def _port(text: str) -> int:
    port = int(text)
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port number (0-65535)")
    return port


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``talon-fake`` with ``argv`` (default: the process arguments) and return its exit code."""
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0].startswith("-") and argv[0] not in ("-h", "--help")):
        argv.insert(0, "serve")  # bare options: serve
    args = parser.parse_args(argv)
    if args.command == "import":
        return import_command(args, out=sys.stdout, err=sys.stderr)
    if args.command == "proxy":
        from pytest_talon._proxy.cli import proxy_command  # the cassette layer loads only for the proxy

        return proxy_command(args, parser, out=sys.stdout, err=sys.stderr)
    if args.command == "schema":
        print(json.dumps(campaigns_file_schema(), indent=2), file=sys.stdout, flush=True)
        return 0
    if args.api_key == "":
        parser.error("--api-key must not be empty")
    if not is_loopback(args.host) and args.api_key is None:
        parser.error(
            f"--host {args.host} is not a loopback address: pass --api-key KEY (a secret), since the admin API "
            "(/_fake/: state export, import, reset) answers anyone who sends the key"
        )
    return _serve(args, out=sys.stdout, err=sys.stderr)


def _serve(args: argparse.Namespace, *, out: TextIO, err: TextIO) -> int:
    key = {} if args.api_key is None else {"api_key": args.api_key}
    fake = FakeTalon(**key, max_requests=args.max_requests)
    for path in args.campaigns:
        problem = load_campaigns_file(fake, path)
        if problem:
            where = "" if path in problem else f"{path}: "
            print(f"talon-fake: error: bad campaigns file: {where}{problem}", file=err, flush=True)
            return EXIT_BAD_INPUT
    server = LoopbackServer(
        _log_rule_failures(with_admin(fake, fake._lock, spawn=fake._spawn), err, explain=args.explain),
        args.host,
        args.port,
        on_request=None if args.quiet else request_logger(err),
        max_body=args.max_body,
        read_timeout=args.read_timeout,
        allowed_hosts=args.allow_host,
    )
    code = run_until_stopped(
        server, lambda: _announce(server, fake, default_key=args.api_key is None, out=out, err=err), err=err
    )
    if code == 0:
        print("talon-fake: stopped", file=err, flush=True)
    return code


def _announce(server: LoopbackServer, fake: FakeTalon, *, default_key: bool, out: TextIO, err: TextIO) -> None:
    """Print the base URL, the readiness signal, on one flushed stdout line (and the key to use on stderr)."""
    print(server.base_url, file=out, flush=True)
    if not is_loopback(server.host):
        print(
            f"talon-fake: warning: listening on {server.host}, not a loopback address: the Integration API and the "
            "admin API (/_fake/: state export, import, reset) are reachable by anyone who can reach this address "
            "and sends the key",
            file=err,
            flush=True,
        )
    if default_key:
        print(f"talon-fake: clients must send 'Authorization: ApiKey-v1 {fake.api_key}'", file=err, flush=True)


def _log_rule_failures(
    handler: Callable[[httpx.Request], httpx.Response], err: TextIO, *, explain: bool = False
) -> Callable[[httpx.Request], httpx.Response]:
    """``handler``, printing on ``err`` one line per rule that failed in the answer (even with ``--quiet``): the
    answer stays a 200 as Talon.One's, so the log is where a tester sees the failure. With ``explain``, also the
    explanation tree of each request the fake logged (admin requests are not logged)."""

    def handle(request: httpx.Request) -> httpx.Response:
        response = handler(request)
        for failure in response.extensions.get(RULE_FAILURES, ()):
            print(f"talon-fake: rule failed: {failure_line(failure)}", file=err, flush=True)
        logged = response.extensions.get(LOGGED) if explain else None
        if logged is not None:
            print(f"talon-fake: explain: {logged.explain()}", file=err, flush=True)
        return response

    return handle
