"""Nothing is silently false: what the fake cannot run is refused at load time, and a bad value fails loudly."""

from __future__ import annotations

from typing import Any

import pytest

from pytest_talon.fake.errors import FakeSetupError
from pytest_talon.fake.talang import (
    Context,
    Session,
    TalangError,
    TalangMissing,
    TalangRuntimeError,
    compile_expression,
    compile_ruleset,
)
from tests.talang._run import CTX, run


def load(condition: Any, effects: Any = (), **rule: Any) -> Any:
    raw = {"rules": [{"title": "Gold tier", "condition": condition, "effects": list(effects), **rule}]}
    return compile_ruleset(raw, campaign="Summer coupons")


def test_an_unknown_function_is_refused_by_name_with_campaign_and_rule() -> None:
    with pytest.raises(TalangError) as caught:
        load(["and", ["couponValid"], ["frobnicate", "MUG-1"]])
    error = caught.value
    assert isinstance(error, FakeSetupError)
    assert error.function == "frobnicate"
    assert (error.campaign, error.rule, error.where) == ("Summer coupons", "Gold tier", "condition[2]")
    assert str(error) == "campaign 'Summer coupons', rule 'Gold tier': condition[2]: unknown function 'frobnicate'"


def test_an_unknown_function_close_to_a_known_one_gets_a_hint() -> None:
    with pytest.raises(TalangError, match=r"unknown function 'coupnValid' \(did you mean 'couponValid'\?\)"):
        load(["coupnValid"])


@pytest.mark.parametrize("name", ["!", "setTemplate", "set", "SET"])
def test_a_core_function_the_fake_does_not_run_says_so(name: str) -> None:
    with pytest.raises(TalangError, match=f"function '{name}' is not supported by the fake: ") as caught:
        load([name, "x", 1])
    assert caught.value.function == name


def test_function_names_are_case_insensitive_and_unknown_ones_still_refused() -> None:
    assert load(["AND", ["STARTSWITH", "VIP-7", "VIP-"]]).rules[0].functions == {"and", "startsWith"}
    with pytest.raises(TalangError, match="unknown function 'startWith'"):
        load(["startWith", "VIP-7", "VIP-"])


def test_the_caller_adds_context_to_an_expression_error() -> None:
    with pytest.raises(TalangError) as caught:
        compile_expression(["frobnicate"], where="effects[0]")
    error = caught.value.add_context(campaign=7, rule="r")
    assert str(error) == "campaign '7', rule 'r': effects[0]: unknown function 'frobnicate'"
    assert str(error.add_context(campaign="other")) == str(error)


@pytest.mark.parametrize(
    ("expr", "message"),
    [
        (["not"], r"not\(Boolean\) takes 1 argument\(s\), got 0"),
        (["count", ["list"], 1], r"count\(List\) takes 1 argument\(s\), got 2"),
        (["+", 1], r"\+\(Atom, Atom, Atom\.\.\.\) takes 2 to any number of argument\(s\), got 1"),
        (["setDiscount", "x"], r"setDiscount\(String, Decimal, String\?\) takes 2 to 3 argument\(s\), got 1"),
        (["*", "ten", 2], r"\*: argument 1 must be a Decimal, got String 'ten'"),
        (["not", 1], r"not: argument 1 must be a Boolean, got Decimal '1'"),
        (["addDuration", "yesterday", 1, "days"], r"addDuration: argument 1 must be a Time"),
        (["filter", ["list"], True], r"filter takes a block \[\[\"Item\"\], body\] here"),
        (["count", [["x"], True]], r"a block \[\[param\], body\] belongs only where"),
        ([".", "Cart", "Total"], r"'Cart' is not defined here \(defined: Event, Profile, Session\)"),
        ([".", "Item", "Price"], r"'Item' is not defined here"),
        (["kv", "Key1"], r"kv takes \[key, expression\] pairs"),
        ({"fn": "and"}, r"is not an expression"),
        ([], r"is not an expression"),
    ],
)
def test_arity_type_and_scope_problems_are_found_at_load_time(expr: Any, message: str) -> None:
    with pytest.raises(TalangError, match=message):
        load(True, [expr])


def test_an_effect_in_a_condition_is_refused() -> None:
    with pytest.raises(TalangError, match="effect 'setDiscount' is only allowed in a rule's effects"):
        load(["and", ["setDiscount", "x", 1]])


def test_a_ruleset_of_the_wrong_shape_is_refused() -> None:
    with pytest.raises(TalangError, match="campaign 'c': a ruleset is"):
        compile_ruleset({"rule": []}, campaign="c")
    with pytest.raises(TalangError, match="rule 'r': effects is missing"):
        compile_ruleset({"rules": [{"title": "r", "condition": True}]})
    with pytest.raises(TalangError, match=r"rules\[0\] needs a title"):
        compile_ruleset({"rules": [{"condition": True, "effects": []}]})
    with pytest.raises(TalangError, match="a binding needs a name and an expression"):
        compile_ruleset({"rules": [], "bindings": [{"name": "x"}]})
    with pytest.raises(TalangError, match="a binding may not be called 'Session'"):
        compile_ruleset({"rules": [], "bindings": [{"name": "Session", "expression": 1}]})


