"""Early start against starting on time and against a fixed hour early (issue 14, item 4).

    .venv/bin/python -m benchmarks.bench_early_start --family 8 --days 7

Per variant of the equipment family (`sim.family`, and the demo house with `--demo`) and season,
Heat Pump Zoning's engine runs the control benchmark's house four times on the same weather; the
schedule's comfort period is each room's occupied period (`sim.scenario.DEMO_PLANS`):

- **on time**: a zone takes its home preset when its occupied period begins;
- **an hour early**: home an hour before (what the control benchmark's schedule does, as a user
  would set a programmable thermostat);
- **early start**: the integration's rule (`engine` `early_start_at`, `preconditioning`,
  `comfort_need`, `early_lead`): home as long before the period as the zone's learnt room model
  says the room needs from its sensor's reading (`RoomModels.recovery_time(early_start=True)`:
  times the zone's lead factor, learnt from how its early starts came out), at most 3 hours;
  before the model has learnt the mode, its conservative default's, at most 30 minutes. With it,
  as in the integration, coasting (`coast_edges`, `coast_lead`, `coast_at`, `coast`): eco up
  to an hour before the period ends, as long as the model says the room stays inside the band
  the zone holds it in anyway, and home again once the room leaves that band (`coast_left`). One
  `RoomModels` per system learns from every step's ledger sample, as the integration feeds it, from
  the start of the run (warm-up included);
- **held at home**: home all day, never set back: a room that is never short when a period begins,
  what a perfect recovery would give. What is left there (the sun, gains, the mode's own overshoot)
  no start time can remove; its ratio to on time's is the floor of early start's.

Scored after the warm-up, per system: occupied discomfort (K·h outside the comfort band while the
room is occupied), the part of it in the first `ARRIVAL_S` of each occupied period (what a late
recovery costs; the rest is the same whichever way the zone starts), and energy. The targets:
early start's discomfort at most 20 % of on time's, its energy within +3 % of on time's. The
table gives median and worst over the variants, the target lines the median ratio and the worst;
two lines without a bound put them in context: held at home's discomfort against on time's (the
floor), and how much of what a perfect recovery removes early start leaves ((early - held) /
(on time - held), discomfort counted on both sides of the band).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
import math
import statistics
import time as wallclock
from typing import Any

from benchmarks.engine_bridge import observe
from benchmarks.engine_control import STEP_S, ScheduledDriver, rounded
from engine import (
    RoomModels,
    ScheduleState,
    ZoneSettings,
    coast,
    coast_at,
    coast_edges,
    coast_lead,
    coast_left,
    comfort_need,
    early_lead,
    early_start_at,
    preconditioning,
    system_sample,
)
from engine.model import ZoneMode
from sim import House
from sim.family import build_family_house
from sim.scenario import (
    DEMO_PLANS,
    Monitor,
    Season,
    build_season_house,
    comfort_band,
    occupied,
    season_mode,
    violation_k,
)
from sim.units import SECONDS_PER_HOUR

WARMUP_H = 24.0
ARRIVAL_S = 2 * SECONDS_PER_HOUR  # the first hours of an occupied period: what a recovery costs
LOOKAHEAD_S = 3 * SECONDS_PER_HOUR  # the early start's cap: no period further ahead matters
SCAN_S = 300.0  # resolution of the search for the next occupied period
ON_TIME, HOUR_EARLY, EARLY, HELD = "on time", "an hour early", "early start", "held at home"
WAYS = (ON_TIME, HOUR_EARLY, EARLY, HELD)
DISCOMFORT_SHARE = 0.2  # early start's discomfort / on time's
ENERGY_SHARE = 1.03  # early start's energy / on time's


def settings(season: Season, room: str, home: bool) -> ZoneSettings:
    """The zone in the season's mode at its home or eco setpoints."""
    plan = DEMO_PLANS[room]
    heat, cool = plan.home if home else plan.eco
    mode = ZoneMode(season_mode(season))
    return ZoneSettings(
        hvac_mode=mode,
        target=cool if mode is ZoneMode.COOL else heat,
        target_low=heat,
        target_high=cool,
    )


