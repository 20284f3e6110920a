"""A zone following a schedule: comfort while it is on, setback while it is off (pure functions).

The schedule is Home Assistant's `schedule` helper as the shell reads it (`ScheduleState`): on or
off, and when it next changes (its `next_event`). The zone takes its comfort preset while the
schedule is on and its setback preset while it is off, at each change of period:

- `follow_schedule` says, each time the schedule is read, whether the zone takes the period's
  preset now. It does when the period differs from the last one the zone followed (a schedule
  newly chosen has none yet, so it applies at once; a change while Home Assistant was down or the
  schedule was unavailable is caught up when it is read again), or when a manual hold ends.
- A manual change while the zone follows its schedule is a `ScheduleHold`: it lasts until the
  next scheduled change, that is until the schedule's period differs from the one the change was
  made in, or the change the schedule announced then (`until`) is reached, whichever comes first
  (a boundary between two adjacent periods of the same kind also ends it).
- While the schedule cannot be read, nothing happens: the zone keeps its target.

`next_comfort_start` / `next_setback_start` are what early start and coasting build on: the time
the next comfort (setback) period begins, when the schedule says so; None while in that period or
when the schedule announces no change.

Early start: before a comfort period the zone takes its comfort preset `lead` seconds early (what
the room model says the room needs to get there, at most `EARLY_START_CAP_S`), so the room is at
the comfort target when the period begins (`early_start_at`). Once begun for a period it holds
until that period begins (`preconditioning`), even if the lead shrinks as the room warms; a
schedule changed to begin later moves it. The zone follows the schedule as if the comfort period
had begun (`followed_state`): its next change is then unknown, so a manual change made while
preconditioning holds until the schedule's next change after the comfort period has begun.

Coasting is its mirror at the end of a comfort period: where the setback preset relaxes the
target (`coast_edges`), the zone takes it `lead` seconds before the period ends, the time the
room model says the room, its equipment off, stays inside the comfort band it is held in anyway
(the target less the zone's tolerance in heat, plus it in cool; at most `COAST_CAP_S`;
`coast_at`, `coast_lead`). Once begun it holds until the period ends (`coasting`); a schedule
changed to end later moves it, and the zone follows the schedule as if the setback period had
begun.
"""

from __future__ import annotations

from dataclasses import dataclass
import math
from typing import Final

from ..model import Mode, ZoneMode
from .thermostat import PRESET_ECO, PRESET_HOME

DEFAULT_COMFORT_PRESET: Final = PRESET_HOME
DEFAULT_SETBACK_PRESET: Final = PRESET_ECO
PERIOD_COMFORT: Final = "comfort"
PERIOD_SETBACK: Final = "setback"
EARLY_START_CAP_S: Final = 3 * 3600.0  # the longest an early start begins before its period
# Before the room model has learnt a mode: the most its default's lead may be. A room that
# rarely gets the mode (a bedroom cooled at night for a quarter of an hour) took days to learn
# and started on time meanwhile; the default itself (1 K/h) is 1-2 hours too long on the
# equipment family, whose rooms recover a 2-3 K setback in 10-25 minutes
# (`bench_room_model`). An hour cost 3-9 % more energy in shoulder weather (`bench_early_start`).
UNLEARNT_CAP_S: Final = 30 * 60.0
COAST_CAP_S: Final = 3600.0  # the longest a zone coasts before its comfort period ends


@dataclass(frozen=True, slots=True)
class ScheduleState:
    """A schedule as read now: in a comfort period (on) or not, and its next change (epoch s)."""

    on: bool
    next_event: float | None = None

    @property
    def period(self) -> str:
        """`comfort` while on, `setback` while off."""
        return PERIOD_COMFORT if self.on else PERIOD_SETBACK

    @property
    def next_comfort_start(self) -> float | None:
        """When the next comfort period begins (None while in one, or when not announced)."""
        return None if self.on else self.next_event

    @property
    def next_setback_start(self) -> float | None:
        """When the next setback period begins (None while in one, or when not announced)."""
        return self.next_event if self.on else None


