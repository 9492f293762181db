"""The pytest plugin: options, markers, fixtures and the run summary. It autoloads when pytest-talon is installed
(``-p talon`` loads it with ``PYTEST_DISABLE_PLUGIN_AUTOLOAD=1``; ``-p no:talon`` disables it).

Logic lives in the plugin's private package :mod:`pytest_talon._plugin` (settings, endpoint, report, verify), the
per-test seed (:mod:`pytest_talon._seed`), the fake, the cassettes and the factories; this module only wires them
into pytest: hooks, options, markers and fixtures. The fixtures name what they need as arguments (``pytest
--setup-plan`` shows the graph); ``talon_settings``, ``talon_cassette_dir``, ``talon_cassette_name``,
``talon_campaigns`` and ``talon_cassette_config`` are override points. It stays inert in runs that use none of its
fixtures: no autouse fixture, and nothing heavier than the settings is imported until a fixture or a hook needs it
(the clients, models, httpx and the fake are imported inside the fixtures).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Generator, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from pytest_talon._cassettes.config import cassette_path
from pytest_talon._plugin.endpoint import TalonEndpoint, TalonRequests
from pytest_talon._plugin.report import Report
from pytest_talon._plugin.settings import (
    REPLAY_BASE_URL,
    Settings,
    add_options,
    cassette_config,
    header,
    remote_target,
    resolve_settings,
)
from pytest_talon._seed import TEST_SEED, TestSeed, derive_seed, honour_faker_seed, use_recorded_seed

if TYPE_CHECKING:
    import faker
    import respx
    from syrupy.assertion import SnapshotAssertion

    from pytest_talon._plugin.fake_target import FakeTarget
    from pytest_talon._plugin.verify import Verifier
    from pytest_talon.cassettes import CassetteConfig, TalonCassette
    from pytest_talon.client import AsyncTalonClient, TalonClient
    from pytest_talon.fake import FakeTalon

__all__ = [
    "TalonEndpoint",
    "TalonRequests",
    "async_talon_client",
    "talon_campaigns",
    "talon_cassette",
    "talon_cassette_config",
    "talon_cassette_dir",
    "talon_cassette_name",
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
FAKE_TARGET_KEY = pytest.StashKey["FakeTarget | None"]()

pytest.register_assert_rewrite("pytest_talon.assertions", "pytest_talon._assertions")

MARKERS = (
    "talon_fake_only: run this test only in --talon-mode=fake (skipped with a reason in the other modes)",
    "talon_cassette(name): use cassettes/<test module>/<name>.yaml instead of the test's own name",
    "talon_verify_partial: in --talon-mode=verify, list the test's requests its existing cassette has no answer "
    "for instead of failing the test",
)
#: The fixtures that reach the in-process fake itself (verify mode skips their tests: nothing live was recorded).
FAKE_FIXTURES = frozenset({"talon_fake", "talon_server", "talon_mock"})


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
    config.stash[FAKE_TARGET_KEY] = _fake_target(config, settings, workerinput)
    # The verbosity holder only (no helper, no model): imported after register_assert_rewrite above.
    from pytest_talon._assertions.errors import set_verbosity

    # -vv makes the assertion helpers print every effect instead of a truncated table.
    config.stash[VERBOSITY_KEY] = set_verbosity(config.get_verbosity())


def _fake_target(config: pytest.Config, settings: Settings, workerinput: Any) -> FakeTarget | None:
    """Record mode: the target when it is a talon-fake server (probed once per process), else None."""
    if settings.mode != "record" or not settings.base_url or not settings.api_key:
        return None
    from pytest_talon._plugin.fake_target import probe_fake_target

    if workerinput is not None:
        shared = int(workerinput.get("workercount", 1)) > 1
    else:
        workers = getattr(config.option, "numprocesses", None)
        shared = bool(workers) and workers != 1
    return probe_fake_target(settings.base_url, settings.api_key, shared=shared)


def pytest_unconfigure(config: pytest.Config) -> None:
    """Restore the assertion helpers' verbosity (matters when pytest runs in-process, as in pytester)."""
    if VERBOSITY_KEY in config.stash:
        from pytest_talon._assertions.errors import set_verbosity

        set_verbosity(config.stash[VERBOSITY_KEY])


