"""Applications per API key on ``talon-fake serve``: each has its own state, log and faults; parallel clients on two
Applications never see each other's sessions or faults; bad input answers a JSON 4xx and changes nothing."""

from __future__ import annotations

import threading

import httpx
import pytest
import yaml

from pytest_talon.fake import FakeTalon

from .conftest import CAMPAIGNS

ROOT = {"Authorization": "ApiKey-v1 fake-talon-api-key"}


def _session(profile: str) -> dict[str, object]:
    return {
        "customerSession": {"profileId": profile, "cartItems": [{"name": "x", "sku": "x", "price": 5, "quantity": 1}]}
    }


def _new_app(url: str, campaigns: str | None = None) -> tuple[int, httpx.Client]:
    yaml = {"Content-Type": "application/yaml"}
    answer = httpx.post(url + "/_fake/applications", headers={**ROOT, **yaml}, content=campaigns)
    assert answer.status_code == 201, answer.text
    created = answer.json()
    client = httpx.Client(base_url=url, headers={"Authorization": f"ApiKey-v1 {created['apiKey']}"})
    return created["applicationId"], client


def test_parallel_clients_on_two_applications_never_see_each_other(served: str) -> None:
    apps = [_new_app(served, CAMPAIGNS) for _ in "ab"]
    problems: list[str] = []

    def worker(name: str, client: httpx.Client) -> None:
        try:
            client.post("/_fake/faults", json={"status": 503, "times": 1})
            first = client.put(f"/v2/customer_sessions/{name}-0", json=_session(name))
            if first.status_code != 503:
                problems.append(f"{name}: its own fault was not answered: {first.status_code}")
            for i in range(20):
                answer = client.put(f"/v2/customer_sessions/{name}-{i}", json=_session(name))
                if answer.status_code != 200:
                    problems.append(f"{name}: {answer.status_code} {answer.text}")
            paths = {r["path"] for r in client.get("/_fake/requests").json()}
            if any(not p.startswith(f"/v2/customer_sessions/{name}-") for p in paths):
                problems.append(f"{name} saw {sorted(paths)}")
            sessions = set(client.get("/_fake/state").json()["application"]["sessions"])
            if sessions != {f"{name}-{i}" for i in range(20)}:
                problems.append(f"{name} has sessions {sorted(sessions)}")
        except Exception as exc:  # pragma: no cover - reported below
            problems.append(repr(exc))

    threads = [threading.Thread(target=worker, args=(n, c)) for n, (_, c) in zip("ab", apps, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert problems == []
    root_log = httpx.get(served + "/_fake/requests", headers=ROOT).json()
    assert not any(r["path"].startswith("/v2/customer_sessions/a-") for r in root_log)
    for app_id, client in apps:
        assert httpx.delete(f"{served}/_fake/applications/{app_id}", headers=ROOT).status_code == 204
        assert client.get("/_fake/requests").status_code == 401  # its key is gone with it
        client.close()


def test_an_application_starts_empty_and_resets_to_its_campaigns(served: str) -> None:
    app_id, client = _new_app(served)
    with client:
        assert not client.get("/_fake/state").json()["application"]["campaigns"]
        yaml = {"Content-Type": "application/yaml"}
        assert client.post("/_fake/campaigns", content=CAMPAIGNS, headers=yaml).status_code == 201
        client.put("/v2/customer_sessions/s", json=_session("p"))
        assert client.post("/_fake/reset").status_code == 204
        assert not client.get("/_fake/state").json()["application"]["sessions"]
        listed = httpx.get(served + "/_fake/applications", headers=ROOT).json()
        assert {"applicationId": app_id} in listed
        assert {"applicationId": 1} in listed
        assert client.get("/_fake/applications").status_code == 403


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "names"),
    [
        ("DELETE", "/_fake/applications/999", None, 404, "no Application '999'"),
        ("DELETE", "/_fake/applications/1", None, 400, "default Application (1) cannot be deleted"),
        ("POST", "/_fake/applications", b"[1]", 400, "campaigns file"),
        ("POST", "/_fake/applications", b'{"campaigns": [{"name": "x", "rules": "r"}]}', 400, "no Application"),
        ("POST", "/_fake/applications?copyFrom=default", None, 400, "copyFrom must be a whole number"),
        ("POST", "/_fake/applications?copyFrom=999", None, 400, "copyFrom: no Application 999"),
        ("POST", "/_fake/applications?copyFrom=1&copyFrom=2", None, 400, "copyFrom is given more than once"),
        ("POST", "/_fake/applications?copyFrom=-1", None, 400, "copyFrom must be a whole number"),
        ("POST", "/_fake/applications?copy=1", None, 400, "unknown query parameter(s) ['copy']"),
    ],
)
def test_bad_application_calls_answer_json_and_change_nothing(
    served: str, method: str, path: str, body: bytes | None, status: int, names: str
) -> None:
    before = httpx.get(served + "/_fake/applications", headers=ROOT).json()
    answer = httpx.request(method, served + path, headers=ROOT, content=body)
    assert answer.status_code == status
    assert names in answer.json()["message"]
    assert httpx.get(served + "/_fake/applications", headers=ROOT).json() == before


def test_an_application_copied_from_the_default_starts_as_the_server_started() -> None:
    fake = FakeTalon()
    fake.load_campaigns(yaml.safe_load(CAMPAIGNS))
    with fake.serve() as url:
        assert httpx.put(url + "/v2/customer_sessions/before", json=_session("p"), headers=ROOT).status_code == 200
        answer = httpx.post(url + "/_fake/applications?copyFrom=1", headers=ROOT)
        assert answer.status_code == 201, answer.text
        created = answer.json()
        assert created["copiedFrom"] == 1
        headers = {"Authorization": f"ApiKey-v1 {created['apiKey']}"}
        with httpx.Client(base_url=url, headers=headers) as client:
            state = client.get("/_fake/state").json()["application"]
            root = httpx.get(url + "/_fake/state", headers=ROOT).json()["application"]
            assert state["campaigns"] == root["campaigns"] != FakeTalon().export_state()["application"]["campaigns"]
            empty = FakeTalon().export_state()["application"]["sessions"]
            assert state["sessions"] == empty != root["sessions"]  # the default's sessions since it started: not copied
            assert client.put("/v2/customer_sessions/s", json=_session("p")).status_code == 200
            session = client.get("/v2/customer_sessions/s").json()["customerSession"]
            assert session["applicationId"] == created["applicationId"] != 1  # its own id
            assert client.post("/_fake/reset").status_code == 204  # back to the copy: campaigns kept
            after = client.get("/_fake/state").json()["application"]
            assert after["sessions"] == empty
            assert after["campaigns"] == state["campaigns"]
        assert set(fake.app.sessions) == {"before"}  # the default Application is untouched


def test_a_thousand_applications_each_answer_only_their_own_key() -> None:
    fake = FakeTalon()
    with fake.serve() as url, httpx.Client(base_url=url) as client:
        keys = [client.post("/_fake/applications", headers=ROOT).json()["apiKey"] for _ in range(1000)]
        for key in (keys[0], keys[500], keys[-1]):
            headers = {"Authorization": f"ApiKey-v1 {key}"}
            assert client.put(f"/v2/customer_sessions/{key}", json=_session("p"), headers=headers).status_code == 200
            assert [r["path"] for r in client.get("/_fake/requests", headers=headers).json()] == [
                f"/v2/customer_sessions/{key}"
            ]
        assert fake.requests == []