def test_a_binding_is_readable_only_after_it_is_defined() -> None:
    bindings = [{"name": "a", "expression": [".", "b"]}, {"name": "b", "expression": 1}]
    with pytest.raises(TalangError, match="'b' is not defined here"):
        compile_ruleset({"rules": [], "bindings": bindings})


@pytest.mark.parametrize(
    ("expr", "message"),
    [
        (
            ["+", [".", "Session", "Total"], [".", "Session", "CouponCode"]],
            r"\+: argument 2 must be a Decimal, got String 'SUMMER'",
        ),
        (["<", [".", "Session", "CouponCode"], 1], r"<: compares Decimals or Times, got String 'SUMMER'"),
        (["/", 1, 0], r"/: divisionbyzero"),
        (["item", ["list", 1], 3], r"item: index 3 is not an item of a List of 1"),
        (
            ["filter", [".", "Session", "CartItems"], [["Item"], [".", "Item", "Sku"]]],
            r"filter: the block must give a Boolean",
        ),
        (["and", [".", "Session", "Total"]], r"and: argument 1 must be a Boolean, got Decimal '50'"),
        (["min", ["list", "1", "2"]], r"min: the List has no Decimal \(it has 2 items\)"),
        (["sort", ["list", 1, "a"]], r"sort: sorts Decimals, Strings or Times of one kind"),
        (["<", "2024-01-01T00:00:00Z", "soon"], r"<: argument 2: 'soon' is not an RFC 3339 time"),
        (["<", 1, "2024-01-01T00:00:00Z"], r"<: compares Decimals or Times, got String '2024"),
        ([".", ["kv", ["a", 1]], ["list"]], r"\.: \(value\) is a Map; its keys are texts, got List"),
        ([".|", "none", [".", "Session", "Total"]], r"\.\|: the fallback is a String but the value read is Decimal"),
        ([".", "Session", "Total", "Amount"], r"cannot read 'Amount' from Session.Total"),
        (["parseTime", "soon"], r"parseTime: 'soon' is not an RFC 3339 time"),
        (["addDuration", "2024-01-01T00:00:00Z", 1, "fortnights"], r"'fortnights' is not a unit"),
        (["days", "2024-01-01T00:00:00Z"], r"days: needs the evaluation's clock"),
        (["~", "(", "x"], r"~: '\(' is not a regular expression"),
    ],
)
def test_a_type_error_at_run_time_raises_a_clear_error(expr: Any, message: str) -> None:
    with pytest.raises(TalangRuntimeError, match=message):
        run(expr)


def test_a_missing_value_raises_and_names_the_path() -> None:
    with pytest.raises(TalangMissing, match=r"Profile.Attributes has no 'vip'"):
        run([".", "Profile", "Attributes", "vip"])
    with pytest.raises(TalangMissing, match="Profile is not set in this evaluation"):
        run([".", "Profile", "Attributes"], Context(Session()))


def test_safe_read_recovers_from_missing_values_only() -> None:
    assert run([".|", 0, [".", "Profile", "Attributes", "vip"]]) == 0
    with pytest.raises(TalangRuntimeError, match="cannot read"):
        run([".|", 0, [".", "Session", "Total", "x"]])


def test_a_condition_that_is_not_a_boolean_fails_with_campaign_and_rule() -> None:
    compiled = load([".", "Session", "Total"])
    with pytest.raises(TalangRuntimeError) as caught:
        compiled.evaluate(CTX)
    assert (
        str(caught.value)
        == "campaign 'Summer coupons', rule 'Gold tier': condition: the condition gave Decimal '50', not a Boolean"
    )


def test_a_run_time_error_names_where_in_the_rule_it_happened() -> None:
    compiled = load(True, [["setDiscount", "x", ["+", 1, [".", "Session", "CouponCode"]]]])
    with pytest.raises(TalangRuntimeError) as caught:
        compiled.evaluate(CTX)
    assert caught.value.where == "effects[0][2]"
    assert caught.value.function == "+"
    assert caught.value.rule == "Gold tier"


def test_a_missing_value_in_a_rule_names_where_it_was_read() -> None:
    compiled = load(["=", [".", "Profile", "Attributes", "vip"], True])
    with pytest.raises(TalangMissing) as caught:
        compiled.evaluate(CTX)
    assert (
        str(caught.value)
        == "campaign 'Summer coupons', rule 'Gold tier': condition[1]: Profile.Attributes has no 'vip'"
    )
