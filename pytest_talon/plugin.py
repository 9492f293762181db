"""The pytest plugin, loaded with ``pytest -p talon``: options, markers, fixtures and the run summary.

Logic lives in the library modules (:mod:`pytest_talon._settings`, :mod:`pytest_talon._report`, the fake, the
cassettes, the factories); this module only wires them into pytest.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from pytest_talon._report import Report
from pytest_talon._settings import REPLAY_BASE_URL, Settings, add_options, resolve_settings

if TYPE_CHECKING:
    import faker
    import respx
    from syrupy.assertion import SnapshotAssertion

    from pytest_talon.cassettes import CassetteConfig, TalonCassette
    from pytest_talon.client import AsyncTalonClient, TalonClient
    from pytest_talon.fake import FakeTalon

__all__ = [
    "async_talon_client",
    "talon_cassette",
    "talon_cassette_config",
    "talon_client",
    "talon_endpoint",
    "talon_fake",
    "talon_faker",
    "talon_mock",
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
    from pytest_talon.assertions import set_verbosity  # after register_assert_rewrite above

    # -vv makes the assertion helpers print every effect instead of a truncated table.
    config.stash[VERBOSITY_KEY] = set_verbosity(config.get_verbosity())


def pytest_unconfigure(config: pytest.Config) -> None:
    """Restore the assertion helpers' verbosity (matters when pytest runs in-process, as in pytester)."""
    if VERBOSITY_KEY in config.stash:
        from pytest_talon.assertions import set_verbosity

        set_verbosity(config.stash[VERBOSITY_KEY])


def pytest_report_header(config: pytest.Config) -> str:
    """Show the mode and the seed, so a failing run can be repeated with ``--talon-seed``."""
    settings = config.stash[SETTINGS_KEY]
    where = f", base URL {settings.base_url}" if settings.uses_network else ""
    return f"talon: mode={settings.mode}, seed={settings.seed} (repeat with --talon-seed={settings.seed}){where}"


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Skip ``talon_fake_only`` tests outside fake mode and check marker arguments."""
    settings = item.config.stash[SETTINGS_KEY]
    for marker in item.iter_markers("talon_cassette"):
        if len(marker.args) != 1 or not isinstance(marker.args[0], str) or not marker.args[0] or marker.kwargs:
            raise pytest.UsageError(
                f"{item.nodeid}: use @pytest.mark.talon_cassette('name') with exactly one non-empty string"
            )
    if item.get_closest_marker("talon_fake_only") and settings.mode != "fake":
        pytest.skip(f"talon_fake_only: needs --talon-mode=fake (this run uses {settings.mode})")


@pytest.fixture(scope="session")
def talon_settings(pytestconfig: pytest.Config) -> Settings:
    """The run's resolved pytest-talon settings (mode, seed, base URL, cassette directory...)."""
    return pytestconfig.stash[SETTINGS_KEY]


@pytest.fixture(autouse=True)
def _talon_seed(request: pytest.FixtureRequest, talon_settings: Settings) -> Iterator[None]:
    """Give every test its own factory seed, derived from --talon-seed and the test id."""
    from pytest_talon.factories import derive_seed, use_seed

    with use_seed(derive_seed(talon_settings.seed, request.node.nodeid)):
        yield


@pytest.fixture
def talon_faker() -> faker.Faker:
    """The test's seeded Faker (with the Talon.One provider), the same one the factories use."""
    from pytest_talon.factories import current_faker

    return current_faker()


def _fake_only(settings: Settings, fixture: str) -> None:
    if settings.mode != "fake":
        pytest.skip(f"{fixture} configures the fake Talon.One: only available with --talon-mode=fake")


@pytest.fixture
def talon_fake(request: pytest.FixtureRequest, talon_settings: Settings) -> Iterator[FakeTalon]:
    """A fresh, empty fake Talon.One for this test, preloaded from the ``talon_campaigns`` ini file if set."""
    _fake_only(talon_settings, "talon_fake")
    from pytest_talon.fake import FakeTalon

    fake = FakeTalon()
    if talon_settings.campaigns is not None:
        fake.load_campaigns(talon_settings.campaigns)
    yield fake
    report = request.config.stash[REPORT_KEY]
    for exchange in fake.requests:
        report.add_exchange(exchange.operation_id, exchange.effect_types)


@pytest.fixture
def talon_server(talon_fake: FakeTalon) -> Iterator[str]:
    """The test's fake served on a loopback port: yields its base URL, for any HTTP client or language."""
    with talon_fake.serve() as base_url:
        yield base_url


@pytest.fixture
def talon_mock(talon_fake: FakeTalon) -> Iterator[respx.MockRouter]:
    """respx interception: any httpx client the code under test builds, aimed at ``talon_fake.base_url``,
    reaches the fake."""
    with talon_fake.mock() as router:
        yield router


@pytest.fixture
def talon_cassette_config(request: pytest.FixtureRequest, talon_settings: Settings) -> CassetteConfig:
    """Override point: the cassette settings (directory, matching, scrubbing, label) of replay and record modes."""
    from pytest_talon.cassettes import DEFAULT_LABEL, FAKE_LABEL, CassetteConfig

    record_mode = {"replay": "none", "record": talon_settings.record_mode}.get(talon_settings.mode, "none")
    host = httpx.URL(talon_settings.base_url or REPLAY_BASE_URL).host
    label = FAKE_LABEL if host in {"127.0.0.1", "localhost", "::1"} else DEFAULT_LABEL
    return CassetteConfig(
        cassette_dir=talon_settings.cassette_dir or Path(str(request.node.path)).parent / "cassettes",
        record_mode=record_mode,  # type: ignore[arg-type]
        api_key=talon_settings.api_key,
        label=label,
    )