def _first(reached: Callable[[float], bool], before: float, after: float) -> float:
    """The change between `before` (not reached) and `after` (reached), to the second, as the
    schedule helper announces it (a coarse scan alone would announce it up to `SCAN_S` late)."""
    while after - before > 1.0:
        middle = (before + after) / 2.0
        if reached(middle):
            after = middle
        else:
            before = middle
    return after


class Driver(ScheduledDriver):
    """The control benchmark's driver with comfort on time, an hour early, or by early start."""

    def __init__(self, house: House, season: Season, way: str) -> None:
        """`way`: one of `WAYS`."""
        super().__init__(house, season, {})
        self.way = way
        self.models = {
            sid: RoomModels([z.zone_id for z in s.config.zones]) for sid, s in self.systems.items()
        }
        self.preconditioning: dict[str, float | None] = {}
        self.coasting: dict[str, float | None] = {}
        # room: the end of the period whose coasting ended as the room left its band
        self.coast_ended: dict[str, float | None] = {}

    def next_change(self, room: str, now: float, to_occupied: bool) -> float | None:
        """When the room's next occupied (or unoccupied) period begins within `LOOKAHEAD_S`
        (None: later)."""
        plan, site = DEMO_PLANS[room], self.house.weather.site
        # Scanned on a fixed grid, so every step finds a period's start in the same bracket and
        # announces the very same moment, as a schedule helper's `next_event` does. Scanned from
        # each step's own time, the bisection ended up to a second apart from step to step: the
        # zone's latch on the period it preconditions for let go, and a zone getting near its
        # target stopped preconditioning and began again, up to six times a night.
        t = (math.floor(now / SCAN_S) + 1) * SCAN_S
        while t <= now + LOOKAHEAD_S + SCAN_S:
            if occupied(plan, t, site) == to_occupied:
                return _first(lambda u: occupied(plan, u, site) == to_occupied, t - SCAN_S, t)
            t += SCAN_S
        return None

    def coasts(self, sid: str, room: str, now: float) -> bool:
        """Whether the zone, in its occupied period, coasts now (the integration's rule)."""
        state = ScheduleState(on=True, next_event=self.next_change(room, now, False))
        reading = self.reading(sid, room)
        edges = coast_edges(
            ZoneMode(season_mode(self.scenario_season)),
            DEMO_PLANS[room].home,
            DEMO_PLANS[room].eco,
            self.systems[sid].config.tolerance,
        )
        lead = None
        if reading is not None:
            outdoor = self.house.weather.temperature_at(now)
            drifts = [
                self.models[sid].drift_time(room, reading, edge, outdoor, falling=falling)
                for edge, falling in edges
            ]
            learned = all(d.learned for d in drifts)
            lead = coast_lead([d.seconds for d in drifts], learned)
        begun, self.coast_ended[room] = coast(
            state,
            now,
            coast_at(state, lead),
            self.coasting.get(room),
            left=coast_left(reading, edges),
            ended_for=self.coast_ended.get(room),
        )
        self.coasting[room] = begun
        return begun is not None

    def home_now(self, sid: str, room: str, now: float) -> bool:
        """Whether the zone is at its home preset now."""
        plan, site = DEMO_PLANS[room], self.house.weather.site
        if self.way == HELD:
            return True
        if self.way == EARLY:
            self.models[sid].outcomes.observe(room, now, self.reading(sid, room))
        if occupied(plan, now, site):
            self.preconditioning.pop(room, None)
            return self.way != EARLY or not self.coasts(sid, room, now)
        self.coasting.pop(room, None)
        if self.way == ON_TIME:
            return False
        if self.way == HOUR_EARLY:
            return occupied(plan, now + SECONDS_PER_HOUR, site)
        state = ScheduleState(on=False, next_event=self.next_change(room, now, True))
        lead = None
        planned = None
        reading = self.reading(sid, room)
        need = comfort_need(
            ZoneMode(season_mode(self.scenario_season)), reading, *DEMO_PLANS[room].home
        )
        if need is None:
            lead = 0.0
        elif reading is not None:
            mode, target = need
            answer = self.models[sid].recovery_time(
                room,
                mode,
                reading,
                target,
                self.house.weather.temperature_at(now),
                early_start=True,
            )
            lead = early_lead(answer.seconds, answer.learned)
            if lead is not None and answer.seconds is not None and answer.learned:
                planned = (mode.value, reading, target, answer.seconds)
        before = self.preconditioning.get(room)
        begun = preconditioning(state, now, early_start_at(state, lead), before)
        self.preconditioning[room] = begun
        if before is None and begun is not None and planned is not None:
            self.models[sid].outcomes.begin(room, now, begun, *planned)
        elif begun is None:
            self.models[sid].outcomes.drop(room)  # ended before its period began
        return begun is not None

    def reading(self, sid: str, room: str) -> float | None:
        """The zone's sensor as the last observation had it."""
        obs = self.systems[sid].obs
        zone = obs.zones.get(room) if obs is not None else None
        return zone.temperature if zone is not None else None

    def settings_now(self, system_id: str) -> dict[str, ZoneSettings]:
        """Each zone at home or eco by this driver's way."""
        now = self.house.time
        return {
            z.zone_id: settings(
                self.scenario_season, z.zone_id, self.home_now(system_id, z.zone_id, now)
            )
            for z in self.systems[system_id].config.zones
        }

    def learn(self) -> None:
        """Feed each system's room model the step's ledger sample, as the integration does."""
        now = self.house.time - STEP_S
        outdoor = self.house.weather.temperature_at(now)
        for sid, system in self.systems.items():
            if system.decision is None:
                continue
            after = rounded(observe(self.house, system.config, system.settings))
            sample = system_sample(
                system.config, after, system.decision, outdoor_temperature=outdoor
            )
            self.models[sid].record(now, sample)


