"""Accuracy of the runtime ledger and the report's estimates against the simulator's truth.

Run: .venv/bin/python -m benchmarks.bench_accuracy [--days 30] [--warmup 2] [--seed 1]
     [--season winter|summer|both] [--lagged]

For each season the demo house (ducted main floor: living, kitchen, bedroom, office behind
dampers; 2-head mini-split upstairs: bedroom2, study) runs ``--warmup`` days and then ``--days``
days of seeded synthetic weather at 60 s steps, each system driven by the engine `Controller`
through `benchmarks.engine_bridge` (zones follow `DEMO_PLANS`: home setpoints 21 °C heat /
24 °C cool while occupied and one hour before, eco 18 / 27 otherwise). Every step is booked into one
`Ledger` per system with `system_sample` (the HA layer's function) and the sim's electrical
power; the measured window is then reported with `build_report`.

Truth (simulator ground truth over the measured window, see `benchmarks.engine_bridge.TruthMeter`):

- runtime attribution, ducted: the unit's runtime x the room's share of the delivered air
  (design CFM x damper position over the open total) at each step. Mini-split: the outdoor
  unit's runtime x the head's share of the heads' output at each step ("attributed"), and the
  head's own runtime (seconds it delivered; the ledger's ``conditioned`` time, "own").
- per-zone energy: the system's electrical energy of each step x the room's share of the heat
  (or cooling) the system delivered that step (ducted: from the room's truth accumulator;
  mini-split: the head's share of output).
- duct-loss share: ``duct_loss_j / output_j`` of the ducted unit (heat lost in the crawlspace
  over the coil's sensible output). The report is given the crawlspace's temperature sensor as
  the demo configures it (`benchmarks/bench_ducts.py` covers attic ducts and no sensor).
- zoning savings, per system: the same weather and house run again with *this system
  conditioning every room* (`only=<system>`): the same controller and zones, each of its zones
  holding at every moment the most demanding setpoint of the system's schedules (21 °C heat /
  24 °C cool nearly all day here), while the other systems run zoned exactly as in the measured
  run. Savings = 1 - E_zoned / E_every_room (electrical energy); the runtime ratio is shown too,
  and for a ducted unit the heat it delivered to the rooms (coil output less duct losses), which
  separates the heat saved from the unit's efficiency in each run.
  This is what the estimate claims ("the energy this system would have used conditioning every
  room vs what it used").
  Until 2026-11 the truth ran *every system* of the house at once in every-room mode. That is not
  the counterfactual of a per-system estimate: the floors exchange heat (ceiling, stairs), so the
  mini-split's setbacks upstairs were booked as the ducted floor's "zoning savings" (30 days,
  seed 1: ducted floor in summer -1.8 % with the whole house in every-room mode, +5.5 % with
  only the ducted floor; winter 8.5 % vs 10.8 %; mini-split 15.9 vs 19.6 % summer, 5.4 vs 11.3 %
  winter). The whole-house figure is still printed ("house-wide") for reference.
  Also for reference only, a *conventional unzoned* run: the ducted unit as one zone in the
  thermostat room owning every damper (all open while it runs) at that same setpoint. It does not
  condition every room (rooms far from the thermostat run cooler in winter), so it is no
  counterfactual for the estimate; its energy is printed so readers can compare.

Energy is booked from the systems' power sensors here; the estimate a system without one gets
(part load, with its interval) is scored by `benchmarks.bench_energy`.

The mini-split's heads report their metered electrical power (`sim.ha`'s per-head power
sensors, whole watts), which the ledger uses as each running head's share. Two attribution
baselines are booked from the same run (rows marked "baseline", not counted as PASS/MISS):
"equal split" (heads without output sensors: the outdoor unit shared equally between the heads
that run) and "level %" (heads reporting an output level in % of their own capacity).

Errors: runtime and energy relative to truth (targets 2 % and 10 %), duct loss in percentage
points (5 pp); zoning savings by their 80 % interval (issue 15: PASS when it holds the truth;
the ±20 % target for a point estimate was withdrawn). Naive baselines from the same run: equal split
of the system's runtime/energy across its zones; duct loss = the US DOE 30 % figure; savings =
30 % (a common vendor claim, not a measurement).
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from datetime import date
from pathlib import Path
import sys
import time
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.engine_bridge import (
    Attribution,
    Baseline,
    EngineDriver,
    Season,
    TruthMeter,
    build_season_house,
    report_inputs,
)
from engine.ledger.degree_days import local_date
from engine.model import ZoneSettings
from engine.report.build import build_report
from engine.report.estimates import duct_prior
from sim.truth import kwh

TARGETS = {"runtime": 0.02, "energy": 0.10, "duct_pp": 5.0, "savings": 0.20}
NAIVE_DUCT_LOSS = 0.30  # DOMAIN.md: US DOE, 25-40 % (and EPA: up to 30 %)
NAIVE_SAVINGS = 0.30  # the "up to 30 %" zoning claim often repeated by vendors (not a source)
DUCT_LOCATION = "crawlspace"  # the demo house's ducts
DUCT_LEAKAGE = "typical"
STEP_S = 60.0
ATTRIBUTION_LABELS: dict[Attribution, str] = {
    "equal": "attributed, baseline: equal split",
    "level": "attributed, baseline: level %",
}
# name -> (baseline, the only system it applies to; None: every system)
RUNS: dict[str, tuple[Baseline | None, str | None]] = {
    "zoned": (None, None),
    "every room main": ("every_room", "main"),
    "every room upstairs": ("every_room", "upstairs"),
    "every room house-wide": ("every_room", None),
    "one zone": ("one_zone", None),
}


class OneSystemBaseline(EngineDriver):
    """An `EngineDriver` whose baseline applies to one system; the others follow their plans."""

    def __init__(self, *args: Any, only: str, **kwargs: Any) -> None:
        """As `EngineDriver`, plus ``only``: the system that runs the baseline."""
        super().__init__(*args, **kwargs)
        self.only = only

    def settings_now(self, system_id: str) -> dict[str, ZoneSettings]:
        """The baseline's settings for ``only``, the zones' own plans elsewhere."""
        if system_id == self.only:
            return super().settings_now(system_id)
        baseline, self.baseline = self.baseline, None
        try:
            return super().settings_now(system_id)
        finally:
            self.baseline = baseline


@dataclass(slots=True)
class Run:
    """One closed-loop run over the measured window."""

    driver: EngineDriver
    meter: TruthMeter
    ducted_start: dict[str, tuple[float, float, float]]  # loss, output, electrical at start
    first: date
    last: date
    seconds: float


def simulate(
    season: Season,
    days: int,
    warmup: int,
    seed: int,
    *,
    baseline: Baseline | None,
    lagged: bool,
    only: str | None = None,
) -> Run:
    """Warm up, then run and book ``days`` days (``only``: the one system the baseline runs)."""
    house = build_season_house(season, days + warmup, seed)
    driver = (
        EngineDriver(
            house, season, baseline=baseline, lagged=lagged, attribution_baselines=baseline is None
        )
        if only is None
        else OneSystemBaseline(house, season, baseline=baseline, lagged=lagged, only=only)
    )
    began = time.perf_counter()
    driver.run(warmup * 86400.0, STEP_S)
    driver.start_booking()
    meter = TruthMeter(house)
    truth = house.truth.ducted
    start = {
        sid: (t.duct_loss_j, t.heat_output_j + t.cool_output_j, t.electrical_j)
        for sid, t in truth.items()
    }
    t0 = house.time
    driver.run(days * 86400.0, STEP_S, meter)
    driver.finish()
    tz = driver.tz
    return Run(
        driver,
        meter,
        start,
        local_date(t0, tz),
        local_date(house.time - 1.0, tz),
        time.perf_counter() - began,
    )


def report(run: Run) -> dict[str, Any]:
    """The integration's report over the measured window."""
    inputs = report_inputs(run.driver, location=DUCT_LOCATION, leakage=DUCT_LEAKAGE)
    return build_report(inputs, run.first, run.last)


