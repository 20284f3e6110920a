"""Ducted system end to end: dampers, central unit, protection timers, truthful actions."""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import EVENT_HOMEASSISTANT_STARTED
from homeassistant.core import CoreState, HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest

from custom_components.heat_pump_zoning.const import DOMAIN

from .fakes import set_temperature_sensor
from .helpers import async_ducted_house, async_move_time, async_set_zone

AIRFLOW = {"cover.living_damper": 200, "cover.bedroom_damper": 100, "switch.office_damper": 100}


def open_share(house) -> float:  # type: ignore[no-untyped-def]
    """Position-weighted open design airflow as a share of the total."""
    total = sum(AIRFLOW.values())
    return sum(AIRFLOW[d] * house.dampers.position(d) / 100 for d in AIRFLOW) / total


async def test_zones_become_devices_and_entities(hass: HomeAssistant) -> None:
    """Each zone has its own device and a climate entity under its subentry."""
    house = await async_ducted_house(hass)
    entities = er.async_entries_for_config_entry(er.async_get(hass), house.entry.entry_id)
    climates = sorted(e.entity_id for e in entities if e.domain == "climate")
    assert climates == ["climate.bedroom", "climate.living", "climate.office"]
    subentry_ids = set(house.entry.subentries)
    assert {e.config_subentry_id for e in entities if e.domain == "climate"} == subentry_ids
    devices = dr.async_entries_for_config_entry(dr.async_get(hass), house.entry.entry_id)
    names = sorted(d.name or "" for d in devices)
    assert names == ["Bedroom", "Living", "Main floor", "Office"]
    state = hass.states.get("climate.living")
    assert state is not None
    assert state.state == "off"
    assert state.attributes["hvac_action"] == "off"
    assert state.attributes["current_temperature"] == 20.0
    assert set(state.attributes["hvac_modes"]) == {"off", "heat", "cool", "heat_cool"}
    assert state.attributes["preset_modes"] == ["none", "home", "away", "sleep", "eco", "boost"]


