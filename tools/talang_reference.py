"""Extract the reference's Talang test cases (github ``talon-one/talang``) as data for tests/talang/test_conformance.py.

Development-time only: the tests read the committed ``tests/talang/data/reference_cases.json`` and never fetch.
Run it against a clone (or a bare mirror) of the reference::

    python tools/talang_reference.py --git-dir /path/to/talang/.git [--commit HEAD]

It reads every ``helpers.Test{input, binding, expected}`` of ``corefn/*/*_test.go`` and ``interpreter/*_test.go``
at that commit and writes one case per test: the source file and line, the input as the reference writes it and in
our JSON form, the binding and the expected result as tagged JSON (``{"decimal": "3"}``, ``{"error": true}``,
``{"unevaluated": "= 1"}`` for a call the reference leaves as it is because no signature matches). A case the
script cannot express (a Go variable, a helper, a custom interpreter) is written with a ``skip`` reason.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "talang" / "data" / "reference_cases.json"
FILES = re.compile(r"^(corefn/[^/]+/[^/]+_test\.go|interpreter/[^/]+_test\.go)$")
NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


class Unreadable(Exception):
    """A Go expression (or a Talang input) this script does not read: the case is skipped with this reason."""


# ---- the reference's Talang text -> our JSON form ---------------------------------------------------------------


def _tokens(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch in "()":
            out.append((ch, ch))
            i += 1
        elif ch in "\"'":
            j, buf = i + 1, []
            while j < len(text) and text[j] != ch:
                if text[j] == "\\" and j + 1 < len(text) and text[j + 1] in (ch, "\\"):
                    j += 1
                buf.append(text[j])
                j += 1
            if j >= len(text):
                raise Unreadable(f"unterminated string in {text!r}")
            out.append(("str", "".join(buf)))
            i = j + 1
        else:
            j = i
            while j < len(text) and not text[j].isspace() and text[j] not in "()\"'":
                j += 1
            out.append(("word", text[i:j]))
            i = j
    return out


def _group(tokens: list[tuple[str, str]], pos: int) -> tuple[list[Any], int]:
    items: list[Any] = []
    while pos < len(tokens):
        kind, value = tokens[pos]
        if kind == ")":
            return items, pos + 1
        if kind == "(":
            inner, pos = _group(tokens, pos + 1)
            items.append(inner)
            continue
        items.append((kind, value))
        pos += 1
    return items, pos


def _atom(kind: str, value: str) -> Any:
    if kind == "str":
        return value
    if value in ("true", "false"):
        return value == "true"
    if NUMBER.match(value):
        return json.loads(value)  # a JSON number: the fake reads it as a Decimal through its text
    return value  # a bare word, a time (read as an RFC 3339 string) or a name


def _convert(items: list[Any], *, head: bool) -> Any:
    """A group as our JSON form: [name, args...]; its first item is a name (even a quoted one)."""
    while len(items) == 1 and isinstance(items[0], list):  # (( ... )) is ( ... ), as the reference's lexer does
        items = items[0]
    if not items:
        raise Unreadable("an empty term")
    first, rest = items[0], items[1:]
    if isinstance(first, list):  # a block ((x) body): the parameter list, then the body
        params = [_convert(first, head=True)]
        return [params[0], *[_value(r) for r in rest]] if rest else params
    return [first[1], *[_value(r) for r in rest]]


def _value(item: Any) -> Any:
    if isinstance(item, list):
        return _convert(item, head=True)
    return _atom(*item)


def to_json_form(text: str) -> Any:
    """The reference's input (``(+ 1 2)`` or ``+ 1 2``) in our JSON form (``["+", 1, 2]``)."""
    items, _ = _group(_tokens(text), 0)
    return _convert(items, head=True)


# ---- Go expressions of the test files -> tagged JSON ------------------------------------------------------------


#: ``name, _ := time.Parse(time.RFC3339, "...")`` (or ``dateparse.ParseAny("...")``): a Time a test file names.
TIME_VARIABLE = re.compile(r'(\w+), _ := (?:time\.Parse\(time\.RFC3339, |dateparse\.ParseAny\()"([^"]+)"\)')


