"""Mini-split control: head commands, offsets, shared outdoor unit, quiet mode, remote changes."""

from __future__ import annotations

from dataclasses import replace

import pytest

from engine.control.commands import (
    ClimateView,
    RemoteChange,
    remote_change,
    round_step,
    setpoint_toward,
)
from engine.control.controller import Controller
from engine.control.heads import adopt, dominant, head_mode
from engine.model import (
    ClimateState,
    ControllerMemory,
    Mode,
    SetClimate,
    SystemObservation,
    WaitReason,
    ZoneAction,
    ZoneConfig,
    ZoneMode,
)

from .control_helpers import (
    OFF,
    STOPPED,
    auto,
    climate_commands,
    cool,
    heat,
    mini_config,
    mini_obs,
    started,
    step,
    zones,
)


def with_head(obs: SystemObservation, head: str, **changes: object) -> SystemObservation:
    return replace(obs, heads={**obs.heads, head: replace(obs.heads[head], **changes)})  # type: ignore[arg-type]


def _second_head_joins(quiet: bool) -> tuple[Controller, SystemObservation]:
    """Three zones: z0 heating from the start, z1 calling at 70 s and its head then heating."""
    cfg = mini_config(3, quiet_heads=quiet)
    obs = mini_obs(
        cfg, zones((heat(21), 19.0), (heat(21), 21.5), (OFF, 20.0)), head_temperature=22.0
    )
    c, obs, d = started(cfg, obs)
    assert d.running and d.active_mode is Mode.HEAT
    # head reads 3 above the room (limit 3): setpoint 24; z1 (not calling) stays off
    assert d.commands == (SetClimate("climate.h0", "heat", 24.0),)
    assert d.zones["z2"].action is ZoneAction.OFF
    assert d.zones["z0"].waiting is WaitReason.EQUIPMENT
    d = c.step(1.0, obs)
    assert d.commands == ()
    assert d.zones["z0"].action is ZoneAction.HEATING  # no hvac_action: calling = heating
    assert d.zones["z1"].action is ZoneAction.IDLE
    # z1 calls: its head joins (offset 22 - 20.5 = 1.5)
    obs = replace(obs, zones=zones((heat(21), 19.0), (heat(21), 20.5), (OFF, 20.0)))
    obs, d = step(c, 70.0, obs)
    assert d.commands == (SetClimate("climate.h1", "heat", 22.5),)
    obs = with_head(obs, "climate.h1", hvac_action="heating")
    assert c.step(80.0, obs).zones["z1"].action is ZoneAction.HEATING
    return c, obs


def test_quiet_heads_stay_on_past_the_target() -> None:
    """`head_control: quiet`: a head that joined stays on, its own thermostat holds the room."""
    c, obs = _second_head_joins(quiet=True)
    # past the target the head is left on: its own thermostat holds the room, no command
    for now, room in ((140.0, 21.1), (200.0, 21.2), (300.0, 21.6)):
        obs = replace(obs, zones=zones((heat(21), 19.0), (heat(21), room), (OFF, 20.0)))
        obs, d = step(c, now, obs)
        assert d.commands == ()
    obs = with_head(obs, "climate.h1", hvac_action="idle")
    assert c.step(310.0, obs).zones["z1"].action is ZoneAction.IDLE
    # a zone turned off turns its head off
    obs = replace(obs, zones=zones((heat(21), 19.0), (OFF, 21.6), (OFF, 20.0)))
    obs, d = step(c, 400.0, obs)
    assert d.commands == (SetClimate("climate.h1", "off"),)


def test_tight_heads_rest_past_the_target() -> None:
    """`head_control: tight`: the head rests once the room is where its call ends (half the
    tolerance, 0.15, past the target); until then it stays on, modulating."""
    c, obs = _second_head_joins(quiet=False)
    obs = replace(obs, zones=zones((heat(21), 19.0), (heat(21), 21.1), (OFF, 20.0)))
    obs, d = step(c, 140.0, obs)
    assert [x.hvac_mode for x in d.commands if isinstance(x, SetClimate)] in ([], ["heat"])
    # past that point: the head rests (off) instead of overshooting to its own cut-out
    obs = replace(obs, zones=zones((heat(21), 19.0), (heat(21), 21.2), (OFF, 20.0)))
    obs, d = step(c, 200.0, obs)
    assert d.commands == (SetClimate("climate.h1", "off"),)
    # and stays off back inside the band until the zone calls again
    obs = replace(obs, zones=zones((heat(21), 19.0), (heat(21), 20.8), (OFF, 20.0)))
    obs, d = step(c, 300.0, obs)
    assert d.commands == ()
    obs = replace(obs, zones=zones((heat(21), 19.0), (heat(21), 20.6), (OFF, 20.0)))
    obs, d = step(c, 400.0, obs)
    assert [x.entity_id for x in d.commands] == ["climate.h1"]


