"""The savings-interval benchmark on a short run: its rows, coverage and table."""

from __future__ import annotations

from functools import partial

from benchmarks.bench_savings import ENERGY_STAR, ZONING, Row, run_house, summary
from benchmarks.engine_bridge import build_season_house
from engine.report.estimates import SAVINGS_PRIOR


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
