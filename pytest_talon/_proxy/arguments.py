"""The options of ``talon-fake proxy`` (argparse only: importing this module stays cheap for ``talon-fake serve``)."""

from __future__ import annotations

import argparse
from collections.abc import Callable

__all__ = ["DEFAULT_PORT", "MODES", "add_proxy_arguments"]

#: The proxy's modes: the option that picks each, and what it does.
MODES = {
    "record": "forward every request to the upstream and write its answer into the named cassette",
    "replay": "answer from the named cassette, with no network; a request it has no answer for fails",
    "verify": "answer with the upstream's answer, run the request on the fake too, report every difference",
}
#: The default port (``talon-fake serve`` defaults to 8080, so both run side by side).
DEFAULT_PORT = 8081


def add_proxy_arguments(parser: argparse.ArgumentParser, port: Callable[[str], int]) -> None:
    """Add the proxy's options to ``parser`` (``port`` parses and checks a port number)."""
    modes = parser.add_mutually_exclusive_group(required=True)
    for mode, text in MODES.items():
        modes.add_argument(f"--{mode}", metavar="DIR", help=f"{text} (cassettes under DIR)")
    parser.add_argument("--upstream", metavar="URL", help="the API to forward to (needed by --record and --verify)")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    parser.add_argument("--port", type=port, default=DEFAULT_PORT, help=f"port, 0 for a free one ({DEFAULT_PORT})")
    parser.add_argument(
        "--campaigns", action="append", default=[], metavar="FILE", help="--verify: campaigns file for the fake"
    )
    parser.add_argument(
        "--verify-ignore", action="append", default=[], metavar="JSONPATH", help="--verify: a path never compared"
    )
    parser.add_argument("--report", metavar="FILE", help="--verify: write the JSON report of differences at exit")
    parser.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS", help="upstream timeout (30)")
    parser.add_argument("--quiet", action="store_true", help="do not log one line per request on stderr")
