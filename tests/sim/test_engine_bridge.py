"""The sim <-> engine adapter: configuration, observation, commands, schedules, truth meter."""

from __future__ import annotations

import pytest

from benchmarks.engine_bridge import (
    DEMO_PLANS,
    EngineDriver,
    TruthMeter,
    ZonePlan,
    apply,
    damper_entity,
    head_entity,
    head_output,
    local_hour,
    most_demanding,
    observe,
    source_entity,
    system_configs,
    zone_settings,
)
from engine.model import (
    OutputKind,
    SetClimate,
    SetDamper,
    Topology,
    ZoneMode,
)
from sim import House, build_demo_house, constant_weather
from sim.truth import kwh
from sim.weather import Site


def _house(temperature: float = 0.0) -> House:
    return build_demo_house(weather=constant_weather(temperature, hours=72))


def test_configs_follow_the_house() -> None:
    house = _house()
    configs = system_configs(house)
    main, upstairs = configs["main"], configs["upstairs"]
    assert main.topology is Topology.DUCTED
    assert main.source == source_entity("main")
    assert [z.zone_id for z in main.zones] == ["living", "kitchen", "bedroom", "office"]
    assert main.zones[0].dampers == (damper_entity("living"),)
    assert main.zones[0].airflow == 300.0
    assert main.zones[0].floor_area == 35.0
    assert upstairs.topology is Topology.MINI_SPLIT
    assert [z.head for z in upstairs.zones] == [head_entity("bedroom2"), head_entity("study")]

    unzoned = system_configs(house, unzoned=True)["main"]
    (zone,) = unzoned.zones
    assert zone.zone_id == "living"
    assert len(zone.dampers) == 4
    assert zone.airflow == 800.0
    assert zone.floor_area == 87.0


def test_observe_translates_state() -> None:
    house = _house()
    configs = system_configs(house)
    house.dampers["office"].set_position(0)
    settings = {z.zone_id: zone_settings("winter", (21.0, 24.0)) for z in configs["main"].zones}
    obs = observe(house, configs["main"], settings)
    assert obs.source is not None
    assert obs.source.hvac_mode == "off"
    assert obs.source.current_temperature == pytest.approx(house.rooms["living"].temperature)
    assert obs.dampers[damper_entity("office")].position == 0.0
    assert obs.dampers[damper_entity("living")].positionable
    assert obs.zones["kitchen"].temperature == house.rooms["kitchen"].temperature
    assert obs.zones["kitchen"].settings.hvac_mode is ZoneMode.HEAT

    split = configs["upstairs"]
    settings = {z.zone_id: zone_settings("summer", (21.0, 24.0)) for z in split.zones}
    obs = observe(house, split, settings)
    head = obs.heads[head_entity("study")]
    assert head.current_temperature == pytest.approx(house.heads["study"].current_temperature)
    assert obs.zones["study"].settings.target == 24.0
    assert obs.zones["study"].settings.hvac_mode is ZoneMode.COOL


def test_apply_commands() -> None:
    house = _house()
    apply(
        house,
        [
            SetDamper(damper_entity("bedroom"), 30.0),
            SetClimate(source_entity("main"), "heat", 22.5),
            SetClimate(head_entity("study"), "cool", 23.0),
            SetClimate(head_entity("bedroom2"), "off"),
        ],
    )
    assert house.dampers["bedroom"].position == 30.0
    assert house.ducted["main"].hvac_mode == "heat"
    assert house.ducted["main"].target_temperature == 22.5
    assert house.heads["study"].hvac_mode == "cool"
    assert house.heads["study"].target_temperature == 23.0
    assert house.heads["bedroom2"].hvac_mode == "off"
    apply(house, [SetClimate(source_entity("main"), "off")])
    assert house.ducted["main"].target_temperature == 22.5


def test_plans_and_most_demanding() -> None:
    site = Site()
    night = DEMO_PLANS["bedroom"]
    assert night.is_occupied(23.0)
    assert night.is_occupied(3.0)
    assert not night.is_occupied(12.0)
    t_noon = 12 * 3600.0 - site.utc_offset_h * 3600.0  # local noon on 1970-01-01
    assert local_hour(t_noon, site) == pytest.approx(12.0)
    assert night.setpoints(t_noon, site) == night.eco
    assert DEMO_PLANS["office"].setpoints(t_noon, site) == DEMO_PLANS["office"].home
    # One hour before occupancy the home setpoints apply (preconditioning).
    t_before = t_noon + 9.75 * 3600.0  # 21:45, bedroom occupied from 22:30
    assert night.setpoints(t_before, site) == night.home
    demanding = most_demanding("winter", [night, DEMO_PLANS["office"]], t_noon, site)
    assert demanding.setpoints(t_noon, site) == (21.0, 24.0)
    always = ZonePlan(((0.0, 24.0),))
    assert always.is_occupied(0.0)
    assert always.is_occupied(23.99)


