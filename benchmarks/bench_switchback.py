"""Could zoning savings be measured directly? Reference blocks ("switchback") in the simulator.

Run: .venv/bin/python -m benchmarks.bench_switchback [--days 30] [--warmup 2] [--seed 1]
     [--blocks 1,3,7]

The zoning-savings estimate (`comfort_gap_regression`) misses the ±20 % target
(docs/BENCHMARKS.md). The usual way to *measure* a control change in a building is a switchback
experiment: alternate blocks of days with and without the change and compare the energy after
allowing for the weather. This benchmark asks whether Heat Pump Zoning could do that instead: run
one system in "every room" mode (each of its zones held at the most demanding target of its
plans, as `bench_accuracy`'s truth) on alternate blocks of ``L`` days and zoned on the others,
with the other system zoned throughout, and estimate the savings from that one month.

Estimate: the daily energy of the system from its ledger, fitted by least squares as
``E_d = a + b·T_out,d + c·ref_d`` over the kept days (with blocks longer than one day the first
day of each block is dropped, as the building's mass carries the previous block into it). The
savings over the window are ``c·N / (sum_d (a + b·T_out,d) + c·N)``, with the standard error of
``c`` from the fit. Truth as `bench_accuracy`: ``1 - E_zoned / E_every_room`` from two full runs
in the same weather.

The "carry" columns show the carry-over: the energy on the kept reference (zoned) days over what
the full every-room (zoned) run used on the same days; 1.000 would be none.
"""

from __future__ import annotations

import argparse
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
import sys
import time

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bench_accuracy import STEP_S, OneSystemBaseline
from benchmarks.engine_bridge import EngineDriver, Season, build_season_house
from engine.ledger.degree_days import local_date
from engine.model import ZoneSettings

TARGET = 0.20  # bench_accuracy's zoning-savings target, relative to the truth
SYSTEMS = ("main", "upstairs")

# One day of one system: (local date ordinal, outdoor mean °C, electrical kWh)
Day = tuple[int, float, float]