@dataclass
class _Go:
    text: str
    pos: int = 0
    #: The Time variables of the file, by name (their RFC 3339 text).
    times: dict[str, str] = field(default_factory=dict)

    def skip(self) -> None:
        while self.pos < len(self.text):
            if self.text[self.pos].isspace():
                self.pos += 1
            elif self.text.startswith("//", self.pos):
                self.pos = self.text.index("\n", self.pos) if "\n" in self.text[self.pos :] else len(self.text)
            else:
                break

    def peek(self, s: str) -> bool:
        self.skip()
        return self.text.startswith(s, self.pos)

    def eat(self, s: str) -> None:
        if not self.peek(s):
            raise Unreadable(f"expected {s!r} at {self.text[self.pos : self.pos + 40]!r}")
        self.pos += len(s)

    def string(self) -> str:
        self.skip()
        ch = self.text[self.pos]
        if ch == "`":
            end = self.text.index("`", self.pos + 1)
            value = self.text[self.pos + 1 : end]
            self.pos = end + 1
            return value
        if ch == '"':
            m = re.compile(r'"(?:[^"\\]|\\.)*"').match(self.text, self.pos)
            if m is None:
                raise Unreadable("bad Go string")
            self.pos = m.end()
            return str(json.loads(m.group(0)))
        raise Unreadable(f"not a Go string: {self.text[self.pos : self.pos + 40]!r}")

    def ident(self) -> str:
        self.skip()
        m = re.compile(r"[&A-Za-z_][A-Za-z_0-9.]*").match(self.text, self.pos)
        if m is None:
            raise Unreadable(f"unexpected {self.text[self.pos : self.pos + 40]!r}")
        self.pos = m.end()
        return m.group(0)

    def args(self) -> list[Any]:
        self.eat("(")
        out = []
        while not self.peek(")"):
            out.append(self.expr())
            if self.peek(","):
                self.eat(",")
        self.eat(")")
        return out

    def expr(self) -> Any:
        self.skip()
        if self.text[self.pos] in '`"':
            return self.string()
        number = re.compile(r"-?\d+(\.\d+)?(?![A-Za-z_])").match(self.text, self.pos)
        if number is not None:
            self.pos = number.end()
            return number.group(0)
        for word, value in (("true", True), ("false", False)):
            if re.compile(rf"{word}\b").match(self.text, self.pos):
                self.pos += len(word)
                return value
        name = self.ident()
        if name == "nil":
            return None
        if name in ("helpers.Error", "&helpers.Error"):
            self.eat("{")
            self.eat("}")
            return {"error": True}
        if name == "map":
            self.eat("[string]*token.TaToken{")
            entries = {}
            while not self.peek("}"):
                key = self.string()
                self.eat(":")
                entries[key] = self.expr()
                if self.peek(","):
                    self.eat(",")
            self.eat("}")
            return entries
        if name in self.times:
            return {"time": self.times[name]}
        if not self.peek("("):
            raise Unreadable(f"a Go variable or constant ({name})")
        args = self.args()
        return _construct(name, args)


def _construct(name: str, args: list[Any]) -> Any:
    if name == "token.NewString":
        return {"string": args[0]}
    if name == "token.NewBool":
        if not isinstance(args[0], str) and not isinstance(args[0], bool):
            raise Unreadable(f"{name} of {args[0]!r}")
        return {"boolean": args[0]}
    if name in ("token.NewDecimalFromInt", "token.NewDecimalFromString", "token.NewDecimalFromFloat"):
        return {"decimal": str(args[0])}
    if name == "token.NewList":
        return {"list": args}
    if name == "token.NewMap":
        return {"map": args[0]}
    if name == "token.NewNull":
        return {"null": None}
    if name == "lexer.MustLex":
        return {"unevaluated": args[0]}
    if name == "token.New":  # a call left as it is (no function of that name)
        return {"unevaluated": args[0]}
    if name == "token.NewTime" and isinstance(args[0], dict) and "time" in args[0]:
        return args[0]
    raise Unreadable(f"the Go expression {name}(...)")


def _untag_binding(tagged: Any) -> Any:
    """A binding's tagged value as plain JSON (a Decimal as a JSON number)."""
    if not isinstance(tagged, dict) or len(tagged) != 1:
        raise Unreadable("a binding that is not a token")
    ((kind, value),) = tagged.items()
    if kind == "map":
        return {k: _untag_binding(v) for k, v in value.items()}
    if kind == "list":
        return [_untag_binding(v) for v in value]
    if kind == "decimal":
        return json.loads(value)
    if kind in ("string", "boolean"):
        return value
    if kind == "null":
        return None
    raise Unreadable(f"a binding of {kind}")


def cases_in(path: str, text: str) -> list[dict[str, Any]]:
    """The ``helpers.Test{...}`` cases of one test file, in order."""
    out = []
    defined = [(m.start(), m.group(1), m.group(2)) for m in TIME_VARIABLE.finditer(text)]
    for match in re.finditer(r"helpers\.Test\{", text):
        line = text.count("\n", 0, match.start()) + 1
        if "//" in text[text.rfind("\n", 0, match.start()) : match.start()]:
            continue  # commented out
        times = {name: value for at, name, value in defined if at < match.start()}  # the latest definitions
        go = _Go(text, match.end(), times)
        case: dict[str, Any] = {"file": path, "line": line}
        try:
            case["source"] = go.string()
            go.eat(",")
            binding = go.expr()
            go.eat(",")
            case["expected"] = go.expr()
            case["binding"] = None if binding is None else _untag_binding(binding)
            case["input"] = to_json_form(case["source"])
        except (Unreadable, ValueError, IndexError) as exc:
            case["skip"] = f"not extracted: {exc}"
        out.append(case)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--git-dir", required=True, help="the reference's git directory (a clone's .git or a mirror)")
    parser.add_argument("--commit", default="HEAD")
    parser.add_argument("--output", type=Path, default=OUT)
    args = parser.parse_args(argv)

    def git(*cmd: str) -> str:
        return subprocess.run(
            ["git", f"--git-dir={args.git_dir}", *cmd], check=True, capture_output=True, text=True
        ).stdout

    commit = git("rev-parse", args.commit).strip()
    files = sorted(p for p in git("ls-tree", "-r", "--name-only", commit).split("\n") if FILES.match(p))
    cases = [case for path in files for case in cases_in(path, git("show", f"{commit}:{path}"))]
    data = {"repository": "https://github.com/talon-one/talang", "commit": commit, "cases": cases}
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n")
    skipped = sum("skip" in c for c in cases)
    print(f"{len(cases)} cases from {len(files)} files at {commit[:12]} ({skipped} not extracted) -> {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
