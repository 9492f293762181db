"""The pytest plugin: options, markers, fixtures and the run summary. It autoloads when pytest-talon is installed
(``-p talon`` loads it with ``PYTEST_DISABLE_PLUGIN_AUTOLOAD=1``; ``-p no:talon`` disables it).

Logic lives in the library modules (:mod:`pytest_talon._settings`, :mod:`pytest_talon._seed`,
:mod:`pytest_talon._endpoint`, :mod:`pytest_talon._report`, :mod:`pytest_talon._verify`, the fake, the cassettes, the
factories); this module only wires them into pytest. It stays inert in runs that use none of its
fixtures: no autouse fixture, and nothing heavier than the settings is imported until a fixture or a hook needs it
(the clients, models, httpx and the fake are imported inside the fixtures).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from pytest_talon._endpoint import TalonEndpoint, TalonRequests
from pytest_talon._report import Report
from pytest_talon._seed import TEST_SEED, TestSeed, derive_seed, honour_faker_seed, use_recorded_seed
from pytest_talon._settings import (
    REPLAY_BASE_URL,
    Settings,
    add_options,
    cassette_config,
    header,
    remote_target,
    resolve_settings,
)

if TYPE_CHECKING:
    import faker
    import respx
    from syrupy.assertion import SnapshotAssertion

    from pytest_talon._verify import Verifier
    from pytest_talon.cassettes import CassetteConfig, TalonCassette
    from pytest_talon.client import AsyncTalonClient, TalonClient
    from pytest_talon.fake import FakeTalon

__all__ = [
    "TalonEndpoint",
    "TalonRequests",
    "async_talon_client",
    "talon_cassette",
    "talon_cassette_config",
    "talon_client",
    "talon_endpoint",
    "talon_fake",
    "talon_faker",
    "talon_mock",
    "talon_requests",
    "talon_sdk",
    "talon_server",
    "talon_settings",
    "talon_snapshot",
]

# syrupy provides the ``snapshot`` fixture behind ``talon_snapshot``; naming it here loads it even when plugin
# autoloading is disabled (PYTEST_DISABLE_PLUGIN_AUTOLOAD=1 with ``-p talon``).
pytest_plugins = ["syrupy"]

SETTINGS_KEY = pytest.StashKey[Settings]()
REPORT_KEY = pytest.StashKey[Report]()
VERBOSITY_KEY = pytest.StashKey[int]()
VERIFY_KEY = pytest.StashKey["Verifier"]()

pytest.register_assert_rewrite("pytest_talon.assertions", "pytest_talon._assertions")

MARKERS = (
    "talon_fake_only: run this test only in --talon-mode=fake (skipped with a reason in the other modes)",
    "talon_cassette(name): use cassettes/<test module>/<name>.yaml instead of the test's own name",
)


def pytest_addoption(parser: pytest.Parser) -> None:
    """Register the ``talon`` option group and ini keys."""
    add_options(parser)


def pytest_configure(config: pytest.Config) -> None:
    """Resolve the settings once, register the markers and start the run report."""
    for marker in MARKERS:
        config.addinivalue_line("markers", marker)
    settings = resolve_settings(config)
    workerinput = getattr(config, "workerinput", None)
    if workerinput is not None and "talon_seed" in workerinput:
        # An xdist worker uses the controller's seed, so the seed in the header repeats the whole run.
        settings = dataclasses.replace(settings, seed=int(workerinput["talon_seed"]))
    config.stash[SETTINGS_KEY] = settings
    config.stash[REPORT_KEY] = Report(mode=settings.mode)
    # The verbosity holder only (no helper, no model): imported after register_assert_rewrite above.
    from pytest_talon._assertions._errors import set_verbosity

    # -vv makes the assertion helpers print every effect instead of a truncated table.
    config.stash[VERBOSITY_KEY] = set_verbosity(config.get_verbosity())


def pytest_unconfigure(config: pytest.Config) -> None:
    """Restore the assertion helpers' verbosity (matters when pytest runs in-process, as in pytester)."""
    if VERBOSITY_KEY in config.stash:
        from pytest_talon._assertions._errors import set_verbosity

        set_verbosity(config.stash[VERBOSITY_KEY])


