"""The learned room model in Home Assistant: it learns from what the system books, is saved
with the ledger and restored after a restart, shows in diagnostics and as zone sensors, and a
damaged or missing model starts from its defaults without touching the ledger."""

from __future__ import annotations

from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er, issue_registry as ir
import pytest

from custom_components.heat_pump_zoning.const import DOMAIN
from custom_components.heat_pump_zoning.diagnostics import async_get_config_entry_diagnostics

from .fakes import set_temperature_sensor
from .helpers import (
    async_ducted_house,
    async_ducted_house_with_ducts,
    async_move_time,
    async_set_zone,
)

# A heating line learnt elsewhere: 3 K/h at 20 K below outdoors (bins of RateProfile.to_dict).
LEARNT = {
    "heat": {"12": [4.0, -20.0, 3.0, 20.0]},
    "cool": {},
    "resist": {"12": [10.0, -20.0, -0.6, 20.0], "15": [10.0, -12.0, -0.2, 20.0]},
}


async def model(hass: HomeAssistant, entry: Any) -> dict[str, Any]:
    diagnostics = await async_get_config_entry_diagnostics(hass, entry)
    room_model: dict[str, Any] = diagnostics["runtime"]["room_model"]
    return room_model


async def async_restart_with_model(
    hass: HomeAssistant, hass_storage: dict[str, Any], entry_id: str, rooms: Any
) -> None:
    """Unload the system, put `rooms` in its storage file as a model from an earlier run, and
    set it up again."""
    await hass.config_entries.async_unload(entry_id)
    await hass.async_block_till_done()
    hass_storage[f"{DOMAIN}.{entry_id}"] = storage_file(entry_id, rooms)
    assert await hass.config_entries.async_setup(entry_id)
    await hass.async_block_till_done()


def storage_file(entry_id: str, rooms: Any, *, minor: int = 2) -> dict[str, Any]:
    key = f"{DOMAIN}.{entry_id}"
    data: dict[str, Any] = {"memory": None, "ledger": {"schema": 2, "lifetime": {"kwh": 3.5}}}
    if rooms is not None:
        data["rooms"] = rooms
    return {"version": 2, "minor_version": minor, "key": key, "data": data}


async def test_learns_a_recovery_and_keeps_it_across_a_restart(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_storage: dict[str, Any]
) -> None:
    """Living heats from 18 to 22 °C at 3 K/h with 0 °C outdoors: once the call ends, its heat
    line rests on that stretch (learned, over its defaults); the saved file carries it and a
    reload reads it back."""
    house = await async_ducted_house_with_ducts(hass)
    entry_id = house.entry.entry_id
    living = next(sid for sid, sub in house.entry.subentries.items() if sub.title == "Living")
    before = await model(hass, house.entry)
    assert before["zones"][living]["heat"]["basis"] == "default"
    for entity_id in ("climate.living", "climate.bedroom", "climate.office"):
        await async_set_zone(hass, entity_id, hvac_mode="heat", temperature=20.0)
    set_temperature_sensor(hass, "sensor.living_temperature", 18.0)
    await async_set_zone(hass, "climate.living", temperature=22.0)
    await async_move_time(hass, freezer, 300)  # the minimum off time: the unit starts
    temperature = 18.0
    for _minute in range(85):
        temperature = round(temperature + 0.05, 2)
        set_temperature_sensor(hass, "sensor.living_temperature", temperature)
        await async_move_time(hass, freezer, 60, step=60)
    heat = (await model(hass, house.entry))["zones"][living]["heat"]
    assert heat["basis"] == "learned"
    assert heat["hours"] >= 1.0
    # 3 K/h measured, blended with the 1 K/h default by one hour of weight.
    assert 1.8 < heat["intercept_k_h"] + heat["slope_per_h"] * (0.0 - 20.0) < 3.0
    await async_move_time(hass, freezer, 61)
    saved = hass_storage[f"{DOMAIN}.{entry_id}"]
    assert saved["minor_version"] == 2
    assert saved["data"]["rooms"]["zones"][living]["heat"]
    await hass.config_entries.async_reload(entry_id)
    await hass.async_block_till_done()
    again = (await model(hass, house.entry))["zones"][living]["heat"]
    assert again["hours"] == pytest.approx(heat["hours"], abs=0.01)
    assert again["intercept_k_h"] == pytest.approx(heat["intercept_k_h"], abs=0.01)


