"""Home Assistant's climate triggers and conditions on the zone thermostats.

`climate.started_heating` and `climate.is_heating` read a zone's `hvac_action`, which says
`heating` only while the room really receives heated air: not while the zone calls but waits for
the compressor's minimum off time. In 2026.2 these triggers and conditions are still a Labs
preview feature (automation.new_triggers_conditions), which the tests switch on as a user would;
in 2026.10 they are generally available.
"""

from __future__ import annotations

import contextlib

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components import labs
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import async_capture_events

from .fakes import set_temperature_sensor
from .helpers import async_ducted_house, async_move_time, async_set_zone

LIVING = {"entity_id": "climate.living"}
ANY = {"behavior": "any"}


async def _async_enable_climate_automations(hass: HomeAssistant) -> None:
    """Switch on the Labs preview where Home Assistant still has it (2026.2 has, 2026.10 not)."""
    assert await async_setup_component(hass, "labs", {})
    with contextlib.suppress(ValueError):  # no such preview: generally available
        await labs.async_update_preview_feature(
            hass, "automation", "new_triggers_conditions", enabled=True
        )


async def test_started_heating_fires_when_the_room_gets_heat(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """The trigger waits for the compressor's minimum off time, like the room does."""
    await _async_enable_climate_automations(hass)
    house = await async_ducted_house(hass)
    started = async_capture_events(hass, "zone_started_heating")
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "triggers": [
                    {"trigger": "climate.started_heating", "target": LIVING, "options": ANY}
                ],
                "actions": [{"event": "zone_started_heating"}],
            }
        },
    )
    await async_set_zone(hass, "climate.living", hvac_mode="heat", temperature=22.0)
    assert hass.states.get("climate.living").attributes["hvac_action"] == "idle"  # type: ignore[union-attr]
    assert started == []  # calling, but the unit honours its minimum off time
    await async_move_time(hass, freezer, 330)
    assert house.source.hvac_mode == "heat"
    assert len(started) == 1
    set_temperature_sensor(hass, "sensor.living_temperature", 22.5)  # satisfied: idle again
    await async_move_time(hass, freezer, 330)
    assert hass.states.get("climate.living").attributes["hvac_action"] == "idle"  # type: ignore[union-attr]
    assert len(started) == 1


async def test_is_heating_holds_only_while_the_room_gets_heat(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """The condition is false while the zone calls and waits, true once heat flows."""
    await _async_enable_climate_automations(hass)
    await async_ducted_house(hass)
    passed = async_capture_events(hass, "zone_is_heating")
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "triggers": [{"trigger": "event", "event_type": "check_zone"}],
                "conditions": [
                    {"condition": "climate.is_heating", "target": LIVING, "options": ANY}
                ],
                "actions": [{"event": "zone_is_heating"}],
            }
        },
    )
    await async_set_zone(hass, "climate.living", hvac_mode="heat", temperature=22.0)
    hass.bus.async_fire("check_zone")
    await hass.async_block_till_done()
    assert passed == []
    await async_move_time(hass, freezer, 330)
    hass.bus.async_fire("check_zone")
    await hass.async_block_till_done()
    assert len(passed) == 1
