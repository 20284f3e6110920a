"""Ducted control: dampers, airflow budget, source command, protection, truthful actions."""

from __future__ import annotations

from dataclasses import replace

import pytest

from engine.control.commands import CommandLog
from engine.control.controller import Controller
from engine.control.source import (
    delivering,
    nudged_setpoint,
    source_mode,
    source_needs,
)
from engine.model import (
    ClimateState,
    ControllerMemory,
    DamperState,
    DamperStatus,
    Mode,
    SetClimate,
    SetDamper,
    SystemConfig,
    SystemObservation,
    Topology,
    WaitReason,
    ZoneAction,
    ZoneConfig,
    ZoneInput,
)

from .control_helpers import (
    OFF,
    SOURCE,
    STOPPED,
    auto,
    climate_commands,
    cool,
    damper_commands,
    ducted_config,
    ducted_obs,
    heat,
    open_share,
    started,
    step,
    zones,
)

RUNNING = ControllerMemory(active_mode=Mode.HEAT, mode_since=0.0, running=True, last_start=0.0)


def test_start_opens_calling_zone_and_nudges_source() -> None:
    cfg = ducted_config(3)
    obs = ducted_obs(cfg, zones((heat(21), 19.0), (heat(21), 21.5), (heat(21), 22.5)))
    c, obs, d = started(cfg, obs)
    assert d.running and d.active_mode is Mode.HEAT
    assert climate_commands(d) == [SetClimate(SOURCE, "heat", 22.0)]
    # z0 open, z1 (closest to needing heat) relief: 40 % of 300 = 120 -> 100 + 20 % of z1
    assert damper_commands(d) == {"cover.z1_0": 20.0, "cover.z2_0": 0.0}
    assert d.zones["z0"].waiting is WaitReason.EQUIPMENT  # source not yet observed in heat
    assert open_share(cfg, obs) == pytest.approx(0.4)
    d = c.step(1.0, obs)
    assert d.commands == ()
    assert d.zones["z0"].action is ZoneAction.HEATING
    assert d.zones["z1"].action is ZoneAction.HEATING  # relief air: truthful
    assert d.zones["z2"].action is ZoneAction.IDLE
    assert d.zones["z0"].airflow_share == pytest.approx(100 / 120)
    assert d.next_check == 300.0  # min run


def test_command_order_and_closings_wait_for_openings_to_show() -> None:
    cfg = ducted_config(3, min_airflow_percent=10)
    obs = ducted_obs(cfg, zones((heat(21), 19.0), (heat(21), 21.5), (OFF, 20.0)), position=0.0)
    obs = replace(obs, dampers={**obs.dampers, "cover.z1_0": DamperState(position=100.0)})
    c, obs, d = started(cfg, obs)
    kinds = [
        type(x).__name__ + (f":{x.position}" if isinstance(x, SetDamper) else "")
        for x in d.commands
    ]
    # z1, seen open, carries the floor: the unit starts and z0 opens (before the start); z1
    # closes only once z0 is seen open, a commanded opening never counts as reached.
    assert kinds == ["SetDamper:100.0", "SetClimate"]
    obs, d = step(c, 1.0, obs)
    assert d.commands == (SetDamper("cover.z1_0", 0.0),)
    # The stop; the dampers stay where they are (issue 13: quiet dampers). Before, every damper
    # opened at a stop; now z0 alone (a third of the airflow) keeps the 10 % floor, so nothing
    # moves until a start needs it.
    obs = replace(obs, zones=zones((heat(21), 21.2), (heat(21), 21.5), (OFF, 20.0)))
    d = c.step(400.0, obs)
    assert d.commands == (SetClimate(SOURCE, "off"),)
    assert not d.running and d.active_mode is None


