"""Dampers as they are seen to behave: the airflow floor, stuck and offline dampers, retries."""

from __future__ import annotations

from dataclasses import replace

from engine.control.controller import Controller
from engine.control.dampers import RETRIES, DamperWatch, observed
from engine.model import (
    ClimateState,
    ControllerMemory,
    DamperState,
    DamperStatus,
    Decision,
    Mode,
    SetDamper,
    SystemObservation,
    WaitReason,
    ZoneAction,
)

from .control_helpers import (
    OFF,
    STOPPED,
    climate_commands,
    damper_commands,
    ducted_config,
    ducted_obs,
    heat,
    open_share,
    started,
    zones,
)

HEATING = ClimateState(hvac_mode="heat", current_temperature=20.0, target_temperature=22.0)
RUNNING = ControllerMemory(Mode.HEAT, 0.0, True, 0.0, None, (0.0,))


def obey(obs: SystemObservation, decision: Decision, stuck: set[str]) -> SystemObservation:
    """The equipment after the decision; the `stuck` dampers ignore their commands."""
    dampers = dict(obs.dampers)
    source = obs.source
    for command in decision.commands:
        if isinstance(command, SetDamper):
            if command.entity_id not in stuck and dampers[command.entity_id].available:
                dampers[command.entity_id] = replace(
                    dampers[command.entity_id], position=command.position
                )
        elif source is not None:
            target = command.target_temperature or source.target_temperature
            source = replace(source, hvac_mode=command.hvac_mode, target_temperature=target)
    return replace(obs, dampers=dampers, source=source)


def test_a_stuck_calling_damper_keeps_the_others_open_and_the_unit_waits() -> None:
    """Issue 11 #1: the calling room's damper ignores its command. The other dampers are not
    closed on the assumption that it opened; once it counts as stuck the room waits with reason
    `damper`, its call no longer runs the unit, and the unit stops after its minimum run."""
    cfg = ducted_config(3, min_airflow_percent=40)
    obs = ducted_obs(cfg, zones((heat(21), 19.0), (heat(21), 21.0), (heat(21), 21.0)))
    obs = replace(obs, dampers={**obs.dampers, "cover.z0_0": DamperState(position=0.0)})
    stuck = {"cover.z0_0"}
    controller = Controller(cfg, 0.0, STOPPED)
    now = 0.0
    ran = False
    while now <= 900.0:
        decision = controller.step(now, obs)
        obs = obey(obs, decision, stuck)
        assert obs.source is not None
        if obs.source.hvac_mode == "heat":
            ran = True
            assert open_share(cfg, obs) >= 0.4 - 1e-9, f"{open_share(cfg, obs):.0%} open at {now}"
        now += 10.0
    assert ran  # it started (z1 and z2 were seen open), and never below 40 %
    assert obs.source.hvac_mode == "off"  # stopped once z0 could not be served
    status = decision.zones["z0"]
    assert status.calling is Mode.HEAT and status.waiting is WaitReason.DAMPER
    assert decision.dampers["cover.z0_0"].status is DamperStatus.STUCK


def test_relief_moves_to_dampers_that_respond() -> None:
    """z0 (stuck shut) and z1 call at a 60 % floor: z2's relief is kept open while z0's opening
    is not seen, and once z0 counts as stuck it gets exactly the share z0 cannot take."""
    cfg = ducted_config(3, min_airflow_percent=60)
    obs = ducted_obs(cfg, zones((heat(21), 19.0), (heat(21), 19.0), (heat(21), 22.0)))
    obs = replace(obs, dampers={**obs.dampers, "cover.z0_0": DamperState(position=0.0)})
    stuck = {"cover.z0_0"}
    controller = Controller(cfg, 0.0, STOPPED)
    decision = controller.step(0.0, obs)
    obs = obey(obs, decision, stuck)
    assert decision.running and damper_commands(decision) == {"cover.z0_0": 100.0}
    assert open_share(cfg, obs) >= 0.6  # z2 was not closed: z0's opening was not seen
    decision = controller.step(60.0, obs)
    assert decision.commands == () and decision.zones["z0"].waiting is WaitReason.EQUIPMENT
    decision = controller.step(120.0, obs)  # grace over: z0 is stuck
    assert decision.dampers["cover.z0_0"].status is DamperStatus.STUCK
    assert damper_commands(decision) == {"cover.z0_0": 100.0, "cover.z2_0": 80.0}
    obs = obey(obs, decision, stuck)
    assert decision.running and open_share(cfg, obs) >= 0.6 - 1e-9
    assert decision.zones["z1"].action is ZoneAction.HEATING
    assert decision.zones["z0"].waiting is WaitReason.DAMPER


