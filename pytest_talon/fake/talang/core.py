"""The public core of Talang (talon-one/talang's function reference): logic, comparison, arithmetic, lists, strings.

Dates are in :mod:`~pytest_talon.fake.talang.times`. Each implementation's first docstring line is the summary
shown in docs/talang.md; where the reference's own examples disagree with its text, the examples win (INF).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any

from pytest_talon.fake.talang.errors import TalangMissing, TalangRuntimeError
from pytest_talon.fake.talang.nodes import Frame, FunctionSpec, Lambda, Node, define
from pytest_talon.fake.talang.values import (
    ARITHMETIC,
    as_kind,
    atom_text,
    describe,
    parse_time,
    type_name,
)

__all__ = ["CORE_FUNCTIONS", "UNSUPPORTED"]

#: The core functions the fake implements, by name.
CORE_FUNCTIONS: dict[str, FunctionSpec] = {}

#: Core functions the fake refuses at load time, with the reason.
UNSUPPORTED: dict[str, str] = {
    "!": "it runs an application-level template, which no public endpoint exposes",
    "setTemplate": "it defines an application-level template, which no public endpoint exposes",
    "set": "rules in the fake are side-effect free; bind values with ruleset or rule bindings instead",
}

_fn = CORE_FUNCTIONS


# ---- logic and control ----------------------------------------------------------------------------------------


def _truths(frame: Frame, args: Sequence[Node]) -> Iterator[bool]:
    # As the reference's code and tests: a List or Map argument counts as true (its items are not read).
    for position, arg in enumerate(args, 1):
        value = arg.evaluate(frame)
        if isinstance(value, (list, dict)):
            yield True
        elif isinstance(value, bool):
            yield value
        else:
            raise TalangRuntimeError(f"argument {position} must be a Boolean, got {describe(value)}")


@define(_fn, "and", rest="any", lazy=True)
def _and(frame: Frame, args: Sequence[Any]) -> object:
    """True when every argument is true (a List or Map counts as true); stops at the first false."""
    return all(_truths(frame, args))


@define(_fn, "or", rest="any", lazy=True)
def _or(frame: Frame, args: Sequence[Any]) -> object:
    """True when any argument is true (a List or Map counts as true); stops at the first true."""
    return any(_truths(frame, args))


@define(_fn, "not", "boolean")
def _not(frame: Frame, args: Sequence[Any]) -> object:
    """The negation of a Boolean."""
    return not args[0]


@define(_fn, "catch", "any", "any", lazy=True)
def _catch(frame: Frame, args: Sequence[Any]) -> object:
    """The second argument's value, or the first's when evaluating the second fails (its effects are dropped)."""
    mark = len(frame.run.intents)
    try:
        return args[1].evaluate(frame)
    except TalangRuntimeError:
        del frame.run.intents[mark:]
        return args[0].evaluate(frame)


@define(_fn, ".|", "any", "any", lazy=True)
def _safe_read(frame: Frame, args: Sequence[Any]) -> object:
    """The second argument (a read), or the first when what it reads is not set; both of one type."""
    try:
        value = args[1].evaluate(frame)
    except TalangMissing:
        return args[0].evaluate(frame)
    fallback = args[0].evaluate(frame)
    if fallback is not None and type_name(fallback) != type_name(value):
        # as the reference: a fallback of another type than the value read is an error, not a silent mix
        raise TalangRuntimeError(f"the fallback is a {type_name(fallback)} but the value read is {describe(value)}")
    return value


@define(_fn, ".", "any", rest="any", lazy=True)
def _access(frame: Frame, args: Sequence[Any]) -> object:  # pragma: no cover - compiled to an Access node
    """Read a variable (``Session``, ``Profile``, ``Item``, a binding) and follow Map keys or List indexes."""
    raise AssertionError("'.' is compiled to an Access node")


@define(_fn, "noop")
def _noop(frame: Frame, args: Sequence[Any]) -> object:
    """Nothing: Null (the usual fallback of ``catch`` around an effect)."""
    return None


@define(_fn, "do", "any", "lambda", binder=1)
def _do(frame: Frame, args: Sequence[Any]) -> object:
    """The block's value with its parameter bound to the first argument."""
    block: Lambda = args[1]
    return block.apply(frame, args[0])


