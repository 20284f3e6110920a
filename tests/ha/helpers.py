"""Building blocks for the integration tests: a ducted house and a mini-split house."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigSubentryData
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed

from custom_components.heat_pump_zoning.const import DOMAIN

from .fakes import FakeClimate, FakeDampers, async_setup_fake_climates, set_temperature_sensor


def zone(title: str, **data: Any) -> ConfigSubentryData:
    """A zone subentry."""
    return ConfigSubentryData(
        data={"name": title, **data}, subentry_type="zone", title=title, unique_id=None
    )


@dataclass
class DuctedHouse:
    """Three rooms on one central unit: living (cover), bedroom (cover), office (switch)."""

    entry: MockConfigEntry
    source: FakeClimate
    dampers: FakeDampers


async def async_ducted_house(
    hass: HomeAssistant,
    *,
    options: dict[str, Any] | None = None,
    setup: bool = True,
    zone_data: dict[str, Any] | None = None,
) -> DuctedHouse:
    """Fake devices, a configured system, set up (zones off until a test turns them on).

    ``zone_data`` is added to every zone's data (e.g. a floor area).
    """
    extra = zone_data or {}
    source = FakeClimate("central", current=20.0, target=20.0)
    await async_setup_fake_climates(hass, source)
    dampers = FakeDampers(hass)
    dampers.add("cover.living_damper", position=100)
    dampers.add("cover.bedroom_damper", position=100)
    dampers.add("switch.office_damper", position=100)
    set_temperature_sensor(hass, "sensor.living_temperature", 20.0)
    set_temperature_sensor(hass, "sensor.bedroom_temperature", 20.0)
    set_temperature_sensor(hass, "sensor.office_temperature", 20.0)
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Main floor",
        data={"topology": "ducted"},
        options={
            "source": "climate.central",
            "min_airflow_percent": 40,
            "min_run_minutes": 5,
            "min_off_minutes": 5,
            "tolerance": 0.3,
            **(options or {}),
        },
        subentries_data=[
            zone(
                "Living",
                temperature_sensor="sensor.living_temperature",
                dampers=["cover.living_damper"],
                airflow=200,
                priority=1,
                **extra,
            ),
            zone(
                "Bedroom",
                temperature_sensor="sensor.bedroom_temperature",
                dampers=["cover.bedroom_damper"],
                airflow=100,
                **extra,
            ),
            zone(
                "Office",
                temperature_sensor="sensor.office_temperature",
                dampers=["switch.office_damper"],
                airflow=100,
                **extra,
            ),
        ],
    )
    entry.add_to_hass(hass)
    if setup:
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
    return DuctedHouse(entry, source, dampers)


OUTDOOR_SENSOR = "sensor.outdoor"
DUCT_SPACE_SENSOR = "sensor.crawlspace"


async def async_ducted_house_with_ducts(
    hass: HomeAssistant,
    *,
    location: str = "crawlspace",
    duct_sensor: bool = True,
    zone_data: dict[str, Any] | None = None,
) -> DuctedHouse:
    """`async_ducted_house` with an outdoor sensor at 0 °C and ducts in ``location``.

    With ``duct_sensor``, a temperature sensor in the duct space (`DUCT_SPACE_SENSOR`, 5 °C).
    """
    set_temperature_sensor(hass, OUTDOOR_SENSOR, 0.0)
    set_temperature_sensor(hass, DUCT_SPACE_SENSOR, 5.0)
    options: dict[str, Any] = {
        "outdoor_temperature_sensor": OUTDOOR_SENSOR,
        "duct_location": location,
    }
    if duct_sensor:
        options["duct_temperature_sensor"] = DUCT_SPACE_SENSOR
    return await async_ducted_house(hass, options=options, zone_data=zone_data)


@dataclass
class MiniSplitHouse:
    """Two heads on one outdoor unit: bedroom 2 (room sensor) and study (head's own reading)."""

    entry: MockConfigEntry
    bedroom: FakeClimate
    study: FakeClimate


async def async_mini_split_house(
    hass: HomeAssistant,
    *,
    setup: bool = True,
    head_outputs: tuple[str, str] | None = None,
    fan_modes: tuple[str, ...] = (),
    zone_data: dict[str, Any] | None = None,
) -> MiniSplitHouse:
    """Fake heads, a configured mini-split system, set up.

    `head_outputs`: the head output sensors of bedroom 2 and study (their states are the test's);
    `fan_modes`: the fan modes both heads offer; `zone_data` is added to both zones' data.
    """
    bedroom = FakeClimate("bedroom_2_head", current=21.0, target=21.0, fan_modes=fan_modes)
    study = FakeClimate("study_head", current=20.0, target=21.0, fan_modes=fan_modes)
    outputs: tuple[dict[str, str], dict[str, str]] = ({}, {})
    if head_outputs:
        outputs = ({"head_output_sensor": head_outputs[0]}, {"head_output_sensor": head_outputs[1]})
    outputs = (outputs[0] | (zone_data or {}), outputs[1] | (zone_data or {}))
    await async_setup_fake_climates(hass, bedroom, study)
    set_temperature_sensor(hass, "sensor.bedroom_2_temperature", 19.0)
    hass.states.async_set(
        "sensor.bedroom_2_humidity", "45", {"device_class": "humidity", "unit_of_measurement": "%"}
    )
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Upstairs",
        data={"topology": "mini_split"},
        options={"min_run_minutes": 5, "min_off_minutes": 5, "tolerance": 0.3},
        subentries_data=[
            zone(
                "Bedroom 2",
                head="climate.bedroom_2_head",
                temperature_sensor="sensor.bedroom_2_temperature",
                humidity_sensor="sensor.bedroom_2_humidity",
                **outputs[0],
            ),
            zone("Study", head="climate.study_head", **outputs[1]),
        ],
    )
    entry.add_to_hass(hass)
    if setup:
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
    return MiniSplitHouse(entry, bedroom, study)


async def async_settle(hass: HomeAssistant) -> None:
    """`hass.async_block_till_done()`, tolerant of one known race in the test harness.

    Under heavy reload churn, Home Assistant 2026.2's `async_block_till_done` has been seen (once,
    in CI) iterating its task set while that set changed ("Set changed size during iteration").
    The wait is simply tried again; any other error propagates.
    """
    for attempt in range(3):
        try:
            await hass.async_block_till_done()
        except RuntimeError as err:
            if "changed size during iteration" not in str(err) or attempt == 2:
                raise
        else:
            return


async def async_move_time(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, seconds: float, step: float = 30.0
) -> None:
    """Move time forward in steps, firing timers as a running Home Assistant would."""
    remaining = seconds
    while remaining > 0:
        delta = min(step, remaining)
        freezer.tick(timedelta(seconds=delta))
        async_fire_time_changed(hass)
        await async_settle(hass)
        remaining -= delta


async def async_set_zone(hass: HomeAssistant, entity_id: str, **data: Any) -> None:
    """Call climate.set_temperature (or set_hvac_mode when only a mode is given) on a zone."""
    if set(data) == {"hvac_mode"}:
        await hass.services.async_call(
            "climate", "set_hvac_mode", {"entity_id": entity_id, **data}, blocking=True
        )
    else:
        await hass.services.async_call(
            "climate", "set_temperature", {"entity_id": entity_id, **data}, blocking=True
        )
    await hass.async_block_till_done()
