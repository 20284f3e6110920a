"""Clock jumps: protection measures elapsed time, whatever the wall clock does."""

from __future__ import annotations

from dataclasses import replace

from engine.control.clock import (
    ControlClock,
    memory_to_wall,
    restore_memory,
)
from engine.control.controller import Controller
from engine.model import ControllerMemory, Mode

from .control_helpers import climate_commands, ducted_config, ducted_obs, heat, started, step, zones

HOUR = 3600.0


def test_control_clock_follows_the_monotonic_clock_not_the_wall() -> None:
    clock = ControlClock(wall=1_000_000.0, monotonic=50.0)
    assert clock.now(50.0) == 1_000_000.0
    assert clock.now(110.0) == 1_000_060.0
    assert clock.skew(1_000_060.0) == 0.0
    # NTP sets the wall clock back an hour: control time goes on.
    assert clock.now(170.0) == 1_000_120.0
    assert clock.skew(1_000_120.0 - HOUR) == -HOUR
    # A "monotonic" reading that goes back counts as no time, then time runs on from there.
    assert clock.now(20.0) == 1_000_120.0
    assert clock.now(80.0) == 1_000_180.0


def test_memory_is_stored_on_the_wall_clock_of_the_save() -> None:
    memory = ControllerMemory(Mode.HEAT, 900.0, True, 950.0, 400.0, (100.0, 950.0))
    stored = memory_to_wall(memory, control_now=1000.0, wall_now=1000.0 - HOUR)
    assert stored == ControllerMemory(
        Mode.HEAT,
        900.0 - HOUR,
        True,
        950.0 - HOUR,
        400.0 - HOUR,
        (100.0 - HOUR, 950.0 - HOUR),
        saved_at=1000.0 - HOUR,
    )


def test_restored_memory_from_the_future_is_moved_back_as_a_whole() -> None:
    future = ControllerMemory(Mode.HEAT, 3900.0, False, 4000.0, 4500.0, (4000.0,), saved_at=4600.0)
    restored = restore_memory(future, now=1000.0)
    # The save is "now": the stop was 100 s ago, the start 600 s ago.
    assert restored == ControllerMemory(Mode.HEAT, 300.0, False, 400.0, 900.0, (400.0,))
    # Without a save time, the latest moment it holds is taken as now.
    assert restore_memory(replace(future, saved_at=None), now=1000.0) == ControllerMemory(
        Mode.HEAT, 400.0, False, 500.0, 1000.0, (500.0,)
    )
    past = ControllerMemory(Mode.COOL, 10.0, False, 20.0, 30.0, (20.0,), saved_at=40.0)
    assert restore_memory(past, now=1000.0) == replace(past, saved_at=None)
    assert restore_memory(ControllerMemory(), now=1000.0) == ControllerMemory()


def test_stored_stop_in_the_future_waits_one_minimum_off_time_not_the_jump() -> None:
    cfg = ducted_config(1)
    memory = ControllerMemory(running=False, last_stop=1000.0 + HOUR, saved_at=1000.0 + HOUR)
    controller = Controller(cfg, 1000.0, memory)
    obs = ducted_obs(cfg, zones((heat(21), 19.0)))
    decision = controller.step(1000.0, obs)
    assert not decision.running
    assert decision.next_check == 1300.0
    obs, decision = step(controller, 1300.0, obs)
    assert decision.running


def test_stored_start_in_the_future_runs_one_minimum_run_time_not_the_jump() -> None:
    cfg = ducted_config(1)
    memory = ControllerMemory(Mode.HEAT, 1000.0 + HOUR, True, 1000.0 + HOUR, None, (1000.0 + HOUR,))
    controller = Controller(cfg, 1000.0, memory)
    running = ducted_obs(cfg, zones((heat(21), 22.0)))
    running = replace(running, source=replace(running.source, hvac_mode="heat"))  # type: ignore[arg-type]
    running, decision = step(controller, 1000.0, running)
    assert decision.running  # minimum run from "now"
    running, decision = step(controller, 1299.0, running)
    assert decision.running
    running, decision = step(controller, 1300.0, running)
    assert not decision.running
    assert [c.hvac_mode for c in climate_commands(decision)] == ["off"]


def test_wall_clock_set_back_while_running_does_not_hold_the_unit_on() -> None:
    """The clock goes back an hour during the minimum run: the unit stops when its minimum run
    is over in elapsed time (not 56 minutes later), and the memory it gives is never ahead of
    the caller's clock. Fed the wall clock, the engine cannot know how much of the time between
    its last step and the first one after the jump passed: it counts none (conservative by at
    most one step; the Home Assistant layer feeds it a monotonic clock instead)."""
    cfg = ducted_config(1)
    controller, obs, decision = started(cfg, ducted_obs(cfg, zones((heat(21), 19.0))))
    assert decision.running  # started at 0
    obs = replace(obs, zones=zones((heat(21), 21.5)))  # satisfied: held by the minimum run
    obs, decision = step(controller, 100.0, obs)
    assert decision.running and decision.next_check == 300.0
    back = 100.0 - HOUR  # the clock is set back an hour at 100 s
    obs, decision = step(controller, back + 60.0, obs)
    assert decision.running
    assert decision.next_check == back + 260.0  # in the caller's (new) time
    memory = controller.memory()
    assert memory.last_start is not None and memory.last_start <= back + 60.0
    obs, decision = step(controller, back + 259.0, obs)
    assert decision.running
    obs, decision = step(controller, back + 260.0, obs)
    assert not decision.running


def test_wall_clock_set_back_after_a_stop_keeps_the_minimum_off_time() -> None:
    cfg = ducted_config(1)
    controller, obs, _ = started(cfg, ducted_obs(cfg, zones((heat(21), 19.0))))
    obs = replace(obs, zones=zones((heat(21), 21.5)))
    obs, decision = step(controller, 300.0, obs)
    assert not decision.running  # stopped at 300
    obs = replace(obs, zones=zones((heat(21), 19.0)))
    back = 400.0 - HOUR  # set back an hour 100 s after the stop
    obs, decision = step(controller, back, obs)
    assert not decision.running and decision.next_check == back + 300.0
    obs, decision = step(controller, back + 299.0, obs)
    assert not decision.running
    obs, decision = step(controller, back + 300.0, obs)
    assert decision.running
