"""Every core function the fake runs, each with at least one example (the reference's, in the JSON form)."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal as D
from typing import Any

import pytest

from pytest_talon.fake.talang import FUNCTIONS, PRODUCT_FUNCTIONS, UNSUPPORTED, Context, Session
from tests.talang._run import run

#: The function names of the public core (talon-one/talang, docs/functions.md).
REFERENCE = set(
    [
        "!",
        "!=",
        "*",
        "+",
        "-",
        ".",
        ".|",
        "/",
        "<",
        "<=",
        "=",
        ">",
        ">=",
        "addDuration",
        "after",
        "and",
        "append",
        "before",
        "between",
        "betweenTimes",
        "catch",
        "ceil",
        "concat",
        "contains",
        "count",
        "date",
        "days",
        "daysBetween",
        "do",
        "drop",
        "endsWith",
        "every",
        "exists",
        "filter",
        "firstName",
        "floor",
        "formatTime",
        "head",
        "hour",
        "isEmpty",
        "item",
        "join",
        "kv",
        "lastName",
        "list",
        "map",
        "matchTime",
        "max",
        "min",
        "minute",
        "mod",
        "month",
        "monthDay",
        "noop",
        "not",
        "notContains",
        "or",
        "parseTime",
        "push",
        "reverse",
        "set",
        "setTemplate",
        "sort",
        "sortByNumber",
        "sortByString",
        "split",
        "startsWith",
        "subDuration",
        "sum",
        "tail",
        "toString",
        "weekday",
        "year",
        "~",
    ]
)

T = "2018-01-14T19:04:05Z"
TIME = datetime(2018, 1, 14, 19, 4, 5, tzinfo=timezone.utc)
ITEMS = [".", "Session", "CartItems"]

EXAMPLES: list[tuple[Any, Any]] = [
    # logic and control
    (["and", True, [">", 2, 1]], True),
    (["and", True, False], False),
    (["and", ["list", True, True]], True),
    (["and", ["list", False]], True),  # a List counts as true (the reference's code and tests)
    (["and", ["list", 1, 2, 3], False], False),
    (["or", ["list", 1, 2, 3]], True),
    (["or", ["kv", ["a", False]], False], True),
    (["and"], True),
    (["or", False, False, True], True),
    (["or", False, False], False),
    (["not", False], True),
    (["catch", "Edward", [".", "Profile", "Attributes", "name"]], "Edward"),
    (["catch", 22, 2], D(2)),
    ([".|", "boo", [".", "Session", "ReferralCode"]], "boo"),
    ([".|", "boo", [".", "Session", "CouponCode"]], "SUMMER"),
    (["noop"], None),
    (["do", ["list", 1, 2, 3], [["Item"], ["count", [".", "Item"]]]], D(3)),
    (["do", 5, "x", ["+", [".", "x"], 1]], D(6)),
    (["kv", ["Key1", "Hello"], ["Key2", True], ["Key3", 123]], {"Key1": "Hello", "Key2": True, "Key3": D(123)}),
    ([".", ["kv", ["a", ["list", 7, 8]]], "a", 1], D(8)),
    ([".", ["kv", ["1", "one"], ["true", "yes"]], ["+", 0, 1]], "one"),  # a computed key reads by its text
    ([".", ["kv", ["1", "one"], ["true", "yes"]], ["=", 1, 1]], "yes"),
    ([".|", 0, [".", "Session", "Total"]], D(50)),
    ([".", "Session", "Total"], D(50)),
    ([".", "Session", "Attributes", "channel"], "web"),
    # comparison
    (["=", 1, 1], True),
    (["=", "Hello", "Hello", "Bye"], False),
    (["=", 1, "1"], True),
    (["=", True, "true"], True),
    (["=", ["parseTime", T], T], True),
    (["!=", 1, 1], False),
    (["!=", "Hello", "Bye"], True),
    (["!=", "Hello", "Hello", "Bye"], False),  # false when any later argument equals the first
    (["!=", "Hello", "Bye", "Ciao"], True),
    (["!=", 1, "1"], False),
    (["<", 0, 1], True),
    (["<", 1, 1], False),
    (["<", 1, 2, 3], True),
    (["<", 1, 3, 2], True),  # the first against each following one, not a chain
    ([">", 3, 1, 2], True),
    (["<", "2006-01-02T15:04:05Z", "2007-01-02T15:04:05Z"], True),  # two RFC 3339 strings are Times
    ([">", "2006-01-02T15:04:05Z", "2007-01-02T15:04:05Z"], False),
    (["<=", "2007-01-02T15:04:05Z", "2007-01-02T15:04:05Z"], True),
    ([">=", "2006-01-02T15:04:05Z", "2007-01-02T15:04:05Z"], False),
    (["between", "2007-01-02T00:00:00Z", "2006-01-02T00:00:00Z", "2009-01-02T00:00:00Z"], True),
    (["between", "2006-01-02T00:00:00Z", "2006-01-02T00:00:00Z", "2009-01-02T00:00:00Z"], False),
    (["<=", 1, 1], True),
    ([">", 2, 1], True),
    ([">=", 1, 1], True),
    (["<", ["parseTime", "2006-01-02T15:04:05Z"], ["parseTime", "2007-01-02T15:04:05Z"]], True),
    ([">=", ["parseTime", T], "2018-01-14T19:04:05Z"], True),
    (["between", 1, 0, 3], True),
    (["between", 1, 2, 0, 3], True),
    (["between", 0, 0, 2], False),
    (["between", 1, 4, 0, 3], False),
    (
        [
            "between",
            ["parseTime", "2007-01-02T00:00:00Z"],
            ["parseTime", "2006-01-02T00:00:00Z"],
            "2009-01-02T00:00:00Z",
        ],
        True,
    ),
    # arithmetic: exact decimals
    (["+", 1, 2, 3], D(6)),
    (["+", 0.1, 0.2], D("0.3")),
    (["+", "Hello", " ", "World"], "Hello World"),
    (["-", 1, 2, 3], D(-4)),
    (["*", 1, 2, 3], D(6)),
    (["/", 1, 2], D("0.5")),
    (["/", 1, 3], D("0.3333333333333333333333333333333333")),
    (["mod", 3, 8, 2], D(1)),
    (["ceil", 2.4], D(3)),
    (["ceil", -2.7], D(-2)),
    (["floor", 2.9], D(2)),
    (["floor", -2.7], D(-3)),
    # lists
    (["list", 1, True, "Hello"], [D(1), True, "Hello"]),
    (["count", ["list", 1, 2, 3, 4]], D(4)),
    (["isEmpty", ["list"]], True),
    (["head", ["list", "a", "b"]], "a"),
    (["head", ["list"]], None),
    (["tail", ["list", 1, True, "x"]], [True, "x"]),
    (["drop", ["list", 1, True, "x"]], [D(1), True]),
    (["reverse", ["list", 1, 2, 3]], [D(3), D(2), D(1)]),
    (["item", ["list", 1, True, "x"], 1], True),
    (["append", ["list", 1, 2], 3, 4], [D(1), D(2), D(3), D(4)]),
    (["push", ["list", "a"], "b"], ["a", "b"]),
    (["min", ["list", 3, 4, -1, 0]], D(-1)),
    (["min", ["list", 100, "Hello", 3]], D(3)),  # items that are not Decimals are left out
    (["max", ["list", 4, 2, 422, 27]], D(422)),
    (["filter", ["list", 1, 4, 12, 24], [["x"], [">", [".", "x"], 10]]], [D(12), D(24)]),
    (["map", ["list", "World", "Universe"], "x", ["+", "Hello ", [".", "x"]]], ["Hello World", "Hello Universe"]),
    (["map", ["list", 1, 2], [["x"], ["*", [".", "x"], 2]]], [D(2), D(4)]),
    (["every", ITEMS, [["Item"], [">", [".", "Item", "Price"], 1]]], True),
    (["every", ["list"], [["x"], False]], True),
    (["exists", ["list", "hello", "world"], "Item", ["=", [".", "Item"], "hello"]], True),
    (["exists", ["list", "hello", "world"], [["Item"], ["=", [".", "Item"], "hey"]]], False),
    (["sum", ITEMS, "Item", ["*", [".", "Item", "Price"], [".", "Item", "Quantity"]]], D(50)),
    (["sum", ["list", 1, 2, 3.5]], D("6.5")),
    (["sort", ["list", "World", "Universe"]], ["Universe", "World"]),
    (["sort", ["list", 2, 10, 1], True], [D(10), D(2), D(1)]),
    (["sortByNumber", ["list", 2, 4, 3, 1], [["Item"], [".", "Item"]], True], [D(4), D(3), D(2), D(1)]),
    (["sortByNumber", ["list", 2, 4, 3, 1], [["Item"], [".", "Item"]], False], [D(1), D(2), D(3), D(4)]),
    (["sortByString", ["list", "b", "a", "z"], [["Item"], [".", "Item"]], True], ["z", "b", "a"]),  # true: descending
    (["sortByString", ["list", "b", "a", "z"], [["Item"], [".", "Item"]], False], ["a", "b", "z"]),
    # strings
    (["concat", "Hello", " ", "World"], "Hello World"),
    # the text searched first, then the terms
    (["contains", "Hello World", "Hello", "World"], True),
    (["contains", "Hello World", "Hello", "Universe"], False),
    (["contains", "Hello", "Hello World"], False),
    (["notContains", "Hello World", "Universe"], True),
    (["notContains", "Hello World", "Hello", "Universe"], False),
    (["startsWith", "Hello World", "Hello", "Hell"], True),
    (["startsWith", "Hello World", "Hello", "Bye"], False),
    (["startsWith", "VIP-7", "VIP-"], True),
    (["endsWith", "Hello World", "World", "ld"], True),
    (["endsWith", "Hello World", "World", "Universe"], False),
    (
        ["filter", ["list", "Sasquatch", "Front squats", "Caramel"], [["x"], ["contains", [".", "x"], "squat"]]],
        ["Sasquatch", "Front squats"],
    ),
    (["~", "^[A-Z]+-\\d+$", "MUG-1", "PAN-22"], True),
    (["~", "^[a-z]+$", "Hello"], False),
    (["split", "1,2,3,a", ","], ["1", "2", "3", "a"]),
    (["join", ["list", "hello", "world"], "-"], "hello-world"),
    (["firstName", "Alex Unger"], "Alex"),
    (["lastName", "Mr Foo Bar"], "Bar"),
    (["toString", ["+", 1, 2]], "3"),
    (["toString", 5.0], "5"),
    (["toString", True], "true"),
    (["toString", ["parseTime", T]], T),
    # dates
    (["parseTime", T], TIME),
    (["parseTime", "20:04:05", "HH:mm:ss"], datetime(1900, 1, 1, 20, 4, 5, tzinfo=timezone.utc)),
    (["formatTime", ["parseTime", "2018-01-02T19:04:05+02:00"]], "2018-01-02T19:04:05+02:00"),
    (["addDuration", T, 3, "minutes"], datetime(2018, 1, 14, 19, 7, 5, tzinfo=timezone.utc)),
    (["addDuration", "2018-03-18T00:04:05Z", 18, "days"], datetime(2018, 4, 5, 0, 4, 5, tzinfo=timezone.utc)),
    (["subDuration", "2018-03-18T00:04:05Z", 17, "hours"], datetime(2018, 3, 17, 7, 4, 5, tzinfo=timezone.utc)),
    (["after", "2006-01-02T19:04:05Z", "2006-01-02T15:04:05Z"], True),
    (["betweenTimes", "2006-01-02T19:04:05Z", "2006-01-02T15:04:05Z", "2006-01-03T19:04:05Z"], True),
    (["betweenTimes", "2006-01-02T19:04:05Z", "2006-01-02T19:04:05Z", "2006-01-03T19:04:05Z"], False),
    (["betweenTimes", "2006-01-04T19:04:05Z", "2006-01-02T15:04:05Z", "2006-01-03T19:04:05Z"], False),
    (["before", "2006-01-02T19:04:05Z", "2006-01-02T15:04:05Z"], False),
    (["date", T], "2018-01-14"),
    (["daysBetween", "2006-01-02T19:04:05Z", "2006-01-02T22:19:05Z"], D("0.1354166666666666666666666666666667")),
    (["matchTime", "2018-03-11T00:04:05Z", "2018-03-11T23:00:00Z", "YYYY-MM-DD"], True),
    (["matchTime", "2018-03-11T00:04:05Z", "2018-03-12T00:04:05Z", "YYYY-MM-DD"], False),
    (["year", T], "2018"),
    (["month", T], "1"),
    (["monthDay", T], "14"),
    (["weekday", T], "0"),
    (["weekDay", T], "0"),  # function names are case-insensitive
    (["TOSTRING", 1], "1"),
    (["hour", T], "19"),
    (["minute", T], "4"),  # no leading zero (the reference's code and tests)
    (["hour", "2018-03-11T04:04:05Z"], "4"),
]


@pytest.mark.parametrize(("expr", "expected"), EXAMPLES, ids=[repr(e)[:70] for e, _ in EXAMPLES])
def test_core_function_example(expr: Any, expected: Any) -> None:
    assert run(expr) == expected


def test_days_counts_from_the_contexts_clock() -> None:
    ctx = Context(Session(), now=datetime(2018, 3, 21, 12, 4, 5, tzinfo=timezone.utc))
    assert run(["days", "2018-03-18T00:04:05Z"], ctx) == D("3.5")


def test_every_core_function_has_an_example() -> None:
    used = {name for expr, _ in EXAMPLES for name in _names(expr)} | {"days"}
    core = set(FUNCTIONS) - set(PRODUCT_FUNCTIONS)
    assert core - used == set()


def test_every_function_of_the_reference_is_supported_or_listed_as_unsupported() -> None:
    assert REFERENCE - set(FUNCTIONS) - set(UNSUPPORTED) == set()
    assert set(UNSUPPORTED) <= REFERENCE


def _names(expr: Any) -> set[str]:
    if not isinstance(expr, list) or not expr:
        return set()
    found = {expr[0]} if isinstance(expr[0], str) else set()
    for part in expr:
        found |= _names(part)
    return found