def delivered_j(run: Run, system_id: str) -> float:
    """Heat (or cooling) a ducted unit delivered to its rooms over the run's window."""
    truth = run.driver.house.truth.ducted[system_id]
    loss, output, _ = run.ducted_start[system_id]
    return truth.heat_output_j + truth.cool_output_j - output - (truth.duct_loss_j - loss)


def rel(value: float, truth: float) -> float:
    """Relative error (value - truth) / truth."""
    return (value - truth) / truth if truth else float("inf") if value else 0.0


class Table:
    """Markdown rows: metric, zone, truth, ledger, error, target, result, naive, naive error."""

    def __init__(self) -> None:
        """Start with the header."""
        self.rows: list[tuple[str, ...]] = []
        self.passes = 0
        self.misses = 0

    def add(
        self,
        metric: str,
        zone: str,
        truth: str,
        value: str,
        error: float | None,
        target: float,
        unit: str,
        naive: str,
        naive_error: float | None,
        *,
        counted: bool = True,
        holds: bool | None = None,
    ) -> None:
        """Add a row; ``error`` and ``target`` in ``unit`` ("%" relative or "pp").

        ``counted=False``: a baseline row, shown with its error but not scored. ``holds``: an
        estimate scored by its interval (issue 15): PASS when the truth lies inside it.
        """
        target_text = f"±{target:g} {unit}"
        if holds is not None:
            result = "PASS" if holds else "MISS"
            err = "n/a" if error is None else f"{error:+.1f} {unit}"
            target_text = "in 80 % interval"
        elif error is None:
            result, err = "MISS (no value)", "n/a"
        else:
            result = "PASS" if abs(error) <= target else "MISS"
            err = f"{error:+.1f} {unit}"
        if not counted:
            result = "baseline"
        elif result == "PASS":
            self.passes += 1
        else:
            self.misses += 1
        n_err = "n/a" if naive_error is None else f"{naive_error:+.1f} {unit}"
        self.rows.append((metric, zone, truth, value, err, target_text, result, naive, n_err))

    def print(self) -> None:
        """Print as a Markdown table."""
        header = (
            "metric",
            "zone",
            "truth",
            "ledger/report",
            "error",
            "target",
            "result",
            "naive",
            "naive error",
        )
        widths = [max(len(r[i]) for r in [header, *self.rows]) for i in range(len(header))]
        line = "| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |"
        print(line)
        print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
        for row in self.rows:
            print("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |")