def test_min_run_keeps_running_and_keeps_satisfied_zone_open() -> None:
    cfg = ducted_config(2, min_airflow_percent=10)
    c, obs, _ = started(cfg, ducted_obs(cfg, zones((heat(21), 19.0), (heat(21), 19.0))))
    obs = replace(obs, zones=zones((heat(21), 21.2), (heat(21), 20.0)))
    obs, d = step(c, 100.0, obs)
    assert d.running  # z1 still calls
    assert d.zones["z0"].calling is None
    assert obs.dampers["cover.z0_0"].position == 100.0  # kept open during min run
    assert d.next_check == 300.0
    obs, d = step(c, 300.0, obs)
    assert obs.dampers["cover.z0_0"].position == 0.0  # min run over: closes
    obs = replace(obs, zones=zones((heat(21), 21.2), (heat(21), 21.2)))
    obs, d = step(c, 310.0, obs)
    assert not d.running


def test_min_run_blocks_stop_then_min_off_blocks_start() -> None:
    cfg = ducted_config(1)
    c, obs, d = started(cfg, ducted_obs(cfg, zones((heat(21), 19.0))))
    assert d.running
    obs = replace(obs, zones=zones((heat(21), 22.0)))
    obs, d = step(c, 100.0, obs)
    assert d.running and d.next_check == 300.0 and d.commands == ()
    obs, d = step(c, 300.0, obs)
    assert not d.running
    obs = replace(obs, zones=zones((heat(21), 19.0)))
    obs, d = step(c, 400.0, obs)
    assert not d.running and d.zones["z0"].waiting is WaitReason.MIN_OFF
    assert d.next_check == 600.0
    obs, d = step(c, 600.0, obs)
    assert d.running


def test_min_run_counts_from_when_the_source_is_seen_delivering() -> None:
    """A wall thermostat waits out its own minimum off after our start: the minimum run counts
    from the first step its `hvac_action` says heating, not from the command (else a stop at
    300 s would end a run of 180 s)."""
    cfg = ducted_config(1)
    c, obs, d = started(cfg, ducted_obs(cfg, zones((heat(21), 19.0))))
    assert d.running
    assert obs.source is not None
    obs = replace(obs, source=replace(obs.source, hvac_action="idle"))
    obs, d = step(c, 60.0, obs)
    assert d.running and d.next_check == 300.0  # not yet seen: the command's clock
    obs = replace(obs, source=replace(obs.source, hvac_action="heating"))
    obs, d = step(c, 120.0, obs)
    assert d.next_check == 420.0  # from here
    obs = replace(obs, zones=zones((heat(21), 22.0)))
    obs, d = step(c, 300.0, obs)
    assert d.running and d.commands == ()  # satisfied, but the real run is 180 s old
    obs, d = step(c, 200.0 + 220.0, obs)
    assert not d.running and climate_commands(d) == [SetClimate(SOURCE, "off")]
    # Seen again later in the same run: the clock is not moved twice.
    c, obs, d = started(cfg, ducted_obs(cfg, zones((heat(21), 19.0))))
    assert obs.source is not None
    heating = replace(obs, source=replace(obs.source, hvac_action="heating"))
    obs, d = step(c, 0.0, heating)
    obs, d = step(c, 60.0, replace(heating, source=replace(heating.source, hvac_action="idle")))
    obs, d = step(c, 120.0, heating)
    assert d.next_check == 300.0


def test_a_unit_seen_starting_when_the_commands_minimum_run_ends_is_not_stopped() -> None:
    """Summer #4 of the equipment family: the rooms were satisfied while the wall thermostat
    waited out its own minimum off, and it began cooling at the very step the minimum run
    counted from our command ended. The stop planned on the command's clock ended a one-minute
    run; seen starting, the minimum run counts from that step before anything is planned."""
    cfg = ducted_config(1)
    c, obs, d = started(cfg, ducted_obs(cfg, zones((heat(21), 19.0))))
    assert obs.source is not None
    obs = replace(
        obs, source=replace(obs.source, hvac_action="idle"), zones=zones((heat(21), 22.0))
    )
    obs, d = step(c, 60.0, obs)
    assert d.running and d.commands == ()  # satisfied, held on the command's clock
    obs = replace(obs, source=replace(obs.source, hvac_action="heating"))
    obs, d = step(c, 300.0, obs)
    assert d.running and d.commands == () and d.next_check == 600.0
    obs, d = step(c, 600.0, obs)
    assert not d.running and climate_commands(d) == [SetClimate(SOURCE, "off")]


