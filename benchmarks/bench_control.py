"""Control quality: Heat Pump Zoning against the controllers a user could otherwise pick.

    .venv/bin/python -m benchmarks.bench_control --days 7

One process, the same simulated weeks (seeded weather per season, the demo house, the demo
schedule of `sim.scenario`), a warm-up day that is not scored, then `--days` scored days:

- Main floor (ducted, four rooms): unzoned holding the occupied setpoint day and night, unzoned
  following the living room's schedule, naive zoning, Heat Pump Zoning.
- Upstairs (two-head mini-split): heads on their own sensors and modes, Heat Pump Zoning.

Baselines drive the simulator directly (`benchmarks/baselines.py`); Heat Pump Zoning runs inside
a test Home Assistant in the same process (`tests/scenarios/bench_in_ha.py`, through pytest, whose
`hass` fixture and frozen clock it needs). Each baseline run pairs a main-floor baseline with the
mini-split baseline, so every run conditions the whole house (the floors exchange heat).

Metrics and targets are described in `sim/scenario.py` and printed with the table; engine
parameters can be overridden through the config entry options, e.g. `--option tolerance=0.5`.
`--engine` runs Heat Pump Zoning's engine directly (`benchmarks/engine_control.py`) instead of
inside Home Assistant: much faster, for comparing other weather seeds (`--seed`).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import asdict
import json
import os
from pathlib import Path
import sys
import tempfile
import time
from typing import Any

from benchmarks import bench_family as family
from benchmarks.baselines import HeadsOnOwn, NaiveZoning, Unzoned
from benchmarks.engine_control import HouseBuilder, run_engine
from sim import House
from sim.scenario import SEASONS, Monitor, Season, SystemScore, build_season_house

STEP_S = 60.0
MAX_CYCLES_PER_HOUR = 3.0
ROOT = Path(__file__).resolve().parent.parent

type Controller = Callable[[House], None]

# Row labels: (system, controller).
HOLD = "unzoned, holds occupied setpoint"
SCHEDULE = "unzoned, follows living-room schedule"
NAIVE = "naive zoning"
HEADS = "heads on own sensors and modes"
HPZ = "Heat Pump Zoning (in HA)"
ENGINE_LABEL = "Heat Pump Zoning (engine only, --engine)"
SYSTEM_NAMES = {"main": "Main floor (ducted)", "upstairs": "Upstairs (mini-split)"}


def run_baseline(
    season: Season,
    ducted: Controller,
    split: Controller,
    days: float,
    warmup_h: float,
    seed: int,
    build: HouseBuilder = build_season_house,
) -> dict[str, SystemScore]:
    """Run one pair of baseline controllers; scores per system (`build`: the house)."""
    house = build(season, days + warmup_h / 24.0, seed)
    monitor = Monitor(house, season, score_from=house.time + warmup_h * 3600.0)
    for _ in range(round((warmup_h + 24.0 * days) * 3600.0 / STEP_S)):
        ducted(house)
        split(house)
        house.step(STEP_S)
        monitor.record(STEP_S)
    return monitor.result()


def run_hpz(
    seasons: list[Season], days: float, warmup_h: float, seed: int, options: dict[str, Any]
) -> dict[str, dict[str, SystemScore]]:
    """Heat Pump Zoning in Home Assistant, through pytest in this process."""
    import pytest

    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))  # `tests.conftest` and the harness are imported from there
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "hpz.json"
        os.environ["HPZ_BENCH"] = json.dumps(
            {
                "seasons": seasons,
                "days": days,
                "warmup_h": warmup_h,
                "seed": seed,
                "options": options,
                "out": str(out),
            }
        )
        code = pytest.main(
            [
                str(ROOT / "tests" / "scenarios" / "bench_in_ha.py"),
                "-q",
                "-p",
                "no:cacheprovider",
                "--rootdir",
                str(ROOT),
                "-o",
                "python_files=bench_in_ha.py",
                "-o",
                "log_level=ERROR",
                "--no-header",
            ]
        )
        raw = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {}
        if code != 0 or set(raw) != set(seasons):
            raise SystemExit(f"Heat Pump Zoning run failed (pytest exit code {code})")
    results: dict[str, dict[str, SystemScore]] = {}
    for season, systems in raw.items():
        results[season] = {sid: SystemScore(**data) for sid, data in systems.items()}
    return results


def _fmt(value: float, digits: int = 1) -> str:
    return f"{value:.{digits}f}"


def table(results: dict[str, dict[tuple[str, str], SystemScore]]) -> str:
    """The Markdown table of every season, system and controller."""
    lines = [
        "| season | system | controller | discomfort K·h (per zone) | energy kWh | "
        "cycles/h | short cycles | low airflow min | mode conflict min |",
        "|---|---|---|---|---:|---:|---:|---:|---:|",
    ]
    for season, rows in results.items():
        for (system, controller), score in rows.items():
            zones = ", ".join(f"{room} {_fmt(v)}" for room, v in score.comfort_kh.items())
            lines.append(
                f"| {season} | {SYSTEM_NAMES.get(system, system)} | {controller} | "
                f"**{_fmt(score.comfort_total_kh)}** ({zones}) | {_fmt(score.energy_kwh)} | "
                f"{_fmt(score.cycles_per_hour, 2)} | {score.short_cycles} | "
                f"{_fmt(score.low_airflow_min, 0)} | {_fmt(score.mode_conflict_min, 0)} |"
            )
    return "\n".join(lines)


def check_targets(results: dict[str, dict[tuple[str, str], SystemScore]]) -> list[str]:
    """Heat Pump Zoning's targets per season and system: one line each, PASS or MISS."""
    lines: list[str] = []
    for season, rows in results.items():
        for system, system_name in SYSTEM_NAMES.items():
            hpz = rows.get((system, HPZ))
            if hpz is None:
                continue
            checks: list[tuple[str, bool, str]] = []
            for (sys_id, controller), score in rows.items():
                if sys_id != system or controller == HPZ:
                    continue
                diff = hpz.comfort_total_kh - score.comfort_total_kh
                checks.append(
                    (
                        f"less discomfort than {controller}",
                        hpz.comfort_total_kh < score.comfort_total_kh
                        or hpz.comfort_total_kh == score.comfort_total_kh == 0.0,
                        f"{_fmt(hpz.comfort_total_kh, 2)} vs {_fmt(score.comfort_total_kh, 2)}"
                        f" K·h ({diff:+.2f})",
                    )
                )
            hold = rows.get((system, HOLD))
            if hold is not None:
                checks.append(
                    (
                        f"less energy than {HOLD}",
                        hpz.energy_kwh < hold.energy_kwh,
                        f"{_fmt(hpz.energy_kwh, 2)} vs {_fmt(hold.energy_kwh, 2)} kWh "
                        f"({100 * (hpz.energy_kwh / hold.energy_kwh - 1):+.0f} %)"
                        if hold.energy_kwh
                        else "n/a",
                    )
                )
            checks += [
                ("zero airflow violations", hpz.low_airflow_min == 0, f"{hpz.low_airflow_min} min"),
                ("zero short cycles", hpz.short_cycles == 0, f"{hpz.short_cycles}"),
                ("zero mode conflicts", hpz.mode_conflict_min == 0, f"{hpz.mode_conflict_min} min"),
                (
                    f"at most {MAX_CYCLES_PER_HOUR:g} cycles per hour",
                    hpz.cycles_per_hour <= MAX_CYCLES_PER_HOUR,
                    f"{hpz.cycles_per_hour:.2f}",
                ),
            ]
            for name, ok, detail in checks:
                verdict = "PASS" if ok else "MISS"
                lines.append(f"{verdict}  {season:8} {system_name:22} {name}: {detail}")
    return lines