def pytest_report_header(config: pytest.Config) -> str:
    """Show the mode and the base seed (a random one with how to repeat the run)."""
    return header(config.stash[SETTINGS_KEY])


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Generator[None, object, object]:
    """Give the test its own factory seed, derived from the base seed and the test id (so it does not depend on
    the order of tests or on xdist). Factories build their generators from it only when the test uses them."""
    settings = item.config.stash[SETTINGS_KEY]
    token = TEST_SEED.set(TestSeed(derive_seed(settings.seed, item.nodeid)))
    try:
        result = yield
    finally:
        TEST_SEED.reset(token)
    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, object, object]:
    """Honour Faker's ``faker_seed`` fixture (a test that requests it builds its factory data from it); in verify
    mode, compare the fake's answers with the recorded ones once the test ran, failing it on a difference."""
    funcargs = getattr(item, "funcargs", {})
    if "faker_seed" in funcargs:
        honour_faker_seed(funcargs["faker_seed"], item.nodeid)
    try:
        result = yield
    except BaseException:
        _verify_answers(item, judge=False)  # counted; the test's own failure is the one to show
        raise
    _verify_answers(item, judge=True)
    return result


def _verify_answers(item: pytest.Item, *, judge: bool) -> None:
    """Verify mode: compare the answers the test's fake gave so far; with ``judge``, fail on a difference."""
    verifier = item.stash.get(VERIFY_KEY, None)
    if verifier is None:
        return
    failure = verifier.tally(item.config.stash[REPORT_KEY].verify, item.nodeid)
    if failure and judge and item.config.stash[SETTINGS_KEY].verify == "fail":
        pytest.fail(failure, pytrace=False)


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Skip ``talon_fake_only`` tests outside fake mode and check marker arguments."""
    settings = item.config.stash[SETTINGS_KEY]
    for marker in item.iter_markers("talon_cassette"):
        if len(marker.args) != 1 or not isinstance(marker.args[0], str) or not marker.args[0] or marker.kwargs:
            raise pytest.UsageError(
                f"{item.nodeid}: use @pytest.mark.talon_cassette('name') with exactly one non-empty string"
            )
    if item.get_closest_marker("talon_fake_only") and settings.mode != "fake":  # verify: nothing was recorded
        pytest.skip(f"talon_fake_only: needs --talon-mode=fake (this run uses {settings.mode})")


def _settings(request: pytest.FixtureRequest) -> Settings:
    """The run's settings, read by the fixtures below without a fixture lookup (each costs every test using them)."""
    return request.config.stash[SETTINGS_KEY]


@pytest.fixture(scope="session")
def talon_settings(pytestconfig: pytest.Config) -> Settings:
    """The run's resolved pytest-talon settings (mode, seed, base URL, cassette directory...)."""
    return pytestconfig.stash[SETTINGS_KEY]


@pytest.fixture
def talon_faker(request: pytest.FixtureRequest) -> faker.Faker:
    """The test's seeded Faker (with the Talon.One provider), the same one the factories use (seeded from
    Faker's ``faker_seed`` fixture when the test requests it)."""
    from pytest_talon.factories import current_faker

    if "faker_seed" in request.fixturenames:
        honour_faker_seed(request.getfixturevalue("faker_seed"), request.node.nodeid)

    return current_faker()


def _fake_only(settings: Settings, fixture: str) -> None:
    if not settings.uses_fake:
        pytest.skip(
            f"{fixture} needs --talon-mode=fake or verify (this run uses {settings.mode}): it reaches the "
            "in-process fake Talon.One. For code that runs in every mode use talon_endpoint (base_url and api_key "
            "for any HTTP client), talon_sdk or talon_client instead."
        )


@pytest.fixture
def talon_fake(request: pytest.FixtureRequest) -> Iterator[FakeTalon]:
    """A fresh, empty fake Talon.One for this test, preloaded from the ``talon_campaigns`` ini file if set (in verify
    mode its answers are compared with the test's cassette)."""
    settings = _settings(request)
    _fake_only(settings, "talon_fake")
    from pytest_talon.fake import FakeTalon

    verifier: Verifier | None = request.getfixturevalue("_talon_verify") if settings.mode == "verify" else None
    fake = FakeTalon()
    if settings.campaigns is not None:
        fake.load_campaigns(settings.campaigns)
    if verifier is not None:
        verifier.source = lambda: fake.requests
    yield fake
    report = request.config.stash[REPORT_KEY]
    if verifier is not None:
        verifier.tally(report.verify, request.node.nodeid)  # requests made during teardown: reported only
    report.add_requests(fake.requests)


