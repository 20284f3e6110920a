"""Set-up, zone changes, missing entities, persistence of the controller's memory."""

from __future__ import annotations

import threading
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigSubentry
from homeassistant.const import EVENT_HOMEASSISTANT_STARTED
from homeassistant.core import CoreState, HomeAssistant
from homeassistant.helpers import (
    area_registry as ar,
    device_registry as dr,
    entity_registry as er,
    issue_registry as ir,
)
import pytest
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.heat_pump_zoning.const import DOMAIN

from .fakes import set_temperature_sensor
from .helpers import async_ducted_house, async_move_time, async_set_zone


async def test_adding_and_removing_a_zone_reloads(hass: HomeAssistant) -> None:
    """A new zone appears with its device in its area; a removed zone leaves nothing behind."""
    house = await async_ducted_house(hass)
    area = ar.async_get(hass).async_get_or_create("Den")
    set_temperature_sensor(hass, "sensor.den_temperature", 21.0)
    house.dampers.add("cover.den_damper", position=100)
    subentry = ConfigSubentry(
        data={
            "name": "Den",
            "temperature_sensor": "sensor.den_temperature",
            "dampers": ["cover.den_damper"],
            "airflow": 80,
            "area": area.id,
        },
        subentry_type="zone",
        title="Den",
        unique_id=None,
    )
    hass.config_entries.async_add_subentry(house.entry, subentry)
    await hass.async_block_till_done()
    # Looked up by unique id: from 2026.10 Home Assistant prefixes new entity ids with the
    # device's area (here climate.den_den).
    entity_id = er.async_get(hass).async_get_entity_id(
        "climate", DOMAIN, f"{house.entry.entry_id}_{subentry.subentry_id}_climate"
    )
    assert entity_id is not None
    assert hass.states.get(entity_id) is not None
    # The entry's devices by identifier (async_get_device is deprecated from 2026.10, its
    # replacements are not in 2026.2).
    devices = {
        identifier: device
        for device in dr.async_entries_for_config_entry(dr.async_get(hass), house.entry.entry_id)
        for identifier in device.identifiers
    }
    device = devices[(DOMAIN, f"{house.entry.entry_id}_{subentry.subentry_id}")]
    assert device.area_id == area.id
    assert device.via_device_id == devices[(DOMAIN, house.entry.entry_id)].id

    hass.config_entries.async_remove_subentry(house.entry, subentry.subentry_id)
    await hass.async_block_till_done()
    assert er.async_get(hass).async_get(entity_id) is None
    assert dr.async_get(hass).async_get(device.id) is None


async def test_missing_entity_raises_repair_and_clears(hass: HomeAssistant) -> None:
    """A configured entity that no longer exists: a repair issue, gone when it is back."""
    house = await async_ducted_house(hass)
    hass.states.async_remove("sensor.office_temperature")
    await hass.async_block_till_done()
    issue_id = f"missing_entity_{house.entry.entry_id}_sensor.office_temperature"
    issue = ir.async_get(hass).async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.translation_key == "missing_entity"
    assert hass.states.get("climate.office").state == "unavailable"  # type: ignore[union-attr]
    set_temperature_sensor(hass, "sensor.office_temperature", 20.0)
    await hass.async_block_till_done()
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is None


async def test_compressor_memory_survives_reload(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_storage: dict[str, Any]
) -> None:
    """A restart right after the unit stopped still honours the minimum off time."""
    house = await async_ducted_house(hass)
    await async_set_zone(hass, "climate.living", hvac_mode="heat", temperature=22.0)
    await async_move_time(hass, freezer, 330)
    assert house.source.hvac_mode == "heat"
    set_temperature_sensor(hass, "sensor.living_temperature", 22.5)
    await async_move_time(hass, freezer, 330)
    assert house.source.hvac_mode == "off"
    assert await hass.config_entries.async_reload(house.entry.entry_id)
    await hass.async_block_till_done()
    stored = hass_storage[f"{DOMAIN}.{house.entry.entry_id}"]["data"]["memory"]
    assert stored["last_stop"] is not None
    assert len(stored["recent_starts"]) == 1  # the cycle-rate limit survives restarts too
    set_temperature_sensor(hass, "sensor.living_temperature", 20.0)
    await hass.async_block_till_done()
    await async_move_time(hass, freezer, 60)
    assert house.source.hvac_mode == "off"
    async_fire_time_changed(hass)
    await async_move_time(hass, freezer, 300)
    assert house.source.hvac_mode == "heat"


async def test_failed_command_is_logged_once(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, caplog: Any
) -> None:
    """A damper whose service fails: a warning once, the rest of the system keeps working."""
    from homeassistant.exceptions import HomeAssistantError

    house = await async_ducted_house(hass)

    async def broken(call: Any) -> None:
        raise HomeAssistantError("damper offline")

    hass.services.async_register("switch", "turn_off", broken)
    hass.services.async_register("switch", "turn_on", broken)
    await async_set_zone(hass, "climate.living", hvac_mode="heat", temperature=22.0)
    await async_set_zone(hass, "climate.bedroom", hvac_mode="heat", temperature=22.0)
    await async_move_time(hass, freezer, 900)
    assert house.source.hvac_mode == "heat"
    assert caplog.text.count("damper offline") <= 1


async def test_nothing_is_decided_after_unload(hass: HomeAssistant) -> None:
    """Late reports from entities being removed do not start a decision on an unloaded system."""
    house = await async_ducted_house(hass)
    runtime = house.entry.runtime_data
    assert await hass.config_entries.async_unload(house.entry.entry_id)
    await hass.async_block_till_done()
    last_task = runtime._task
    runtime.request_update()
    assert runtime._task is last_task  # no new decision was scheduled


async def test_first_decision_after_start_up_runs_on_the_event_loop(
    hass: HomeAssistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The start-up decision is requested from the event loop, never from a worker thread.

    Requesting it from a thread creates the runtime's task unsafely: Python 3.14's debug loop
    refuses it, and otherwise the first decision after start-up can be delayed or lost.
    """
    hass.set_state(CoreState.starting)
    house = await async_ducted_house(hass)
    runtime = house.entry.runtime_data
    threads: list[int] = []
    request_update = runtime.request_update

    def record_thread() -> None:
        threads.append(threading.get_ident())
        request_update()

    monkeypatch.setattr(runtime, "request_update", record_thread)
    hass.set_state(CoreState.running)
    hass.bus.async_fire(EVENT_HOMEASSISTANT_STARTED)
    await hass.async_block_till_done()
    assert threads == [threading.get_ident()]
