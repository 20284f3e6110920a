"""The ledger in Home Assistant: saved within a minute, on unload and on the final write,
restored on start, and a damaged file starts a new ledger with a repair issue."""

from __future__ import annotations

from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import EVENT_HOMEASSISTANT_FINAL_WRITE
from homeassistant.core import CoreState, HomeAssistant
from homeassistant.helpers import issue_registry as ir
import pytest

from custom_components.heat_pump_zoning.const import DOMAIN
from custom_components.heat_pump_zoning.diagnostics import async_get_config_entry_diagnostics

from .helpers import async_ducted_house, async_move_time, async_set_zone


def stored(hass_storage: dict[str, Any], entry_id: str) -> dict[str, Any]:
    """The data of an entry's storage file."""
    data: dict[str, Any] = hass_storage[f"{DOMAIN}.{entry_id}"]["data"]
    return data


def number(hass: HomeAssistant, entity_id: str) -> float:
    """A sensor's numeric state."""
    state = hass.states.get(entity_id)
    assert state is not None
    return float(state.state)


async def heat_living(hass: HomeAssistant, freezer: FrozenDateTimeFactory, minutes: float) -> None:
    """Living calls heat; the unit runs `minutes` after its 5-minute minimum off time."""
    for entity_id in ("climate.living", "climate.bedroom", "climate.office"):
        await async_set_zone(hass, entity_id, hvac_mode="heat", temperature=20.0)
    await async_set_zone(hass, "climate.living", temperature=22.0)
    await async_move_time(hass, freezer, 300 + 60 * minutes)


async def test_ledger_saved_within_a_minute(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_storage: dict[str, Any]
) -> None:
    """What ran is in the storage file at most a minute later, next to the controller memory."""
    house = await async_ducted_house(hass)
    await heat_living(hass, freezer, 10)
    await async_move_time(hass, freezer, 61)
    data = stored(hass_storage, house.entry.entry_id)
    assert "memory" in data
    ledger = data["ledger"]
    assert ledger["schema"] == 2
    assert ledger["lifetime"]["runtime_s"] >= 10 * 60
    assert ledger["last"]["sample"]["running"] is True


async def test_energy_never_drops_across_reload(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_storage: dict[str, Any]
) -> None:
    """Reloading the entry restores the ledger: lifetime energy and today's runtime continue."""
    house = await async_ducted_house(hass)
    await heat_living(hass, freezer, 20)
    energy = number(hass, "sensor.living_energy")
    runtime = number(hass, "sensor.living_runtime_today")
    assert energy > 0
    await hass.config_entries.async_reload(house.entry.entry_id)
    await hass.async_block_till_done()
    assert number(hass, "sensor.living_energy") >= energy
    assert number(hass, "sensor.living_runtime_today") >= runtime
    assert stored(hass_storage, house.entry.entry_id)["ledger"]["lifetime"]["kwh"] >= energy
    await async_move_time(hass, freezer, 120)
    assert number(hass, "sensor.living_energy") > energy


async def test_ledger_restored_from_storage(
    hass: HomeAssistant, hass_storage: dict[str, Any]
) -> None:
    """A ledger written by an earlier run is read back: its lifetime energy shows at once."""
    house = await async_ducted_house(hass, setup=False)
    zone_id = next(sid for sid, sub in house.entry.subentries.items() if sub.title == "Office")
    hass_storage[f"{DOMAIN}.{house.entry.entry_id}"] = {
        "version": 1,
        "minor_version": 1,
        "key": f"{DOMAIN}.{house.entry.entry_id}",
        "data": {
            "memory": None,
            "ledger": {
                "schema": 1,
                "lifetime": {"kwh": 12.5, "runtime_s": 7200.0, "cycles": 3},
                "zone_lifetime": {zone_id: {"kwh": 4.25, "runtime_s": 3600.0}},
            },
        },
    }
    assert await hass.config_entries.async_setup(house.entry.entry_id)
    await hass.async_block_till_done()
    assert number(hass, "sensor.main_floor_energy") == 12.5
    assert number(hass, "sensor.office_energy") == 4.25
    assert number(hass, "sensor.living_energy") == 0


@pytest.mark.parametrize(
    "ledger",
    [
        "garbage",
        {"schema": "one"},
        {"schema": 1, "lifetime": {"kwh": -5}},
        {"schema": 1, "days": {"not a date": {}}},
    ],
)
async def test_damaged_ledger_starts_fresh_with_repair(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    caplog: pytest.LogCaptureFixture,
    ledger: Any,
) -> None:
    """Unreadable ledger data: a new ledger, a warning and a repair issue; control carries on."""
    house = await async_ducted_house(hass, setup=False)
    key = f"{DOMAIN}.{house.entry.entry_id}"
    hass_storage[key] = {
        "version": 1,
        "minor_version": 1,
        "key": key,
        "data": {"memory": None, "ledger": ledger},
    }
    assert await hass.config_entries.async_setup(house.entry.entry_id)
    await hass.async_block_till_done()
    assert "cannot be read" in caplog.text
    issue = ir.async_get(hass).async_get_issue(DOMAIN, f"ledger_reset_{house.entry.entry_id}")
    assert issue is not None
    assert issue.translation_key == "ledger_reset"
    assert issue.translation_placeholders == {"system": "Main floor"}
    assert number(hass, "sensor.main_floor_energy") == 0
    assert hass.states.get("climate.living") is not None


async def test_final_write_saves_the_last_minute(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_storage: dict[str, Any]
) -> None:
    """On Home Assistant's final write the ledger is booked up to now and written."""
    house = await async_ducted_house(hass)
    await heat_living(hass, freezer, 10)
    await async_move_time(hass, freezer, 61)
    saved = stored(hass_storage, house.entry.entry_id)["ledger"]["lifetime"]["runtime_s"]
    await async_move_time(hass, freezer, 40, step=40)
    hass.set_state(CoreState.final_write)
    hass.bus.async_fire(EVENT_HOMEASSISTANT_FINAL_WRITE)
    await hass.async_block_till_done()
    hass.set_state(CoreState.running)
    data = stored(hass_storage, house.entry.entry_id)
    assert data["ledger"]["lifetime"]["runtime_s"] >= saved + 40


async def test_diagnostics_include_ledger_summary(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Diagnostics show days kept, settings and lifetime counters of the ledger."""
    house = await async_ducted_house(hass, options={"retention_days": 90, "degree_day_base": 16})
    await heat_living(hass, freezer, 5)
    diagnostics = await async_get_config_entry_diagnostics(hass, house.entry)
    ledger = diagnostics["runtime"]["ledger"]
    assert ledger["days_kept"] >= 1
    assert ledger["retention_days"] == 90
    assert ledger["degree_day_base"] == 16
    assert ledger["lifetime"]["runtime_s"] == pytest.approx(300, abs=60)
    assert set(ledger["zone_lifetime"]) == set(house.entry.subentries)