@pytest.fixture
def talon_server(request: pytest.FixtureRequest) -> Iterator[str]:
    """The test's fake served on a loopback port: yields its base URL, for any HTTP client or language."""
    settings = _settings(request)
    _fake_only(settings, "talon_server")
    fake: FakeTalon = request.getfixturevalue("talon_fake")
    with fake.serve() as base_url:
        yield base_url


@pytest.fixture
def talon_mock(request: pytest.FixtureRequest) -> Iterator[respx.MockRouter]:
    """respx interception: any httpx client the code under test builds, aimed at ``talon_fake.base_url``,
    reaches the fake."""
    settings = _settings(request)
    _fake_only(settings, "talon_mock")
    fake: FakeTalon = request.getfixturevalue("talon_fake")
    with fake.mock() as router:
        yield router


@pytest.fixture
def talon_cassette_config(request: pytest.FixtureRequest) -> CassetteConfig:
    """Override point: the cassette settings (directory, matching, scrubbing, label) of replay and record modes."""
    settings = _settings(request)
    return cassette_config(settings, Path(str(request.node.path)).parent / "cassettes")


def _cassette_file(request: pytest.FixtureRequest, config: CassetteConfig) -> Path:
    from pytest_talon.cassettes import cassette_path

    marker = request.node.get_closest_marker("talon_cassette")
    name = marker.args[0] if marker else request.node.name
    module = Path(str(request.node.path)).stem
    return cassette_path(config.cassette_dir, module, name)


@pytest.fixture
def _talon_verify(request: pytest.FixtureRequest, talon_cassette_config: CassetteConfig) -> Verifier:
    """Verify mode: the test's cassette, read without patching any HTTP library, that the fake's answers are
    compared with; the test builds its factory data with the recorded seed."""
    settings = _settings(request)
    from pytest_talon._verify import Verifier
    from pytest_talon.cassettes import read_seed

    path = _cassette_file(request, talon_cassette_config)
    use_recorded_seed(read_seed(path))
    base_url = settings.base_url or REPLAY_BASE_URL
    verifier = Verifier(path, talon_cassette_config, base_url=base_url, root=request.config.rootpath)
    request.node.stash[VERIFY_KEY] = verifier
    return verifier


@pytest.fixture
def _talon_traffic(
    request: pytest.FixtureRequest, talon_cassette_config: CassetteConfig
) -> Iterator[TalonCassette | None]:
    """Every HTTP library's traffic in the test: the test's cassette (replay, record) or an unsaved observation of it
    (live); ``None`` in fake and verify modes, where the fake logs requests itself."""
    settings = _settings(request)
    if settings.uses_fake:
        yield None
        return
    from pytest_talon.cassettes import read_seed, use_cassette

    test_seed = TEST_SEED.get()
    path = _cassette_file(request, talon_cassette_config)
    live = settings.mode == "live"
    if not live and talon_cassette_config.record_mode != "all":
        use_recorded_seed(read_seed(path))

    def seed() -> int | None:
        return test_seed.seed if test_seed is not None else None

    report = request.config.stash[REPORT_KEY]
    with use_cassette(path, talon_cassette_config, seed=seed, save=not live) as cassette:
        yield cassette
    report.add_cassette(cassette, saved=not live)


@pytest.fixture
def talon_cassette(request: pytest.FixtureRequest, talon_cassette_config: CassetteConfig) -> TalonCassette | None:
    """The test's cassette in replay and record modes (None in fake and live modes): the traffic of every HTTP
    library vcrpy patches (httpx, requests, urllib3 and so the official SDK, aiohttp) is answered from it
    (replay) or written to it (record)."""
    settings = _settings(request)
    if settings.mode not in {"replay", "record"}:
        return None
    cassette: TalonCassette | None = request.getfixturevalue("_talon_traffic")
    return cassette


@pytest.fixture
def talon_endpoint(request: pytest.FixtureRequest) -> TalonEndpoint:
    """Base URL and API key for code under test that builds its own HTTP client (httpx, requests, urllib3, the
    official SDK, aiohttp, another language): the test's fake on loopback (fake and verify modes, started on first
    use of ``base_url``), its cassette (replay, record) or the deployment (live)."""
    settings = _settings(request)
    if settings.uses_fake:
        fake: FakeTalon = request.getfixturevalue("talon_fake")

        def serve() -> str:
            url: str = request.getfixturevalue("talon_server")
            return url

        return TalonEndpoint(serve, fake.api_key)
    request.getfixturevalue("_talon_traffic")
    return TalonEndpoint(*remote_target(settings))


