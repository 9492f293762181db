"""A local stub of the Management API's campaigns and rulesets endpoints (``talon-fake import`` tests)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

KEY = "bd9479c59e16"
APP = 5
SPEC_RULE = {
    "id": "7fa800a8-ac8d-4792-85dc-c4650dcc8f23",
    "title": "10% off with a coupon",
    "description": "Creates a discount when a coupon is valid",
    "bindings": [],
    "condition": ["and", ["couponValid"]],
    "effects": ["catch", ["noop"], ["setDiscount", "10% off", ["*", [".", "Session", "Total"], ["/", 10, 100]]]],
}
KITCHEN_RULE = {
    "title": "Two kitchen items",
    "condition": [">=", ["count", [".", "kitchen"]], 2],
    "effects": [["setDiscount", "Kitchen", 3]],
}
CAMPAIGNS = [
    {
        "id": 1,
        "name": "Summer coupons",
        "state": "enabled",
        "activeRulesetId": 11,
        "tags": ["summer"],
        "startTime": "2026-01-01T00:00:00Z",
        "attributes": "{}",
        "discountCount": 288.0,
    },
    {"id": 2, "name": "Kitchen", "state": "enabled", "activeRulesetId": 21, "attributes": {"team": "home"}},
    {"id": 3, "name": "Draft", "state": "disabled"},
]
RULESETS = {
    (1, 11): {"id": 11, "created": "2020-06-10T09:05:27Z", "userId": 1, "rbVersion": "v2", "rules": [SPEC_RULE],
              "bindings": []},
    (2, 21): {"id": 21, "created": "2020-06-10T09:05:27Z", "userId": 1, "rules": [KITCHEN_RULE], "bindings": [
        {"name": "kitchen", "type": "cartItemFilter", "expression": ["filter", [".", "Session", "CartItems"],
         [["Item"], ["catch", False, ["=", [".", "Item", "Category"], "Kitchen"]]]]}]},
}  # fmt: skip


class ManagementStub(BaseHTTPRequestHandler):
    """Serves getCampaigns (at most 2 per page, whatever pageSize says), getCampaign and getRuleset."""

    requests: list[tuple[str, str | None]]
    campaigns: list[dict[str, Any]] = CAMPAIGNS
    rulesets: dict[tuple[int, int], dict[str, Any]] = RULESETS

    def do_GET(self) -> None:
        self.requests.append((self.path, self.headers.get("Authorization")))
        if self.headers.get("Authorization") != f"ManagementKey-v1 {KEY}":
            return self.answer(401, {"message": "Unauthorized", "errors": [], "StatusCode": 401})
        url = urlsplit(self.path)
        parts = url.path.strip("/").split("/")
        if parts[:3] != ["v1", "applications", str(APP)] or parts[3:4] != ["campaigns"]:
            return self.answer(404, {"message": "Not found", "StatusCode": 404})
        if len(parts) == 4:
            query = parse_qs(url.query)
            skip, size = int(query["skip"][0]), min(int(query["pageSize"][0]), 2)
            return self.answer(
                200, {"totalResultSize": len(self.campaigns), "data": self.campaigns[skip : skip + size]}
            )
        found = [c for c in self.campaigns if str(c["id"]) == parts[4]]
        if len(parts) == 5 and found:
            return self.answer(200, found[0])
        if len(parts) == 7 and parts[5] == "rulesets" and (int(parts[4]), int(parts[6])) in self.rulesets:
            return self.answer(200, self.rulesets[int(parts[4]), int(parts[6])])
        return self.answer(404, {"message": f"{self.path} not found", "StatusCode": 404})

    def answer(self, status: int, body: Any) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def stub() -> Iterator[tuple[str, list[tuple[str, str | None]]]]:
    """A Management API stub on 127.0.0.1 (a free port), and the requests it received."""
    seen: list[tuple[str, str | None]] = []
    handler = type("Stub", (ManagementStub,), {"requests": seen})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)  # listening once constructed: no wait needed
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", seen
    server.shutdown()
    server.server_close()
    thread.join()
