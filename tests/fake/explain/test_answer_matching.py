"""A failing assertion explains the request that gave its answer: a response that knows its request (httpx over a
loopback server, requests, aiohttp) is matched to its log entry exactly, a bare dict by its effects (the newest)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from pytest_talon.assertions import TalonAssertionError, assert_coupon_accepted, assert_status
from pytest_talon.fake import FakeTalon

from .scenario import build, session


@pytest.fixture
def served() -> Iterator[tuple[FakeTalon, str]]:
    fake = build(FakeTalon())
    with fake.serve() as url:
        yield fake, url


def _explained(answer: object) -> str:
    """The first line of the explanation a failing assertion on ``answer`` ends with."""
    with pytest.raises(TalonAssertionError) as failed:
        assert_coupon_accepted(answer, "SUMMER10")
    message = str(failed.value)
    return message[message.index("why, by the fake") :].splitlines()[0]


def _headers(fake: FakeTalon) -> dict[str, str]:
    return {"Authorization": f"ApiKey-v1 {fake.api_key}", "Content-Type": "application/json"}


# s1 and s2 get the same effects (SUMMER10 rejected by the same condition): only an exact match tells them apart.
FIRST = "why, by the fake (PUT /v2/customer_sessions/s1 -> 200):"
SECOND = "why, by the fake (PUT /v2/customer_sessions/s2 -> 200):"


def test_a_requests_response_is_matched_by_its_request(served: tuple[FakeTalon, str]) -> None:
    requests = pytest.importorskip("requests")
    fake, url = served
    with requests.Session() as http:
        first = http.put(f"{url}/v2/customer_sessions/s1", json=session(["SUMMER10"]), headers=_headers(fake))
        http.put(f"{url}/v2/customer_sessions/s2", json=session(["SUMMER10"]), headers=_headers(fake))
    assert _explained(first) == FIRST


def _first_of_two(fake: FakeTalon, url: str) -> httpx.Response:
    """The answer to s1, after which s2 gets the same effects (httpx over the loopback server)."""
    with httpx.Client(base_url=url, headers=_headers(fake)) as http:
        first = http.put("/v2/customer_sessions/s1", json=session(["SUMMER10"]))
        http.put("/v2/customer_sessions/s2", json=session(["SUMMER10"]))
    return first


def test_an_httpx_response_over_http_is_matched_by_its_request(served: tuple[FakeTalon, str]) -> None:
    assert _explained(_first_of_two(*served)) == FIRST


def test_a_request_the_fake_got_with_an_answer_it_did_not_give_is_not_explained(
    served: tuple[FakeTalon, str],
) -> None:
    fake, url = served
    body = session(["SUMMER10"])
    with httpx.Client(base_url=url, headers=_headers(fake)) as http:
        sent = http.put("/v2/customer_sessions/s1", json=body)
    assert _explained(sent) == FIRST
    other = {**sent.json(), "effects": sent.json()["effects"][:1]}  # the same request, another answer
    forged = httpx.Response(200, json=other, request=sent.request)
    with pytest.raises(TalonAssertionError) as failed:
        assert_coupon_accepted(forged, "SUMMER10")
    assert "why, by the fake" not in str(failed.value)


async def _aiohttp_first(url: str, fake: FakeTalon) -> Any:
    aiohttp = pytest.importorskip("aiohttp")
    async with aiohttp.ClientSession(headers=_headers(fake)) as http:
        async with http.put(f"{url}/v2/customer_sessions/s1", data=json.dumps(session(["SUMMER10"]))) as first:
            await first.json()
        async with http.put(f"{url}/v2/customer_sessions/s2", data=json.dumps(session(["SUMMER10"]))) as second:
            await second.json()
    return first


def test_an_aiohttp_response_is_matched_by_method_path_and_answer(served: tuple[FakeTalon, str]) -> None:
    fake, url = served
    first = asyncio.run(_aiohttp_first(url, fake))
    assert _explained(first) == FIRST


def test_a_bare_dict_is_matched_by_its_effects_newest_first(served: tuple[FakeTalon, str]) -> None:
    assert _explained(_first_of_two(*served).json()) == SECOND  # the same effects: the newest request is explained


def test_a_response_no_fake_gave_is_not_explained(served: tuple[FakeTalon, str]) -> None:
    fake, url = served
    with httpx.Client(base_url=url, headers=_headers(fake)) as http:
        http.put("/v2/customer_sessions/s1", json=session(["SUMMER10"]))
    answer = fake.requests[-1].response_json
    other = httpx.Response(
        200,
        json=answer,
        request=httpx.Request("PUT", f"{url}/v2/customer_sessions/elsewhere", json=session(["SUMMER10"])),
    )
    with pytest.raises(TalonAssertionError) as failed:
        assert_coupon_accepted(other, "SUMMER10")
    assert "why, by the fake" not in str(failed.value)


def test_a_streamed_answer_never_read_fails_with_the_assertions_message(served: tuple[FakeTalon, str]) -> None:
    fake, url = served
    with (
        httpx.Client(base_url=url, headers=_headers(fake)) as http,
        http.stream("PUT", "/v2/customer_sessions/s1", json=session(["SUMMER10"])) as answer,
    ):
        with pytest.raises(TalonAssertionError) as status:
            assert_status(answer, 201)
        with pytest.raises(TalonAssertionError) as coupon:
            assert_coupon_accepted(answer, "SUMMER10")
    assert "expected HTTP status 201; got HTTP 200" in str(status.value)
    assert "body not read yet: call resp.read() first" in str(status.value)
    assert "body not read yet" in str(coupon.value)
    assert FIRST in str(coupon.value)  # matched by its request alone


def test_a_failure_while_matching_never_hides_the_assertions_message(
    served: tuple[FakeTalon, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from pytest_talon._assertions import explain

    def broken(answer: object) -> None:
        raise RuntimeError("matching failed")

    monkeypatch.setattr(explain, "_sent", broken)
    with pytest.raises(TalonAssertionError) as failed:
        assert_coupon_accepted(_first_of_two(*served), "SUMMER10")
    assert "SUMMER10" in str(failed.value)
    assert "why, by the fake" not in str(failed.value)
