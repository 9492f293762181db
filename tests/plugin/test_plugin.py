"""The plugin as users meet it: options, ini keys, header, markers, fixtures, modes, summary and report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

SESSION_TEST = """
def test_session(talon_client, talon_fake):
    state = talon_client.update_customer_session_v2(
        "s1", {"customerSession": {"profileId": "p1", "cartItems": [{"sku": "A", "quantity": 2, "price": 10}]}}
    )
    assert state.effects == []
    assert talon_fake.session("s1").total == 20
"""


@pytest.fixture(autouse=True)
def _no_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    """The inner runs decide for themselves whether they are in CI."""
    for name in ("CI", "TALON_BASE_URL", "TALON_API_KEY"):
        monkeypatch.delenv(name, raising=False)


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest_inprocess("-p", "talon", "-p", "no:cacheprovider", "-p", "no:asyncio", *args)


def test_help_shows_the_talon_group(pytester: pytest.Pytester) -> None:
    result = run(pytester, "--help")
    result.stdout.fnmatch_lines(
        [
            "*Talon.One Integration API testing (pytest-talon):",
            "*--talon-mode={fake,replay,record,live,verify}",
            "*--talon-base-url=TALON_BASE_URL",
            "*--talon-record-mode={once,new_episodes,all}",
            "*--talon-allow-live*",
            "*--talon-seed=N|random",
            "*--talon-cassette-dir=TALON_CASSETTE_DIR",
            "*--talon-report=PATH*",
        ]
    )
    result.stdout.fnmatch_lines(["*talon_mode (string):*default for --talon-mode*", "*talon_campaigns (string):*"])


def test_fixtures_are_listed_with_docstrings(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("def test_nothing(): pass")
    result = run(pytester, "--fixtures")
    for fixture in (
        "talon_fake",
        "talon_client",
        "async_talon_client",
        "talon_server",
        "talon_mock",
        "talon_faker",
        "talon_snapshot",
        "talon_cassette",
        "talon_cassette_config",
        "talon_cassette_dir",
        "talon_cassette_name",
        "talon_campaigns",
        "talon_settings",
    ):
        result.stdout.fnmatch_lines([f"{fixture}*", "*?*"])


def test_every_fixture_has_a_one_line_docstring() -> None:
    import ast
    import inspect

    from pytest_talon import plugin

    tree = ast.parse(inspect.getsource(plugin))
    fixtures = [
        node
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and any("fixture" in ast.unparse(d) for d in node.decorator_list)
    ]
    assert {f"{name}" for name in plugin.__all__ if name.islower()} <= {node.name for node in fixtures}
    for node in fixtures:
        doc = ast.get_docstring(node)
        assert doc, node.name
        assert "\n" not in doc, f"{node.name}: one line, so pytest --fixtures shows all of it"


def test_markers_are_documented(pytester: pytest.Pytester) -> None:
    result = run(pytester, "--markers")
    result.stdout.fnmatch_lines(["@pytest.mark.talon_fake_only:*", "@pytest.mark.talon_cassette(name):*"])


def test_header_shows_mode_and_seed(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("def test_nothing(): pass")
    run(pytester, "--talon-seed=1234").stdout.fnmatch_lines(["talon: mode=fake, seed=1234"])
    run(pytester).stdout.fnmatch_lines(["talon: mode=fake, seed=2026"])  # fixed by default
    run(pytester, "--talon-seed=random").stdout.fnmatch_lines(
        ["talon: mode=fake, seed=* (random; repeat with --talon-seed=*)"]
    )


def test_ini_sets_the_mode_and_the_command_line_wins(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\ntalon_mode = replay\n")
    pytester.makepyfile("def test_nothing(): pass")
    run(pytester).stdout.fnmatch_lines(["talon: mode=replay*"])
    run(pytester, "--talon-mode=fake").stdout.fnmatch_lines(["talon: mode=fake*"])


def test_bad_ini_mode_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\ntalon_mode = staging\n")
    result = run(pytester)
    result.stderr.fnmatch_lines(["*'staging' is not a mode; use one of: fake, replay, record, live, verify"])
    assert result.ret == pytest.ExitCode.USAGE_ERROR


def test_record_mode_is_refused_in_ci(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    monkeypatch.setenv("TALON_BASE_URL", "https://acme.talon.one")
    monkeypatch.setenv("TALON_API_KEY", "k")
    result = run(pytester, "--talon-mode=record")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*CI environment variable is set: refusing*--talon-allow-live*"])


@pytest.mark.parametrize(
    ("env", "missing"),
    [({"TALON_API_KEY": "k"}, "set TALON_BASE_URL"), ({"TALON_BASE_URL": "https://a.talon.one"}, "TALON_API_KEY")],
)
def test_live_mode_names_the_missing_variable(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, env: dict[str, str], missing: str
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    result = run(pytester, "--talon-mode=live")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"*{missing}*"])


def test_missing_campaigns_file_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\ntalon_campaigns = nowhere.yaml\n")
    result = run(pytester)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*talon_campaigns = *nowhere.yaml: no such file*"])


def test_report_path_from_the_ini_file(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\ntalon_report = reports/talon.json\n")
    pytester.makepyfile(SESSION_TEST)
    run(pytester).assert_outcomes(passed=1)
    assert json.loads((pytester.path / "reports" / "talon.json").read_text())["mode"] == "fake"


def test_fake_mode_end_to_end_with_summary_and_report(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(SESSION_TEST)
    result = run(pytester, "--talon-report=out/report.json")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(
        [
            "*- talon -*",
            "mode: fake; requests: 1; cassettes replayed: 0, recorded: 0",
            "API coverage: 1/39 operations, 0/* effect types",
            "      1  updateCustomerSessionV2",
        ]
    )
    report = json.loads((pytester.path / "out" / "report.json").read_text())
    assert report["operations"] == {"updateCustomerSessionV2": 1}
    assert report["coverage"]["operationsExercised"] == 1
    assert report["coverage"]["operationsTotal"] == 39
    assert "getCustomerSession" in report["coverage"]["operationsMissing"]


def test_fake_fixtures_are_skipped_outside_fake_mode(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        def test_uses_fake(talon_fake):
            pass

        @pytest.mark.talon_fake_only
        def test_marked():
            pass

        def test_plain():
            pass
        """
    )
    result = run(pytester, "--talon-mode=replay", "-rs")
    result.assert_outcomes(passed=1, skipped=2)
    result.stdout.fnmatch_lines(
        [
            "*talon_fake needs --talon-mode=fake or verify (this run uses replay)*use talon_endpoint*",
            "*talon_fake_only: needs --talon-mode=fake (this run uses replay)",
        ]
    )