async def test_heat_call_opens_damper_and_runs_source_after_min_off(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """A cold room calls; the unit waits out the minimum off time, then heats that room."""
    house = await async_ducted_house(hass)
    for entity_id in ("climate.living", "climate.bedroom", "climate.office"):
        await async_set_zone(hass, entity_id, hvac_mode="heat", temperature=20.0)
    await async_set_zone(hass, "climate.living", temperature=22.0)
    state = hass.states.get("climate.living")
    assert state is not None
    # Just started: the compressor is protected for the minimum off time.
    assert state.attributes["hvac_action"] == "idle"
    assert state.attributes["calling"] == "heat"
    assert state.attributes["waiting_reason"] == "min_off"
    assert house.source.hvac_mode == "off"

    await async_move_time(hass, freezer, 300)
    assert house.source.hvac_mode == "heat"
    assert house.source.target_temperature is not None
    assert house.source.target_temperature > 20.0
    assert house.dampers.position("cover.living_damper") == 100
    assert open_share(house) >= 0.4
    state = hass.states.get("climate.living")
    assert state is not None
    assert state.attributes["hvac_action"] == "heating"
    # Satisfied rooms don't claim to heat, even if relief air keeps their damper open.
    bedroom = hass.states.get("climate.bedroom")
    assert bedroom is not None
    assert bedroom.attributes["hvac_action"] == "idle"

    # The room warms; the unit keeps its minimum run, then stops.
    set_temperature_sensor(hass, "sensor.living_temperature", 22.2)
    await hass.async_block_till_done()
    await async_move_time(hass, freezer, 300)
    assert house.source.hvac_mode == "off"
    state = hass.states.get("climate.living")
    assert state is not None
    assert state.attributes["hvac_action"] == "idle"


async def test_minimum_airflow_holds_with_one_small_zone(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Only the small office calls: relief air keeps at least 40 % of design airflow open."""
    house = await async_ducted_house(hass)
    for entity_id in ("climate.living", "climate.bedroom"):
        await async_set_zone(hass, entity_id, hvac_mode="heat", temperature=19.0)
    await async_set_zone(hass, "climate.office", hvac_mode="heat", temperature=23.0)
    await async_move_time(hass, freezer, 330)
    assert house.source.hvac_mode == "heat"
    assert house.dampers.position("switch.office_damper") == 100
    assert open_share(house) >= 0.4


async def test_cooling_and_no_needless_commands(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Cooling works the same way, and a steady state sends no further commands."""
    house = await async_ducted_house(hass)
    for sensor in ("living", "bedroom", "office"):
        set_temperature_sensor(hass, f"sensor.{sensor}_temperature", 26.0)
    for entity_id in ("climate.living", "climate.bedroom", "climate.office"):
        await async_set_zone(hass, entity_id, hvac_mode="cool", temperature=24.0)
    await async_move_time(hass, freezer, 330)
    assert house.source.hvac_mode == "cool"
    for entity_id in ("climate.living", "climate.bedroom", "climate.office"):
        state = hass.states.get(entity_id)
        assert state is not None
        assert state.attributes["hvac_action"] == "cooling"
    calls = len(house.source.calls) + len(house.dampers.calls)
    await async_move_time(hass, freezer, 600)
    assert len(house.source.calls) + len(house.dampers.calls) == calls


async def test_opposite_calls_are_served_one_mode_at_a_time(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """One room wants heat, another cool: one mode is served, the other room waits idle."""
    house = await async_ducted_house(hass)
    set_temperature_sensor(hass, "sensor.bedroom_temperature", 26.0)
    await async_set_zone(hass, "climate.living", hvac_mode="heat", temperature=22.0)
    await async_set_zone(hass, "climate.bedroom", hvac_mode="cool", temperature=24.0)
    await async_move_time(hass, freezer, 330)
    assert house.source.hvac_mode in ("heat", "cool")
    served = "living" if house.source.hvac_mode == "heat" else "bedroom"
    waiting = "bedroom" if served == "living" else "living"
    served_state = hass.states.get(f"climate.{served}")
    waiting_state = hass.states.get(f"climate.{waiting}")
    assert served_state is not None
    assert waiting_state is not None
    assert served_state.attributes["hvac_action"] in ("heating", "cooling")
    assert waiting_state.attributes["hvac_action"] == "idle"
    assert waiting_state.attributes["waiting_reason"] in ("mode_conflict", "mode_dwell")


async def test_unavailable_sensor_makes_zone_unavailable_and_recovers(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, caplog: object
) -> None:
    """A dead room sensor: the zone is unavailable, logged once, and back when the sensor is."""
    await async_ducted_house(hass)
    await async_set_zone(hass, "climate.living", hvac_mode="heat", temperature=21.0)
    set_temperature_sensor(hass, "sensor.living_temperature", "unavailable")
    await hass.async_block_till_done()
    state = hass.states.get("climate.living")
    assert state is not None
    assert state.state == "unavailable"
    set_temperature_sensor(hass, "sensor.living_temperature", "garbage")
    await async_move_time(hass, freezer, 120)
    assert hass.states.get("climate.living").state == "unavailable"  # type: ignore[union-attr]
    set_temperature_sensor(hass, "sensor.living_temperature", 20.5)
    await hass.async_block_till_done()
    assert hass.states.get("climate.living").state == "heat"  # type: ignore[union-attr]
    text = caplog.text  # type: ignore[attr-defined]
    assert text.count("Zone Living is unavailable") == 1
    assert "Zone Living is available again" in text


async def test_zones_waiting_for_their_entities_at_start_log_nothing(
    hass: HomeAssistant, caplog: pytest.LogCaptureFixture
) -> None:
    """While Home Assistant starts, sensors appear after the zones: no unavailable/available
    pair per zone. A sensor still missing once Home Assistant has started is logged, once."""
    hass.set_state(CoreState.not_running)
    house = await async_ducted_house(hass, setup=False)
    set_temperature_sensor(hass, "sensor.living_temperature", "unavailable")
    set_temperature_sensor(hass, "sensor.bedroom_temperature", "unavailable")
    assert await hass.config_entries.async_setup(house.entry.entry_id)
    await hass.async_block_till_done()
    set_temperature_sensor(hass, "sensor.living_temperature", 20.5)  # arrives during start-up
    await hass.async_block_till_done()
    assert "Zone Living" not in caplog.text
    assert "Zone Bedroom" not in caplog.text
    hass.set_state(CoreState.running)
    hass.bus.async_fire(EVENT_HOMEASSISTANT_STARTED)
    await hass.async_block_till_done()
    assert "Zone Living" not in caplog.text
    assert caplog.text.count("Zone Bedroom is unavailable") == 1


async def test_source_unavailable_makes_every_zone_unavailable(hass: HomeAssistant) -> None:
    """Without the central unit no room can be served."""
    house = await async_ducted_house(hass)
    house.source._attr_available = False
    house.source.async_write_ha_state()
    await hass.async_block_till_done()
    for entity_id in ("climate.living", "climate.bedroom", "climate.office"):
        assert hass.states.get(entity_id).state == "unavailable"  # type: ignore[union-attr]


async def test_unload_and_diagnostics(hass: HomeAssistant) -> None:
    """Diagnostics describe the system; the entry unloads cleanly."""
    from custom_components.heat_pump_zoning.diagnostics import (
        async_get_config_entry_diagnostics,
    )

    house = await async_ducted_house(hass)
    await async_set_zone(hass, "climate.living", hvac_mode="heat", temperature=21.0)
    data = await async_get_config_entry_diagnostics(hass, house.entry)
    assert data["entry"]["data"] == {"topology": "ducted"}
    assert data["runtime"]["topology"] == "ducted"
    assert data["runtime"]["decision"]["zones"]
    assert await hass.config_entries.async_unload(house.entry.entry_id)
    await hass.async_block_till_done()
    assert hass.states.get("climate.living").state == "unavailable"  # type: ignore[union-attr]
    assert DOMAIN


@pytest.mark.parametrize(("dwell", "after"), [(2, "cool"), (20, "heat")])
async def test_mode_dwell_setting_decides_when_a_larger_opposite_demand_takes_over(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, dwell: int, after: str
) -> None:
    """`mode_dwell_minutes`: heat keeps running that long before a larger cool demand wins."""
    house = await async_ducted_house(
        hass, options={"mode_dwell_minutes": dwell, "min_run_minutes": 1, "min_off_minutes": 1}
    )
    await async_set_zone(hass, "climate.living", hvac_mode="heat", temperature=21.0)
    await async_move_time(hass, freezer, 120)
    assert house.source.hvac_mode == "heat"
    set_temperature_sensor(hass, "sensor.bedroom_temperature", 28.0)
    await async_set_zone(hass, "climate.bedroom", hvac_mode="cool", temperature=24.0)
    await async_move_time(hass, freezer, 300)
    assert house.source.hvac_mode == after
    if after == "heat":
        state = hass.states.get("climate.bedroom")
        assert state is not None
        assert state.attributes["waiting_reason"] == "mode_dwell"