@pytest.mark.parametrize(
    ("mode", "idle_reading", "expected"),
    [
        # cooling: idle it reads the warm ceiling (+1.0), running +0.4: set from the running one
        (Mode.COOL, 25.0 + 1.0, 24.0 + 0.4),
        # heating: the idle reading asks for more heat than the running one: it is kept
        (Mode.HEAT, 19.0 + 1.5, 21.0 + 1.5),
        # nothing learnt yet for heating: the reading of the moment
        (None, 19.0 + 1.5, 21.0 + 1.5),
    ],
)
def test_tight_head_turned_on_takes_the_offset_that_asks_more(
    mode: Mode | None, idle_reading: float, expected: float
) -> None:
    """A head turned on gets whichever of its offset now (idle: stratified ceiling air) and the
    one it read after 10 minutes running last time asks for more output: set from a warm idle
    reading, a cooling head stopped again at once, and the outdoor unit with it (family, summer).
    """
    cfg = mini_config(1, min_off=0.0, min_run=0.0, tolerance=0.5)
    step_c = ClimateState(target_temp_step=0.1, min_temp=16.0, max_temp=30.0)
    settings = cool(24) if mode is Mode.COOL else heat(21)
    calling, satisfied = (25.0, 23.5) if mode is Mode.COOL else (19.0, 21.5)
    reading = (lambda room: room + 0.4) if mode is Mode.COOL else (lambda room: room + 0.2)
    first = (settings, calling) if mode is not None else (settings, satisfied)
    obs = mini_obs(cfg, zones(first), head_temperature=idle_reading)
    obs = with_head(obs, "climate.h0", target_temp_step=step_c.target_temp_step)
    c, obs, d = started(cfg, obs)
    if mode is not None:  # it runs 15 minutes reading the mixed air, then rests
        assert [x.hvac_mode for x in climate_commands(d)] == [mode.value]
        obs = with_head(obs, "climate.h0", current_temperature=reading(calling))
        for now in range(60, 960, 60):
            obs, d = step(c, float(now), obs)
        obs = replace(obs, zones=zones((settings, satisfied)))
        obs = with_head(obs, "climate.h0", current_temperature=reading(satisfied))
        obs, d = step(c, 1000.0, obs)
        assert [x.hvac_mode for x in climate_commands(d)] == ["off"]
        obs = with_head(obs, "climate.h0", current_temperature=idle_reading)
    obs = replace(obs, zones=zones((settings, calling)))
    obs, d = step(c, 2000.0, obs)
    [command] = climate_commands(d)
    assert command.target_temperature == pytest.approx(expected)


def test_tight_heads_go_off_while_a_start_must_wait() -> None:
    """Tight: heads left on but idle are turned off while the compressor may not start (their own
    thermostat would start it too early); quiet leaves them on."""
    for quiet in (True, False):
        cfg = mini_config(1, quiet_heads=quiet)
        c, obs, d = started(cfg, mini_obs(cfg, zones((heat(21), 19.0)), head_temperature=20.0))
        assert [x.hvac_mode for x in climate_commands(d)] == ["heat"]
        obs = with_head(obs, "climate.h0", hvac_action="heating")
        obs, d = step(c, 100.0, obs)
        obs = with_head(obs, "climate.h0", hvac_action="idle")
        obs = replace(obs, zones=zones((heat(21), 21.05)))
        obs, d = step(c, 400.0, obs)  # stopped by its own thermostat
        assert not d.running
        assert [x.hvac_mode for x in climate_commands(d)] == ([] if quiet else ["off"])


def _settled_heat_head(
    room: float,
    *,
    action: str | None = "heating",
    correction: float | None = None,
    head: float | None = None,
    head_step: float = 0.5,
) -> tuple[Controller, SystemObservation]:
    """One zone heating to 21 (tolerance 0.3) with its head (setpoint step `head_step`) on for an
    hour at the setpoint the head's offset gives, +1 unless the head reads `head`; `correction`: a
    learnt heat correction in the memory."""
    cfg = mini_config(1, quiet_heads=True)
    memory = STOPPED
    if correction is not None:
        memory = replace(STOPPED, corrections={"z0:heat": correction})
    c, obs, d = started(cfg, mini_obs(cfg, zones((heat(21), 19.0)), head_temperature=20.0), memory)
    assert [x.hvac_mode for x in d.commands if isinstance(x, SetClimate)] == ["heat"]
    reading = room + 1.0 if head is None else head
    obs = with_head(
        obs,
        "climate.h0",
        hvac_action=action,
        current_temperature=reading,
        target_temp_step=head_step,
    )
    obs = replace(obs, zones=zones((heat(21), room)))
    for now in range(60, 3600, 60):
        obs, d = step(c, float(now), obs)
    return c, obs


def test_correction_learns_what_the_room_says() -> None:
    """A room that stays short while its head runs gets the head's setpoint raised: the offset
    once settled, then integral action (on the error past half the head's step, 0.25 K), one step
    at a time, bounded, remembered."""
    c, obs = _settled_heat_head(20.55)
    assert c.memory().corrections["z0:heat"] == pytest.approx(1.0 + 0.2 * 0.75 / 2, abs=0.05)
    sent: list[float | None] = []
    for now in range(3600, 12 * 3600, 60):
        obs, d = step(c, float(now), obs)
        sent += [x.target_temperature for x in d.commands if isinstance(x, SetClimate)]
    # 0.45 K short (0.2 past the dead band) for 11 hours: +1.1 K at 0.5 K per K·h, sent as
    # two half-degree steps
    assert sent == [22.5, 23.0]
    assert c.memory().corrections["z0:heat"] == pytest.approx(2.2, abs=0.1)
    # a restart keeps it: the first command after one uses it
    again = Controller(c.config, 0.0, replace(c.memory(), running=False, active_mode=None))
    obs = with_head(obs, "climate.h0", hvac_mode="off", target_temperature=None)
    d = again.step(0.0, replace(obs, zones=zones((heat(21), 19.0))))
    assert d.commands == (SetClimate("climate.h0", "heat", 23.0),)