def pytest_report_header(config: pytest.Config) -> list[str]:
    """Show the mode and the base seed (a random one with how to repeat the run), and a talon-fake record target."""
    target = config.stash[FAKE_TARGET_KEY]
    return [header(config.stash[SETTINGS_KEY]), *([target.describe()] if target is not None else [])]


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
    if failure and judge and verifier.fail:
        pytest.fail(failure, pytrace=False)


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Skip ``talon_fake_only`` tests outside fake mode, and in verify mode the tests using the fake itself
    (``talon_fake``, ``talon_server``, ``talon_mock``: counted as fake-only); check marker arguments."""
    settings = item.config.stash[SETTINGS_KEY]
    for marker in item.iter_markers("talon_cassette"):
        if len(marker.args) != 1 or not isinstance(marker.args[0], str) or not marker.args[0] or marker.kwargs:
            raise pytest.UsageError(
                f"{item.nodeid}: use @pytest.mark.talon_cassette('name') with exactly one non-empty string"
            )
    if item.get_closest_marker("talon_fake_only") and settings.mode != "fake":  # verify: nothing was recorded
        pytest.skip(f"talon_fake_only: needs --talon-mode=fake (this run uses {settings.mode})")
    used = sorted(FAKE_FIXTURES.intersection(getattr(item, "fixturenames", ())))
    if settings.mode == "verify" and used:
        item.config.stash[REPORT_KEY].verify.fake_only.append(item.nodeid)
        pytest.skip(f"fake-only: uses {', '.join(used)}, so no live recording can exist to verify against")


@pytest.fixture(scope="session")
def talon_settings(pytestconfig: pytest.Config) -> Settings:
    """Override point: the run's resolved settings (mode, seed, base URL, cassette directory...) the fixtures use."""
    return pytestconfig.stash[SETTINGS_KEY]


@pytest.fixture(scope="module")
def talon_cassette_dir(request: pytest.FixtureRequest, talon_settings: Settings) -> Path:
    """Override point: the cassette directory of the module's tests (talon_cassette_dir, else cassettes/ beside it)."""
    return talon_settings.cassette_dir or request.path.parent / "cassettes"


@pytest.fixture
def talon_cassette_name(request: pytest.FixtureRequest) -> str:
    """Override point: the test's cassette name (the ``talon_cassette`` marker's, else the test's own name)."""
    marker = request.node.get_closest_marker("talon_cassette")
    return str(marker.args[0]) if marker else str(request.node.name)


@pytest.fixture(scope="module")
def talon_campaigns(talon_settings: Settings) -> Path | Mapping[str, Any] | None:
    """Override point: the campaigns every ``talon_fake`` starts with, a file path or the data (the ini's file)."""
    return talon_settings.campaigns


@pytest.fixture
def talon_faker(request: pytest.FixtureRequest) -> faker.Faker:
    """The test's seeded Faker with the Talon.One provider, the one the factories use (honours ``faker_seed``)."""
    from pytest_talon.factories import current_faker

    if "faker_seed" in request.fixturenames:
        # Conditional: Faker's fixture exists only where Faker's plugin is loaded, and only a test asking for it
        # chooses the seed; naming it as an argument would fail every run without it.
        honour_faker_seed(request.getfixturevalue("faker_seed"), request.node.nodeid)

    return current_faker()


def _fake_only(settings: Settings, fake: FakeTalon | None, fixture: str) -> FakeTalon:
    """The test's fake, or skip the test with the fixture's name and the fixtures that work in every mode."""
    if fake is None:
        pytest.skip(
            f"{fixture} needs --talon-mode=fake or verify (this run uses {settings.mode}): it reaches the "
            "in-process fake Talon.One. For code that runs in every mode use talon_endpoint (base_url and api_key "
            "for any HTTP client), talon_sdk or talon_client instead."
        )
    return fake


@pytest.fixture(scope="module")
def talon_cassette_config(talon_settings: Settings, talon_cassette_dir: Path) -> CassetteConfig:
    """Override point: the cassette settings (directory, matching, scrubbing, label) of replay and record modes."""
    return cassette_config(talon_settings, talon_cassette_dir)


def _cassette_file(request: pytest.FixtureRequest, config: CassetteConfig, name: str) -> Path:
    """The test's cassette file: ``<cassette dir>/<test module>/<cassette name>.yaml`` (computed only in the modes
    that read or write one, so fake mode never pays for it)."""
    return cassette_path(config.cassette_dir, request.path.stem, name)


