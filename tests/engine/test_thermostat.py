"""The zone thermostat's rules as pure functions: modes, mode changes, presets and boost."""

from __future__ import annotations

from engine.control.thermostat import (
    EDITABLE_PRESETS,
    apply_preset,
    boost_delta,
    default_presets,
    end_boost,
    equipment_entity,
    preset_setpoints,
    start_boost,
    turn_on_mode,
    with_mode,
    zone_modes,
)
from engine.model import (
    ClimateState,
    SystemConfig,
    Topology,
    ZoneConfig,
    ZoneMode,
    ZoneSettings,
)


def test_preset_setpoints() -> None:
    """A preset needs both its heat and its cool setpoint."""
    presets = {"home_heat": 21, "home_cool": 24, "away_heat": 16}
    assert preset_setpoints(presets, "home") == (21.0, 24.0)
    assert preset_setpoints(presets, "away") is None
    assert preset_setpoints(presets, "eco") is None


def test_apply_preset_by_mode() -> None:
    """Heat mode takes the heat setpoint, cool the cool one; the range gets both."""
    heat = ZoneSettings(ZoneMode.HEAT, 20, 19, 25)
    assert apply_preset(heat, 18, 26) == ZoneSettings(ZoneMode.HEAT, 18, 18, 26)
    cool = ZoneSettings(ZoneMode.COOL, 24, 19, 25)
    assert apply_preset(cool, 18, 26).target == 26


def test_boost_and_back() -> None:
    """Boost pushes towards more conditioning and returns to the saved settings, keeping mode."""
    heat = ZoneSettings(ZoneMode.HEAT, 20, 19, 25)
    boosted, boost = start_boost(heat, "home", 1000.0, 30, 2.0)
    assert boosted == ZoneSettings(ZoneMode.HEAT, 22, 21, 23)
    assert boost.until == 1000.0 + 1800.0
    assert boost.saved_preset == "home"
    assert end_boost(boosted, boost) == heat
    turned_off = ZoneSettings(ZoneMode.OFF, 22, 21, 23)
    assert end_boost(turned_off, boost).hvac_mode is ZoneMode.OFF
    cool = ZoneSettings(ZoneMode.COOL, 24, 19, 25)
    assert start_boost(cool, None, 0.0, 10, 2.0)[0].target == 22


def test_boost_of_a_narrow_range_stays_valid() -> None:
    """A range narrower than twice the boost collapses to its middle rather than inverting."""
    narrow = ZoneSettings(ZoneMode.HEAT_COOL, 21, 21, 23)
    boosted, _ = start_boost(narrow, None, 0.0, 10, 2.0)
    assert boosted.target_low == boosted.target_high == 22


# -- the zone's modes and mode changes (moved from the Home Assistant layer) ---------------------

HEAD = ClimateState(hvac_modes=("off", "cool", "dry", "fan_only"))


def test_zone_modes_follow_the_equipment() -> None:
    """Off always; heat and cool as the equipment can; heat_cool only with both."""
    both = (ZoneMode.OFF, ZoneMode.HEAT, ZoneMode.COOL, ZoneMode.HEAT_COOL)
    assert zone_modes(ClimateState(hvac_modes=("off", "heat", "cool"))) == both
    assert zone_modes(HEAD) == (ZoneMode.OFF, ZoneMode.COOL)
    assert zone_modes(ClimateState(hvac_modes=("off", "heat"))) == (ZoneMode.OFF, ZoneMode.HEAT)
    assert zone_modes(ClimateState(hvac_modes=("off", "auto"))) == both  # auto does both
    assert zone_modes(ClimateState(hvac_modes=("off", "heat_cool"))) == both


def test_unknown_equipment_can_do_everything() -> None:
    """Missing, unavailable, or offering neither heat nor cool: every mode is offered."""
    both = (ZoneMode.OFF, ZoneMode.HEAT, ZoneMode.COOL, ZoneMode.HEAT_COOL)
    assert zone_modes(None) == both
    assert zone_modes(ClimateState(available=False, hvac_modes=("off", "cool"))) == both
    assert zone_modes(ClimateState(hvac_modes=("off", "fan_only"))) == both


def test_the_equipment_of_a_zone() -> None:
    """A ducted zone uses the source's modes, a mini-split zone its head's."""
    ducted = SystemConfig(Topology.DUCTED, (ZoneConfig("a", "A"),), source="climate.unit")
    assert equipment_entity(ducted, "a") == "climate.unit"
    split = SystemConfig(Topology.MINI_SPLIT, (ZoneConfig("b", "B", head="climate.head"),))
    assert equipment_entity(split, "b") == "climate.head"
    assert equipment_entity(split, "nope") is None


def test_a_mode_change_carries_the_matching_end_of_the_range() -> None:
    """To cool: the high target; to heat: the low one; staying or heat_cool: targets kept."""
    range_ = ZoneSettings(ZoneMode.HEAT_COOL, 21.0, 20.0, 25.0)
    assert with_mode(range_, ZoneMode.COOL) == ZoneSettings(ZoneMode.COOL, 25.0, 20.0, 25.0)
    assert with_mode(range_, ZoneMode.HEAT) == ZoneSettings(ZoneMode.HEAT, 20.0, 20.0, 25.0)
    heat = ZoneSettings(ZoneMode.HEAT, 22.5, 20.0, 25.0)
    assert with_mode(heat, ZoneMode.HEAT) == heat  # a target set in heat stays
    assert with_mode(heat, ZoneMode.OFF) == ZoneSettings(ZoneMode.OFF, 22.5, 20.0, 25.0)
    assert with_mode(heat, ZoneMode.HEAT_COOL).target == 22.5


def test_turning_on_returns_to_the_last_mode_if_offered() -> None:
    offered = (ZoneMode.OFF, ZoneMode.COOL)
    assert turn_on_mode(ZoneMode.COOL, offered) is ZoneMode.COOL
    assert turn_on_mode(ZoneMode.HEAT_COOL, offered) is ZoneMode.COOL  # the richest offered


def test_default_presets_in_each_unit() -> None:
    """°C as defined; °F in whole degrees (21 °C is 70 °F, not 69.8); the stored shape."""
    celsius = default_presets("°C")
    assert celsius["home_heat"] == 21.0 and celsius["home_cool"] == 24.0
    assert preset_setpoints(celsius, "eco") == (19.0, 26.0)
    fahrenheit = default_presets("°F")
    assert preset_setpoints(fahrenheit, "home") == (70.0, 75.0)
    assert preset_setpoints(fahrenheit, "away") == (61.0, 82.0)
    assert list(celsius) == [f"{p}_{e}" for p in EDITABLE_PRESETS for e in ("heat", "cool")]


def test_boost_moves_two_kelvin_in_the_unit() -> None:
    assert boost_delta("°C") == 2.0
    assert boost_delta("°F") == 3.6