def test_cassette_marker_arguments_are_checked(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.talon_cassette()
        def test_bad():
            pass
        """
    )
    result = run(pytester)
    result.stdout.fnmatch_lines(["*use @pytest.mark.talon_cassette('name') with exactly one non-empty string*"])
    assert result.ret != 0


def test_replay_of_a_missing_cassette_fails_with_its_path(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_checkout="""
        def test_price(talon_client):
            talon_client.get_customer_session("s1")
        """
    )
    result = run(pytester, "--talon-mode=replay")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*cassettes/test_checkout/test_price.yaml*"])


def test_talon_faker_is_seeded_per_test(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        def test_one(talon_faker):
            print("VALUE", talon_faker.pyint(0, 10**9))
        """
    )
    first = run(pytester, "--talon-seed=7", "-s")
    second = run(pytester, "--talon-seed=7", "-s")
    other = run(pytester, "--talon-seed=8", "-s")

    def values(result: pytest.RunResult) -> list[str]:
        return [line.split("VALUE", 1)[1] for line in result.outlines if "VALUE" in line]

    assert len(values(first)) == 1
    assert values(first) == values(second)
    assert values(first) != values(other)


def test_talon_mock_intercepts_user_built_httpx_clients(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import httpx

        def test_own_client(talon_mock, talon_fake):
            with httpx.Client(base_url=talon_fake.base_url) as http:
                answer = http.get("/v2/customer_sessions/nope", headers={"Authorization": "ApiKey-v1 wrong"})
            assert answer.status_code == 401
        """
    )
    run(pytester).assert_outcomes(passed=1)


def test_talon_server_serves_any_http_client(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import urllib.request, urllib.error

        def test_server(talon_server):
            assert talon_server.startswith("http://127.0.0.1:")
            try:
                urllib.request.urlopen(talon_server + "/v2/customer_sessions/x")
            except urllib.error.HTTPError as exc:
                assert exc.code == 401
        """
    )
    run(pytester).assert_outcomes(passed=1)