def test_min_run_waits_for_the_real_start_across_a_restart() -> None:
    """A restart between our start command and the unit's real start: the new controller still
    counts the minimum run from the first `hvac_action` heating it sees."""
    cfg = ducted_config(1)
    c, obs, d = started(cfg, ducted_obs(cfg, zones((heat(21), 19.0))))
    assert obs.source is not None
    obs = replace(obs, source=replace(obs.source, hvac_action="idle"))
    obs, d = step(c, 60.0, obs)
    memory = c.memory()
    assert memory.running and not memory.seen_delivering
    again = Controller(cfg, 60.0, memory)
    obs = replace(obs, source=replace(obs.source, hvac_action="heating"))
    obs, d = step(again, 200.0, obs)
    assert d.running and d.next_check == 500.0  # from the real start, not 300 (the command)
    assert again.memory().seen_delivering
    obs = replace(obs, zones=zones((heat(21), 22.0)))
    obs, d = step(again, 300.0, obs)
    assert d.running and d.commands == ()


def test_no_memory_waits_min_off_unless_source_observed_running() -> None:
    cfg = ducted_config(1)
    obs = ducted_obs(cfg, zones((heat(21), 19.0)))
    c = Controller(cfg, 1000.0)
    d = c.step(1000.0, obs)
    assert not d.running and d.next_check == 1300.0
    running_src = ClimateState(hvac_mode="heat", current_temperature=20.0, target_temperature=22.0)
    c = Controller(cfg, 1000.0)
    d = c.step(1000.0, replace(obs, source=running_src))
    assert d.running and d.commands == ()
    assert c.memory().last_start == 1000.0


def test_mode_dwell_and_reversal() -> None:
    cfg = ducted_config(2, min_airflow_percent=10)
    c, obs, d = started(cfg, ducted_obs(cfg, zones((heat(21), 20.0), (cool(24), 24.5))))
    assert d.active_mode is Mode.HEAT  # heat demand 1.0 > cool 0.5
    assert d.zones["z1"].waiting is WaitReason.MODE_CONFLICT
    obs = replace(obs, zones=zones((heat(21), 20.5), (cool(24), 27.0)))
    obs, d = step(c, 600.0, obs)
    assert d.running and d.zones["z1"].waiting is WaitReason.MODE_DWELL
    assert d.next_check == 1200.0
    obs, d = step(c, 1200.0, obs)
    assert not d.running and climate_commands(d) == [SetClimate(SOURCE, "off")]
    assert d.zones["z1"].waiting is WaitReason.MIN_OFF
    obs, d = step(c, 1500.0, obs)
    assert d.running and d.active_mode is Mode.COOL
    assert climate_commands(d)[0].hvac_mode == "cool"
    assert climate_commands(d)[0].target_temperature == 18.0
    assert d.zones["z0"].waiting is WaitReason.MODE_CONFLICT


def test_source_unavailable_makes_every_zone_unavailable() -> None:
    cfg = ducted_config(2)
    c = Controller(cfg, 0.0, STOPPED)
    obs = ducted_obs(cfg, zones((heat(21), 19.0), (OFF, 20.0)))
    for source in (None, ClimateState(available=False)):
        d = c.step(0.0, replace(obs, source=source))
        assert d.commands == () and d.next_check is None
        assert not d.zones["z0"].available and d.zones["z0"].action is ZoneAction.IDLE
        assert d.zones["z1"].action is ZoneAction.OFF


def test_unavailable_zone_and_dampers() -> None:
    cfg = ducted_config(3, dampers_per_zone=2, min_airflow_percent=60)
    c = Controller(cfg, 0.0, STOPPED)
    obs = ducted_obs(cfg, zones((heat(21), 19.0), (heat(21), 21.5), (heat(21), None)))
    obs = replace(obs, dampers={**obs.dampers, "cover.z1_1": DamperState(available=False)})
    d = c.step(0.0, obs)
    assert not d.zones["z2"].available
    # The blower moves the same air whatever the sensors say: 180 of all 300 must stay open.
    # z1 has one usable damper (50 open); z2 (no temperature) is the last relief: 30 % of 100.
    assert damper_commands(d) == {"cover.z2_0": 30.0, "cover.z2_1": 30.0}
    assert open_share(cfg, obs, d) == pytest.approx(0.6)


