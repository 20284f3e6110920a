"""Mini-split heads: per-zone mode and setpoint, room-sensor offset, remote-change adoption.

Choices:
- A head is "on" when in heat or cool ("dry" counts as cool); the outdoor unit runs while any head
  is on. What the engine believes about a head: our command while it is in flight (sent less than
  `command_interval` ago), else the observed state, else (unavailable) our last command.
- A head goes on when its zone calls for the served mode. Tight control (the default) keeps it on
  while the room is short of where the call ends (`stays_on`), then rests it (see `mini_split`);
  quiet control keeps it on while its zone is on, wants that mode and does not call for the other
  (`keeps`): its own thermostat holds the room at the corrected setpoint, modulating, and below
  its minimum output cycling by itself, with no command. A head whose zone is off, unavailable (we
  do not run a room blind) or wants the other mode is turned off, and so is one whose mode loses
  the outdoor unit to the other.
- Offs are listed before ons. A head is never switched into a mode while another head is still
  believed in the opposite mode after this step's offs (it waits, MODE_CONFLICT).
- Setpoint: target + an offset, rounded to the head's step, clamped to its range. Tight: the
  head's reading minus the room temperature now, clamped to +-head_offset_limit, and rounded
  towards more output (up in heat, down in cool): the head's own thermostat starts only some way
  past its setpoint, and tight control turns the head off itself when the room is satisfied.
  Rounded to the nearest step, a cooling head at 24.6 set to 25 on a 1 degree step sat idle for
  hours while its room, 0.6 K past the band, called (`bench_control --family`). A head being
  turned on takes whichever asks for more output of that offset and the one it read after
  `mini_split.RUNNING_OFFSET_S` on in the mode last time: an idle head's sensor reads the still,
  stratified air at the ceiling, warmer than once its fan mixes the room, so a cooling head set
  from its idle reading stopped again at once, and with it the outdoor unit, restarted minutes
  later by the head's own thermostat (family, summer: short cycles 23 -> 9 over 20 variants, head
  commands 63 -> 52 a day). Quiet: the head's
  learnt correction in that mode (`HeadCorrections`: the sensor offset once the head has settled,
  then integral action on the room's own error), which moves a head's setpoint a few times a day.
  It is re-sent only when the unrounded value has moved a full step from the head's setpoint, so a
  noisy offset does not flip it at a rounding edge.
- Quiet hours (`ZoneInput.quiet`, the zone's `quiet_start`/`quiet_end`): a head gets no command
  unless its zone was turned off or became unavailable, the outdoor unit leaves the head's mode
  for the other, or the room is more than `QUIET_BAND` tolerances from its target
  (`quiet_allows`). A held command goes when the window ends; a calling zone waits with
  QUIET_HOURS meanwhile. Nothing else changes: protection still never starts the compressor
  early by our command, but a head left on may restart it by its own thermostat (as with quiet
  control).
- A remote change of mode (heat/cool/off) or setpoint is adopted (returned in
  `Decision.adopted`) and the head is left alone for `command_interval`, as if the remote state
  were our own last command. Modes a zone cannot express (fan_only, dry, auto) are not adopted;
  the head is left alone for the interval, then the zone's state is restored.
- What a head does to the outdoor unit (`delivers`, `after_delivery`, `stays_on`): it draws on
  the compressor while its `hvac_action` says so (heating, cooling, drying, defrosting,
  preheating), or, reporting no action, while it is on; `mini_split` times protection on that.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
import math

from ..model import (
    ClimateState,
    Mode,
    SetClimate,
    ZoneConfig,
    ZoneMode,
    ZoneSettings,
)
from .commands import EPS, RemoteChange, climate_setpoint, same_setpoint, setpoint_toward
from .demand import SATISFIED_PAST, ZoneView, accepts, opposite, shortfall, target_for

HEAD_MODES = {"heat": Mode.HEAT, "cool": Mode.COOL, "dry": Mode.COOL}


def head_mode(mode: str | None) -> Mode | None:
    """The compressor mode a head state implies (None: not drawing on the outdoor unit)."""
    return HEAD_MODES.get(mode or "off")


def head_offset(zone: ZoneConfig, room: float | None, head: ClimateState, limit: float) -> float:
    """Head reading minus room temperature, clamped; 0 without a room sensor or a reading."""
    if not zone.has_room_sensor or room is None or head.current_temperature is None:
        return 0.0
    limit = max(limit, 0.0)
    return min(max(head.current_temperature - room, -limit), limit)


def head_target(target: float, offset: float, head: ClimateState) -> float:
    """Unrounded setpoint for the head, clamped to its range."""
    return min(max(target + offset, head.min_temp), head.max_temp)


def needs_command(
    head: ClimateState, mode: Mode | None, raw_setpoint: float | None, setpoint: float | None
) -> bool:
    """Quiet rule: command only what changes the head's observed state: the wanted setpoint a
    step or more from the head's, and the one it would be sent (`setpoint`, rounded) not what the
    head shows already. A head that rounds finer steps its own way (whole °F behind a 0.5 °C
    step) shows 21.1 for a 21.0 sent: sending 21.0 again would change nothing but beep."""
    if mode is None:
        return head.hvac_mode != "off"
    if head.hvac_mode != mode.value:
        return True
    if head.target_temperature is None or raw_setpoint is None:
        return True
    step = max(head.target_temp_step, EPS)
    if setpoint is not None and same_setpoint(setpoint, head.target_temperature, step):
        return False
    return abs(raw_setpoint - head.target_temperature) >= step - EPS


def adopt(
    settings: ZoneSettings, change: RemoteChange, head_state: str | None, offset: float
) -> ZoneSettings:
    """The zone settings a remote change of the head means (unchanged if not expressible)."""
    result = settings
    if change.mode == "off":
        result = replace(result, hvac_mode=ZoneMode.OFF)
    elif change.mode in ("heat", "cool"):
        mode = Mode(change.mode)
        kept = target_for(settings, mode)
        result = replace(
            result,
            hvac_mode=ZoneMode(mode.value),
            target=kept if kept is not None else settings.target,
        )
    if change.target is not None and head_state in ("heat", "cool"):
        target = round(change.target - offset, 2)
        if result.hvac_mode in (ZoneMode.HEAT, ZoneMode.COOL):
            result = replace(result, target=target)
        elif result.hvac_mode is ZoneMode.HEAT_COOL and head_state == "heat":
            result = replace(result, target_low=target, target_high=max(result.target_high, target))
        elif result.hvac_mode is ZoneMode.HEAT_COOL:
            result = replace(result, target_high=target, target_low=min(result.target_low, target))
    return result


@dataclass(slots=True)
class HeadPlan:
    """What one head should do this step."""

    zone: ZoneView
    entity_id: str
    state: ClimateState
    mode: Mode | None  # None = off
    raw_setpoint: float | None
    setpoint: float | None
    offset: float
    leave: bool = False  # keep as it is (remote change, or protection hold)

    def command(self) -> SetClimate:
        """The command that carries this plan out."""
        if self.mode is None:
            return SetClimate(self.entity_id, "off")
        return SetClimate(self.entity_id, self.mode.value, self.setpoint)


def plan_head(
    view: ZoneView,
    entity_id: str,
    state: ClimateState,
    serve: Mode | None,
    correction: float,
    *,
    toward: bool = False,
) -> HeadPlan:
    """The desired state of a zone's head in mode `serve` (None: off), its setpoint the zone's
    target shifted by the head's `correction` in that mode; with `toward` (tight control, which
    turns the head off itself) rounded towards more output (`setpoint_toward`)."""
    if (
        serve is not None
        and view.available
        and view.on
        and accepts(view.settings, serve)
        and view.call is not opposite(serve)
    ):
        target = target_for(view.settings, serve)
        assert target is not None  # accepts() checked it
        raw = head_target(target, correction, state)
        setpoint = setpoint_toward(raw, state, serve) if toward else climate_setpoint(raw, state)
        return HeadPlan(view, entity_id, state, serve, raw, setpoint, correction)
    return HeadPlan(view, entity_id, state, None, None, None, correction)


def dominant(modes: list[Mode], prefer: Mode | None) -> Mode:
    """The mode most heads are on in (ties: `prefer`, else heat)."""
    heat = modes.count(Mode.HEAT)
    cool = modes.count(Mode.COOL)
    if heat == cool and prefer is not None:
        return prefer
    return Mode.HEAT if heat >= cool else Mode.COOL


# What a head's `hvac_action` says about the outdoor unit: the compressor runs for these.
_COMPRESSOR_ACTIONS = {
    "heating": Mode.HEAT,
    "preheating": Mode.HEAT,
    "defrosting": Mode.HEAT,
    "cooling": Mode.COOL,
    "drying": Mode.COOL,
}
_IDLE_ACTIONS = {"idle", "off", "fan"}


def reports_action(state: ClimateState | None) -> bool:
    """The head reports a known `hvac_action` (else it is taken to deliver while on)."""
    return (
        state is not None
        and state.available
        and (state.hvac_action in _COMPRESSOR_ACTIONS or state.hvac_action in _IDLE_ACTIONS)
    )


def delivers(state: ClimateState | None, believed: Mode | None) -> Mode | None:
    """The mode the compressor runs in for this head now (None: not drawing on it).

    A head believed off (or being turned off) never counts; one believed on counts by its
    reported action, or as delivering when it reports none (or is unavailable).
    """
    if believed is None:
        return None
    if not reports_action(state):
        return believed
    assert state is not None  # reports_action checked it
    return _COMPRESSOR_ACTIONS.get(state.hvac_action or "")


def after_delivery(
    after: Mapping[str, Mode | None],
    delivering: Mapping[str, Mode | None],
    states: Mapping[str, ClimateState | None],
) -> list[Mode]:
    """Modes the compressor runs in once this step's commands land.

    A head kept on delivers as it did; a head just turned on delivers at once only when it reports
    no action (one that reports it starts when its own thermostat calls, and that is seen then).
    """
    modes: list[Mode] = []
    for zid, mode in after.items():
        if mode is None:
            continue
        now = delivering.get(zid)
        if now is not None:
            modes.append(now)
        elif not reports_action(states.get(zid)):
            modes.append(mode)
    return modes


QUIET_BAND = 2.0  # tolerances from the target past which quiet hours no longer hold a head


def in_quiet_hours(window: tuple[int, int] | None, minute: int) -> bool:
    """Whether `minute` of the day lies in the quiet `window` (start, end; minutes of the day;
    the end excluded; a window whose end is before its start passes midnight)."""
    if window is None:
        return False
    start, end = window
    if start <= end:
        return start <= minute < end
    return minute >= start or minute < end


def quiet_allows(
    hp: HeadPlan, believed: Mode | None, serving: Mode | None, tolerance: float
) -> bool:
    """Whether a command to a head may go during its zone's quiet hours (see module).

    `serving`: the mode the outdoor unit means to serve (the plan's target)."""
    view = hp.zone
    if hp.mode is None and (not view.on or not view.available):
        return True  # turned off, or not to be run blind
    if hp.mode is None and believed is not None and serving is opposite(believed):
        return True  # the unit goes over to the other mode
    mode = hp.mode or believed
    if mode is None or view.temperature is None:
        return False
    target = target_for(view.settings, mode)
    return target is not None and abs(target - view.temperature) > QUIET_BAND * tolerance + 1e-9


def keeps(view: ZoneView, believed: Mode | None) -> bool:
    """A head on in `believed` stays on for its zone: the zone is on, wants that mode and does
    not call for the other. Its own thermostat then holds the room at the corrected setpoint
    (modulating, and cycling by itself below its minimum output): no command is needed."""
    if believed is None or not view.available or not view.on:
        return False
    return accepts(view.settings, believed) and view.call is not opposite(believed)


def stays_on(view: ZoneView, believed: Mode | None, tolerance: float) -> bool:
    """Tight control: a head on in `believed` keeps running for its zone (modulating) only until
    the room is where a call would end; then it rests (off) until the zone calls again."""
    if not keeps(view, believed) or view.temperature is None:
        return False
    assert believed is not None  # keeps() checked it
    short = shortfall(view.settings, view.temperature, believed)
    return short is not None and short > -tolerance * SATISFIED_PAST + 1e-9


# Learnt corrections (see `HeadCorrections`).
CORRECTION_RATE = 1.0 / 7200.0  # per second per degree of room error: 0.5 K per K·h
CORRECTION_BAND = 2.0  # integrate only while the room is within this many tolerances of target
CORRECTION_MAX_DT = 900.0  # s: the longest gap between two steps that is integrated
CORRECTION_SETTLE_S = 900.0  # s a head is on in a mode before its readings are learnt from
# Room errors within this share of the head's setpoint step are not integrated: a head set in
# whole degrees cannot hold a room nearer than half a degree, and integrating less than that only
# walks its setpoint a step too far and back (a 1 °C head on the family, #5: set a degree cooler
# after hours at 24.3 for 24, then the room 0.9 K too cool for days; `bench_control --family`).
CORRECTION_DEAD_STEPS = 0.5
CORRECTION_QUANTUM = 0.1  # memory keeps the corrections to this (few saves, same control)


def correction_key(zone_id: str, mode: Mode) -> str:
    """The key of a zone's correction in `mode` (as `ControllerMemory.corrections` stores it)."""
    return f"{zone_id}:{mode.value}"


class HeadCorrections:
    """Each head's setpoint correction per mode: what the head must be set to, past the zone's
    target, for the room (its own sensor) to settle at the target.

    A head holds its own sensor at its setpoint, and that sensor is not the room: it reads the air
    at the ceiling (warmer while heating), it has a bias that differs between heating and cooling,
    and an inverter under load settles short of its setpoint (droop). Until a head has been on in
    a mode for `CORRECTION_SETTLE_S`, its correction is what it read against the room when it was
    first set in that mode (the sensor offset); then the offset of that moment (the sensor has
    settled in the mode) becomes the correction, and integral action on the room's error moves it:
    `CORRECTION_RATE` x (target - room) per second, so a room 0.5 K short raises the setpoint by a
    quarter kelvin an hour. Anti-windup: it integrates only while the head is on in that mode, not
    while the room is short by more than `CORRECTION_BAND` tolerances (a recovery, or the head at
    full output) nor while it is past the target by more than a tolerance with the head giving
    nothing (a head that does not say what it does is then only let back to its sensor offset);
    never over more than `CORRECTION_MAX_DT` at once, and it is bounded to +-limit. Room errors
    within half the head's setpoint step (`CORRECTION_DEAD_STEPS`) are not integrated.
    Heating and cooling keep separate corrections, remembered across restarts
    (`ControllerMemory.corrections`).
    """

    def __init__(self, limit: float, stored: Mapping[str, float] | None = None) -> None:
        """Start from `stored` (the memory's corrections), each clamped to +-limit."""
        self._limit = max(limit, 0.0)
        self._values: dict[str, float] = {
            key: self._clamp(value) for key, value in (stored or {}).items()
        }
        self._last: dict[str, float] = {}  # zone id -> time of its last integration
        self._on: dict[str, tuple[Mode, float]] = {}  # zone id -> (mode, since when it is on)
        self._first: dict[str, float] = {}  # key -> the offset used until one is settled

    def _clamp(self, value: float) -> float:
        return min(max(value, -self._limit), self._limit)

    def value(self, zone_id: str, mode: Mode, offset: float) -> float:
        """The correction of a zone's head in `mode`; while it has none yet, the sensor offset
        (clamped) of the first time it was asked for."""
        key = correction_key(zone_id, mode)
        if key in self._values:
            return self._values[key]
        return self._first.setdefault(key, self._clamp(offset))

    def update(
        self,
        zone_id: str,
        mode: Mode | None,
        error: float | None,
        now: float,
        *,
        offset: float,
        tolerance: float,
        delivering: bool | None,
        step: float,
    ) -> None:
        """Learn from the head on in `mode` (None: off or not known, the time is not carried
        over) with the room's error (target - room; None: no room reading) and the head's sensor
        offset of the moment. `delivering`: whether the head says it heats or cools now (None: it
        does not say). `step`: the head's setpoint step."""
        since = self._on.get(zone_id)
        if mode is None or error is None:
            self._on.pop(zone_id, None)
            self._last.pop(zone_id, None)
            return
        if since is None or since[0] is not mode:
            self._on[zone_id] = (mode, now)
            self._last.pop(zone_id, None)
            return
        last = self._last.get(zone_id)
        self._last[zone_id] = now
        if now - since[1] < CORRECTION_SETTLE_S:
            return
        key = correction_key(zone_id, mode)
        if key not in self._values:
            self._values[key] = self._clamp(offset)  # the sensor offset once settled
            return
        if last is None:
            return
        band = CORRECTION_BAND * tolerance
        sign = 1.0 if mode is Mode.HEAT else -1.0
        need = sign * error  # > 0: the room wants more of the mode
        push = sign * (self._values[key] - offset)  # > 0: set for more output than the offset
        floor = None
        if need < -tolerance and not delivering:
            if delivering is not None or push <= 0:
                # Past the target with the head giving nothing: its setpoint is already far
                # enough, not a bias to learn.
                return
            # A head that does not say what it does, past the target while set beyond its own
            # offset: that push (droop) is more than the room needs. Unwind it, down to the
            # offset at most (beyond, it could be the weather doing the mode's work).
            floor = push
        elif need > band and delivering is not False:
            # Short by more than the band while the head works (or does not say): a recovery,
            # or the head at full output, which a further setpoint does not change. (Short while
            # the head says it is idle is a bias: it is learnt.)
            return
        dt = min(max(now - last, 0.0), CORRECTION_MAX_DT)
        dead = max(step, 0.0) * CORRECTION_DEAD_STEPS
        error = math.copysign(max(abs(error) - dead, 0.0), error)
        change = sign * CORRECTION_RATE * min(max(error, -band), band) * dt  # in `push` terms
        if floor is not None:
            change = max(change, -floor)
        self._values[key] = self._clamp(self._values[key] + sign * change)

    def learnt(self, zone_id: str, mode: Mode) -> float | None:
        """A zone's head correction in `mode` as learnt (unrounded; None: not learnt yet)."""
        return self._values.get(correction_key(zone_id, mode))

    def stored(self) -> dict[str, float]:
        """The corrections as memory keeps them (rounded to `CORRECTION_QUANTUM`)."""
        return {
            key: round(round(value / CORRECTION_QUANTUM) * CORRECTION_QUANTUM, 4)
            for key, value in sorted(self._values.items())
        }
