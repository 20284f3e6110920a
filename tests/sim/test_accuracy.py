"""The runtime ledger and the report's estimates against the simulator's ground truth.

A shorter run than `benchmarks/bench_accuracy.py` (8 measured days per season after one warm-up
day: the zoning-savings estimate needs 7 days to learn what a degree costs) with looser bounds:
runtime attribution within 5 % (6 % per ducted room), per-zone energy within 20 %, duct-loss
share within 6 pp; the zoning-savings figure, counted for the method's blind spots, nearer the
truth than the plain line's, and its 80 % interval holding the truth in at least 3 of the 4
runs (its coverage over many runs is `benchmarks/bench_savings.py`'s). Truth definitions are in
the benchmark's docstring and `benchmarks.engine_bridge.TruthMeter`; the savings truth is per
system (that system conditioning every room, the others zoned).

The multi-split's heads report their metered power (as `sim.ha`'s per-head power sensors do), so
its *attributed* runtime follows each head's share of output; the equal split between running
heads it replaced (still booked as a baseline) must miss by more. The duct-loss share is the
ASHRAE 152 model on the simulator's crawlspace temperature sensor; the ductless comparison it
replaced (23.7 % against a truth of 13.1 % in summer) stays in the response as a cross-check.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from benchmarks.bench_accuracy import Run, report, simulate
from benchmarks.engine_bridge import Season
from engine.report.estimates import SAVINGS_TRUTH_RATIO
from sim.truth import kwh

DAYS = 8
WARMUP = 1
SEED = 1


@dataclass
class SeasonRuns:
    zoned: Run
    every_room: dict[str, Run]  # by system: that system conditioning every room, others zoned
    report: dict[str, Any]


_CACHE: dict[str, SeasonRuns] = {}


def runs(season: Season) -> SeasonRuns:
    """The zoned and every-room runs of a season (computed once per session)."""
    if season not in _CACHE:
        zoned = simulate(season, DAYS, WARMUP, SEED, baseline=None, lagged=False)
        every_room = {
            sid: simulate(season, DAYS, WARMUP, SEED, baseline="every_room", lagged=False, only=sid)
            for sid in zoned.meter.systems
        }
        _CACHE[season] = SeasonRuns(zoned, every_room, report(zoned))
    return _CACHE[season]


def section(season: Season, system_id: str) -> dict[str, Any]:
    return next(s for s in runs(season).report["systems"] if s["system_id"] == system_id)


SEASONS: tuple[Season, ...] = ("winter", "summer")


@pytest.mark.parametrize("season", SEASONS)
def test_ducted_runtime_and_energy_per_zone(season: Season) -> None:
    run = runs(season).zoned
    meter = run.meter.systems["main"]
    ledger = run.driver.ledger("main")
    assert ledger.lifetime()["runtime_s"] == pytest.approx(meter.runtime_s, rel=0.05)
    for zone, truth in meter.rooms.items():
        booked = ledger.zone_lifetime(zone)
        assert truth.runtime_s > 3600.0
        # 6 %: the kitchen reads about 5 % high in summer (+4.7 % before a start's first step
        # kept the dampers of rooms short of their target open instead of closing them and
        # opening them again a step later, +5.0 % since): the ledger splits by design airflow,
        # the simulator by the air each room really gets.
        assert booked["runtime_s"] == pytest.approx(truth.runtime_s, rel=0.06), zone
        assert booked["kwh"] == pytest.approx(kwh(truth.electrical_j), rel=0.20), zone


@pytest.mark.parametrize("season", SEASONS)
def test_mini_split_own_runtime_and_energy_per_head(season: Season) -> None:
    run = runs(season).zoned
    meter = run.meter.systems["upstairs"]
    ledger = run.driver.ledger("upstairs")
    for zone, truth in meter.rooms.items():
        booked = ledger.zone_lifetime(zone)
        assert truth.own_runtime_s > 3600.0
        assert booked["conditioned_s"] == pytest.approx(truth.own_runtime_s, rel=0.05), zone
        assert booked["kwh"] == pytest.approx(kwh(truth.electrical_j), rel=0.20), zone


@pytest.mark.parametrize("season", SEASONS)
def test_mini_split_attributed_runtime(season: Season) -> None:
    run = runs(season).zoned
    meter = run.meter.systems["upstairs"]
    ledger = run.driver.ledger("upstairs")
    for zone, truth in meter.rooms.items():
        booked = ledger.zone_lifetime(zone)["runtime_s"]
        assert truth.runtime_s > 3600.0
        assert booked == pytest.approx(truth.runtime_s, rel=0.05), zone
        # the equal split between running heads (no output sensors) misses by more
        equal = run.driver.attribution_ledgers["equal"]["upstairs"].zone_lifetime(zone)
        assert abs(equal["runtime_s"] - truth.runtime_s) > abs(booked - truth.runtime_s), zone


def _duct_loss_truth(run: Run) -> float:
    truth = run.driver.house.truth.ducted["main"]
    loss0, out0, _ = run.ducted_start["main"]
    return (truth.duct_loss_j - loss0) / (truth.heat_output_j + truth.cool_output_j - out0)


@pytest.mark.parametrize("season", ["winter", "summer"])
def test_duct_loss_share(season: Season) -> None:
    """The ASHRAE 152 model, on the measured crawlspace temperature: its steady figure within
    6 pp of the truth (the simulator's ducts here follow the steady equations: no return leaks,
    no heat capacity); its figure for real ducts adds those, so it lies above, in its interval."""
    estimate = section(season, "main")["duct_loss"]
    assert estimate["confidence"] == "medium"
    assert estimate["method"]["id"] == "ashrae152_delivery_effectiveness"
    truth = _duct_loss_truth(runs(season).zoned)
    assert abs(estimate["steady"] - truth) <= 0.06
    assert estimate["steady"] < estimate["raw"]
    assert estimate["low"] <= estimate["raw"] <= estimate["high"]
    # The ductless comparison is kept as a cross-check.
    assert estimate["ductless_reference"] is not None


def _savings_truth(season: Season, system_id: str) -> float:
    r = runs(season)
    zoned = r.zoned.meter.systems[system_id].electrical_j
    return 1.0 - zoned / r.every_room[system_id].meter.systems[system_id].electrical_j


SYSTEM_RUNS = [
    ("winter", "main"),
    ("winter", "upstairs"),
    ("summer", "main"),
    ("summer", "upstairs"),
]


@pytest.mark.parametrize(("season", "system_id"), SYSTEM_RUNS)
def test_zoning_savings_figure_counts_the_blind_spots(season: Season, system_id: str) -> None:
    """The figure (the gap's cost times the blind spots' median ratio) lies in its interval,
    is shown only when the interval is narrower than it, and is nearer the truth than the
    plain line's: the method reads low on this house as on the ones the ratio was set on."""
    estimate = section(season, system_id)["zoning_savings"]
    assert estimate["confidence"] == "low"
    assert estimate["method"]["id"] == "comfort_gap_regression"
    zoned, unzoned = estimate["zoned_kwh"], estimate["unzoned_kwh"]
    figure = (unzoned - zoned) / unzoned
    assert estimate["low"] <= figure <= estimate["high"]
    shown = estimate["high"] - estimate["low"] <= figure
    assert estimate["value"] == (pytest.approx(figure, abs=1e-4) if shown else None)
    assert (estimate["days_to_narrow"] == 0) is shown
    plain_cost = (unzoned - zoned) / SAVINGS_TRUTH_RATIO[1]
    plain = plain_cost / (zoned + plain_cost)
    truth = _savings_truth(season, system_id)
    assert truth > 0.0
    assert abs(figure - truth) < abs(plain - truth)


def test_zoning_savings_interval_holds_the_truth_in_most_runs() -> None:
    """An 80 % interval: the truth inside in at least 3 of the 4 runs."""
    inside = [
        (est := section(season, sid)["zoning_savings"])["low"]
        <= _savings_truth(season, sid)
        <= est["high"]
        for season, sid in SYSTEM_RUNS
    ]
    assert sum(inside) >= 3
