"""The zone thermostat itself: presets, boost, turn on/off, validation, restore."""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.climate import ClimateEntity
from homeassistant.core import HomeAssistant, State
from homeassistant.exceptions import ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import mock_restore_cache_with_extra_data

from custom_components.heat_pump_zoning.climate import NATIVE_TEMPERATURES, ZoneClimate

from .fakes import set_temperature_sensor
from .helpers import async_ducted_house, async_move_time, async_set_zone


async def _preset(hass: HomeAssistant, entity_id: str, preset: str) -> None:
    await hass.services.async_call(
        "climate", "set_preset_mode", {"entity_id": entity_id, "preset_mode": preset}, blocking=True
    )
    await hass.async_block_till_done()


async def test_presets_set_targets_and_manual_change_clears_preset(hass: HomeAssistant) -> None:
    """Presets carry heat and cool setpoints; a manual setpoint drops to preset none."""
    await async_ducted_house(hass)
    await async_set_zone(hass, "climate.living", hvac_mode="heat")
    await _preset(hass, "climate.living", "away")
    state = hass.states.get("climate.living")
    assert state is not None
    assert state.attributes["preset_mode"] == "away"
    assert state.attributes["temperature"] == 16.0
    await async_set_zone(hass, "climate.living", hvac_mode="heat_cool")
    await _preset(hass, "climate.living", "sleep")
    state = hass.states.get("climate.living")
    assert state is not None
    assert (state.attributes["target_temp_low"], state.attributes["target_temp_high"]) == (
        18.0,
        25.0,
    )
    await async_set_zone(hass, "climate.living", target_temp_low=19.0, target_temp_high=26.0)
    state = hass.states.get("climate.living")
    assert state is not None
    assert state.attributes["preset_mode"] == "none"
    await async_set_zone(hass, "climate.living", hvac_mode="cool")
    assert hass.states.get("climate.living").attributes["temperature"] == 26.0  # type: ignore[union-attr]


