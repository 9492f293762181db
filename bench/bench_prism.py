"""``talon-fake serve`` against Stoplight Prism mocking the same spec: requests/s over HTTP keep-alive.

Run: ``PRISM=/path/to/node_modules/.bin/prism python -m bench.bench_prism [--quick]`` (Prism is an npm package,
``npm install --prefix DIR @stoplight/prism-cli@5``; it is not a dependency, so this script is not part of ``python
-m bench``, and without Prism it says so and exits 2).

- Both servers are subprocesses started as a user would (``talon-fake serve --campaigns FILE`` with the scenario's
  campaigns; ``prism mock spec/integration-api.json``), both with their default request logging, drained from a
  pipe; each is ready when it prints its readiness line (never a sleep).
- The scenario's ``PUT /v2/customer_sessions/{id}`` (10 items, a coupon, session and profile asked back) on one
  keep-alive httpx connection each, in paired interleaved rounds: the fake evaluates three campaigns and stores the
  session; Prism validates the request and answers the spec's example.
"""

from __future__ import annotations

import json
import os
import selectors
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import httpx

from bench._common import Goal, Row, cli, paired
from bench._scenario import CAMPAIGNS, session_body

SPEC = Path(__file__).resolve().parents[1] / "spec" / "integration-api.json"
#: Seconds a server may take to print its readiness line (reached only when something is broken).
PATIENCE = 60.0
KEY = "fake-talon-api-key"
INSTALL = "npm install --prefix DIR @stoplight/prism-cli@5, then run with PRISM=DIR/node_modules/.bin/prism"


def _prism() -> str | None:
    return os.environ.get("PRISM") or shutil.which("prism")


def _ready(process: subprocess.Popen[str], name: str, marker: str) -> str:
    """The first stdout line holding ``marker`` (waits on the pipe); the rest of stdout is drained by a thread."""
    stream = process.stdout
    assert stream is not None
    with selectors.DefaultSelector() as selector:
        selector.register(stream, selectors.EVENT_READ)
        while True:
            if not selector.select(PATIENCE):
                raise SystemExit(f"{name} printed no {marker!r} line within {PATIENCE} s")
            line = stream.readline()
            if not line:
                raise SystemExit(f"{name} exited with {process.wait()} before it was ready")
            if marker in line:
                threading.Thread(target=_drain, args=(stream,), daemon=True).start()
                return line


def _drain(stream: IO[str]) -> None:
    for _ in stream:
        pass


@contextmanager
def _served(command: list[str], marker: str) -> Iterator[str]:
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        line = _ready(process, command[0], marker)
        yield "http://" + line.split("http://", 1)[1].split()[0].rstrip("/")
    finally:
        process.terminate()
        process.wait(timeout=PATIENCE)


def rows(quick: bool) -> list[Row]:
    """The one row: talon-fake serve's requests/s over Prism's, same request, same machine, same run."""
    prism = _prism()
    if prism is None:
        print(f"bench.bench_prism: Prism not found: {INSTALL}", file=sys.stderr)
        raise SystemExit(2)
    with tempfile.TemporaryDirectory() as folder:
        campaigns = Path(folder) / "campaigns.json"
        campaigns.write_text(json.dumps(CAMPAIGNS))
        fake_command = [
            sys.executable,
            "-m",
            "pytest_talon.fake",
            "serve",
            "--port",
            "0",
            "--campaigns",
            str(campaigns),
        ]
        prism_command = [prism, "mock", "-h", "127.0.0.1", "-p", "0", str(SPEC)]
        with (
            _served(fake_command, "http://") as fake_url,
            _served(prism_command, "Prism is listening on") as prism_url,
            httpx.Client(base_url=fake_url, headers={"Authorization": f"ApiKey-v1 {KEY}"}) as fake_http,
            httpx.Client(base_url=prism_url, headers={"Authorization": f"ApiKey-v1 {KEY}"}) as prism_http,
        ):

            def send(http: httpx.Client, tag: str) -> Callable[[int], None]:
                def call(i: int) -> None:
                    answer = http.put(f"/v2/customer_sessions/{tag}{i}", json=session_body(profile=f"{tag}{i}"))
                    assert answer.status_code == 200, (tag, answer.status_code, answer.text[:300])

                return call

            result = paired(
                send(prism_http, "p"), send(fake_http, "f"), rounds=4 if quick else 10, batch=20 if quick else 50
            )
    return [
        Row(
            "talon-fake serve requests/s, scenario PUT session over keep-alive",
            "Stoplight Prism 5 `prism mock` of the same spec (static example), same request, both logging",
            f"{1 / result.baseline:.0f} vs {1 / result.measured:.0f} requests/s",
            result.ratio,
            "x",
            Goal(">=", 2.0),
        )
    ]


if __name__ == "__main__":
    sys.exit(cli(rows, __doc__))