@pytest.fixture
def talon_sdk(talon_endpoint: TalonEndpoint) -> Iterator[Any]:
    """The official SDK's ``talon_one.IntegrationApi``, configured for the test's endpoint (every mode); skipped
    when the SDK is not installed. Its connections are closed at teardown."""
    try:
        import talon_one  # type: ignore[import-untyped, unused-ignore]
    except ImportError as exc:
        pytest.skip(f"talon_sdk needs the official Talon.One SDK: pip install talon-one-sdk ({exc})")
    configuration = talon_one.Configuration(
        host=talon_endpoint.base_url,
        api_key={"api_key_v1": talon_endpoint.api_key},
        api_key_prefix={"api_key_v1": "ApiKey-v1"},
    )
    api_client = talon_one.ApiClient(configuration)
    try:
        yield talon_one.IntegrationApi(api_client)
    finally:
        api_client.rest_client.pool_manager.clear()


@pytest.fixture
def talon_requests(request: pytest.FixtureRequest) -> TalonRequests:
    """The test's exchanges with Talon.One in every mode (the fake's log, the cassette's replayed or recorded
    exchanges, the live traffic), from any HTTP client."""
    settings = _settings(request)
    if settings.uses_fake:
        fake: FakeTalon = request.getfixturevalue("talon_fake")
        return TalonRequests(lambda: fake.requests)
    from pytest_talon._report import cassette_requests

    cassette: TalonCassette = request.getfixturevalue("_talon_traffic")
    return TalonRequests(lambda: cassette_requests(cassette))


@pytest.fixture
def talon_client(request: pytest.FixtureRequest) -> Iterator[TalonClient]:
    """A :class:`~pytest_talon.TalonClient` wired for the mode: the test's fake, its cassette, or the deployment."""
    settings = _settings(request)
    from pytest_talon.client import TalonClient

    if settings.uses_fake:
        fake: FakeTalon = request.getfixturevalue("talon_fake")
        with fake.client() as client:
            yield client
        return
    request.getfixturevalue("_talon_traffic")
    with TalonClient(*remote_target(settings)) as client:
        yield client


@pytest.fixture
def async_talon_client(request: pytest.FixtureRequest) -> Iterator[AsyncTalonClient]:
    """The async twin of ``talon_client``; a plain fixture, so it works under pytest-asyncio and anyio alike.
    Closed at teardown (it keeps no connection open between requests, so closing needs no event loop of the
    test's)."""
    settings = _settings(request)
    from pytest_talon._endpoint import close_async_client, remote_async_client

    if settings.uses_fake:
        fake: FakeTalon = request.getfixturevalue("talon_fake")
        client = fake.async_client()
    else:
        request.getfixturevalue("_talon_traffic")
        client = remote_async_client(*remote_target(settings))
    try:
        yield client
    finally:
        close_async_client(client)


@pytest.fixture
def talon_snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """syrupy's ``snapshot`` with the Talon.One extension: volatile ids and timestamps masked, effects sorted."""
    from pytest_talon.snapshots import TalonSnapshotExtension

    return snapshot.use_extension(TalonSnapshotExtension)


def pytest_sessionfinish(session: pytest.Session) -> None:
    """On an xdist worker, hand the report to the controller; elsewhere, write ``--talon-report``."""
    config = session.config
    report = config.stash[REPORT_KEY]
    workeroutput = getattr(config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["talon_report"] = report.to_dict()
        return
    settings = config.stash[SETTINGS_KEY]
    if settings.report is not None:
        report.write(settings.report)


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """xdist controller: give every worker the run's seed."""
    node.workerinput["talon_seed"] = node.config.stash[SETTINGS_KEY].seed


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    """xdist controller: merge a finished worker's report."""
    data = getattr(node, "workeroutput", {}).get("talon_report")
    if data:
        node.config.stash[REPORT_KEY].merge(data)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    """Print the Talon.One summary: mode, requests per operation, cassettes, API coverage."""
    if getattr(config, "workeroutput", None) is not None:
        return
    report = config.stash[REPORT_KEY]
    if not report.operations and not report.cassettes_replayed and not report.cassettes_recorded:
        return
    terminalreporter.write_sep("-", "talon")
    for line in report.lines():
        terminalreporter.write_line(line)
