"""Nothing a client sends crashes the fake: arbitrary bodies, paths and query strings never answer 500."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_talon.fake import FakeTalon
from tests._spec import log_errors

from .conftest import raw

CAMPAIGNS = yaml.safe_load((Path(__file__).parents[2] / "examples" / "campaigns.yaml").read_text())

_scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(10**6), 10**6)
    | st.floats(-1e6, 1e6, allow_nan=False)
    | st.text(max_size=8)
)
_json = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=8,
)
_item = st.fixed_dictionaries(
    {"sku": st.sampled_from(["SHIRT-1", "BAG-1", "", "x"]), "quantity": st.integers(-1, 5)},
    optional={
        "price": st.floats(-50, 500, allow_nan=False),
        "category": st.sampled_from(["accessories", "x"]),
        "attributes": st.dictionaries(st.sampled_from(["eco", "k"]), _scalars, max_size=2),
    },
)
_session = st.fixed_dictionaries(
    {},
    optional={
        "profileId": st.sampled_from(["", "alice", "bob", "p" * 5]),
        "state": st.sampled_from(["open", "closed", "cancelled", "partially_returned", "bogus"]),
        "couponCodes": st.lists(st.sampled_from(["SUMMER-10", "SUMMER-ONCE", "VIP-2026", "NOPE"]), max_size=3),
        "referralCode": st.sampled_from(["", "ALICE-REF", "NOPE-REF"]),
        "cartItems": st.lists(_item, max_size=3),
        "additionalCosts": st.dictionaries(
            st.sampled_from(["shipping", "wrap"]),
            st.fixed_dictionaries({"price": st.floats(-5, 50, allow_nan=False)}),
            max_size=2,
        ),
        "attributes": st.dictionaries(st.sampled_from(["usePoints", "a"]), _scalars, max_size=2),
    },
)
_requests = st.one_of(
    st.tuples(
        st.just("PUT"),
        st.just("/v2/customer_sessions/{id}"),
        st.builds(
            lambda s, c: {"customerSession": s, **c},
            _session,
            st.fixed_dictionaries(
                {},
                optional={
                    "responseContent": st.lists(
                        st.sampled_from(["customerSession", "coupons", "loyalty", "referral", "event", "x"]), max_size=3
                    )
                },
            ),
        ),
    ),
    st.tuples(
        st.just("POST"),
        st.just("/v2/customer_sessions/{id}/returns"),
        st.builds(
            lambda items: {"return": {"returnedCartItems": items}},
            st.lists(
                st.fixed_dictionaries(
                    {},
                    optional={
                        "position": st.integers(-2, 3),
                        "quantity": st.integers(-1, 3),
                        "sku": st.text(max_size=3),
                    },
                ),
                max_size=2,
            ),
        ),
    ),
    st.tuples(st.just("PUT"), st.just("/v2/customer_sessions/{id}/reopen"), st.none()),
    st.tuples(
        st.sampled_from(["PUT", "POST", "GET", "DELETE"]),
        st.sampled_from(
            [
                "/v2/customer_profiles/{id}",
                "/v2/events",
                "/v1/referrals",
                "/v1/coupon_reservations/{id}",
                "/v1/customer_profiles/{id}/inventory",
                "/v1/customer_data/{id}",
                "/v2/customer_profiles",
                "/v1/referrals_for_multiple_advocates",
            ]
        ),
        _json,
    ),
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    steps=st.lists(
        st.tuples(
            _requests,
            st.sampled_from(["s1", "s2", "a%2Fb", "alice"]),
            st.sampled_from(
                ["", "?dry=true", "?silent=no", "?runRuleEngine=true", "?dry=1&now=2030-01-01T00:00:00Z", "?silent=x"]
            ),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_no_request_crashes_the_fake(steps: list[tuple[tuple[str, str, Any], str, str]]) -> None:
    fake = FakeTalon()
    fake.load_campaigns(CAMPAIGNS)
    for (method, template, body), ident, query in steps:
        path = template.replace("{id}", quote(ident, safe="%")) + query
        content = json.dumps(body).encode() if body is not None else b""
        response = raw(fake, method, path, content=content)
        assert response.status_code != 500, response.text
        assert response.status_code in (200, 201, 204, 400, 404, 405), (method, path, response.status_code)
    assert not log_errors(fake.requests)
