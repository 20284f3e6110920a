"""`bench_control --family`: the runs, the table and the target checks, on a short day."""

from __future__ import annotations

from benchmarks import bench_family as family
from benchmarks.bench_control import run_baseline
from sim.scenario import SystemScore


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