def test_last_resort_opens_unavailable_zones() -> None:
    cfg = ducted_config(2, min_airflow_percent=60)
    c = Controller(cfg, 0.0, STOPPED)
    obs = ducted_obs(cfg, zones((heat(21), 19.0), (heat(21), None)), position=0.0)
    obs = replace(obs, dampers={**obs.dampers, "cover.z0_0": DamperState(available=False)})
    d = c.step(0.0, obs)
    assert damper_commands(d) == {"cover.z1_0": 100.0}


def test_relief_order_and_non_positionable() -> None:
    cfg = ducted_config(5, min_airflow_percent=60)
    c = Controller(cfg, 0.0, STOPPED)
    obs = ducted_obs(
        cfg,
        zones((heat(21), 19.0), (OFF, 10.0), (cool(24), 25.0), (cool(24), 20.0), (auto(), 22.0)),
        position=0.0,
        positionable=False,
    )
    obs, d = step(c, 0.0, obs)
    # Nothing is seen open: the unit waits for its airflow. Idle, only the floor's openings go
    # out (it used to open every damper): need 300 of 500, the calling z0 first, then relief in
    # the order of the mode to come: z4 (accepts heat), z3 (cool zone, not calling).
    assert not d.running and d.zones["z0"].waiting is WaitReason.AIRFLOW
    assert damper_commands(d) == {"cover.z0_0": 100.0, "cover.z4_0": 100.0, "cover.z3_0": 100.0}
    obs, d = step(c, 1.0, obs)
    # Running, the same layout: z1 and z2 were never opened, so nothing closes.
    assert d.running
    assert damper_commands(d) == {}


def test_relief_prefers_already_open_zone_within_tolerance() -> None:
    cfg = ducted_config(3, min_airflow_percent=60)
    c = Controller(cfg, 0.0, RUNNING)
    src = ClimateState(hvac_mode="heat", current_temperature=20.0, target_temperature=22.0)
    obs = ducted_obs(
        cfg, zones((heat(21), 19.0), (heat(21), 21.2), (heat(21), 21.4)), source=src, position=0.0
    )
    opened = DamperState(position=100.0, positionable=True)
    obs = replace(obs, dampers={**obs.dampers, "cover.z0_0": opened, "cover.z2_0": opened})
    d = c.step(10.0, obs)
    # z1 is closer to needing heat, but z2 is already open and within the tolerance
    assert d.running and damper_commands(d) == {"cover.z2_0": 80.0}


def test_slow_damper_gets_its_grace_time_then_retries_and_dead_band() -> None:
    cfg = ducted_config(2, min_airflow_percent=10)
    c = Controller(cfg, 0.0, STOPPED)
    src = ClimateState(hvac_mode="heat", current_temperature=20.0, target_temperature=22.0)
    obs = ducted_obs(cfg, zones((heat(21), 19.0), (heat(21), 22.0)), source=src)
    d = c.step(0.0, obs)
    assert d.running and d.commands == (SetDamper("cover.z1_0", 0.0),)
    # the damper is slow: nothing is re-sent inside its grace time (2 minutes)
    d = c.step(30.0, obs)
    assert d.commands == () and d.next_check == 120.0
    assert d.dampers["cover.z1_0"].status is DamperStatus.MOVING
    assert c.step(60.0, obs).commands == ()
    # still not there: stuck, retried now, the next retry 4 minutes later
    d = c.step(120.0, obs)
    assert damper_commands(d) == {"cover.z1_0": 0.0}
    assert d.dampers["cover.z1_0"].status is DamperStatus.STUCK
    assert d.dampers["cover.z1_0"].retry_in_s == 240.0
    slow = replace(obs, dampers={**obs.dampers, "cover.z1_0": DamperState(position=0.8)})
    d = c.step(200.0, slow)
    assert d.commands == ()  # within 1 point: arrived; it moved, so it is well again
    assert d.dampers["cover.z1_0"].status is DamperStatus.IN_PLACE


