"""`bench_control --family`: the runs, the table and the target checks, on a short day."""

from __future__ import annotations

import pytest

from benchmarks import bench_family as family
from benchmarks.bench_control import run_baseline
from sim.scenario import PERIODS, Monitor, SystemScore, ZonePlan, build_season_house


def test_a_short_family_run_has_every_controller_table_and_check() -> None:
    """Two variants, three hours each: every row, every check, commands counted."""
    runs = family.run_family("winter", 2, 0.125, 1.0, 1, {}, run_baseline)
    assert set(runs) == {
        ("main", family.HOLD),
        ("main", family.SCHEDULE),
        ("main", family.NAIVE),
        ("upstairs", family.HEADS),
        ("main", family.HPZ),
        ("upstairs", family.HPZ),
        ("main", family.HPZ_HELD),
        ("upstairs", family.HPZ_HELD),
    }
    assert all(len(scores) == 2 for scores in runs.values())
    ours = runs[("main", family.HPZ)]
    assert all(score.commands_per_day for score in ours)
    text = family.table({"winter": runs})
    assert text.count("\n") == len(runs) + 1
    lines = [
        c.line("winter", s) for s in ("main", "upstairs") for c in family.checks(runs, s, 0.125)
    ]
    assert all(line.startswith(("PASS", "MISS")) for line in lines)
    assert any("damper moves per day" in line for line in lines)


def test_best_baseline_is_a_safe_one() -> None:
    """A baseline below the airflow minimum or with short cycles is no bar to clear."""
    assert family.safe(SystemScore("main"))
    assert not family.safe(SystemScore("main", low_airflow_min=3.0))
    assert not family.safe(SystemScore("main", short_runs=1))
    check = family.Check("x", (0.1, 0.5, 0.2), 0.3)
    assert check.line("winter", "main").startswith("MISS")
    assert "2/3 variants" in check.line("winter", "main")


def test_past_discomfort_is_on_the_side_the_mode_moves_towards() -> None:
    """Too warm while heating is past; too cold while heating is short; heat_cool has none."""
    always = frozenset(name for name, _ in PERIODS)
    plans = {"living": ZonePlan("living", always, home=(21.0, 24.0))}
    for season, temperature, past in (
        ("winter", 23.0, True),  # 1.5 K above 21 + 0.5: the sun, or overshoot
        ("winter", 19.0, False),  # 1.5 K below: heating can act
        ("summer", 22.0, True),  # 1.5 K below 24 - 0.5 while cooling
        ("summer", 26.0, False),
        ("shoulder", 26.0, False),  # heat_cool can act on both sides
    ):
        house = build_season_house(season, 1.0)
        monitor = Monitor(house, season, plans, score_from=house.time - 60.0)
        house._t[house.rooms["living"].index] = temperature
        monitor.record(60.0)
        score = next(s for s in monitor.scores.values() if "living" in s.comfort_kh)
        assert score.comfort_kh["living"] == pytest.approx(1.5 / 60.0)
        assert score.past_kh == pytest.approx(1.5 / 60.0 if past else 0.0)
        assert score.short_kh == pytest.approx(0.0 if past else 1.5 / 60.0)