@define(_fn, "kv", rest="any", lazy=True)
def _kv(frame: Frame, args: Sequence[Any]) -> object:  # pragma: no cover - compiled to a KeyValues node
    """A Map from ``[key, expression]`` pairs: ``["kv", ["Key1", "Hello"], ["Key2", 3]]``."""
    raise AssertionError("'kv' is compiled to a KeyValues node")


# ---- comparison ----------------------------------------------------------------------------------------------


def _same(a: object, b: object) -> bool:
    if type(a) is type(b):
        return a == b
    for x, y in ((a, b), (b, a)):
        if isinstance(y, str) and isinstance(x, Decimal):
            try:
                return x == Decimal(y.strip())
            except ArithmeticError:
                return False
        if isinstance(y, str) and isinstance(x, bool):
            return ("true" if x else "false") == y
        if isinstance(y, str) and isinstance(x, datetime):
            try:
                return x == parse_time(y)
            except TalangRuntimeError:
                return False
    return False


@define(_fn, "=", "atom", "atom", rest="atom")
def _equal(frame: Frame, args: Sequence[Any]) -> object:
    """True when all arguments are the same; loosely across types (``["=", 1, "1"]`` is true)."""
    return all(_same(args[0], other) for other in args[1:])


@define(_fn, "!=", "atom", "atom", rest="atom")
def _not_equal(frame: Frame, args: Sequence[Any]) -> object:
    """True when no following argument is the same as the first (loosely, as ``=``)."""
    return not any(_same(args[0], other) for other in args[1:])


def _ordered(args: Sequence[Any]) -> list[Any]:
    """The arguments as Decimals, or as Times (RFC 3339 strings read as Times, as every other time argument)."""
    if all(isinstance(a, Decimal) for a in args):
        return list(args)
    if all(isinstance(a, (datetime, str)) for a in args):
        return [as_kind(a, "time", position=i + 1) for i, a in enumerate(args)]
    odd = (a for a in args if not isinstance(a, (Decimal, datetime, str)))
    wrong = next(odd, None) or next(a for a in args if not isinstance(a, Decimal))
    raise TalangRuntimeError(f"compares Decimals or Times, got {describe(wrong)}")


def _first_against_rest(check: Callable[[Any, Any], bool]) -> Callable[[Frame, Sequence[Any]], object]:
    # The reference compares the first argument with each following one (not a chain): (< 1 3 2) is true.
    def compare(frame: Frame, args: Sequence[Any]) -> object:
        first, *others = _ordered(args)
        return all(check(first, other) for other in others)

    return compare


for _name, _check, _words in (
    ("<", lambda a, b: a < b, "less than"),
    ("<=", lambda a, b: a <= b, "less than or equal to"),
    (">", lambda a, b: a > b, "greater than"),
    (">=", lambda a, b: a >= b, "greater than or equal to"),
):
    _impl = _first_against_rest(_check)
    _impl.__doc__ = f"True when the first Decimal (or Time) is {_words} each following one."
    define(_fn, _name, "atom", "atom", rest="atom")(_impl)


@define(_fn, "between", "atom", "atom", "atom", rest="atom")
def _between(frame: Frame, args: Sequence[Any]) -> object:
    """True when every argument but the last two lies strictly between the last two (Decimals or Times)."""
    *values, low, high = _ordered(args)
    return all(low < v < high for v in values)


# ---- arithmetic ----------------------------------------------------------------------------------------------


def _decimals(args: Sequence[Any]) -> list[Decimal]:
    return [as_kind(a, "decimal", position=i + 1) for i, a in enumerate(args)]  # type: ignore[misc]


@define(_fn, "+", "atom", "atom", rest="atom")
def _plus(frame: Frame, args: Sequence[Any]) -> object:
    """The sum of Decimals, or the concatenation of Strings."""
    if all(isinstance(a, str) for a in args):
        return "".join(args)
    total = Decimal(0)
    for value in _decimals(args):
        total = ARITHMETIC.add(total, value)
    return total


def _fold(operation: Callable[[Decimal, Decimal], Decimal]) -> Callable[[Frame, Sequence[Any]], object]:
    def fold(frame: Frame, args: Sequence[Any]) -> object:
        first, *others = args
        for value in others:
            first = operation(first, value)
        return first

    return fold


