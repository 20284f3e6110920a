"""The config entry read into the engine's terms, and the engine benchmark reading it alike."""

from __future__ import annotations

from dataclasses import asdict, replace
from typing import Any

from homeassistant.config_entries import ConfigSubentryData
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from benchmarks.engine_control import configured
from custom_components.heat_pump_zoning.const import DOMAIN
from custom_components.heat_pump_zoning.engine import SystemConfig, Topology, ZoneConfig
from custom_components.heat_pump_zoning.entry_config import build_config, build_zones
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