@dataclass(frozen=True, slots=True)
class Run:
    """One system's score in one run."""

    discomfort_kh: float
    arrival_kh: float
    energy_kwh: float
    short_kh: float  # of discomfort_kh, short of the band (too cold heating, too warm cooling)


def run(house: House, season: Season, days: float, way: str) -> dict[str, Run]:
    """One run of `days` scored days after the warm-up; scores per system."""
    driver = Driver(house, season, way)
    score_from = house.time + WARMUP_H * 3600.0
    monitor = Monitor(house, season, score_from=score_from)
    arrival = dict.fromkeys(monitor.rooms, 0.0)
    site = house.weather.site
    for _ in range(round((WARMUP_H + 24.0 * days) * 3600.0 / STEP_S)):
        driver.before_step()
        start = house.time
        house.step(STEP_S)
        monitor.record(STEP_S)
        if way == EARLY:
            driver.learn()
        if start < score_from:
            continue
        for sid, rooms in monitor.rooms.items():
            for room in rooms:
                plan = DEMO_PLANS[room]
                if occupied(plan, start, site) and not occupied(plan, start - ARRIVAL_S, site):
                    band = comfort_band(season, plan.home)
                    miss = violation_k(house.rooms[room].temperature, band)
                    arrival[sid] += miss * STEP_S / SECONDS_PER_HOUR
    return {
        sid: Run(
            score.comfort_total_kh,
            arrival[sid],
            score.energy_kwh,
            score.short_kh,
        )
        for sid, score in monitor.result().items()
    }


