"""Translation between Home Assistant states/services and the engine's observations/commands.

The only place that knows how another integration's entity looks (attributes, features, services).
Nothing here decides anything: it reads states into engine types and turns engine commands into
service calls.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final

from homeassistant.components.climate.const import (
    ATTR_CURRENT_HUMIDITY,
    ATTR_CURRENT_TEMPERATURE,
    ATTR_FAN_MODE,
    ATTR_FAN_MODES,
    ATTR_HVAC_ACTION,
    ATTR_HVAC_MODE,
    ATTR_HVAC_MODES,
    ATTR_MAX_TEMP,
    ATTR_MIN_TEMP,
    ATTR_TARGET_TEMP_STEP,
    DOMAIN as CLIMATE_DOMAIN,
    SERVICE_SET_HVAC_MODE,
    SERVICE_SET_TEMPERATURE,
)
from homeassistant.components.cover import (
    ATTR_CURRENT_POSITION,
    ATTR_POSITION,
    CoverEntityFeature,
)
from homeassistant.components.cover.const import DOMAIN as COVER_DOMAIN
from homeassistant.components.valve import ValveEntityFeature
from homeassistant.components.valve.const import DOMAIN as VALVE_DOMAIN
from homeassistant.components.weather.const import (
    ATTR_WEATHER_TEMPERATURE,
    ATTR_WEATHER_TEMPERATURE_UNIT,
)
from homeassistant.const import (
    ATTR_ENTITY_ID,
    ATTR_SUPPORTED_FEATURES,
    ATTR_TEMPERATURE,
    ATTR_UNIT_OF_MEASUREMENT,
    PERCENTAGE,
    SERVICE_CLOSE_COVER,
    SERVICE_CLOSE_VALVE,
    SERVICE_OPEN_COVER,
    SERVICE_OPEN_VALVE,
    SERVICE_SET_COVER_POSITION,
    SERVICE_SET_VALVE_POSITION,
    SERVICE_TURN_OFF,
    SERVICE_TURN_ON,
    STATE_OFF,
    STATE_ON,
    STATE_OPEN,
    STATE_UNAVAILABLE,
    STATE_UNKNOWN,
    UnitOfPower,
    UnitOfTemperature,
)
from homeassistant.core import State
from homeassistant.util import dt as dt_util
from homeassistant.util.unit_conversion import TemperatureConverter

from .engine import (
    ClimateState,
    Command,
    DamperState,
    HeadOutput,
    OutputKind,
    ScheduleState,
    SetClimate,
    SetDamper,
    finite,
    thermostat_limits,
)

# Readings outside these bounds (°C) are sensor faults, not weather: treat them as unavailable.
PLAUSIBLE_C: Final = (-60.0, 90.0)
_MISSING: Final = (STATE_UNAVAILABLE, STATE_UNKNOWN)
# Power units, to watts (a power sensor in another unit reads as watts).
POWER_UNITS: Final[dict[str, float]] = {
    UnitOfPower.WATT: 1.0,
    UnitOfPower.KILO_WATT: 1e3,
    UnitOfPower.MEGA_WATT: 1e6,
}
# The `schedule` helper's attribute with its next change (homeassistant.components.schedule).
ATTR_NEXT_EVENT: Final = "next_event"
# A head output sensor reads power (in `POWER_UNITS`) or an output level in %.
LEVEL_UNIT: Final = PERCENTAGE


def to_unit(value: Any, from_unit: str | None, to_unit_: str) -> float | None:
    """Convert a temperature to the system unit; None when it is not a plausible reading."""
    number = finite(value)
    if number is None:
        return None
    source = (
        from_unit
        if from_unit in (UnitOfTemperature.CELSIUS, UnitOfTemperature.FAHRENHEIT)
        else to_unit_
    )
    celsius = TemperatureConverter.convert(number, source, UnitOfTemperature.CELSIUS)
    if not PLAUSIBLE_C[0] <= celsius <= PLAUSIBLE_C[1]:
        return None
    return TemperatureConverter.convert(number, source, to_unit_)


def sensor_temperature(state: State | None, unit: str) -> float | None:
    """A temperature sensor's reading in the system unit, or None when unusable."""
    if state is None or state.state in _MISSING:
        return None
    return to_unit(state.state, state.attributes.get(ATTR_UNIT_OF_MEASUREMENT), unit)


