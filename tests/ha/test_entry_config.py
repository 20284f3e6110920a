"""The config entry read into the engine's terms (the engine benchmark reads it alike), and
reading the entities it names."""

from __future__ import annotations

from dataclasses import asdict, replace
from datetime import date
from typing import Any

from homeassistant.config_entries import ConfigSubentryData
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from benchmarks.engine_control import configured
from custom_components.heat_pump_zoning.const import DOMAIN
from custom_components.heat_pump_zoning.diagnostics import jsonable
from custom_components.heat_pump_zoning.engine import (
    SystemConfig,
    Topology,
    ZoneConfig,
    in_quiet_hours,
)
from custom_components.heat_pump_zoning.entry_config import build_config, build_zones, quiet_window
from custom_components.heat_pump_zoning.readings import SystemReader
from sim import build_demo_house
from sim.ha.demo import demo_systems


def entry(setup: Any) -> MockConfigEntry:
    return MockConfigEntry(
        domain=DOMAIN,
        title=setup.title,
        data=setup.data,
        options=setup.options,
        subentries_data=[
            ConfigSubentryData(data=z.data, subentry_type="zone", title=z.title, unique_id=None)
            for z in setup.zones
        ],
    )


def settings(config: Any) -> dict[str, Any]:
    """Everything but the zones (their ids differ: subentry ids, the simulator's room ids)."""
    values = asdict(config)
    values.pop("zones")
    values["topology"] = str(values["topology"])
    return values


@pytest.mark.parametrize("options", [{}, {"tolerance": 0.3, "mode_dwell_minutes": 10}])
def test_the_engine_benchmark_configures_its_controllers_as_the_integration(
    options: dict[str, Any],
) -> None:
    """`bench_control --engine` must measure the controller the demo's entries configure."""
    house = build_demo_house()
    for setup in demo_systems(house, **options):
        topology = setup.data["topology"]
        ours = build_config(entry(setup), build_zones(entry(setup)), "°C")
        bench_zones = (ZoneConfig("x", "X"),)
        source = setup.options.get("source")
        bench = configured(
            SystemConfig(Topology(topology), bench_zones, source=source),
            dict(setup.options),
            None,
        )
        assert settings(bench) == settings(replace(ours, zones=()))


def test_only_zone_subentries_are_zones() -> None:
    """A subentry of another type (a later version's, say) is not a zone."""
    config = MockConfigEntry(
        domain=DOMAIN,
        data={"topology": "mini_split"},
        subentries_data=[
            ConfigSubentryData(
                data={"name": "Den", "head": "climate.den"},
                subentry_type="zone",
                title="Den",
                unique_id=None,
            ),
            ConfigSubentryData(data={}, subentry_type="schedule", title="Night", unique_id=None),
        ],
    )
    assert [zone.config.name for zone in build_zones(config).values()] == ["Den"]


async def test_outdoor_temperature_from_a_weather_entity(hass: HomeAssistant) -> None:
    """A weather entity's temperature, in its own unit, is read in the system's."""
    hass.states.async_set("weather.home", "sunny", {"temperature": 50.0, "temperature_unit": "°F"})
    config = MockConfigEntry(
        domain=DOMAIN,
        data={"topology": "mini_split"},
        options={"outdoor_temperature_sensor": "weather.home"},
    )
    zones = build_zones(config)
    reader = SystemReader(hass, config, build_config(config, zones, "°C"), zones, "°C")
    assert reader.outdoor_temperature() == pytest.approx(10.0)
    hass.states.async_set("weather.home", "sunny", {"temperature": 10.0})  # no unit: the system's
    assert reader.outdoor_temperature() == pytest.approx(10.0)


def test_diagnostics_show_anything_else_as_text() -> None:
    """Values diagnostics do not know (a date, say) are shown as text."""
    assert jsonable({"day": date(2026, 1, 15), "modes": ("heat",)}) == {
        "day": "2026-01-15",
        "modes": ["heat"],
    }


@pytest.mark.parametrize(
    ("start", "end", "window"),
    [
        ("22:00:00", "07:00:00", (1320, 420)),
        ("13:15", "14:45:59", (795, 885)),
        ("22:00:00", "22:00:40", None),  # the same minute: empty
        ("22:00:00", None, None),
        ("25:00:00", "07:00:00", None),
        (2200, "07:00:00", None),
    ],
)
def test_quiet_window_from_stored_times(
    start: Any, end: Any, window: tuple[int, int] | None
) -> None:
    assert quiet_window(start, end) == window


def test_in_quiet_hours_passes_midnight_and_excludes_the_end() -> None:
    night = (22 * 60, 7 * 60)
    assert [in_quiet_hours(night, m) for m in (21 * 60 + 59, 22 * 60, 0, 6 * 60 + 59, 7 * 60)] == [
        False,
        True,
        True,
        True,
        False,
    ]
    noon = (12 * 60, 13 * 60)
    assert [in_quiet_hours(noon, m) for m in (719, 720, 779, 780)] == [False, True, True, False]
    assert not in_quiet_hours(None, 0)
