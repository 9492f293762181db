"""Every Application of ``talon-fake serve`` answers with its own ``applicationId``: in sessions, events, returns,
campaigns, catalogs' subscribed ids, the request log and the state export, after a reset and after importing
another Application's snapshot; each answer valid against the spec."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import httpx

from tests._spec import log_errors

from .conftest import CAMPAIGNS

ROOT = {"Authorization": "ApiKey-v1 fake-talon-api-key"}
SETUP = CAMPAIGNS + "catalogs: [{id: 1, name: main, items: [{sku: SH-1, price: 80}]}]\n"
EVERYTHING = ["customerSession", "customerProfile", "triggeredCampaigns", "event", "previousReturns"]
#: The keys holding an Application's id (one id, or a list of them).
ID_KEYS = {"applicationId", "application_id"}
LIST_KEYS = {"subscribedApplicationsIds", "applicationIds", "subscribed_applications_ids"}


def _ids(node: Any) -> Iterator[int]:
    """Every Application id anywhere in a JSON document (snapshots included: their records use Python names)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ID_KEYS and isinstance(value, int):
                yield value
            elif key in LIST_KEYS and isinstance(value, list):
                yield from value
            else:
                yield from _ids(value)
    elif isinstance(node, list):
        for item in node:
            yield from _ids(item)


def _session(price: float) -> dict[str, Any]:
    items = [{"name": "Shoe", "sku": "SH-1", "quantity": 1, "price": price}]
    return {"customerSession": {"profileId": "p1", "cartItems": items}, "responseContent": EVERYTHING}


def _use_every_record(client: httpx.Client) -> list[Any]:
    """Answers of every operation whose answer names the Application (all expected 2xx)."""
    answers = [
        client.put("/v2/customer_sessions/s1", json=_session(80.0)),
        client.get("/v2/customer_sessions/s1"),
        client.put("/v2/customer_sessions/s1", json={**_session(80.0), "customerSession": {"state": "closed"}}),
        client.post(
            "/v2/customer_sessions/s1/returns",
            json={"return": {"returnedCartItems": [{"position": 0}]}, "responseContent": EVERYTHING[:2]},
        ),
        client.post(
            "/v2/events",
            json={"profileId": "p1", "type": "viewed", "responseContent": ["triggeredCampaigns"]},
            params={"silent": "no"},
        ),
        client.post("/v1/events", json={"profileId": "p1", "sessionId": "s1", "type": "viewed", "attributes": {}}),
        client.put("/v1/customer_sessions/legacy", json={"profileId": "p1", "total": 10, "cartItems": []}),
        client.get("/v1/integration/campaigns"),
        client.put(
            "/v1/catalogs/1/sync",
            json={"actions": [{"type": "ADD", "payload": {"sku": "B2", "price": 5, "replaceIfExists": True}}]},
        ),
    ]
    for answer in answers:
        assert answer.is_success, (answer.request.method, answer.request.url.path, answer.status_code, answer.text)
    return [answer.json() if answer.content else None for answer in answers]


def _app(url: str) -> tuple[int, httpx.Client]:
    yaml = {"Content-Type": "application/yaml"}
    created = httpx.post(url + "/_fake/applications", headers={**ROOT, **yaml}, content=SETUP).json()
    return created["applicationId"], httpx.Client(
        base_url=url, headers={"Authorization": f"ApiKey-v1 {created['apiKey']}"}
    )


def _log_problems(log: list[dict[str, Any]]) -> list[str]:
    entries = [
        SimpleNamespace(
            operation_id=e["operationId"],
            status=e["status"],
            method=e["method"],
            path=e["path"],
            response_json=e["responseJson"],
        )
        for e in log
    ]
    return log_errors(entries)


def test_every_application_answers_with_its_own_id(served: str) -> None:
    apps = [_app(served) for _ in "ab"]
    try:
        for app_id, client in apps:
            answers = _use_every_record(client)
            log = client.get("/_fake/requests").json()
            state = client.get("/_fake/state").json()
            found = list(_ids(answers))
            assert len(found) >= 15
            assert set(found) == {app_id}, (app_id, found)
            assert set(_ids([e["responseJson"] for e in log])) == {app_id}
            assert state["application"]["application_id"] == app_id
            assert set(_ids(state)) == {app_id}
            assert len(log) == 9
            assert _log_problems(log) == []
    finally:
        for app_id, client in apps:
            httpx.delete(f"{served}/_fake/applications/{app_id}", headers=ROOT)
            client.close()


def test_the_id_survives_a_reset_and_a_snapshot_of_another_application(served: str) -> None:
    app_id, client = _app(served)
    with client:
        assert app_id != 1
        assert client.post("/_fake/reset").status_code == 204
        answer = client.put("/v2/customer_sessions/s1", json=_session(80.0)).json()
        assert set(_ids(answer)) == {app_id}
        root_snapshot = httpx.get(served + "/_fake/state", headers=ROOT).json()
        assert root_snapshot["application"]["application_id"] == 1
        assert client.put("/_fake/state", json=root_snapshot).status_code == 204
        answer = client.put("/v2/customer_sessions/s2", json=_session(80.0)).json()
        assert set(_ids(answer)) == {app_id}
        assert client.get("/_fake/state").json()["application"]["application_id"] == app_id
        root_answer = httpx.put(served + "/v2/customer_sessions/r1", headers=ROOT, json=_session(80.0)).json()
        assert set(_ids(root_answer)) == {1}  # the default Application keeps id 1
        httpx.delete(f"{served}/_fake/applications/{app_id}", headers=ROOT)