def test_async_client_under_anyio(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.anyio
        async def test_async(async_talon_client, talon_fake):
            state = await async_talon_client.update_customer_session_v2(
                "s1", {"customerSession": {"cartItems": [{"sku": "A", "quantity": 1, "price": 3}]}}
            )
            assert state.effects == []
            assert talon_fake.session("s1").total == 3
        """
    )
    run(pytester).assert_outcomes(passed=1)


def test_autoload_disabled_still_works_with_p_talon(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    pytester.makepyfile(SESSION_TEST)
    result = pytester.runpytest_subprocess("-p", "talon", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["talon: mode=fake*"])


@pytest.mark.slow
def test_xdist_aggregates_the_summary(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_a=SESSION_TEST,
        test_b=SESSION_TEST.replace("test_session", "test_other"),
    )
    result = pytester.runpytest_subprocess("-p", "talon", "-p", "xdist", "-n", "2", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["mode: fake; requests: 2;*", "      2  updateCustomerSessionV2"])


def test_assertion_helpers_with_autoload_disabled(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    pytester.makepyfile(
        """
        from pytest_talon import assert_effect

        def test_missing_discount(talon_client):
            state = talon_client.update_customer_session_v2(
                "s1", {"customerSession": {"cartItems": [{"sku": "A", "quantity": 1, "price": 3}]}}
            )
            assert_effect(state, "setDiscount", value=5)
        """
    )
    result = pytester.runpytest_subprocess("-p", "talon", "-p", "no:cacheprovider", "-W", "error")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*expected an effect setDiscount*"])
    result.stdout.no_fnmatch_line("*PytestAssertRewriteWarning*")


def test_async_client_under_pytest_asyncio(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nasyncio_default_fixture_loop_scope = function\n")
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.asyncio
        async def test_async(async_talon_client, talon_fake):
            await async_talon_client.update_customer_profile_v2("p1", {"attributes": {"tier": "gold"}})
            assert talon_fake.profile("p1").attributes == {"tier": "gold"}
        """
    )
    result = pytester.runpytest_inprocess("-p", "talon", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)


def test_readme_quick_start(pytester: pytest.Pytester) -> None:
    # The README's conftest and tests, with the example's services and campaigns, pass with no other glue
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    blocks = readme.split("## Quick start", 1)[1].split("## The typed client", 1)[0].split("```python")[1:]
    conftest, tests = (block.split("```", 1)[0] for block in blocks[:2])
    example = Path(__file__).resolve().parents[2] / "examples" / "checkout"
    for name in ("campaigns.yaml", "checkout.py", "loyalty_desk.py"):
        (pytester.path / name).write_text((example / name).read_text())
    pytester.makeini("[pytest]\ntalon_campaigns = campaigns.yaml\npythonpath = .\n")
    pytester.makeconftest(conftest)
    pytester.makepyfile(test_quick_start=tests)
    run(pytester, "--snapshot-update").assert_outcomes(passed=3)
    run(pytester).assert_outcomes(passed=3)


@pytest.mark.slow
def test_xdist_workers_use_the_seed_shown_in_the_header(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_seed="""
        import pytest

        @pytest.mark.parametrize("n", range(4))
        def test_seed(talon_settings, n):
            print("SEED", talon_settings.seed)
            assert False  # so that -rA shows the captured output of every test
        """
    )
    result = pytester.runpytest_subprocess("-p", "talon", "-p", "xdist", "-n", "2", "-p", "no:cacheprovider")
    header = next(line for line in result.outlines if line.startswith("talon: mode=fake, seed="))
    seed = header.split("seed=", 1)[1].split(" ", 1)[0]
    seen = {line.split("SEED", 1)[1].strip() for line in result.outlines if line.startswith("SEED")}
    assert seen == {seed}