def _verifier(
    request: pytest.FixtureRequest, settings: Settings, config: CassetteConfig, cassette_name: str
) -> Verifier:
    """Verify mode: the test's cassette that the fake's answers are compared with; the test builds its factory
    data with the seed recorded in it."""
    from pytest_talon._plugin.verify import Verifier
    from pytest_talon.cassettes import read_seed

    path = _cassette_file(request, config, cassette_name)
    use_recorded_seed(read_seed(path))
    base_url = settings.base_url or REPLAY_BASE_URL
    verifier = Verifier(
        path,
        config,
        base_url=base_url,
        root=request.config.rootpath,
        fail=settings.verify == "fail",
        partial=request.node.get_closest_marker("talon_verify_partial") is not None,
    )
    request.node.stash[VERIFY_KEY] = verifier
    return verifier


@pytest.fixture
def _talon_fake(
    request: pytest.FixtureRequest,
    talon_settings: Settings,
    talon_campaigns: Path | Mapping[str, Any] | None,
    talon_cassette_config: CassetteConfig,
    talon_cassette_name: str,
) -> Iterator[FakeTalon | None]:
    """The test's fake in fake and verify modes (checked against its cassette in verify mode); None otherwise."""
    if not talon_settings.uses_fake:
        yield None
        return
    from pytest_talon.fake import FakeTalon

    verify = talon_settings.mode == "verify"
    verifier = _verifier(request, talon_settings, talon_cassette_config, talon_cassette_name) if verify else None
    fake = FakeTalon()
    if talon_campaigns is not None:
        fake.load_campaigns(talon_campaigns)
    if verifier is not None:
        verifier.source = lambda: fake.requests
        # Every adapter (served, respx, in-process transports) calls fake.handle: verify sees each target as sent.
        setattr(fake, "handle", verifier.observe(fake.handle))  # noqa: B010 - an instance attribute on purpose
    yield fake
    report = request.config.stash[REPORT_KEY]  # the run's summary, which counts every test's exchanges
    if verifier is not None:
        verifier.tally(report.verify, request.node.nodeid)  # requests made during teardown: reported only
    report.add_requests(fake.requests)


@pytest.fixture
def talon_fake(talon_settings: Settings, _talon_fake: FakeTalon | None) -> FakeTalon:
    """A fresh fake Talon.One for this test, preloaded with ``talon_campaigns`` (fake and verify modes only)."""
    return _fake_only(talon_settings, _talon_fake, "talon_fake")


@pytest.fixture
def talon_server(talon_settings: Settings, _talon_fake: FakeTalon | None) -> Iterator[str]:
    """The test's fake served on a loopback port: yields its base URL, for any HTTP client or language."""
    fake = _fake_only(talon_settings, _talon_fake, "talon_server")
    with fake.serve() as base_url:
        yield base_url


@pytest.fixture
def talon_mock(talon_settings: Settings, _talon_fake: FakeTalon | None) -> Iterator[respx.MockRouter]:
    """respx interception: any httpx client aimed at ``talon_fake.base_url`` reaches the test's fake."""
    fake = _fake_only(talon_settings, _talon_fake, "talon_mock")
    with fake.mock() as router:
        yield router


@dataclasses.dataclass(frozen=True)
class _Traffic:
    """A test's traffic outside the fake's modes: its base URL and key, and its cassette (replay, record) or unsaved
    observation (live) of all HTTP traffic."""

    endpoint: TalonEndpoint
    cassette: TalonCassette


@contextmanager
def _remote(
    request: pytest.FixtureRequest, settings: Settings, config: CassetteConfig, cassette_name: str
) -> Iterator[TalonEndpoint]:
    """Outside the fake's modes, the test's base URL and key (a talon-fake record target's: a fresh Application)."""
    # The repr masks the key, so a traceback showing this value never prints it. Against a talon-fake record target
    # the test gets the fresh fake of fake mode: an Application of its own (its key here, dropped after the test),
    # or a reset on an older server.
    base_url, api_key = remote_target(settings)
    target = request.config.stash[FAKE_TARGET_KEY]
    # Only when every request reaches the server (a new cassette, record mode all): new_episodes on an existing
    # cassette sends its new requests to the server's own key. The Application is made before the cassette opens
    # and dropped after it is closed, so the admin calls are never recorded.
    if target is None or not (
        config.record_mode == "all" or not _cassette_file(request, config, cassette_name).exists()
    ):
        yield TalonEndpoint(base_url, api_key)
        return
    with target.fresh() as key:
        yield TalonEndpoint(base_url, key)


