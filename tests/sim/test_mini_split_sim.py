"""Multi-zone mini-split: modulation, shared outdoor mode, minimum output."""

from __future__ import annotations

import pytest

from sim import HVACAction, HVACMode, build_demo_house, constant_weather
from sim.minisplit import min_speed_cop_gain
from sim.units import f_to_c


def test_head_modulates_between_min_and_max() -> None:
    house = build_demo_house(weather=constant_weather(-8.0, hours=48), gains_scale=0.0)
    head = house.heads["bedroom2"]
    head.set_mode("heat")
    head.set_setpoint(24.0)
    outputs: list[float] = []
    for _ in range(8 * 60):
        house.step(60.0)
        outputs.append(head.output_w)
    running = [o for o in outputs if o > 0.0]
    assert running
    # Full output when far from setpoint, less when close: several distinct levels.
    assert max(running) > 1.5 * min(running)
    assert len({round(o) for o in running}) > 10
    assert max(running) <= head.max_w * 1.3


def test_part_load_cop_is_higher_than_full_load() -> None:
    unit = build_demo_house().minisplits["upstairs"]
    t47 = f_to_c(47.0)
    smin = unit.spec.outdoor_min_fraction
    assert unit.cop(HVACMode.HEAT, t47, smin) == pytest.approx(
        1.37 * unit.cop(HVACMode.HEAT, t47, 1.0)
    )
    assert min_speed_cop_gain(f_to_c(17.0)) == pytest.approx(1.25)
    assert min_speed_cop_gain(f_to_c(5.0)) == pytest.approx(1.15)


def test_cannot_heat_one_room_while_cooling_another() -> None:
    house = build_demo_house(weather=constant_weather(15.0, ghi_w_m2=0.0))
    heat_head = house.heads["study"]
    cool_head = house.heads["bedroom2"]
    heat_head.set_mode("heat")
    heat_head.set_setpoint(28.0)
    cool_head.set_mode("cool")  # turned on second: blocked
    cool_head.set_setpoint(16.0)
    unit = house.minisplits["upstairs"]
    for _ in range(120):
        house.step(60.0)
        assert not (heat_head.output_w > 0.0 and cool_head.output_w < 0.0)
        assert cool_head.hvac_action is HVACAction.IDLE
    assert unit.mode is HVACMode.HEAT
    truth = house.truth
    assert truth.rooms["study"].heat_j > 0.0
    assert truth.heads["bedroom2"].mode_conflict_s == pytest.approx(120 * 60.0)
    assert truth.heads["bedroom2"].mode_conflict_calling_s > 0.0
    assert truth.minisplits["upstairs"].mode_conflict_s == truth.mode_conflict_s
    assert truth.rooms["bedroom2"].cool_j == 0.0
    # Once the heating head is turned off, the cooling head takes the outdoor unit
    # (after the compressor's restart delay).
    heat_head.set_mode("off")
    house.run(600.0, 60.0)
    assert (unit.mode, cool_head.hvac_action) == (HVACMode.COOL, HVACAction.COOLING)
    assert truth.rooms["bedroom2"].cool_j > 0.0


def test_first_head_on_sets_the_mode() -> None:
    house = build_demo_house(weather=constant_weather(15.0))
    house.heads["bedroom2"].set_mode("cool")
    house.heads["study"].set_mode("heat")
    house.step(60.0)
    assert house.minisplits["upstairs"].mode is HVACMode.COOL
    assert house.heads["study"].blocked


def test_small_load_below_outdoor_minimum_cycles_the_compressor() -> None:
    house = build_demo_house(weather=constant_weather(5.0, hours=48))
    head = house.heads["study"]
    head.set_mode("heat")
    head.set_setpoint(21.0)
    house.run(12 * 3600.0, 60.0)
    truth = house.truth.minisplits["upstairs"]
    assert truth.below_minimum_s > 0.0
    assert truth.cycles.starts >= 3
    assert len(truth.cycles.run_lengths_s) >= 2


def test_head_reads_warmer_than_room_in_heat() -> None:
    house = build_demo_house(weather=constant_weather(0.0))
    head = house.heads["study"]
    head.set_mode("heat")
    head.set_setpoint(26.0)
    house.run(2 * 3600.0, 60.0)
    offset = head.current_temperature - house.rooms["study"].temperature
    assert 1.0 <= offset <= 2.0


def test_defrost_and_capacity_limits() -> None:
    unit = build_demo_house().minisplits["upstairs"]
    _, hi_cold = unit.capacity_limits_w(HVACMode.HEAT, f_to_c(17.0))
    lo_mild, hi_mild = unit.capacity_limits_w(HVACMode.HEAT, f_to_c(47.0))
    assert hi_cold == pytest.approx(0.69 * hi_mild)  # DOMAIN.md variable-speed
    assert lo_mild < hi_mild
    house = build_demo_house(weather=constant_weather(f_to_c(20.0)))
    house.heads["study"].set_mode("heat")
    house.heads["study"].set_setpoint(24.0)
    house.run(3 * 3600.0, 60.0)
    assert house.truth.minisplits["upstairs"].defrost_s > 0.0
    assert house.power_w("upstairs") >= 0.0


def test_per_head_power_adds_up_to_the_unit_and_follows_output() -> None:
    """Heads are metered like outdoor units that report consumption per indoor unit."""
    house = build_demo_house(weather=constant_weather(-5.0, hours=24), gains_scale=0.0)
    unit = house.minisplits["upstairs"]
    big, small = house.heads["bedroom2"], house.heads["study"]
    for head, setpoint in ((big, 26.0), (small, 21.0)):
        head.set_mode("heat")
        head.set_setpoint(setpoint)
    both = 0
    for _ in range(6 * 60):
        house.step(60.0)
        assert big.power_w + small.power_w == pytest.approx(unit.power_w)
        for head in (big, small):
            assert (head.power_w > 0.0) == (head.output_w != 0.0)
        if big.output_w > 0.0 and small.output_w > 0.0:
            both += 1
            fans = big.spec.fan_w + small.spec.fan_w
            share = (big.power_w - big.spec.fan_w) / (unit.power_w - fans)
            assert share == pytest.approx(big.output_w / (big.output_w + small.output_w))
    assert both > 10
    big.set_mode("off")
    small.set_mode("off")
    house.step(60.0)
    assert big.power_w == small.power_w == unit.power_w == 0.0
