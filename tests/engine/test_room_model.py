"""The learned room model (engine/rooms): converging, defaults, recovery times, persistence."""

from __future__ import annotations

import json
import math

import pytest

from engine.ledger.samples import SystemSample, ZoneSample
from engine.model import Mode
from engine.rooms.learning import MAX_GAP_S, MIN_STRETCH_S, SETTLE_S, Recovery, RoomModels
from engine.rooms.profile import (
    BASIS_DEFAULT,
    BASIS_LEARNED,
    BIN_COUNT,
    BIN_MEMORY_H,
    COOL,
    HEAT,
    RESIST,
    RateLine,
    RateProfile,
    default_line,
)
from engine.rooms.recovery import recovery_hours

from .room_helpers import START, Room, outdoor_at, run_room


def learnt(room: Room, days: float = 7.0, **kwargs: object) -> RoomModels:
    models = RoomModels(["a"])
    for t, sample in run_room(room, days, **kwargs):  # type: ignore[arg-type]
        models.record(t, sample)
    return models


def test_learning_converges_to_the_true_rates() -> None:
    """A week of a synthetic room gives its heating and drift lines within a few percent."""
    room = Room()
    models = learnt(room)
    heat, resist = models.line("a", HEAT), models.line("a", RESIST)
    assert heat.basis == resist.basis == BASIS_LEARNED
    for x in (-15.0, -5.0):
        assert heat.rate(x) == pytest.approx(room.gains + room.power + room.loss * x, rel=0.1)
        assert resist.rate(x) == pytest.approx(room.gains + room.loss * x, abs=0.1)
    assert resist.slope == pytest.approx(room.loss, rel=0.25)


def test_recovery_time_against_the_truth() -> None:
    """The predicted recovery from setback is within 10 % of the room's true one."""
    room = Room()
    models = learnt(room)
    for outdoor in (-5.0, 0.0, 8.0):
        predicted = models.recovery_time("a", Mode.HEAT, 17.0, 21.0, outdoor)
        assert predicted.basis == BASIS_LEARNED
        assert predicted.covered
        assert predicted.seconds is not None
        true = room.recovery_hours(17.0, 21.0, outdoor) * 3600.0
        assert predicted.seconds == pytest.approx(true, rel=0.1)


def test_drift_time_against_the_truth() -> None:
    """How long the room, heating off, stays above the comfort band's edge: within 15 % of
    the true time where it gets there; never in mild weather; at once past the edge."""
    room = Room()
    models = learnt(room)
    for outdoor in (-5.0, 0.0, 5.0):
        predicted = models.drift_time("a", 21.0, 20.5, outdoor, falling=True)
        assert predicted.basis == BASIS_LEARNED
        assert predicted.seconds is not None
        true = room.drift_hours(21.0, 20.5, outdoor)
        assert true is not None
        assert predicted.seconds == pytest.approx(true * 3600.0, rel=0.15)
    # Gains hold the room at 0.4 / 0.06 = 6.7 K above 15 °C outdoors: it never falls to 20.5.
    assert room.drift_hours(21.0, 20.5, 15.0) is None
    assert models.drift_time("a", 21.0, 20.5, 15.0, falling=True).seconds is None
    assert models.drift_time("a", 20.4, 20.5, 0.0, falling=True).seconds == 0.0
    assert models.drift_time("a", 24.6, 24.5, 0.0, falling=False).seconds == 0.0
    fresh = RoomModels(["a"]).drift_time("a", 21.0, 20.5, 0.0, falling=True)
    assert fresh.basis == BASIS_DEFAULT


def test_a_zone_without_data_answers_the_conservative_default() -> None:
    """No data: 1 K/h heating and cooling, flagged as the default; a slow room is still
    given more time than a fast one would need."""
    models = RoomModels(["a"])
    heat = models.recovery_time("a", Mode.HEAT, 18.0, 21.0, 0.0)
    assert heat == Recovery(seconds=3 * 3600.0, basis=BASIS_DEFAULT, hours=0.0, covered=False)
    cool = models.recovery_time("a", Mode.COOL, 26.0, 24.0, 30.0)
    assert cool.seconds == pytest.approx(2 * 3600.0)
    assert cool.basis == BASIS_DEFAULT
    assert models.recovery_time("a", Mode.HEAT, 21.0, 20.0, 0.0).seconds == 0.0
    assert models.balance_point("a") is None
    assert models.recovery_time("unknown", Mode.HEAT, 20.0, 21.0, None).seconds == 3600.0


