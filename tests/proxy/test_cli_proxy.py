"""``talon-fake proxy`` refuses bad command lines at start (usage error, exit 2), before it listens."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pytest_talon.fake.cli import EXIT_BAD_INPUT, main

from ..fake_adapters.test_cli import PATIENCE, TALON_FAKE


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    command = [*TALON_FAKE, "proxy", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=PATIENCE, check=False)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--record", "c"), "--record needs --upstream URL"),
        (("--verify", "c"), "--verify needs --upstream URL"),
        (("--upstream", "http://127.0.0.1:9"), "one of the arguments --record --replay --verify is required"),
        (("--replay", "c", "--record", "c"), "not allowed with argument"),
        (("--mode", "mirror", "--replay", "c"), "unrecognized arguments: --mode mirror"),
        (("--record", "c", "--upstream", "ftp://x"), "must be an http(s) base URL"),
        (("--replay", "c", "--host", "0.0.0.0"), "is not a loopback address"),
        (("--record", "c", "--upstream", "http://127.0.0.1:9/api"), "has a path; give the base URL only"),
        (("--replay", "c", "--report", "r.json"), "apply to --verify only"),
        (("--verify", "c", "--upstream", "http://127.0.0.1:9", "--verify-ignore", "effects"), "must start with '$'"),
    ],
)
def test_bad_command_lines_are_usage_errors(
    args: tuple[str, ...], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["proxy", *args])
    assert exited.value.code == EXIT_BAD_INPUT
    out, err = capsys.readouterr()
    assert message in err
    assert out == ""


def test_a_bad_command_line_is_a_usage_error_of_the_console_script() -> None:
    done = _run("--record", "c")
    assert done.returncode == EXIT_BAD_INPUT
    assert "--record needs --upstream URL" in done.stderr
    assert done.stdout == ""


def test_a_bad_campaigns_file_stops_the_proxy_at_start(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("campaigns:\n  - name: x\n    rules:\n      - title: t\n        conditions: [{cartSubtotl: {}}]\n")
    code = main(["proxy", "--verify", str(tmp_path), "--upstream", "http://127.0.0.1:9", "--campaigns", str(bad)])
    assert code == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert "bad campaigns file" in err
    assert "cartSubtotl" in err


def test_serve_does_not_load_the_cassette_layer() -> None:
    """The proxy's options are parsed by ``talon-fake``'s parser; its cassette machinery loads only for ``proxy``."""
    code = "import sys; from pytest_talon.fake.cli import build_parser; build_parser(); print(sorted(sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=PATIENCE, check=True)
    loaded = done.stdout
    assert "'vcr'" not in loaded
    assert "pytest_talon.cassettes" not in loaded
    assert "pytest_talon._proxy.handler" not in loaded