@pytest.mark.parametrize(
    ("room", "action"),
    [
        (20.0, "heating"),  # short by more than the band while heating: a recovery
        (21.8, "idle"),  # past the target with the head giving nothing
        (21.8, None),  # past the target, the head does not say what it does
    ],
)
def test_correction_does_not_wind_up(room: float, action: str | None) -> None:
    c, _obs = _settled_heat_head(room, action=action, correction=1.0)
    assert c.memory().corrections["z0:heat"] == pytest.approx(1.0)


@pytest.mark.parametrize(("step", "learns"), [(1.0, False), (0.5, True)])
def test_correction_leaves_what_the_head_step_cannot_hold(step: float, learns: bool) -> None:
    """A room 0.4 K short: within half a whole-degree step it is not integrated (the next step
    would overshoot it), past half a half-degree step it is."""
    c, _obs = _settled_heat_head(20.6, head_step=step, correction=1.0)
    learnt = c.memory().corrections["z0:heat"]
    assert learnt > 1.0 if learns else learnt == pytest.approx(1.0)


@pytest.mark.parametrize("action", [None, "idle"])
def test_correction_unwinds_a_push_a_silent_head_does_not_need(action: str | None) -> None:
    """Past the target, a head that does not say what it does and is set beyond its own offset
    (+1.0 here; +0.2 learnt for droop) is let back towards the offset: it may be the one
    overheating the room. (It would otherwise stay a whole step too far for days: family #5,
    summer.) A head that says it gives nothing is left as it is."""
    c, _obs = _settled_heat_head(21.5, head=21.5 + 1.0, action=action, correction=1.2)
    learnt = c.memory().corrections["z0:heat"]
    if action is None:
        assert 1.0 < learnt < 1.2  # at the rate
    else:
        assert learnt == pytest.approx(1.2)
    # far past and for long: never below the offset
    c, _obs = _settled_heat_head(22.5, head=22.5 + 1.0, action=action, correction=1.2)
    assert c.memory().corrections["z0:heat"] == pytest.approx(1.0 if action is None else 1.2)


def test_correction_learns_from_an_idle_head_of_a_cold_room() -> None:
    """Short by more than the band while the head says it is idle: its setpoint is too low."""
    c, _obs = _settled_heat_head(20.0, action="idle", correction=1.0)
    assert c.memory().corrections["z0:heat"] > 1.1


def test_correction_is_clamped_and_stored_rounded() -> None:
    c, _obs = _settled_heat_head(20.8, correction=9.0)
    assert c.memory().corrections == {"z0:heat": 3.0}  # the head offset limit


def test_a_head_left_on_is_not_turned_off_when_the_compressor_stops() -> None:
    """Its own thermostat stopped the compressor; the head keeps its mode (no command) until the
    other mode wins the outdoor unit."""
    cfg = mini_config(2, min_off=0.0, min_run=0.0, mode_dwell=0.0, quiet_heads=True)
    obs = mini_obs(cfg, zones((heat(21), 19.0), (OFF, 22.0)), head_temperature=20.0)
    c, obs, d = started(cfg, obs)
    assert [x.entity_id for x in climate_commands(d)] == ["climate.h0"]
    obs = with_head(obs, "climate.h0", hvac_action="idle")
    obs = replace(obs, zones=zones((heat(21), 21.4), (OFF, 22.0)))
    obs, d = step(c, 100.0, obs)
    assert d.commands == () and not d.running
    # the other zone calls for cooling: the heat head goes off first, then the cool head on
    obs = replace(obs, zones=zones((heat(21), 21.4), (cool(21), 22.0)))
    obs, d = step(c, 200.0, obs)
    assert [(x.entity_id, x.hvac_mode) for x in climate_commands(d)] == [
        ("climate.h0", "off"),
        ("climate.h1", "cool"),
    ]


def test_offset_clamped_and_no_room_sensor() -> None:
    cfg = replace(
        mini_config(2),
        zones=(
            ZoneConfig("z0", "Z0", head="climate.h0"),
            ZoneConfig("z1", "Z1", head="climate.h1", has_room_sensor=False),
        ),
    )
    c = Controller(cfg, 0.0, STOPPED)
    obs = mini_obs(cfg, zones((heat(21), 20.0), (heat(21), None)), head_temperature=15.0)
    d = c.step(0.0, obs)
    # z0: head 5 below the room -> offset clamped to -3; z1 uses the head's reading, no offset
    assert d.commands == (
        SetClimate("climate.h0", "heat", 18.0),
        SetClimate("climate.h1", "heat", 21.0),
    )
    assert d.zones["z1"].calling is Mode.HEAT