def weather_temperature(state: State, unit: str) -> float | None:
    """A weather entity's temperature in the system unit, or None when unusable."""
    source = state.attributes.get(ATTR_WEATHER_TEMPERATURE_UNIT, unit)
    return to_unit(state.attributes.get(ATTR_WEATHER_TEMPERATURE), source, unit)


def schedule_state(state: State | None) -> ScheduleState | None:
    """A `schedule` helper: on (comfort) or off (setback) and its next change; None if unusable.

    In the state machine `next_event` is a datetime; restored or sent over the API it is an ISO
    string. One that cannot be read (or none: an empty schedule) is no announced change.
    """
    if state is None or state.state not in (STATE_ON, STATE_OFF):
        return None
    value = state.attributes.get(ATTR_NEXT_EVENT)
    when = dt_util.parse_datetime(value) if isinstance(value, str) else value
    next_event = when.timestamp() if isinstance(when, datetime) and when.tzinfo else None
    return ScheduleState(on=state.state == STATE_ON, next_event=next_event)


def sensor_value(state: State | None) -> float | None:
    """A numeric sensor's reading (humidity, power…), or None when unusable."""
    if state is None or state.state in _MISSING:
        return None
    return finite(state.state)


def power_watts(state: State | None) -> float | None:
    """A power sensor's reading in watts (kW and MW converted), None when unusable."""
    value = sensor_value(state)
    if value is None or state is None:
        return None
    unit = state.attributes.get(ATTR_UNIT_OF_MEASUREMENT)
    return value * POWER_UNITS.get(str(unit), 1.0)


def head_output(state: State | None) -> HeadOutput | None:
    """A head output sensor's reading: power in watts or a level in %; None when unusable.

    Unknown, unavailable, non-numeric readings and units other than `POWER_UNITS` and % give
    None (the engine then weighs that sample without it); the engine also rejects absurd values.
    """
    value = sensor_value(state)
    if value is None or state is None:
        return None
    unit = state.attributes.get(ATTR_UNIT_OF_MEASUREMENT)
    if unit in POWER_UNITS:
        return HeadOutput(OutputKind.POWER, value * POWER_UNITS[unit])
    if unit == LEVEL_UNIT:
        return HeadOutput(OutputKind.LEVEL, value)
    return None


def _fan_modes(value: Any) -> tuple[str, ...]:
    return tuple(str(m) for m in value) if isinstance(value, (list, tuple)) else ()


def climate_state(state: State | None, unit: str) -> ClimateState | None:
    """Read a climate entity (source or head). None when it does not exist at all.

    Climate temperatures are in the system unit already (Home Assistant converts them).
    """
    if state is None:
        return None
    if state.state in _MISSING:
        return ClimateState(available=False)
    attrs = state.attributes
    modes = attrs.get(ATTR_HVAC_MODES)
    limits = thermostat_limits(unit)  # what equipment that reports none is taken to have
    return ClimateState(
        available=True,
        hvac_mode=state.state,
        hvac_action=str(attrs[ATTR_HVAC_ACTION]) if attrs.get(ATTR_HVAC_ACTION) else None,
        current_temperature=to_unit(attrs.get(ATTR_CURRENT_TEMPERATURE), unit, unit),
        target_temperature=finite(attrs.get(ATTR_TEMPERATURE)),
        min_temp=finite(attrs.get(ATTR_MIN_TEMP)) or limits.min_temp,
        max_temp=finite(attrs.get(ATTR_MAX_TEMP)) or limits.max_temp,
        target_temp_step=finite(attrs.get(ATTR_TARGET_TEMP_STEP)) or limits.step,
        hvac_modes=tuple(str(m) for m in modes)
        if isinstance(modes, (list, tuple))
        else ("off", "heat", "cool"),
        fan_mode=str(attrs[ATTR_FAN_MODE]) if attrs.get(ATTR_FAN_MODE) else None,
        fan_modes=_fan_modes(attrs.get(ATTR_FAN_MODES)),
    )


