"""Compact storage: the request log packs the bodies of older entries and stored cart items share equal strings and
numbers, and nothing a user reads changes (log entries, the admin API's log, snapshots, sessions)."""

from __future__ import annotations

import copy
import json
import math
import pickle
from typing import Any

import httpx
import pytest

from pytest_talon.fake import Campaign, FakeTalon, Rule, SetDiscount
from pytest_talon.fake.http.admin import with_admin
from pytest_talon.fake.state import compact, packed_log, records
from pytest_talon.fake.state.compact import Interner
from pytest_talon.fake.state.packed_log import BATCH_BYTES, PackedPair, pack_pairs
from pytest_talon.fake.state.records import PACK_BATCH, RECENT_UNPACKED, JsonText, RecordedRequest, RequestLog

from .conftest import AUTH, raw, session


def traffic(fake: FakeTalon, sessions: int) -> None:
    """Session updates with carts and a coupon, reads, a 404 and a 400: bodies of every kind in the log."""
    fake.add_campaign(Campaign(name="ten off", rules=(Rule("ten", effects=(SetDiscount("Ten", value=10),)),)))
    for i in range(sessions):
        items = [(f"SKU-{n}", 1 + n % 3, 9.5 + n) for n in range(5)]
        body = session(f"p{i}", items=items, coupons=["NOPE"], content=["customerSession", "customerProfile"])
        raw(fake, "PUT", f"/v2/customer_sessions/s{i}", json=body)
        raw(fake, "GET", f"/v1/customer_sessions/s{i}")
    raw(fake, "GET", "/v1/customer_sessions/missing")
    raw(fake, "PUT", "/v2/customer_sessions/bad", content=b'{"customerSession": {"state": 3}}', headers=AUTH)


def unpacked_twin(monkeypatch: pytest.MonkeyPatch, sessions: int) -> FakeTalon:
    """A fake that saw the same traffic with packing off (every entry keeps its bodies as sent)."""
    with monkeypatch.context() as patch:
        patch.setattr(records, "RECENT_UNPACKED", 10**9)
        twin = FakeTalon()
        traffic(twin, sessions)
    return twin


def snapshot_log(fake: FakeTalon) -> Any:
    return fake.export_state()["application"]["requests"]


def admin_log(fake: FakeTalon) -> Any:
    admin = with_admin(fake)
    return admin(httpx.Request("GET", fake.base_url + "/_fake/requests")).json()


def test_packed_log_entries_read_the_same_as_entries_kept_as_sent(monkeypatch: pytest.MonkeyPatch) -> None:
    # Given a fake that answered more requests than it keeps unpacked, and a twin that never packs
    fake = FakeTalon()
    traffic(fake, RECENT_UNPACKED + PACK_BATCH)
    twin = unpacked_twin(monkeypatch, RECENT_UNPACKED + PACK_BATCH)

    # Then the older entries hold their bodies packed and the newest as sent
    log = fake.requests
    assert isinstance(log[0].__dict__["_json"], PackedPair)
    assert isinstance(log[0].__dict__["_response_json"], PackedPair)
    assert not isinstance(log[-RECENT_UNPACKED].__dict__["_response_json"], PackedPair)

    # And every view of the log is the same as the twin's: entries, the admin API's log and the snapshot
    assert log == twin.requests
    assert [(r.json, r.response_json) for r in log] == [(r.json, r.response_json) for r in twin.requests]
    assert admin_log(fake) == admin_log(twin)
    assert snapshot_log(fake) == snapshot_log(twin)


def test_a_packed_entry_equals_the_entry_built_eagerly_from_the_same_bytes() -> None:
    # Given an entry made from the wire bytes of a request and its answer, and the same entry with decoded bodies
    sent = json.dumps({"customerSession": {"profileId": "ünï", "cartItems": [{"sku": "a", "price": 1.25}]}})
    answer = json.dumps({"effects": [], "customerSession": {"id": 1, "total": 2.5}})
    lazy = RecordedRequest("PUT", "/p", "op", {}, JsonText(sent.encode()), 200, JsonText(answer.encode()), [], [])
    eager = RecordedRequest("PUT", "/p", "op", {}, json.loads(sent), 200, json.loads(answer), [], [])

    # When the lazy one is packed
    packed_log.pack_bodies([lazy])

    # Then it reads, compares and prints as the eager one
    assert isinstance(lazy.__dict__["_json"], PackedPair)
    assert lazy == eager
    assert (lazy.json, lazy.response_json) == (eager.json, eager.response_json)
    assert repr(lazy) == repr(eager)