def season_table(
    zoned: Run, every_room: dict[str, Run], house_wide: Run, one_zone: Run, rep: dict[str, Any]
) -> Table:
    """Compare one season's ledgers and report with the truth."""
    table = Table()
    house = zoned.driver.house
    sections = {s["system_id"]: s for s in rep["systems"]}
    for sid, meter in zoned.meter.systems.items():
        ledger = zoned.driver.ledger(sid)
        ducted = sid in house.ducted
        zones = list(meter.rooms)
        n = len(zones)
        life = ledger.lifetime()
        table.add(
            f"{sid}: system runtime h",
            "all",
            f"{meter.runtime_s / 3600:.2f}",
            f"{life['runtime_s'] / 3600:.2f}",
            100 * rel(life["runtime_s"], meter.runtime_s),
            100 * TARGETS["runtime"],
            "%",
            "",
            None,
        )
        table.add(
            f"{sid}: system energy kWh",
            "all",
            f"{kwh(meter.electrical_j):.2f}",
            f"{life['kwh']:.2f}",
            100 * rel(life["kwh"], kwh(meter.electrical_j)),
            100 * TARGETS["energy"],
            "%",
            "",
            None,
        )
        for zone in zones:
            truth = meter.rooms[zone]
            z = ledger.zone_lifetime(zone)
            label = "runtime h" if ducted else "runtime h (attributed)"
            naive = meter.runtime_s / n
            table.add(
                f"{sid}: {label}",
                zone,
                f"{truth.runtime_s / 3600:.2f}",
                f"{z['runtime_s'] / 3600:.2f}",
                100 * rel(z["runtime_s"], truth.runtime_s),
                100 * TARGETS["runtime"],
                "%",
                f"{naive / 3600:.2f}",
                100 * rel(naive, truth.runtime_s),
            )
            if not ducted:
                table.add(
                    f"{sid}: runtime h (own)",
                    zone,
                    f"{truth.own_runtime_s / 3600:.2f}",
                    f"{z['conditioned_s'] / 3600:.2f}",
                    100 * rel(z["conditioned_s"], truth.own_runtime_s),
                    100 * TARGETS["runtime"],
                    "%",
                    f"{meter.runtime_s / 3600:.2f}",
                    100 * rel(meter.runtime_s, truth.own_runtime_s),
                )
        for attribution, ledgers in zoned.driver.attribution_ledgers.items():
            if sid not in ledgers:
                continue
            label = ATTRIBUTION_LABELS[attribution]
            for zone in zones:
                truth = meter.rooms[zone]
                z = ledgers[sid].zone_lifetime(zone)
                truth_kwh = kwh(truth.electrical_j)
                for metric, value, true in (
                    ("runtime h", z["runtime_s"] / 3600, truth.runtime_s / 3600),
                    ("energy kWh", z["kwh"], truth_kwh),
                ):
                    target = TARGETS["runtime" if metric == "runtime h" else "energy"]
                    table.add(
                        f"{sid}: {metric} ({label})",
                        zone,
                        f"{true:.2f}",
                        f"{value:.2f}",
                        100 * rel(value, true),
                        100 * target,
                        "%",
                        "",
                        None,
                        counted=False,
                    )
        for zone in zones:
            truth_kwh = kwh(meter.rooms[zone].electrical_j)
            value = ledger.zone_lifetime(zone)["kwh"]
            naive = kwh(meter.electrical_j) / n
            table.add(
                f"{sid}: energy kWh",
                zone,
                f"{truth_kwh:.2f}",
                f"{value:.2f}",
                100 * rel(value, truth_kwh),
                100 * TARGETS["energy"],
                "%",
                f"{naive:.2f}",
                100 * rel(naive, truth_kwh),
            )
        section = sections[sid]
        if ducted:
            t = house.truth.ducted[sid]
            loss0, out0, _ = zoned.ducted_start[sid]
            share = (t.duct_loss_j - loss0) / (t.heat_output_j + t.cool_output_j - out0)
            est = section["duct_loss"]
            # The simulator's ducts here follow the steady equations (no return leaks, no heat
            # capacity): the steady figure checks the bookkeeping; the interval is for real ducts.
            value = est.get("steady", est["value"] if est["value"] is not None else est.get("raw"))
            table.add(
                f"{sid}: duct-loss share % (steady) [{est['method']['id']}, {est['confidence']}]"
                f"{interval_note(est, share)}",
                "all",
                f"{100 * share:.1f}",
                "None" if value is None else f"{100 * value:.1f}",
                None if value is None else 100 * (value - share),
                TARGETS["duct_pp"],
                "pp",
                f"{100 * NAIVE_DUCT_LOSS:.0f}",
                100 * (NAIVE_DUCT_LOSS - share),
            )
        add_savings(table, sid, section, meter, zoned, every_room, house_wide, one_zone, ducted)
    return table


