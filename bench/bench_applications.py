"""Applications per API key (``POST /_fake/applications``): cost per request with 1,000 Applications against one.

Run: ``python -m bench.bench_applications [--quick]``.

- The scenario's ``PUT /v2/customer_sessions/{id}`` (3 campaigns, the first session of a new profile) sent to the
  handler ``talon-fake serve`` runs (``with_admin`` over a seeded fake, Applications on), in-process so that the
  routing by key is not hidden behind socket time: the last of 1,000 Applications (each seeded with the same
  campaigns) against a server with only the default one, in paired interleaved rounds.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import httpx

from bench._common import Goal, Row, cli, ms, paired
from bench._scenario import CAMPAIGNS, session_body
from pytest_talon.fake import FakeTalon
from pytest_talon.fake.http.admin import with_admin

Handler = Any


def _server(applications: int) -> tuple[Handler, str]:
    """The handler of a served fake with ``applications`` Applications beside the default; the key to send."""
    fake = FakeTalon()
    fake.load_campaigns(CAMPAIGNS)
    handler = with_admin(fake, fake._lock, spawn=fake._spawn)
    key = fake.api_key
    body = json.dumps(CAMPAIGNS, default=str).encode()
    for _ in range(applications):
        created = handler(_request("POST", "/_fake/applications", fake.api_key, body))
        key = created.json()["apiKey"]
    return handler, key


def _request(method: str, path: str, key: str, body: bytes) -> httpx.Request:
    headers = {"Authorization": f"ApiKey-v1 {key}", "Content-Type": "application/json"}
    return httpx.Request(method, "https://fake-talon.test" + path, headers=headers, content=body)


def rows(quick: bool) -> list[Row]:
    """The one row: cost per request with 1,000 Applications over one."""
    many, many_key = _server(100 if quick else 1000)
    one, one_key = _server(0)

    def call(handler: Handler, key: str, tag: str) -> Any:
        def send(i: int) -> None:
            body = json.dumps(session_body(profile=f"{tag}{i}", coupon=None), default=str)
            answer = handler(_request("PUT", f"/v2/customer_sessions/{tag}{i}", key, body.encode()))
            assert answer.status_code == 200, answer.text

        return send

    result = paired(call(many, many_key, "m"), call(one, one_key, "o"), rounds=10 if quick else 30, batch=50)
    count = "100" if quick else "1,000"
    return [
        Row(
            f"PUT session, {count} Applications (the last one's key)",
            f"one Application: {ms(result.baseline)}",
            ms(result.measured),
            result.ratio,
            "x",
            Goal("<=", 1.2),
        )
    ]


if __name__ == "__main__":
    sys.exit(cli(rows, __doc__))
