"""Thermal network: conservation, drift, stability."""

from __future__ import annotations

import math

from hypothesis import given, settings, strategies as st

from sim import (
    House,
    HouseSpec,
    RoomSpec,
    build_demo_house,
    constant_weather,
    synthetic_weather,
)
from sim.house import invert


def test_invert_matches_identity() -> None:
    m = [[4.0, -1.0, 0.0], [-1.0, 4.0, -1.0], [0.0, -1.0, 3.0]]
    inv = invert(m)
    for i in range(3):
        for j in range(3):
            v = sum(m[i][k] * inv[k][j] for k in range(3))
            assert math.isclose(v, 1.0 if i == j else 0.0, abs_tol=1e-12)


def test_energy_balance_closes_with_equipment() -> None:
    house = build_demo_house(weather=synthetic_weather("winter", 2, seed=3))
    house.ducted["main"].set_mode("heat")
    house.ducted["main"].set_setpoint(22.0)
    house.dampers["office"].set_position(30)
    house.heads["bedroom2"].set_mode("heat")
    house.heads["bedroom2"].set_setpoint(22.0)
    house.run(2 * 86400, 60.0)
    b = house.truth.balance
    heat_in = b.hvac_j + b.internal_gains_j + b.solar_gains_j
    out = house.stored_energy_j() + b.loss_outdoor_j + b.loss_ground_j
    assert b.hvac_j > 1e8  # the equipment really ran
    assert abs(heat_in - out) < 1e-6 * abs(heat_in)
    # Equipment heat reported per room adds up to what the network received.
    per_room = sum(r.net_heat_j for r in house.truth.rooms.values())
    assert math.isclose(per_room, b.hvac_j, rel_tol=1e-9)


def test_energy_balance_closes_in_cooling_with_variable_steps() -> None:
    house = build_demo_house(weather=synthetic_weather("summer", 2, seed=4))
    house.ducted["main"].set_mode("cool")
    house.ducted["main"].set_setpoint(23.0)
    for dt in (30.0, 60.0, 90.0, 600.0) * 100:
        house.step(dt)
    assert house.truth.balance.hvac_j < 0.0
    b = house.truth.balance
    scale = abs(b.hvac_j) + b.internal_gains_j + b.solar_gains_j + abs(b.loss_outdoor_j)
    assert abs(house.energy_balance_error_j()) < 1e-6 * scale


def test_unheated_house_drifts_to_outdoor_temperature() -> None:
    weather = constant_weather(0.0, hours=24)
    spec = HouseSpec((RoomSpec("a", 20.0, storey=1), RoomSpec("b", 30.0, storey=1)))
    house = House(spec, weather, gains_scale=0.0)
    house.run(60 * 86400, 1800.0)
    for room in house.rooms.values():
        assert abs(room.temperature) < 0.5
        assert abs(room.envelope_temperature) < 0.5


def test_demo_house_without_equipment_floats_between_outdoor_and_start() -> None:
    weather = constant_weather(-5.0, hours=24)
    house = build_demo_house(weather=weather, gains_scale=0.0)
    house.run(10 * 86400, 600.0)
    temps = house.room_temperatures().values()
    # Ground-floor rooms are held up a little by the ground, nothing by gains.
    assert all(-5.0 < t < 15.0 for t in temps)
    assert max(temps) - min(temps) < 10.0


def test_heated_room_warms() -> None:
    weather = constant_weather(2.0, hours=48)
    base = build_demo_house(weather=weather)
    heated = build_demo_house(weather=weather)
    heated.heads["study"].set_mode("heat")
    heated.heads["study"].set_setpoint(25.0)
    base.run(6 * 3600, 60.0)
    heated.run(6 * 3600, 60.0)
    assert heated.rooms["study"].temperature > base.rooms["study"].temperature + 2.0
    assert heated.truth.rooms["study"].heat_j > 0.0
    assert base.truth.rooms["study"].heat_j == 0.0


def test_time_constants_allow_60_s_steps() -> None:
    house = build_demo_house()
    fast_h, slow_h = house.time_constants_h()
    assert fast_h * 3600.0 > 10 * 60.0
    assert slow_h > fast_h


def test_trace_is_sampled_every_five_minutes() -> None:
    house = build_demo_house()
    house.run(3600.0, 60.0)
    truth = house.truth
    assert len(truth.trace_times) == 13  # t0 plus 12 samples
    assert all(len(r.temperature_trace) == 13 for r in truth.rooms.values())
    steps = [b - a for a, b in zip(truth.trace_times, truth.trace_times[1:], strict=False)]
    assert all(math.isclose(s, 300.0) for s in steps)


COMMAND = st.tuples(
    st.sampled_from(["off", "heat", "cool"]),
    st.floats(min_value=-50.0, max_value=80.0),
    st.integers(min_value=0, max_value=100),
)


@settings(max_examples=20, deadline=None)
@given(
    commands=st.lists(
        st.tuples(COMMAND, COMMAND, COMMAND, st.integers(min_value=0, max_value=100)),
        min_size=1,
        max_size=8,
    ),
    dt=st.sampled_from([30.0, 60.0, 300.0, 900.0]),
    season=st.sampled_from(["winter", "summer", "shoulder"]),
)
def test_random_commands_keep_temperatures_finite_and_bounded(
    commands: list[
        tuple[tuple[str, float, int], tuple[str, float, int], tuple[str, float, int], int]
    ],
    dt: float,
    season: str,
) -> None:
    house = build_demo_house(weather=synthetic_weather(season, 2, seed=0))  # type: ignore[arg-type]
    for (dmode, dsp, dpos), (h1m, h1s, _), (h2m, h2s, _), pos2 in commands:
        house.ducted["main"].set_mode(dmode)
        house.ducted["main"].set_setpoint(dsp)
        house.dampers["living"].set_position(dpos)
        house.dampers["kitchen"].set_position(pos2)
        house.heads["bedroom2"].set_mode(h1m)
        house.heads["bedroom2"].set_setpoint(h1s)
        house.heads["study"].set_mode(h2m)
        house.heads["study"].set_setpoint(h2s)
        house.run(3600.0, dt)
        for room in house.rooms.values():
            assert math.isfinite(room.temperature)
            assert -30.0 < room.temperature < 60.0
            assert 0.0 <= room.humidity <= 100.0
    b = house.truth.balance
    scale = abs(b.hvac_j) + b.internal_gains_j + b.solar_gains_j + abs(b.loss_outdoor_j)
    assert abs(house.energy_balance_error_j()) < 1e-6 * scale
