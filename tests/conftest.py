"""Shared fixtures for the Home Assistant tests of Heat Pump Zoning."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Generator
from datetime import datetime
import logging
import os
from pathlib import Path
import sys
from unittest.mock import AsyncMock, patch

from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util
from hypothesis import settings
import pytest
from pytest_homeassistant_custom_component.syrupy import HomeAssistantSnapshotExtension
from syrupy.assertion import SnapshotAssertion

# Import our package before the `hass` fixture starts: otherwise the test plugin's own
# `custom_components` package shadows ours and set-up fails with "Integration not found".
import custom_components.heat_pump_zoning  # noqa: F401

# The engine tests (and the benchmarks they run) import the engine as the top-level package
# `engine`, from the integration's folder, as the simulator's tools do (docs/ARCHITECTURE.md).
# Appended, so it shadows nothing installed.
INTEGRATION = Path(__file__).resolve().parent.parent / "custom_components" / "heat_pump_zoning"
if str(INTEGRATION) not in sys.path:
    sys.path.append(str(INTEGRATION))

# `scripts/test` (and so CI) runs hypothesis derandomized: the same examples every run, so a
# green run stays green and coverage does not depend on luck. Plain `pytest` explores randomly.
settings.register_profile("repeatable", derandomize=True, print_blob=True)
if os.environ.get("HPZ_REPEATABLE"):
    settings.load_profile("repeatable")


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let Home Assistant load integrations from `custom_components/`."""
    return


@pytest.fixture(autouse=True)
def fixed_midday(request: pytest.FixtureRequest) -> None:
    """A test that moves time starts at local midday on a fixed winter day, unless it says when.

    Otherwise it starts at the wall clock's time, and an hour or two moved after 22:00 crosses
    local midnight, where every "today" figure restarts: such tests passed by day and failed
    by night. A test that needs another moment moves there itself.
    """
    if request.node.get_closest_marker("freeze_time") is not None:
        return  # the test has chosen its moment
    if not {"hass", "freezer"} <= set(request.fixturenames):
        return
    request.getfixturevalue("hass")  # first: it sets the test's time zone
    freezer = request.getfixturevalue("freezer")
    freezer.move_to(datetime(2026, 1, 15, 12, 0, tzinfo=dt_util.get_default_time_zone()))


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Snapshots in Home Assistant's format and folder (`snapshots/` beside the test).

    The test plugin defines this fixture too, but from version 0.13.375 syrupy's own takes
    precedence over it; defined here, it is the same on both tested Home Assistant versions.
    """
    return snapshot.use_extension(HomeAssistantSnapshotExtension)


@pytest.fixture
def mock_setup_entry() -> Generator[AsyncMock]:
    """Keep config flow tests away from the runtime layer: set-up just succeeds."""
    with (
        patch("custom_components.heat_pump_zoning.async_setup_entry", return_value=True) as mock,
        patch("custom_components.heat_pump_zoning.async_unload_entry", return_value=True),
    ):
        yield mock


# What Home Assistant logs when it catches an integration using a deprecated API or touching the
# event loop from another thread (homeassistant.helpers.frame.report_usage, the deprecation
# helpers, Python's debug event loop). A record counts when it also names this integration.
_PLATFORM_REPORTS = (
    "detected that custom integration",
    "deprecated",
    "thread other than the event loop",
    "non-thread-safe operation",
)


class PlatformReports(logging.Handler):
    """Collects Home Assistant's deprecation and thread-safety reports about this integration."""

    def __init__(self) -> None:
        """Start with no reports."""
        super().__init__(logging.WARNING)
        self.reports: list[str] = []
        self._formatter = logging.Formatter("%(levelname)s %(name)s: %(message)s")

    def emit(self, record: logging.LogRecord) -> None:
        """Keep a record that names this integration and is such a report."""
        text = self._formatter.format(record)  # with the traceback, which may name our files
        lowered = text.lower()
        if "heat_pump_zoning" in lowered and any(key in lowered for key in _PLATFORM_REPORTS):
            self.reports.append(text)


# Installed at import, before the tests import the integration: a deprecated member of an entity
# class is reported when the class is created, which may be while the tests are collected.
_REPORTS = PlatformReports()
logging.getLogger().addHandler(_REPORTS)


@pytest.fixture(autouse=True)
def platform_reports() -> Generator[PlatformReports]:
    """Fail the test when Home Assistant reports a deprecation or thread-safety violation by us.

    Reports made before a test (at import or collection) fail the first test.
    """
    yield _REPORTS
    reports, _REPORTS.reports = _REPORTS.reports, []
    if reports:
        pytest.fail(
            "Home Assistant reported a deprecation or thread-safety violation by Heat Pump "
            "Zoning:\n" + "\n".join(reports),
            pytrace=False,
        )


@pytest.fixture
async def remove_schedules_at_end(hass: HomeAssistant) -> AsyncGenerator[None]:
    """Remove the `schedule` helpers when the test ends: each keeps a timer for its next event,
    and from Home Assistant 2026.10 the test plugin counts one still armed when Home Assistant
    stops as a lingering timer (theirs, not ours: ours are still checked)."""
    yield
    registry = er.async_get(hass)
    for state in hass.states.async_all("schedule"):
        if registry.async_get(state.entity_id) is not None:
            registry.async_remove(state.entity_id)
    await hass.async_block_till_done()
