"""Record, replay and the secret scan end to end, against the fake served on loopback (never a real deployment)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.plugin._deployment import as_deployment, run

KEY = "sandbox-key-4f9a2c"
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "checkout"

RECORDED_TEST = """
def test_price(talon_client):
    talon_client.update_customer_session_v2(
        "s1", {"customerSession": {"profileId": "p1", "cartItems": [{"sku": "A", "quantity": 1, "price": 5}]}}
    )
    talon_client.update_customer_session_v2(
        "s1", {"customerSession": {"profileId": "p1", "cartItems": [{"sku": "A", "quantity": 3, "price": 5}]}}
    )
    assert talon_client.get_customer_session("s1").customer_session.total == 15
"""


@pytest.fixture
def deployment(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fake Talon.One on loopback, exposed to the inner runs as if it were a deployment."""
    with as_deployment(monkeypatch, KEY) as url:
        yield url


def test_record_then_replay(pytester: pytest.Pytester, deployment: str, monkeypatch: pytest.MonkeyPatch) -> None:
    pytester.makepyfile(test_shop=RECORDED_TEST)
    recorded = run(pytester, "--talon-mode=record")
    recorded.assert_outcomes(passed=1)
    recorded.stdout.fnmatch_lines(["mode: record; requests: 3; cassettes replayed: 0, recorded: 1"])
    cassette = pytester.path / "cassettes" / "test_shop" / "test_price.yaml"
    text = cassette.read_text()
    assert KEY not in text
    assert "ApiKey-v1 <TALON_API_KEY>" in text
    assert "recorded against the pytest-talon fake" in text

    # Replay with no deployment and no key: the two PUTs of one session are told apart by their bodies.
    monkeypatch.delenv("TALON_BASE_URL")
    monkeypatch.delenv("TALON_API_KEY")
    replayed = run(pytester, "--talon-mode=replay")
    replayed.assert_outcomes(passed=1)
    replayed.stdout.fnmatch_lines(["mode: replay; requests: 3; cassettes replayed: 1, recorded: 0"])


def test_replay_miss_names_the_cassette_the_request_and_the_closest_match(
    pytester: pytest.Pytester, deployment: str
) -> None:
    pytester.makepyfile(test_shop=RECORDED_TEST)
    run(pytester, "--talon-mode=record").assert_outcomes(passed=1)
    pytester.makepyfile(test_shop=RECORDED_TEST.replace('"quantity": 3', '"quantity": 4'))
    result = run(pytester, "--talon-mode=replay")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*CassetteError: Cassette *cassettes/test_shop/test_price.yaml has no recorded answer for this request*",
            "*request: PUT */v2/customer_sessions/s1",
            "*Closest recorded request*",
            '*-*"quantity": 3*',
            '*+*"quantity": 4*',
            "*To fix: *record the cassette again: pytest --talon-mode=record --talon-record-mode=new_episodes*",
        ]
    )


def test_a_secret_in_a_cassette_fails_loudly(pytester: pytest.Pytester, deployment: str) -> None:
    pytester.makepyfile(
        test_leak=f"""
        def test_leak(talon_client):
            talon_client.update_customer_profile_v2("p1", {{"attributes": {{"note": "{KEY}"}}}})
        """
    )
    result = run(pytester, "--talon-mode=record")
    assert result.ret != 0
    result.stdout.fnmatch_lines(["*CassetteError*test_leak*"])
    cassette = pytester.path / "cassettes" / "test_leak" / "test_leak.yaml"
    assert not cassette.exists() or KEY not in cassette.read_text()


def test_live_mode_writes_nothing(pytester: pytest.Pytester, deployment: str) -> None:
    pytester.makepyfile(test_shop=RECORDED_TEST)
    result = run(pytester, "--talon-mode=live")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["mode: live; requests: 3;*"])
    assert not (pytester.path / "cassettes").exists()


def copy_example(pytester: pytest.Pytester) -> None:
    shutil.copytree(EXAMPLE, pytester.path, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))


@pytest.mark.parametrize(("mode", "outcomes"), [("fake", {"passed": 12}), ("replay", {"passed": 11, "skipped": 1})])
def test_the_example_suite(pytester: pytest.Pytester, mode: str, outcomes: dict[str, int]) -> None:
    copy_example(pytester)
    result = run(pytester, f"--talon-mode={mode}")
    result.assert_outcomes(**outcomes)


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["fake", "replay"])
def test_the_example_suite_under_xdist(pytester: pytest.Pytester, mode: str) -> None:
    copy_example(pytester)
    result = pytester.runpytest_subprocess("-p", "talon", "-p", "xdist", "-n", "2", f"--talon-mode={mode}")
    assert result.ret == 0
    result.stdout.fnmatch_lines([f"mode: {mode}; requests: *"])


