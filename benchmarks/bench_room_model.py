"""The room model's predicted recovery times against the simulator's (issue 14, item 4).

    .venv/bin/python -m benchmarks.bench_room_model --family 8 --learn-days 7 --test-days 3

Per variant of the equipment family (`sim.family`) and season, Heat Pump Zoning's engine runs
the control benchmark's schedule (`engine_control.ScheduledDriver`: each zone between its home
and eco presets, home an hour before each occupied period). Every step's ledger sample (built
as the HA layer builds it, from the sensors' readings) feeds one `RoomModels` per system, as the
integration feeds it. After the learning days, each *recovery* of the test days is scored: a
zone that starts to call and receive its mode while its target is at least `MIN_RECOVERY_K`
away (a setback ending). At that moment the model is asked `recovery_time` from the zone's
sensor reading to its target at the outdoor temperature then; the truth is how long the
simulator's room air (not its sensor) takes to reach the target. The model keeps learning during
the test days, as it would at home; a prediction uses only what came before it.

The table gives, per variant, the number of recoveries, the median and worst absolute error
(minutes) and the median relative error and bias (predicted - true: positive = the model
expects a longer recovery, an early start would begin early); then the median and worst over
the family. A recovery the room never completes within `MAX_RECOVERY_H` is counted apart.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
import statistics
import time as wallclock

from benchmarks.engine_bridge import observe
from benchmarks.engine_control import STEP_S, ScheduledDriver, rounded
from engine import Mode, RoomModels, ZoneSample, system_sample
from engine.model import ZoneMode
from sim.family import build_family_house
from sim.houses import demo_house_spec
from sim.scenario import Season

MIN_RECOVERY_K = 1.0
MAX_RECOVERY_H = 6.0
WARMUP_H = 24.0
UNTRAINED = RoomModels([])  # the conservative default, for comparison


@dataclass(slots=True)
class _Open:
    zone: str
    mode: Mode
    start: float
    target: float
    predicted_s: float | None
    basis: str
    default_s: float | None


@dataclass(slots=True)
class Scored:
    """One recovery: predicted and true seconds, and whether the model was still default."""

    zone: str
    predicted_s: float | None
    true_s: float | None
    basis: str
    default_s: float | None = None  # what the model without data would have said

    @property
    def error_s(self) -> float | None:
        if self.predicted_s is None or self.true_s is None:
            return None
        return self.predicted_s - self.true_s


@dataclass(slots=True)
class VariantResult:
    """The recoveries of one variant and season."""

    label: str
    scored: list[Scored] = field(default_factory=list)

    def errors(self) -> list[float]:
        return [s.error_s for s in self.scored if s.error_s is not None]

    def default_errors(self) -> list[float]:
        return [
            s.default_s - s.true_s
            for s in self.scored
            if s.default_s is not None and s.true_s is not None
        ]

    def relative(self) -> list[float]:
        return [
            abs(s.error_s) / s.true_s for s in self.scored if s.error_s is not None and s.true_s
        ]


def _state(zone: ZoneSample, mode: Mode | None) -> bool:
    """Whether a zone calls for the unit's mode and receives it (a recovery's stretch)."""
    return zone.conditioned and mode is not None and zone.calling == mode


def run_variant(
    season: Season, index: int, learn_days: float, test_days: float, seed: int
) -> VariantResult:
    """One variant: learn, then score the recoveries of the test days."""
    days = WARMUP_H / 24.0 + learn_days + test_days
    house = build_family_house(season, days, index, seed=seed)
    driver = ScheduledDriver(house, season, {})
    models = {
        sid: RoomModels([z.zone_id for z in s.config.zones]) for sid, s in driver.systems.items()
    }
    test_from = house.time + (WARMUP_H + 24.0 * learn_days) * 3600.0
    learn_from = house.time + WARMUP_H * 3600.0
    result = VariantResult(f"{season} #{index}")
    was: dict[str, bool] = {}
    open_: dict[str, _Open] = {}
    for _ in range(round(days * 86400.0 / STEP_S)):
        driver.before_step()
        house.step(STEP_S)
        start = house.time - STEP_S
        truth = house.room_temperatures()
        for name, recovery in list(open_.items()):
            reached = (truth[name] - recovery.target) * (
                1 if recovery.mode is Mode.HEAT else -1
            ) >= 0
            elapsed = house.time - recovery.start
            if reached or elapsed > MAX_RECOVERY_H * 3600.0:
                result.scored.append(
                    Scored(
                        name,
                        recovery.predicted_s,
                        elapsed if reached else None,
                        recovery.basis,
                        recovery.default_s,
                    )
                )
                del open_[name]
        if start < learn_from:
            continue
        outdoor = house.weather.temperature_at(start)
        for sid, system in driver.systems.items():
            if system.decision is None:
                continue
            after = rounded(observe(house, system.config, system.settings))
            sample = system_sample(
                system.config, after, system.decision, outdoor_temperature=outdoor
            )
            mode = sample.mode if sample.running else None
            for zone_id, zone in sample.zones.items():
                now_on = _state(zone, mode)
                settings = system.settings[zone_id]
                if (
                    now_on
                    and not was.get(zone_id, False)
                    and start >= test_from
                    and zone_id not in open_
                    and zone.temperature is not None
                    and mode is not None
                    and settings.hvac_mode in (ZoneMode.HEAT, ZoneMode.COOL)
                ):
                    gap = (settings.target - zone.temperature) * (1 if mode is Mode.HEAT else -1)
                    if gap >= MIN_RECOVERY_K:
                        answer = models[sid].recovery_time(
                            zone_id, mode, zone.temperature, settings.target, outdoor
                        )
                        default = UNTRAINED.recovery_time(
                            zone_id, mode, zone.temperature, settings.target, outdoor
                        )
                        open_[zone_id] = _Open(
                            zone_id,
                            mode,
                            start,
                            settings.target,
                            answer.seconds,
                            answer.basis,
                            default.seconds,
                        )
                was[zone_id] = now_on
            models[sid].record(start, sample)
    return result


def _minutes(seconds: float) -> str:
    return f"{seconds / 60.0:+.0f}" if seconds else "0"


def row(result: VariantResult) -> tuple[str, dict[str, float]]:
    errors = result.errors()
    relative = result.relative()
    never = sum(1 for s in result.scored if s.true_s is None)
    unreachable = sum(1 for s in result.scored if s.predicted_s is None)
    defaults = sum(1 for s in result.scored if s.basis == "default")
    figures = {
        "n": float(len(errors)),
        "median_abs_min": statistics.median(abs(e) for e in errors) / 60.0
        if errors
        else float("nan"),
        "worst_abs_min": max(abs(e) for e in errors) / 60.0 if errors else float("nan"),
        "median_rel": statistics.median(relative) if relative else float("nan"),
        "bias_min": statistics.median(errors) / 60.0 if errors else float("nan"),
        "default_abs_min": statistics.median(abs(e) for e in result.default_errors()) / 60.0
        if result.default_errors()
        else float("nan"),
        "median_true_min": statistics.median(s.true_s for s in result.scored if s.true_s) / 60.0
        if any(s.true_s for s in result.scored)
        else float("nan"),
    }
    text = (
        f"| {result.label} | {len(errors)} | {figures['median_true_min']:.0f} | "
        f"{figures['median_abs_min']:.0f} | {figures['worst_abs_min']:.0f} | "
        f"{figures['median_rel']:.0%} | {figures['bias_min']:+.0f} | "
        f"{figures['default_abs_min']:.0f} | {defaults} | {never} | {unreachable} |"
    )
    return text, figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--family", type=int, default=8, help="variants per season")
    parser.add_argument("--learn-days", type=float, default=7.0)
    parser.add_argument("--test-days", type=float, default=3.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--season", choices=["winter", "summer"], action="append")
    args = parser.parse_args()
    seasons: list[Season] = args.season or ["winter", "summer"]
    began = wallclock.monotonic()
    print(
        f"Demo house topology ({len(demo_house_spec().rooms)} rooms), {args.family} family "
        f"variants, learn {args.learn_days:g} d, test {args.test_days:g} d, seed {args.seed}\n"
    )
    print(
        "| variant | recoveries | median true (min) | median abs error (min) | worst abs error "
        "(min) | median rel. error | bias (min) | default model: median abs error (min) | "
        "on default | not reached | model: never |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for season in seasons:
        per_variant: list[dict[str, float]] = []
        every: list[float] = []
        every_rel: list[float] = []
        for index in range(args.family):
            result = run_variant(season, index, args.learn_days, args.test_days, args.seed)
            text, figures = row(result)
            print(text)
            per_variant.append(figures)
            every += [abs(e) for e in result.errors()]
            every_rel += result.relative()
        medians = [f["median_abs_min"] for f in per_variant if f["n"]]
        rels = [f["median_rel"] for f in per_variant if f["n"]]
        print(
            f"| **{season}: family median / worst variant** | {len(every)} | | "
            f"{statistics.median(medians):.0f} / {max(medians):.0f} | {max(every) / 60:.0f} | "
            f"{statistics.median(rels):.0%} / {max(rels):.0%} | | | | | |"
        )
        print(
            f"| **{season}: all recoveries pooled** | {len(every)} | | "
            f"{statistics.median(every) / 60:.0f} | {max(every) / 60:.0f} | "
            f"{statistics.median(every_rel):.0%} | | | | | |"
        )
    print(f"\nwall time {wallclock.monotonic() - began:.0f} s")


if __name__ == "__main__":
    main()