@dataclass(frozen=True, slots=True)
class ScheduleHold:
    """A manual change that holds until the next scheduled change."""

    on: bool  # the period it was made in
    until: float | None  # the change the schedule announced then (None: none announced)


@dataclass(frozen=True, slots=True)
class ScheduleStep:
    """What reading the schedule leads to: take the period's preset or not, and the hold now."""

    apply: bool
    hold: ScheduleHold | None


def scheduled_preset(state: ScheduleState, comfort: str, setback: str) -> str:
    """The preset the schedule calls for now."""
    return comfort if state.on else setback


def hold_for(state: ScheduleState) -> ScheduleHold:
    """The hold a manual change made now starts: until the schedule's next change."""
    return ScheduleHold(on=state.on, until=state.next_event)


def hold_over(hold: ScheduleHold, state: ScheduleState, now: float) -> bool:
    """Whether the scheduled change a hold waits for has come."""
    return state.on != hold.on or (hold.until is not None and now >= hold.until)


def follow_schedule(
    state: ScheduleState, last_on: bool | None, hold: ScheduleHold | None, now: float
) -> ScheduleStep:
    """Whether the zone takes the period's preset at `now` (see the module docstring).

    `last_on` is the period the zone last followed (None: never), `hold` a manual hold.
    """
    if hold is not None:
        if hold_over(hold, state, now):
            return ScheduleStep(apply=True, hold=None)
        return ScheduleStep(apply=False, hold=hold)
    return ScheduleStep(apply=last_on is None or last_on != state.on, hold=None)


def early_start_at(state: ScheduleState, lead: float | None) -> float | None:
    """When the zone starts early for the next comfort period: its start less `lead` seconds
    (at most `EARLY_START_CAP_S`); None in a comfort period, when no start is announced or no
    lead is known."""
    return _ahead(state.next_comfort_start, lead, EARLY_START_CAP_S)


def _ahead(event: float | None, lead: float | None, cap: float) -> float | None:
    """`lead` seconds (0 to `cap`) before `event`; None without either."""
    if event is None or lead is None or not math.isfinite(lead):
        return None
    return event - min(max(lead, 0.0), cap)


def _latched(
    event: float | None, now: float, begin_at: float | None, started_for: float | None
) -> float | None:
    """`event` once `now` reaches `begin_at`, and while it is still the one `started_for`."""
    if event is None:
        return None
    if started_for == event or (begin_at is not None and now >= begin_at):
        return event
    return None


def preconditioning(
    state: ScheduleState, now: float, early_at: float | None, started_for: float | None
) -> float | None:
    """The start of the comfort period the zone preconditions for at `now` (None: it does not).

    `started_for` is the period it already preconditions for: it holds while that is still the
    next comfort start; else it begins at `early_at`."""
    return _latched(state.next_comfort_start, now, early_at, started_for)


def followed_state(
    state: ScheduleState, preconditioning_for: float | None, coasting_for: float | None = None
) -> ScheduleState:
    """The schedule as the zone follows it: in comfort while preconditioning, in setback while
    coasting, the next change then unknown."""
    if preconditioning_for is not None and not state.on:
        return ScheduleState(on=True, next_event=None)
    if coasting_for is not None and state.on:
        return ScheduleState(on=False, next_event=None)
    return state


def coast_at(state: ScheduleState, lead: float | None) -> float | None:
    """When the zone starts coasting before its comfort period ends: the end less `lead`
    seconds (at most `COAST_CAP_S`); None outside a comfort period, when no end is announced or
    no lead is known."""
    return _ahead(state.next_setback_start, lead, COAST_CAP_S)


def coasting(
    state: ScheduleState, now: float, begin_at: float | None, started_for: float | None
) -> float | None:
    """The end of the comfort period the zone coasts out of at `now` (None: it does not).

    `started_for` is the end it already coasts towards: it holds while that is still the next
    setback start; else it begins at `begin_at`."""
    return _latched(state.next_setback_start, now, begin_at, started_for)