def test_fahrenheit_readings_give_the_same_model() -> None:
    """A system in °F learns the same room: rates come back in °F per hour."""
    room = Room()
    celsius = learnt(room)
    fahrenheit = RoomModels(["a"], "°F")
    for t, sample in run_room(room, 7.0):
        zone = sample.zones["a"]
        assert zone.temperature is not None and sample.outdoor_temperature is not None
        fahrenheit.record(
            t,
            SystemSample(
                running=sample.running,
                mode=sample.mode,
                zones={
                    "a": ZoneSample(
                        zone.calling, zone.conditioned, temperature=zone.temperature * 1.8 + 32
                    )
                },
                outdoor_temperature=sample.outdoor_temperature * 1.8 + 32,
            ),
        )
    c, f = celsius.rates("a", 20.0, 0.0), fahrenheit.rates("a", 68.0, 32.0)
    assert c is not None and f is not None
    assert f.heat == pytest.approx(c.heat * 1.8, rel=0.02)
    assert c.balance_point is not None and f.balance_point is not None
    assert f.balance_point == pytest.approx(c.balance_point * 1.8 + 32, abs=0.5)
    seconds_c = celsius.recovery_time("a", Mode.HEAT, 17.0, 21.0, 0.0).seconds
    seconds_f = fahrenheit.recovery_time("a", Mode.HEAT, 62.6, 69.8, 32.0).seconds
    assert seconds_c is not None and seconds_f == pytest.approx(seconds_c, rel=0.02)


def test_balance_point_of_the_drift() -> None:
    """With gains of 0.4 K/h and a loss of 0.06 /h, a room at 20 °C holds itself at about
    20 - 0.4/0.06 = 13.3 °C outdoors."""
    models = learnt(Room())
    point = models.balance_point("a")
    assert point is not None
    assert 11.0 < point < 16.0
    rates = models.rates("a", 20.0, point)
    assert rates is not None and rates.resist == pytest.approx(0.0, abs=0.15)
    assert models.rates("a", None, 0.0) is None


def test_relief_air_and_top_up_are_not_learnt() -> None:
    """A zone that receives air it does not call for (relief) teaches nothing about heating."""
    models = RoomModels(["a"])
    for t, sample in run_room(Room(), 3.0):
        zone = sample.zones["a"]
        relief = ZoneSample(
            calling=None, conditioned=zone.conditioned, temperature=zone.temperature
        )
        models.record(
            t, SystemSample(True, Mode.HEAT, zones={"a": relief}, outdoor_temperature=0.0)
        )
    assert models.line("a", HEAT).hours == 0.0
    assert models.line("a", COOL).hours == 0.0


def test_a_clock_jump_or_a_gap_drops_the_stretch() -> None:
    """Time going backwards or a gap longer than MAX_GAP_S learns nothing from the stretch it
    interrupts, and the jump itself is never measured; resume() drops every stretch."""

    def feed(jump: float, *, resume: bool = False) -> RoomModels:
        """A room cooling 0.6 K/h for 30 minutes, the clock moved by `jump`, 30 more minutes,
        then heat starts (which ends the drift stretch)."""
        models = RoomModels(["a"])
        for i in range(61):
            t = START + 60.0 * i + (jump if i >= 30 else 0.0)
            if i == 30 and resume:
                models.resume()
            zone = ZoneSample(Mode.HEAT, conditioned=i == 60, temperature=20.0 - 0.01 * i)
            models.record(
                t, SystemSample(i == 60, Mode.HEAT, zones={"a": zone}, outdoor_temperature=0.0)
            )
        return models

    whole = feed(0.0).line("a", RESIST)
    assert whole.hours == pytest.approx(55 / 60)
    for models in (
        feed(-7200.0),
        feed(MAX_GAP_S + 60.0),
        feed(86400.0 * 400),
        feed(0.0, resume=True),
    ):
        line = models.line("a", RESIST)
        assert line.hours == pytest.approx(25 / 60)  # only the part after the jump
        profile = models.to_dict()["zones"]["a"][RESIST]
        assert [round(v[2], 3) for v in profile.values()] == [-0.6]


def test_persistence_round_trip_and_garbage() -> None:
    """to_dict/from_dict keep the lines; anything malformed reads as no data, never raises."""
    models = learnt(Room(), days=3.0)
    stored = json.loads(json.dumps(models.to_dict()))
    again = RoomModels.from_dict(stored, ["a", "new"])
    for mode in (HEAT, COOL, RESIST):
        before, after = models.line("a", mode), again.line("a", mode)
        assert after.intercept == pytest.approx(before.intercept, abs=1e-3)
        assert after.slope == pytest.approx(before.slope, abs=1e-3)
        assert after.hours == pytest.approx(before.hours, abs=1e-2)
    assert again.line("new", HEAT).basis == BASIS_DEFAULT
    assert again.zone_ids == ("a", "new")
    size = len(json.dumps(stored))
    assert size < 3000, size
    for garbage in (
        None,
        [],
        "x",
        {"schema": 2},
        {"schema": 1, "zones": []},
        {"schema": 1, "zones": {"a": [1]}},
        {"schema": 1, "zones": {"a": {"heat": {"3": [1, 2]}, "cool": "x"}}},
        {
            "schema": 1,
            "zones": {
                "a": {
                    "heat": {
                        "x": [1, -40, 1, 20],
                        "40": [1, 0, 1, 20],
                        "3": [math.nan, -40, 1, 20],
                        "2": [1, -40, 1, 20],
                    }
                }
            },
        },
    ):
        read = RoomModels.from_dict(garbage, ["a"])
        assert read.line("a", HEAT).hours == 0.0