async def test_boost_is_time_limited(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Boost raises the heat target by 2 K for the zone's boost time, then goes back."""
    await async_ducted_house(hass)
    await async_set_zone(hass, "climate.living", hvac_mode="heat", temperature=20.0)
    await _preset(hass, "climate.living", "home")
    await _preset(hass, "climate.living", "boost")
    state = hass.states.get("climate.living")
    assert state is not None
    assert state.attributes["preset_mode"] == "boost"
    assert state.attributes["temperature"] == 23.0
    assert state.attributes["boost_until"] is not None
    await _preset(hass, "climate.living", "boost")  # boosting again does not stack
    assert hass.states.get("climate.living").attributes["temperature"] == 23.0  # type: ignore[union-attr]
    await async_move_time(hass, freezer, 59 * 60, step=300)
    assert hass.states.get("climate.living").attributes["preset_mode"] == "boost"  # type: ignore[union-attr]
    await async_move_time(hass, freezer, 90)
    state = hass.states.get("climate.living")
    assert state is not None
    assert state.attributes["preset_mode"] == "home"
    assert state.attributes["temperature"] == 21.0
    assert state.attributes["boost_until"] is None


async def test_manual_change_cancels_boost(hass: HomeAssistant) -> None:
    """A manual setpoint during a boost ends it where the user put it."""
    await async_ducted_house(hass)
    await async_set_zone(hass, "climate.living", hvac_mode="cool", temperature=24.0)
    await _preset(hass, "climate.living", "boost")
    assert hass.states.get("climate.living").attributes["temperature"] == 22.0  # type: ignore[union-attr]
    await async_set_zone(hass, "climate.living", temperature=25.0)
    state = hass.states.get("climate.living")
    assert state is not None
    assert state.attributes["preset_mode"] == "none"
    assert state.attributes["boost_until"] is None


async def test_turn_on_off_and_validation(hass: HomeAssistant) -> None:
    """Turn off/on returns to the last mode; bad input is refused with a clear error."""
    await async_ducted_house(hass)
    await async_set_zone(hass, "climate.living", hvac_mode="cool", temperature=25.0)
    await hass.services.async_call(
        "climate", "turn_off", {"entity_id": "climate.living"}, blocking=True
    )
    assert hass.states.get("climate.living").state == "off"  # type: ignore[union-attr]
    await hass.services.async_call(
        "climate", "turn_on", {"entity_id": "climate.living"}, blocking=True
    )
    assert hass.states.get("climate.living").state == "cool"  # type: ignore[union-attr]
    with pytest.raises(ServiceValidationError) as err:
        await async_set_zone(hass, "climate.living", target_temp_low=27.0, target_temp_high=24.0)
    assert err.value.translation_key == "low_temp_higher_than_high_temp"
    await async_set_zone(hass, "climate.living", hvac_mode="heat_cool")
    with pytest.raises(ServiceValidationError) as err:
        await async_set_zone(hass, "climate.living", temperature=21.0)
    assert err.value.translation_key == "range_required"
    with pytest.raises(ServiceValidationError):
        await _preset(hass, "climate.living", "party")
    assert hass.states.get("climate.living").state == "heat_cool"  # type: ignore[union-attr]


async def test_refused_call_changes_nothing(hass: HomeAssistant) -> None:
    """A set_temperature that is refused leaves mode, targets, preset and boost as they were
    (the mode used to switch before the single target was found out of place)."""
    house = await async_ducted_house(hass)
    runtime = house.entry.runtime_data
    await async_set_zone(hass, "climate.living", hvac_mode="heat", temperature=21.0)
    await _preset(hass, "climate.living", "boost")
    before = hass.states.get("climate.living")
    assert before is not None
    assert before.attributes["preset_mode"] == "boost"
    engine_before = dict(runtime.settings)
    with pytest.raises(ServiceValidationError) as err:
        await async_set_zone(hass, "climate.living", hvac_mode="heat_cool", temperature=22.0)
    assert err.value.translation_key == "range_required"
    after = hass.states.get("climate.living")
    assert after is not None
    assert after.state == "heat"
    assert after.attributes == before.attributes
    assert runtime.settings == engine_before


NAN = float("nan")


@pytest.mark.parametrize(
    "data",
    [
        {"temperature": NAN},
        {"hvac_mode": "cool", "temperature": NAN},
        {"target_temp_low": NAN, "target_temp_high": 24.0},
        {"target_temp_low": 20.0, "target_temp_high": NAN},
    ],
)
async def test_a_target_that_is_not_a_number_is_refused(
    hass: HomeAssistant, data: dict[str, float | str]
) -> None:
    """NaN passes Home Assistant's range check (every comparison is false); the zone refuses it
    with a translated error and keeps calling on the target it had."""
    house = await async_ducted_house(hass)
    set_temperature_sensor(hass, "sensor.living_temperature", 19.0)
    await async_set_zone(hass, "climate.living", hvac_mode="heat", temperature=21.0)
    zone_id = next(
        z for z, spec in house.entry.runtime_data.zones.items() if spec.config.name == "Living"
    )
    before = hass.states.get("climate.living")
    assert before is not None
    with pytest.raises(ServiceValidationError) as err:
        await async_set_zone(hass, "climate.living", **data)
    assert err.value.translation_key == "invalid_target"
    after = hass.states.get("climate.living")
    assert after is not None
    assert after.state == "heat"
    assert after.attributes == before.attributes
    status = house.entry.runtime_data.zone_status(zone_id)
    assert status is not None
    assert status.calling is not None


async def test_stored_targets_that_are_not_numbers_fall_back(hass: HomeAssistant) -> None:
    """Stored settings with a NaN (or missing) target keep their mode and the other targets; the
    bad one falls back to the home preset, so the room calls again after a restart."""
    mock_restore_cache_with_extra_data(
        hass,
        [
            (
                State("climate.living", "heat"),
                {
                    "settings": {
                        "hvac_mode": "heat",
                        "target": NAN,
                        "target_low": 19.5,
                        "target_high": 24.5,
                    },
                    "preset": "none",
                    "last_on_mode": "heat",
                    "boost": None,
                },
            ),
            (
                State("climate.bedroom", "cool"),
                {
                    "settings": {"hvac_mode": "cool", "target": 25.0, "target_low": None},
                    "preset": "boost",
                    "last_on_mode": "cool",
                    "boost": {"until": 4e9, "saved": {}, "saved_preset": None},
                },
            ),
            (
                State("climate.office", "heat"),
                {
                    "settings": {"hvac_mode": "heat", "target": 20.0},
                    "preset": "boost",
                    "last_on_mode": "heat",
                    "boost": {
                        "until": NAN,
                        "saved": {"hvac_mode": "heat", "target": 18.0},
                        "saved_preset": None,
                    },
                },
            ),
        ],
    )
    await async_ducted_house(hass)
    living = hass.states.get("climate.living")
    assert living is not None
    assert living.state == "heat"
    assert living.attributes["temperature"] == 21.0  # the home preset's heat target
    assert living.attributes["target_temp_low"] == 19.5
    assert living.attributes["target_temp_high"] == 24.5
    bedroom = hass.states.get("climate.bedroom")
    assert bedroom is not None
    assert bedroom.state == "cool"
    assert bedroom.attributes["temperature"] == 25.0
    assert bedroom.attributes["target_temp_low"] == 21.0
    assert bedroom.attributes["boost_until"] is None  # an unreadable boost is dropped
    assert bedroom.attributes["preset_mode"] == "none"
    office = hass.states.get("climate.office")
    assert office is not None
    assert office.attributes["temperature"] == 20.0
    assert office.attributes["boost_until"] is None


async def test_heat_only_source_offers_heat_only(hass: HomeAssistant) -> None:
    """A heat-only central unit gives zones off/heat and no range."""
    from homeassistant.components.climate.const import HVACMode

    house = await async_ducted_house(hass, setup=False)
    house.source._attr_hvac_modes = [HVACMode.OFF, HVACMode.HEAT]
    house.source.async_write_ha_state()
    assert await hass.config_entries.async_setup(house.entry.entry_id)
    await hass.async_block_till_done()
    state = hass.states.get("climate.office")
    assert state is not None
    assert state.attributes["hvac_modes"] == ["off", "heat"]
    assert state.attributes["supported_features"] & 2 == 0
    with pytest.raises(ServiceValidationError) as err:
        await async_set_zone(hass, "climate.office", hvac_mode="cool")
    assert err.value.translation_key == "not_valid_hvac_mode"
    # set_temperature carries a mode too; Home Assistant does not check it there, we do.
    with pytest.raises(ServiceValidationError) as err:
        await async_set_zone(hass, "climate.office", hvac_mode="cool", temperature=24.0)
    assert err.value.translation_key == "mode_not_supported"


async def test_restore_after_restart(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Mode, setpoints, preset and a running boost come back exactly."""
    from homeassistant.util import dt as dt_util

    until = dt_util.utcnow().timestamp() + 600
    saved = {"hvac_mode": "heat", "target": 19.5, "target_low": 19.0, "target_high": 25.0}
    mock_restore_cache_with_extra_data(
        hass,
        [
            (
                State("climate.living", "heat_cool"),
                {
                    "settings": {
                        "hvac_mode": "heat_cool",
                        "target": 20.5,
                        "target_low": 19.5,
                        "target_high": 24.5,
                    },
                    "preset": "eco",
                    "last_on_mode": "heat_cool",
                    "boost": None,
                },
            ),
            (
                State("climate.bedroom", "heat"),
                {
                    "settings": {**saved, "target": 21.5},
                    "preset": "boost",
                    "last_on_mode": "heat",
                    "boost": {"until": until, "saved": saved, "saved_preset": "sleep"},
                },
            ),
            (State("climate.office", "cool"), {"settings": "garbage"}),
        ],
    )
    await async_ducted_house(hass)
    living = hass.states.get("climate.living")
    assert living is not None
    assert living.state == "heat_cool"
    assert living.attributes["target_temp_low"] == 19.5
    assert living.attributes["target_temp_high"] == 24.5
    assert living.attributes["preset_mode"] == "eco"
    bedroom = hass.states.get("climate.bedroom")
    assert bedroom is not None
    assert bedroom.attributes["temperature"] == 21.5
    assert bedroom.attributes["preset_mode"] == "boost"
    office = hass.states.get("climate.office")
    assert office is not None
    assert office.state == "off"  # unreadable stored data: safe defaults
    await async_move_time(hass, freezer, 660, step=120)
    bedroom = hass.states.get("climate.bedroom")
    assert bedroom is not None
    assert bedroom.attributes["temperature"] == 19.5
    assert bedroom.attributes["preset_mode"] == "sleep"


async def test_expired_boost_is_ended_on_restore(hass: HomeAssistant) -> None:
    """A boost that ran out while Home Assistant was down is over at start."""
    saved = {"hvac_mode": "heat", "target": 19.5, "target_low": 19.0, "target_high": 25.0}
    mock_restore_cache_with_extra_data(
        hass,
        [
            (
                State("climate.bedroom", "heat"),
                {
                    "settings": {**saved, "target": 21.5},
                    "preset": "boost",
                    "last_on_mode": "heat",
                    "boost": {"until": 1.0, "saved": saved, "saved_preset": None},
                },
            )
        ],
    )
    await async_ducted_house(hass)
    bedroom = hass.states.get("climate.bedroom")
    assert bedroom is not None
    assert bedroom.attributes["temperature"] == 19.5
    assert bedroom.attributes["preset_mode"] == "none"


async def test_fahrenheit_cool_only_and_zone_presets(hass: HomeAssistant) -> None:
    """A °F home with a cool-only unit: zones offer off/cool, °F defaults and own presets."""
    from homeassistant.components.climate.const import HVACMode
    from homeassistant.util.unit_system import US_CUSTOMARY_SYSTEM

    hass.config.units = US_CUSTOMARY_SYSTEM
    house = await async_ducted_house(hass, setup=False)
    house.source._attr_hvac_modes = [HVACMode.OFF, HVACMode.COOL]
    house.source.async_write_ha_state()
    subentry = next(iter(house.entry.subentries.values()))
    hass.config_entries.async_update_subentry(
        house.entry,
        subentry,
        data={**subentry.data, "presets": {"away_heat": 60.0, "away_cool": 85.0}},
    )
    assert await hass.config_entries.async_setup(house.entry.entry_id)
    await hass.async_block_till_done()
    state = hass.states.get("climate.bedroom")
    assert state is not None
    assert state.attributes["hvac_modes"] == ["off", "cool"]
    assert state.attributes["min_temp"] == 45.0
    await async_set_zone(hass, "climate.bedroom", hvac_mode="cool")
    await _preset(hass, "climate.bedroom", "eco")
    assert hass.states.get("climate.bedroom").attributes["temperature"] == 79  # type: ignore[union-attr]
    await async_set_zone(hass, "climate.living", hvac_mode="cool")
    await _preset(hass, "climate.living", "away")
    assert hass.states.get("climate.living").attributes["temperature"] == 85.0  # type: ignore[union-attr]
    await _preset(hass, "climate.living", "home")  # not set on this zone: default °F preset
    assert hass.states.get("climate.living").attributes["temperature"] == 75  # type: ignore[union-attr]


# The temperature members Home Assistant 2026.11 renamed to native_* (old names deprecated).
RENAMED = (
    "current_temperature",
    "target_temperature",
    "target_temperature_low",
    "target_temperature_high",
    "temperature_unit",
)


async def test_temperatures_under_the_names_the_running_home_assistant_reads(
    hass: HomeAssistant,
) -> None:
    """The native_* temperatures are the state's; the old names only before 2026.11."""
    native = hasattr(ClimateEntity, "native_current_temperature")
    assert native == NATIVE_TEMPERATURES
    declared = {name for name in RENAMED if name in ZoneClimate.__dict__}
    # Declaring an old name on 2026.11+ logs a deprecation warning for our integration.
    assert declared == (set() if native else set(RENAMED))

    await async_ducted_house(hass)
    await async_set_zone(hass, "climate.living", hvac_mode="heat_cool")
    await async_set_zone(hass, "climate.living", target_temp_low=19.5, target_temp_high=25.5)
    entity = hass.data["climate"].get_entity("climate.living")
    assert isinstance(entity, ZoneClimate)
    state = hass.states.get("climate.living")
    assert state is not None
    assert state.attributes["current_temperature"] == entity.native_current_temperature
    assert entity.native_current_temperature is not None
    assert (
        (state.attributes["target_temp_low"], state.attributes["target_temp_high"])
        == (
            entity.native_target_temperature_low,
            entity.native_target_temperature_high,
        )
        == (19.5, 25.5)
    )
    assert state.attributes["temperature"] is entity.native_target_temperature is None
    assert entity.native_temperature_unit == "°C"
    if not native:
        for name in RENAMED:
            assert getattr(entity, name) == getattr(entity, f"native_{name}")