def test_tight_setpoint_rounds_towards_more_output() -> None:
    """A calling cooling room 0.6 K past its 24 target, its head reading 0.6 above the room, on
    a 1 degree step: 24.6 rounded to the nearest step (25) left the head idle by its own
    thermostat (the equipment family); tight control sends 24. Quiet keeps the nearest step."""
    for quiet, expected in ((False, 24.0), (True, 25.0)):
        cfg = mini_config(1, quiet_heads=quiet)
        obs = mini_obs(cfg, zones((cool(24), 24.6)), head_temperature=25.2)
        obs = with_head(obs, "climate.h0", target_temp_step=1.0)
        _c, _obs, d = started(cfg, obs)
        assert d.commands == (SetClimate("climate.h0", "cool", expected),)
    state = ClimateState(target_temp_step=0.5, min_temp=16.0, max_temp=30.0)
    assert setpoint_toward(21.1, state, Mode.HEAT) == 21.5
    assert setpoint_toward(21.5, state, Mode.HEAT) == 21.5  # already on a step
    assert setpoint_toward(21.4, state, Mode.COOL) == 21.0
    assert setpoint_toward(31.0, state, Mode.HEAT) == 30.0  # clamped to the range
    assert setpoint_toward(21.3, replace(state, target_temp_step=0.0), Mode.COOL) == 21.3


def test_quiet_resend_only_after_a_full_step_and_rate_limit() -> None:
    cfg = mini_config(1)
    c, obs, d = started(cfg, mini_obs(cfg, zones((heat(21), 19.0)), head_temperature=20.0))
    assert d.commands == (SetClimate("climate.h0", "heat", 22.0),)
    obs = with_head(obs, "climate.h0", current_temperature=20.4)  # offset 1.4: raw 22.4
    assert c.step(100.0, obs).commands == ()
    obs = with_head(obs, "climate.h0", current_temperature=20.6)  # raw 22.6: a full step
    obs, d = step(c, 100.0, obs)
    # Tight control rounds towards more output: up, in heat.
    assert d.commands == (SetClimate("climate.h0", "heat", 23.0),)
    obs = replace(obs, zones=zones((heat(23), 19.0)))
    d = c.step(130.0, obs)
    assert d.commands == () and d.next_check == 160.0
    assert d.zones["z0"].waiting is None  # still heating, only the setpoint waits
    assert c.step(160.0, obs).commands == (SetClimate("climate.h0", "heat", 25.0),)


def test_a_head_that_rounds_to_whole_fahrenheit_is_not_sent_the_same_setpoint_again() -> None:
    """A head behind a 0.5 °C step that keeps whole °F shows 22.2 for the 22.0 sent. A wanted
    21.7 is a full step from 22.2 but rounds to the same 22.0: sending it again would change
    nothing on the head and beep (seen on the equipment family: 73 such repeats a week)."""
    f_to_c = lambda f: round((f - 32.0) / 1.8, 4)  # noqa: E731
    cfg = mini_config(1)
    c, obs, d = started(cfg, mini_obs(cfg, zones((heat(21), 19.0)), head_temperature=20.0))
    assert d.commands == (SetClimate("climate.h0", "heat", 22.0),)
    obs = with_head(obs, "climate.h0", target_temperature=f_to_c(72.0), current_temperature=19.7)
    for now in (100.0, 200.0, 400.0):  # raw 21.7: the same 22.0 when rounded towards heat
        obs, d = step(c, now, obs)
        assert d.commands == ()
    obs = with_head(obs, "climate.h0", current_temperature=19.4)  # raw 21.4: 21.5 is new
    obs, d = step(c, 500.0, obs)
    assert d.commands == (SetClimate("climate.h0", "heat", 21.5),)
    obs = with_head(obs, "climate.h0", target_temperature=f_to_c(71.0))  # shows 21.67
    assert c.step(600.0, obs).commands == ()


def test_quiet_correction_settles_then_resends_a_full_step() -> None:
    cfg = mini_config(1, quiet_heads=True)
    c, obs, d = started(cfg, mini_obs(cfg, zones((heat(21), 19.0)), head_temperature=20.0))
    assert d.commands == (SetClimate("climate.h0", "heat", 22.0),)
    # until the head has been on for 15 minutes (from the first step its command is not in
    # flight) its first offset (1.0) stands
    obs = with_head(obs, "climate.h0", current_temperature=20.6)
    assert c.step(100.0, obs).commands == ()
    obs = replace(obs, zones=zones((heat(21), 20.8)))
    obs = with_head(obs, "climate.h0", current_temperature=22.2)  # offset 1.4: raw 22.4
    assert c.step(1000.0, obs).commands == ()  # settled at 1.4: less than a full step
    assert c.memory().corrections == {"z0:heat": 1.4}
    obs = replace(obs, zones=zones((heat(23), 20.8)))
    obs, d = step(c, 1030.0, obs)  # raw 24.4 -> 24.5
    assert d.commands == (SetClimate("climate.h0", "heat", 24.5),)
    obs = replace(obs, zones=zones((heat(22), 20.8)))
    d = c.step(1060.0, obs)
    assert d.commands == () and d.next_check == 1090.0
    assert d.zones["z0"].waiting is None  # still heating, only the setpoint waits
    assert c.step(1090.0, obs).commands == (SetClimate("climate.h0", "heat", 23.5),)


