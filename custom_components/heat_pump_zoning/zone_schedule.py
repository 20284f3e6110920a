"""The schedule a zone thermostat follows: what it reads, the period it followed, a manual hold.

The zone's climate entity owns one `ZoneScheduleFollower` when the zone has a schedule. The rules
are the engine's (`engine.follow_schedule`, see engine/control/schedule.py); this class keeps
their state between readings, reads the `schedule` entity (`translate.schedule_state`), stores
what must survive a restart, and says what the thermostat's attributes show.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util

from .engine import (
    RoomModels,
    ScheduleHold,
    ScheduleState,
    ZoneMode,
    coast as coast_out,
    coast_at,
    coast_edges,
    coast_lead,
    coast_left,
    comfort_need,
    early_lead,
    early_start_at,
    follow_schedule,
    followed_state,
    hold_for,
    number_within,
    preconditioning,
    scheduled_preset,
)
from .translate import schedule_state


@dataclass(frozen=True, slots=True)
class ZoneRoom:
    """What the leads are weighed on: the zone's room model, its mode and the temperatures now
    (system unit)."""

    rooms: RoomModels
    zone_id: str
    mode: ZoneMode
    temperature: float
    outdoor: float | None


class ZoneScheduleFollower:
    """A zone's schedule: comfort preset while it is on, setback preset while it is off."""

    def __init__(self, entity_id: str, comfort: str, setback: str) -> None:
        """Follow `entity_id`; nothing is read until `read`."""
        self.entity_id = entity_id
        self.comfort = comfort
        self.setback = setback
        self.state: ScheduleState | None = None  # as last read (None: unreadable)
        self.last_on: bool | None = None  # the period the zone last followed (None: never)
        self.hold: ScheduleHold | None = None
        self.early_at: float | None = None  # when the zone starts early for the next period
        self.preconditioning_for: float | None = None  # the period it starts early for
        self.coast_at: float | None = None  # when the zone coasts out of this comfort period
        self.coasting_for: float | None = None  # the end of the period it coasts out of
        # The end of a comfort period whose coasting ended because the room left its band: no
        # coasting again before it.
        self.coast_ended_for: float | None = None
        # What the last early lead was planned on: (mode, temperature, target, seconds).
        self._planned: tuple[str, float, float, float] | None = None
        self._began = False  # the last step began an early start

    def read(self, hass: HomeAssistant) -> ScheduleState | None:
        """Read the schedule entity now."""
        self.state = schedule_state(hass.states.get(self.entity_id))
        return self.state

    def step(
        self,
        now: float,
        lead: float | None = None,
        coast: float | None = None,
        left: bool = False,
    ) -> str | None:
        """After `read`: the preset the zone takes now, if the schedule changes it.

        `lead`: how long the room needs to reach the comfort target (None: unknown, no early
        start); `coast`: how long before the comfort period ends it may coast (None: it does
        not); `left`: the room is past the band it would coast in (`coast_left`): coasting
        ends, and does not begin again in this period. Neither begins while a manual change
        holds."""
        if self.state is None:
            return None  # the zone keeps its target
        # A manual change holds until the schedule's own next change: no early start or
        # coasting begins meanwhile (one begun already runs on).
        held = self.hold is not None
        self.early_at = None if held else early_start_at(self.state, lead)
        before = self.preconditioning_for
        self.preconditioning_for = preconditioning(
            self.state, now, self.early_at, self.preconditioning_for
        )
        self._began = before is None and self.preconditioning_for is not None
        self.coast_at = None if held else coast_at(self.state, coast)
        self.coasting_for, self.coast_ended_for = coast_out(
            self.state,
            now,
            self.coast_at,
            self.coasting_for,
            left=left,
            ended_for=self.coast_ended_for,
        )
        if self.coast_ended_for is not None:
            self.coast_at = None  # no coasting again in this period
        state = followed_state(self.state, self.preconditioning_for, self.coasting_for)
        step = follow_schedule(state, self.last_on, self.hold, now)
        self.last_on = state.on
        self.hold = step.hold
        return scheduled_preset(state, self.comfort, self.setback) if step.apply else None

    def early_lead(self, room: ZoneRoom, comfort: tuple[float, float]) -> float | None:
        """How long before the next comfort period the zone should start (None: no early
        start): the room model's recovery from the room's temperature to the `comfort`
        preset's (heat, cool) target."""
        self._planned = None
        if self.state is None or self.state.on:
            return None
        need = comfort_need(room.mode, room.temperature, *comfort)
        if need is None:
            return 0.0
        mode, target = need
        recovery = room.rooms.recovery_time(
            room.zone_id, mode, room.temperature, target, room.outdoor, early_start=True
        )
        lead = early_lead(recovery.seconds, recovery.learned)
        if lead is not None and recovery.seconds is not None and recovery.learned:
            # Only a learnt recovery is corrected by how it came out (`LeadOutcomes`).
            self._planned = (mode.value, room.temperature, target, recovery.seconds)
        return lead

    def follow_outcome(
        self, rooms: RoomModels, zone_id: str, now: float, temperature: float | None
    ) -> None:
        """After `step`: follow how an early start comes out (`engine` `LeadOutcomes`), into
        the comfort period until the room gets there. One that began this step is followed
        from here; one ended before its period began (the schedule edited), overridden by a
        manual change, or whose comfort period ended first teaches nothing."""
        outcomes = rooms.outcomes
        period = self.preconditioning_for
        if self._began and period is not None and self._planned is not None:
            outcomes.begin(zone_id, now, period, *self._planned)
        elif self.hold is not None or (period is None and not (self.state and self.state.on)):
            outcomes.drop(zone_id)
        outcomes.observe(zone_id, now, temperature)

    def coast_lead(
        self,
        room: ZoneRoom,
        comfort: tuple[float, float],
        setback: tuple[float, float],
        tolerance: float,
    ) -> float | None:
        """How long before the comfort period ends the zone may coast (None: it does not): the
        room model's drift time, equipment off, to the edge of the band the zone holds anyway
        (`tolerance` past the comfort target), on each side the `setback` preset relaxes."""
        if self.state is None or not self.state.on:
            return None
        drifts = [
            room.rooms.drift_time(
                room.zone_id, room.temperature, edge, room.outdoor, falling=falling
            )
            for edge, falling in coast_edges(room.mode, comfort, setback, tolerance)
        ]
        learned = all(drift.learned for drift in drifts)
        return coast_lead([drift.seconds for drift in drifts], learned)

    @staticmethod
    def left_band(
        room: ZoneRoom,
        comfort: tuple[float, float],
        setback: tuple[float, float],
        tolerance: float,
    ) -> bool:
        """Whether the room is past the band a coasting zone holds it in (`coast_left`)."""
        return coast_left(room.temperature, coast_edges(room.mode, comfort, setback, tolerance))

    @property
    def followed(self) -> ScheduleState | None:
        """The schedule as the zone follows it (in comfort while starting early, in setback
        while coasting)."""
        if self.state is None:
            return None
        return followed_state(self.state, self.preconditioning_for, self.coasting_for)

    def manual_change(self, preset: str | None) -> None:
        """The user changed the zone: hold until the next scheduled change.

        `preset` is the preset chosen (None: targets set by hand). Choosing the preset the
        schedule calls for now returns to the schedule. While the schedule cannot be read there
        is no next change to hold until: the change simply stays.
        """
        state = self.followed
        if state is None:
            return
        resumed = preset == scheduled_preset(state, self.comfort, self.setback)
        self.hold = None if resumed else hold_for(state)

    # -- restart ------------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """What must survive a restart: the period followed and the hold."""
        hold = self.hold
        return {
            "entity_id": self.entity_id,
            "last_on": self.last_on,
            "hold": None if hold is None else {"on": hold.on, "until": hold.until},
            "preconditioning_for": self.preconditioning_for,
            "coasting_for": self.coasting_for,
            "coast_ended_for": self.coast_ended_for,
        }

    def restore(self, data: Any) -> None:
        """Come back as stored, if it was stored for this schedule (another one starts afresh).

        What cannot be read is dropped: with no period followed the schedule applies at once.
        """
        if not isinstance(data, dict) or data.get("entity_id") != self.entity_id:
            return
        last_on = data.get("last_on")
        self.last_on = last_on if isinstance(last_on, bool) else None
        hold = data.get("hold")
        if self.last_on is not None and isinstance(hold, dict) and isinstance(hold.get("on"), bool):
            until = number_within(hold.get("until"), 0.0, float("inf"))
            self.hold = ScheduleHold(on=hold["on"], until=until)
        self.preconditioning_for = number_within(data.get("preconditioning_for"), 0.0, float("inf"))
        self.coasting_for = number_within(data.get("coasting_for"), 0.0, float("inf"))
        self.coast_ended_for = number_within(data.get("coast_ended_for"), 0.0, float("inf"))

    # -- what the thermostat shows --------------------------------------------------------------

    def attributes(self) -> dict[str, Any]:
        """The schedule, whether the zone follows it, its period, next change and the hold."""
        state = self.state
        return {
            "schedule": self.entity_id,
            "following_schedule": state is not None and self.hold is None,
            "schedule_period": None if state is None else state.period,
            "next_schedule_change": _iso(None if state is None else state.next_event),
            "hold_until": _iso(None if self.hold is None else self.hold.until),
            "early_start": _iso(self.early_at),
            "preconditioning": self.preconditioning_for is not None,
            "coast_from": _iso(self.coast_at),
            "coasting": self.coasting_for is not None,
        }


def _iso(timestamp: float | None) -> str | None:
    return None if timestamp is None else dt_util.utc_from_timestamp(timestamp).isoformat()