@pytest.fixture
def _talon_traffic(
    request: pytest.FixtureRequest,
    talon_settings: Settings,
    talon_cassette_config: CassetteConfig,
    talon_cassette_name: str,
) -> Iterator[_Traffic | None]:
    """Outside the fake's modes, the test's endpoint and cassette (or live observation); None with the fake."""
    # One fixture for both (and the report read from the stash, not a fixture): pytest's cost per fixture in a
    # test's closure is a visible part of a fake-mode suite's CPU (P6, bench/README.md).
    if talon_settings.uses_fake:
        yield None
        return
    from pytest_talon.cassettes import read_seed, use_cassette

    test_seed = TEST_SEED.get()
    with _remote(request, talon_settings, talon_cassette_config, talon_cassette_name) as endpoint:
        config = talon_cassette_config
        if endpoint.api_key != config.api_key:  # a fresh Application's key: scanned for as the run's key is
            config = dataclasses.replace(config, secrets=(*config.secrets, endpoint.api_key))
        path = _cassette_file(request, config, talon_cassette_name)
        live = talon_settings.mode == "live"
        if not live and config.record_mode != "all":
            use_recorded_seed(read_seed(path))

        def seed() -> int | None:
            return test_seed.seed if test_seed is not None else None

        with use_cassette(path, config, seed=seed, save=not live) as cassette:
            yield _Traffic(endpoint, cassette)
        request.config.stash[REPORT_KEY].add_cassette(cassette, saved=not live)


@pytest.fixture
def talon_cassette(talon_settings: Settings, _talon_traffic: _Traffic | None) -> TalonCassette | None:
    """The test's open cassette in replay and record modes (None in the others), for every library vcrpy patches."""
    if _talon_traffic is None or talon_settings.mode not in {"replay", "record"}:
        return None
    return _talon_traffic.cassette


@pytest.fixture
def talon_endpoint(
    request: pytest.FixtureRequest,
    _talon_fake: FakeTalon | None,
    _talon_traffic: _Traffic | None,
) -> TalonEndpoint:
    """Base URL and API key for any HTTP client: the test's fake on loopback, its cassette, or the deployment."""
    if _talon_fake is not None:

        def serve() -> str:
            # Conditional: the fake is served on a port only when the code under test reads base_url.
            url: str = request.getfixturevalue("talon_server")
            return url

        return TalonEndpoint(serve, _talon_fake.api_key)
    assert _talon_traffic is not None  # outside the fake's modes
    return _talon_traffic.endpoint


@pytest.fixture
def talon_sdk(talon_endpoint: TalonEndpoint) -> Iterator[Any]:
    """The official SDK's ``talon_one.IntegrationApi`` for the test's endpoint (skipped without the SDK)."""
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
def talon_requests(_talon_fake: FakeTalon | None, _talon_traffic: _Traffic | None) -> TalonRequests:
    """The test's exchanges with Talon.One in every mode, from any HTTP client (oldest first)."""
    if _talon_fake is not None:
        fake = _talon_fake
        return TalonRequests(lambda: fake.requests)
    from pytest_talon._cassettes.exchanges import cassette_requests

    assert _talon_traffic is not None  # outside the fake's modes the test's traffic is a cassette
    cassette = _talon_traffic.cassette
    return TalonRequests(lambda: cassette_requests(cassette))


@pytest.fixture
def talon_client(_talon_fake: FakeTalon | None, _talon_traffic: _Traffic | None) -> Iterator[TalonClient]:
    """A :class:`~pytest_talon.TalonClient` wired for the mode: the test's fake, its cassette, or the deployment."""
    from pytest_talon.client import TalonClient

    if _talon_fake is not None:
        with _talon_fake.client() as client:
            yield client
        return
    assert _talon_traffic is not None  # outside the fake's modes
    remote = _talon_traffic.endpoint
    with TalonClient(remote.base_url, remote.api_key) as client:
        yield client


@pytest.fixture
def async_talon_client(_talon_fake: FakeTalon | None, _talon_traffic: _Traffic | None) -> Iterator[AsyncTalonClient]:
    """The async twin of ``talon_client``, a plain fixture (pytest-asyncio and anyio alike), closed at teardown."""
    from pytest_talon._plugin.endpoint import close_async_client, remote_async_client

    if _talon_fake is not None:
        client = _talon_fake.async_client()
    else:
        assert _talon_traffic is not None  # outside the fake's modes
        remote = _talon_traffic.endpoint
        client = remote_async_client(remote.base_url, remote.api_key)
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
    if (
        not report.operations
        and not report.cassettes_replayed
        and not report.cassettes_recorded
        and not report.verify.fake_only
    ):
        return
    terminalreporter.write_sep("-", "talon")
    for line in report.lines():
        terminalreporter.write_line(line)