class Switchback(EngineDriver):
    """`EngineDriver` where ``system`` conditions every room on alternate blocks of days."""

    def __init__(self, *args: object, system: str, block: int, **kwargs: object) -> None:
        """As `EngineDriver`, plus the system in the experiment and the block length in days."""
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.system = system
        self.block = block

    def reference(self, ordinal: int) -> bool:
        """Whether the local date is in a reference ("every room") block."""
        return (ordinal // self.block) % 2 == 0

    def settings_now(self, system_id: str) -> dict[str, ZoneSettings]:
        """Every room on reference blocks for the experiment's system, plans otherwise."""
        today = local_date(self.house.time, self.tz).toordinal()
        if system_id != self.system or not self.reference(today):
            return super().settings_now(system_id)
        self.baseline = "every_room"
        try:
            return super().settings_now(system_id)
        finally:
            self.baseline = None


def days_of(driver: EngineDriver, days: int, warmup: int) -> dict[str, list[Day]]:
    """Warm up, book ``days`` days and return each system's daily energy."""
    house = driver.house
    driver.run(warmup * 86400.0, STEP_S)
    driver.start_booking()
    start = house.time
    driver.run(days * 86400.0, STEP_S)
    driver.finish()
    first, last = local_date(start, driver.tz), local_date(house.time - 1.0, driver.tz)
    out: dict[str, list[Day]] = {}
    for sid, system in driver.systems.items():
        out[sid] = [
            (b.date.toordinal(), b.system.outdoor_mean or 0.0, sum(b.system.kwh.values()))
            for b in system.ledger.days(first, last)
        ]
    return out


def run(args: tuple[str, Season, str, int, int, int, int]) -> dict[str, list[Day]]:
    """One simulation: ``kind`` "zoned", "every_room" (of ``system``) or "switchback"."""
    kind, season, system, block, days, warmup, seed = args
    house = build_season_house(season, days + warmup, seed)
    if kind == "zoned":
        driver: EngineDriver = EngineDriver(house, season)
    elif kind == "every_room":
        driver = OneSystemBaseline(house, season, baseline="every_room", only=system)
    else:
        driver = Switchback(house, season, system=system, block=block)
    return days_of(driver, days, warmup)


@dataclass(slots=True)
class Result:
    """One switchback estimate against the truth."""

    truth: float
    value: float
    se: float
    kept: tuple[int, int]
    carry: tuple[float, float]


def estimate(zoned: list[Day], every: list[Day], switch: list[Day], block: int) -> Result:
    """Fit the switchback days and compare with the two full runs (see module docstring)."""
    e_zoned = np.array([d[2] for d in zoned])
    e_every = np.array([d[2] for d in every])
    ordinal = np.array([d[0] for d in switch])
    outdoor = np.array([d[1] for d in switch])
    energy = np.array([d[2] for d in switch])
    ref = (ordinal // block) % 2 == 0
    keep = ordinal % block != 0 if block > 1 else np.ones_like(ref)
    x = np.column_stack([np.ones(int(keep.sum())), outdoor[keep], ref[keep].astype(float)])
    coef, *_ = np.linalg.lstsq(x, energy[keep], rcond=None)
    resid = energy[keep] - x @ coef
    dof = max(1, len(resid) - x.shape[1])
    cov = np.linalg.pinv(x.T @ x) * float(resid @ resid) / dof
    n = len(energy)
    zoned_fit = float((coef[0] + coef[1] * outdoor).sum())
    saved = float(coef[2]) * n
    total = zoned_fit + saved
    return Result(
        truth=1.0 - float(e_zoned.sum() / e_every.sum()),
        value=saved / total,
        se=float(np.sqrt(cov[2, 2])) * n / total,
        kept=(int((ref & keep).sum()), int((~ref & keep).sum())),
        carry=(
            float(energy[ref & keep].sum() / e_every[ref & keep].sum()),
            float(energy[~ref & keep].sum() / e_zoned[~ref & keep].sum()),
        ),
    )


def main() -> None:
    """Run every season, system and block length; print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--blocks", default="1,3,7", help="block lengths in days")
    args = parser.parse_args()
    blocks = [int(b) for b in args.blocks.split(",")]
    seasons: tuple[Season, ...] = ("winter", "summer")
    common = (args.days, args.warmup, args.seed)
    jobs: list[tuple[str, Season, str, int, int, int, int]] = []
    for season in seasons:
        jobs.append(("zoned", season, "", 1, *common))
        for system in SYSTEMS:
            jobs.append(("every_room", season, system, 1, *common))
            jobs.extend(("switchback", season, system, block, *common) for block in blocks)
    began = time.perf_counter()
    with ProcessPoolExecutor(max_workers=2) as pool:
        results = dict(zip(jobs, pool.map(run, jobs), strict=True))
    print(f"{args.days} days after {args.warmup} warm-up days, seed {args.seed}\n")
    print(
        "| season | system | blocks of | truth | switchback estimate ± s.e. | error "
        "| target | result | kept days (ref / zoned) | carry ref / zoned |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---|---:|---:|")
    passes = misses = 0
    for season in seasons:
        zoned = results[("zoned", season, "", 1, *common)]
        for system in SYSTEMS:
            every = results[("every_room", season, system, 1, *common)][system]
            for block in blocks:
                switch = results[("switchback", season, system, block, *common)][system]
                r = estimate(zoned[system], every, switch, block)
                error = (r.value - r.truth) / r.truth
                ok = abs(error) <= TARGET
                passes += ok
                misses += not ok
                print(
                    f"| {season} | {system} | {block} d | {100 * r.truth:.1f} % "
                    f"| {100 * r.value:.1f} ± {100 * r.se:.1f} % | {100 * error:+.0f} % "
                    f"| ±{100 * TARGET:.0f} % | {'PASS' if ok else 'MISS'} "
                    f"| {r.kept[0]} / {r.kept[1]} | {r.carry[0]:.3f} / {r.carry[1]:.3f} |",
                    flush=True,
                )
    print(f"\n{passes} PASS, {misses} MISS; {time.perf_counter() - began:.0f} s")


if __name__ == "__main__":
    main()