def test_rate_limit_reason_when_turning_on() -> None:
    cfg = mini_config(1, min_off=0.0, min_run=0.0)
    c, obs, d = started(cfg, mini_obs(cfg, zones((heat(21), 21.5))))
    assert d.commands == ()
    obs = replace(obs, zones=zones((OFF, 21.5)))
    obs, d = step(c, 10.0, obs)
    obs = replace(obs, zones=zones((heat(21), 19.0)))
    obs, d = step(c, 20.0, obs)
    assert d.commands == (SetClimate("climate.h0", "heat", 22.0),)
    obs = replace(obs, zones=zones((OFF, 19.0)))
    obs, d = step(c, 30.0, obs)  # off wanted but rate limited
    assert d.commands == () and d.next_check == 80.0
    obs = replace(obs, zones=zones((cool(18), 19.0)))
    d = c.step(40.0, obs)
    assert d.zones["z0"].waiting in (WaitReason.MODE_CONFLICT, WaitReason.MIN_OFF)


def test_shared_outdoor_unit_mode_conflict() -> None:
    cfg = mini_config(3)
    obs = mini_obs(cfg, zones((heat(21), 19.0), (cool(24), 25.0), (auto(20, 24), 22.0)))
    c, obs, d = started(cfg, obs)
    assert d.active_mode is Mode.HEAT
    modes = {x.entity_id: x.hvac_mode for x in d.commands if isinstance(x, SetClimate)}
    assert modes == {"climate.h0": "heat"}  # heat_cool z2 is inside its band: not called
    assert d.zones["z1"].waiting is WaitReason.MODE_CONFLICT
    # heat satisfied: min run, then all off, min off, then cool
    obs = replace(obs, zones=zones((heat(21), 21.2), (cool(24), 25.0), (auto(20, 24), 24.5)))
    obs, d = step(c, 100.0, obs)
    assert d.running and d.next_check == 300.0
    assert all(x.hvac_mode == "heat" for x in d.commands if isinstance(x, SetClimate))
    obs, d = step(c, 300.0, obs)
    assert not d.running
    assert {x.hvac_mode for x in d.commands if isinstance(x, SetClimate)} == {"off"}
    assert d.zones["z1"].waiting is WaitReason.MIN_OFF and d.next_check == 600.0
    obs, d = step(c, 600.0, obs)
    modes = {x.entity_id: x.hvac_mode for x in d.commands if isinstance(x, SetClimate)}
    assert d.active_mode is Mode.COOL
    assert modes == {"climate.h1": "cool", "climate.h2": "cool"}
    cmd = next(x for x in d.commands if isinstance(x, SetClimate) and x.entity_id == "climate.h2")
    assert cmd.target_temperature == 21.0  # target_high 24 + offset (head 20 - room 24.5: -3)


def test_never_on_while_another_head_observed_in_opposite_mode() -> None:
    cfg = mini_config(2, min_off=0.0)
    memory = ControllerMemory(Mode.COOL, -1000.0, True, -1000.0, -2000.0)
    obs = mini_obs(cfg, zones((heat(21), 19.0), (OFF, 20.0)))
    obs = with_head(obs, "climate.h1", hvac_mode="cool", target_temperature=24.0)
    # unit running in cool (h1), its zone off: h1 off, no heat yet
    c, obs, d = started(cfg, obs, memory)
    assert d.commands == (SetClimate("climate.h1", "off"),)
    assert d.zones["z0"].waiting is WaitReason.MIN_OFF
    obs, d = step(c, 1.0, obs)
    assert d.commands == (SetClimate("climate.h0", "heat", 22.0),)


def test_conflict_blocked_by_rate_limited_opposite_head() -> None:
    cfg = mini_config(2, min_off=0.0, min_run=0.0, mode_dwell=0.0)
    memory = ControllerMemory(running=False, last_stop=-100.0)
    c, obs, d = started(cfg, mini_obs(cfg, zones((OFF, 19.0), (cool(24), 25.0))), memory)
    assert d.commands == (SetClimate("climate.h1", "cool", 21.0),)
    # z1 satisfied, z0 wants heat: stopping h1 is rate limited; h0 must not go on meanwhile
    obs = replace(obs, zones=zones((heat(21), 19.0), (cool(24), 23.0)))
    d = c.step(10.0, obs)
    assert d.commands == ()
    assert d.zones["z0"].waiting in (WaitReason.MODE_CONFLICT, WaitReason.MIN_OFF)


def test_min_run_holds_last_head_even_if_zone_turned_off() -> None:
    cfg = mini_config(1)
    c, obs, _ = started(cfg, mini_obs(cfg, zones((heat(21), 19.0))))
    obs = replace(obs, zones=zones((OFF, 19.0)))
    obs, d = step(c, 100.0, obs)
    assert d.running and d.commands == () and d.next_check == 300.0
    assert d.zones["z0"].action is ZoneAction.OFF
    obs, d = step(c, 300.0, obs)
    assert d.commands == (SetClimate("climate.h0", "off"),) and not d.running