def climate_humidity(state: State | None) -> float | None:
    """The current humidity a climate entity reports, if any."""
    if state is None or state.state in _MISSING:
        return None
    return finite(state.attributes.get(ATTR_CURRENT_HUMIDITY))


def _positionable(state: State) -> bool:
    features = int(state.attributes.get(ATTR_SUPPORTED_FEATURES) or 0)
    domain = state.domain
    if domain == COVER_DOMAIN:
        return bool(features & CoverEntityFeature.SET_POSITION)
    if domain == VALVE_DOMAIN:
        return bool(features & ValveEntityFeature.SET_POSITION)
    return False


def damper_state(state: State | None) -> DamperState:
    """Read a damper: a cover or valve (with or without position) or a switch.

    The position it reports when it has one; else what its state says: `open` and `on` are
    open, anything else (`closed`, `closing`, and `opening`, which is not open yet) is closed.
    The airflow floor counts only what is seen open.
    """
    if state is None or state.state in _MISSING:
        return DamperState(available=False)
    positionable = _positionable(state)
    position = finite(state.attributes.get(ATTR_CURRENT_POSITION)) if positionable else None
    if position is None:
        position = 100.0 if state.state in (STATE_OPEN, STATE_ON) else 0.0
    return DamperState(
        available=True, position=max(0.0, min(100.0, position)), positionable=positionable
    )


def service_call(command: Command, state: State | None) -> tuple[str, str, dict[str, Any]]:
    """The (domain, service, data) that carries out one engine command."""
    if isinstance(command, SetClimate):
        if command.hvac_mode == "off" or command.target_temperature is None:
            return (
                CLIMATE_DOMAIN,
                SERVICE_SET_HVAC_MODE,
                {ATTR_ENTITY_ID: command.entity_id, ATTR_HVAC_MODE: command.hvac_mode},
            )
        # One call sets mode and setpoint together: one beep on heads that beep.
        return (
            CLIMATE_DOMAIN,
            SERVICE_SET_TEMPERATURE,
            {
                ATTR_ENTITY_ID: command.entity_id,
                ATTR_HVAC_MODE: command.hvac_mode,
                ATTR_TEMPERATURE: command.target_temperature,
            },
        )
    return _damper_call(command, state)


def _damper_call(command: SetDamper, state: State | None) -> tuple[str, str, dict[str, Any]]:
    entity_id = command.entity_id
    domain = entity_id.split(".", 1)[0]
    opened = command.position > 0
    data: dict[str, Any] = {ATTR_ENTITY_ID: entity_id}
    positionable = state is not None and _positionable(state)
    if domain == COVER_DOMAIN:
        if positionable:
            return (
                COVER_DOMAIN,
                SERVICE_SET_COVER_POSITION,
                data | {ATTR_POSITION: round(command.position)},
            )
        return COVER_DOMAIN, SERVICE_OPEN_COVER if opened else SERVICE_CLOSE_COVER, data
    if domain == VALVE_DOMAIN:
        if positionable:
            return (
                VALVE_DOMAIN,
                SERVICE_SET_VALVE_POSITION,
                data | {ATTR_POSITION: round(command.position)},
            )
        return VALVE_DOMAIN, SERVICE_OPEN_VALVE if opened else SERVICE_CLOSE_VALVE, data
    return domain, SERVICE_TURN_ON if opened else SERVICE_TURN_OFF, data
