"""Ducted systems' airflow: the floor, the dampers' positions and relief, judged as seen.

(The central unit's commands are in `source`; `ducted` sequences a step.) Choices, documented
for users in the README and docs/METHODS.md:
- The airflow floor is judged on what the dampers are *observed* to do (`dampers`): a damper
  counts at the position it reports (or lower, while a command to close it is in flight);
  unavailable, or reporting no position, it counts as closed. A commanded opening is never taken
  as reached. The unit does not start, nor keep
  running, unless the open design airflow seen is at least `min_airflow_percent` of the total
  (less `FLOOR_DEAD_BAND` percentage points, for dampers that report 99 for 100): a floor lost
  while running (a damper going offline or closing by itself) stops it at once, even inside its
  minimum run time, and the idle rule below opens what the floor needs (airflow before
  compressor protection: a blower against closed ducts harms the equipment sooner than one short
  cycle).
- While the compressor is not running the dampers stay where they are (`idle_targets`), as long
  as the floor is seen open: a fan-only blower has its minimum, and the next start moves only the
  dampers whose zones changed. (Zone panels open every damper with no call; that moves every
  non-calling damper twice a cycle: on the equipment family, variants 0–3, 3 days, the busiest
  damper made 45–78 moves a day in summer and 56–80 in winter; with these rules, 24–40 and
  30–38, at about the same discomfort and energy.) When the floor is not seen open
  while idle (a damper dropped off, nothing seen open after a restart, a floor lost while
  running), the zones calling the mode the system means to serve open first, then whole relief
  zones in the running order below, at once; nothing is closed while idle. A calling zone's
  stuck damper keeps its retries while idle (without them a damper that missed one command left
  its room waiting for hours on family variant 1).
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
  are positionable. Planning counts a damper at its target, except a stuck one, which counts
  no higher than it is seen: relief then moves to dampers that respond.
- The budget is physical: the total is the design airflow of EVERY zone (the blower moves the
  same air whether or not a room's sensor works). A zone without a temperature does not call, but
  its ducts are the last relief candidates. A zone without dampers is an open duct (always
  counted open). A zone whose dampers are all unavailable is unavailable; one whose dampers can
  take no air (stuck closed, the rest unavailable) cannot be served: its call does not run the
  unit, and it waits with reason `damper`.
- Move interval: a damper is not closed (to 0 or to a lower relief position) within
  `SystemConfig.damper_move_interval` (5 minutes, `model.DAMPER_MOVE_INTERVAL_SECONDS`) of its
  last move to another target; the step's `next_check` wakes the engine when it ends. The zone
  keeps its air a little longer meanwhile, which only adds to the floor. An opening never waits:
  the floor, and a calling zone's air, come first; retries of the same target are no new move.
  Why 5 and not 15 minutes: a satisfied room held open 15 minutes takes air from the rooms
  still calling and overshoots; on the demo house's summer week (`bench_control --engine`) that
  raised discomfort from 0.0 to 1.3 K·h, failing its target, while moves on the family fell
  only a little (10 minutes: 0.4 K·h, also failing). 5 minutes keeps the demo's figures and
  stops a damper flapping open-shut within one run.
- Command order: source stop first; then damper openings; then the source start or setpoint;
  then closings. A closing is sent only when the dampers *seen* open without it keep the whole
  floor, with no dead band (openings not yet seen do not count); otherwise it waits for the
  openings to show.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
import math

from ..model import (
    DamperState,
    Mode,
    SetDamper,
    SystemConfig,
    ZoneConfig,
)
from .commands import EPS
from .dampers import DamperWatch, observed
from .demand import SATISFIED_PAST, ZoneView, accepts, opposite, shortfall

# Percentage points of the total design airflow by which the floor may be missed as seen: a
# damper that reports 99 for 100 (or 19 for 20) must not stop the unit.
FLOOR_DEAD_BAND = 1.0


def observed_positions(dampers: Mapping[str, DamperState]) -> dict[str, float]:
    """What every damper counts as now (`dampers.observed`): seen position, else closed."""
    return {damper: observed(state) for damper, state in dampers.items()}


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


def floor_met(
    views: list[ZoneView],
    positions: Mapping[str, float],
    dampers: Mapping[str, DamperState],
    percent: float,
    *,
    dead_band: float = FLOOR_DEAD_BAND,
) -> bool:
    """Whether the open airflow at `positions` meets the floor, less `dead_band` percentage
    points (for judging what dampers report; a plan uses none)."""
    slack = required_airflow(views, dead_band)
    return open_airflow(views, positions, dampers) >= required_airflow(views, percent) - slack - EPS


def dampers_seen(zone: ZoneConfig, dampers: Mapping[str, DamperState]) -> bool:
    """A zone is available only while it has no dampers or at least one is available."""
    return not zone.dampers or any(
        (state := dampers.get(d)) is not None and state.available for d in zone.dampers
    )


def reachable(view: ZoneView, dampers: Mapping[str, DamperState], stuck: set[str]) -> bool:
    """Whether the zone can receive air: an open duct, or a damper that works or is stuck open."""
    return not view.config.dampers or any(
        (state := dampers.get(d)) is not None
        and state.available
        and (d not in stuck or observed(state) > 0.0)
        for d in view.config.dampers
    )


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


def _usable(
    view: ZoneView, dampers: Mapping[str, DamperState], stuck: set[str] | frozenset[str]
) -> list[str]:
    """The zone's dampers that can be commanded and follow commands."""
    return [
        d for d in view.config.dampers if d in dampers and dampers[d].available and d not in stuck
    ]


