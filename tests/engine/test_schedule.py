"""A zone following a schedule: its period's preset at each change, manual holds."""

from __future__ import annotations

import math

import pytest

from engine import (
    COAST_CAP_S,
    DEFAULT_COMFORT_PRESET,
    DEFAULT_SETBACK_PRESET,
    EARLY_START_CAP_S,
    UNLEARNT_CAP_S,
    Mode,
    ScheduleHold,
    ScheduleState,
    ZoneMode,
    coast,
    coast_at,
    coast_edges,
    coast_lead,
    coast_left,
    coasting,
    comfort_need,
    early_lead,
    early_start_at,
    follow_schedule,
    followed_state,
    hold_for,
    hold_over,
    preconditioning,
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


def test_early_start_is_the_lead_before_the_period_capped_at_three_hours() -> None:
    setback = ScheduleState(on=False, next_event=MORNING)
    assert early_start_at(setback, 1800.0) == MORNING - 1800.0
    assert early_start_at(setback, 10 * 3600.0) == MORNING - EARLY_START_CAP_S == MORNING - 10800
    assert early_start_at(setback, -5.0) == MORNING  # a room already there: on time
    for lead in (None, math.nan, math.inf):
        assert early_start_at(setback, lead) is None
    assert early_start_at(ScheduleState(on=True, next_event=EVENING), 1800.0) is None
    assert early_start_at(ScheduleState(on=False), 1800.0) is None  # no start announced


def test_preconditioning_holds_once_begun_and_follows_a_moved_schedule() -> None:
    setback = ScheduleState(on=False, next_event=MORNING)
    early = MORNING - 3600.0
    assert preconditioning(setback, early - 1.0, early, None) is None
    assert preconditioning(setback, early, early, None) == MORNING
    # begun: the lead shrinking as the room warms does not end it
    assert preconditioning(setback, early + 60.0, MORNING - 600.0, MORNING) == MORNING
    # the schedule changed to begin an hour later: not yet (its own lead decides again)
    later = ScheduleState(on=False, next_event=MORNING + 3600.0)
    assert preconditioning(later, early + 60.0, MORNING + 3000.0, MORNING) is None
    assert (
        preconditioning(ScheduleState(on=True, next_event=EVENING), MORNING, None, MORNING) is None
    )


def test_the_zone_follows_comfort_while_it_preconditions() -> None:
    setback = ScheduleState(on=False, next_event=MORNING)
    assert followed_state(setback, None) == setback
    early = followed_state(setback, MORNING)
    assert early == ScheduleState(on=True, next_event=None)
    # followed: the comfort preset is taken when preconditioning begins, and not again at the
    # period's start; a hold made meanwhile lasts until the comfort period ends
    step = follow_schedule(early, last_on=False, hold=None, now=MORNING - 600.0)
    assert step.apply
    comfort = ScheduleState(on=True, next_event=EVENING)
    assert not follow_schedule(comfort, last_on=True, hold=None, now=MORNING).apply
    hold = hold_for(early)
    assert not hold_over(hold, comfort, EVENING - 1.0)
    assert hold_over(hold, ScheduleState(on=False, next_event=MORNING + 86400.0), EVENING)
    assert followed_state(comfort, MORNING) == comfort


@pytest.mark.parametrize(
    ("mode", "temperature", "need"),
    [
        (ZoneMode.HEAT, 18.0, (Mode.HEAT, 21.0)),
        (ZoneMode.HEAT, 21.0, None),
        (ZoneMode.COOL, 26.0, (Mode.COOL, 24.0)),
        (ZoneMode.COOL, 23.0, None),
        (ZoneMode.HEAT_COOL, 18.0, (Mode.HEAT, 21.0)),
        (ZoneMode.HEAT_COOL, 26.0, (Mode.COOL, 24.0)),
        (ZoneMode.HEAT_COOL, 22.0, None),
        (ZoneMode.OFF, 18.0, None),
        (ZoneMode.HEAT, None, None),
    ],
)
def test_what_the_room_must_do_for_comfort(
    mode: ZoneMode, temperature: float | None, need: tuple[Mode, float] | None
) -> None:
    assert comfort_need(mode, temperature, 21.0, 24.0) == need


def test_the_lead_rests_on_a_learnt_model_only() -> None:
    assert early_lead(1800.0, learned=True) == 1800.0
    assert early_lead(None, learned=True) == EARLY_START_CAP_S  # never reached: the cap
    # The default (a guess, and slow) at most UNLEARNT_CAP_S.
    assert early_lead(14400.0, learned=False) == UNLEARNT_CAP_S
    assert early_lead(None, learned=False) == UNLEARNT_CAP_S
    assert early_lead(600.0, learned=False) == 600.0


def test_coasting_is_the_lead_before_the_period_ends_capped_at_an_hour() -> None:
    comfort = ScheduleState(on=True, next_event=EVENING)
    assert coast_at(comfort, 1200.0) == EVENING - 1200.0
    assert coast_at(comfort, 5 * 3600.0) == EVENING - COAST_CAP_S
    assert coast_at(comfort, -1.0) == EVENING
    for lead in (None, math.nan, math.inf):
        assert coast_at(comfort, lead) is None
    assert coast_at(ScheduleState(on=False, next_event=MORNING), 1200.0) is None
    assert coast_at(ScheduleState(on=True), 1200.0) is None  # no end announced


def test_coasting_holds_once_begun_and_follows_a_moved_end() -> None:
    comfort = ScheduleState(on=True, next_event=EVENING)
    begin = EVENING - 1800.0
    assert coasting(comfort, begin - 1.0, begin, None) is None
    assert coasting(comfort, begin, begin, None) == EVENING
    # begun: a lead that shrinks as the room cools does not end it
    assert coasting(comfort, begin + 60.0, EVENING - 60.0, EVENING) == EVENING
    # the period now ends an hour later: not yet, its own lead decides again
    later = ScheduleState(on=True, next_event=EVENING + 3600.0)
    assert coasting(later, begin + 60.0, EVENING + 1800.0, EVENING) is None
    assert coasting(ScheduleState(on=False, next_event=MORNING), EVENING, None, EVENING) is None


def test_the_zone_follows_setback_while_it_coasts() -> None:
    comfort = ScheduleState(on=True, next_event=EVENING)
    coast = followed_state(comfort, None, EVENING)
    assert coast == ScheduleState(on=False, next_event=None)
    step = follow_schedule(coast, last_on=True, hold=None, now=EVENING - 600.0)
    assert step.apply  # the setback preset, once
    setback = ScheduleState(on=False, next_event=MORNING + 86400.0)
    assert followed_state(setback, None, EVENING) == setback
    assert not follow_schedule(setback, last_on=False, hold=None, now=EVENING).apply
    # a change made while coasting holds until the next comfort period
    hold = hold_for(coast)
    assert not hold_over(hold, setback, EVENING + 60.0)
    assert hold_over(hold, ScheduleState(on=True, next_event=EVENING + 86400.0), MORNING + 86400.0)


@pytest.mark.parametrize(
    ("mode", "setback", "edges"),
    [
        (ZoneMode.HEAT, (17.0, 28.0), ((20.5, True),)),
        (ZoneMode.HEAT, (21.0, 28.0), ()),  # the setback relaxes nothing in heat
        (ZoneMode.COOL, (17.0, 28.0), ((24.5, False),)),
        (ZoneMode.COOL, (17.0, 24.0), ()),
        (ZoneMode.HEAT_COOL, (17.0, 28.0), ((20.5, True), (24.5, False))),
        (ZoneMode.HEAT_COOL, (21.0, 28.0), ((24.5, False),)),
        (ZoneMode.OFF, (17.0, 28.0), ()),
    ],
)
def test_the_edges_a_coasting_room_may_drift_to(
    mode: ZoneMode, setback: tuple[float, float], edges: tuple[tuple[float, bool], ...]
) -> None:
    assert coast_edges(mode, (21.0, 24.0), setback, 0.5) == edges


@pytest.mark.parametrize(
    ("temperature", "left"),
    [(20.6, False), (20.5, True), (20.1, True), (24.4, False), (24.5, True), (None, False)],
)
def test_a_coasting_room_leaves_its_band_at_an_edge(temperature: float | None, left: bool) -> None:
    edges = coast_edges(ZoneMode.HEAT_COOL, (21.0, 24.0), (17.0, 28.0), 0.5)
    assert coast_left(temperature, edges) is left
    assert coast_left(temperature, ()) is False  # nothing relaxed: no band to leave


def test_coasting_ends_for_the_period_once_the_room_leaves_its_band() -> None:
    state = ScheduleState(on=True, next_event=EVENING)
    begin = EVENING - 1800.0
    assert coast(state, begin, begin, None, left=False, ended_for=None) == (EVENING, None)
    # Out of its band: not coasting, and not again before this period ends, whatever the lead.
    assert coast(state, begin + 60.0, begin, EVENING, left=True, ended_for=None) == (
        None,
        EVENING,
    )
    assert coast(state, begin + 120.0, begin, None, left=False, ended_for=EVENING) == (
        None,
        EVENING,
    )
    # Not coasting: leaving the band ends nothing.
    assert coast(state, begin - 60.0, begin, None, left=True, ended_for=None) == (None, None)
    # The next period forgets it.
    later = ScheduleState(on=True, next_event=EVENING + 86400.0)
    assert coast(later, begin + 86400.0, begin + 86400.0, None, left=False, ended_for=EVENING) == (
        EVENING + 86400.0,
        None,
    )


def test_the_coast_rests_on_a_learnt_drift_and_the_nearest_edge() -> None:
    assert coast_lead([1800.0], learned=True) == 1800.0
    assert coast_lead([None], learned=True) == COAST_CAP_S  # never leaves the band
    assert coast_lead([None, 600.0], learned=True) == 600.0
    assert coast_lead([1800.0], learned=False) is None
    assert coast_lead([], learned=True) is None  # nothing relaxed: no coasting
