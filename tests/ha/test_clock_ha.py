"""Clock jumps in Home Assistant: compressor protection measures elapsed time.

The wall clock is moved back and forward with `freezer`. In the test harness the loop's
monotonic clock follows the frozen wall clock, so a jump moves it too (backwards, which a real
monotonic clock never does; Home Assistant's own timers then wait for it to catch up, so the
tests let the room sensors report, as real ones do). A jump of the wall clock alone is shown by
holding the integration's monotonic reading still while `freezer` jumps.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
import time
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.heat_pump_zoning import coordinator as coordinator_module
from custom_components.heat_pump_zoning.const import DOMAIN
from custom_components.heat_pump_zoning.diagnostics import async_get_config_entry_diagnostics

from .fakes import set_temperature_sensor
from .helpers import DuctedHouse, async_ducted_house, async_move_time, async_set_zone

HOUR = 3600.0


async def heat_living(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Every zone in heat at 20 °C, living at 22 °C: the unit starts after its minimum off time."""
    for entity_id in ("climate.living", "climate.bedroom", "climate.office"):
        await async_set_zone(hass, entity_id, hvac_mode="heat", temperature=20.0)
    await async_set_zone(hass, "climate.living", temperature=22.0)
    await async_move_time(hass, freezer, 330)


async def reports(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, seconds: int, every: int = 60
) -> None:
    """Time passes while the bedroom sensor reports a changed value every `every` seconds."""
    for _tick in range(seconds // every):
        freezer.tick(timedelta(seconds=every))
        async_fire_time_changed(hass)
        state = hass.states.get("sensor.bedroom_temperature")
        reading = 20.1 if state is not None and state.state == "20.0" else 20.0
        set_temperature_sensor(hass, "sensor.bedroom_temperature", reading)
        await hass.async_block_till_done()


def last_change(house: DuctedHouse, mode: str) -> float:
    """When the central unit was last commanded into `mode` (POSIX time)."""
    times = [
        at.timestamp()
        for (_name, data), at in zip(house.source.calls, house.source.call_times, strict=True)
        if data.get("hvac_mode") == mode
    ]
    return times[-1]


async def test_clock_set_back_an_hour_does_not_hold_the_unit_on(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """The room is satisfied 30 s into the minimum run, then the clock goes back an hour: the
    unit stops once its five minutes have run, not an hour later when the wall clock is back
    where it was. (Here the loop's clock jumps back with the wall clock, and the first minute
    after the jump counts as no time: the stop comes at most a minute late, never early.)"""
    house = await async_ducted_house(hass)
    await heat_living(hass, freezer)
    assert house.source.hvac_mode == "heat"
    set_temperature_sensor(hass, "sensor.living_temperature", 22.5)  # satisfied
    await hass.async_block_till_done()
    assert house.source.hvac_mode == "heat"  # minimum run
    freezer.tick(timedelta(seconds=-HOUR))
    await reports(hass, freezer, 240)
    assert house.source.hvac_mode == "heat"  # 270 s run: the minimum is not over
    await reports(hass, freezer, 120)
    assert house.source.hvac_mode == "off"
    diagnostics = await async_get_config_entry_diagnostics(hass, house.entry)
    clock = diagnostics["runtime"]["clock"]
    assert -HOUR <= clock["wall_minus_control_s"] <= -HOUR + 60  # the wall clock is behind


@pytest.fixture
def still_monotonic() -> Iterator[dict[str, float]]:
    """The integration's monotonic reading, minus `held` seconds (a jump of the wall clock
    alone: the test adds the jump to `held` when it moves `freezer`)."""
    held = {"held": 0.0}
    with patch.object(
        coordinator_module, "monotonic", side_effect=lambda: time.monotonic() - held["held"]
    ):
        yield held


async def test_clock_set_forward_after_a_stop_keeps_the_minimum_off_time(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, still_monotonic: dict[str, float]
) -> None:
    """NTP moves the clock forward an hour right after a stop, and the room calls again: the
    unit still rests its five minutes (the wall clock says an hour has passed)."""
    house = await async_ducted_house(hass)
    await heat_living(hass, freezer)
    set_temperature_sensor(hass, "sensor.living_temperature", 22.5)
    await async_move_time(hass, freezer, 300)
    assert house.source.hvac_mode == "off"
    stopped = last_change(house, "off")
    freezer.tick(timedelta(seconds=HOUR))
    still_monotonic["held"] += HOUR
    set_temperature_sensor(hass, "sensor.living_temperature", 20.0)  # calls again
    await async_move_time(hass, freezer, 180)
    assert house.source.hvac_mode == "off"
    await async_move_time(hass, freezer, 180)
    assert house.source.hvac_mode == "heat"
    started = last_change(house, "heat")
    assert started - HOUR - stopped >= 300 - 1  # in elapsed time


def stored_memory(house: DuctedHouse, memory: dict[str, Any]) -> dict[str, Any]:
    """A storage file holding only the protection memory."""
    key = f"{DOMAIN}.{house.entry.entry_id}"
    return {"version": 2, "minor_version": 1, "key": key, "data": {"memory": memory}}


async def test_stored_stop_in_the_future_waits_one_minimum_off_time(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_storage: dict[str, Any]
) -> None:
    """Memory saved while the clock was an hour ahead (a board that booted with a wrong date):
    its stop lies an hour in the future. Heating waits five minutes, not an hour and five."""
    house = await async_ducted_house(hass, setup=False)
    now = dt_util.utcnow().timestamp()
    hass_storage[f"{DOMAIN}.{house.entry.entry_id}"] = stored_memory(
        house,
        {
            "active_mode": "heat",
            "mode_since": now + HOUR - 900,
            "running": False,
            "last_start": now + HOUR - 900,
            "last_stop": now + HOUR,
            "recent_starts": [now + HOUR - 900],
            "saved_at": now + HOUR + 10,
        },
    )
    assert await hass.config_entries.async_setup(house.entry.entry_id)
    await hass.async_block_till_done()
    await heat_living(hass, freezer)
    assert house.source.hvac_mode == "heat"


async def test_stored_start_in_the_future_runs_one_minimum_run_time(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_storage: dict[str, Any]
) -> None:
    """The unit was running when the memory was saved an hour "ahead": with no room calling it
    stops after one minimum run time, not after the hour."""
    house = await async_ducted_house(hass, setup=False)
    house.source.remote(mode="heat", target=22.0)
    now = dt_util.utcnow().timestamp()
    hass_storage[f"{DOMAIN}.{house.entry.entry_id}"] = stored_memory(
        house,
        {
            "active_mode": "heat",
            "mode_since": now + HOUR,
            "running": True,
            "last_start": now + HOUR,
            "last_stop": None,
            "recent_starts": [now + HOUR],
        },
    )
    assert await hass.config_entries.async_setup(house.entry.entry_id)
    await hass.async_block_till_done()
    for entity_id in ("climate.living", "climate.bedroom", "climate.office"):
        await async_set_zone(hass, entity_id, hvac_mode="heat", temperature=19.0)  # satisfied
    await async_move_time(hass, freezer, 240)
    assert house.source.hvac_mode == "heat"  # one minimum run from the restart
    await async_move_time(hass, freezer, 90)
    assert house.source.hvac_mode == "off"
