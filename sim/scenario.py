"""The demo home's schedules and a control-quality score (pure Python, no Home Assistant).

Shared by the scenario tests, the control benchmark and the development demo, so that all three
use the same occupancy, setpoints and metrics.

Schedule: the day has four periods in the house's local time (night, morning, day, evening).
Each zone is occupied in some of them and holds its *home* setpoints then, its *eco* setpoints
otherwise. Every scheduled controller switches to *home* `PRECONDITION_H` before an occupied
period starts (as a programmable thermostat's schedule would be set), so recovery from setback
happens before people arrive.

Score (`Monitor`), per HVAC system, over the scored window only:
- comfort violation: kelvin-hours of room air outside ±0.5 K of the occupied target (the range
  widened by 0.5 K on both sides in heat_cool) during occupied periods (BOPTEST `tdis_tot` style);
- energy: electrical kWh (simulator ground truth);
- compressor starts per hour and short cycles: runs shorter than `min_run_s` or off periods
  shorter than `min_off_s` (both 5 minutes by default, the integration's defaults);
- minutes the blower ran below the minimum airflow share, minutes of opposite modes requested on
  one outdoor unit (ground truth).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
import math
from typing import Literal

from sim.house import House
from sim.houses import demo_house_spec
from sim.truth import kwh
from sim.units import SECONDS_PER_HOUR
from sim.weather import Site, synthetic_weather

type Season = Literal["winter", "summer", "shoulder"]
SEASONS: tuple[Season, ...] = ("winter", "summer", "shoulder")

# Periods of the day: name and local start hour, in order. "night" wraps past midnight.
PERIODS: tuple[tuple[str, float], ...] = (
    ("morning", 6.5),
    ("day", 9.0),
    ("evening", 17.0),
    ("night", 22.5),
)
PRECONDITION_H = 1.0
COMFORT_MARGIN_K = 0.5
SHORT_CYCLE_S = 300.0
MIN_AIRFLOW_SHARE = 0.4

HOME = "home"
ECO = "eco"


@dataclass(frozen=True, slots=True)
class ZonePlan:
    """A room's occupancy and setpoints (°C, as (heat, cool) pairs)."""

    room: str
    occupied: frozenset[str]
    home: tuple[float, float] = (21.0, 24.0)
    eco: tuple[float, float] = (18.0, 27.0)


DEMO_PLANS: dict[str, ZonePlan] = {
    "living": ZonePlan("living", frozenset({"morning", "evening"})),
    "kitchen": ZonePlan("kitchen", frozenset({"morning", "evening"})),
    "bedroom": ZonePlan("bedroom", frozenset({"night"})),
    "office": ZonePlan("office", frozenset({"day"})),
    "bedroom2": ZonePlan("bedroom2", frozenset({"night"})),
    "study": ZonePlan("study", frozenset({"day", "evening"})),
}


# Where a season's runs start (air and structure), °C: near what the house holds in that season,
# so that a short warm-up suffices (the structure's time constant is days).
INITIAL_TEMPERATURE_C: dict[Season, float] = {"winter": 20.5, "summer": 24.5, "shoulder": 22.0}


def build_season_house(season: Season, days: float, seed: int = 1) -> House:
    """The demo house in `days` (rounded up, plus one) of seeded weather of `season`,
    starting at local midnight with every node at the season's initial temperature."""
    spec = demo_house_spec()
    start = INITIAL_TEMPERATURE_C[season]
    spec = replace(spec, rooms=tuple(replace(r, initial_temperature_c=start) for r in spec.rooms))
    return House(spec, synthetic_weather(season, math.ceil(days) + 1, seed=seed))


def local_hour(t: float, site: Site) -> float:
    """Hour of the day (0–24) at POSIX time `t` in the site's standard time."""
    return ((t + site.utc_offset_h * SECONDS_PER_HOUR) % 86400.0) / SECONDS_PER_HOUR


def period_at(t: float, site: Site) -> str:
    """The period of the day at time `t`."""
    hour = local_hour(t, site)
    current = PERIODS[-1][0]
    for name, start in PERIODS:
        if hour >= start:
            current = name
    return current


def occupied(plan: ZonePlan, t: float, site: Site) -> bool:
    """Whether the room is occupied at `t`."""
    return period_at(t, site) in plan.occupied


