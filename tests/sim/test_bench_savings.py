"""The savings-interval benchmark on a short run: its rows, coverage and table."""

from __future__ import annotations

from functools import partial

import pytest

from benchmarks.bench_savings import (
    ENERGY_STAR,
    ZONING,
    Row,
    _truth_ratio,
    ratio_line,
    run_house,
    summary,
)
from benchmarks.engine_bridge import build_season_house
from engine.report.estimates import SAVINGS_PRIOR, SAVINGS_TRUTH_RATIO
from sim.houses import floors_apart


def test_a_short_run_scores_both_methods_for_both_systems() -> None:
    rows = run_house("demo s1", partial(build_season_house, "winter", 5, 1), "winter", 3)
    assert {(r.method, r.system, r.days) for r in rows} == {
        (method, system, 3) for method in (ZONING, ENERGY_STAR) for system in ("main", "upstairs")
    }
    for row in rows:
        assert -0.5 < row.truth < 0.5
        assert row.value is None  # three days: only a range, if any
    zoning = [r for r in rows if r.method == ZONING]
    assert all((r.low, r.high) == SAVINGS_PRIOR for r in zoning)  # the prior before a fit
    assert all(r.covered for r in zoning if SAVINGS_PRIOR[0] <= r.truth <= SAVINGS_PRIOR[1])
    star = [r for r in rows if r.method == ENERGY_STAR]
    assert all(r.low is None and not r.covered for r in star)  # a week of core days first
    (line,) = summary(zoning, "zoning | demo")
    assert line.startswith("| zoning | demo | 3 | 2 |")


def test_coverage_is_scored_against_its_band() -> None:
    def row(truth: float) -> Row:
        return Row(ZONING, "winter", "h", "main", 7, truth, None, 0.05, 0.15, None)

    inside = [row(0.1)] * 4
    assert "(100 %) MISS" in summary(inside, "x")[0]  # too wide: every run inside
    mixed = [row(0.1)] * 4 + [row(0.2)]
    assert "4 (80 %) PASS" in summary(mixed, "x")[0]


def test_the_truth_ratio_is_read_against_the_plain_line() -> None:
    """The report's gap cost includes the blind spots' median ratio; the ratio the benchmark
    prints is against the plain line's, for fitted sections only."""
    mid = SAVINGS_TRUTH_RATIO[1]
    fitted = {"fits": {"heat": {}}, "notes": [], "zoned_kwh": 90.0, "unzoned_kwh": 90.0 + mid * 10}
    assert _truth_ratio(fitted, 20.0 / 110.0) == pytest.approx(2.0)  # a 20 kWh gap truly
    assert _truth_ratio({**fitted, "fits": {}}, 0.1) is None  # the prior: nothing fitted
    unlearnt = {**fitted, "notes": ["cool: what a degree costs could not be learnt (...)"]}
    assert _truth_ratio(unlearnt, 0.1) is None

    def row(days: int, ratio: float | None) -> Row:
        return Row(ZONING, "winter", "h", "main", days, 0.1, 0.1, 0.05, 0.15, 0, ratio)

    rows = [row(30, float(r)) for r in range(1, 12)] + [row(30, None), row(7, 100.0)]
    line = ratio_line(rows)
    assert "at 30 days, 11 fitted lines: 10th percentile 2.00, median 6.00, 90th 10.00" in line
    assert "too few fitted lines" in ratio_line([row(30, 1.0)])
    assert summary(rows, "x")[-2].endswith("| 12 | 1.00 |")  # every value shown, on the truth


def test_floors_apart_keep_only_each_floors_own_links() -> None:
    house = build_season_house("winter", 2, 1)
    apart = floors_apart(house)
    storey = {room.id: room.storey for room in house.spec.rooms}
    assert any(storey[link.a] != storey[link.b] for link in house.spec.links)
    assert all(storey[link.a] == storey[link.b] for link in apart.spec.links)
    assert len(apart.spec.links) < len(house.spec.links)
    assert apart.weather is house.weather


def test_a_run_with_the_floors_apart_reports_each_system_alone() -> None:
    build = partial(build_season_house, "winter", 5, 1)
    rows = run_house("demo s1", build, "winter", 3, alone=True)
    shared = run_house("demo s1", build, "winter", 3)
    assert {(r.method, r.system) for r in rows} == {(r.method, r.system) for r in shared}
    # the floors no longer share their heat: the truths move
    assert [r.truth for r in rows] != pytest.approx([r.truth for r in shared])