def coast(
    state: ScheduleState,
    now: float,
    begin_at: float | None,
    started_for: float | None,
    *,
    left: bool,
    ended_for: float | None,
) -> tuple[float | None, float | None]:
    """`coasting`, ended by the room leaving its band (`left`, see `coast_left`): the end of
    the comfort period the zone coasts out of (None: it does not), and the end of the period
    whose coasting was ended so (None: none). `ended_for` is that end as it stood: no coasting
    again before it; once that period is over it is forgotten."""
    coasting_for = coasting(state, now, begin_at, started_for)
    if coasting_for is not None and left:
        ended_for = coasting_for
    if ended_for is None or ended_for != state.next_setback_start:
        return coasting_for, None
    return None, ended_for


def coast_left(temperature: float | None, edges: tuple[tuple[float, bool], ...]) -> bool:
    """Whether a coasting room has left the band it was to coast in: at or past one of the
    `coast_edges` (below a falling one, above a rising one). The zone then takes the comfort
    preset back until the period ends (the room model's drift was wrong: the sun went, a door
    opened). Unknown temperature: not known to have left."""
    if temperature is None:
        return False
    return any(
        temperature <= edge + 1e-9 if falling else temperature >= edge - 1e-9
        for edge, falling in edges
    )


def coast_edges(
    mode: ZoneMode,
    comfort: tuple[float, float],
    setback: tuple[float, float],
    tolerance: float,
) -> tuple[tuple[float, bool], ...]:
    """The comfort band's edges a coasting room may drift to, each with whether it falls to
    it: in heat the comfort target less `tolerance` where the setback's heat target is lower,
    in cool the target plus it where the setback's cool target is higher. None of them: the
    setback relaxes nothing, and the zone does not coast."""
    (heat, cool), (setback_heat, setback_cool) = comfort, setback
    edges: list[tuple[float, bool]] = []
    if mode in (ZoneMode.HEAT, ZoneMode.HEAT_COOL) and setback_heat < heat:
        edges.append((heat - tolerance, True))
    if mode in (ZoneMode.COOL, ZoneMode.HEAT_COOL) and setback_cool > cool:
        edges.append((cool + tolerance, False))
    return tuple(edges)


def coast_lead(drifts: list[float | None], learned: bool) -> float | None:
    """How long before a comfort period ends the zone may coast: the shortest of the room's
    drift times to the band's edges (None among them: it never gets there, the cap). None
    until the model has learnt the drift, or with no edge to drift to."""
    if not learned or not drifts:
        return None
    return min(COAST_CAP_S if d is None else d for d in drifts)


def comfort_need(
    mode: ZoneMode, temperature: float | None, heat: float, cool: float
) -> tuple[Mode, float] | None:
    """What the room must do to reach the comfort preset (`heat`, `cool`) in the zone's `mode`:
    the conditioning mode and its target; None when it is there already, the zone is off or
    the temperature is unknown."""
    if temperature is None:
        return None
    if mode in (ZoneMode.HEAT, ZoneMode.HEAT_COOL) and temperature < heat:
        return Mode.HEAT, heat
    if mode in (ZoneMode.COOL, ZoneMode.HEAT_COOL) and temperature > cool:
        return Mode.COOL, cool
    return None


def early_lead(seconds: float | None, learned: bool) -> float | None:
    """The lead of an early start from a predicted recovery; the cap when the model says the
    target is never reached. Until the room model has learnt the mode it answers with its
    conservative default (1 K an hour, far slower than most rooms recover): that answer, but
    at most `UNLEARNT_CAP_S`."""
    if not learned:
        return UNLEARNT_CAP_S if seconds is None else min(seconds, UNLEARNT_CAP_S)
    return EARLY_START_CAP_S if seconds is None else seconds