def scheduled_preset(plan: ZonePlan, t: float, site: Site) -> str:
    """`home` while occupied or within `PRECONDITION_H` of being occupied, else `eco`."""
    if occupied(plan, t, site) or occupied(plan, t + PRECONDITION_H * SECONDS_PER_HOUR, site):
        return HOME
    return ECO


def preset_setpoints(plan: ZonePlan, preset: str) -> tuple[float, float]:
    """(heat, cool) setpoints of a preset."""
    return plan.home if preset == HOME else plan.eco


def season_mode(season: Season) -> str:
    """The zones' HVAC mode in a season: heat, cool, or heat_cool in shoulder weather."""
    return {"winter": "heat", "summer": "cool", "shoulder": "heat_cool"}[season]


def comfort_band(season: Season, setpoints: tuple[float, float]) -> tuple[float, float]:
    """Room temperatures that count as comfortable for a (heat, cool) target pair."""
    heat, cool = setpoints
    mode = season_mode(season)
    if mode == "heat":
        return heat - COMFORT_MARGIN_K, heat + COMFORT_MARGIN_K
    if mode == "cool":
        return cool - COMFORT_MARGIN_K, cool + COMFORT_MARGIN_K
    return heat - COMFORT_MARGIN_K, cool + COMFORT_MARGIN_K


def violation_k(temperature: float, band: tuple[float, float]) -> float:
    """How far (K) a temperature is outside a band."""
    low, high = band
    return max(low - temperature, 0.0, temperature - high)


def _past(season: Season, temperature: float, band: tuple[float, float]) -> bool:
    """Whether a temperature outside `band` is past it on the side the season's mode moves a
    room towards (too warm while heating, too cool while cooling)."""
    mode = season_mode(season)
    return (mode == "heat" and temperature > band[1]) or (mode == "cool" and temperature < band[0])


@dataclass(slots=True)
class SystemScore:
    """The score of one HVAC system over the scored window."""

    system: str
    hours: float = 0.0
    comfort_kh: dict[str, float] = field(default_factory=dict)
    # The part of comfort_kh past the band on the side the season's mode moves a room towards:
    # too warm while heating, too cool while cooling (sun, gains, a cold night, or the mode's
    # own overshoot; the mode can only stop, not undo it); none in heat_cool.
    past_kh: float = 0.0
    worst_k: dict[str, float] = field(default_factory=dict)
    energy_kwh: float = 0.0
    starts: int = 0
    short_runs: int = 0
    short_offs: int = 0
    low_airflow_min: float = 0.0
    mode_conflict_min: float = 0.0
    commands_per_day: dict[str, float] = field(default_factory=dict)  # per device (see Truth)

    @property
    def comfort_total_kh(self) -> float:
        """Comfort violation summed over the system's rooms."""
        return sum(self.comfort_kh.values())

    @property
    def short_kh(self) -> float:
        """The discomfort short of the band (too cold heating, too warm cooling): the rest of
        `comfort_total_kh` once `past_kh` is taken out."""
        return self.comfort_total_kh - self.past_kh

    @property
    def short_cycles(self) -> int:
        """Runs shorter than the minimum run plus off periods shorter than the minimum off."""
        return self.short_runs + self.short_offs

    @property
    def cycles_per_hour(self) -> float:
        """Compressor starts per hour."""
        return self.starts / self.hours if self.hours else 0.0


@dataclass(slots=True)
class _Compressor:
    running: bool
    since: float
    seen_stop: bool = False