for _name, _operation, _doc in (
    ("-", ARITHMETIC.subtract, "The first Decimal minus each following one."),
    ("*", ARITHMETIC.multiply, "The product of the Decimals."),
    ("/", ARITHMETIC.divide, "The first Decimal divided by each following one (exact to 34 digits; by 0 fails)."),
    ("mod", ARITHMETIC.remainder, "The remainder of the first Decimal by each following one (sign of the first)."),
):
    _impl = _fold(_operation)
    _impl.__doc__ = _doc
    define(_fn, _name, "decimal", "decimal", rest="decimal")(_impl)


@define(_fn, "ceil", "decimal")
def _ceil(frame: Frame, args: Sequence[Any]) -> object:
    """The smallest integer not below the argument."""
    return args[0].to_integral_value(rounding=ROUND_CEILING)


@define(_fn, "floor", "decimal")
def _floor(frame: Frame, args: Sequence[Any]) -> object:
    """The largest integer not above the argument."""
    return args[0].to_integral_value(rounding=ROUND_FLOOR)


# ---- strings -------------------------------------------------------------------------------------------------


@define(_fn, "concat", "string", "string", rest="string")
def _concat(frame: Frame, args: Sequence[Any]) -> object:
    """The Strings joined together."""
    return "".join(args)


# The text searched comes first, then the terms (the reference's code and tests; its doc examples show the
# reverse order, docs/talang.md lists that).


@define(_fn, "contains", "string", "string", rest="string")
def _contains(frame: Frame, args: Sequence[Any]) -> object:
    """True when the first String (the text) contains every following one (the terms)."""
    return all(term in args[0] for term in args[1:])


@define(_fn, "notContains", "string", "string", rest="string")
def _not_contains(frame: Frame, args: Sequence[Any]) -> object:
    """True when the first String (the text) contains none of the following ones (the terms)."""
    return not any(term in args[0] for term in args[1:])


@define(_fn, "startsWith", "string", "string", rest="string")
def _starts_with(frame: Frame, args: Sequence[Any]) -> object:
    """True when the first String (the text) starts with every following one (the prefixes)."""
    return all(args[0].startswith(term) for term in args[1:])


@define(_fn, "endsWith", "string", "string", rest="string")
def _ends_with(frame: Frame, args: Sequence[Any]) -> object:
    """True when the first String (the text) ends with every following one (the suffixes)."""
    return all(args[0].endswith(term) for term in args[1:])


@define(_fn, "~", "string", "string", rest="string")
def _matches(frame: Frame, args: Sequence[Any]) -> object:
    """True when the regular expression (first) matches somewhere in every following String."""
    try:
        pattern = re.compile(args[0])
    except re.error as error:
        raise TalangRuntimeError(f"{args[0]!r} is not a regular expression: {error}") from None
    return all(pattern.search(text) is not None for text in args[1:])


@define(_fn, "split", "string", "string")
def _split(frame: Frame, args: Sequence[Any]) -> object:
    """The List of parts of the String between each separator."""
    if not args[1]:
        raise TalangRuntimeError("the separator must not be empty")
    return args[0].split(args[1])


@define(_fn, "join", "list", "string")
def _join(frame: Frame, args: Sequence[Any]) -> object:
    """One String of the List's Strings with the glue between them."""
    return args[1].join(as_kind(v, "string", function="join", position=1) for v in args[0])


@define(_fn, "firstName", "string")
def _first_name(frame: Frame, args: Sequence[Any]) -> object:
    """The first space-separated word (as the reference's examples: ``"Mr Foo Bar"`` gives ``"Mr"``; INF)."""
    words = args[0].split()
    return words[0] if words else ""


@define(_fn, "lastName", "string")
def _last_name(frame: Frame, args: Sequence[Any]) -> object:
    """The last space-separated word."""
    words = args[0].split()
    return words[-1] if words else ""


@define(_fn, "toString", "atom")
def _to_string(frame: Frame, args: Sequence[Any]) -> object:
    """The text of a Decimal (no trailing zeros), String, Boolean (``true``/``false``) or Time (RFC 3339)."""
    return atom_text(args[0])
