"""Ducted systems: one source climate entity, dampers per zone, an airflow budget.

Choices (documented for users in the README):
- The airflow minimum is enforced at every step, running or not. While the compressor is not
  running all dampers are opened (zone-panel practice: every zone open with no call), which meets
  the minimum and lets a continuous fan mix the house.
- While running, the dampers of calling zones open fully, and so do those of zones that called
  during this run while the minimum run time is not over (they keep getting the air the
  compressor must deliver anyway). Everything else closes, except the relief zones needed for the
  minimum share of design airflow: first the zones not yet where a call would end (closest to
  needing the served mode first), then zones already past that point (the least conditioned room,
  in absolute temperature, first: it takes the air with the least harm), each by priority next;
  zones that cannot use the mode come after, then zones calling the other mode, OFF zones last.
  A zone whose dampers are observed open keeps its
  place unless another zone is better by more than `tolerance`, so relief does not hop between
  rooms (based on the observation, not on memory, so that a repeated step decides the same).
  The last relief zone is opened partially (rounded up to a whole percent) when all its dampers
  are positionable.
- The budget is physical: the total is the design airflow of EVERY zone (the blower moves the
  same air whether or not a room's sensor works), and unavailable dampers count as closed. A zone
  without a temperature does not call, but its ducts are the last relief candidates. A zone
  without dampers is an open duct (always counted open).
- Command order: source stop first; then damper openings; then the source start or setpoint;
  then closings. A closing is withheld when, from the observed positions, it would take the open
  share below the minimum (e.g. an opening has not been observed yet); it is retried next step.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
import math

from .commands import EPS, CommandLog, climate_setpoint, same_setpoint
from .demand import SATISFIED_PAST, ZoneView, accepts, opposite, shortfall
from .model import ClimateState, DamperState, Mode, SetClimate, SetDamper, SystemConfig


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


def nudged_setpoint(state: ClimateState, mode: Mode, nudge: float) -> float:
    """Source setpoint `nudge` past its own reading, so it runs until we stop it."""
    current = state.current_temperature
    if current is None:
        return state.max_temp if mode is Mode.HEAT else state.min_temp
    return climate_setpoint(current + nudge if mode is Mode.HEAT else current - nudge, state)


def source_needs(state: ClimateState, mode: Mode, setpoint: float, nudge: float) -> bool:
    """True when the source must be (re)commanded to run in `mode`.

    The setpoint is re-sent only when the source's reading has come within nudge/2 of it (the
    source is about to be satisfied), never just because its reading moved.
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
    return headroom < nudge / 2


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
) -> SourceStep:
    """Command the source towards the plan; a start/stop counts only once sent (or observed)."""
    command: SetClimate | None = None
    if run and mode is not None:
        setpoint = nudged_setpoint(state, mode, config.source_nudge)
        if source_needs(state, mode, setpoint, config.source_nudge):
            command = SetClimate(entity_id, mode.value, setpoint)
    elif state.hvac_mode != "off":
        command = SetClimate(entity_id, "off")
    if command is None:
        return SourceStep(None, run, False, None)
    if not log.ready(entity_id, now):
        return SourceStep(None, was_running, True, log.ready_at(entity_id))
    log.record(command, now)
    return SourceStep(command, run, False, None)


def damper_position(entity_id: str, dampers: Mapping[str, DamperState], log: CommandLog) -> float:
    """Best knowledge of a damper's position: observed, else last commanded; unavailable = 0."""
    state = dampers.get(entity_id)
    if state is None or not state.available:
        return 0.0
    if state.position is not None:
        return state.position
    return log.last_position(entity_id) or 0.0


def open_fraction(
    view: ZoneView, positions: Mapping[str, float], dampers: Mapping[str, DamperState]
) -> float:
    """Mean position of a zone's dampers / 100; unavailable dampers count as closed."""
    ids = view.config.dampers
    if not ids:
        return 1.0
    total = 0.0
    for damper in ids:
        state = dampers.get(damper)
        if state is not None and state.available:
            total += min(max(positions.get(damper, 0.0), 0.0), 100.0)
    return total / len(ids) / 100.0


def open_airflow(
    views: Iterable[ZoneView],
    positions: Mapping[str, float],
    dampers: Mapping[str, DamperState],
) -> float:
    """Position-weighted design airflow of all zones."""
    return sum(max(v.config.airflow, 0.0) * open_fraction(v, positions, dampers) for v in views)


def required_airflow(views: Iterable[ZoneView], percent: float) -> float:
    """The minimum open airflow: `percent` of the design airflow of all zones."""
    total = sum(max(v.config.airflow, 0.0) for v in views)
    return total * min(max(percent, 0.0), 100.0) / 100.0


def observed_open(view: ZoneView, dampers: Mapping[str, DamperState]) -> bool:
    """True when any damper of the zone is observed open (a relief zone already in place)."""
    return any(
        (state := dampers.get(d)) is not None and state.available and (state.position or 0.0) > 0
        for d in view.config.dampers
    )