def test_first_head_waits_min_off_without_memory() -> None:
    cfg = mini_config(1)
    c = Controller(cfg, 500.0)
    d = c.step(500.0, mini_obs(cfg, zones((cool(24), 26.0))))
    assert d.commands == () and d.zones["z0"].waiting is WaitReason.MIN_OFF
    assert d.next_check == 800.0


def test_unavailable_head_or_zone() -> None:
    cfg = mini_config(2)
    c = Controller(cfg, 0.0, STOPPED)
    obs = mini_obs(cfg, zones((heat(21), 19.0), (heat(21), None)))
    obs = with_head(obs, "climate.h0", available=False, hvac_mode=None)
    d = c.step(0.0, obs)
    assert not d.zones["z0"].available and not d.zones["z1"].available
    assert d.commands == ()
    missing = replace(obs, heads={"climate.h1": obs.heads["climate.h1"]})
    assert not c.step(1.0, missing).zones["z0"].available


def test_remote_change_adopted_not_fought() -> None:
    cfg = mini_config(1)
    c, obs, d = started(cfg, mini_obs(cfg, zones((heat(21), 19.0)), head_temperature=20.0))
    assert d.commands == (SetClimate("climate.h0", "heat", 22.0),)
    obs, d = step(c, 1.0, obs)  # our command landed: not a remote change
    assert d.adopted == {} and d.commands == ()
    obs = with_head(obs, "climate.h0", target_temperature=24.0)
    obs, d = step(c, 200.0, obs)
    assert d.adopted["z0"].target == 23.0  # 24 minus the offset we applied (+1)
    assert d.commands == ()
    obs, d = step(c, 200.0, obs)
    assert d.commands == () and d.adopted == {}
    obs = with_head(obs, "climate.h0", hvac_mode="off")
    obs, d = step(c, 400.0, obs)
    assert d.adopted["z0"].hvac_mode is ZoneMode.OFF


def test_own_command_lag_is_not_a_remote_change() -> None:
    cfg = mini_config(1)
    c = Controller(cfg, 0.0, STOPPED)
    obs = mini_obs(cfg, zones((heat(21), 19.0)), head_temperature=20.0)
    d = c.step(0.0, obs)
    assert d.commands == (SetClimate("climate.h0", "heat", 22.0),)
    # the head switches mode first, showing its stored heat setpoint, then ours
    partial = with_head(obs, "climate.h0", hvac_mode="heat", target_temperature=25.0)
    assert c.step(5.0, partial).adopted == {}
    landed = with_head(obs, "climate.h0", hvac_mode="heat", target_temperature=22.0)
    d = c.step(10.0, landed)
    assert d.adopted == {} and d.commands == ()


def test_remote_mode_change_in_heat_cool_and_unexpressible_modes() -> None:
    cfg = mini_config(1)
    c, obs, _ = started(cfg, mini_obs(cfg, zones((auto(20, 24), 19.0)), head_temperature=19.0))
    obs, _ = step(c, 1.0, obs)
    obs = with_head(obs, "climate.h0", target_temperature=21.0)
    obs, d = step(c, 100.0, obs)
    assert d.adopted["z0"].target_low == 21.0 and d.adopted["z0"].hvac_mode is ZoneMode.HEAT_COOL
    obs = with_head(obs, "climate.h0", hvac_mode="fan_only")
    obs, d = step(c, 200.0, obs)
    assert d.adopted == {} and d.commands == ()  # left alone for the interval
    obs, d = step(c, 260.0, obs)
    assert d.commands and d.commands[0].entity_id == "climate.h0"  # then restored


def test_adopt_rules() -> None:
    base = auto(20, 24)
    assert adopt(base, RemoteChange("cool", None), "cool", 0).hvac_mode is ZoneMode.COOL
    assert adopt(base, RemoteChange("cool", None), "cool", 0).target == 24
    assert adopt(base, RemoteChange(None, 26.0), "cool", 1.0).target_high == 25.0
    low = adopt(base, RemoteChange(None, 18.0), "cool", 0.0)
    assert low.target_high == 18.0 and low.target_low == 18.0
    high = adopt(base, RemoteChange(None, 26.0), "heat", 0.0)
    assert high.target_low == 26.0 and high.target_high == 26.0
    assert adopt(heat(21), RemoteChange("heat", 23.0), "heat", 0).target == 23.0
    assert adopt(OFF, RemoteChange(None, 23.0), "heat", 0) == OFF
    assert adopt(heat(21), RemoteChange("auto", None), "auto", 0) == heat(21)


def test_remote_change_detection() -> None:
    prev = ClimateView("heat", 22.0)
    ours = SetClimate("h", "heat", 22.0)
    assert remote_change(None, prev, ours, False, 0.5) is None
    assert remote_change(prev, ClimateView("cool", 22.0), ours, True, 0.5) is None
    assert remote_change(prev, ClimateView("cool", 22.0), ours, False, 0.5) == RemoteChange(
        "cool", None
    )
    assert remote_change(prev, ClimateView("heat", 23.0), None, False, 0.5) == RemoteChange(
        None, 23.0
    )
    assert remote_change(prev, ClimateView("heat", 22.2), ours, False, 0.5) is None