def test_an_entry_with_one_wire_body_or_tiny_bodies_packs_only_what_is_worth_it() -> None:
    answer = JsonText(json.dumps({"data": list(range(100))}).encode())
    one_sided = RecordedRequest("GET", "/p", "op", {}, None, 200, answer, [], [])
    tiny = RecordedRequest("GET", "/p", "op", {}, JsonText(b"{}"), 200, JsonText(b'{"a":1}'), [], [])

    packed_log.pack_bodies([one_sided, tiny])

    assert one_sided.json is None
    assert one_sided.response_json == {"data": list(range(100))}
    assert isinstance(one_sided.__dict__["_response_json"], PackedPair)
    assert type(tiny.__dict__["_json"]) is JsonText
    assert (tiny.json, tiny.response_json) == ({}, {"a": 1})


def test_packed_pairs_give_back_every_document_byte_for_byte_across_streams() -> None:
    # Given pairs with empty, non-ASCII and large documents, more bytes than one stream holds
    big = b"[" + b"1," * (BATCH_BYTES // 4) + b"1]"
    pairs = [(b"", b'{"a":1}'), (b"[1]", b""), ("ü€".encode(), b"x" * 5000), (big, big), (b"{}", b"[]")]

    packed = pack_pairs(pairs)

    assert [(p.document(0), p.document(1)) for p in packed] == pairs
    assert packed[0].bodies is packed[2].bodies
    assert packed[4].bodies is not packed[0].bodies


def test_the_log_packs_in_batches_and_counts_again_after_clear() -> None:
    padding = "x" * 80
    entries = [
        RecordedRequest("GET", f"/p{i}", "op", {}, None, 200, JsonText(f'{{"n":{i},"pad":"{padding}"}}'.encode()))
        for i in range(3 * (RECENT_UNPACKED + PACK_BATCH))
    ]
    log = RequestLog(maxlen=RECENT_UNPACKED + PACK_BATCH + 10)

    for entry in entries[: RECENT_UNPACKED + PACK_BATCH - 1]:
        log.append(entry)
    assert not any(isinstance(e.__dict__["_response_json"], PackedPair) for e in log)
    log.append(entries[RECENT_UNPACKED + PACK_BATCH - 1])
    packed = [isinstance(e.__dict__["_response_json"], PackedPair) for e in log]
    assert packed == [True] * PACK_BATCH + [False] * RECENT_UNPACKED

    log.clear()
    for entry in entries[RECENT_UNPACKED + PACK_BATCH :]:
        log.append(entry)
    kept = entries[-len(log) :]
    assert [e.response_json["n"] for e in log] == [e.response_json["n"] for e in kept]
    assert [e.path for e in log] == [e.path for e in kept]
    assert any(isinstance(e.__dict__["_response_json"], PackedPair) for e in log)


def test_the_interner_keeps_values_equal_and_shares_equal_strings_and_floats() -> None:
    interner = Interner()
    one = interner.json({"sku": "A-1", "price": 9.5, "nested": [{"tag": "x"}], "n": 3})
    two = interner.json({"sku": "A-1"[:1] + "-1", "price": 19.0 / 2, "nested": [{"tag": "x"}], "n": 3})

    assert one == two == {"sku": "A-1", "price": 9.5, "nested": [{"tag": "x"}], "n": 3}
    assert one["sku"] is two["sku"]
    assert one["price"] is two["price"]
    assert [k for k in one] == [k for k in two]
    assert all(a is b for a, b in zip(one, two, strict=True))


def test_the_interner_keeps_signed_zeros_and_nan_as_given() -> None:
    interner = Interner()
    interner.json({"v": 0.0})

    negative = interner.json({"v": -0.0})["v"]
    nan = interner.json([math.nan])[0]

    assert math.copysign(1, negative) == -1
    assert math.isnan(nan)


def test_stored_cart_items_of_two_sessions_share_their_strings(fake: FakeTalon) -> None:
    body = session("p1", items=[("SKU-1", 2, 10.5)])
    raw(fake, "PUT", "/v2/customer_sessions/a", json=body)
    raw(fake, "PUT", "/v2/customer_sessions/b", json=session("p2", items=[("SKU-1", 2, 10.5)]))

    first, second = fake.session("a"), fake.session("b")
    left, right = fake.app.sessions["a"].cart_items[0], fake.app.sessions["b"].cart_items[0]

    assert first.cart_items == second.cart_items
    assert left == right == {"sku": "SKU-1", "quantity": 2, "price": 10.5}
    assert left["sku"] is right["sku"]
    assert next(iter(left)) is next(iter(right))


def test_a_snapshot_leaves_the_shared_strings_out_and_the_restored_fake_stores_sessions() -> None:
    fake = FakeTalon()
    raw(fake, "PUT", "/v2/customer_sessions/a", json=session("p1", items=[("SKU-1", 1, 1.0)]))
    snapshot = fake.export_state()

    restored = FakeTalon()
    restored.import_state(snapshot)
    raw(restored, "PUT", "/v2/customer_sessions/b", json=session("p1", items=[("SKU-1", 1, 1.0)]))

    assert "interned" not in snapshot["application"]
    assert restored.app.sessions["b"].cart_items == fake.app.sessions["a"].cart_items
    assert restored.export_state(logs=False)["application"]["sessions"]["a"] == snapshot["application"]["sessions"]["a"]


def test_a_stored_session_and_its_event_keep_one_list_of_effects(fake: FakeTalon) -> None:
    fake.add_campaign(Campaign(name="ten off", rules=(Rule("ten", effects=(SetDiscount("Ten", value=10),)),)))

    answer = raw(fake, "PUT", "/v2/customer_sessions/a", json=session("p1", items=[("SKU-1", 1, 20.0)])).json()

    stored = fake.app.sessions["a"]
    assert stored.effects is fake.app.events[-1].effects
    assert [e["props"] for e in stored.effects] == [e["props"] for e in answer["effects"]]


def test_the_interner_shares_keys_parsed_apart_and_updates_lists_in_place() -> None:
    interner = Interner()
    first = json.loads('[{"sku": "A", "attributes": {"size": "L"}}]')
    second = json.loads('[{"sku": "A", "attributes": {"size": "L"}}]')

    shared_first, shared_second = interner.json(first), interner.json(second)

    assert shared_first is first
    assert shared_second is second
    assert first == second == [{"sku": "A", "attributes": {"size": "L"}}]
    assert next(iter(first[0])) is next(iter(second[0]))
    assert next(iter(first[0]["attributes"])) is next(iter(second[0]["attributes"]))
    assert first[0]["attributes"]["size"] is second[0]["attributes"]["size"]


def test_equal_records_of_scalars_are_one_shared_record() -> None:
    interner = Interner()
    first = interner.records([{"sku": "A", "quantity": 2, "price": 9.5}, {"sku": "B", "quantity": 1, "price": 3.0}])
    second = interner.records([{"sku": "A", "quantity": 2, "price": 9.5}])

    assert second[0] is first[0]
    assert first[1] == {"sku": "B", "quantity": 1, "price": 3.0}


@pytest.mark.parametrize(
    ("stored", "sent"),
    [
        ({"sku": "A", "quantity": 1}, {"sku": "A", "quantity": 1.0}),  # equal, but an int is not a float
        ({"sku": "A", "flag": 1}, {"sku": "A", "flag": True}),
        ({"sku": "A", "quantity": 1}, {"quantity": 1, "sku": "A"}),  # the keys' order is kept
        ({"sku": "A", "price": 0.0}, {"sku": "A", "price": -0.0}),  # zeros are never shared
        ({"sku": "A", "attributes": {"a": 1}}, {"sku": "A", "attributes": {"a": 1}}),  # nested: strings only
    ],
)
def test_records_that_would_print_differently_or_hold_more_than_scalars_are_not_shared(
    stored: dict[str, Any], sent: dict[str, Any]
) -> None:
    interner = Interner()
    kept = interner.records([dict(stored)])[0]
    given = interner.records([dict(sent)])[0]

    assert given is not kept
    assert json.dumps(given) == json.dumps(sent)


def test_a_return_changes_the_returned_session_only_though_its_cart_items_are_shared(fake: FakeTalon) -> None:
    for session_id in ("a", "b"):
        body = session("p1", items=[("SKU-1", 2, 10.5)])
        body["customerSession"]["state"] = "closed"
        assert raw(fake, "PUT", f"/v2/customer_sessions/{session_id}", json=body).status_code == 200
    assert fake.app.sessions["a"].cart_items[0] is fake.app.sessions["b"].cart_items[0]

    returned = {"return": {"returnedCartItems": [{"position": 0, "quantity": 1}]}}
    assert raw(fake, "POST", "/v2/customer_sessions/a/returns", json=returned).status_code == 200

    assert fake.app.sessions["a"].cart_items[0]["remainingQuantity"] == 1
    assert fake.app.sessions["b"].cart_items[0] == {"sku": "SKU-1", "quantity": 2, "price": 10.5}


def test_a_copied_session_equals_a_deep_copy_and_changing_it_leaves_the_stored_one_alone(fake: FakeTalon) -> None:
    fake.add_campaign(Campaign(name="ten off", rules=(Rule("ten", effects=(SetDiscount("Ten", value=10),)),)))
    body = session("p1", items=[("SKU-1", 2, 10.5)], coupons=["NOPE"])
    body["customerSession"]["attributes"] = {"tags": ["a", {"deep": 1}]}
    body["customerSession"]["additionalCosts"] = {"shipping": {"price": 4.5}}
    body["customerSession"]["state"] = "closed"
    assert raw(fake, "PUT", "/v2/customer_sessions/a", json=body).status_code == 200
    stored = fake.app.sessions["a"]
    before = copy.deepcopy(stored)

    twin = stored.copied()

    assert twin == before
    assert twin.cart_items[0] is stored.cart_items[0]  # stored items and effects are read-only: shared
    assert twin.effects[0] is stored.effects[0]
    twin.attributes["tags"][1]["deep"] = 2
    twin.additional_costs["shipping"]["price"] = 0.0
    twin.effects.append({"effectType": "x"})
    twin.coupon_codes.append("X")
    twin.cart_items.append({"sku": "SKU-2", "quantity": 1})
    twin.return_ids.append(7)
    assert twin.committed is not None
    assert stored.committed is not None
    twin.committed.effects.clear()
    assert stored == before


def test_an_update_of_a_stored_session_changes_the_stored_one_only_once_answered(fake: FakeTalon) -> None:
    assert raw(fake, "PUT", "/v2/customer_sessions/a", json=session("p1", items=[("SKU-1", 1, 5.0)])).status_code == 200
    kept = fake.app.sessions["a"]
    body = session("p1", items=[("SKU-1", 1, 5.0)])
    body["customerSession"]["attributes"] = {"x": 1}

    assert raw(fake, "PUT", "/v2/customer_sessions/a", json=body).status_code == 200

    assert kept.attributes == {}
    assert kept.update_count == 1
    assert fake.app.sessions["a"].attributes == {"x": 1}
    assert fake.app.sessions["a"].update_count == 2


def test_each_fake_has_its_own_interner_and_a_pickled_one_comes_back_empty() -> None:
    first, second = FakeTalon(), FakeTalon()
    for fake in (first, second):
        raw(fake, "PUT", "/v2/customer_sessions/a", json=session("p1", items=[("SKU-77", 3, 12.25)]))

    assert first.app.interned is not second.app.interned
    assert first.app.sessions["a"].cart_items[0] == second.app.sessions["a"].cart_items[0]
    assert first.app.sessions["a"].cart_items[0] is not second.app.sessions["a"].cart_items[0]
    restored = pickle.loads(pickle.dumps(first.app.interned))
    assert restored is not first.app.interned
    assert restored._strings == restored._floats == restored._records == {}


def test_the_interner_clears_its_string_tables_when_full(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(compact, "_STRINGS_MAX", 3)
    interner = Interner()
    for n in range(10):
        assert interner.json({"sku": f"SKU-{n}"}) == {"sku": f"SKU-{n}"}
        assert len(interner._strings) <= 3