def relief_key(
    view: ZoneView, mode: Mode, preferred: bool, tolerance: float
) -> tuple[int, float, int, int]:
    """Sort key of a relief candidate: best taker of `mode` air first, rooms without a reading
    last.

    Tiers: 0 zones not yet where a call in `mode` would end (closest to calling first: the air is
    not wasted); 1 zones already past that point (the least conditioned room, in absolute
    temperature, first: the room at 25.5 °C takes cool air better than one already at 23.4 °C);
    2 zones that do not accept `mode`; 3 zones calling the other mode; 4 OFF zones; 5 unavailable.
    """
    temperature = view.temperature or 0.0
    least_conditioned = -temperature if mode is Mode.COOL else temperature
    if not view.available:
        tier, metric = 5, 0.0
    elif not view.on:
        tier, metric = 4, least_conditioned
    elif view.call is opposite(mode):
        tier, metric = 3, shortfall(view.settings, temperature, opposite(mode)) or 0.0
    elif accepts(view.settings, mode):
        short = shortfall(view.settings, temperature, mode) or 0.0
        if short > -tolerance * SATISFIED_PAST + 1e-9:
            tier, metric = 0, -short
        else:
            tier, metric = 1, least_conditioned
    else:
        tier, metric = 2, shortfall(view.settings, temperature, opposite(mode)) or 0.0
    if preferred:
        metric -= tolerance
    return (tier, metric, -view.config.priority, view.index)


def damper_targets(
    views: list[ZoneView],
    dampers: Mapping[str, DamperState],
    mode: Mode | None,
    open_zones: set[str],
    config: SystemConfig,
) -> tuple[dict[str, float], set[str]]:
    """Target position of every damper, and the zones used for relief.

    `mode` None = the compressor is not running: everything opens.
    """
    targets: dict[str, float] = {}
    if mode is None:
        for view in views:
            for damper in view.config.dampers:
                targets[damper] = 100.0
        return targets, set()
    for view in views:
        position = 100.0 if view.available and view.config.zone_id in open_zones else 0.0
        for damper in view.config.dampers:
            targets[damper] = position
    required = required_airflow(views, config.min_airflow_percent)
    flow = open_airflow(views, targets, dampers)
    relief: set[str] = set()
    candidates = sorted(
        (v for v in views if v.config.zone_id not in open_zones),
        key=lambda v: relief_key(v, mode, observed_open(v, dampers), config.tolerance),
    )
    for view in candidates:
        if flow >= required - EPS:
            break
        usable = [d for d in view.config.dampers if d in dampers and dampers[d].available]
        if not usable:
            continue
        full = max(view.config.airflow, 0.0) * len(usable) / len(view.config.dampers)
        if full <= 0:
            continue
        position = 100.0
        if flow + full > required and all(dampers[d].positionable for d in usable):
            position = float(min(100, max(1, math.ceil((required - flow) / full * 100))))
        for damper in usable:
            targets[damper] = position
        flow += full * position / 100
        relief.add(view.config.zone_id)
    return targets, relief


@dataclass(frozen=True, slots=True)
class DamperStep:
    """Damper commands of one step, split for ordering."""

    openings: tuple[SetDamper, ...]
    closings: tuple[SetDamper, ...]
    timers: tuple[float, ...]


def damper_commands(
    views: list[ZoneView],
    targets: Mapping[str, float],
    dampers: Mapping[str, DamperState],
    log: CommandLog,
    now: float,
    required: float,
) -> DamperStep:
    """Commands that move the dampers to their targets without breaking the airflow minimum."""
    positions = {d: damper_position(d, dampers, log) for d in targets}
    openings: list[SetDamper] = []
    closings: list[SetDamper] = []
    timers: list[float] = []
    # The 1-point dead band (dampers that report 99 for 100) must not keep the minimum unmet.
    short = open_airflow(views, positions, dampers) < required - EPS
    for damper, wanted in targets.items():
        state = dampers.get(damper)
        if state is None or not state.available:
            continue
        target = wanted if state.positionable else (100.0 if wanted > 0 else 0.0)
        if state.position is None:
            if (
                log.last_position(damper) is not None
                and abs((log.last_position(damper) or 0.0) - target) <= EPS
            ):
                continue
        elif abs(state.position - target) <= EPS or (
            abs(state.position - target) <= 1.0 and not (short and target > state.position)
        ):
            continue
        else:
            recent = log.damper_recent(damper, target, now)
            if recent is not None:
                timers.append(recent)
                continue
        command = SetDamper(damper, target)
        (openings if target > positions[damper] else closings).append(command)
    for command in openings:
        positions[command.entity_id] = command.position
    accepted: list[SetDamper] = []
    for command in closings:
        trial = {**positions, command.entity_id: command.position}
        after = open_airflow(views, trial, dampers)
        if after >= required - EPS or after >= open_airflow(views, positions, dampers) - EPS:
            positions = trial
            accepted.append(command)
    for sent in (*openings, *accepted):
        log.record(sent, now)
    return DamperStep(tuple(openings), tuple(accepted), tuple(timers))
