"""The central unit (the "source") of a ducted system: what it does, and driving it.

The source is a thermostat or heat pump climate entity that the engine runs as a contactor: on in
the served mode with a setpoint nudged past its own reading (`SystemConfig.source_nudge`) so that
its own thermostat never stops it first, off otherwise. A start or a stop counts for compressor
protection only once its command is sent (or seen). Command order within a step (stop first,
then damper openings, then a start, then closings) is `ducted`'s.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import ClimateState, Mode, SetClimate, SystemConfig
from .commands import EPS, CommandLog, climate_setpoint, same_setpoint

# A running source's setpoint is moved on once its reading is within this share of the nudge of
# it. At half the nudge (the first choice) one run in four was re-nudged in summer on the
# equipment family, one in fifteen in winter (a thermostat command each: `bench_control
# --family`); at a quarter, 0.5 K with the 2 K default, almost none, and a source left alone
# (Home Assistant stopped) still stops by its own thermostat at most the nudge past its reading.
RENUDGE_SHARE = 0.25


def source_mode(state: ClimateState) -> Mode | None:
    """The mode an observed source runs in (None when off or unknown)."""
    if state.hvac_mode in (Mode.HEAT, Mode.COOL):
        return Mode(state.hvac_mode)
    if state.hvac_mode not in (None, "off") and state.hvac_action in ("heating", "cooling"):
        return Mode.HEAT if state.hvac_action == "heating" else Mode.COOL
    return None


def delivering(state: ClimateState, mode: Mode) -> bool:
    """Whether the source is really putting out `mode` (its hvac_action wins when reported)."""
    action = state.hvac_action
    if action in ("heating", "cooling"):
        return action == ("heating" if mode is Mode.HEAT else "cooling")
    if action in ("idle", "off"):
        return False
    return state.hvac_mode == mode


def seen_delivering(state: ClimateState, mode: Mode) -> bool:
    """Whether the source's own `hvac_action` says it puts out `mode` now (False: not, or it
    does not say)."""
    return state.hvac_action == ("heating" if mode is Mode.HEAT else "cooling")


def nudged_setpoint(state: ClimateState, mode: Mode, nudge: float) -> float:
    """Source setpoint `nudge` past its own reading, so it runs until we stop it."""
    current = state.current_temperature
    if current is None:
        return state.max_temp if mode is Mode.HEAT else state.min_temp
    return climate_setpoint(current + nudge if mode is Mode.HEAT else current - nudge, state)


def source_needs(state: ClimateState, mode: Mode, setpoint: float, nudge: float) -> bool:
    """True when the source must be (re)commanded to run in `mode`.

    The setpoint is re-sent only when the source's reading has come within `RENUDGE_SHARE` of the
    nudge of it (the source is about to be satisfied), never just because its reading moved.
    """
    if state.hvac_mode != mode:
        return True
    observed = state.target_temperature
    if observed is None:
        return True
    if same_setpoint(observed, setpoint, EPS):
        return False
    current = state.current_temperature
    if current is None:
        return True
    headroom = observed - current if mode is Mode.HEAT else current - observed
    return headroom < nudge * RENUDGE_SHARE


@dataclass(frozen=True, slots=True)
class SourceStep:
    """The outcome of driving the source for one step."""

    command: SetClimate | None
    running: bool  # committed running after this step
    rate_limited: bool  # a needed command could not be sent yet
    timer: float | None  # when it can be sent


def drive_source(
    entity_id: str,
    state: ClimateState,
    run: bool,
    mode: Mode | None,
    was_running: bool,
    config: SystemConfig,
    log: CommandLog,
    now: float,
    urgent: bool = False,
) -> SourceStep:
    """Command the source towards the plan; a start/stop counts only once sent (or observed).

    `urgent` (a stop for airflow) is sent even inside the command interval, unless it is the
    command already in flight.
    """
    command: SetClimate | None = None
    if run and mode is not None:
        setpoint = nudged_setpoint(state, mode, config.source_nudge)
        if source_needs(state, mode, setpoint, config.source_nudge):
            command = SetClimate(entity_id, mode.value, setpoint)
    elif state.hvac_mode != "off":
        command = SetClimate(entity_id, "off")
    if command is None:
        return SourceStep(None, run, False, None)
    if not log.ready(entity_id, now) and not (urgent and log.in_flight(entity_id, now) != command):
        return SourceStep(None, was_running, True, log.ready_at(entity_id))
    log.record(command, now)
    return SourceStep(command, run, False, None)
