"""Invariants of the room model over random sample sequences: garbage readings, clock jumps in
both directions and restarts never break it, never make it learn garbage, and it stays bounded
and readable (Hypothesis)."""

from __future__ import annotations

import json
import math

from hypothesis import HealthCheck, given, settings, strategies as st

from engine.ledger.samples import SystemSample, ZoneSample
from engine.model import Mode
from engine.rooms.learning import RoomModels
from engine.rooms.profile import BIN_COUNT, BIN_MEMORY_H, MAX_SLOPE, MODES

from .room_helpers import START

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ZONES = ("a", "b")
GARBAGE = st.sampled_from([None, math.nan, math.inf, -math.inf, 1e9, -400.0])
TEMPERATURES = st.one_of(st.floats(10.0, 30.0), GARBAGE)
OUTDOOR = st.one_of(st.floats(-30.0, 40.0), GARBAGE)
MODE = st.one_of(st.none(), st.sampled_from(Mode))


def samples(temperatures: st.SearchStrategy[float | None]) -> st.SearchStrategy[SystemSample]:
    zone = st.builds(ZoneSample, calling=MODE, conditioned=st.booleans(), temperature=temperatures)
    return st.builds(
        SystemSample,
        running=st.booleans(),
        mode=MODE,
        zones=st.dictionaries(st.sampled_from(ZONES), zone, max_size=2),
        outdoor_temperature=OUTDOOR,
    )


# A step: seconds since the previous sample (negative: the clock went back; large: a gap),
# the sample, and whether Home Assistant restarted before it.
STEPS = st.lists(
    st.tuples(
        st.one_of(st.floats(0.0, 600.0), st.sampled_from([-3600.0, 1e6, 0.0])),
        samples(TEMPERATURES),
        st.booleans(),
    ),
    max_size=120,
)


def run(steps: list[tuple[float, SystemSample, bool]], models: RoomModels) -> None:
    t = START
    for delta, sample, restart in steps:
        t += delta
        if restart:
            models.resume()
        models.record(t, sample)


def check(models: RoomModels) -> None:
    for zone_id in ZONES:
        for mode in MODES:
            line = models.line(zone_id, mode)
            assert math.isfinite(line.intercept)
            assert 0.0 <= line.slope <= MAX_SLOPE
            assert 0.0 <= line.hours <= BIN_COUNT * BIN_MEMORY_H + 1e-6
        for mode in Mode:
            recovery = models.recovery_time(zone_id, mode, 18.0, 21.0, 0.0)
            assert recovery.seconds is None or recovery.seconds >= 0.0
        point = models.balance_point(zone_id)
        assert point is None or math.isfinite(point)


@SETTINGS
@given(STEPS)
def test_any_sequence_keeps_the_model_sane_and_readable(
    steps: list[tuple[float, SystemSample, bool]],
) -> None:
    """Whatever comes, the lines stay finite and bounded, and survive the storage round trip."""
    models = RoomModels(ZONES)
    run(steps, models)
    check(models)
    stored = json.loads(json.dumps(models.to_dict(), allow_nan=False))
    again = RoomModels.from_dict(stored, ZONES)
    check(again)
    for zone_id in ZONES:
        for mode in MODES:
            assert again.line(zone_id, mode).hours == models.line(zone_id, mode).hours or (
                abs(again.line(zone_id, mode).hours - models.line(zone_id, mode).hours) < 0.01
            )


@SETTINGS
@given(
    STEPS,
    st.lists(
        st.tuples(st.floats(0.0, 600.0), samples(GARBAGE), st.just(False)), min_size=1, max_size=60
    ),
)
def test_garbage_readings_teach_nothing(
    steps: list[tuple[float, SystemSample, bool]],
    garbage: list[tuple[float, SystemSample, bool]],
) -> None:
    """Samples whose room temperatures are all garbage change no profile (a stretch they
    interrupt is dropped, not learnt)."""
    models = RoomModels(ZONES)
    run(steps, models)
    before = models.to_dict()
    run(garbage, models)
    assert models.to_dict() == before