@pytest.mark.slow
def test_record_live_and_replay_under_xdist(
    pytester: pytest.Pytester, deployment: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytester.makepyfile(
        test_a=RECORDED_TEST,
        test_b=RECORDED_TEST.replace('"s1"', '"s2"').replace("test_price", "test_other"),
    )
    args = ("-p", "talon", "-p", "xdist", "-n", "2", "-p", "no:cacheprovider")
    recorded = pytester.runpytest_subprocess(*args, "--talon-mode=record")
    recorded.assert_outcomes(passed=2)
    recorded.stdout.fnmatch_lines(["mode: record; requests: 6; cassettes replayed: 0, recorded: 2"])
    live = pytester.runpytest_subprocess(*args, "--talon-mode=live")
    live.assert_outcomes(passed=2)
    live.stdout.fnmatch_lines(["mode: live; requests: 6; cassettes replayed: 0, recorded: 0"])
    monkeypatch.delenv("TALON_BASE_URL")
    monkeypatch.delenv("TALON_API_KEY")
    replayed = pytester.runpytest_subprocess(*args, "--talon-mode=replay")
    replayed.assert_outcomes(passed=2)
    replayed.stdout.fnmatch_lines(["mode: replay; requests: 6; cassettes replayed: 2, recorded: 0"])


def test_cassette_dir_option_and_marker_name(pytester: pytest.Pytester, deployment: str) -> None:
    pytester.makepyfile(
        test_shop="""
        import pytest

        @pytest.mark.talon_cassette("shared-name")
        def test_named(talon_client):
            talon_client.update_customer_profile_v2("p1", {"attributes": {"tier": "gold"}})
        """
    )
    run(pytester, "--talon-mode=record", "--talon-cassette-dir=recorded").assert_outcomes(passed=1)
    assert (pytester.path / "recorded" / "test_shop" / "shared-name.yaml").is_file()
    assert not (pytester.path / "cassettes").exists()


def test_base_url_option_beats_the_environment(
    pytester: pytest.Pytester, deployment: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TALON_BASE_URL", "http://127.0.0.1:9")  # nothing listens there
    pytester.makepyfile(test_shop=RECORDED_TEST)
    result = run(pytester, "--talon-mode=live", f"--talon-base-url={deployment}")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines([f"talon: mode=live, seed=*, base URL {deployment}"])


def test_record_mode_new_episodes_adds_to_a_cassette(pytester: pytest.Pytester, deployment: str) -> None:
    pytester.makepyfile(test_shop=RECORDED_TEST)
    run(pytester, "--talon-mode=record").assert_outcomes(passed=1)
    cassette = pytester.path / "cassettes" / "test_shop" / "test_price.yaml"
    before = cassette.read_text().count("- request:")
    # A request of its own: against a talon-fake target the replayed part's state was in the test's Application.
    added = '\n    talon_client.update_customer_session_v2("s2", {"customerSession": {"profileId": "p2"}})\n'
    pytester.makepyfile(test_shop=RECORDED_TEST + added)
    once = run(pytester, "--talon-mode=record")  # default "once": an existing cassette is not added to
    once.assert_outcomes(failed=1)
    run(pytester, "--talon-mode=record", "--talon-record-mode=new_episodes").assert_outcomes(passed=1)
    assert cassette.read_text().count("- request:") == before + 1


def test_cassette_config_override_scrubs_personal_data(pytester: pytest.Pytester, deployment: str) -> None:
    pytester.makeconftest(
        """
        import dataclasses
        import pytest

        @pytest.fixture
        def talon_cassette_config(talon_cassette_config):
            return dataclasses.replace(
                talon_cassette_config, scrub_json_paths={"$.attributes.Email": "email"}
            )
        """
    )
    pytester.makepyfile(
        test_gdpr="""
        def test_profile(talon_client):
            talon_client.update_customer_profile_v2("p1", {"attributes": {"Email": "ada@example.com"}})
        """
    )
    run(pytester, "--talon-mode=record").assert_outcomes(passed=1)
    text = (pytester.path / "cassettes" / "test_gdpr" / "test_profile.yaml").read_text()
    assert "ada@example.com" not in text
    assert "<email-1>" in text