def idle_targets(
    views: list[ZoneView],
    dampers: Mapping[str, DamperState],
    counted: Mapping[str, float],
    open_zones: set[str],
    config: SystemConfig,
    stuck: set[str] | frozenset[str] = frozenset(),
    relief_mode: Mode | None = None,
) -> dict[str, float]:
    """Targets while the compressor is not running: only the openings the floor needs.

    Nothing moves while the floor is seen open (`counted`, with the dead band the unit's own
    check uses). Otherwise `open_zones` (the zones calling the mode the system means to serve)
    open fully, then whole relief zones in `relief_key` order for `relief_mode` (the mode likely
    served next), until the floor would be met; a damper is never closed here.
    """
    percent = config.min_airflow_percent
    if floor_met(views, counted, dampers, percent):
        # A calling zone's stuck dampers keep being retried (on their backoff, see `dampers`).
        return {
            d: 100.0
            for v in views
            if v.config.zone_id in open_zones
            for d in v.config.dampers
            if d in stuck
        }
    required = required_airflow(views, percent)
    mode = relief_mode or Mode.HEAT
    ordered = sorted(
        views,
        key=lambda v: (
            v.config.zone_id not in open_zones,
            relief_key(v, mode, observed_open(v, dampers), config.tolerance),
        ),
    )
    planned = dict(counted)
    targets: dict[str, float] = {}
    for view in ordered:
        if open_airflow(views, planned, dampers) >= required - EPS:
            break
        for damper in _usable(view, dampers, stuck):
            targets[damper] = planned[damper] = 100.0
    return targets


def damper_targets(
    views: list[ZoneView],
    dampers: Mapping[str, DamperState],
    mode: Mode,
    open_zones: set[str],
    config: SystemConfig,
    stuck: set[str] | frozenset[str] = frozenset(),
) -> tuple[dict[str, float], set[str]]:
    """Target position of every damper while the compressor runs in `mode`, and the zones used
    for relief.

    A stuck damper counts at the lower of where it is seen and its target (it may yet obey), so
    relief is found among the dampers that respond.
    """
    targets: dict[str, float] = {}
    for view in views:
        position = 100.0 if view.available and view.config.zone_id in open_zones else 0.0
        for damper in view.config.dampers:
            targets[damper] = position
    required = required_airflow(views, config.min_airflow_percent)
    planned = {d: min(observed(dampers.get(d)), t) if d in stuck else t for d, t in targets.items()}
    flow = open_airflow(views, planned, dampers)
    relief: set[str] = set()
    candidates = sorted(
        (v for v in views if v.config.zone_id not in open_zones),
        key=lambda v: relief_key(v, mode, observed_open(v, dampers), config.tolerance),
    )
    for view in candidates:
        if flow >= required - EPS:
            break
        usable = _usable(view, dampers, stuck)
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
    wake: float | None = None  # when a closing held back by the move interval may go


def damper_commands(
    views: list[ZoneView],
    targets: Mapping[str, float],
    dampers: Mapping[str, DamperState],
    watch: DamperWatch,
    now: float,
    config: SystemConfig,
) -> DamperStep:
    """Commands that move the dampers to their targets without breaking the airflow floor.

    Judged on what the dampers count as (`DamperWatch.counted`): an opening counts once it is
    seen, so a closing waits until the dampers open without it keep the floor. `watch` decides
    when a damper that has not arrived is commanded again (grace time, then backoff). A closing
    within `config.damper_move_interval` of the damper's last move waits (`wake`); an opening
    never does.
    """
    positions = watch.counted(now, dampers)
    openings: list[SetDamper] = []
    closings: list[SetDamper] = []
    held: list[float] = []
    for damper, wanted in targets.items():
        state = dampers.get(damper)
        if state is None or not state.available:
            continue
        target = wanted if state.positionable else (100.0 if wanted > 0 else 0.0)
        if not watch.due(damper, target, state, now):
            continue
        command = SetDamper(damper, target)
        if target > positions[damper]:
            openings.append(command)
            continue
        ready = watch.move_ready_at(damper, target, config.damper_move_interval)
        if ready is not None and now < ready:
            held.append(ready)
        else:
            closings.append(command)
    percent = config.min_airflow_percent
    accepted: list[SetDamper] = []
    for command in closings:
        trial = {**positions, command.entity_id: command.position}
        if (
            # The dead band tolerates what dampers report; a closing must keep the whole floor.
            floor_met(views, trial, dampers, percent, dead_band=0.0)
            or open_airflow(views, trial, dampers) >= open_airflow(views, positions, dampers) - EPS
        ):
            positions = trial
            accepted.append(command)
    for sent in (*openings, *accepted):
        watch.sent(sent.entity_id, sent.position, now)
    return DamperStep(tuple(openings), tuple(accepted), min(held, default=None))
