"""Zone calls, hysteresis and demand weighting."""

from __future__ import annotations

import pytest

from engine.control.demand import (
    accepts,
    build_views,
    call_demand,
    cool_target,
    demand_by_mode,
    heat_target,
    opposite,
    shortfall,
    weight,
    zone_call,
)
from engine.model import Mode, ZoneConfig, ZoneMode, ZoneSettings

from .control_helpers import OFF, auto, cool, heat


def test_targets_by_mode() -> None:
    assert heat_target(heat(21)) == 21
    assert heat_target(auto(19, 25)) == 19
    assert heat_target(cool(24)) is None
    assert cool_target(cool(24)) == 24
    assert cool_target(auto(19, 25)) == 25
    assert cool_target(heat()) is None
    assert not accepts(OFF, Mode.HEAT)
    assert opposite(Mode.HEAT) is Mode.COOL
    assert opposite(Mode.COOL) is Mode.HEAT


@pytest.mark.parametrize(
    ("settings", "temperature", "previous", "expected"),
    [
        (heat(21), 20.6, None, Mode.HEAT),  # below target - tolerance
        (heat(21), 20.7, None, Mode.HEAT),  # exactly at the edge: calls (inclusive, in floats)
        (heat(21), 20.8, None, None),  # inside the band: not yet
        (heat(21), 20.9, Mode.HEAT, Mode.HEAT),  # hysteresis keeps calling
        (heat(21), 21.0, Mode.HEAT, Mode.HEAT),  # through the target
        (heat(21), 21.1, Mode.HEAT, Mode.HEAT),
        (heat(21), 21.15, Mode.HEAT, None),  # stops half a tolerance past it
        (cool(24), 24.3, None, Mode.COOL),
        (cool(24), 24.1, Mode.COOL, Mode.COOL),
        (cool(24), 23.9, Mode.COOL, Mode.COOL),
        (cool(24), 23.85, Mode.COOL, None),
        (auto(20, 24), 19.5, None, Mode.HEAT),
        (auto(20, 24), 24.5, None, Mode.COOL),
        (auto(20, 24), 22.0, Mode.HEAT, None),
        (OFF, -1e9, None, None),
        (heat(21), None, Mode.HEAT, None),
        (cool(24), 20.0, Mode.HEAT, None),  # previous call the zone no longer accepts
    ],
)
def test_zone_call(
    settings: ZoneSettings, temperature: float | None, previous: Mode | None, expected: Mode | None
) -> None:
    assert zone_call(settings, temperature, 0.3, previous) is expected


def test_inverted_heat_cool_band_keeps_previous_call() -> None:
    bad = auto(25, 20)  # heat below 25, cool above 20
    assert zone_call(bad, 22.0, 0.3, None) is Mode.HEAT
    assert zone_call(bad, 22.0, 0.3, Mode.COOL) is Mode.COOL


def test_demand_weighting() -> None:
    assert weight(0) == 1
    assert weight(3) == 4
    assert weight(-5) == pytest.approx(0.1)
    assert call_demand(heat(21), 19.0, Mode.HEAT, 0.3, 1) == pytest.approx(4.0)
    # inside the band: at least the tolerance
    assert call_demand(heat(21), 20.9, Mode.HEAT, 0.3, 0) == pytest.approx(0.3)
    assert shortfall(cool(24), 26.0, Mode.COOL) == pytest.approx(2.0)
    assert shortfall(heat(21), 26.0, Mode.COOL) is None


def test_build_views_and_demand() -> None:
    configs = (
        ZoneConfig("a", "A"),
        ZoneConfig("b", "B", priority=2),
        ZoneConfig("c", "C"),
        ZoneConfig("d", "D"),
    )
    settings = {"a": heat(21), "b": cool(24), "c": heat(21)}
    temps = {"a": 20.0, "b": 25.0, "c": None}
    available = {"a": True, "b": True, "c": True, "d": True}
    calls: dict[str, Mode] = {"c": Mode.HEAT}
    views = build_views(configs, settings, temps, available, calls, 0.3)
    assert [v.call for v in views] == [Mode.HEAT, Mode.COOL, None, None]
    assert [v.available for v in views] == [True, True, False, False]
    assert views[3].settings.hvac_mode is ZoneMode.OFF
    assert not views[3].on
    assert calls == {"a": Mode.HEAT, "b": Mode.COOL}
    demand = demand_by_mode(views, 0.3)
    assert demand[Mode.HEAT] == pytest.approx(1.0)
    assert demand[Mode.COOL] == pytest.approx(3.0)