def _cassette_file(request: pytest.FixtureRequest, config: CassetteConfig) -> Path:
    from pytest_talon.cassettes import cassette_path

    marker = request.node.get_closest_marker("talon_cassette")
    name = marker.args[0] if marker else request.node.name
    module = Path(str(request.node.path)).stem
    return cassette_path(config.cassette_dir, module, name)


@pytest.fixture
def talon_cassette(
    request: pytest.FixtureRequest, talon_settings: Settings, talon_cassette_config: CassetteConfig
) -> Iterator[TalonCassette | None]:
    """The test's cassette in replay and record modes (None in fake and live modes): httpx traffic inside the
    test is answered from it (replay) or written to it (record)."""
    if talon_settings.mode not in {"replay", "record"}:
        yield None
        return
    from pytest_talon.cassettes import use_cassette

    report = request.config.stash[REPORT_KEY]
    with use_cassette(_cassette_file(request, talon_cassette_config), talon_cassette_config) as cassette:
        yield cassette
    report.add_cassette(cassette)
    if cassette.recorded_count:
        report.cassettes_recorded += 1
    elif cassette.played_count:
        report.cassettes_replayed += 1


def _remote_target(settings: Settings) -> tuple[str, str]:
    if settings.mode == "replay":
        return settings.base_url or REPLAY_BASE_URL, settings.api_key or "replay-key"
    if settings.base_url is None or settings.api_key is None:  # pragma: no cover - resolve_settings checked it
        raise pytest.UsageError("TALON_BASE_URL and TALON_API_KEY must be set outside fake and replay modes")
    return settings.base_url, settings.api_key


def _counting_hook(request: pytest.FixtureRequest, settings: Settings) -> dict[str, list[Any]]:
    """Live mode only: replay and record count from the cassette, fake mode from the fake's log."""
    if settings.mode != "live":
        return {}
    report = request.config.stash[REPORT_KEY]

    def count(response: httpx.Response) -> None:
        response.read()
        report.add_response(response)

    return {"response": [count]}


@dataclass(frozen=True)
class TalonEndpoint:
    """Where code under test should send its Talon.One requests in this mode, and with which key."""

    base_url: str
    api_key: str


@pytest.fixture
def talon_endpoint(request: pytest.FixtureRequest, talon_settings: Settings) -> TalonEndpoint:
    """Base URL and API key for code under test that builds its own HTTP client. In fake mode its httpx
    requests reach the fake (``talon_mock`` is active); in replay/record mode the test's cassette is open."""
    if talon_settings.mode == "fake":
        fake: FakeTalon = request.getfixturevalue("talon_fake")
        request.getfixturevalue("talon_mock")
        return TalonEndpoint(fake.base_url, fake.api_key)
    request.getfixturevalue("talon_cassette")
    return TalonEndpoint(*_remote_target(talon_settings))


def _http_defaults() -> dict[str, Any]:
    """What the httpx clients the plugin injects are built with: the typed client's own timeout and User-Agent."""
    from pytest_talon.client._base import DEFAULT_TIMEOUT, USER_AGENT

    return {"timeout": DEFAULT_TIMEOUT, "headers": {"User-Agent": USER_AGENT}}


@pytest.fixture
def talon_client(request: pytest.FixtureRequest, talon_settings: Settings) -> Iterator[TalonClient]:
    """A :class:`~pytest_talon.TalonClient` wired for the mode: the test's fake, its cassette, or the deployment."""
    from pytest_talon.client import TalonClient

    if talon_settings.mode == "fake":
        fake: FakeTalon = request.getfixturevalue("talon_fake")
        with fake.client() as client:
            yield client
        return
    request.getfixturevalue("talon_cassette")
    base_url, api_key = _remote_target(talon_settings)
    with (
        httpx.Client(event_hooks=_counting_hook(request, talon_settings), **_http_defaults()) as http,
        TalonClient(base_url, api_key, http_client=http) as client,
    ):
        yield client


@pytest.fixture
def async_talon_client(request: pytest.FixtureRequest, talon_settings: Settings) -> AsyncTalonClient:
    """The async twin of ``talon_client``; a plain fixture, so it works under pytest-asyncio and anyio alike."""
    from pytest_talon.client import AsyncTalonClient

    if talon_settings.mode == "fake":
        fake: FakeTalon = request.getfixturevalue("talon_fake")
        return fake.async_client()
    request.getfixturevalue("talon_cassette")
    base_url, api_key = _remote_target(talon_settings)
    report = request.config.stash[REPORT_KEY]

    async def count(response: httpx.Response) -> None:
        await response.aread()
        report.add_response(response)

    hooks: dict[str, list[Any]] = {"response": [count]} if talon_settings.mode == "live" else {}
    return AsyncTalonClient(base_url, api_key, http_client=httpx.AsyncClient(event_hooks=hooks, **_http_defaults()))


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