def test_truth_meter_sums_to_the_system_truth() -> None:
    house = _house(-2.0)
    driver = EngineDriver(house, "winter")
    driver.start_booking()
    meter = TruthMeter(house)
    driver.run(6 * 3600.0, 60.0, meter)
    driver.finish()
    for sid, system in meter.systems.items():
        assert system.runtime_s > 0.0
        assert system.electrical_j == pytest.approx(house.truth.electrical_j(sid))
        rooms = system.rooms.values()
        assert sum(r.runtime_s for r in rooms) + system.unattributed_s == pytest.approx(
            system.runtime_s
        )
        assert sum(r.electrical_j for r in rooms) + system.unattributed_j == pytest.approx(
            system.electrical_j
        )
        ledger = driver.ledger(sid)
        assert ledger.lifetime()["kwh"] == pytest.approx(kwh(system.electrical_j))
        assert ledger.lifetime()["runtime_s"] == pytest.approx(system.runtime_s)
    heads = meter.systems["upstairs"].rooms
    for head_id, room in heads.items():
        assert room.own_runtime_s == pytest.approx(house.truth.heads[head_id].runtime_s)


def test_truth_meter_rejects_shared_rooms() -> None:
    house = _house()
    house.minisplits["upstairs"].heads[0].room = "living"
    with pytest.raises(ValueError, match="two systems"):
        TruthMeter(house)


def test_lagged_booking_shifts_by_one_step() -> None:
    aligned = EngineDriver(_house(-2.0), "winter")
    lagged = EngineDriver(_house(-2.0), "winter", lagged=True)
    for driver in (aligned, lagged):
        driver.start_booking()
        driver.run(4 * 3600.0, 60.0)
        driver.finish()
    a = aligned.ledger("main").lifetime()["runtime_s"]
    b = lagged.ledger("main").lifetime()["runtime_s"]
    assert a > 0.0
    assert abs(a - b) <= 60.0


def test_baselines_hold_every_room() -> None:
    house = _house(-2.0)
    driver = EngineDriver(house, "winter", baseline="every_room")
    settings = driver.settings_now("main")
    assert {s.target for s in settings.values()} == {21.0}
    one_zone = EngineDriver(_house(-2.0), "winter", baseline="one_zone")
    assert list(one_zone.settings_now("main")) == ["living"]
    assert one_zone.config("main").zones[0].dampers == tuple(
        damper_entity(d) for d in ("living", "kitchen", "bedroom", "office")
    )


def test_head_outputs_and_attribution_baselines() -> None:
    """Heads report metered power (W); the baselines book the same run equally and by level."""
    house = _house(-2.0)
    split = system_configs(house)["upstairs"]
    zone = next(z for z in split.zones if z.zone_id == "study")
    assert head_output(house, zone, "equal") is None
    driver = EngineDriver(house, "winter", attribution_baselines=True)
    assert set(driver.attribution_ledgers) == {"equal", "level"}
    assert set(driver.attribution_ledgers["equal"]) == {"upstairs"}  # mini-splits only
    driver.start_booking()
    driver.run(3 * 3600.0, 60.0)
    driver.finish()
    power = head_output(house, zone, "power")
    level = head_output(house, zone, "level")
    assert power is not None and power.kind is OutputKind.POWER
    assert power.value == round(house.heads["study"].power_w)
    assert level is not None and level.kind is OutputKind.LEVEL and 0.0 <= level.value <= 100.0
    main = driver.ledger("upstairs")
    total = main.lifetime()["runtime_s"]
    assert total > 0.0
    for ledgers in driver.attribution_ledgers.values():
        other = ledgers["upstairs"]
        assert other.lifetime()["runtime_s"] == pytest.approx(total)
        zones = sum(other.zone_lifetime(z.zone_id)["runtime_s"] for z in split.zones)
        assert zones == pytest.approx(total)
