"""Every rule that depends on °C or °F, in one place (`engine.units`)."""

from __future__ import annotations

import pytest

from engine.units import (
    CELSIUS,
    FAHRENHEIT,
    default_degree_day_base,
    default_tolerance,
    degrees,
    is_fahrenheit,
    kelvin_per_degree,
    setpoint_from_celsius,
    thermostat_limits,
    to_fahrenheit,
)


def test_units_are_told_apart_leniently() -> None:
    assert is_fahrenheit(FAHRENHEIT) and is_fahrenheit("F") and is_fahrenheit(" °f ")
    assert not is_fahrenheit(CELSIUS) and not is_fahrenheit("K")


def test_differences_scale_temperatures_convert() -> None:
    """A difference of 2 K is 3.6 °F; 0 °C is 32 °F; one °F is 5/9 K."""
    assert degrees(2.0, CELSIUS) == 2.0
    assert degrees(2.0, FAHRENHEIT) == pytest.approx(3.6)
    assert to_fahrenheit(0.0, CELSIUS) == 32.0
    assert to_fahrenheit(50.0, FAHRENHEIT) == 50.0
    assert kelvin_per_degree(FAHRENHEIT) == pytest.approx(5 / 9)
    assert kelvin_per_degree(CELSIUS) == 1.0


def test_setpoints_from_celsius_are_whole_fahrenheit() -> None:
    assert setpoint_from_celsius(21.0, CELSIUS) == 21.0
    assert setpoint_from_celsius(21.0, FAHRENHEIT) == 70.0  # 69.8
    assert setpoint_from_celsius(30.0, FAHRENHEIT) == 86.0
    assert isinstance(setpoint_from_celsius(21.0, FAHRENHEIT), float)


def test_defaults_by_unit() -> None:
    """Conventions, not conversions: 0.5 °C or 1 °F, 18 °C or 65 °F."""
    assert default_tolerance(CELSIUS) == 0.5
    assert default_tolerance(FAHRENHEIT) == 1.0
    assert default_degree_day_base(CELSIUS) == 18.0
    assert default_degree_day_base(FAHRENHEIT) == 65.0


def test_thermostat_limits_by_unit() -> None:
    celsius, fahrenheit = thermostat_limits(CELSIUS), thermostat_limits(FAHRENHEIT)
    assert (celsius.min_temp, celsius.max_temp, celsius.step) == (7.0, 35.0, 0.5)
    assert (fahrenheit.min_temp, fahrenheit.max_temp, fahrenheit.step) == (45.0, 95.0, 1.0)