def main(argv: list[str] | None = None) -> int:
    """Run every controller on every season and print the table and the target check."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--days", type=float, default=7.0, help="scored days per season")
    parser.add_argument("--warmup-h", type=float, default=24.0, help="unscored warm-up hours")
    parser.add_argument("--seed", type=int, default=1, help="weather seed")
    parser.add_argument("--seasons", default=",".join(SEASONS), help="comma-separated seasons")
    parser.add_argument(
        "--option",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override a Heat Pump Zoning option (e.g. tolerance=0.5, min_run_minutes=8)",
    )
    parser.add_argument("--json", type=Path, help="also write the scores to this file")
    parser.add_argument(
        "--engine",
        action="store_true",
        help="run Heat Pump Zoning's engine directly instead of inside Home Assistant (faster)",
    )
    parser.add_argument(
        "--family",
        type=int,
        metavar="N",
        help="run N variants of the equipment family per season (engine; median and worst)",
    )
    args = parser.parse_args(argv)
    seasons: list[Season] = [s for s in SEASONS if s in args.seasons.split(",")]
    options = {k: json.loads(v) for k, v in (o.split("=", 1) for o in args.option)}
    if args.family:
        return print_family(seasons, args.family, args.days, args.warmup_h, args.seed, options)

    started = time.perf_counter()
    results: dict[str, dict[tuple[str, str], SystemScore]] = {s: {} for s in seasons}
    for season in seasons:
        for label, ducted in (
            (HOLD, Unzoned(season, follow_schedule=False)),
            (SCHEDULE, Unzoned(season, follow_schedule=True)),
            (NAIVE, NaiveZoning(season)),
        ):
            scores = run_baseline(
                season, ducted, HeadsOnOwn(season), args.days, args.warmup_h, args.seed
            )
            results[season][("main", label)] = scores["main"]
            if label == NAIVE:
                results[season][("upstairs", HEADS)] = scores["upstairs"]
    baseline_s = time.perf_counter() - started
    run = run_engine if args.engine else run_hpz
    hpz = run(seasons, args.days, args.warmup_h, args.seed, options)
    for season in seasons:
        for system, score in hpz[season].items():
            results[season][(system, HPZ)] = score
    ordered = {
        season: dict(sorted(rows.items(), key=lambda kv: (kv[0][0], kv[0][1] == HPZ)))
        for season, rows in results.items()
    }
    total_s = time.perf_counter() - started

    print()
    print(
        f"Control benchmark: demo house, seed {args.seed}, {args.days:g} scored days per season "
        f"after {args.warmup_h:g} h warm-up; options {options or 'default'}"
    )
    text = table(ordered)
    lines = check_targets(ordered)
    if args.engine:
        text = text.replace(HPZ, ENGINE_LABEL)
    print(text)
    print()
    print("\n".join(lines))
    misses = sum(line.startswith("MISS") for line in lines)
    print(f"\n{misses} target(s) missed; baselines {baseline_s:.0f} s, total {total_s:.0f} s")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    season: {
                        f"{s}|{ENGINE_LABEL if args.engine and c == HPZ else c}": asdict(score)
                        for (s, c), score in rows.items()
                    }
                    for season, rows in ordered.items()
                },
                indent=1,
            ),
            encoding="utf-8",
        )
    return 0


def print_family(
    seasons: list[Season],
    variants: int,
    days: float,
    warmup_h: float,
    seed: int,
    options: dict[str, Any],
) -> int:
    """`--family`: every controller over `variants` members of the equipment family."""
    started = time.perf_counter()
    results: dict[str, family.Runs] = {
        season: family.run_family(season, variants, days, warmup_h, seed, options, run_baseline)
        for season in seasons
    }
    print()
    print(
        f"Equipment family: {variants} variants per season (seed {seed}), {days:g} scored days "
        f"after {warmup_h:g} h warm-up; options {options or 'default'}; median / worst variant"
    )
    print(family.table(results))
    print()
    lines = [
        check.line(season, system)
        for season, runs in results.items()
        for system in family.SYSTEM_NAMES
        for check in family.checks(runs, system, days)
    ]
    print("\n".join(lines))
    misses = sum(line.startswith("MISS") for line in lines)
    print(f"\n{misses} target(s) missed; {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