class Monitor:
    """Scores a running house; call `record(dt)` after every `house.step(dt)`."""

    def __init__(
        self,
        house: House,
        season: Season,
        plans: Mapping[str, ZonePlan] | None = None,
        *,
        score_from: float | None = None,
        min_run_s: float = SHORT_CYCLE_S,
        min_off_s: float = SHORT_CYCLE_S,
    ) -> None:
        """Start watching `house`; nothing before `score_from` (default: now) is scored."""
        self.house = house
        self.season = season
        self.plans = dict(plans or DEMO_PLANS)
        self.score_from = house.time if score_from is None else score_from
        self.min_run_s = min_run_s
        self.min_off_s = min_off_s
        self.rooms: dict[str, list[str]] = {
            sid: [d.room for d in unit.dampers] for sid, unit in house.ducted.items()
        }
        self.rooms.update({sid: [h.room for h in ms.heads] for sid, ms in house.minisplits.items()})
        self.scores = {sid: SystemScore(sid) for sid in self.rooms}
        for sid, rooms in self.rooms.items():
            score = self.scores[sid]
            score.comfort_kh = dict.fromkeys(rooms, 0.0)
            score.worst_k = dict.fromkeys(rooms, 0.0)
        self._compressors = {sid: _Compressor(self._running(sid), house.time) for sid in self.rooms}
        self._base: dict[str, tuple[float, float, float]] | None = None
        self._commands_base: dict[str, int] = {}
        self.devices: dict[str, list[str]] = {
            sid: [f"thermostat:{sid}", *(f"damper:{d.id}" for d in unit.dampers)]
            for sid, unit in house.ducted.items()
        }
        self.devices.update(
            {sid: [f"head:{h.id}" for h in ms.heads] for sid, ms in house.minisplits.items()}
        )
        self.blower_below_minimum_steps = 0  # independent check of the airflow invariant
        if house.time >= self.score_from:
            self._snapshot()

    def _running(self, system: str) -> bool:
        if system in self.house.ducted:
            return self.house.ducted[system].running
        return self.house.minisplits[system].running

    def _truth(self, system: str) -> tuple[float, float, float]:
        truth = self.house.truth
        if system in truth.ducted:
            d = truth.ducted[system]
            return d.electrical_j, d.low_airflow_s, 0.0
        m = truth.minisplits[system]
        return m.electrical_j, 0.0, m.mode_conflict_s

    def _snapshot(self) -> None:
        self._base = {sid: self._truth(sid) for sid in self.rooms}
        self._commands_base = dict(self.house.truth.commands)

    def record(self, dt: float) -> None:
        """Account for the step of `dt` seconds that just ended."""
        house = self.house
        now = house.time
        start = now - dt
        scored = start >= self.score_from - 1e-6
        if not scored and now >= self.score_from - 1e-6:
            self._snapshot()
        site = house.weather.site
        for sid, rooms in self.rooms.items():
            score = self.scores[sid]
            if scored:
                score.hours += dt / SECONDS_PER_HOUR
                for room in rooms:
                    plan = self.plans.get(room)
                    if plan is None or not occupied(plan, start, site):
                        continue
                    band = comfort_band(self.season, plan.home)
                    miss = violation_k(house.rooms[room].temperature, band)
                    score.comfort_kh[room] += miss * dt / SECONDS_PER_HOUR
                    if miss and _past(self.season, house.rooms[room].temperature, band):
                        score.past_kh += miss * dt / SECONDS_PER_HOUR
                    score.worst_k[room] = max(score.worst_k[room], miss)
            self._track_compressor(sid, now, scored)
            if sid in house.ducted:
                unit = house.ducted[sid]
                if scored and unit.running and unit.airflow_share < MIN_AIRFLOW_SHARE - 1e-9:
                    self.blower_below_minimum_steps += 1

    def _track_compressor(self, system: str, now: float, scored: bool) -> None:
        state = self._compressors[system]
        running = self._running(system)
        if running == state.running:
            return
        length = now - state.since
        score = self.scores[system]
        if running:
            if scored:
                score.starts += 1
                if state.seen_stop and length < self.min_off_s - 1e-6:
                    score.short_offs += 1
        else:
            state.seen_stop = True
            if scored and length < self.min_run_s - 1e-6:
                score.short_runs += 1
        state.running = running
        state.since = now

    def result(self) -> dict[str, SystemScore]:
        """The scores so far (energy, airflow and mode conflicts since `score_from`)."""
        base = self._base
        for sid, score in self.scores.items():
            energy, low_airflow, conflict = self._truth(sid)
            if base is None:
                continue
            e0, a0, c0 = base[sid]
            score.energy_kwh = kwh(energy - e0)
            score.low_airflow_min = (low_airflow - a0) / 60.0
            score.mode_conflict_min = (conflict - c0) / 60.0
            commands = self.house.truth.commands
            days = score.hours / 24.0
            score.commands_per_day = {
                key: (commands.get(key, 0) - self._commands_base.get(key, 0)) / days
                for key in self.devices[sid]
                if days > 0.0
            }
        return self.scores


def hours_to_steps(hours: float, step_s: float = 60.0) -> int:
    """Whole steps in a number of hours."""
    return math.ceil(hours * SECONDS_PER_HOUR / step_s)
