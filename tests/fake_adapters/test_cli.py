"""The ``talon-fake`` console script, run as a real subprocess on a free port and driven over HTTP."""

from __future__ import annotations

import selectors
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from pytest_talon import TalonClient
from pytest_talon.fake.cli import EXIT_BAD_INPUT, EXIT_CANNOT_LISTEN, build_parser, main

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")

CAMPAIGNS = """\
campaigns:
  - name: Ten percent over 50
    rules:
      - title: 10% off carts of 50 or more
        conditions:
          - cartSubtotal: {op: ">=", value: 50}
        effects:
          - setDiscount: {name: "10% off", percent: 10}
"""
BAD_CAMPAIGNS = """\
campaigns:
  - name: Broken
    rules:
      - title: a rule with a typo
        conditions:
          - cartSubtotl: {op: ">=", value: 50}
"""
SESSION = {
    "customerSession": {
        "profileId": "p1",
        "cartItems": [{"name": "Shoe", "sku": "SH-1", "quantity": 1, "price": 80.0}],
    }
}
#: The command users run: the environment's ``talon-fake`` console script (``python -m pytest_talon.fake`` where the
#: package is not installed with its scripts; that form imports the fake before choosing its allocator, so it starts
#: slower: pytest_talon._console).
_SCRIPT = Path(sys.executable).with_name("talon-fake")
TALON_FAKE = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "pytest_talon.fake"]
#: Seconds to wait for the subprocess to print its URL or to exit (only reached when something is broken).
PATIENCE = 30.0


def talon_fake(*args: str) -> subprocess.Popen[str]:
    """Start ``talon-fake`` (:data:`TALON_FAKE`) with ``args``, its stdout and stderr piped."""
    command = [*TALON_FAKE, *args]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def first_line(process: subprocess.Popen[str]) -> str:
    """The first stdout line of ``process``: its base URL once it is ready (waits on the pipe, never sleeps)."""
    assert process.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        if not selector.select(PATIENCE):
            process.kill()
            pytest.fail(f"talon-fake printed nothing within {PATIENCE}s")
    line = process.stdout.readline().strip()
    if not line:
        _, err = process.communicate(timeout=PATIENCE)
        pytest.fail(f"talon-fake exited with {process.returncode} before printing its URL:\n{err}")
    return line


@pytest.fixture
def campaigns_file(tmp_path: Path) -> Path:
    path = tmp_path / "campaigns.yaml"
    path.write_text(CAMPAIGNS)
    return path


@pytest.fixture
def server(campaigns_file: Path) -> Iterator[tuple[subprocess.Popen[str], str]]:
    process = talon_fake("serve", "--port", "0", "--api-key", "key-1", "--campaigns", str(campaigns_file))
    try:
        yield process, first_line(process)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate(timeout=PATIENCE)


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_serve_answers_over_http_logs_each_request_and_exits_0_on_a_signal(
    server: tuple[subprocess.Popen[str], str], stop_signal: signal.Signals
) -> None:
    process, base_url = server
    assert base_url.startswith("http://127.0.0.1:")
    # When a client drives the fake, with the right key and then with a wrong one
    with TalonClient(base_url, "key-1") as client:
        state = client.update_customer_session_v2("s%1", SESSION)
    unauthorized = httpx.get(base_url + "/v2/customer_sessions/s%251", headers={"Authorization": "ApiKey-v1 nope"})
    # Then the campaign loaded from the file applied, and a wrong key is refused
    discounts = [e for e in state.effects or [] if e.effect_type == "setDiscount"]
    assert [e.props.value for e in discounts] == [8.0]  # type: ignore[union-attr]
    assert unauthorized.status_code == 401
    # And a signal stops it with exit code 0, after one log line per request
    process.send_signal(stop_signal)
    out, err = process.communicate(timeout=PATIENCE)
    assert process.returncode == 0, err
    assert out == ""
    log = [line for line in err.splitlines() if line.startswith(("PUT ", "GET "))]
    assert [line.rsplit(" ", 1)[0] for line in log] == [
        "PUT /v2/customer_sessions/s%251 200",
        "GET /v2/customer_sessions/s%251 401",
    ]
    assert all(line.endswith("ms") for line in log)


def test_a_bad_campaigns_file_exits_2_naming_the_file_and_the_field(tmp_path: Path) -> None:
    bad = tmp_path / "bad-campaigns.yaml"
    bad.write_text(BAD_CAMPAIGNS)
    process = talon_fake("serve", "--port", "0", "--campaigns", str(bad))
    out, err = process.communicate(timeout=PATIENCE)
    assert process.returncode == EXIT_BAD_INPUT
    assert out == ""  # never announced a URL
    assert str(bad) in err
    assert "cartSubtotl" in err


def test_a_campaigns_file_that_is_not_yaml_exits_2_with_the_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "broken.yaml"
    bad.write_text("campaigns:\n  - name: x\n   rules: [\n")
    assert main(["serve", "--port", "0", "--campaigns", str(bad)]) == EXIT_BAD_INPUT
    captured = capsys.readouterr()
    assert captured.out == ""
    assert str(bad) in captured.err
    assert "line 3" in captured.err


def test_a_missing_campaigns_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nowhere.yaml"
    assert main(["serve", "--port", "0", "--campaigns", str(missing)]) == EXIT_BAD_INPUT
    assert str(missing) in capsys.readouterr().err


def test_a_taken_port_exits_1_at_once(capsys: pytest.CaptureFixture[str]) -> None:
    handlers = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        assert main(["serve", "--port", str(port)]) == EXIT_CANNOT_LISTEN
    captured = capsys.readouterr()
    assert captured.out == ""
    assert f"cannot listen on 127.0.0.1:{port}" in captured.err
    assert (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)) == handlers  # restored


def test_the_installed_console_script_is_talon_fake() -> None:
    script = Path(sys.executable).with_name("talon-fake")
    if not script.exists():
        pytest.skip("talon-fake is not installed next to this interpreter")
    result = subprocess.run([str(script), "serve", "--help"], capture_output=True, text=True, timeout=PATIENCE)
    assert result.returncode == 0
    for option in ("--host", "--port", "--campaigns", "--api-key", "--quiet"):
        assert option in result.stdout


@pytest.mark.parametrize("args", [["serve", "--port", "70000"], ["serve", "--port", "x"], ["serve", "--api-key", ""]])
def test_bad_arguments_exit_2_in_process(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(args)
    assert info.value.code == EXIT_BAD_INPUT
    assert "talon-fake" in capsys.readouterr().err


def test_parser_defaults_match_the_documented_command() -> None:
    args = build_parser().parse_args(["serve"])
    assert (args.host, args.port, args.campaigns, args.api_key, args.quiet) == ("127.0.0.1", 8080, [], None, False)
    with pytest.raises(SystemExit) as info:
        build_parser().parse_args([])
    assert info.value.code == EXIT_BAD_INPUT