def test_offline_dampers_count_as_closed_and_the_unit_waits_for_its_floor() -> None:
    """Issue 11 #3: two dampers go offline. Their zones are unavailable (never served blind),
    and with only 33 % of the design airflow seen the unit does not start: the calling zone
    waits with reason `airflow`; it starts once a damper is seen again."""
    cfg = ducted_config(3, min_airflow_percent=40)
    obs = ducted_obs(cfg, zones((heat(21), 19.0), (heat(21), 19.0), (heat(21), 19.0)))
    offline = DamperState(available=False)
    obs = replace(obs, dampers={**obs.dampers, "cover.z0_0": offline, "cover.z1_0": offline})
    controller = Controller(cfg, 0.0, STOPPED)
    for now in (0.0, 300.0, 900.0):
        decision = controller.step(now, obs)
        assert not decision.running and climate_commands(decision) == []
        assert not decision.zones["z0"].available and not decision.zones["z1"].available
        assert decision.zones["z2"].waiting is WaitReason.AIRFLOW
        assert decision.dampers["cover.z0_0"].status is DamperStatus.UNAVAILABLE
    back = replace(obs, dampers={**obs.dampers, "cover.z1_0": DamperState(position=100.0)})
    decision = controller.step(960.0, back)
    assert decision.running  # 67 % seen


def test_a_floor_lost_while_running_stops_the_unit_at_once() -> None:
    """A damper the floor relies on goes offline during the minimum run: airflow comes first,
    the unit stops (even inside the command interval) and every damper opens."""
    cfg = ducted_config(3, min_airflow_percent=60, min_run=300.0)
    controller, obs, decision = started(
        cfg, ducted_obs(cfg, zones((heat(21), 19.0), (heat(21), 19.0), (OFF, 20.0)))
    )
    assert decision.running
    obs = obey(obs, controller.step(1.0, obs), set())  # z2 closes once z0 and z1 are seen
    assert obs.dampers["cover.z2_0"].position == 0.0
    obs = replace(obs, dampers={**obs.dampers, "cover.z1_0": DamperState(available=False)})
    decision = controller.step(30.0, obs)  # minimum run and command interval not over
    assert not decision.running
    assert [c.hvac_mode for c in climate_commands(decision)] == ["off"]
    assert damper_commands(decision) == {"cover.z2_0": 100.0}
    assert decision.zones["z0"].waiting is WaitReason.AIRFLOW
    assert controller.step(30.0, obs).commands == ()  # once


def test_a_stuck_damper_is_retried_with_backoff_then_left_alone() -> None:
    """Retries when declared stuck, then 4, 8, 16 and 32 minutes later, whatever its target;
    then nothing until it moves or comes back from being offline."""
    cfg = ducted_config(2, min_airflow_percent=10, min_run=0.0, min_off=0.0)
    obs = ducted_obs(cfg, zones((heat(21), 19.0), (OFF, 20.0)), source=HEATING)
    obs = replace(obs, dampers={**obs.dampers, "cover.z1_0": DamperState(position=100.0)})
    controller = Controller(cfg, 0.0, RUNNING)
    sent: list[float] = []
    now = 0.0
    while now <= 6 * 3600.0:
        decision = controller.step(now, obs)
        if "cover.z1_0" in damper_commands(decision):
            sent.append(now)
        now += 30.0
    assert sent == [0.0, 120.0, 360.0, 840.0, 1800.0, 3720.0]
    assert len(sent) == 1 + RETRIES
    assert decision.dampers["cover.z1_0"].status is DamperStatus.STUCK
    assert decision.dampers["cover.z1_0"].retry_in_s is None
    # Back from being offline: tried again at once.
    gone = replace(obs, dampers={**obs.dampers, "cover.z1_0": DamperState(available=False)})
    assert damper_commands(controller.step(now, gone)) == {}
    assert damper_commands(controller.step(now + 30.0, obs)) == {"cover.z1_0": 0.0}
    # It moves: well again.
    moved = replace(obs, dampers={**obs.dampers, "cover.z1_0": DamperState(position=0.0)})
    decision = controller.step(now + 60.0, moved)
    assert decision.dampers["cover.z1_0"].status is DamperStatus.IN_PLACE
    assert decision.commands == ()


def test_watch_details() -> None:
    """What counts, and when: dead band, in-flight closings, unknown positions, timers."""
    watch = DamperWatch(grace=120.0)
    assert observed(None) == 0.0
    assert observed(DamperState(position=None)) == 0.0
    assert observed(DamperState(available=False, position=80.0)) == 0.0
    assert observed(DamperState(position=150.0)) == 100.0
    open_ = DamperState(position=100.0, positionable=True)
    assert not watch.due("d", 99.5, open_, 0.0)  # within the dead band: nothing to send
    assert watch.due("d", 20.0, open_, 0.0)
    watch.sent("d", 20.0, 0.0)
    # A closing in flight counts at its target until seen (even once countermanded).
    assert watch.counted(10.0, {"d": open_}) == {"d": 20.0}
    assert watch.due("d", 100.0, open_, 10.0) is False  # already there: kept, not re-sent
    assert watch.counted(10.0, {"d": open_}) == {"d": 20.0}
    assert watch.timers(10.0) == [120.0]
    assert watch.counted(130.0, {"d": open_}) == {"d": 100.0}  # grace over
    watch.observe(130.0, {"d": open_})
    assert watch.stuck() == {"d"}
    health = watch.health(130.0, {"d": open_, "e": DamperState(position=None)})
    assert health["d"].status is DamperStatus.STUCK and health["d"].for_s == 0.0
    assert health["e"].status is DamperStatus.UNKNOWN and health["e"].target is None