def test_damper_without_position_counts_as_closed_and_gets_each_target_once() -> None:
    cfg = ducted_config(2, min_airflow_percent=10)
    c = Controller(cfg, 0.0, STOPPED)
    obs = ducted_obs(cfg, zones((heat(21), 19.0), (heat(21), 22.0)))
    obs = replace(obs, dampers={d: DamperState(position=None) for d in obs.dampers})
    d = c.step(0.0, obs)
    # No damper can be seen open: the unit waits; stopped, the calling zone's damper is told to
    # open, once (half the airflow meets the 40 % floor; it used to open every damper).
    assert not d.running and d.zones["z0"].waiting is WaitReason.AIRFLOW
    assert damper_commands(d) == {"cover.z0_0": 100.0}
    assert d.dampers["cover.z0_0"].status is DamperStatus.UNKNOWN
    d = c.step(500.0, obs)
    assert damper_commands(d) == {} and not d.running
    seen = replace(
        obs,
        dampers={
            "cover.z0_0": DamperState(position=100.0),
            "cover.z1_0": DamperState(position=None),
        },
    )
    d = c.step(501.0, seen)
    assert d.running and d.zones["z0"].action is ZoneAction.IDLE  # source not in heat yet


def test_source_setpoint_resent_only_when_close() -> None:
    cfg = ducted_config(1)
    c, obs, _ = started(cfg, ducted_obs(cfg, zones((heat(21), 19.0))))
    assert obs.source is not None and obs.source.target_temperature == 22.0
    warmer = replace(obs, source=replace(obs.source, current_temperature=20.5))
    assert c.step(100.0, warmer).commands == ()  # 1.5 of headroom
    nearer = replace(obs, source=replace(obs.source, current_temperature=21.2))
    assert c.step(100.0, nearer).commands == ()  # 0.8 of headroom > a quarter of the nudge
    close = replace(obs, source=replace(obs.source, current_temperature=21.6))
    assert climate_commands(c.step(100.0, close)) == [SetClimate(SOURCE, "heat", 23.5)]
    # rate limited right after
    wrong = replace(close, source=replace(close.source or ClimateState(), hvac_mode="off"))
    d = c.step(120.0, wrong)
    assert d.commands == () and d.next_check == 160.0
    assert d.zones["z0"].waiting is WaitReason.RATE_LIMIT


def test_source_helpers() -> None:
    src = ClimateState(hvac_mode="heat_cool", hvac_action="heating", current_temperature=20.0)
    assert source_mode(src) is Mode.HEAT
    assert source_mode(replace(src, hvac_action="cooling")) is Mode.COOL
    assert source_mode(replace(src, hvac_mode="cool")) is Mode.COOL
    assert source_mode(replace(src, hvac_mode="off")) is None
    assert delivering(src, Mode.HEAT) and not delivering(src, Mode.COOL)
    assert not delivering(replace(src, hvac_action="idle"), Mode.HEAT)
    assert delivering(replace(src, hvac_mode="heat", hvac_action="fan"), Mode.HEAT)
    assert nudged_setpoint(ClimateState(), Mode.HEAT, 2) == 35.0
    assert nudged_setpoint(ClimateState(), Mode.COOL, 2) == 7.0
    assert nudged_setpoint(replace(src, current_temperature=34.0), Mode.HEAT, 2) == 35.0
    assert nudged_setpoint(replace(src, current_temperature=20.3), Mode.COOL, 2) == 18.5
    on = ClimateState(hvac_mode="heat", target_temperature=25.0)
    assert source_needs(replace(on, target_temperature=None), Mode.HEAT, 22.0, 2)
    assert source_needs(on, Mode.HEAT, 35.0, 2)  # no reading: re-send to max
    assert not source_needs(on, Mode.HEAT, 25.0, 2)
    cooling = ClimateState(hvac_mode="cool", current_temperature=20.0, target_temperature=19.7)
    assert source_needs(cooling, Mode.COOL, 18.0, 2)  # 0.3 of headroom
    assert not source_needs(replace(cooling, target_temperature=19.5), Mode.COOL, 18.0, 2)


