"""examples/java/TalonFake.java (the JDK's java.net.http, no SDK) does what docs/fake-server.md's Java lines show,
against ``talon-fake serve`` and a recording ``talon-fake proxy`` in front of it: an Application of its own, a
header-scoped fault, its own request log, a cassette named by a header. Skipped, with the reason, where ``java`` is
not installed. The docs' Java lines are lines of the program, and every language's lines use the same header names
and values."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from ..fake_adapters.test_cli import PATIENCE
from .conftest import Running

ROOT = Path(__file__).resolve().parents[2]
PROGRAM = ROOT / "examples" / "java" / "TalonFake.java"
DOCS = ROOT / "docs" / "fake-server.md"
#: The header names and values every language's wiring lines use (the tested Java and JavaScript ones); the key goes
#: in ``Authorization`` (named so, or as the SDKs' ``api_key_v1`` scheme, which the JavaScript example runs).
HEADERS = ("ApiKey-v1", "X-Talon-Cassette", "checkout/test_coupon", "X-Talon-Fake-Fault")
FAULT = "503; retry-after=2"


def test_the_java_program_wires_itself_as_the_docs_show(start: Callable[..., Running], tmp_path: Path) -> None:
    java = shutil.which("java")
    if java is None:
        pytest.skip("java (17 or later) is needed to run examples/java/TalonFake.java")
    server = start("serve", "--port", "0", "--quiet")
    cassettes = tmp_path / "cassettes"
    proxy = start("proxy", "--port", "0", "--quiet", "--upstream", server.url, "--record", str(cassettes))
    env = {**os.environ, "TALON_URL": server.url, "TALON_KEY": "fake-talon-api-key", "TALON_PROXY_URL": proxy.url}
    done = subprocess.run(
        [java, str(PROGRAM)], capture_output=True, text=True, timeout=PATIENCE * 3, env=env, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads(done.stdout) == {
        "ok": True,
        "applicationId": 2,
        "sessionApplicationId": 2,
        "faultStatus": 503,
        "retryAfter": "2",
        "discount": 8.0,
        "logged": 3,  # the faulted request, the one with a bad fault header (a 400) and the one after
        "faults": 1,
        "rootSawIt": False,
        "explain": "/_fake/requests/0/explain",
        "cassette": "checkout/test_coupon",
        "deleted": 204,
        "afterDelete": 401,
    }
    code, _ = proxy.stop()
    assert code == 0
    recorded = (cassettes / "checkout" / "test_coupon.yaml").read_text()
    assert "/v2/customer_sessions/order-2" in recorded
    assert "talon-fake-app-" not in recorded  # the Application's key never reaches the cassette


def _blocks(language: str) -> list[str]:
    wiring = DOCS.read_text().split("#### Wiring an SDK", 1)[1]
    return re.findall(rf"```{language}\n(.*?)```", wiring, flags=re.DOTALL)


def test_the_docs_java_lines_are_the_programs() -> None:
    (block,) = [b for b in _blocks("java") if "HttpRequest" in b]
    program = {line.strip() for line in PROGRAM.read_text().splitlines()}
    missing = [line for line in block.splitlines() if line.strip() and line.strip() not in program]
    assert missing == []


@pytest.mark.parametrize("language", ["js", "java", "csharp", "php"])
def test_every_languages_lines_use_the_same_headers(language: str) -> None:
    text = "".join(_blocks(language))
    assert [h for h in (*HEADERS, FAULT) if h not in text] == []
    assert "Authorization" in text or "api_key_v1" in text


def test_the_docs_javascript_wiring_lines_are_the_examples() -> None:
    examples = "".join(p.read_text() for p in (ROOT / "examples" / "node").glob("*.js"))
    ran = {line.split(" //")[0].strip() for line in examples.splitlines()}
    wiring = [
        line.split(" //")[0].strip()
        for line in _blocks("js")[0].splitlines()
        if "defaultHeaders" in line or "authentications" in line
    ]
    assert len(wiring) == 5
    # The cassette's name is per test in the suite (`node/<test name>`): there the setting is what must be the same.
    same = [line if "X-Talon-Cassette" not in line else line.split(" = ")[0] for line in wiring]
    ran_settings = ran | {line.split(" = ")[0] for line in ran}
    assert [line for line in same if line not in ran_settings] == []
    assert all(h in PROGRAM.read_text() for h in (*HEADERS, FAULT, '"Authorization", "ApiKey-v1 "'))
