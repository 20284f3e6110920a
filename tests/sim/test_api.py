"""The public API as a Home Assistant companion or a benchmark would use it."""

from __future__ import annotations

import pytest

from sim import (
    DEMO_DUCTED_ROOMS,
    DEMO_MINISPLIT_ROOMS,
    HVACAction,
    build_demo_house,
    build_ten_room_house,
    kwh,
    synthetic_weather,
)


def test_demo_house_ids_are_stable() -> None:
    house = build_demo_house()
    assert list(house.rooms) == [*DEMO_DUCTED_ROOMS, *DEMO_MINISPLIT_ROOMS]
    assert list(house.dampers) == list(DEMO_DUCTED_ROOMS)
    assert list(house.heads) == list(DEMO_MINISPLIT_ROOMS)
    assert house.system_ids == ["main", "upstairs"]
    assert house.rooms["living"].name == "Living room"
    assert house.dampers["office"].room == "office"


def test_observables() -> None:
    house = build_demo_house(weather=synthetic_weather("winter", 2, seed=5))
    t0 = house.time
    house.step(60.0)
    assert house.time == t0 + 60.0
    assert -30.0 < house.outdoor_temperature < 20.0
    assert house.solar_irradiance >= 0.0
    room = house.rooms["kitchen"]
    assert 10.0 < room.temperature < 30.0
    assert 10.0 < room.humidity < 80.0
    unit = house.ducted["main"]
    assert unit.hvac_action is HVACAction.OFF
    assert unit.current_temperature == pytest.approx(house.rooms["living"].temperature)
    assert unit.target_temperature == 21.0
    head = house.heads["study"]
    assert head.hvac_action is HVACAction.OFF
    assert head.current_temperature > house.rooms["study"].temperature
    house.dampers["living"].set_position(150)
    assert house.dampers["living"].position == 100.0
    unit.set_setpoint(100.0)
    assert unit.target_temperature == unit.max_temp
    with pytest.raises(ValueError, match="auto"):
        unit.set_mode("auto")
    assert house.power_w("main") == 0.0
    with pytest.raises(KeyError):
        house.power_w("nope")


def test_run_calls_controller_before_each_step() -> None:
    house = build_demo_house()
    calls: list[float] = []
    house.run(600.0, 60.0, on_step=lambda h: calls.append(h.time))
    assert len(calls) == 10
    assert calls[1] - calls[0] == 60.0


def test_summary_and_units() -> None:
    house = build_demo_house()
    house.ducted["main"].set_mode("heat")
    house.ducted["main"].set_setpoint(23.0)
    house.run(4 * 3600.0, 60.0)
    s = house.truth.summary()
    main = s["ducted"]["main"]  # type: ignore[index]
    assert main["electrical_kwh"] == pytest.approx(kwh(house.truth.electrical_j("main")))
    assert main["starts"] >= 1
    assert kwh(3.6e6) == 1.0


def test_ten_room_house_runs() -> None:
    house = build_ten_room_house()
    assert len(house.rooms) == 10
    house.ducted["ground"].set_mode("heat")
    house.ducted["ground"].set_setpoint(21.0)
    for head in house.heads.values():
        head.set_mode("heat")
        head.set_setpoint(21.0)
    house.run(86400.0, 60.0)
    assert house.truth.electrical_j("ground") > 0.0
    assert house.truth.electrical_j("upper") > 0.0


def test_custom_house_with_two_ducted_units() -> None:
    from sim import DamperSpec, DuctedSpec, House, HouseSpec, RoomSpec, constant_weather, partition

    rooms = (RoomSpec("a", 40.0), RoomSpec("b", 40.0, storey=1))
    spec = HouseSpec(
        rooms,
        (partition("a", "b", 10.0),),
        (
            DuctedSpec("down", "a", (DamperSpec("a", "a", 400.0),), rated_capacity_btuh=12000.0),
            DuctedSpec("up", "b", (DamperSpec("b", "b", 400.0),), rated_capacity_btuh=12000.0),
        ),
    )
    house = House(spec, constant_weather(-3.0))
    for unit in house.ducted.values():
        unit.set_mode("heat")
        unit.set_setpoint(22.0)
    house.run(4 * 3600.0, 60.0)
    assert house.system_ids == ["down", "up"]
    assert house.truth.rooms["a"].heat_j > 0.0 and house.truth.rooms["b"].heat_j > 0.0
    assert abs(house.energy_balance_error_j()) < 1.0


def test_spec_errors_are_clear() -> None:
    from sim import House, HouseSpec, Link, RoomSpec, constant_weather

    with pytest.raises(ValueError, match="unknown room 'x'"):
        House(HouseSpec((RoomSpec("a", 10.0),), (Link("a", "x", 1.0),)), constant_weather(0.0))
    house = build_demo_house()
    with pytest.raises(ValueError, match="finite"):
        house.heads["study"].set_setpoint(float("nan"))
