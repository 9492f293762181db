"""docs/async.md's downstream project runs as it stands: aiohttp and httpx.AsyncClient services on talon_endpoint,
tested under pytest-asyncio and anyio, in fake mode, then recorded against a loopback fake and replayed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pytest_talon.fake import FakeTalon

PAGE = Path(__file__).resolve().parents[1] / "docs" / "async.md"
KEY = "async-docs-key"


def page_files() -> dict[str, str]:
    """Every fenced block of the page whose first line is ``# <file name>``, by file name (indentation removed)."""
    files = {}
    for match in re.finditer(r"^( *)```\w+\n(.*?)^\1```", PAGE.read_text(), re.S | re.M):
        indent, body = match[1], match[2]
        lines = [line.removeprefix(indent) for line in body.splitlines()]
        head = re.fullmatch(r"# ([\w.]+\.(?:py|ini|yaml))", lines[0])
        if head:
            files[head[1]] = "\n".join(lines[1:]) + "\n"
    return files


def test_the_page_holds_a_whole_project() -> None:
    assert sorted(page_files()) == [
        "campaigns.yaml", "conftest.py", "inventory.py", "profile_sync.py", "pytest.ini", "test_profiles.py"
    ]  # fmt: skip


def _run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest_inprocess("-p", "talon", "-p", "no:cacheprovider", "-p", "no:xdist", *args)


def test_the_async_example_passes_in_fake_record_and_replay_modes(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, text in page_files().items():
        (pytester.path / name).write_text(text)
    monkeypatch.syspath_prepend(pytester.path)
    for name in ("CI", "TALON_BASE_URL", "TALON_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    _run(pytester).assert_outcomes(passed=3)
    deployment = FakeTalon(api_key=KEY)
    deployment.load_campaigns(pytester.path / "campaigns.yaml")
    with deployment.serve() as url:
        monkeypatch.setenv("TALON_BASE_URL", url)
        monkeypatch.setenv("TALON_API_KEY", KEY)
        recorded = _run(pytester, "--talon-mode=record")
    recorded.assert_outcomes(passed=3)
    # Each test records against a fresh Application of the talon-fake target, so the default one's log stays empty;
    # the replay run's summary below counts all four requests.
    recorded.stdout.fnmatch_lines(["talon: the record target is a talon-fake server: each test records against*"])
    assert deployment.requests == []
    monkeypatch.delenv("TALON_BASE_URL")
    monkeypatch.delenv("TALON_API_KEY")
    replayed = _run(pytester, "--talon-mode=replay")
    replayed.assert_outcomes(passed=3)
    replayed.stdout.fnmatch_lines(["mode: replay; requests: 4; cassettes replayed: 3, recorded: 0"])
