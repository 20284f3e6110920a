"""Early starts judged by how they came out (engine/rooms/outcomes.py)."""

from __future__ import annotations

import json
import math

from hypothesis import given, settings, strategies as st
import pytest

from engine.model import Mode
from engine.rooms.learning import RoomModels
from engine.rooms.outcomes import FACTOR_MAX, FACTOR_MIN, LEARNING, SLACK_S, LeadOutcomes

from .room_helpers import START, Room, run_room

HOUR = 3600.0


def moved(took: float, lead: float, factor: float = 1.0) -> float:
    """The factor after one outcome: ``took`` against ``lead``, each with SLACK_S added (a
    few minutes of start-up and sensor delay must not weigh on a short lead out of
    proportion), half the way in log terms."""
    return factor * ((took + SLACK_S) / (lead + SLACK_S)) ** LEARNING


def follow(
    outcomes: LeadOutcomes, readings: list[tuple[float, float | None]], *, lead: float = HOUR
) -> None:
    """An early start for 07:00 begun an hour before at 18 °C for 21 °C (heat), then the
    readings (seconds after the start, °C)."""
    outcomes.begin("a", START, START + lead, "heat", 18.0, 21.0, lead)
    for offset, temperature in readings:
        outcomes.observe("a", START + offset, temperature)


def follow_on(outcomes: LeadOutcomes, readings: list[tuple[float, float | None]]) -> None:
    for offset, temperature in readings:
        outcomes.observe("a", START + offset, temperature)


def test_a_room_short_at_its_period_lengthens_the_next_lead() -> None:
    """Two thirds of the way in the hour it was given, there after 1.5 h: the factor rises. It is
    followed into the comfort period."""
    outcomes = LeadOutcomes()
    follow(outcomes, [(1800.0, 19.0), (HOUR, 20.0)])
    assert outcomes.following("a")  # the period has begun; the room is not there yet
    follow_on(outcomes, [(1.5 * HOUR, 21.0)])
    assert outcomes.factor("a", "heat") == pytest.approx(moved(1.5 * HOUR, HOUR))
    assert outcomes.factor("a", "heat") > 1.1
    assert outcomes.factor("a", "cool") == 1.0
    assert not outcomes.following("a")


def test_a_room_there_early_shortens_the_next_lead() -> None:
    """At the target after 15 minutes of an hour: the factor falls, not below FACTOR_MIN."""
    outcomes = LeadOutcomes()
    for _ in range(10):
        follow(outcomes, [(900.0, 21.0), (HOUR, 21.3)])
    assert outcomes.factor("a", "heat") == FACTOR_MIN
    once = LeadOutcomes()
    follow(once, [(900.0, 21.0), (HOUR, 21.3)])
    assert once.factor("a", "heat") == pytest.approx(moved(900.0, HOUR))
    assert once.factor("a", "heat") < 0.8


def test_a_room_that_did_not_move_is_bounded() -> None:
    """No progress by twice the time it was given: judged at the slowest pace the rule allows,
    within FACTOR_MAX."""
    outcomes = LeadOutcomes()
    for _ in range(5):
        follow(outcomes, [(HOUR, 17.5), (1.9 * HOUR, 17.5)])
        assert outcomes.following("a")
        follow_on(outcomes, [(2 * HOUR, 17.5)])
    assert outcomes.factor("a", "heat") == FACTOR_MAX


def test_judged_by_its_pace_when_the_room_gets_there_late() -> None:
    """A quarter of the way at twice the hour it was given: it would have taken 8 h."""
    outcomes = LeadOutcomes()
    follow(outcomes, [(2 * HOUR, 18.75)])
    assert outcomes.factor("a", "heat") == pytest.approx(moved(8 * HOUR, HOUR))
    assert outcomes.factor("a", "heat") > 2.0


def test_a_short_early_start_is_not_judged_before_the_sensor_reports() -> None:
    """Summer family #2: a 15-minute early start whose room sensor had not reported since it
    began showed no progress at the period's start. Judged then, it took the factor to its
    maximum; followed on, the room was there 10 minutes into the period: 25 minutes for 15.
    With the slack, those 10 minutes weigh as on any lead, not as two thirds of it."""
    outcomes = LeadOutcomes()
    outcomes.begin("a", START, START + 900.0, "cool", 25.0, 24.0, 900.0)
    outcomes.observe("a", START + 900.0, 25.0)
    assert outcomes.following("a")
    outcomes.observe("a", START + 1500.0, 23.9)
    assert outcomes.factor("a", "cool") == pytest.approx(moved(1500.0, 900.0))
    assert outcomes.factor("a", "cool") < 1.15


def test_cooling_is_judged_downwards() -> None:
    outcomes = LeadOutcomes()
    outcomes.begin("a", START, START + HOUR, "cool", 27.0, 24.0, HOUR)
    outcomes.observe("a", START + 1800.0, 24.0)
    outcomes.observe("a", START + HOUR, 23.8)
    assert outcomes.factor("a", "cool") == pytest.approx(moved(1800.0, HOUR))


@pytest.mark.parametrize(
    "interruption",
    ["reading lost", "clock back", "dropped", "resumed"],
)
def test_an_early_start_that_cannot_be_judged_teaches_nothing(interruption: str) -> None:
    outcomes = LeadOutcomes()
    outcomes.begin("a", START, START + HOUR, "heat", 18.0, 21.0, HOUR)
    if interruption == "reading lost":
        outcomes.observe("a", START + 600.0, None)
    elif interruption == "clock back":
        outcomes.observe("a", START - 600.0, 18.0)
    elif interruption == "dropped":
        outcomes.drop("a")
    else:
        outcomes.resume()
    outcomes.observe("a", START + 2 * HOUR, 19.0)  # its deadline: judged, were it followed
    assert outcomes.factor("a", "heat") == 1.0
    assert not outcomes.following("a")


