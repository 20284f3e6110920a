"""Compressor protection and mode arbitration (shared by both topologies)."""

from __future__ import annotations

from engine.control.arbitration import Supervisor
from engine.control.protection import Protection
from engine.model import ControllerMemory, Mode, WaitReason

from .control_helpers import ducted_config

CFG = ducted_config(min_run=300.0, min_off=300.0, mode_dwell=1200.0)


def demand(heat: float = 0.0, cool: float = 0.0) -> dict[Mode, float]:
    return {Mode.HEAT: heat, Mode.COOL: cool}


def test_protection_timers() -> None:
    p = Protection(300, 200)
    assert p.can_start(0) and p.can_stop(0)
    assert p.start_allowed_at() is None and p.stop_allowed_at() is None
    p.start(10)
    p.start(20)  # no-op
    assert p.last_start == 10
    assert not p.can_stop(309) and p.can_stop(310)
    p.stop(400)
    p.stop(500)  # no-op
    assert p.last_stop == 400
    assert not p.can_start(599) and p.can_start(600)


def test_no_memory_first_start_waits_min_off() -> None:
    sup = Supervisor(CFG, 1000.0, None)
    sup.bootstrap(1000.0, None)
    plan = sup.plan(1000.0, demand(heat=1))
    assert not plan.run and plan.waits[Mode.HEAT] is WaitReason.MIN_OFF
    assert plan.timers == (1300.0,)
    assert sup.plan(1300.0, demand(heat=1)).run


def test_bootstrap_observed_running_counts_as_started_now() -> None:
    sup = Supervisor(CFG, 1000.0, None)
    sup.bootstrap(1005.0, Mode.COOL)
    sup.bootstrap(1010.0, None)  # only once
    assert sup.running and sup.active_mode is Mode.COOL
    plan = sup.plan(1100.0, demand())
    assert plan.run and plan.hold and plan.timers == (1305.0,)


def test_memory_round_trip_and_inconsistent_memory() -> None:
    memory = ControllerMemory(Mode.HEAT, 50.0, True, 60.0, 10.0)
    sup = Supervisor(CFG, 1000.0, memory)
    assert sup.memory() == memory
    bad = Supervisor(CFG, 1000.0, ControllerMemory(None, None, True, 60.0, 10.0))
    assert not bad.running and bad.memory().last_stop == 1000.0


def test_dwell_then_reverse_through_stop_and_min_off() -> None:
    sup = Supervisor(CFG, 0.0, ControllerMemory())
    plan = sup.plan(0.0, demand(heat=1, cool=0.5))
    assert plan.run and plan.mode is Mode.HEAT
    sup.commit(0.0, True, Mode.HEAT)
    # cool is larger but heat was served less than the dwell
    plan = sup.plan(600.0, demand(heat=1, cool=5))
    assert plan.run and plan.mode is Mode.HEAT
    assert plan.waits[Mode.COOL] is WaitReason.MODE_DWELL
    assert 1200.0 in plan.timers
    # smaller cool demand: plain conflict
    assert sup.plan(600.0, demand(heat=1, cool=0.5)).waits[Mode.COOL] is WaitReason.MODE_CONFLICT
    plan = sup.plan(1200.0, demand(heat=1, cool=5))
    assert not plan.run and plan.target is Mode.COOL
    assert plan.waits[Mode.COOL] is WaitReason.MIN_OFF
    assert plan.waits[Mode.HEAT] is WaitReason.MODE_CONFLICT
    sup.commit(1200.0, False, None)
    assert not sup.plan(1499.0, demand(heat=1, cool=5)).run
    plan = sup.plan(1500.0, demand(heat=1, cool=5))
    assert plan.run and plan.mode is Mode.COOL
    sup.commit(1500.0, True, Mode.COOL)
    assert sup.active_mode is Mode.COOL and sup.mode_since == 1500.0


def test_no_demand_in_current_mode_switches_after_min_run() -> None:
    sup = Supervisor(CFG, 0.0, ControllerMemory())
    sup.commit(0.0, True, Mode.HEAT)
    plan = sup.plan(100.0, demand(cool=1))
    assert plan.run and plan.hold and plan.mode is Mode.HEAT
    assert plan.waits[Mode.COOL] is WaitReason.MODE_CONFLICT
    plan = sup.plan(300.0, demand(cool=1))
    assert not plan.run and plan.target is Mode.COOL


def test_sustain_keeps_running_without_demand_but_never_starts() -> None:
    sup = Supervisor(CFG, 0.0, ControllerMemory())
    sustain = {Mode.HEAT: True, Mode.COOL: False}
    assert not sup.plan(0.0, demand(), sustain).run
    sup.commit(0.0, True, Mode.HEAT)
    plan = sup.plan(1000.0, demand(), sustain)
    assert plan.run and not plan.hold
    # same-mode restart keeps mode_since
    sup.commit(1000.0, False, None)
    sup.commit(2000.0, True, Mode.HEAT)
    assert sup.mode_since == 0.0


def test_at_most_three_starts_in_any_hour() -> None:
    """Short run and off times still give at most 3 starts per rolling hour (3 CPH)."""
    p = Protection(60, 60, max_starts_per_hour=3)
    for start in (0.0, 600.0, 1200.0):
        assert p.can_start(start)
        p.start(start)
        p.stop(start + 120)
    assert p.start_allowed_at() == 3600.0  # the first of the last three starts + 1 h
    assert not p.can_start(3599.0)
    p.start(3600.0)
    assert p.starts == [600.0, 1200.0, 3600.0]
    unlimited = Protection(60, 60)
    for start in (0.0, 200.0, 400.0, 600.0):
        unlimited.start(start)
        unlimited.stop(start + 60)
    assert unlimited.start_allowed_at() == 720.0


def test_cycle_rate_survives_restart_and_reports_min_off() -> None:
    """Recent starts are remembered; a calling zone waits with the min_off reason."""
    cfg = ducted_config(min_run=60.0, min_off=60.0, mode_dwell=0.0)
    memory = ControllerMemory(Mode.HEAT, 0.0, False, 1200.0, 1320.0, (0.0, 600.0, 1200.0))
    sup = Supervisor(cfg, 1400.0, memory)
    assert sup.memory().recent_starts == (0.0, 600.0, 1200.0)
    plan = sup.plan(1400.0, demand(heat=1))
    assert not plan.run and plan.waits[Mode.HEAT] is WaitReason.MIN_OFF
    assert 3600.0 in plan.timers
    assert sup.plan(3600.0, demand(heat=1)).run