def test_helpers() -> None:
    assert head_mode("dry") is Mode.COOL and head_mode(None) is None
    assert dominant([Mode.HEAT, Mode.COOL], Mode.COOL) is Mode.COOL
    assert dominant([Mode.COOL, Mode.COOL, Mode.HEAT], None) is Mode.COOL
    assert round_step(21.26, 0.5) == 21.5 and round_step(21.26, 0) == 21.26


def test_restart_with_memory_and_reconcile() -> None:
    cfg = mini_config(1)
    c, obs, _ = started(cfg, mini_obs(cfg, zones((heat(21), 19.0))))
    memory = c.memory()
    assert memory.running and memory.last_start == 0.0
    c2 = Controller(cfg, 50.0, memory)
    obs = with_head(obs, "climate.h0", hvac_mode="off")  # turned off while we were down
    d = c2.step(50.0, obs)
    assert not d.running and d.zones["z0"].waiting is WaitReason.MIN_OFF
    assert c2.memory().last_stop == 50.0


@pytest.mark.parametrize("action", ["heating", "idle"])
def test_truthful_action_uses_head_action(action: str) -> None:
    cfg = mini_config(1)
    obs = mini_obs(cfg, zones((heat(21), 19.0)))
    c, obs, _ = started(cfg, with_head(obs, "climate.h0", hvac_action="off"))
    obs = with_head(obs, "climate.h0", hvac_action=action)
    d = c.step(1.0, obs)
    assert d.commands == ()  # an idle head is the head's own choice: left on, not a stop
    expected = ZoneAction.HEATING if action == "heating" else ZoneAction.IDLE
    assert d.zones["z0"].action is expected
    assert d.zones["z0"].waiting is (None if action == "heating" else WaitReason.EQUIPMENT)


def test_cannot_express_head_state_for_unavailable_head_blocks_opposite() -> None:
    cfg = mini_config(2, min_off=0.0)
    c = Controller(cfg, 0.0, STOPPED)
    obs = mini_obs(cfg, zones((heat(21), 19.0), (cool(24), 25.0)))
    obs = with_head(obs, "climate.h1", available=False, hvac_mode="cool")
    d = c.step(0.0, obs)
    assert d.commands == ()  # h1 may still be cooling: h0 waits
    assert d.zones["z0"].waiting is WaitReason.MODE_CONFLICT
    assert isinstance(d.zones["z1"].available, bool) and not d.zones["z1"].available
    _ = ClimateState


def test_commands_are_counted_per_entity_over_a_rolling_day() -> None:
    """Diagnostics' command counts: what went to each head, in the last 24 h and since start."""
    cfg = mini_config(2)
    c, obs, d = started(cfg, mini_obs(cfg, zones((heat(21), 19.0), (OFF, 20.0))))
    assert [x.entity_id for x in d.commands] == ["climate.h0"]
    assert c.command_counts(0.0) == {"climate.h0": {"last_24h": 1, "since_start": 1}}
    obs = replace(obs, zones=zones((OFF, 19.0), (OFF, 20.0)))
    obs, d = step(c, 50_000.0, obs)
    assert d.commands == (SetClimate("climate.h0", "off"),)
    assert c.command_counts(50_000.0)["climate.h0"] == {"last_24h": 2, "since_start": 2}
    # a day after the first command it has left the window; the total stays
    late = c.command_counts(100_000.0)["climate.h0"]
    assert late == {"last_24h": 1, "since_start": 2}
    assert c.command_counts(200_000.0)["climate.h0"] == {"last_24h": 0, "since_start": 2}


def _quiet(obs: SystemObservation, *quiet_zones: str) -> SystemObservation:
    zones_now = {zid: replace(zone, quiet=zid in quiet_zones) for zid, zone in obs.zones.items()}
    return replace(obs, zones=zones_now)


def test_quiet_hours_hold_head_commands_inside_the_wider_band() -> None:
    """A zone in its quiet hours: a call inside twice the tolerance waits (quiet_hours); past it,
    or once the window ends, the head is commanded."""
    cfg = mini_config(2, min_off=0.0, min_run=0.0)  # tolerance 0.3: quiet band 0.6
    obs = mini_obs(cfg, zones((heat(21), 20.6), (OFF, 20.0)), head_temperature=20.6)
    c = Controller(cfg, 0.0, STOPPED)
    obs = _quiet(obs, "z0")
    obs, d = step(c, 0.0, obs)
    assert d.commands == ()
    assert d.zones["z0"].calling is Mode.HEAT
    assert d.zones["z0"].waiting is WaitReason.QUIET_HOURS
    obs = _quiet(replace(obs, zones=zones((heat(21), 20.3), (OFF, 20.0))), "z0")
    obs, d = step(c, 60.0, obs)  # 0.7 short: past the quiet band
    assert [x.hvac_mode for x in climate_commands(d)] == ["heat"]