async def test_a_stored_model_shows_in_sensors_and_diagnostics(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_storage: dict[str, Any]
) -> None:
    """A model from an earlier run: the balance point sensor shows it, the rate sensors (off by
    default) give the rates at the room's and the outdoor temperature, and say what they rest on."""
    house = await async_ducted_house_with_ducts(hass)
    entry_id = house.entry.entry_id
    living = next(sid for sid, sub in house.entry.subentries.items() if sub.title == "Living")
    registry = er.async_get(hass)
    heat_rate = registry.async_get("sensor.living_heating_rate")
    assert heat_rate is not None and heat_rate.disabled_by is er.RegistryEntryDisabler.INTEGRATION
    registry.async_update_entity("sensor.living_heating_rate", disabled_by=None)
    await async_restart_with_model(
        hass, hass_storage, entry_id, {"schema": 1, "zones": {living: LEARNT}}
    )
    for entity_id in ("climate.living", "climate.bedroom", "climate.office"):
        await async_set_zone(hass, entity_id, hvac_mode="heat", temperature=20.0)
    await async_move_time(hass, freezer, 120)
    diagnostics = await model(hass, house.entry)
    assert diagnostics["zones"][living]["heat"]["basis"] == "learned"
    assert diagnostics["zones"][living]["heat"]["hours"] == 4.0
    point = hass.states.get("sensor.living_balance_point")
    assert point is not None
    # Drift -0.6 K/h at -20 K and -0.2 at -12 K: a line that crosses zero at -8 K (12 °C
    # outdoors for the room's 20 °C), its slope pulled a little towards the 0.05/h prior and
    # blended with the default by 1 h in 21: 0.381 + 0.05 x = 0 at x = -7.6 K.
    assert float(point.state) == pytest.approx(12.4, abs=0.1)
    assert point.attributes["basis"] == "learned"
    rate = hass.states.get("sensor.living_heating_rate")
    assert rate is not None
    assert rate.attributes["unit_of_measurement"] == "°C/h"
    assert float(rate.state) > 2.0  # the learnt line at 0 °C outdoors, 20 °C in the room
    office = hass.states.get("sensor.office_balance_point")
    assert office is not None and office.state == "unknown"
    assert office.attributes["basis"] == "default"


@pytest.mark.parametrize(
    "rooms",
    [None, "garbage", {"schema": 99}, {"schema": 1, "zones": {"x": {"heat": {"1": "y"}}}}],
)
async def test_a_missing_or_damaged_model_starts_from_its_defaults(
    hass: HomeAssistant, hass_storage: dict[str, Any], rooms: Any
) -> None:
    """A file of version 2.1 (no model) or a damaged model: defaults, flagged; the ledger and
    everything else are read as they are, and no repair is raised."""
    house = await async_ducted_house(hass, setup=False)
    entry_id = house.entry.entry_id
    hass_storage[f"{DOMAIN}.{entry_id}"] = storage_file(
        entry_id, rooms, minor=1 if rooms is None else 2
    )
    assert await hass.config_entries.async_setup(entry_id)
    await hass.async_block_till_done()
    room_model = await model(hass, house.entry)
    assert all(
        zone[mode]["basis"] == "default" and zone[mode]["hours"] == 0
        for zone in room_model["zones"].values()
        for mode in ("heat", "cool", "resist")
    )
    state = hass.states.get("sensor.main_floor_energy")
    assert state is not None and float(state.state) == 3.5
    assert not ir.async_get(hass).issues
