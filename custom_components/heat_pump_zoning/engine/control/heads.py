"""Mini-split heads: per-zone mode and setpoint, room-sensor offset, remote-change adoption.

Choices:
- A head is "on" when in heat or cool ("dry" counts as cool); the outdoor unit runs while any head
  is on. What the engine believes about a head: our command while it is in flight (sent less than
  `command_interval` ago), else the observed state, else (unavailable) our last command.
- A head goes on when its zone calls for the served mode and stays on while the room is within
  `tolerance` of the target (the inverter modulates); past that it rests (off) until the zone calls
  again (see `mini_split`). A head whose zone is off, unavailable (we do not run a room
  blind) or wants the other mode is turned off.
- Offs are listed before ons. A head is never switched into a mode while another head is still
  believed in the opposite mode after this step's offs (it waits, MODE_CONFLICT).
- Setpoint: target + (head reading - room temperature), offset clamped to +-head_offset_limit,
  rounded to the head's step, clamped to its range. It is re-sent only when the unrounded value has
  moved a full step from the head's setpoint, so a noisy offset does not flip it at a rounding edge.
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

from ..model import (
    ClimateState,
    Mode,
    SetClimate,
    ZoneConfig,
    ZoneMode,
    ZoneSettings,
)
from .commands import EPS, RemoteChange, climate_setpoint
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


def needs_command(head: ClimateState, mode: Mode | None, raw_setpoint: float | None) -> bool:
    """Quiet rule: command only what changes the head's observed state (setpoint by >= a step)."""
    if mode is None:
        return head.hvac_mode != "off"
    if head.hvac_mode != mode.value:
        return True
    if head.target_temperature is None or raw_setpoint is None:
        return True
    step = max(head.target_temp_step, EPS)
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
    head_offset_limit: float,
) -> HeadPlan:
    """The desired state of a zone's head when the outdoor unit serves `serve` (None: stopped)."""
    offset = head_offset(view.config, view.temperature, state, head_offset_limit)
    if (
        serve is not None
        and view.available
        and view.on
        and accepts(view.settings, serve)
        and view.call is not opposite(serve)
    ):
        target = target_for(view.settings, serve)
        assert target is not None  # accepts() checked it
        raw = head_target(target, offset, state)
        return HeadPlan(view, entity_id, state, serve, raw, climate_setpoint(raw, state), offset)
    return HeadPlan(view, entity_id, state, None, None, None, offset)


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


def stays_on(view: ZoneView, believed: Mode | None, tolerance: float) -> bool:
    """A head on in `believed` keeps running for its zone (modulating, not yet overshooting)."""
    if believed is None or not view.available or not view.on or view.temperature is None:
        return False
    if not accepts(view.settings, believed) or view.call is opposite(believed):
        return False
    short = shortfall(view.settings, view.temperature, believed)
    return short is not None and short > -tolerance * SATISFIED_PAST + 1e-9