def add_savings(
    table: Table,
    sid: str,
    section: dict[str, Any],
    meter: Any,
    zoned: Run,
    every_room: dict[str, Run],
    house_wide: Run,
    one_zone: Run,
    ducted: bool,
) -> None:
    """The zoning-savings row of a system: the truth, the estimate and its interval, the
    ENERGY STAR runtime figure and the reference figures."""
    base = every_room[sid].meter.systems[sid]
    truth_savings = 1.0 - meter.electrical_j / base.electrical_j
    runtime_savings = 1.0 - meter.runtime_s / base.runtime_s
    conventional = 1.0 - meter.electrical_j / one_zone.meter.systems[sid].electrical_j
    whole = 1.0 - meter.electrical_j / house_wide.meter.systems[sid].electrical_j
    delivered = ""
    if ducted:
        saved = 1.0 - delivered_j(zoned, sid) / delivered_j(every_room[sid], sid)
        delivered = f"delivered heat {100 * saved:.1f} %; "
    est = section["zoning_savings"]
    value = est["value"]
    star = section["energy_star_savings"]
    table.add(
        f"{sid}: zoning savings % [{est['confidence']}]{interval_note(est, truth_savings)} "
        f"(ENERGY STAR runtime saved{interval_note(star, runtime_savings)}; "
        f"{delivered}by runtime {100 * runtime_savings:.1f} %; "
        f"house-wide {100 * whole:.1f} %; "
        f"vs one zone {100 * conventional:.1f} %"
        + ("" if value is None else f"; error {100 * (value - truth_savings):+.1f} pp")
        + ")",
        "all",
        f"{100 * truth_savings:.1f}",
        "None" if value is None else f"{100 * value:.1f}",
        None if value is None else 100 * rel(value, truth_savings),
        100 * TARGETS["savings"],
        "%",
        f"{100 * NAIVE_SAVINGS:.0f}",
        100 * rel(NAIVE_SAVINGS, truth_savings),
        holds=inside(est, truth_savings),
    )


