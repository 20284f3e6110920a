"""A zone following a schedule: its period's preset at each change, manual holds."""

from __future__ import annotations

from engine import (
    DEFAULT_COMFORT_PRESET,
    DEFAULT_SETBACK_PRESET,
    ScheduleHold,
    ScheduleState,
    follow_schedule,
    hold_for,
    hold_over,
    scheduled_preset,
)

MORNING = 1_000_000.0  # the comfort period starts
EVENING = MORNING + 15 * 3600.0  # the setback period starts


def test_periods_and_their_next_starts() -> None:
    """On is comfort (next: setback starts), off is setback (next: comfort starts)."""
    comfort = ScheduleState(on=True, next_event=EVENING)
    setback = ScheduleState(on=False, next_event=MORNING)
    assert (comfort.period, setback.period) == ("comfort", "setback")
    assert (comfort.next_comfort_start, comfort.next_setback_start) == (None, EVENING)
    assert (setback.next_comfort_start, setback.next_setback_start) == (MORNING, None)
    assert ScheduleState(on=False).next_comfort_start is None  # an empty schedule
    assert (DEFAULT_COMFORT_PRESET, DEFAULT_SETBACK_PRESET) == ("home", "eco")
    assert scheduled_preset(comfort, "home", "sleep") == "home"
    assert scheduled_preset(setback, "home", "sleep") == "sleep"


def test_a_new_schedule_applies_at_once_then_only_at_changes() -> None:
    """No period followed yet: apply; the same period again: nothing; another one: apply."""
    comfort = ScheduleState(on=True, next_event=EVENING)
    assert follow_schedule(comfort, None, None, MORNING).apply
    assert not follow_schedule(comfort, True, None, MORNING + 60).apply
    # A boundary between two comfort periods changes nothing without a hold.
    assert not follow_schedule(comfort, True, None, EVENING).apply
    setback = ScheduleState(on=False, next_event=MORNING + 86400)
    step = follow_schedule(setback, True, None, EVENING)
    assert step.apply
    assert step.hold is None


def test_a_hold_lasts_until_the_next_scheduled_change() -> None:
    """A manual change in a period holds until the period changes or its announced end."""
    comfort = ScheduleState(on=True, next_event=EVENING)
    hold = hold_for(comfort)
    assert hold == ScheduleHold(on=True, until=EVENING)
    kept = follow_schedule(comfort, True, hold, EVENING - 1)
    assert (kept.apply, kept.hold) == (False, hold)
    assert not hold_over(hold, comfort, EVENING - 1)
    # The period changes (here before the announced time: the schedule was edited).
    setback = ScheduleState(on=False, next_event=MORNING + 86400)
    over = follow_schedule(setback, True, hold, EVENING - 1)
    assert (over.apply, over.hold) == (True, None)
    # The announced change is reached with the schedule still on (two adjacent periods), or
    # Home Assistant was down across two changes: the hold ends all the same.
    next_comfort = ScheduleState(on=True, next_event=EVENING + 3600)
    assert hold_over(hold, next_comfort, EVENING)
    assert follow_schedule(next_comfort, True, hold, EVENING + 86400).apply


def test_a_hold_without_an_announced_change_waits_for_the_period() -> None:
    """A schedule that announces no change: the hold lasts until its period changes."""
    always = ScheduleState(on=True, next_event=None)
    hold = hold_for(always)
    assert hold.until is None
    assert not hold_over(hold, always, MORNING + 10 * 86400)
    assert hold_over(hold, ScheduleState(on=False), MORNING)
