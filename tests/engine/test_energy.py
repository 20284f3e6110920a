"""The capacity/COP model and power cleaning."""

from __future__ import annotations

import pytest

from engine.ledger.energy import EnergyModel, clean_power, defrost_fraction, kwh
from engine.model import Mode
from engine.units import to_fahrenheit


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1500.0, 1500.0),
        (0.0, 0.0),
        (None, None),
        (-5.0, None),
        (float("nan"), None),
        (float("inf"), None),
        (1e9, None),
        (True, None),
        ("2500", 2500.0),
        ("unavailable", None),
    ],
)
def test_clean_power(value: object, expected: float | None) -> None:
    assert clean_power(value) == expected  # type: ignore[arg-type]


def test_kwh_and_units() -> None:
    assert kwh(1000.0, 3600.0) == 1.0
    assert to_fahrenheit(0.0, "°C") == 32.0
    assert to_fahrenheit(47.0, "°F") == 47.0


def test_defrost_fraction() -> None:
    assert defrost_fraction(45.0) == 0.0
    assert defrost_fraction(40.0) == 0.0
    assert defrost_fraction(35.0) == pytest.approx(0.029)
    assert defrost_fraction(0.0) == 0.08
    assert defrost_fraction(-40.0) == 0.08


def test_default_ratings_match_federal_minimum() -> None:
    model = EnergyModel()
    assert model.rated_heating_cop == pytest.approx(1.5 * 7.5 / 3.412)
    assert model.rated_cooling_cop == pytest.approx(14.3 / 3.412)
    assert model.cop(Mode.HEAT, None) == model.rated_heating_cop
    assert model.cop(Mode.COOL, None) == model.rated_cooling_cop
    overridden = EnergyModel(heating_cop_47=4.0, cooling_cop_82=5.0)
    assert overridden.rated_heating_cop == 4.0
    assert overridden.rated_cooling_cop == 5.0


def test_heating_cop_falls_with_outdoor_temperature() -> None:
    model = EnergyModel(unit="°F")
    temps = [60.0, 47.0, 40.0, 35.0, 17.0, 5.0, -10.0]
    cops = [model.cop(Mode.HEAT, t) for t in temps]
    assert cops == sorted(cops, reverse=True)
    assert cops[0] > cops[1]
    # 17 °F: 74 % of the 47 °F COP, times the defrost derate.
    f = defrost_fraction(17.0)
    expected = 0.74 * model.rated_heating_cop * (1 - 1.8 * f) / (1 - 0.3 * f)
    assert model.cop(Mode.HEAT, 17.0) == pytest.approx(expected)
    assert model.cop(Mode.HEAT, -200.0) == model.min_cop


def test_cooling_cop_falls_as_it_gets_hotter() -> None:
    model = EnergyModel(unit="°F")
    assert model.cop(Mode.COOL, 95.0) == pytest.approx(0.75 * model.rated_cooling_cop)
    assert model.cop(Mode.COOL, 70.0) > model.cop(Mode.COOL, 82.0) > model.cop(Mode.COOL, 95.0)
    assert model.cop(Mode.COOL, 0.0) == pytest.approx(1.5 * model.rated_cooling_cop)


def test_celsius_input_is_converted() -> None:
    assert EnergyModel(unit="°C").cop(Mode.HEAT, -8.333333333) == pytest.approx(
        EnergyModel(unit="°F").cop(Mode.HEAT, 17.0)
    )


def test_heating_capacity_and_defrost() -> None:
    model = EnergyModel(unit="°F", heating_capacity_w=10000.0)
    assert model.capacity_w(Mode.HEAT, 47.0) == pytest.approx(10000.0)
    assert model.capacity_w(Mode.HEAT, None) == 10000.0
    f = defrost_fraction(17.0)
    assert model.capacity_w(Mode.HEAT, 17.0) == pytest.approx(6900.0 * (1 - 1.8 * f))
    assert model.capacity_w(Mode.HEAT, -300.0) == pytest.approx(2500.0 * (1 - 1.8 * 0.08))
    assert model.capacity_w(Mode.COOL, 95.0) == model.cooling_capacity_w


def test_power_estimate() -> None:
    model = EnergyModel(unit="°F", fan_only_w=300.0, standby_w=10.0, load_fraction=0.5)
    heat = model.power_w(running=True, mode=Mode.HEAT, blower=True, outdoor=47.0)
    assert heat == pytest.approx(0.5 * model.heating_capacity_w / model.rated_heating_cop)
    cold = model.power_w(running=True, mode=Mode.HEAT, blower=True, outdoor=5.0)
    assert cold > 0.0
    assert model.power_w(running=False, mode=None, blower=True, outdoor=5.0) == 300.0
    assert model.power_w(running=False, mode=None, blower=False, outdoor=5.0) == 10.0
    assert model.power_w(running=True, mode=None, blower=False, outdoor=5.0) == 10.0


@pytest.mark.parametrize(
    "kwargs",
    [
        {"hspf2": 0.0},
        {"seer2": float("nan")},
        {"heating_capacity_w": -1.0},
        {"heating_cop_47": 0.0},
        {"cooling_cop_82": float("inf")},
        {"load_fraction": 0.0},
        {"load_fraction": 1.5},
        {"capacity_17_ratio": 2.0},
        {"fan_only_w": -1.0},
    ],
)
def test_rejects_meaningless_settings(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        EnergyModel(**kwargs)  # type: ignore[arg-type]