@pytest.mark.parametrize(
    ("mode", "start", "target", "lead", "period"),
    [
        ("heat", 21.0, 21.0, HOUR, HOUR),  # there already
        ("heat", 22.0, 21.0, HOUR, HOUR),  # the wrong way
        ("cool", 21.0, 24.0, HOUR, HOUR),
        ("fan", 18.0, 21.0, HOUR, HOUR),
        ("heat", 18.0, 21.0, 0.0, HOUR),
        ("heat", 18.0, 21.0, math.nan, HOUR),
        ("heat", math.inf, 21.0, HOUR, HOUR),
        ("heat", 18.0, 21.0, HOUR, 0.0),  # its period has begun
    ],
)
def test_an_early_start_that_makes_no_sense_is_not_followed(
    mode: str, start: float, target: float, lead: float, period: float
) -> None:
    outcomes = LeadOutcomes()
    outcomes.begin("a", START, START + period, mode, start, target, lead)
    assert not outcomes.following("a")


def test_the_factor_scales_the_model_and_survives_a_restart() -> None:
    """`recovery_time(early_start=True)` is the recovery times the factor; the factors are
    stored with the model (and read back bounded), an early start in progress is not; zones
    removed are forgotten."""
    models = RoomModels(["a", "b"])
    for t, sample in run_room(Room(), 4.0):
        models.record(t, sample)
    plain = models.recovery_time("a", Mode.HEAT, 18.0, 21.0, 0.0)
    assert plain.seconds is not None and plain.learned
    follow(models.outcomes, [(HOUR, 20.0), (1.5 * HOUR, 21.0)])
    factor = models.outcomes.factor("a", "heat")
    assert factor == pytest.approx(moved(1.5 * HOUR, HOUR))
    early = models.recovery_time("a", Mode.HEAT, 18.0, 21.0, 0.0, early_start=True)
    assert early.seconds == pytest.approx(plain.seconds * factor)
    assert models.recovery_time("b", Mode.HEAT, 18.0, 21.0, 0.0, early_start=True).seconds == (
        models.recovery_time("b", Mode.HEAT, 18.0, 21.0, 0.0).seconds
    )
    assert models.summary()["zones"]["a"]["early_start_factor"] == {
        "heat": round(factor, 3),
        "cool": 1.0,
    }
    models.outcomes.begin("a", START, START + HOUR, "heat", 18.0, 21.0, HOUR)
    stored = json.loads(json.dumps(models.to_dict()))
    again = RoomModels.from_dict(stored, ["a", "b"])
    assert again.outcomes.factor("a", "heat") == pytest.approx(factor, abs=1e-4)
    assert not again.outcomes.following("a")
    assert RoomModels.from_dict(stored, ["b"]).outcomes.factor("a", "heat") == 1.0
    models.set_zones(["b"])
    assert models.outcomes.factor("a", "heat") == 1.0


@pytest.mark.parametrize(
    "stored",
    [
        None,
        "garbage",
        {"a": "garbage"},
        {"a": {"heat": "x", "cool": None}},
        {"a": {"heat": 99.0, "cool": -1.0}},
        {"a": {"heat": math.nan}},
        {"gone": {"heat": 2.0}},
    ],
)
def test_stored_factors_that_cannot_be_trusted_are_1(stored: object) -> None:
    data = {"schema": 1, "zones": {}, "early_start_factors": stored}
    outcomes = RoomModels.from_dict(data, ["a"]).outcomes
    assert outcomes.factor("a", "heat") == 1.0
    assert outcomes.factor("a", "cool") == 1.0


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["begin", "observe", "drop", "resume"]),
            st.sampled_from(["heat", "cool"]),
            st.one_of(st.floats(-4.0, 7200.0), st.just(math.nan)),  # offset, s
            st.one_of(st.none(), st.floats(10.0, 35.0), st.just(math.nan), st.just(math.inf)),
            st.floats(-600.0, 4 * HOUR),  # lead, s
        ),
        max_size=40,
    )
)
def test_factors_stay_bounded_whatever_comes(
    events: list[tuple[str, str, float, float | None, float]],
) -> None:
    """Random early starts, readings (garbage included), drops and restarts: every factor stays
    within its bounds, and survives storage as it was."""
    outcomes = LeadOutcomes()
    for kind, mode, offset, temperature, lead in events:
        now = START + offset
        if kind == "begin":
            start = 18.0 if mode == "heat" else 27.0
            target = 21.0 if mode == "heat" else 24.0
            outcomes.begin("a", now, now + lead, mode, start, target, lead)
        elif kind == "observe":
            outcomes.observe("a", now, temperature)
        elif kind == "drop":
            outcomes.drop("a")
        else:
            outcomes.resume()
        for each in ("heat", "cool"):
            assert FACTOR_MIN <= outcomes.factor("a", each) <= FACTOR_MAX
    again = LeadOutcomes.from_dict(json.loads(json.dumps(outcomes.to_dict())), {"a"})
    for each in ("heat", "cool"):
        assert again.factor("a", each) == pytest.approx(outcomes.factor("a", each), abs=1e-4)
