"""The system's temperature unit, °C or °F, and every rule that depends on it (the one place).

The engine never converts a reading: every temperature it gets is in the system's unit (Home
Assistant's unit system when the system was set up). What depends on the unit is written here:
temperature differences given in kelvin (tolerances, offsets, boost) are scaled to the unit's
degree, and the defaults that are conventions rather than conversions (a 1 °F tolerance, a 65 °F
degree-day base) are picked by unit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

CELSIUS: Final = "°C"
FAHRENHEIT: Final = "°F"
FAHRENHEIT_PER_KELVIN: Final = 1.8

DEFAULT_TOLERANCE_C: Final = 0.5
DEFAULT_TOLERANCE_F: Final = 1.0
DEFAULT_DEGREE_DAY_BASE_C: Final = 18.0
DEFAULT_DEGREE_DAY_BASE_F: Final = 65.0


def is_fahrenheit(unit: str) -> bool:
    """Whether a unit string means Fahrenheit ("°F" or "F"; anything else is Celsius)."""
    return unit.strip().lstrip("°").upper() == "F"


def degrees(kelvin: float, unit: str) -> float:
    """A temperature *difference* given in kelvin, in degrees of `unit`."""
    return kelvin * FAHRENHEIT_PER_KELVIN if is_fahrenheit(unit) else kelvin


def kelvin_per_degree(unit: str) -> float:
    """Size of one degree of `unit` in kelvin."""
    return 5.0 / 9.0 if is_fahrenheit(unit) else 1.0


def to_fahrenheit(temperature: float, unit: str) -> float:
    """A temperature in °F from `unit`."""
    if is_fahrenheit(unit):
        return temperature
    return temperature * 9.0 / 5.0 + 32.0


def setpoint_from_celsius(value: float, unit: str) -> float:
    """A setpoint or limit given in °C, in `unit`: whole degrees in °F (70, not 69.8)."""
    if not is_fahrenheit(unit):
        return value
    return float(round(to_fahrenheit(value, CELSIUS)))


def default_tolerance(unit: str) -> float:
    """The default hysteresis around a target: 0.5 °C or 1 °F."""
    return DEFAULT_TOLERANCE_F if is_fahrenheit(unit) else DEFAULT_TOLERANCE_C


def default_degree_day_base(unit: str) -> float:
    """The conventional degree-day base: 18 °C or 65 °F."""
    return DEFAULT_DEGREE_DAY_BASE_F if is_fahrenheit(unit) else DEFAULT_DEGREE_DAY_BASE_C


@dataclass(frozen=True, slots=True)
class ThermostatLimits:
    """The range and step of a thermostat's setpoint."""

    min_temp: float
    max_temp: float
    step: float


CELSIUS_LIMITS: Final = ThermostatLimits(7.0, 35.0, 0.5)
FAHRENHEIT_LIMITS: Final = ThermostatLimits(45.0, 95.0, 1.0)


def thermostat_limits(unit: str) -> ThermostatLimits:
    """A zone thermostat's limits, also assumed for equipment that reports none."""
    return FAHRENHEIT_LIMITS if is_fahrenheit(unit) else CELSIUS_LIMITS