def test_zone_without_dampers_and_zero_total() -> None:
    cfg = SystemConfig(
        topology=Topology.DUCTED,
        zones=(ZoneConfig("z0", "Open duct"), ZoneConfig("z1", "Z1", dampers=("cover.z1_0",))),
        source=SOURCE,
        min_airflow_percent=100,
    )
    c = Controller(cfg, 0.0, STOPPED)
    obs = SystemObservation(
        zones={"z0": ZoneInput(heat(21), 19.0), "z1": ZoneInput(OFF, 20.0)},
        source=ClimateState(hvac_mode="off", current_temperature=20.0),
        dampers={"cover.z1_0": DamperState(position=100.0)},
    )
    d = c.step(0.0, obs)
    assert d.running and damper_commands(d) == {}
    assert d.zones["z0"].airflow_share == pytest.approx(0.5)


def test_stop_rate_limited_keeps_running_layout() -> None:
    cfg = ducted_config(2, min_run=10, min_airflow_percent=10)
    c, obs, _ = started(cfg, ducted_obs(cfg, zones((heat(21), 19.0), (heat(21), 22.0))))
    obs = replace(obs, zones=zones((heat(21), 21.2), (heat(21), 22.0)))
    obs, d = step(c, 20.0, obs)  # stop wanted, source rate-limited until 60
    assert d.running and d.next_check == 60.0
    assert d.commands == (SetDamper("cover.z0_0", 20.0),)  # relief only: nobody calls
    obs, d = step(c, 60.0, obs)
    assert not d.running and climate_commands(d) == [SetClimate(SOURCE, "off")]


def test_stopped_source_observed_on_is_turned_off() -> None:
    cfg = ducted_config(1)
    c = Controller(cfg, 0.0, STOPPED)
    src = ClimateState(hvac_mode="fan_only")
    d = c.step(0.0, ducted_obs(cfg, zones((heat(21), 21.0)), source=src))
    assert climate_commands(d) == [SetClimate(SOURCE, "off")] and not d.running


def test_command_log_helpers() -> None:
    log = CommandLog(60)
    assert log.last_position("x") is None and log.last_climate("x") is None
    log.record(SetDamper("x", 50), 0)
    assert log.in_flight("x", 10) is None and log.last_climate("x") is None
    assert log.damper_recent("x", 50, 10) == 60 and log.damper_recent("x", 40, 10) is None


def test_a_closing_never_plans_below_the_floor() -> None:
    """The floor's dead band (a damper reporting 99 for 100) keeps a running unit running; it
    never lets a closing take the open airflow below the floor. Found on the equipment
    family: a relief damper that stalled at 19 % of its 20 % let another close to 39.7 %."""
    cfg = ducted_config(3, min_airflow_percent=40)
    calling = zones((heat(21), 19.0), (heat(21), 21.05), (heat(21), 22.5))
    obs = ducted_obs(cfg, calling, position=100.0)

    def seen(z1: float) -> SystemObservation:
        return replace(
            obs, dampers={**obs.dampers, "cover.z1_0": DamperState(position=z1, positionable=True)}
        )

    c = Controller(cfg, 0.0, STOPPED)
    d = c.step(0.0, seen(0.0))  # z1 is the relief zone (20 %): it opens, z2 waits to close
    assert damper_commands(d) == {"cover.z1_0": 20.0}
    d = c.step(10.0, seen(19.0))  # stalled short: 119 of 300 seen open without z2
    assert "cover.z2_0" not in damper_commands(d)
    d = c.step(20.0, seen(20.0))
    assert damper_commands(d) == {"cover.z2_0": 0.0}


def test_a_start_plans_the_run_as_its_next_steps_will() -> None:
    """Zones short of their target join a run from its first step (found by the property
    test: a second step at the same moment opened one more damper)."""
    cfg = ducted_config(2, min_airflow_percent=10, tolerance=0.5)
    obs = ducted_obs(
        cfg, zones((heat(21), 20.0), (auto(20.25, 22.0), 20.0)), position=0.0, positionable=False
    )
    obs = replace(obs, dampers={**obs.dampers, "cover.z1_0": DamperState(position=50.0)})
    c = Controller(cfg, 0.0, STOPPED)
    first = c.step(0.0, obs)
    assert damper_commands(first) == {"cover.z0_0": 100.0, "cover.z1_0": 100.0}
    assert c.step(0.0, obs).commands == ()
