"""Schemathesis over all 39 operations of the vendored spec against ``talon-fake serve`` (seeded with
examples/campaigns.yaml, so loyalty programs, catalogs, audiences, coupons and achievements exist and more answers are
2xx): no 5xx, 405 (JSON) for methods a path does not have, every answer's body valid against the response schema the
spec declares for its status, and every answer's Content-Type one the spec declares.

``status_code_conformance`` is deliberately not checked: the live API sends statuses the spec does not declare
(shared/talon-api/behaviour.md), and the fake follows the live API. Namely 204 for ``silent=yes`` on
updateCustomerProfilesV2, trackEventV2 and createReferralsForMultipleAdvocates; 400 for a missing body or a malformed
parameter on operations that declare no 400 (updateCustomerProfile, updateCustomerSession, bestPriorPrice,
updateAudienceV2, ...); and 404 for an unknown ID on operations that declare no 404 (getCustomerSession,
reopenCustomerSession, ...). response_schema_conformance has no schema for an undeclared status, so it skips those
bodies; they are the API's error shape, which tests/fake_server/test_abuse.py covers.

Deterministic: ``--generation-deterministic`` (no randomness, no example database), no shrinking; about 20 s.
"""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from ..fake_adapters.test_cli import PATIENCE, first_line, talon_fake

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "spec" / "integration-api.json"
CAMPAIGNS = ROOT / "examples" / "campaigns.yaml"
DOCS = ROOT / "docs" / "fake-server.md"
#: The schemathesis checks run (docs/fake-server.md lists them; test_the_docs_list_exactly_the_checks_run).
CHECKS = "not_a_server_error,unsupported_method,response_schema_conformance,content_type_conformance"


def test_the_docs_list_exactly_the_checks_run() -> None:
    section = DOCS.read_text().split("### Checked with schemathesis", 1)[1].split("\n### ", 1)[0]
    assert re.findall(r"^\| `(\w+)` \|", section, flags=re.MULTILINE) == CHECKS.split(",")


@pytest.mark.slow
def test_schemathesis_finds_no_server_error_and_no_schema_violation_over_all_operations(tmp_path: Path) -> None:
    cli = shutil.which("schemathesis", path=str(Path(sys.executable).parent)) or shutil.which("schemathesis")
    if cli is None:
        pytest.skip("schemathesis is in the test extra: pip install -e '.[test]'")
    process = talon_fake("serve", "--port", "0", "--quiet", "--campaigns", str(CAMPAIGNS))
    try:
        url = first_line(process)
        command = [
            cli, "run", str(SPEC), "--url", url, "-H", "Authorization: ApiKey-v1 fake-talon-api-key",
            "--checks", CHECKS, "--max-examples", "5", "--generation-deterministic", "--no-shrink",
            "--report-dir", str(tmp_path / "report"),
        ]  # fmt: skip
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=tmp_path, check=False)
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=PATIENCE)
    assert done.returncode == 0, done.stdout[-6000:]
    assert "Selected: 39/39" in done.stdout
    assert process.returncode == 0
