"""Shares of a multi-split's outdoor unit: output sensors, fixed fan speeds, else equal."""

from __future__ import annotations

import math

import pytest

from engine.ledger.head_output import (
    LOWEST_FAN_WEIGHT,
    MAX_HEAD_POWER_W,
    fan_weight,
    head_weights,
    usable_output,
)
from engine.model import ClimateState, HeadOutput, OutputKind

POWER = OutputKind.POWER
LEVEL = OutputKind.LEVEL
MODES = ("auto", "quiet", "low", "medium", "high")


def fan(mode: str | None, modes: tuple[str, ...] = MODES) -> ClimateState:
    return ClimateState(hvac_mode="heat", hvac_action="heating", fan_mode=mode, fan_modes=modes)


@pytest.mark.parametrize(
    ("output", "expected"),
    [
        (None, None),
        (HeadOutput(POWER, 850.0), 850.0),
        (HeadOutput(POWER, 0.0), 0.0),
        (HeadOutput(POWER, MAX_HEAD_POWER_W), MAX_HEAD_POWER_W),
        (HeadOutput(POWER, MAX_HEAD_POWER_W + 1.0), None),
        (HeadOutput(POWER, -5.0), None),
        (HeadOutput(POWER, math.nan), None),
        (HeadOutput(POWER, math.inf), None),
        (HeadOutput(LEVEL, 100.0), 100.0),
        (HeadOutput(LEVEL, 100.5), None),
        (HeadOutput(POWER, "12"), 12.0),  # type: ignore[arg-type]
        (HeadOutput(POWER, "on"), None),  # type: ignore[arg-type]
        (HeadOutput(POWER, None), None),  # type: ignore[arg-type]
    ],
)
def test_usable_output(output: HeadOutput | None, expected: float | None) -> None:
    assert usable_output(output) == expected


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        (None, None),
        (fan(None), None),
        (fan("auto"), None),
        (fan("Auto"), None),
        (fan("breeze"), None),
        (fan("quiet"), LOWEST_FAN_WEIGHT),
        (fan("low"), LOWEST_FAN_WEIGHT + (1 - LOWEST_FAN_WEIGHT) / 3),
        (fan("High"), 1.0),
        # named variants are one speed: "Medium-High" == "medium_high"
        (fan("Medium-High", ("auto", "low", "medium_high", "turbo")), 0.75),
        # numbered levels on their own scale; the named speeds do not count
        (fan("2", ("auto", "1", "2", "3", "4", "5", "quiet")), 0.625),
        (fan("level_5", ("auto", "level_1", "level_3", "level_5")), 1.0),
        # a single fixed speed, or a speed the list does not have and nothing else: no scale
        (fan("high", ("auto", "high")), None),
        (fan("high", ()), None),
        (fan("low", ("auto", "high")), LOWEST_FAN_WEIGHT),
        (fan("level 123"), None),
        (ClimateState(fan_mode=3, fan_modes=MODES), None),  # type: ignore[arg-type]
        (ClimateState(fan_mode="low", fan_modes=(1, "high")), LOWEST_FAN_WEIGHT),  # type: ignore[arg-type]
    ],
)
def test_fan_weight(state: ClimateState | None, expected: float | None) -> None:
    weight = fan_weight(state)
    if expected is None:
        assert weight is None
    else:
        assert weight == pytest.approx(expected)


def test_power_readings_on_every_running_head_are_the_weights() -> None:
    weights = head_weights(
        {"a": (HeadOutput(POWER, 900.0), fan("low")), "b": (HeadOutput(POWER, 300.0), fan("high"))}
    )
    assert weights == {"a": 900.0, "b": 300.0}


def test_levels_on_every_running_head_are_the_weights() -> None:
    weights = head_weights(
        {"a": (HeadOutput(LEVEL, 80.0), None), "b": (HeadOutput(LEVEL, 0.0), None)}
    )
    assert weights == {"a": 80.0, "b": 0.0}


@pytest.mark.parametrize(
    "b",
    [
        None,  # one head without a sensor
        HeadOutput(POWER, math.nan),  # one reading unusable
        HeadOutput(LEVEL, 40.0),  # W and % cannot be compared
    ],
)
def test_incomparable_readings_fall_back_to_fan_then_equal(b: HeadOutput | None) -> None:
    a = HeadOutput(POWER, 900.0)
    assert head_weights({"a": (a, fan("auto")), "b": (b, fan("high"))}) == {"a": 1.0, "b": 1.0}
    assert head_weights({"a": (a, fan("quiet")), "b": (b, fan("high"))}) == {
        "a": LOWEST_FAN_WEIGHT,
        "b": 1.0,
    }


def test_fan_speeds_only_when_every_running_head_has_a_fixed_one() -> None:
    assert head_weights({"a": (None, fan("quiet")), "b": (None, fan("auto"))}) == {
        "a": 1.0,
        "b": 1.0,
    }
    assert head_weights({"a": (None, fan("quiet")), "b": (None, None)}) == {"a": 1.0, "b": 1.0}
    assert head_weights({}) == {}
