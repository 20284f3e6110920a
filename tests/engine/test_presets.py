"""Presets and boost as pure functions."""

from __future__ import annotations

from engine.control.thermostat import (
    apply_preset,
    end_boost,
    preset_setpoints,
    start_boost,
)
from engine.model import ZoneMode, ZoneSettings


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
