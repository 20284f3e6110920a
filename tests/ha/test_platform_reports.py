"""The conftest's detector fails a test when Home Assistant reports us (deprecation, threads).

Home Assistant's own reporting helper (`frame.report_usage`) makes the reports here, exactly as it
does for a deprecated parameter or an event-loop call from another thread; an inner pytest session
shows that a test which triggers one fails, and that a clean one passes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

REPO = Path(__file__).resolve().parents[2]
INNER_INI = "[pytest]\nasyncio_mode = auto\nasyncio_default_fixture_loop_scope = function\n"

INNER_TESTS = """
import logging

from homeassistant.helpers.frame import ReportBehavior, report_usage
from homeassistant.loader import async_get_integration

DOMAIN = "heat_pump_zoning"


async def test_deprecated_call(hass):
    await async_get_integration(hass, DOMAIN)
    report_usage(
        "calls `device_registry.async_get_or_create` with a deprecated `via_device` parameter",
        breaks_in_ha_version="2027.8.0",
        integration_domain=DOMAIN,
    )


async def test_call_from_another_thread(hass):
    await async_get_integration(hass, DOMAIN)
    def in_a_thread():
        # What Home Assistant reports when code touches the event loop from a worker thread.
        report_usage(
            "calls hass.async_create_task from a thread other than the event loop, which may "
            "cause Home Assistant to crash or data to corrupt",
            custom_integration_behavior=ReportBehavior.LOG,
            integration_domain=DOMAIN,
        )

    await hass.async_add_executor_job(in_a_thread)


async def test_clean(hass):
    # Reports about other integrations are not ours to fail on.
    logging.getLogger("homeassistant.helpers.frame").warning(
        "Detected that integration 'hue' calls something deprecated"
    )
"""


IMPORT_TIME_REPORT = """
import logging

# What Home Assistant 2026.11 logs when an entity class is created with a deprecated member
# (homeassistant.helpers.deprecation.migrate_deprecated_entity_members): at import, outside tests.
logging.getLogger("custom_components.heat_pump_zoning.climate").warning(
    "custom_components.heat_pump_zoning.climate::ZoneClimate provides the deprecated "
    "current_temperature, this will stop working in Home Assistant 2027.11, use "
    "native_current_temperature instead, please report it to the author of the "
    "'heat_pump_zoning' custom integration"
)


async def test_first(hass):
    pass


async def test_second(hass):
    pass
"""


def test_detector_fails_tests_that_home_assistant_reports(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both reported tests fail with the detector's message; the clean one passes."""
    monkeypatch.setenv("PYTHONPATH", str(REPO))
    pytester.makeconftest("from tests.conftest import *  # noqa: F403\n")
    pytester.makepyfile(test_inner=INNER_TESTS)
    pytester.makeini(INNER_INI)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:xdist", "-q")
    result.assert_outcomes(passed=3, errors=2)
    output = result.stdout.str()
    # One report per failed test, as the first line of its error (the short summary repeats it
    # or not, depending on the terminal's width).
    reports = [
        line
        for line in output.splitlines()
        if line.startswith("Home Assistant reported a deprecation or thread-safety violation")
    ]
    assert len(reports) == 2
    assert "deprecated `via_device` parameter" in output
    assert "from a thread other than the event loop" in output
    assert "ERROR at teardown of test_clean" not in output


def test_detector_fails_the_first_test_after_an_import_time_report(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A report made while tests are collected fails the first test, once."""
    monkeypatch.setenv("PYTHONPATH", str(REPO))
    pytester.makeconftest("from tests.conftest import *  # noqa: F403\n")
    pytester.makepyfile(test_import_time=IMPORT_TIME_REPORT)
    pytester.makeini(INNER_INI)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:xdist", "-q")
    result.assert_outcomes(passed=2, errors=1)
    assert "ERROR at teardown of test_first" in result.stdout.str()
    assert "provides the deprecated current_temperature" in result.stdout.str()
