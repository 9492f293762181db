"""The plugin's override points: fixtures a ``conftest.py`` (or a test module) redefines take effect, in fake,
record and replay modes and under xdist; ``--setup-plan`` shows which fixture needs which."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.plugin._deployment import as_deployment, run

KEY = "sandbox-key-7d1e0b"

CAMPAIGN = """
campaigns:
  - name: Ten off
    rules:
      - effects: [{setDiscount: {name: ten, value: 10}}]
"""

SESSION = """
def {name}(talon_client):
    state = talon_client.update_customer_session_v2(
        "s1", {{"customerSession": {{"cartItems": [{{"sku": "A", "quantity": 1, "price": 50}}]}}}}
    )
    assert [effect.effect_type for effect in state.effects] == {effects!r}
"""


#: A conftest whose talon_settings override names a campaigns file (ten.yaml, beside it).
SETTINGS_CONFTEST = """
import dataclasses
import pytest

@pytest.fixture(scope="session")
def talon_settings(talon_settings, pytestconfig):
    return dataclasses.replace(talon_settings, campaigns=pytestconfig.rootpath / "ten.yaml")
"""


@pytest.fixture
def deployment(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fake Talon.One on loopback, exposed to the inner runs as if it were a deployment."""
    with as_deployment(monkeypatch, KEY) as url:
        yield url


def test_overriding_talon_settings_changes_what_the_fixtures_do(pytester: pytest.Pytester) -> None:
    pytester.makefile(".yaml", ten=CAMPAIGN)
    pytester.makeconftest(SETTINGS_CONFTEST)
    pytester.makepyfile(SESSION.format(name="test_campaigns_from_the_override", effects=["setDiscount"]))
    run(pytester).assert_outcomes(passed=1)


def test_a_talon_settings_override_can_change_the_mode(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(
        """
        import dataclasses
        import pytest

        @pytest.fixture(scope="session")
        def talon_settings(talon_settings):
            return dataclasses.replace(talon_settings, mode="replay")
        """
    )
    pytester.makepyfile("def test_fake(talon_fake): pass")
    result = run(pytester, "-rs")
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(["*talon_fake needs --talon-mode=fake or verify (this run uses replay)*"])


def test_talon_campaigns_takes_a_path_or_data_per_module_or_test(pytester: pytest.Pytester) -> None:
    pytester.makefile(".yaml", ten=CAMPAIGN)
    pytester.makeconftest(
        """
        import pytest

        @pytest.fixture
        def talon_campaigns(pytestconfig):
            return pytestconfig.rootpath / "ten.yaml"
        """
    )
    pytester.makepyfile(
        test_path=SESSION.format(name="test_from_the_conftest", effects=["setDiscount"]),
        test_data="""
        import pytest

        FIVE = {
            "campaigns": [{"name": "Five off", "rules": [{"effects": [{"setDiscount": {"name": "f", "value": 5}}]}]}]
        }

        @pytest.fixture
        def talon_campaigns():
            return FIVE

        def test_from_the_module(talon_client):
            state = talon_client.update_customer_session_v2("s1", {"customerSession": {}})
            assert [effect.props.name for effect in state.effects] == ["f"]

        @pytest.mark.parametrize("talon_campaigns", [None])
        def test_none_for_this_test(talon_client):
            assert talon_client.update_customer_session_v2("s1", {"customerSession": {}}).effects == []
        """,
    )
    run(pytester).assert_outcomes(passed=3)


def test_cassette_dir_and_name_overrides_in_record_replay_and_verify(
    pytester: pytest.Pytester, deployment: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytester.makeconftest(
        """
        import pytest

        @pytest.fixture(scope="module")
        def talon_cassette_dir(pytestconfig):
            return pytestconfig.rootpath / "recorded"

        @pytest.fixture
        def talon_cassette_name(request):
            return "shared-" + request.node.name.removeprefix("test_")
        """
    )
    pytester.makeini("[pytest]\ntalon_cassette_dir = from-the-ini\n")  # the fixture's override wins over it
    pytester.makepyfile(test_shop=SESSION.format(name="test_cart", effects=[]))
    run(pytester, "--talon-mode=record").assert_outcomes(passed=1)
    cassette = pytester.path / "recorded" / "test_shop" / "shared-cart.yaml"
    assert cassette.is_file()
    assert not (pytester.path / "cassettes").exists()
    assert not (pytester.path / "from-the-ini").exists()

    monkeypatch.delenv("TALON_BASE_URL")
    monkeypatch.delenv("TALON_API_KEY")
    replayed = run(pytester, "--talon-mode=replay")
    replayed.assert_outcomes(passed=1)
    replayed.stdout.fnmatch_lines(["mode: replay; requests: 1; cassettes replayed: 1, recorded: 0"])

    verified = run(pytester, "--talon-mode=verify")  # verify mode compares with the same cassette
    verified.assert_outcomes(passed=1)
    verified.stdout.fnmatch_lines(["verify: 1 answers compared with the recordings (1 identical, 0 different)*"])

    cassette.rename(cassette.with_name("elsewhere.yaml"))  # the override is what replay reads
    run(pytester, "--talon-mode=replay").assert_outcomes(failed=1)


def test_overrides_take_effect_under_xdist(pytester: pytest.Pytester) -> None:
    pytester.makefile(".yaml", ten=CAMPAIGN)
    pytester.makeconftest(
        SETTINGS_CONFTEST
        + """
@pytest.fixture(scope="module")
def talon_cassette_dir(pytestconfig):
    return pytestconfig.rootpath / "recorded"
"""
    )
    pytester.makepyfile(
        test_a=SESSION.format(name="test_a", effects=["setDiscount"])
        + "\ndef test_dir(talon_cassette_config, pytestconfig):\n"
        + "    assert talon_cassette_config.cassette_dir == pytestconfig.rootpath / 'recorded'\n",
        test_b=SESSION.format(name="test_b", effects=["setDiscount"]),
    )
    result = pytester.runpytest_subprocess("-p", "talon", "-p", "xdist", "-n", "2", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=3)


def test_setup_plan_shows_the_fixture_graph(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("def test_session(talon_client): pass")
    result = run(pytester, "--setup-plan")
    result.stdout.fnmatch_lines(
        [
            "SETUP    S talon_settings (fixtures used: pytestconfig)",
            "*SETUP    M talon_campaigns (fixtures used: talon_settings)",
            "*SETUP    M talon_cassette_dir (fixtures used: talon_settings)",
            "*SETUP    M talon_cassette_config (fixtures used: talon_cassette_dir, talon_settings)",
            "*SETUP    F talon_cassette_name",
            "*SETUP    F _talon_fake (fixtures used: talon_campaigns, talon_cassette_config, *",
            "*SETUP    F talon_client (fixtures used: _talon_fake, _talon_traffic)",
        ]
    )
