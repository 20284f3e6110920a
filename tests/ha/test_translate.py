"""Reading other integrations' states into engine types, and engine commands into service calls."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from homeassistant.core import State
import pytest

from custom_components.heat_pump_zoning.engine.control.schedule import ScheduleState
from custom_components.heat_pump_zoning.engine.model import (
    HeadOutput,
    OutputKind,
    SetClimate,
    SetDamper,
)
from custom_components.heat_pump_zoning.translate import (
    climate_humidity,
    climate_state,
    damper_state,
    head_output,
    power_watts,
    schedule_state,
    sensor_temperature,
    sensor_value,
    service_call,
    to_unit,
)

C, F = "°C", "°F"


@pytest.mark.parametrize(
    ("value", "from_unit", "to", "expected"),
    [
        ("21.5", C, C, 21.5),
        ("70", F, C, pytest.approx(21.111, abs=1e-3)),
        (21.0, C, F, pytest.approx(69.8)),
        ("20", None, C, 20.0),  # no unit: assume the system's
        ("nan", C, C, None),
        ("inf", C, C, None),
        ("warm", C, C, None),
        (None, C, C, None),
        ("1e9", C, C, None),  # absurd: a sensor fault, not weather
        ("-100", C, C, None),
    ],
)
def test_to_unit(value: Any, from_unit: str | None, to: str, expected: Any) -> None:
    """Plausible readings convert; garbage and absurd values are unknown."""
    assert to_unit(value, from_unit, to) == expected


def test_sensors() -> None:
    """Sensors: missing, unavailable, numeric, power units."""
    assert sensor_temperature(None, C) is None
    assert sensor_temperature(State("sensor.t", "unavailable"), C) is None
    assert sensor_temperature(State("sensor.t", "19", {"unit_of_measurement": C}), C) == 19.0
    assert sensor_value(State("sensor.h", "unknown")) is None
    assert sensor_value(State("sensor.h", "45.5")) == 45.5
    assert power_watts(State("sensor.p", "1.5", {"unit_of_measurement": "kW"})) == 1500.0
    assert power_watts(State("sensor.p", "800", {"unit_of_measurement": "W"})) == 800.0
    assert power_watts(State("sensor.p", "n/a")) is None
    assert power_watts(None) is None


def test_climate_state() -> None:
    """A climate entity's attributes, with defaults by unit when it omits them."""
    assert climate_state(None, C) is None
    assert climate_state(State("climate.h", "unavailable"), C).available is False  # type: ignore[union-attr]
    state = climate_state(
        State(
            "climate.h",
            "heat",
            {
                "hvac_action": "heating",
                "current_temperature": 22,
                "temperature": 23,
                "min_temp": 16,
                "max_temp": 30,
                "target_temp_step": 1,
                "hvac_modes": ["off", "heat"],
                "fan_mode": "high",
                "fan_modes": ["auto", "low", "high", 3],
            },
        ),
        C,
    )
    assert state is not None
    assert (state.hvac_mode, state.hvac_action, state.current_temperature) == (
        "heat",
        "heating",
        22,
    )
    assert (state.min_temp, state.max_temp, state.target_temp_step) == (16, 30, 1)
    assert state.hvac_modes == ("off", "heat")
    assert (state.fan_mode, state.fan_modes) == ("high", ("auto", "low", "high", "3"))
    bare = climate_state(State("climate.h", "cool"), F)
    assert bare is not None
    assert (bare.hvac_action, bare.min_temp, bare.max_temp, bare.target_temp_step) == (
        None,
        45.0,
        95.0,
        1.0,
    )
    assert bare.hvac_modes == ("off", "heat", "cool")
    assert (bare.fan_mode, bare.fan_modes) == (None, ())
    assert climate_humidity(State("climate.h", "heat", {"current_humidity": 40})) == 40
    assert climate_humidity(State("climate.h", "unavailable")) is None
    assert climate_humidity(None) is None


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        (None, None),
        (State("sensor.p", "unavailable", {"unit_of_measurement": "W"}), None),
        (State("sensor.p", "unknown", {"unit_of_measurement": "W"}), None),
        (State("sensor.p", "high", {"unit_of_measurement": "W"}), None),
        (State("sensor.p", "450", {"unit_of_measurement": "W"}), HeadOutput(OutputKind.POWER, 450)),
        (
            State("sensor.p", "0.45", {"unit_of_measurement": "kW"}),
            HeadOutput(OutputKind.POWER, 450),
        ),
        (State("sensor.p", "35", {"unit_of_measurement": "%"}), HeadOutput(OutputKind.LEVEL, 35)),
        (State("sensor.p", "35", {"unit_of_measurement": "Hz"}), None),
        (State("sensor.p", "35", {}), None),
    ],
)
def test_head_output(state: State | None, expected: HeadOutput | None) -> None:
    """A head output sensor: power in W, or a level in %; anything else is no reading."""
    assert head_output(state) == expected


