"""Mini-split end to end: heads per room, one mode per outdoor unit, quiet, remote adopted."""

from __future__ import annotations

from datetime import datetime

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.climate.const import HVACMode
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util

from .fakes import set_temperature_sensor
from .helpers import async_mini_split_house, async_move_time, async_set_zone


async def test_head_setpoint_offset_by_room_sensor(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """The head reads 21 °C where the room reads 19 °C: the head is asked for 2 K more."""
    house = await async_mini_split_house(hass)
    await async_set_zone(hass, "climate.bedroom_2", hvac_mode="heat", temperature=21.0)
    await async_move_time(hass, freezer, 330)
    assert house.bedroom.hvac_mode == "heat"
    assert house.bedroom.target_temperature == 23.0
    state = hass.states.get("climate.bedroom_2")
    assert state is not None
    assert state.attributes["current_temperature"] == 19.0
    assert state.attributes["current_humidity"] == 45.0
    assert state.attributes["hvac_action"] == "heating"
    # Without a room sensor the zone reads the head and sets it directly.
    await async_set_zone(hass, "climate.study", hvac_mode="heat", temperature=22.0)
    await async_move_time(hass, freezer, 90)
    assert house.study.hvac_mode == "heat"
    assert house.study.target_temperature == 22.0
    study = hass.states.get("climate.study")
    assert study is not None
    assert study.attributes["current_temperature"] == 20.0


async def test_heads_never_in_opposite_modes(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """One room wants heat, the other cool: the outdoor unit serves one; the other head waits."""
    house = await async_mini_split_house(hass)
    await async_set_zone(hass, "climate.bedroom_2", hvac_mode="heat", temperature=21.0)
    await async_move_time(hass, freezer, 330)
    house.study.reading(27.0)
    await async_set_zone(hass, "climate.study", hvac_mode="cool", temperature=24.0)
    for _ in range(40):
        await async_move_time(hass, freezer, 60)
        modes = {house.bedroom.hvac_mode, house.study.hvac_mode}
        assert not {"heat", "cool"} <= modes
    study = hass.states.get("climate.study")
    assert study is not None
    assert study.attributes["hvac_action"] in ("idle", "cooling")


async def test_quiet_commands_and_remote_change_adopted(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """No repeated commands; a change on the remote becomes the zone's setting, not a fight."""
    house = await async_mini_split_house(hass)
    await async_set_zone(hass, "climate.study", hvac_mode="heat", temperature=22.0)
    await async_move_time(hass, freezer, 330)
    calls = len(house.study.calls)
    await async_move_time(hass, freezer, 600)
    assert len(house.study.calls) == calls  # nothing changed: nothing sent

    await async_move_time(hass, freezer, 60)
    house.study.remote(target=24.0)
    await hass.async_block_till_done()
    await async_move_time(hass, freezer, 120)
    study = hass.states.get("climate.study")
    assert study is not None
    assert study.attributes["temperature"] == 24.0
    assert study.attributes["preset_mode"] == "none"
    assert house.study.target_temperature == 24.0
    assert len(house.study.calls) == calls

    house.study.remote(mode=HVACMode.OFF)
    await hass.async_block_till_done()
    await async_move_time(hass, freezer, 120)
    assert hass.states.get("climate.study").state == "off"  # type: ignore[union-attr]
    assert house.study.hvac_mode == "off"


async def test_head_unavailable_makes_zone_unavailable(hass: HomeAssistant) -> None:
    """A head that drops off the network takes its zone with it."""
    house = await async_mini_split_house(hass)
    house.study._attr_available = False
    house.study.async_write_ha_state()
    await hass.async_block_till_done()
    assert hass.states.get("climate.study").state == "unavailable"  # type: ignore[union-attr]
    assert hass.states.get("climate.bedroom_2").state == "off"  # type: ignore[union-attr]
    set_temperature_sensor(hass, "sensor.bedroom_2_temperature", 19.5)


async def test_head_reporting_a_boolean_temperature_makes_its_zone_unavailable(
    hass: HomeAssistant,
) -> None:
    """`current_temperature: true` is not a reading (not 1.0 °C): the zone that uses it is
    unavailable; a number again brings it back."""
    await async_mini_split_house(hass)
    await async_set_zone(hass, "climate.study", hvac_mode="heat", temperature=21.0)
    head = hass.states.get("climate.study_head")
    assert head is not None
    # An integration that writes its head's state itself, with a boolean for the reading.
    hass.states.async_set(
        "climate.study_head", head.state, {**head.attributes, "current_temperature": True}
    )
    await hass.async_block_till_done()
    study = hass.states.get("climate.study")
    assert study is not None
    assert study.state == "unavailable"
    hass.states.async_set(
        "climate.study_head", head.state, {**head.attributes, "current_temperature": 20.5}
    )
    await hass.async_block_till_done()
    study = hass.states.get("climate.study")
    assert study is not None
    assert study.state == "heat"
    assert study.attributes["current_temperature"] == 20.5


async def test_quiet_hours_hold_the_head_until_they_end(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """22:00-07:00 quiet hours: a room 0.4 K short (inside twice the 0.3 tolerance) waits with
    `quiet_hours`; at 07:00 its head is commanded."""
    freezer.move_to(datetime(2026, 1, 15, 23, 0, tzinfo=dt_util.get_default_time_zone()))
    house = await async_mini_split_house(
        hass, zone_data={"quiet_start": "22:00:00", "quiet_end": "07:00:00"}
    )
    set_temperature_sensor(hass, "sensor.bedroom_2_temperature", 20.6)
    await async_set_zone(hass, "climate.bedroom_2", hvac_mode="heat", temperature=21.0)
    await async_move_time(hass, freezer, 600)
    assert house.bedroom.hvac_mode == "off"
    state = hass.states.get("climate.bedroom_2")
    assert state is not None
    assert state.attributes["waiting_reason"] == "quiet_hours"
    freezer.move_to(datetime(2026, 1, 16, 7, 0, tzinfo=dt_util.get_default_time_zone()))
    await async_move_time(hass, freezer, 60)
    assert house.bedroom.hvac_mode == "heat"
