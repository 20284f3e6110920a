"""Speed benchmark of the house simulator.

Run from the repository root::

    .venv/bin/python -m benchmarks.bench_sim            # full: one simulated year
    .venv/bin/python -m benchmarks.bench_sim --days 30  # quicker
    .venv/bin/python -m benchmarks.bench_sim --check    # exit 1 if over budget

Budget (issue): a simulated year of the 10-room house at 60 s steps in under 60 s of
wall time on one core. Baselines run in the same process: the same house with the
equipment off (thermal network only) and with a naive 10 s step, plus the demo house.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path
import sys
import time

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sim import (
    House,
    build_demo_house,
    build_ten_room_house,
    kwh,
    synthetic_weather,
)

YEAR_BUDGET_WALL_S = 60.0
DAY_S = 86400.0


@dataclass
class Result:
    """One benchmark row."""

    house: str
    equipment: str
    days: float
    step_s: float
    wall_s: float
    house_obj: House

    @property
    def speed(self) -> float:
        """Simulated seconds per wall second."""
        return self.days * DAY_S / self.wall_s

    @property
    def us_per_step(self) -> float:
        """Wall microseconds per step."""
        return self.wall_s / (self.days * DAY_S / self.step_s) * 1e6

    @property
    def year_wall_s(self) -> float:
        """Wall seconds a 365-day run would take at this speed."""
        return 365.0 * DAY_S / self.speed


def seasonal_control(house: House) -> None:
    """Daily: heat below 16 °C daily mean outdoor, cool above 20 °C, off in between.
    All rooms get 21 °C (heat) / 24 °C (cool); dampers stay open."""
    w = house.weather
    mean = sum(w.temperature_at(house.time + h * 3600.0) for h in range(24)) / 24.0
    mode, setpoint = (
        ("heat", 21.0) if mean < 16.0 else ("cool", 24.0) if mean > 20.0 else ("off", 21.0)
    )
    for unit in (*house.ducted.values(), *house.heads.values()):
        unit.set_mode(mode)
        unit.set_setpoint(setpoint)


def run(house: House, name: str, days: float, step_s: float, equipment: bool) -> Result:
    """Run ``days`` in daily chunks (the controller acts between chunks)."""
    whole = int(days)
    t0 = time.perf_counter()
    for _ in range(whole):
        if equipment:
            seasonal_control(house)
        house.run(DAY_S, step_s)
    rest = days - whole
    if rest > 0:
        house.run(rest * DAY_S, step_s)
    wall = time.perf_counter() - t0
    return Result(name, "on" if equipment else "off", days, step_s, wall, house)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=float, default=365.0, help="simulated days (default 365)")
    parser.add_argument(
        "--naive-days", type=float, default=None, help="days of the 10 s baseline (default days/12)"
    )
    parser.add_argument("--check", action="store_true", help="exit 1 if over the budget")
    args = parser.parse_args(argv)
    days = args.days
    naive_days = args.naive_days if args.naive_days is not None else max(1.0, round(days / 12.0))
    weather = synthetic_weather("year", max(365, int(days) + 1), seed=1)

    results = [
        run(build_ten_room_house(weather), "ten_room", days, 60.0, equipment=True),
        run(build_ten_room_house(weather), "ten_room", days, 60.0, equipment=False),
        run(build_ten_room_house(weather), "ten_room", naive_days, 10.0, equipment=True),
        run(build_demo_house(weather), "demo", days, 60.0, equipment=True),
    ]

    header = (
        f"{'house':<9} {'equip':<5} {'sim days':>8} {'step s':>6} {'wall s':>8} "
        f"{'sim-s/wall-s':>12} {'us/step':>8} {'year wall s':>11}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        print(
            f"{r.house:<9} {r.equipment:<5} {r.days:>8.0f} {r.step_s:>6.0f} {r.wall_s:>8.2f} "
            f"{r.speed:>12.0f} {r.us_per_step:>8.1f} {r.year_wall_s:>11.1f}"
        )
    main_run, off_run, naive_run = results[0], results[1], results[2]
    print()
    print(f"equipment overhead vs thermal network only: {main_run.wall_s / off_run.wall_s:.2f}x")
    print(
        "60 s step vs naive 10 s step, per simulated day: "
        f"{naive_run.wall_s / naive_run.days / (main_run.wall_s / main_run.days):.2f}x faster"
    )
    truth = main_run.house_obj.truth
    for sid, d in truth.ducted.items():
        share = d.duct_loss_j / d.heat_output_j if d.heat_output_j else 0.0
        print(
            f"{sid}: {kwh(d.electrical_j):.0f} kWh electric, heat {kwh(d.heat_output_j):.0f} kWh, "
            f"cool {kwh(d.cool_output_j):.0f} kWh, duct loss {kwh(d.duct_loss_j):.0f} kWh "
            f"({share:.0%} of heat output), {d.cycles.starts} starts, "
            f"{d.cycles.short_cycles} short cycles"
        )
    for sid, m in truth.minisplits.items():
        print(
            f"{sid}: {kwh(m.electrical_j):.0f} kWh electric, heat {kwh(m.heat_output_j):.0f} kWh, "
            f"cool {kwh(m.cool_output_j):.0f} kWh, {m.cycles.starts} starts, "
            f"below-minimum {m.below_minimum_s / 3600.0:.0f} h"
        )
    err = main_run.house_obj.energy_balance_error_j()
    print(f"energy balance error over the run: {err:.3g} J")
    year_wall = main_run.year_wall_s
    ok = year_wall < YEAR_BUDGET_WALL_S
    print(
        f"budget: one year of the 10-room house at 60 s steps: {year_wall:.1f} s "
        f"(limit {YEAR_BUDGET_WALL_S:.0f} s) -> {'PASS' if ok else 'FAIL'}"
    )
    return 0 if ok or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())