@pytest.mark.parametrize(
    ("state", "available", "position", "positionable"),
    [
        (None, False, None, False),
        (State("cover.d", "unavailable"), False, None, False),
        (
            State("cover.d", "open", {"current_position": 60, "supported_features": 15}),
            True,
            60,
            True,
        ),
        (State("cover.d", "closing", {"supported_features": 3}), True, 0, False),
        (
            State("valve.d", "open", {"current_position": 30, "supported_features": 7}),
            True,
            30,
            True,
        ),
        # `opening` is not open yet: only what is seen open counts for the airflow floor.
        (State("valve.d", "opening", {"supported_features": 3}), True, 0, False),
        (State("cover.d", "closing", {"supported_features": 3}), True, 0, False),
        (
            State("cover.d", "opening", {"current_position": 40, "supported_features": 4}),
            True,
            40,
            True,
        ),
        (State("switch.d", "on"), True, 100, False),
        (State("switch.d", "off"), True, 0, False),
        (
            State("cover.d", "open", {"current_position": 150, "supported_features": 4}),
            True,
            100,
            True,
        ),
    ],
)
def test_damper_state(
    state: State | None, available: bool, position: Any, positionable: bool
) -> None:
    """Covers and valves with or without position, switches, and out-of-range positions."""
    damper = damper_state(state)
    assert (damper.available, damper.position, damper.positionable) == (
        available,
        position,
        positionable,
    )


def test_service_calls() -> None:
    """Every command becomes the one service call that carries it out."""
    assert service_call(SetClimate("climate.h", "off"), None) == (
        "climate",
        "set_hvac_mode",
        {"entity_id": "climate.h", "hvac_mode": "off"},
    )
    assert service_call(SetClimate("climate.h", "heat", 22.5), None) == (
        "climate",
        "set_temperature",
        {"entity_id": "climate.h", "hvac_mode": "heat", "temperature": 22.5},
    )
    positioned = State("cover.d", "open", {"supported_features": 15})
    assert service_call(SetDamper("cover.d", 40.4), positioned)[1:] == (
        "set_cover_position",
        {"entity_id": "cover.d", "position": 40},
    )
    assert service_call(SetDamper("cover.d", 100), State("cover.d", "open"))[1] == "open_cover"
    assert service_call(SetDamper("cover.d", 0), None)[1] == "close_cover"
    valve = State("valve.d", "open", {"supported_features": 4})
    assert service_call(SetDamper("valve.d", 55), valve)[1:] == (
        "set_valve_position",
        {"entity_id": "valve.d", "position": 55},
    )
    assert service_call(SetDamper("valve.d", 100), None)[1] == "open_valve"
    assert service_call(SetDamper("valve.d", 0), None)[1] == "close_valve"
    assert service_call(SetDamper("switch.d", 100), None)[:2] == ("switch", "turn_on")
    assert service_call(SetDamper("switch.d", 0), None)[:2] == ("switch", "turn_off")


def test_booleans_are_not_readings() -> None:
    """`True` is not 1.0: a boolean reading counts as no reading (the engine's number rule)."""
    boolean = State(
        "climate.h",
        "heat",
        {
            "current_temperature": True,
            "temperature": False,
            "min_temp": True,
            "max_temp": True,
            "target_temp_step": True,
            "current_humidity": True,
        },
    )
    state = climate_state(boolean, C)
    assert state is not None
    assert state.current_temperature is None
    assert state.target_temperature is None
    assert (state.min_temp, state.max_temp, state.target_temp_step) == (7.0, 35.0, 0.5)
    assert climate_humidity(boolean) is None
    assert to_unit(True, C, C) is None
    damper = damper_state(
        State("cover.d", "closed", {"current_position": True, "supported_features": 4})
    )
    assert damper.position == 0.0  # from the state, not a position of 1


@pytest.mark.parametrize(
    ("state", "next_event", "expected"),
    [
        ("on", datetime(2026, 1, 12, 22, tzinfo=UTC), ScheduleState(True, 1768255200.0)),
        ("off", "2026-01-12T22:00:00+00:00", ScheduleState(False, 1768255200.0)),  # restored
        ("off", None, ScheduleState(False, None)),  # an empty schedule announces nothing
        ("on", "not a time", ScheduleState(True, None)),
        ("on", datetime(2026, 1, 12, 22), ScheduleState(True, None)),  # no time zone: unusable
        ("unavailable", None, None),
        ("unknown", None, None),
    ],
)
def test_schedule_state(state: str, next_event: Any, expected: ScheduleState | None) -> None:
    """A schedule helper: on/off and its next change, as the state machine or the API has it."""
    attributes = {} if next_event is None else {"next_event": next_event}
    assert schedule_state(State("schedule.bedroom_day", state, attributes)) == expected
    assert schedule_state(None) is None