def test_profiles_stay_bounded() -> None:
    """However long it learns, a profile holds at most BIN_COUNT bins of BIN_MEMORY_H hours."""
    profile = RateProfile(HEAT)
    for i in range(10_000):
        assert profile.learn(-60.0 + (i % 100), 1.0, 0.5, 20.0)
    assert len(profile.to_dict()) <= BIN_COUNT
    assert profile.hours <= BIN_COUNT * BIN_MEMORY_H + 1e-6
    assert not profile.learn(math.nan, 1.0, 0.5, 20.0)
    assert not profile.learn(0.0, 50.0, 0.5, 20.0)
    with pytest.raises(ValueError, match="unknown mode"):
        RateProfile("fan")


def test_recovery_hours_closed_form() -> None:
    """Exponential approach, a flat line, and targets a mode never reaches."""
    line = RateLine(intercept=2.0, slope=0.1, hours=5.0)
    # Equilibrium at 0 + 2 / 0.1 = 20: 10 -> 15 takes ln(10 / 5) / 0.1.
    assert recovery_hours(line, HEAT, 10.0, 15.0, 0.0) == pytest.approx(math.log(2.0) / 0.1)
    assert recovery_hours(line, HEAT, 10.0, 20.0, 0.0) is None
    assert recovery_hours(line, HEAT, 16.0, 15.0, 0.0) == 0.0
    flat = default_line(HEAT)
    assert recovery_hours(flat, HEAT, 18.0, 20.0, 0.0) == pytest.approx(2.0)
    assert recovery_hours(RateLine(-0.5, 0.0, 0.0), HEAT, 18.0, 20.0, 0.0) is None
    cool = RateLine(intercept=-3.0, slope=0.1, hours=5.0)  # equilibrium 30 - 30 = 0
    assert recovery_hours(cool, COOL, 26.0, 24.0, 30.0) == pytest.approx(math.log(26 / 24) / 0.1)
    with pytest.raises(ValueError, match="heat or cool"):
        recovery_hours(line, RESIST, 10.0, 15.0, 0.0)
    assert outdoor_at(START) == pytest.approx(2.0)


def test_bad_timestamps_and_temperatures() -> None:
    """A timestamp that is not a finite number is ignored; a recovery between temperatures that
    are not temperatures is refused."""
    models = learnt(Room(), days=2.0)
    before = models.to_dict()
    sample = SystemSample(False, zones={"a": ZoneSample(temperature=15.0)}, outdoor_temperature=0)
    for bad in (math.nan, math.inf, True):
        models.record(bad, sample)  # type: ignore[arg-type]
    assert models.to_dict() == before
    with pytest.raises(ValueError, match="not a temperature"):
        models.recovery_time("a", Mode.HEAT, math.nan, 21.0, 0.0)


@pytest.mark.parametrize("minutes", [14, 15, 16, 24])
def test_a_short_run_is_learnt_once_it_outlasts_the_settling_and_the_minimum(
    minutes: int,
) -> None:
    """A heating run is measured from SETTLE_S after it began; it teaches its rate once that
    measured part lasts MIN_STRETCH_S (10 minutes). A ducted unit's runs are often 10-20
    minutes long: a 20-minute minimum left summer's cooling unlearnt for days on the equipment
    family (BENCHMARKS.md, room model)."""
    models = RoomModels(["a"])
    for i in range(minutes + 2):
        heating = i < minutes
        zone = ZoneSample(
            Mode.HEAT if heating else None,
            conditioned=Mode.HEAT if heating else None,
            temperature=19.0 + 0.02 * min(i, minutes),  # 1.2 K/h while heating
        )
        models.record(
            START + 60.0 * i,
            SystemSample(heating, Mode.HEAT, zones={"a": zone}, outdoor_temperature=0.0),
        )
    line = models.line("a", HEAT)
    measured = minutes * 60.0 - SETTLE_S
    assert SETTLE_S + MIN_STRETCH_S == 15 * 60.0
    if minutes < 15:
        assert line.hours == 0.0
    else:
        assert line.hours == pytest.approx(measured / 3600.0)
        [(hours, _x, rate, _indoor)] = models.to_dict()["zones"]["a"][HEAT].values()
        assert hours == pytest.approx(measured / 3600.0, abs=1e-4)
        assert rate == pytest.approx(1.2, abs=1e-3)