def test_quiet_hours_end_and_a_zone_turned_off_still_command() -> None:
    cfg = mini_config(1, min_off=0.0, min_run=0.0)
    obs = _quiet(mini_obs(cfg, zones((heat(21), 20.6)), head_temperature=20.6), "z0")
    c = Controller(cfg, 0.0, STOPPED)
    obs, d = step(c, 0.0, obs)
    assert d.commands == ()
    obs, d = step(c, 60.0, _quiet(obs))  # the window ended
    assert [x.hvac_mode for x in climate_commands(d)] == ["heat"]
    obs = _quiet(replace(obs, zones=zones((OFF, 20.6))), "z0")
    obs, d = step(c, 200.0, obs)
    assert [x.hvac_mode for x in climate_commands(d)] == ["off"]


def test_quiet_hours_let_the_unit_change_mode() -> None:
    """A quiet zone's heat head still goes off when the outdoor unit goes over to cooling."""
    cfg = mini_config(2, min_off=0.0, min_run=0.0, mode_dwell=0.0)
    obs = mini_obs(cfg, zones((heat(21), 20.0), (OFF, 25.0)), head_temperature=20.0)
    c, obs, d = started(cfg, obs)
    assert [x.entity_id for x in climate_commands(d)] == ["climate.h0"]
    obs = with_head(obs, "climate.h0", hvac_action="idle")
    obs = _quiet(replace(obs, zones=zones((heat(21), 21.1), (cool(24), 25.0))), "z0")
    obs, d = step(c, 400.0, obs)
    assert [(x.entity_id, x.hvac_mode) for x in climate_commands(d)] == [("climate.h0", "off")]
    obs, d = step(c, 460.0, obs)
    assert [(x.entity_id, x.hvac_mode) for x in climate_commands(d)] == [("climate.h1", "cool")]


def test_a_remote_mode_set_again_after_the_head_was_away_is_not_fought() -> None:
    """The user sets fan_only, then off while the head is unreachable, then fan_only again once
    it is back: the engine had kept the first remote state as its own, so the third looked like
    its own command landing and was turned off in the same step (a property test found it)."""
    cfg = mini_config(1, min_off=0.0, min_run=0.0)
    c, obs, _ = started(cfg, mini_obs(cfg, zones((OFF, 20.0))))
    obs = with_head(obs, "climate.h0", hvac_mode="fan_only", target_temperature=18.0)
    obs, d = step(c, 1.0, obs)
    assert d.commands == ()  # a remote change: left alone
    obs = with_head(obs, "climate.h0", available=False, hvac_mode="off")
    obs, d = step(c, 2.0, obs)
    obs = with_head(obs, "climate.h0", available=True)
    obs, d = step(c, 3.0, obs)  # back: its state is the baseline, nothing adopted
    obs = with_head(obs, "climate.h0", hvac_mode="fan_only")
    obs, d = step(c, 70.0, obs)
    assert d.commands == ()


def test_a_head_seen_in_the_other_mode_blocks_it_whatever_was_sent_to_it() -> None:
    """z0's head was sent cool, went away and came back in heat (a remote change while away:
    not adopted) with the cool command still in flight; z1 calls cool. Turning z1's head on
    would run two modes on one outdoor unit if z0's never got the command: it waits."""
    cfg = mini_config(2, min_off=0.0, min_run=0.0, mode_dwell=0.0)
    c, obs, d = started(cfg, mini_obs(cfg, zones((cool(16), 20.0), (OFF, 20.0))))
    assert d.commands == (SetClimate("climate.h0", "cool", 16.0),)
    obs = with_head(obs, "climate.h0", available=False, hvac_mode="heat", target_temperature=18.0)
    obs, d = step(c, 1.0, obs)
    obs = replace(obs, zones=zones((cool(16), 20.0), (cool(16), 20.0)))
    obs, d = step(c, 2.0, obs)
    assert d.commands == ()  # unreachable and seen in heat: believed in heat
    assert d.zones["z1"].waiting is WaitReason.MODE_CONFLICT
    obs = with_head(obs, "climate.h0", available=True)
    obs, d = step(c, 3.0, obs)  # back in heat, the cool command still in flight
    assert d.commands == ()
    assert d.zones["z1"].waiting is WaitReason.MODE_CONFLICT
    obs, d = step(c, 61.0, obs)  # the rate limit over: both heads go to cool together
    assert set(d.commands) == {
        SetClimate("climate.h0", "cool", 16.0),
        SetClimate("climate.h1", "cool", 16.0),
    }


def test_after_a_restart_a_head_showing_its_rounding_of_the_wanted_setpoint_is_left_alone() -> None:
    """A new controller has no record of what it sent; the head (whole °F behind a 0.5 °C step)
    shows 22.2 and the wanted 21.7 rounds to 22.0 towards heat: within half a step of what it
    shows, so sending it would change nothing on the head but beep."""
    cfg = mini_config(1)
    obs = mini_obs(cfg, zones((heat(21), 19.0)), head_temperature=19.7)  # offset 0.7: raw 21.7
    obs = with_head(obs, "climate.h0", hvac_mode="heat", target_temperature=22.2222)
    _c, _obs, d = started(cfg, obs)
    assert d.commands == ()
