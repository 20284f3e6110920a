"""The unmetered-energy benchmark on short runs: its figures and what they must show."""

from __future__ import annotations

from benchmarks.bench_energy import Result, outdoor_minimum, run_one, table, verdicts


def test_a_short_run_scores_both_systems_and_the_old_estimate() -> None:
    results = run_one(("demo", "winter", 1, 1))
    assert {r.system for r in results} == {"main", "upstairs"}
    split = next(r for r in results if r.system == "upstairs")
    ducted = next(r for r in results if r.system == "main")
    # The old estimate books the rating whenever a head runs: several times the truth.
    assert split.old > 2.0 * split.truth
    assert abs(split.error) < 0.4
    assert split.low <= split.estimate <= split.high
    assert split.covered
    # A single-stage unit's estimate is the old one; its interval holds the truth too.
    assert ducted.estimate == ducted.old
    assert ducted.covered
    lines = table(results)
    assert len(lines) == 2 + 4  # header, rule, per season and over all, for two systems
    assert len(verdicts(results)) == 2


def test_family_outdoor_minimum_is_drawn_in_range_and_scored() -> None:
    draws = [outdoor_minimum(i) for i in range(20)]
    assert all(0.25 <= d <= 0.5 for d in draws)
    assert len(set(draws)) == 20
    results = [
        Result("family", "winter", "v", "upstairs", 10.0, 12.0, 8.0, 13.0, 30.0),
        Result("family", "summer", "v", "upstairs", 10.0, 14.0, 11.0, 15.0, 30.0),
    ]
    assert results[0].covered and not results[1].covered
    verdict = verdicts(results)[0]
    assert verdict.startswith("MISS") and "50 %" in verdict