def test_idle_dampers_stay_where_they_are_while_the_floor_is_seen() -> None:
    """Issue 13 (quiet dampers): a stop moves no damper, and hours without a call move none, as
    long as what is seen open meets the floor; when it no longer does (a damper drops off), the
    idle system opens what it needs at once, whole zones, the likeliest takers first."""
    cfg = ducted_config(3, min_airflow_percent=40, min_run=0.0)
    calling = zones((heat(21), 19.0), (heat(21), 21.0), (heat(21), 22.5))
    controller, obs, decision = started(cfg, ducted_obs(cfg, calling))
    assert decision.running
    obs = obey(obs, controller.step(1.0, obs), set())  # z2 closes once z0 and z1 are seen
    assert obs.dampers["cover.z2_0"].position == 0.0
    satisfied = zones((heat(21), 21.5), (heat(21), 21.5), (heat(21), 22.5))
    obs = replace(obs, zones=satisfied)
    decision = controller.step(300.0, obs)
    assert not decision.running and [c.hvac_mode for c in climate_commands(decision)] == ["off"]
    assert damper_commands(decision) == {}
    obs = obey(obs, decision, set())
    for now in range(360, 4 * 3600, 600):
        decision = controller.step(float(now), obs)
        assert decision.commands == (), now  # z0 and z1's relief (40 %) seen open: none moves
    gone = replace(obs, dampers={**obs.dampers, "cover.z0_0": DamperState(available=False)})
    decision = controller.step(4 * 3600.0, gone)
    # 7 % seen (z1's relief): z1, then z2, open whole; z0 is gone.
    assert damper_commands(decision) == {"cover.z1_0": 100.0, "cover.z2_0": 100.0}


def test_a_closing_waits_for_the_move_interval_and_a_floor_opening_never_does() -> None:
    """A damper that just moved is not closed again within `damper_move_interval` (15 minutes
    here; the default is 5, see airflow's docstring for why):
    the zone keeps its air a little longer, and `next_check` wakes the engine when the interval
    ends. An opening the floor needs goes out at once, even right after a move."""
    cfg = ducted_config(
        3, min_airflow_percent=30, min_run=0.0, min_off=0.0, damper_move_interval=900.0
    )
    obs = ducted_obs(
        cfg, zones((heat(21), 19.0), (heat(21), 19.0), (OFF, 20.0)), source=HEATING, position=0.0
    )
    obs = replace(obs, dampers={**obs.dampers, "cover.z0_0": DamperState(position=100.0)})
    controller = Controller(cfg, 0.0, RUNNING)
    decision = controller.step(0.0, obs)
    assert decision.running and damper_commands(decision) == {"cover.z1_0": 100.0}
    obs = obey(obs, decision, set())
    obs = replace(obs, zones=zones((heat(21), 19.0), (heat(21), 21.5), (OFF, 20.0)))
    decision = controller.step(60.0, obs)  # z1 is satisfied: its damper would close, but waits
    assert decision.running and decision.commands == ()
    assert decision.next_check == 900.0
    assert controller.step(600.0, obs).commands == ()
    decision = controller.step(900.0, obs)
    assert damper_commands(decision) == {"cover.z1_0": 0.0}  # z0 alone keeps the 30 % floor
    obs = obey(obs, decision, set())
    obs = replace(obs, dampers={**obs.dampers, "cover.z0_0": DamperState(available=False)})
    decision = controller.step(960.0, obs)  # z1 moved 60 s ago: the floor's opening goes anyway
    assert not decision.running
    assert [c.hvac_mode for c in climate_commands(decision)] == ["off"]
    assert damper_commands(decision) == {"cover.z1_0": 100.0}


def test_an_idle_system_keeps_retrying_a_calling_zones_stuck_damper() -> None:
    """Idle dampers stay where they are, but a calling zone's stuck damper keeps its retries
    (found on the equipment family: a damper that missed a command left its room waiting with
    reason `damper` for hours while the unit was idle)."""
    cfg = ducted_config(2, min_airflow_percent=40)
    obs = ducted_obs(cfg, zones((heat(21), 19.0), (heat(21), 21.0)))
    obs = replace(obs, dampers={**obs.dampers, "cover.z0_0": DamperState(position=0.0)})
    controller = Controller(cfg, 0.0, STOPPED)
    idle_retries: list[float] = []
    now = 0.0
    while now <= 3600.0:
        decision = controller.step(now, obs)
        if "cover.z0_0" in damper_commands(decision) and not decision.running:
            idle_retries.append(now)
        obs = obey(obs, decision, {"cover.z0_0"})
        now += 30.0
    assert decision.zones["z0"].waiting is WaitReason.DAMPER and not decision.running
    assert idle_retries == [360.0, 840.0, 1800.0]  # its backoff, with the unit stopped at 300