def main(argv: list[str] | None = None) -> int:
    """Run every variant and season each way and print the table and the targets."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--family", type=int, default=8, help="family variants per season")
    parser.add_argument("--demo", action="store_true", help="also the demo house")
    parser.add_argument("--days", type=float, default=7.0, help="scored days per run")
    parser.add_argument("--seasons", default="winter,summer")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    started = wallclock.perf_counter()
    houses: list[tuple[str, Any]] = [
        (f"#{i}", lambda s, d, i=i: build_family_house(s, d, i, seed=args.seed))
        for i in range(args.family)
    ]
    if args.demo:
        houses.insert(0, ("demo", lambda s, d: build_season_house(s, d, args.seed)))
    missed = 0
    print(
        "| season | system | way | discomfort K·h | of it, first 2 h of a period |"
        " of it, short of the band | energy kWh |  (median / worst)"
    )
    print("|---|---|---|---:|---:|---:|---:|")
    seasons: tuple[Season, ...] = ("winter", "summer", "shoulder")
    for season in [s for s in seasons if s in args.seasons.split(",")]:
        scores: dict[str, dict[str, list[Run]]] = {}
        for _name, build in houses:
            for way in WAYS:
                house = build(season, WARMUP_H / 24.0 + args.days)
                for sid, result in run(house, season, args.days, way).items():
                    scores.setdefault(sid, {}).setdefault(way, []).append(result)
        for sid, ways in scores.items():
            for way in WAYS:
                runs = ways[way]
                dis = [r.discomfort_kh for r in runs]
                arr = [r.arrival_kh for r in runs]
                short = [r.short_kh for r in runs]
                kwh = [r.energy_kwh for r in runs]
                print(
                    f"| {season} | {sid} | {way} | {statistics.median(dis):.1f} / {max(dis):.1f} |"
                    f" {statistics.median(arr):.1f} / {max(arr):.1f} |"
                    f" {statistics.median(short):.1f} / {max(short):.1f} |"
                    f" {statistics.median(kwh):.1f} / {max(kwh):.1f} |"
                )
            missed += targets(season, sid, ways)
    print(f"\n{missed} target(s) missed; {wallclock.perf_counter() - started:.0f} s")
    return 0


def targets(season: str, sid: str, ways: dict[str, list[Run]]) -> int:
    """Print the two target lines of a system (median over variants); the number missed."""
    on_time = ways[ON_TIME]
    early = ways[EARLY]
    share = [_ratio(e.discomfort_kh, o.discomfort_kh) for e, o in zip(early, on_time, strict=True)]
    arrival = [_ratio(e.arrival_kh, o.arrival_kh) for e, o in zip(early, on_time, strict=True)]
    short = [_ratio(e.short_kh, o.short_kh) for e, o in zip(early, on_time, strict=True)]
    energy = [
        e.energy_kwh / o.energy_kwh for e, o in zip(early, on_time, strict=True) if o.energy_kwh > 0
    ]
    missed = 0
    for label, values, bound in (
        ("discomfort / on time's", share, DISCOMFORT_SHARE),
        ("first-2-h discomfort / on time's", arrival, DISCOMFORT_SHARE),
        ("short-of-the-band discomfort / on time's", short, DISCOMFORT_SHARE),
        ("energy / on time's", energy, ENERGY_SHARE),
    ):
        median = statistics.median(values) if values else 0.0
        ok = median <= bound
        missed += not ok
        print(
            f"{'PASS' if ok else 'MISS'}  {season:<8} {sid:<10} {label}: median {median:.2f},"
            f" worst {max(values, default=0.0):.2f} (bound {bound})"
        )
    held = ways[HELD]
    floor = [_ratio(h.discomfort_kh, o.discomfort_kh) for h, o in zip(held, on_time, strict=True)]
    left = [
        _ratio(e.discomfort_kh - h.discomfort_kh, o.discomfort_kh - h.discomfort_kh)
        for e, h, o in zip(early, held, on_time, strict=True)
        if o.discomfort_kh > h.discomfort_kh
    ]
    for label, values in (
        ("held at home's discomfort / on time's (the floor)", floor),
        ("what a perfect recovery removes, left by early start", left),
    ):
        median = statistics.median(values) if values else 0.0
        print(
            f"      {season:<8} {sid:<10} {label}: median {median:.2f},"
            f" worst {max(values, default=0.0):.2f} ({len(values)} houses)"
        )
    return missed


def _ratio(value: float, reference: float) -> float:
    if reference > 0:
        return value / reference
    return 0.0 if value == 0 else float("inf")


if __name__ == "__main__":
    raise SystemExit(main())