def inside(est: dict[str, Any], truth: float) -> bool:
    """Whether an estimate's `low`/`high` interval holds the truth (False without one)."""
    low, high = est.get("low"), est.get("high")
    return low is not None and high is not None and low <= truth <= high


def interval_note(est: dict[str, Any], truth: float) -> str:
    """The text " 80 % interval a-b %, holds" (or "misses") for an estimate with an interval."""
    low, high = est.get("low"), est.get("high")
    if low is None or high is None:
        return ""
    holds = "holds" if inside(est, truth) else "misses"
    return f" 80 % interval {100 * low:.1f}-{100 * high:.1f} %, {holds}"


def context(runs: dict[str, Run], days: int) -> list[str]:
    """A few lines on the runs themselves (so the truth can be judged)."""
    lines = []
    for name, run in runs.items():
        house = run.driver.house
        samples = int(days * 86400.0 / house.truth.trace_interval_s)
        means = []
        for rid, room in house.truth.rooms.items():
            window = room.temperature_trace[-samples:]
            means.append(f"{rid} {sum(window) / len(window):.1f}")
        systems = ", ".join(
            f"{sid} {kwh(m.electrical_j):.1f} kWh / {m.runtime_s / 3600:.1f} h"
            for sid, m in run.meter.systems.items()
        )
        lines.append(
            f"{name}: {systems}; mean °C {', '.join(means)}; wall time {run.seconds:.0f} s"
        )
    return lines


def main() -> None:
    """Run the seasons and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--season", choices=("winter", "summer", "both"), default="both")
    parser.add_argument("--lagged", action="store_true", help="book each step one step late")
    args = parser.parse_args()
    seasons: list[Season] = ["winter", "summer"] if args.season == "both" else [args.season]
    passes = misses = 0
    for season in seasons:
        runs = {
            name: simulate(
                season,
                args.days,
                args.warmup,
                args.seed,
                baseline=baseline,
                lagged=args.lagged,
                only=only,
            )
            for name, (baseline, only) in RUNS.items()
        }
        zoned = runs["zoned"]
        rep = report(zoned)
        print(
            f"\n## {season}: {args.days} days after {args.warmup} warm-up days, seed {args.seed}, "
            f"{zoned.first} .. {zoned.last}, duct prior "
            f"{duct_prior(DUCT_LOCATION, DUCT_LEAKAGE)} ({DUCT_LOCATION}, {DUCT_LEAKAGE})\n"
        )
        for line in context(runs, args.days):
            print(f"- {line}")
        print()
        every_room = {sid: runs[f"every room {sid}"] for sid in zoned.meter.systems}
        table = season_table(
            zoned, every_room, runs["every room house-wide"], runs["one zone"], rep
        )
        table.print()
        passes += table.passes
        misses += table.misses
    print(f"\n{passes} PASS, {misses} MISS")


if __name__ == "__main__":
    main()
