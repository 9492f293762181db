"""Render the reference tables of the docs from the code: ``FakeTalon``'s and ``FakeClock``'s public members from
their signatures and docstrings, and the campaigns-file parameters of every condition and effect kind from their
dataclasses (docs/fake.md).

Each table sits between ``<!-- begin generated: NAME -->`` and ``<!-- end generated: NAME -->`` in its page; the
text around it is written by hand. Development-time only; a test fails when a page differs from what this renders::

    python tools/docs_tables.py          # rewrite the generated blocks
    python tools/docs_tables.py --check  # exit 1, naming the pages, when a block is out of date
"""

from __future__ import annotations

import dataclasses
import inspect
import re
import sys
import types
import typing
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pytest_talon.fake import CONDITION_KINDS, EFFECT_KINDS, FakeClock, FakeTalon  # noqa: E402

#: The command that regenerates the blocks, named in each of them.
COMMAND = "python tools/docs_tables.py"


def _markdown(doc: str) -> str:
    """A docstring as one Markdown line: reST roles and double backticks become code spans."""
    text = " ".join(line.strip() for line in inspect.cleandoc(doc).splitlines() if line.strip())
    text = re.sub(r":meth:`~?(?:[\w.]+\.)?(\w+)`", r"`\1()`", text)
    text = re.sub(r":(?:class|attr|func|mod|data|exc):`~?(?:[\w.]+\.)?(\w+)`", r"`\1`", text)
    text = text.replace("``", "`")
    return text.replace("|", "\\|")


class _Shown:
    """A default shown as given text (a datetime as RFC 3339 rather than its repr)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


def _plain(param: inspect.Parameter) -> inspect.Parameter:
    default = param.default
    if isinstance(default, datetime):
        default = _Shown(default.isoformat().replace("+00:00", "Z"))
    return param.replace(annotation=param.empty, default=default)


def _signature(name: str, member: Callable[..., object]) -> str:
    """``name(params)`` with the defaults and without the annotations or ``self``."""
    signature = inspect.signature(member)
    params = [_plain(p) for p in signature.parameters.values() if p.name != "self"]
    plain = signature.replace(parameters=params, return_annotation=signature.empty)
    return f"{name}{plain}"


def member_rows(cls: type) -> list[tuple[str, str]]:
    """``(name or call, doc)`` for every public method and property of ``cls``, in alphabetical order."""
    rows = []
    for name, member in sorted(vars(cls).items()):
        if name.startswith("_"):
            continue
        if isinstance(member, property):
            rows.append((f"`{name}`", _markdown(member.__doc__ or "")))
        elif callable(member) or isinstance(member, (staticmethod, classmethod)):
            function = member.__func__ if isinstance(member, (staticmethod, classmethod)) else member
            rows.append((f"`{_signature(name, function)}`", _markdown(function.__doc__ or "")))
    return rows


def class_table(cls: type, heading: str) -> str:
    """A heading with the constructor, its docstring, and the table of the public members."""
    lines = [f"### `{_signature(cls.__name__, cls)}`", "", _markdown(cls.__init__.__doc__ or cls.__doc__ or "")]
    lines += ["", f"| {heading} | what it does |", "|---|---|"]
    lines += [f"| {name} | {doc} |" for name, doc in member_rows(cls)]
    return "\n".join(lines)


#: JSON names of the Python types a campaigns-file parameter may have.
_TYPE_NAMES = {str: "string", float: "number", int: "integer", bool: "boolean", dict: "object", list: "list"}


def _type_name(hint: object) -> str:
    """A parameter's type as a campaigns file spells it (``int | None`` is an optional integer)."""
    if hint is typing.Any:
        return "any value"
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        return " or ".join(_type_name(arg) for arg in typing.get_args(hint) if arg is not type(None))
    origin = typing.get_origin(hint) or hint
    return _TYPE_NAMES.get(origin, getattr(origin, "__name__", str(origin)))  # type: ignore[call-overload]


def _camel(name: str) -> str:
    return re.sub(r"_([a-z])", lambda m: m.group(1).upper(), name)


def _parameter(field: dataclasses.Field[object], hint: object) -> str:
    """One parameter: **bold** when required, with its default when it has one other than none."""
    name, kind = f"`{_camel(field.name)}`", _type_name(hint)
    if field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING:
        return f"**{name}** {kind}"
    default = field.default_factory() if field.default is dataclasses.MISSING else field.default  # type: ignore[misc]
    shown = "" if default is None else f" = `{default!r}`" if not isinstance(default, str) else f" = `{default}`"
    if isinstance(default, str) and not default:
        shown = ' = `""`'
    return f"{name} {kind}{shown}"


def kinds_table(kinds: dict[str, type], heading: str) -> str:
    """One row per kind: its campaigns-file name, its Python class, its parameters and what its docstring says."""
    lines = [f"| {heading} (file) | Python | parameters | what it does |", "|---|---|---|---|"]
    for kind, cls in kinds.items():
        hints = typing.get_type_hints(cls)
        params = ", ".join(_parameter(f, hints[f.name]) for f in dataclasses.fields(cls)) or "none (`{}`)"
        lines.append(f"| `{kind}` | `{cls.__name__}` | {params} | {_markdown(cls.__doc__ or '')} |")
    return "\n".join(lines)


#: Each generated block: its name -> what renders it.
BLOCKS: dict[str, Callable[[], str]] = {
    "fake-talon": lambda: class_table(FakeTalon, "member"),
    "fake-clock": lambda: class_table(FakeClock, "member"),
    "conditions": lambda: kinds_table(CONDITION_KINDS, "condition"),
    "effects": lambda: kinds_table(EFFECT_KINDS, "effect"),
}

#: The pages holding generated blocks.
PAGES = [ROOT / "docs" / "fake.md"]

_BLOCK = re.compile(
    r"(<!-- begin generated: (?P<name>[\w-]+) .*?-->\n)(?P<body>.*?)(<!-- end generated: (?P=name) -->)", re.S
)


def render_page(text: str) -> str:
    """``text`` with every generated block rendered anew (an unknown block name is an error)."""

    def block(match: re.Match[str]) -> str:
        name = match["name"]
        if name not in BLOCKS:
            raise SystemExit(f"unknown generated block {name!r}: known are {sorted(BLOCKS)}")
        return f"{match[1]}{BLOCKS[name]()}\n{match[4]}"

    return _BLOCK.sub(block, text)


def main(argv: list[str]) -> int:
    stale = []
    for page in PAGES:
        text = page.read_text()
        fresh = render_page(text)
        if fresh != text:
            stale.append(page)
            if "--check" not in argv:
                page.write_text(fresh)
    if stale and "--check" in argv:
        print("out of date (run " + COMMAND + "): " + ", ".join(str(p.relative_to(ROOT)) for p in stale))
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
